import ArgumentParser
import Contracts
import PaymentsApp
import ServiceKit

/// `payments`: fee payments through the bank gateway.
@main
struct PaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "payments", abstract: "MotCua payments service")

    @Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    func run() async throws {
        try await ServiceMain.run(name: Topology.payments, defaultPort: Topology.ports[Topology.payments]!, knownServices: Topology.ports,
                                  port: self.port, build: { try await buildPaymentsApplication($0) })
    }
}
