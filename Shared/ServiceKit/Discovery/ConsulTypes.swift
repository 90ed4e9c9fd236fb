/// The JSON shapes of HashiCorp Consul's agent and health APIs that MotCua uses, key for key,
/// so the registry and a real Consul are interchangeable.
public enum Consul {
    /// `PUT /v1/agent/service/register` body.
    public struct ServiceRegistration: Codable, Sendable, Equatable {
        public var ID: String?
        /// Optional in the type so that a missing name gets Consul's own message rather than a decoding error.
        public var Name: String?
        public var Tags: [String]?
        public var Address: String?
        public var Port: Int?
        public var Meta: [String: String]?
        public var Check: CheckDefinition?
        public var Checks: [CheckDefinition]?

        public init(ID: String?, Name: String?, Tags: [String]? = nil, Address: String?, Port: Int?, Meta: [String: String]? = nil,
                    Check: CheckDefinition? = nil, Checks: [CheckDefinition]? = nil) {
            self.ID = ID
            self.Name = Name
            self.Tags = Tags
            self.Address = Address
            self.Port = Port
            self.Meta = Meta
            self.Check = Check
            self.Checks = Checks
        }
    }

    /// A check as given at registration: a TTL the service must refresh, or an HTTP URL the agent polls.
    public struct CheckDefinition: Codable, Sendable, Equatable {
        public var CheckID: String?
        public var Name: String?
        public var TTL: String?
        public var HTTP: String?
        public var Interval: String?
        public var Timeout: String?
        public var DeregisterCriticalServiceAfter: String?
        public var Status: String?
        public var Notes: String?

        public init(CheckID: String? = nil, Name: String? = nil, TTL: String? = nil, HTTP: String? = nil, Interval: String? = nil,
                    Timeout: String? = nil, DeregisterCriticalServiceAfter: String? = nil, Status: String? = nil, Notes: String? = nil) {
            self.CheckID = CheckID
            self.Name = Name
            self.TTL = TTL
            self.HTTP = HTTP
            self.Interval = Interval
            self.Timeout = Timeout
            self.DeregisterCriticalServiceAfter = DeregisterCriticalServiceAfter
            self.Status = Status
            self.Notes = Notes
        }
    }

    /// A service as `/v1/agent/services` and the health endpoint show it.
    public struct AgentService: Codable, Sendable, Equatable {
        public var ID: String
        public var Service: String
        public var Tags: [String]
        public var Meta: [String: String]
        public var Port: Int
        public var Address: String
        public var Weights: Weights
        public var EnableTagOverride: Bool
        public var Datacenter: String

        public init(ID: String, Service: String, Tags: [String], Meta: [String: String], Port: Int, Address: String, Weights: Weights, EnableTagOverride: Bool, Datacenter: String) {
            self.ID = ID
            self.Service = Service
            self.Tags = Tags
            self.Meta = Meta
            self.Port = Port
            self.Address = Address
            self.Weights = Weights
            self.EnableTagOverride = EnableTagOverride
            self.Datacenter = Datacenter
        }

        public struct Weights: Codable, Sendable, Equatable {
            public var Passing: Int
            public var Warning: Int

            public init(Passing: Int, Warning: Int) {
                self.Passing = Passing
                self.Warning = Warning
            }
        }
    }

    public struct Node: Codable, Sendable, Equatable {
        public var ID: String
        public var Node: String
        public var Address: String
        public var Datacenter: String
        public var TaggedAddresses: [String: String]
        public var Meta: [String: String]

        public init(ID: String, Node: String, Address: String, Datacenter: String, TaggedAddresses: [String: String], Meta: [String: String]) {
            self.ID = ID
            self.Node = Node
            self.Address = Address
            self.Datacenter = Datacenter
            self.TaggedAddresses = TaggedAddresses
            self.Meta = Meta
        }
    }

    /// A check's current state as the health endpoint reports it.
    public struct HealthCheck: Codable, Sendable, Equatable {
        public var Node: String
        public var CheckID: String
        public var Name: String
        public var Status: String
        public var Notes: String
        public var Output: String
        public var ServiceID: String
        public var ServiceName: String
        public var ServiceTags: [String]
        public var `Type`: String

        public init(Node: String, CheckID: String, Name: String, Status: String, Notes: String, Output: String, ServiceID: String, ServiceName: String, ServiceTags: [String], `Type`: String) {
            self.Node = Node
            self.CheckID = CheckID
            self.Name = Name
            self.Status = Status
            self.Notes = Notes
            self.Output = Output
            self.ServiceID = ServiceID
            self.ServiceName = ServiceName
            self.ServiceTags = ServiceTags
            self.Type = `Type`
        }
    }

    /// One element of `GET /v1/health/service/:name`.
    public struct ServiceEntry: Codable, Sendable, Equatable {
        public var Node: Node
        public var Service: AgentService
        public var Checks: [HealthCheck]

        public init(Node: Node, Service: AgentService, Checks: [HealthCheck]) {
            self.Node = Node
            self.Service = Service
            self.Checks = Checks
        }
    }

    /// The longest duration Go (and so Consul) can hold: 2^63-1 nanoseconds, about 292 years.
    public static let maximumDurationSeconds = 9_223_372_036.854_775

    /// Parses Consul durations: "10s", "1m", "500ms", "1m30s", "1h". Nil for what Go's `time.ParseDuration` refuses,
    /// including a duration longer than it can hold, so that no caller converts an unbounded number.
    public static func parseDuration(_ text: String) -> Double? {
        guard text.utf8.count <= 64, let seconds = self.parseUnbounded(text), seconds.isFinite, seconds <= self.maximumDurationSeconds else { return nil }
        return seconds
    }

    private static func parseUnbounded(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var unit = ""
        var sawAny = false
        func flush() -> Bool {
            guard let value = Double(number) else { return false }
            let factor: Double
            switch unit {
            case "ns": factor = 1e-9
            case "us", "µs": factor = 1e-6
            case "ms": factor = 1e-3
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3600
            default: return false
            }
            total += value * factor
            number = ""
            unit = ""
            sawAny = true
            return true
        }
        for character in text {
            if character.isNumber || character == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(character)
            } else {
                guard !number.isEmpty else { return nil }
                unit.append(character)
            }
        }
        if !number.isEmpty || !unit.isEmpty { guard flush() else { return nil } }
        return sawAny ? total : nil
    }
}
