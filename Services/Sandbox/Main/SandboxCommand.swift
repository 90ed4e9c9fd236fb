import ArgumentParser
import Contracts
import SandboxApp
import ServiceKit

/// `sandbox`: simulated partners: bank gateway, SMS gateway, VNPost, national portal.
/// Its handlers only touch memory and answer, so its jobs run on the event loops (`ServiceMain.onEventLoops`): a
/// benchmark's SMS gateway costs a third less CPU per message that way, CPU the services under test need.
@main
enum SandboxMain {
    static func main() {
        ServiceMain.onEventLoops { await SandboxCommand.main() }
    }
}

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "MotCua sandbox service")

    @Option(help: "Port to listen on (overrides PORT).")
    var port: Int?

    func run() async throws {
        try await ServiceMain.run(name: Topology.sandbox, defaultPort: Topology.ports[Topology.sandbox]!, knownServices: Topology.ports,
                                  port: self.port, build: buildSandboxApplication)
    }
}
