import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
@testable import ServiceKit
import SQLKit
import Testing

/// A downstream service on a real socket that reports the request id and caller it saw.
func downstream() -> some ApplicationProtocol {
    let router = Router(context: ServiceRequestContext.self)
    router.add(middleware: RequestMiddleware(accessLog: false))
    router.get("/whoami") { request, context -> String in
        "\(context.requestID) \(request.headers[.authorization]?.hasPrefix("Bearer ") == true)"
    }
    router.post("/count") { _, _ -> String in "counted" }
    return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
}

@Suite("Calls between services")
struct ServiceClientTests {
    func client(_ urls: [String]) async -> ServiceClient {
        struct Listed: ServiceLocator {
            let instances: [ServiceInstance]
            func instances(of service: String) async throws -> [ServiceInstance] { self.instances }
            func reportFailure(of instance: ServiceInstance, service: String) async {}
        }
        let instances = urls.enumerated().map { offset, url in
            let components = URLComponents(string: url)!
            return ServiceInstance(id: "i\(offset)", address: components.host!, port: components.port!)
        }
        return ServiceClient(http: ProcessHTTPClient.shared, locator: Listed(instances: instances),
                             verifier: await TokenVerifier(serviceSecret: "s", fetchJWKS: nil), callerName: "tests")
    }

    @Test func theRequestIDAndAServiceTokenTravelWithTheCall() async throws {
        try await downstream().test(.live) { live in
            let client = await self.client(["http://127.0.0.1:\(live.port!)"])
            let response = try await client.send(.GET, service: "down", path: "/whoami", requestID: "trace-42")
            #expect(String(decoding: response.body, as: UTF8.self) == "trace-42 true")
        }
    }

    @Test func anIdempotentCallMovesOnFromADeadInstance() async throws {
        try await downstream().test(.live) { live in
            // The first instance listed is dead (nothing listens on port 9).
            let client = await self.client(["http://127.0.0.1:9", "http://127.0.0.1:\(live.port!)"])
            let response = try await client.send(.GET, service: "down", path: "/whoami", requestID: "r")
            // Answered by the live instance: a refused connection is not waited out (the call's timeout is 10 s).
            #expect(response.status == 200)
            // A POST is not repeated on another instance: it may have taken effect before the connection broke.
            await #expect(throws: (any Error).self) {
                try await client.send(.POST, service: "down", path: "/count", requestID: "r")
            }
            #expect(try await client.send(.POST, service: "down", path: "/count", requestID: "r", idempotent: true).status == 200)
        }
    }

    @Test func problemsFromAnotherServiceArePassedOn() async throws {
        try await downstream().test(.live) { live in
            let client = await self.client(["http://127.0.0.1:\(live.port!)"])
            let response = try await client.send(.GET, service: "down", path: "/missing", requestID: "r")
            #expect(response.status == 404)
            #expect(throws: Problem.self) { try response.decode(String.self) }
        }
    }

    @Test func aRefusalKeepsItsRetryAfterSoTheCallerCanSayHowLongToWait() throws {
        let body = Data(#"{"type":"about:blank","title":"Too Many Requests","status":429,"detail":"Slow down."}"#.utf8)
        let limited = ServiceResponse(status: 429, headers: [("retry-after", "17")], body: body).problem
        #expect(limited.statusCode == 429 && limited.detail == "Slow down." && limited.extraHeaders["Retry-After"] == "17")
        // A body that is not a problem still keeps the header; an answer without one adds none.
        #expect(ServiceResponse(status: 503, headers: [("Retry-After", "30")], body: Data("down".utf8)).problem.extraHeaders == ["Retry-After": "30"])
        #expect(ServiceResponse(status: 404, headers: [], body: body).problem.extraHeaders.isEmpty)
    }

    @Test func aRotatedPortalKeyIsFetchedWhenATokenNamesIt() async throws {
        let old = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let new = try await TokenIssuer.loadOrCreate(settings: .testing(name: "portal"))
        let current = Current(old.jwks)
        let verifier = await TokenVerifier(serviceSecret: "s") { await current.value }
        #expect(try await verifier.verify(try await old.token(for: Identity(subject: "a", roles: [.citizen]))).subject == "a")
        await current.set(new.jwks)
        #expect(try await verifier.verify(try await new.token(for: Identity(subject: "b", roles: [.citizen]))).subject == "b")
    }
}

actor Current {
    var value: JWKSDocument
    init(_ value: JWKSDocument) { self.value = value }
    func set(_ value: JWKSDocument) { self.value = value }
}

@Suite("Outbox replicas")
struct OutboxReplicaTests {
    actor Deliveries {
        var count = 0
        func add() { self.count += 1 }
    }

