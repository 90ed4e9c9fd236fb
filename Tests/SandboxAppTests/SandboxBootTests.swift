import ServiceKit
import ServiceTesting
import SandboxApp
import Testing

@Test("sandbox is ready, describes itself and announces its start")
func sandboxBoots() async throws {
    let settings = ServiceSettings.testing(name: "sandbox")
    let report = try await BootReport.collect(try await buildSandboxApplication(settings), settings: settings)
    #expect(report.unmet(title: "MotCua sandbox") == [])
}
