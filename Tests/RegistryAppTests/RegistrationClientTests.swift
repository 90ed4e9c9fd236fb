import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RegistryApp
import ServiceKit
import ServiceLifecycle
import ServiceTesting
import Testing

/// ServiceKit's registration client and locator against the real registry on a real socket.
@Suite("Registration client against the registry")
struct RegistrationClientTests {
    func settings(registry port: Int, instance: String) -> ServiceSettings {
        var settings = ServiceSettings.testing(name: "single-window")
        settings.registryURL = "http://127.0.0.1:\(port)"
        settings.instanceID = instance
        // Two seconds, heartbeats every two thirds of one: room for a loaded 2-core machine (one second was seen missed).
        settings.checkTTLSeconds = 2
        settings.deregisterCriticalAfterSeconds = 4
        return settings
    }

    func passingIDs(_ locator: RegistryServiceLocator) async -> [String] {
        ((try? await locator.instances(of: "single-window")) ?? []).map(\.id).sorted()
    }

    @Test func registersHeartbeatsReregistersAndDeregisters() async throws {
        let registry = try buildRegistryApplication(.testing(name: "registry"))
        try await registry.test(.live) { client in
            let port = try #require(client.port)
            let service = RegistrationService(settings: self.settings(registry: port, instance: "sw-a"), port: { 18081 },
                                              http: ProcessHTTPClient.shared, logger: Logger(label: "test"))
            let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
            let running = Task { try await group.run() }
            let locator = RegistryServiceLocator(registryURL: "http://127.0.0.1:\(port)", http: ProcessHTTPClient.shared, token: nil, cacheSeconds: 0)

            #expect(try await eventually { await self.passingIDs(locator) == ["sw-a"] })
            let instance = try await locator.instances(of: "single-window")[0]
            #expect(instance.port == 18081)

            // Heartbeats keep it registered well past its two-second TTL and past the four seconds after which the registry
            // drops a critical check: without them it would be gone for good by now (re-registration rides on a heartbeat).
            // A heartbeat a loaded machine delays may leave it critical for a moment, so it is asked again for a while.
            try await Task.sleep(for: .milliseconds(6000))
            #expect(try await eventually(seconds: 4) { await self.passingIDs(locator) == ["sw-a"] })

            // The registry forgets it (as after a registry restart): the next heartbeat registers it again.
            _ = try await client.execute(uri: "/v1/agent/service/deregister/sw-a", method: .put)
            #expect(try await eventually { await self.passingIDs(locator) == ["sw-a"] })

            // Graceful shutdown deregisters at once, without waiting for the TTL.
            await group.triggerGracefulShutdown()
            try await running.value
            try await client.execute(uri: "/v1/agent/services", method: .get) { #expect($0.body.string == "{}") }
        }
    }

    @Test func anInstanceStartedBeforeTheRegistryRegistersOnceTheRegistryIsUp() async throws {
        let port = 28_577
        let service = RegistrationService(settings: self.settings(registry: port, instance: "sw-early"), port: { 18082 },
                                          http: ProcessHTTPClient.shared, logger: Logger(label: "test"))
        let group = ServiceGroup(configuration: .init(services: [service], logger: Logger(label: "test")))
        let running = Task { try await group.run() }
        // Nothing listens yet: the service keeps trying rather than failing its start.
        try await Task.sleep(for: .milliseconds(800))
        // The test harness binds port 0, so the registry runs here as the executable runs it, on the promised port.
        var registrySettings = ServiceSettings.testing(name: "registry")
        registrySettings.port = port
        let registry = ServiceGroup(configuration: .init(services: [try buildRegistryApplication(registrySettings)], logger: Logger(label: "test")))
        let registryRunning = Task { try await registry.run() }
        let locator = RegistryServiceLocator(registryURL: "http://127.0.0.1:\(port)", http: ProcessHTTPClient.shared, token: nil, cacheSeconds: 0)
        #expect(try await eventually { await self.passingIDs(locator) == ["sw-early"] })
        await group.triggerGracefulShutdown()
        try await running.value
        await registry.triggerGracefulShutdown()
        try await registryRunning.value
    }

    @Test func theLocatorRoundRobinsOverPassingInstances() async throws {
        let registry = try buildRegistryApplication(.testing(name: "registry"))
        try await registry.test(.live) { client in
            let port = try #require(client.port)
            for (id, servicePort) in [("sw-1", 9001), ("sw-2", 9002)] {
                _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration(id, port: servicePort))
                _ = try await client.execute(uri: "/v1/agent/check/pass/service:\(id)", method: .put)
            }
            let locator = RegistryServiceLocator(registryURL: "http://127.0.0.1:\(port)", http: ProcessHTTPClient.shared, token: nil)
            var firsts: [Int] = []
            for _ in 0..<4 { firsts.append(try await locator.instances(of: "single-window")[0].port) }
            #expect(firsts == [9001, 9002, 9001, 9002])
            await #expect(throws: DiscoveryError.self) { try await locator.instances(of: "nobody") }
        }
    }

