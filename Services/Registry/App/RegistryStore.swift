import Foundation
import ServiceKit

/// The registry's state: services, their checks, and a raft-like index that grows with every change,
/// which blocking queries wait on. Kept in memory, as a Consul agent keeps its local services.
actor RegistryStore {
    struct CheckState: Sendable {
        var id: String
        var name: String
        var serviceID: String
        var serviceName: String
        var type: String
        var status: String
        var output: String
        var notes: String
        var ttl: Double?
        var http: String?
        var interval: Double?
        var timeout: Double
        var deregisterAfter: Double?
        var ttlDeadline: ContinuousClock.Instant?
        var criticalSince: ContinuousClock.Instant?
        var nextRun: ContinuousClock.Instant
    }

    struct ServiceState: Sendable {
        var service: Consul.AgentService
        var checkIDs: [String]
    }

    /// A registration that cannot be accepted, in Consul's words.
    struct Invalid: Error {
        let message: String
    }

    let node = Consul.Node(ID: "3f1c7a3e-0b51-4c1e-9a2f-6d2d1f0a7b10", Node: "motcua-registry", Address: "127.0.0.1", Datacenter: "dc1",
                           TaggedAddresses: [:], Meta: [:])
    private(set) var index: UInt64 = 1
    private var services: [String: ServiceState] = [:]
    private var checks: [String: CheckState] = [:]
    /// Blocking queries waiting for a change, each with the timer that ends its wait.
    private var waiters: [UUID: (continuation: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)] = [:]

    // MARK: Changes

    func register(_ registration: Consul.ServiceRegistration) throws(Invalid) {
        let name = (registration.Name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw Invalid(message: "Missing service name") }
        let id = (registration.ID?.isEmpty == false ? registration.ID! : name)
        if let port = registration.Port, !(0...65535).contains(port) { throw Invalid(message: "Invalid service port \(port)") }
        // Bounded, so that one request cannot fill the registry's memory.
        guard name.utf8.count <= 256, id.utf8.count <= 256, (registration.Tags ?? []).count <= 64, (registration.Meta ?? [:]).count <= 64 else {
            throw Invalid(message: "Invalid service: name and ID up to 256 bytes, at most 64 tags and 64 meta keys")
        }
        let definitions = (registration.Check.map { [$0] } ?? []) + (registration.Checks ?? [])
        var newChecks: [CheckState] = []
        for (offset, definition) in definitions.enumerated() {
            newChecks.append(try self.makeCheck(definition, serviceID: id, serviceName: name, ordinal: definitions.count > 1 ? offset + 1 : nil))
        }
        // Re-registering replaces the service and its checks, as the Consul agent does.
        if let old = self.services[id] {
            for checkID in old.checkIDs { self.checks[checkID] = nil }
        }
        self.services[id] = ServiceState(
            service: Consul.AgentService(ID: id, Service: name, Tags: registration.Tags ?? [], Meta: registration.Meta ?? [:],
                                         Port: registration.Port ?? 0, Address: registration.Address ?? "",
                                         Weights: .init(Passing: 1, Warning: 1), EnableTagOverride: false, Datacenter: "dc1"),
            checkIDs: newChecks.map(\.id)
        )
        for check in newChecks { self.checks[check.id] = check }
        self.changed()
    }

    private func makeCheck(_ definition: Consul.CheckDefinition, serviceID: String, serviceName: String, ordinal: Int?) throws(Invalid) -> CheckState {
        func duration(_ text: String?, _ field: String) throws(Invalid) -> Double? {
            guard let text, !text.isEmpty else { return nil }
            guard let value = Consul.parseDuration(text) else {
                throw Invalid(message: "Request decode failed: \(field): time: invalid duration \"\(text)\"")
            }
            return value
        }
        let ttl = try duration(definition.TTL, "TTL")
        let interval = try duration(definition.Interval, "Interval")
        let timeout = try duration(definition.Timeout, "Timeout") ?? 10
        let deregister = try duration(definition.DeregisterCriticalServiceAfter, "DeregisterCriticalServiceAfter")
        let type: String
        if let ttl {
            guard ttl > 0 else { throw Invalid(message: "Invalid check: TTL must be > 0 for TTL checks") }
            type = "ttl"
        } else if let http = definition.HTTP, !http.isEmpty {
            guard let interval, interval > 0 else { throw Invalid(message: "Invalid check: Interval must be > 0 for HTTP checks") }
            guard URL(string: http)?.scheme?.hasPrefix("http") == true else { throw Invalid(message: "Invalid check: HTTP must be an http(s) URL") }
            type = "http"
        } else {
            throw Invalid(message: "Invalid check: TTL or HTTP+Interval must be specified")
        }
        let status = definition.Status ?? "critical"
        guard ["passing", "warning", "critical"].contains(status) else { throw Invalid(message: "Invalid check status: \"\(status)\"") }
        let now = ContinuousClock.now
        let id = definition.CheckID ?? (ordinal.map { "service:\(serviceID):\($0)" } ?? "service:\(serviceID)")
        return CheckState(
            id: id, name: definition.Name ?? "Service '\(serviceName)' check", serviceID: serviceID, serviceName: serviceName,
            type: type, status: status, output: "", notes: definition.Notes ?? "", ttl: ttl, http: definition.HTTP, interval: interval,
            timeout: timeout, deregisterAfter: deregister,
            ttlDeadline: ttl.map { now + .milliseconds(Int($0 * 1000)) }, criticalSince: status == "critical" ? now : nil, nextRun: now
        )
    }

    func serviceName(of id: String) -> String? { self.services[id]?.service.Service }

    func serviceName(ofCheck id: String) -> String? { self.checks[id]?.serviceName }

    /// False when the service id is unknown.
    func deregister(_ id: String) -> Bool {
        guard let state = self.services.removeValue(forKey: id) else { return false }
        for checkID in state.checkIDs { self.checks[checkID] = nil }
        self.changed()
        return true
    }

    /// Sets a check's status (TTL pass/warn/fail, or an HTTP probe's result). False when the check is unknown.
    func update(check id: String, status: String, output: String) -> Bool {
        guard var check = self.checks[id] else { return false }
        let now = ContinuousClock.now
        if let ttl = check.ttl { check.ttlDeadline = now + .milliseconds(Int(ttl * 1000)) }
        let statusChanged = check.status != status
        check.status = status
        check.output = output
        check.criticalSince = status == "critical" ? (statusChanged ? now : check.criticalSince) : nil
        self.checks[id] = check
        // Only a change of status is news to blocking queries; a TTL refresh that keeps "passing" is not.
        if statusChanged { self.changed() }
        return true
    }

    /// Marks expired TTL checks critical and reaps services critical for longer than they asked.
    func tick(now: ContinuousClock.Instant = .now) {
        var changed = false
        for (id, check) in self.checks where check.type == "ttl" && check.status != "critical" {
            if let deadline = check.ttlDeadline, now > deadline {
                self.checks[id]!.status = "critical"
                self.checks[id]!.output = "TTL expired"
                self.checks[id]!.criticalSince = now
                changed = true
            }
        }
        for check in self.checks.values {
            guard check.status == "critical", let after = check.deregisterAfter, let since = check.criticalSince,
                  now - since >= .milliseconds(Int(after * 1000)), let state = self.services[check.serviceID]
            else { continue }
            self.services[check.serviceID] = nil
            for checkID in state.checkIDs { self.checks[checkID] = nil }
            changed = true
        }
        if changed { self.changed() }
    }

    private func changed() {
        self.index += 1
        for waiter in self.waiters.values {
            waiter.timer.cancel()
            waiter.continuation.resume()
        }
        self.waiters = [:]
    }

    // MARK: Queries

    /// HTTP checks due to run now; their next run is scheduled as they are handed out.
    func dueHTTPChecks(now: ContinuousClock.Instant = .now) -> [(id: String, url: String, timeout: Double)] {
        var due: [(String, String, Double)] = []
        for (id, check) in self.checks where check.type == "http" && check.nextRun <= now {
            self.checks[id]!.nextRun = now + .milliseconds(Int((check.interval ?? 10) * 1000))
            due.append((id, check.http ?? "", check.timeout))
        }
        return due
    }

    func healthEntries(service name: String, passingOnly: Bool, tag: String?) -> [Consul.ServiceEntry] {
        let serf = Consul.HealthCheck(Node: self.node.Node, CheckID: "serfHealth", Name: "Serf Health Status", Status: "passing",
                                      Notes: "", Output: "Agent alive and reachable", ServiceID: "", ServiceName: "", ServiceTags: [], Type: "")
        return self.services.values
            .filter { $0.service.Service == name && (tag == nil || $0.service.Tags.contains(tag!)) }
            .sorted { $0.service.ID < $1.service.ID }
            .compactMap { state in
                let checks = state.checkIDs.compactMap { self.checks[$0] }.map { check in
                    Consul.HealthCheck(Node: self.node.Node, CheckID: check.id, Name: check.name, Status: check.status, Notes: check.notes,
                                       Output: check.output, ServiceID: check.serviceID, ServiceName: check.serviceName,
                                       ServiceTags: state.service.Tags, Type: check.type)
                }
                if passingOnly && checks.contains(where: { $0.Status != "passing" }) { return nil }
                return Consul.ServiceEntry(Node: self.node, Service: state.service, Checks: [serf] + checks)
            }
    }

    func agentServices() -> [String: Consul.AgentService] {
        self.services.mapValues(\.service)
    }

    func agentChecks() -> [String: Consul.HealthCheck] {
        self.checks.mapValues { check in
            Consul.HealthCheck(Node: self.node.Node, CheckID: check.id, Name: check.name, Status: check.status, Notes: check.notes,
                               Output: check.output, ServiceID: check.serviceID, ServiceName: check.serviceName,
                               ServiceTags: self.services[check.serviceID]?.service.Tags ?? [], Type: check.type)
        }
    }

    func catalogServices() -> [String: [String]] {
        var result: [String: Set<String>] = [:]
        for state in self.services.values {
            result[state.service.Service, default: []].formUnion(state.service.Tags)
        }
        return result.mapValues { $0.sorted() }
    }

    /// Returns when the index passes `index`, or after `timeout`: Consul's blocking query.
    func waitForChange(after index: UInt64, timeout: Duration) async {
        guard self.index <= index else { return }
        let id = UUID()
        await withCheckedContinuation { continuation in
            let timer = Task {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
            self.waiters[id] = (continuation, timer)
        }
    }

    private func expire(_ id: UUID) {
        self.waiters.removeValue(forKey: id)?.continuation.resume()
    }
}
