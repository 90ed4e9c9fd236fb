import NIOCore
import AsyncHTTPClient
import Contracts
import Foundation
import NIOHTTP1
import ServiceKit

/// Finds every service's instances (through the registry when there is one) and asks each whether it is ready.
struct StatusProbe: Sendable {
    let runtime: ServiceRuntime
    /// How long an instance has to say it is ready before the page shows it as not answering
    /// (`STATUS_PROBE_SECONDS`, 1 by default).
    let timeout: TimeAmount

    func check(requestID: String) async -> PlatformStatus {
        let discovery = self.runtime.settings.registryURL == nil ? "fixed" : "registry"
        let services = await withTaskGroup(of: PlatformStatus.ServiceStatus.self) { group in
            for name in Topology.registered {
                group.addTask { await self.status(of: name, requestID: requestID) }
            }
            var results: [PlatformStatus.ServiceStatus] = []
            for await result in group { results.append(result) }
            return results.sorted { Topology.registered.firstIndex(of: $0.name)! < Topology.registered.firstIndex(of: $1.name)! }
        }
        return PlatformStatus(checkedAt: Date(), discovery: discovery, services: services)
    }

    private func status(of name: String, requestID: String) async -> PlatformStatus.ServiceStatus {
        let listed = await self.instances(of: name)
        var instances: [PlatformStatus.InstanceStatus] = []
        for (instance, passing) in listed {
            instances.append(.init(id: instance.id, address: instance.address, port: instance.port, passing: passing,
                                   ready: await self.ready(instance)))
        }
        // The same path every service-to-service call takes: discovery, round-robin, retry on another instance.
        let reachable = (try? await self.runtime.client.send(.GET, service: name, path: "/health/ready", requestID: requestID).status) == 200
        return .init(name: name, instances: instances, reachable: reachable)
    }

    /// Every registered instance with its registry status, or the fixed URL when there is no registry.
    private func instances(of name: String) async -> [(ServiceInstance, Bool)] {
        guard let registry = self.runtime.settings.registryURL else {
            return ((try? await self.runtime.locator.instances(of: name)) ?? []).map { ($0, true) }
        }
        let entries = (try? await ConsulHealthClient(registryURL: registry, http: self.runtime.http, token: self.runtime.settings.registryToken).entries(of: name, passingOnly: false)) ?? []
        return entries.map { ($0.instance, $0.Checks.allSatisfy { $0.Status == "passing" }) }
    }

    private func ready(_ instance: ServiceInstance) async -> Bool? {
        guard let response = try? await self.runtime.http.execute(HTTPClientRequest(url: instance.publicBaseURL + "/health/ready"), timeout: self.timeout)
        else { return nil }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return response.status.code == 200
    }
}
