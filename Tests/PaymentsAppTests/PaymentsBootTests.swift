import ServiceKit
import ServiceTesting
import PaymentsApp
import Testing

@Test("payments is ready, describes itself and announces its start")
func paymentsBoots() async throws {
    let settings = ServiceSettings.testing(name: "payments")
    let report = try await BootReport.collect(try await buildPaymentsApplication(settings), settings: settings)
    #expect(report.unmet(title: "MotCua payments") == [])
}
