import ConsoleApp
import ServiceKit
import ServiceTesting
import Testing

@Test("console is ready, describes itself and announces its start")
func consoleBoots() async throws {
    let settings = ServiceSettings.testing(name: "console")
    let report = try await BootReport.collect(try await buildConsoleApplication(settings), settings: settings)
    #expect(report.unmet(title: "MotCua staff console") == [])
}
