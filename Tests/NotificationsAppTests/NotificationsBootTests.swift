import ServiceKit
import ServiceTesting
import NotificationsApp
import Testing

@Test("notifications is ready, describes itself and announces its start")
func notificationsBoots() async throws {
    let settings = ServiceSettings.testing(name: "notifications")
    let report = try await BootReport.collect(try await buildNotificationsApplication(settings), settings: settings)
    #expect(report.unmet(title: "MotCua notifications") == [])
}
