import Foundation

/// Everything a service reads from its environment, with defaults that work on a laptop.
public struct ServiceSettings: Sendable {
    /// The service's registry name: "single-window", "portal", ...
    public var name: String
    public var host: String
    /// 0 asks the operating system for a free port (tests).
    public var port: Int
    /// The address other processes use to reach this instance.
    public var advertiseAddress: String
    public var instanceID: String
    public var database: DatabaseLocation
    /// Files the service keeps beside its database: keys, uploads.
    public var dataDirectory: String
    /// Consul-compatible registry; nil falls back to fixed URLs.
    public var registryURL: String?
    /// The registry ACL token this service sends (`REGISTRY_TOKEN`, or Consul's own `CONSUL_HTTP_TOKEN`): it may
    /// register this service's name and read the others. Required in production when there is a registry.
    public var registryToken: String?
    /// `<NAME>_URL` fallbacks for each known service when there is no registry.
    public var fixedServiceURLs: [String: String]
    public var checkTTLSeconds: Int
    public var deregisterCriticalAfterSeconds: Int
    /// Shared secret for service-to-service tokens (HS256).
    public var serviceTokenSecret: String
    /// Where to fetch the portal's public keys; nil means "the portal, found through discovery".
    public var jwksURL: String?
    public var production: Bool
    public var logLevel: String
    /// Extra variables a service reads itself through `value(_:)`.
    public var environment: [String: String]

    /// `TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` names the caller (none by default).
    public var trustedProxies: TrustedProxies { TrustedProxies(self.environment["TRUSTED_PROXIES"] ?? "") }

    public enum DatabaseLocation: Sendable, Equatable {
        case sqliteFile(String)
        /// A throwaway SQLite file for tests, removed when the database is shut down.
        case sqliteTemporary
        case postgres(String)
        /// A fresh database created on this PostgreSQL server for one test (the test script's cluster is thrown away).
        case postgresTemporary(String)
    }

    /// Reads the environment. In production (`MOTCUA_ENV=production`) a missing required setting is an error
    /// whose description is one line naming it.
    public static func fromEnvironment(
        name: String,
        defaultPort: Int,
        knownServices: [String: Int],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> ServiceSettings {
        let production = environment["MOTCUA_ENV"] == "production"
        func required(_ key: String, localDefault: String) throws(ConfigurationError) -> String {
            if let value = environment[key], !value.isEmpty { return value }
            if production { throw ConfigurationError.missing(key) }
            return localDefault
        }
        func integer(_ key: String, _ fallback: Int) throws(ConfigurationError) -> Int {
            guard let text = environment[key], !text.isEmpty else { return fallback }
            guard let value = Int(text), value >= 0 else { throw ConfigurationError.invalid(key, text, "a whole number") }
            return value
        }
        let host = environment["HOST"] ?? (production ? "0.0.0.0" : "127.0.0.1")
        let port = try integer("PORT", defaultPort)
        let dataDirectory = environment["DATA_DIR"] ?? "./.data"
        let databaseURL = try required("DATABASE_URL", localDefault: "")
        let database: DatabaseLocation
        if databaseURL.isEmpty {
            database = .sqliteFile("\(dataDirectory)/\(name).sqlite")
        } else if databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") {
            database = .postgres(databaseURL)
        } else if databaseURL.hasPrefix("sqlite://") {
            database = .sqliteFile(String(databaseURL.dropFirst("sqlite://".count)))
        } else {
            throw ConfigurationError.invalid("DATABASE_URL", databaseURL, "postgres://user:password@host:5432/database")
        }
        var fixed: [String: String] = [:]
        for (service, servicePort) in knownServices {
            let key = service.uppercased().replacingOccurrences(of: "-", with: "_") + "_URL"
            fixed[service] = environment[key] ?? "http://127.0.0.1:\(servicePort)"
        }
        let registryURL = environment["REGISTRY_URL"].flatMap { $0.isEmpty ? nil : $0 }
        var registryToken: String?
        for key in ["REGISTRY_TOKEN", "CONSUL_HTTP_TOKEN"] where registryToken == nil {
            if let value = environment[key], !value.isEmpty {
                try Secrets.check(key, value, production: production)
                registryToken = value
            }
        }
        if production, registryURL != nil, registryToken == nil { throw ConfigurationError.missing("REGISTRY_TOKEN") }
        // Bound to every interface (a container), the host name is how the others reach this instance.
        let advertise = environment["ADVERTISE_ADDRESS"] ?? (host == "0.0.0.0" ? ProcessInfo.processInfo.hostName : host)
        return ServiceSettings(
            name: name,
            host: host,
            port: port,
            advertiseAddress: advertise,
            instanceID: environment["INSTANCE_ID"] ?? "\(name)-\(advertise)-\(port)",
            database: database,
            dataDirectory: dataDirectory,
            registryURL: registryURL,
            registryToken: registryToken,
            fixedServiceURLs: fixed,
            checkTTLSeconds: try integer("CHECK_TTL_SECONDS", 10),
            deregisterCriticalAfterSeconds: try integer("DEREGISTER_CRITICAL_AFTER_SECONDS", 60),
            serviceTokenSecret: try secret("SERVICE_TOKEN_SECRET", environment: environment, production: production, dataDirectory: dataDirectory,
                                           generateLocally: true, requiredInProduction: true)!,
            jwksURL: environment["JWKS_URL"],
            production: production,
            logLevel: environment["LOG_LEVEL"] ?? "info",
            environment: environment
        )
    }

