import Foundation
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

@Test("every template beside a console screen is in the build")
func everyTemplateIsBuiltIn() throws {
    let app = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Services/Console/App")
    let files = (FileManager.default.enumerator(atPath: app.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".mustache") }
        .map { URL(fileURLWithPath: $0).lastPathComponent }.sorted()
    #expect(!files.isEmpty)
    #expect(consoleTemplateNames() == files, "build with --manifest-cache none (scripts do) so SwiftPM lists a new template")
}
