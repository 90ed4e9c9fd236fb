import ArgumentParser
import Contracts
import RegistryApp
import ServiceKit

/// `registry`: service discovery speaking the Consul HTTP API subset MotCua uses.
@main
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registry", abstract: "MotCua service registry (Consul-compatible)")

    @Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    func run() async throws {
        try await ServiceMain.run(name: Topology.registry, defaultPort: Topology.ports[Topology.registry]!, knownServices: Topology.ports,
                                  port: self.port) { try buildRegistryApplication($0) }
    }
}