    @Test func twoDispatchersOnOneOutboxNeverSendARowTwice() async throws {
        let deliveries = Deliveries()
        let (subscriber, _) = try await EchoService.build(settings: .testing(name: "subscriber"), handlers: [
            "note.created": { _, _ in await deliveries.add() },
        ])
        try await subscriber.test(.live) { live in
            let locator = FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:\(live.port!)"])
            let (sender, runtime) = try await EchoService.build(locator: locator, dispatcher: nil)
            try await sender.test(.router) { client in
                for index in 0..<30 {
                    _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"n\(index)\"}"))
                }
                var policy = OutboxDispatcher.Policy()
                policy.batchSize = 4
                let first = OutboxDispatcher(database: runtime.database, client: runtime.client, policy: policy, logger: Logger(label: "a"))
                let second = OutboxDispatcher(database: runtime.database, client: runtime.client, policy: policy, logger: Logger(label: "b"))
                async let a: Void = Self.drain(first)
                async let b: Void = Self.drain(second)
                _ = try await (a, b)
                #expect(await deliveries.count == 30)
                #expect(try await count("outbox", in: runtime.database, where: "status", is: "delivered") == 30)
            }
        }
    }

    @Test func concurrentClaimsAreDisjoint() async throws {
        let (sender, runtime) = try await EchoService.build(locator: FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:9"]), dispatcher: nil)
        try await sender.test(.router) { client in
            for index in 0..<8 {
                _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"n\(index)\"}"))
            }
            var policy = OutboxDispatcher.Policy()
            policy.batchSize = 4
            let first = OutboxDispatcher(database: runtime.database, client: runtime.client, policy: policy, logger: Logger(label: "a"))
            let second = OutboxDispatcher(database: runtime.database, client: runtime.client, policy: policy, logger: Logger(label: "b"))
            async let a = first.dispatchDue()
            async let b = second.dispatchDue()
            let claimed = try await a + b
            // Eight claims in all, and every row was tried: so no row was claimed by both.
            #expect(claimed == 8)
            struct Row: Decodable { let attempts: Int }
            let attempts = try await runtime.database.read { try await $0.select().column("attempts").from("outbox").all(decoding: Row.self) }
            #expect(attempts.map(\.attempts) == Array(repeating: 1, count: 8))
        }
    }

    /// Delivered rows go after the retention; rows still to be sent, and dead ones an operator may re-drive, stay.
    @Test func theSweepRemovesOnlyDeliveredRowsPastTheRetention() async throws {
        let (subscriber, _) = try await EchoService.build(settings: .testing(name: "subscriber"), handlers: ["note.created": { _, _ in }])
        try await subscriber.test(.live) { live in
            let locator = FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:\(live.port!)"])
            let (sender, runtime) = try await EchoService.build(locator: locator, dispatcher: nil)
            try await sender.test(.router) { client in
                #expect(runtime.outboxPolicy.retention == 7 * 86_400, "a week by default")
                for index in 0..<3 { _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"n\(index)\"}")) }
                let dispatcher = OutboxDispatcher(database: runtime.database, client: runtime.client, policy: runtime.outboxPolicy,
                                                  logger: Logger(label: "sweep"))
                try await Self.drain(dispatcher)
                // One still to send, one dead.
                for index in 3..<5 { _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"n\(index)\"}")) }
                try await runtime.database.transaction { db in
                    try await db.raw("UPDATE outbox SET status = 'dead' WHERE id = (SELECT MAX(id) FROM outbox WHERE status = 'pending')").run()
                }
                #expect(try await count("outbox", in: runtime.database, where: "status", is: "delivered") == 3)

                #expect(try await dispatcher.sweepDelivered(now: Date().addingTimeInterval(6 * 86_400)) == 0, "younger than a week: kept")
                #expect(try await dispatcher.sweepDelivered(now: Date().addingTimeInterval(8 * 86_400)) == 3)
                #expect(try await count("outbox", in: runtime.database, where: "status", is: "delivered") == 0)
                #expect(try await count("outbox", in: runtime.database, where: "status", is: "pending") == 1)
                #expect(try await count("outbox", in: runtime.database, where: "status", is: "dead") == 1)

                var keepAll = runtime.outboxPolicy
                keepAll.retention = 0
                _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"n5\"}"))
                let keeping = OutboxDispatcher(database: runtime.database, client: runtime.client, policy: keepAll, logger: Logger(label: "keep"))
                try await Self.drain(keeping)
                #expect(try await keeping.sweepDelivered(now: Date().addingTimeInterval(3_650 * 86_400)) == 0, "0 keeps them for ever")
            }
        }
    }

    @Test func anInvalidRetentionStopsTheStartWithItsName() async throws {
        do {
            _ = try OutboxDispatcher.Policy.from(.testing(name: "x", environment: ["OUTBOX_RETENTION_DAYS": "-1"]))
            Issue.record("a negative retention was taken")
        } catch {
            #expect(error.description.contains("OUTBOX_RETENTION_DAYS"))
        }
        #expect(try OutboxDispatcher.Policy.from(.testing(name: "x", environment: ["OUTBOX_RETENTION_DAYS": "30"])).retention == 30 * 86_400)
    }

    static func drain(_ dispatcher: OutboxDispatcher) async throws {
        while try await dispatcher.dispatchDue() > 0 {}
    }
}

