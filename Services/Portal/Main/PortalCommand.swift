import ArgumentParser
import Contracts
import DomainKit
import Foundation
import PortalApp
import ServiceKit

/// `portal`: serves the portal (default), or prints an access token for operators and scripts.
@main
struct PortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal", abstract: "MotCua portal", subcommands: [Serve.self, Token.self], defaultSubcommand: Serve.self
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the portal")

        @Option(help: "Port to listen on (overrides PORT).")
        var port: Int?

        func run() async throws {
            try await ServiceMain.run(name: Topology.portal, defaultPort: Topology.ports[Topology.portal]!, knownServices: Topology.ports,
                                      port: self.port) { try await buildPortalApplication($0) }
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a signed access token (uses the portal's key in DATA_DIR)")

        @Option(help: "The token's subject (an account id or a name).")
        var subject: String

        @Option(help: "A role: citizen, officer, leader, editor, admin. Repeat for several.")
        var role: [String]

        @Option(help: "Agency code, for officers, leaders and editors.")
        var agency: String?

        @Option(help: "Lifetime in minutes (at most 720: services refuse tokens issued for longer than TOKEN_MAX_LIFETIME_SECONDS, 12 hours).")
        var minutes: Int = 60

        func validate() throws {
            guard (1...Int(TokenVerifier.defaultMaximumLifetime / 60)).contains(self.minutes) else {
                throw ValidationError("--minutes must be from 1 to \(Int(TokenVerifier.defaultMaximumLifetime / 60)); services refuse longer-lived tokens")
            }
            if self.role.contains(Role.service.rawValue) { throw ValidationError("a person's token cannot carry the service role") }
            for role in self.role where Role(rawValue: role) == nil {
                throw ValidationError("unknown role '\(role)'; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let settings = try ServiceSettings.fromEnvironment(name: Topology.portal, defaultPort: 8080, knownServices: Topology.ports)
            let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
            let identity = Identity(subject: self.subject, roles: self.role.compactMap(Role.init(rawValue:)), agency: self.agency)
            print(try await issuer.token(for: identity, lifetime: TimeInterval(self.minutes * 60)))
        }
    }
}
