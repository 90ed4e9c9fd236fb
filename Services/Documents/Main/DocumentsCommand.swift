import ArgumentParser
import Contracts
import DocumentsApp
import ServiceKit

/// `documents`: stored files, official documents, PKI and signatures.
@main
struct DocumentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "documents", abstract: "MotCua documents service")

    @Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    func run() async throws {
        try await ServiceMain.run(name: Topology.documents, defaultPort: Topology.ports[Topology.documents]!, knownServices: Topology.ports,
                                  port: self.port, build: { try await buildDocumentsApplication($0) })
    }
}
