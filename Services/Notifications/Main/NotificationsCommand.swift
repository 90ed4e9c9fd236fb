import ArgumentParser
import Contracts
import NotificationsApp
import ServiceKit

/// `notifications`: sMS, e-mail and in-app messages.
@main
struct NotificationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notifications", abstract: "MotCua notifications service")

    @Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    func run() async throws {
        try await ServiceMain.run(name: Topology.notifications, defaultPort: Topology.ports[Topology.notifications]!, knownServices: Topology.ports,
                                  port: self.port) { try await buildNotificationsApplication($0) }
    }
}
