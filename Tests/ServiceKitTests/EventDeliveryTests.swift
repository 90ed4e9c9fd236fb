import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceKit
import ServiceTesting
import SQLKit
import Testing

/// A subscriber service on a real socket, counting what its handler applied.
actor Applied {
    var texts: [String] = []
    func add(_ text: String) { self.texts.append(text) }
}

@Suite("Outbox, dispatcher and inbox across two real processes' worth of services")
struct EventDeliveryTests {
    @Test func anEventIsDeliveredByTheRunningDispatcherAndAppliedOnceEvenWhenSentTwice() async throws {
        let applied = Applied()
        let (subscriber, subscriberRuntime) = try await EchoService.build(settings: .testing(name: "subscriber"), handlers: [
            "note.created": { envelope, _ in await applied.add(try envelope.payload(as: EchoService.Note.self).text) },
        ])
        try await subscriber.test(.live) { subscriberClient in
            let port = try #require(subscriberClient.port)
            let locator = FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:\(port)"])
            let (sender, senderRuntime) = try await EchoService.build(locator: locator)
            try await sender.test(.router) { client in
                try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"Hồ sơ đã tiếp nhận\"}")) { #expect($0.status == .ok) }
                // The sender's own dispatcher, running as a service of its application, delivers it.
                #expect(try await eventually { (try? await count("outbox", in: senderRuntime.database, where: "status", is: "delivered")) == 1 })
                #expect(await applied.texts == ["Hồ sơ đã tiếp nhận"])

                // At-least-once delivery may repeat an event: the inbox makes the effect exactly-once.
                struct Row: Decodable { let envelope: String }
                let envelope = try await senderRuntime.database.read { try await $0.select().column("envelope").from("outbox").first(decoding: Row.self) }!.envelope
                let again = try await senderRuntime.client.send(.POST, service: "subscriber", path: "/internal/events", body: Data(envelope.utf8), requestID: "r")
                #expect(again.status == 202)
                #expect(await applied.texts.count == 1)
                #expect(try await count("inbox", in: subscriberRuntime.database) == 1)
            }
        }
    }

    @Test func aFailingHandlerLeavesNoTraceSoTheEventComesAgain() async throws {
        struct Refused: Error {}
        let (subscriber, subscriberRuntime) = try await EchoService.build(settings: .testing(name: "subscriber"), handlers: [
            "note.created": { _, db in
                try await db.insert(into: "notes").columns("id", "text").values(SQLBind("written-then-undone"), SQLBind("x")).run()
                throw Refused()
            },
        ])
        try await subscriber.test(.live) { subscriberClient in
            let port = try #require(subscriberClient.port)
            let (sender, senderRuntime) = try await EchoService.build(
                locator: FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:\(port)"]), dispatcher: nil)
            try await sender.test(.router) { client in
                _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"a\"}"))
                let dispatcher = OutboxDispatcher(database: senderRuntime.database, client: senderRuntime.client, logger: Logger(label: "test"))
                #expect(try await dispatcher.dispatchDue() == 1)
                #expect(try await count("outbox", in: senderRuntime.database, where: "status", is: "pending") == 1)
                #expect(try await count("inbox", in: subscriberRuntime.database) == 0)
                #expect(try await count("notes", in: subscriberRuntime.database) == 0)
            }
        }
    }

    @Test func aPassSendsASubscriberItsEventsInOneBatchAndOnlyTheOneThatFailsComesAgain() async throws {
        struct Refused: Error {}
        let applied = Applied()
        let (subscriber, subscriberRuntime) = try await EchoService.build(settings: .testing(name: "subscriber"), handlers: [
            "note.created": { envelope, db in
                let text = try envelope.payload(as: EchoService.Note.self).text
                try await db.insert(into: "notes").columns("id", "text").values(SQLBind(envelope.id), SQLBind(text)).run()
                guard text != "refused" else { throw Refused() }
                await applied.add(text)
            },
        ])
        try await subscriber.test(.live) { subscriberClient in
            let port = try #require(subscriberClient.port)
            let (sender, senderRuntime) = try await EchoService.build(
                locator: FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:\(port)"]), dispatcher: nil)
            try await sender.test(.router) { client in
                for text in ["một", "hai", "refused", "bốn", "năm"] {
                    _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"\(text)\"}"))
                }
                let dispatcher = OutboxDispatcher(database: senderRuntime.database, client: senderRuntime.client, logger: Logger(label: "test"))
                #expect(try await dispatcher.dispatchDue() == 5)
                // Applied in the order they were written; the refused one left nothing behind and waits to be sent again.
                #expect(await applied.texts == ["một", "hai", "bốn", "năm"])
                #expect(try await count("outbox", in: senderRuntime.database, where: "status", is: "delivered") == 4)
                #expect(try await count("outbox", in: senderRuntime.database, where: "status", is: "pending") == 1)
                let waiting = try await OutboxAdmin.list(status: .pending, on: senderRuntime.database)
                #expect(waiting.first?.lastError?.contains("failed to apply") == true)
                #expect(try await count("inbox", in: subscriberRuntime.database) == 4)
                #expect(try await count("notes", in: subscriberRuntime.database) == 4)
                // Sent again as the batch's repeat, the four already applied are duplicates and change nothing.
                let repeated = try await senderRuntime.client.send(.POST, service: "subscriber", path: "/internal/events",
                                                                   body: Self.batch(of: senderRuntime.database), requestID: "r")
                let receipts = try repeated.decode(EventReceipts.self).results
                #expect(receipts.map(\.outcome) == [.duplicate, .duplicate, .failed, .duplicate, .duplicate])
                #expect(await applied.texts.count == 4)
            }
        }
    }

    @Test func aBatchAcknowledgesTypesNobodyHandlesHearsListenersEveryTimeAndRefusesWhatIsNotAnArrayOfEnvelopes() async throws {
        let heard = Applied()
        let (subscriber, subscriberRuntime) = try await EchoService.build(settings: .testing(name: "subscriber"), handlers: [
            "note.created": { _, _ in },
        ], listeners: [
            "note.read": { envelope in await heard.add(try! envelope.payload(as: EchoService.Note.self).text) },
        ])
        try await subscriber.test(.live) { subscriberClient in
            let port = try #require(subscriberClient.port)
            let (_, senderRuntime) = try await EchoService.build(locator: FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:\(port)"]),
                                                                 dispatcher: nil)
            let known = try EventEnvelope(type: "note.created", source: "echo", requestId: nil, payload: EchoService.Note(text: "a"))
            let unknown = try EventEnvelope(type: "note.archived", source: "echo", requestId: nil, payload: EchoService.Note(text: "b"))
            let read = try EventEnvelope(type: "note.read", source: "echo", requestId: nil, payload: EchoService.Note(text: "c"))
            let body = "[" + [known, unknown, known, read, read].map { String(decoding: try! $0.json(), as: UTF8.self) }.joined(separator: ",") + "]"
            let answer = try await senderRuntime.client.send(.POST, service: "subscriber", path: "/internal/events", body: Data(body.utf8), requestID: "r")
            #expect(try answer.decode(EventReceipts.self).results.map(\.outcome) == [.applied, .ignored, .duplicate, .applied, .applied])
            // A listener hears every delivery and leaves no inbox record; only the handled event is remembered.
            #expect(await heard.texts == ["c", "c"])
            #expect(try await count("inbox", in: subscriberRuntime.database) == 1)
            let bad = try await senderRuntime.client.send(.POST, service: "subscriber", path: "/internal/events", body: Data("[{\"id\":1}]".utf8),
                                                          requestID: "r")
            #expect(bad.status == 400)
            #expect(bad.problem.detail.contains("not what this endpoint expects"))
            await senderRuntime.database.close()
        }
    }

    /// The outbox's envelopes as one array, in the order they were written.
    static func batch(of database: Database) async throws -> Data {
        struct Row: Decodable { let envelope: String }
        let rows = try await database.read { try await $0.select().column("envelope").from("outbox").orderBy("created_at").all(decoding: Row.self) }
        return Data(("[" + rows.map(\.envelope).joined(separator: ",") + "]").utf8)
    }

    @Test func anUnreachableSubscriberIsRetriedWithBackoffThenDeadLettered() async throws {
        // Port 9 (discard) is closed on a test machine: every attempt fails to connect.
        let locator = FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:9"])
        let (sender, runtime) = try await EchoService.build(locator: locator, dispatcher: nil)
        try await sender.test(.router) { client in
            _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"a\"}"))
            var policy = OutboxDispatcher.Policy()
            policy.maxAttempts = 3
            // Minutes of backoff, so that a slow machine between two calls cannot make the row due again by itself.
            policy.baseDelay = 300
            policy.maxDelay = 600
            let dispatcher = OutboxDispatcher(database: runtime.database, client: runtime.client, policy: policy, logger: Logger(label: "test"))
            #expect(try await dispatcher.dispatchDue() == 1)
            // Not due again until the backoff has passed.
            #expect(try await dispatcher.dispatchDue() == 0)
            #expect(try await count("outbox", in: runtime.database, where: "status", is: "pending") == 1)
            let later = Date().addingTimeInterval(3600)
            #expect(try await dispatcher.dispatchDue(now: later) == 1)
            #expect(try await dispatcher.dispatchDue(now: later.addingTimeInterval(3600)) == 1)
            #expect(try await count("outbox", in: runtime.database, where: "status", is: "dead") == 1)
            let dead = try await OutboxAdmin.list(status: .dead, on: runtime.database)
            #expect(dead.first?.attempts == 3)
            #expect(dead.first?.lastError?.isEmpty == false)
            // An operator re-drives it once the subscriber is back.
            #expect(try await OutboxAdmin.redrive(id: dead[0].id, on: runtime.database))
            #expect(try await count("outbox", in: runtime.database, where: "status", is: "pending") == 1)
            #expect(try await OutboxAdmin.redrive(id: "no-such-id", on: runtime.database) == false)
        }
    }

    @Test func aBatchTheSubscriberRefusesWholeComesAgainWholeWithItsAnswer() async throws {
        // A subscriber that answers every request with a 500 (its route fails before reading the events).
        let router = Router(context: ServiceRequestContext.self)
        router.post("/internal/events") { _, _ -> Response in Response(status: .internalServerError) }
        try await Application(router: router).test(.live) { subscriberClient in
            let port = try #require(subscriberClient.port)
            let (sender, runtime) = try await EchoService.build(locator: FixedServiceLocator(urls: ["subscriber": "http://127.0.0.1:\(port)"]),
                                                                dispatcher: nil)
            try await sender.test(.router) { client in
                for text in ["a", "b", "c"] { _ = try await client.execute(uri: "/notes", method: .post, body: json("{\"text\":\"\(text)\"}")) }
                let dispatcher = OutboxDispatcher(database: runtime.database, client: runtime.client, logger: Logger(label: "test"))
                #expect(try await dispatcher.dispatchDue() == 3)
                let waiting = try await OutboxAdmin.list(status: .pending, on: runtime.database)
                #expect(waiting.count == 3)
                #expect(waiting.allSatisfy { $0.attempts == 1 && $0.lastError?.contains("answered 500") == true })
                #expect(try await count("outbox", in: runtime.database, where: "status", is: "delivered") == 0)
            }
        }
    }

    @Test func theStoredEnvelopeCarriesThePayloadAsAnObjectAndReadsBackTheSame() throws {
        struct Payload: Codable, Equatable { let code: String; let note: String; let amount: Int }
        let payload = Payload(code: "000.55.01.H33-261129-0001", note: "Hồ sơ \"đã\" tiếp nhận\n", amount: 15_000)
        for requestID in ["r-1", nil] {
            let envelope = try EventEnvelope(type: "dossier.received", source: "single-window", requestId: requestID, payload: payload)
            let json = try envelope.json()
            let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect((object["data"] as? [String: Any])?["note"] as? String == "Hồ sơ \"đã\" tiếp nhận\n", "data is an object, not base64")
            let back = try JSONDecoder.motcua.decode(EventEnvelope.self, from: json)
            #expect(back.id == envelope.id && back.requestId == requestID && abs(back.occurredAt.timeIntervalSince(envelope.occurredAt)) < 0.001)
            #expect(try back.payload(as: Payload.self) == payload)
        }
    }

    @Test func backoffGrowsAndIsCapped() async throws {
        let (_, runtime) = try await EchoService.build()
        var policy = OutboxDispatcher.Policy()
        policy.baseDelay = 1
        policy.maxDelay = 60
        let dispatcher = OutboxDispatcher(database: runtime.database, client: runtime.client, policy: policy, logger: Logger(label: "test"))
        for attempts in 1...12 {
            let delay = dispatcher.backoff(afterAttempts: attempts)
            let ceiling = min(60, pow(2, Double(attempts - 1)))
            #expect(delay >= ceiling / 2 && delay <= ceiling)
        }
        await runtime.database.close()
    }

    @Test func eventsNeedAServiceToken() async throws {
        let (app, _) = try await EchoService.build()
        try await app.test(.router) { client in
            try await client.execute(uri: "/internal/events", method: .post, body: json("{}")) { #expect($0.status == .unauthorized) }
        }
    }
}
