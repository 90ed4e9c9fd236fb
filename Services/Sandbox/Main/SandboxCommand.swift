import ArgumentParser
import Contracts
import SandboxApp
import ServiceKit

/// `sandbox`: simulated partners: bank gateway, SMS gateway, VNPost, national portal.
@main
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "MotCua sandbox service")

    @Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    func run() async throws {
        try await ServiceMain.run(name: Topology.sandbox, defaultPort: Topology.ports[Topology.sandbox]!, knownServices: Topology.ports,
                                  port: self.port, build: buildSandboxApplication)
    }
}