@Suite("Rate limits")
struct RateLimiterTests {
    @Test func aBurstThenTheRefillRate() async {
        let limiter = RateLimiter(perMinute: 60, burst: 3)
        let start = ContinuousClock.now
        for _ in 0..<3 { #expect(limiter.take("203.0.113.7", now: start) == nil) }
        #expect(limiter.take("203.0.113.7", now: start) == 1)
        // Another caller has its own bucket.
        #expect(limiter.take("198.51.100.2", now: start) == nil)
        // One second later one more request is allowed.
        #expect(limiter.take("203.0.113.7", now: start + .seconds(1)) == nil)
        #expect(limiter.take("203.0.113.7", now: start + .seconds(1)) != nil)
    }

    @Test func aForwardedAddressIsBelievedOnlyFromThePortalOrATrustedProxy() async throws {
        let (app, runtime) = try await EchoService.build()
        let service = try await runtime.verifier.serviceToken(for: "portal", to: "echo")
        try await app.test(.router) { client in
            // Anyone else naming a new address for each try is still one caller: the third try is refused.
            var statuses: [HTTPResponse.Status] = []
            for guess in 1...3 {
                statuses.append(try await client.execute(uri: "/limited", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.\(guess)"]).status)
            }
            #expect(statuses == [.ok, .ok, .tooManyRequests])
            // The portal, with its service token, passes each citizen's address on: each has a bucket of its own.
            for citizen in 1...3 {
                let response = try await client.execute(uri: "/limited", method: .get, headers: [
                    .authorization: "Bearer \(service)", HTTPField.Name("X-Forwarded-For")!: "198.51.100.\(citizen), 10.0.0.1",
                ])
                #expect(response.status == .ok && response.body.string == "198.51.100.\(citizen)")
            }
        }
        // Any other service's token vouches for no one: payments naming a new address each time is one caller.
        let (fresh, freshRuntime) = try await EchoService.build()
        let payments = try await freshRuntime.verifier.serviceToken(for: "payments", to: "echo")
        try await fresh.test(.router) { client in
            var fromPayments: [HTTPResponse.Status] = []
            for guess in 1...3 {
                fromPayments.append(try await client.execute(uri: "/limited", method: .get, headers: [
                    .authorization: "Bearer \(payments)", HTTPField.Name("X-Forwarded-For")!: "192.0.2.\(guess)",
                ]).status)
            }
            #expect(fromPayments == [.ok, .ok, .tooManyRequests])
        }
    }

    @Test func aProxyNamedInTrustedProxiesIsBelievedAndNoOneElseByAddress() async throws {
        for (trusted, expected) in [("127.0.0.1", ["203.0.113.1", "203.0.113.2", "203.0.113.3"]), ("10.0.0.1", ["127.0.0.1", "127.0.0.1", nil])] {
            let (app, _) = try await EchoService.build(settings: .testing(name: "echo", environment: ["TRUSTED_PROXIES": trusted]))
            try await app.test(.live) { client in
                var seen: [String?] = []
                for guess in 1...3 {
                    let response = try await client.execute(uri: "/limited", method: .get, headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.\(guess)"])
                    seen.append(response.status == .ok ? response.body.string : nil)
                }
                // Behind the trusted proxy (the test's own address) each citizen is counted apart; otherwise the
                // header is ignored, the peer is one caller, and its third try is refused.
                #expect(seen == expected)
            }
        }
    }

    @Test func trustedProxiesAreAddressesAndIPv4Ranges() {
        let trusted = TrustedProxies(" 10.0.0.5, ::1 ,172.18.0.0/16, nonsense/99")
        #expect(trusted.contains("10.0.0.5") && trusted.contains("::1"))
        #expect(trusted.contains("172.18.3.4") && !trusted.contains("172.19.0.1"))
        #expect(!trusted.contains("10.0.0.6") && !trusted.contains(nil) && !trusted.contains("203.0.113.9"))
        #expect(!TrustedProxies("").contains("127.0.0.1"), "nobody by default")
    }
}