    /// A service that is starting is not registered yet; the answer "none" is not kept, so a caller sees the
    /// instance as soon as it passes rather than a cache lifetime later (a token check at start-up would be refused).
    @Test func noInstanceIsNotKeptSoAnInstanceThatJustPassedIsFoundAtOnce() async throws {
        let registry = try buildRegistryApplication(.testing(name: "registry"))
        try await registry.test(.live) { client in
            let port = try #require(client.port)
            let locator = RegistryServiceLocator(registryURL: "http://127.0.0.1:\(port)", http: ProcessHTTPClient.shared, token: nil, cacheSeconds: 60)
            await #expect(throws: DiscoveryError.self) { try await locator.instances(of: "portal") }
            _ = try await client.execute(uri: "/v1/agent/service/register", method: .put, body: registration("portal-1", name: "portal", port: 9010))
            _ = try await client.execute(uri: "/v1/agent/check/pass/service:portal-1", method: .put)
            #expect(try await locator.instances(of: "portal").map(\.port) == [9010])
            // A found answer is kept: the instance gone from the registry is still offered until the lifetime ends.
            _ = try await client.execute(uri: "/v1/agent/service/deregister/portal-1", method: .put)
            #expect(try await locator.instances(of: "portal").map(\.port) == [9010])
        }
    }

    @Test func httpChecksFollowTheTarget() async throws {
        let registry = try buildRegistryApplication(.testing(name: "registry"))
        let target = Application(router: {
            let router = Router()
            router.get("/ok") { _, _ in "ok" }
            router.get("/busy") { _, _ -> Response in Response(status: .tooManyRequests) }
            return router
        }(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await target.test(.live) { targetClient in
            let targetPort = try #require(targetClient.port)
            try await registry.test(.live) { client in
                for (id, path) in [("ok-1", "ok"), ("busy-1", "busy"), ("gone-1", "missing")] {
                    let body: [String: Any] = ["ID": id, "Name": "probe", "Port": 1,
                                               "Check": ["HTTP": "http://127.0.0.1:\(targetPort)/\(path)", "Interval": "200ms"]]
                    _ = try await client.execute(uri: "/v1/agent/service/register", method: .put,
                                                 body: .init(bytes: try JSONSerialization.data(withJSONObject: body)))
                }
                #expect(try await eventually {
                    let all = (try? await client.execute(uri: "/v1/health/service/probe", method: .get) { entries($0.body) ?? [] }) ?? []
                    let status = Dictionary(uniqueKeysWithValues: all.map { ($0.Service.ID, $0.Checks.last!.Status) })
                    return status == ["ok-1": "passing", "busy-1": "warning", "gone-1": "critical"]
                })
            }
        }
    }
}
