import ServiceKit
import ServiceTesting
import SingleWindowApp
import Testing

@Test("single-window is ready, describes itself and announces its start")
func singleWindowBoots() async throws {
    let settings = ServiceSettings.testing(name: "single-window")
    let report = try await BootReport.collect(try await buildSingleWindowApplication(settings), settings: settings)
    #expect(report.unmet(title: "MotCua single-window") == [])
}
