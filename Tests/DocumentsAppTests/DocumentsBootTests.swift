import ServiceKit
import ServiceTesting
import DocumentsApp
import Testing

@Test("documents is ready, describes itself and announces its start")
func documentsBoots() async throws {
    let settings = ServiceSettings.testing(name: "documents")
    let report = try await BootReport.collect(try await buildDocumentsApplication(settings), settings: settings)
    #expect(report.unmet(title: "MotCua documents") == [])
}