    /// Settings for an in-process test: port 0, a throwaway SQLite database, no registry.
    /// Settings for a test: a temporary directory and database, port 0, and `STAFF_CHECKS=off` unless the test says
    /// otherwise (single-window asks the portal who is on an agency's staff; most tests run it without one).
    public static func testing(name: String, environment: [String: String] = [:]) -> ServiceSettings {
        let environment = ["STAFF_CHECKS": "off"].merging(environment) { $1 }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-test-\(UUID().uuidString)").path
        return ServiceSettings(
            name: name, host: "127.0.0.1", port: 0, advertiseAddress: "127.0.0.1", instanceID: "\(name)-test",
            database: ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"].map { .postgresTemporary($0) } ?? .sqliteTemporary,
            dataDirectory: directory, registryURL: nil, registryToken: nil, fixedServiceURLs: [:], checkTTLSeconds: 10,
            deregisterCriticalAfterSeconds: 60, serviceTokenSecret: "test-service-secret", jwksURL: nil, production: false,
            logLevel: "error", environment: environment
        )
    }

    /// A whole number the service reads itself, within `range`, with its default.
    public func integer(_ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let text = try self.value(key, default: String(fallback))
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError.invalid(key, text, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A number of seconds above 0 (fractions allowed) the service reads itself, with its default.
    public func seconds(_ key: String, default fallback: Double) throws(ConfigurationError) -> Double {
        let text = try self.value(key, default: String(fallback))
        guard let value = Double(text), value > 0, value.isFinite else { throw ConfigurationError.invalid(key, text, "a number of seconds above 0") }
        return value
    }

    /// A variable the service reads itself, with its local default; required in production when `required` is set.
    public func value(_ key: String, default fallback: String, requiredInProduction: Bool = false) throws(ConfigurationError) -> String {
        if let value = self.environment[key], !value.isEmpty { return value }
        if self.production && requiredInProduction { throw ConfigurationError.missing(key) }
        return fallback
    }
}

/// A start-up failure caused by the environment; its description is the one line an operator needs.
public enum ConfigurationError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case invalid(String, String, String)
    /// A secret an attacker could guess: the setting and why.
    case weakSecret(String, String)

    public var description: String {
        switch self {
        case .missing(let key):
            "configuration error: \(key) is required when MOTCUA_ENV=production"
        case .invalid(let key, let value, let expected):
            "configuration error: \(key)='\(value)' is not valid; expected \(expected)"
        case .weakSecret(let key, let reason):
            "configuration error: \(key) is not a secret: \(reason); set a random value of at least \(Secrets.minimumLength) characters "
                + "(openssl rand -hex 32)"
        }
    }
}
