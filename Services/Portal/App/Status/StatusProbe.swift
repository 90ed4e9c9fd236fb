import AsyncHTTPClient
import Contracts
import Foundation
import ServiceKit

/// Finds every service's instances (through the registry when there is one) and asks each whether it is ready.
struct StatusProbe: Sendable {
    let runtime: ServiceRuntime

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
        do {
            let response = try await self.runtime.http.execute(HTTPClientRequest(url: "\(registry)/v1/health/service/\(name)"), timeout: .seconds(2))
            let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
            let entries = try JSONDecoder().decode([Consul.ServiceEntry].self, from: Data(body.readableBytesView))
            return entries.map { entry in
                (ServiceInstance(id: entry.Service.ID, address: entry.Service.Address, port: entry.Service.Port),
                 entry.Checks.allSatisfy { $0.Status == "passing" })
            }
        } catch {
            return []
        }
    }

    private func ready(_ instance: ServiceInstance) async -> Bool? {
        guard let response = try? await self.runtime.http.execute(HTTPClientRequest(url: instance.baseURL + "/health/ready"), timeout: .seconds(1))
        else { return nil }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return response.status.code == 200
    }
}
