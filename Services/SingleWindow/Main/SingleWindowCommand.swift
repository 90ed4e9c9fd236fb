import ArgumentParser
import Contracts
import SingleWindowApp
import ServiceKit

/// `single-window`: receives, processes and settles administrative-procedure dossiers.
@main
struct SingleWindowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "single-window", abstract: "MotCua single-window service")

    @Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    func run() async throws {
        try await ServiceMain.run(name: Topology.singleWindow, defaultPort: Topology.ports[Topology.singleWindow]!, knownServices: Topology.ports,
                                  port: self.port) { try await buildSingleWindowApplication($0) }
    }
}
