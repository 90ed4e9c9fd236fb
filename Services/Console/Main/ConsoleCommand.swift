import ArgumentParser
import ConsoleApp
import Contracts
import ServiceKit

/// `console`: the staff console, the single-window back office in the browser.
@main
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "MotCua staff console")

    @Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    func run() async throws {
        try await ServiceMain.run(name: Topology.console, defaultPort: Topology.ports[Topology.console]!, knownServices: Topology.ports,
                                  port: self.port) { try await buildConsoleApplication($0) }
    }
}
