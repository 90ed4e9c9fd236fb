import Foundation
import ServiceKit

/// What the portal's `/api/v1/status` answers: every service, its registered instances and their readiness.
public struct PlatformStatus: Codable, Sendable, Equatable {
    public var checkedAt: Date
    /// "registry" when instances came from the registry, "fixed" when from configured URLs.
    public var discovery: String
    public var services: [ServiceStatus]
    /// The latest start of each instance, announced by the services through their outboxes.
    public var recentStarts: [ServiceStarted]

    public init(checkedAt: Date, discovery: String, services: [ServiceStatus], recentStarts: [ServiceStarted] = []) {
        self.checkedAt = checkedAt
        self.discovery = discovery
        self.services = services
        self.recentStarts = recentStarts
    }


    public struct ServiceStatus: Codable, Sendable, Equatable {
        public var name: String
        public var instances: [InstanceStatus]
        /// Whether a call through the portal's service client reached a ready instance.
        public var reachable: Bool

        public init(name: String, instances: [InstanceStatus], reachable: Bool) {
            self.name = name
            self.instances = instances
            self.reachable = reachable
        }

        public var passingCount: Int { self.instances.filter(\.passing).count }
    }

    public struct InstanceStatus: Codable, Sendable, Equatable {
        public var id: String
        public var address: String
        public var port: Int
        /// The registry's view (all checks passing).
        public var passing: Bool
        /// The instance's own `/health/ready`, asked directly; nil when it did not answer.
        public var ready: Bool?

        public init(id: String, address: String, port: Int, passing: Bool, ready: Bool?) {
            self.id = id
            self.address = address
            self.port = port
            self.passing = passing
            self.ready = ready
        }
    }
}
