import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import NotificationsApp
import ServiceKit
import ServiceTesting
import Synchronization
import Testing

/// A channel that records what it was handed and answers what the test scripted for each recipient (accepted
/// when nothing is scripted).
final class ScriptedChannel: MessageChannel {
    private let state = Mutex<(handed: [String], script: [String: [DeliveryQueue.Outcome]])>(([], [:]))

    func script(_ recipient: String, _ outcomes: DeliveryQueue.Outcome...) {
        self.state.withLock { $0.script[recipient, default: []] += outcomes }
    }

    var handed: [String] { self.state.withLock { $0.handed } }

    /// The recipient's trouble is over: what is left of its script is dropped.
    func clear(_ recipient: String) {
        self.state.withLock { _ = $0.script.removeValue(forKey: recipient) }
    }

    func hand(_ message: DeliveryQueue.Claimed) async -> DeliveryQueue.Outcome {
        self.state.withLock { state in
            state.handed.append(message.id)
            guard var queued = state.script[message.recipient], !queued.isEmpty else {
                return .accepted(providerID: "sms-" + message.id.prefix(8), detail: "CodeResult 100")
            }
            let next = queued.removeFirst()
            state.script[message.recipient] = queued
            return next
        }
    }
}

@Suite("Delivery pipeline")
struct DeliveryTests {
    struct Harness {
        let settings: ServiceSettings
        let clock: TestClock
        let channel: ScriptedChannel
        let queue: DeliveryQueue
        let service: HTTPFields
        let admin: HTTPFields
    }

    /// A notifications service whose SMS go to a scripted channel, on a clock the test moves; no quiet hours unless
    /// the test sets them.
    static func app(_ environment: [String: String] = [:], start: Date = Date())
        async throws -> (some ApplicationProtocol, Harness) {
        let settings = try await trustingTestTokens(ServiceSettings.testing(name: "notifications", environment: [
            "SMS_QUIET_HOURS": "off", "DELIVERY_BACKOFF_BASE_SECONDS": "10", "DELIVERY_BACKOFF_MAX_SECONDS": "60",
            "DELIVERY_RETRY_FOR_SECONDS": "300", "SMS_CALLBACK_URL": "http://127.0.0.1:1",
            // The tests move the clock by minutes; a lease as long as an hour keeps a hand-over in flight its own.
            "DELIVERY_LEASE_SECONDS": "3600",
        ].merging(environment) { $1 }))
        let clock = TestClock(start)
        let channel = ScriptedChannel()
        let queue = Mutex<DeliveryQueue?>(nil)
        let app = try await buildNotificationsApplication(settings, clock: { clock.now }, overrides: NotificationsOverrides(
            channels: [.sms: channel], queue: { made in queue.withLock { $0 = made } }
        ))
        return (app, Harness(settings: settings, clock: clock, channel: channel, queue: try #require(queue.withLock { $0 }),
                             service: try await TemplateTests.service(settings),
                             admin: try await TemplateTests.person(Identity(subject: "admin-1", roles: [.admin]), settings)))
    }

    static func message(to phone: String, urgent: Bool? = nil) -> SendNotificationRequest {
        var request = NotificationTests.resultReady
        request.recipient = phone
        request.urgent = urgent
        return request
    }

    func send(_ client: some TestClientProtocol, _ harness: Harness, _ request: SendNotificationRequest) async throws -> NotificationView {
        try await client.execute(uri: "/v1/notifications", method: .post, headers: harness.service,
                                 body: ByteBuffer(bytes: try JSONEncoder().encode(request))) { response in
            #expect(response.status == .created)
            return try JSONDecoder.motcua.decode(NotificationView.self, from: Data(response.body.readableBytesView))
        }
    }

    func show(_ client: some TestClientProtocol, _ harness: Harness, _ id: String) async throws -> NotificationView? {
        try await client.execute(uri: "/v1/notifications/\(id)", method: .get, headers: harness.admin) {
            try? JSONDecoder.motcua.decode(NotificationView.self, from: Data($0.body.readableBytesView))
        }
    }

    /// The message once it reaches `status` (after at least `attempts` entries), waiting up to five seconds for the senders.
    func awaitStatus(_ client: some TestClientProtocol, _ harness: Harness, _ id: String, _ status: NotificationStatus, attempts: Int = 1)
        async throws -> NotificationView {
        for _ in 0..<100 {
            if let message = try await self.show(client, harness, id), message.status == status, message.attempts.count >= attempts { return message }
            try await Task.sleep(for: .milliseconds(50))
        }
        let last = try await self.show(client, harness, id)
        Issue.record("message \(id) is \(last?.status.rawValue ?? "missing"), not \(status.rawValue); last attempts: \(last?.attempts.suffix(4).map { "\($0.outcome): \($0.detail ?? "")" } ?? []), next \(String(describing: last?.nextAttemptAt)), clock \(harness.clock.now)")
        throw CancellationError()
    }

    func report(_ client: some TestClientProtocol, _ harness: Harness, _ id: String, _ query: String, signature: String? = nil) async throws -> TestResponse {
        let callback = SMSCallback(baseURL: "", secret: try harness.settings.secret("SMS_CALLBACK_SECRET"))
        return try await client.execute(uri: "/callbacks/esms/\(id)/\(signature ?? callback.signature(for: id))?\(query)", method: .get)
    }

    @Test func aMessageIsSentThenDeliveredAndALateReportCannotMoveItBack() async throws {
        let (app, harness) = try await Self.app()
        try await app.test(.router) { client in
            let created = try await self.send(client, harness, Self.message(to: "0912000001"))
            let sent = try await self.awaitStatus(client, harness, created.id, .sent)
            #expect(sent.providerId == "sms-" + created.id.prefix(8))
            #expect(sent.attempts.map(\.outcome) == ["sent"])
            let delivered = ESMS.DeliveryReport(smsID: "sms-1", sendStatus: .sent, delivered: true, requestID: created.id, phone: "0912000001")
            #expect(try await self.report(client, harness, created.id, delivered.query).status == .ok)
            #expect(try await self.show(client, harness, created.id)?.status == .delivered)
            // "Waiting for the report" after "delivered" changes nothing, and is noted as ignored.
            let waiting = ESMS.DeliveryReport(smsID: "sms-1", sendStatus: .awaitingReport, delivered: false, requestID: created.id, phone: "0912000001")
            try await client.execute(uri: "/callbacks/esms/\(created.id)/x", method: .get) { #expect($0.status == .forbidden) }
            let late = try await self.report(client, harness, created.id, waiting.query)
            #expect(late.status == .ok)
            #expect(jsonObject(late)?["applied"] as? Bool == false)
            let final = try #require(try await self.show(client, harness, created.id))
            #expect(final.status == .delivered)
            #expect(final.attempts.map(\.outcome) == ["sent", "report", "report-ignored"])
            #expect(harness.channel.handed == [created.id])
        }
    }

    @Test func reportsThatAreNotOursOrNotReportsChangeNothing() async throws {
        let (app, harness) = try await Self.app()
        try await app.test(.router) { client in
            let created = try await self.send(client, harness, Self.message(to: "0912000002"))
            _ = try await self.awaitStatus(client, harness, created.id, .sent)
            let failed = ESMS.DeliveryReport(smsID: "sms-2", sendStatus: .rejected, delivered: false, requestID: created.id, phone: "0912000002")
            // Someone guessing ids cannot make a signature; a report about no message of ours is 404; no SendStatus is 400.
            #expect(try await self.report(client, harness, created.id, failed.query, signature: String(repeating: "0", count: 32)).status == .forbidden)
            #expect(try await self.report(client, harness, "no-such-message", failed.query).status == .notFound)
            #expect(try await self.report(client, harness, created.id, "SMSID=1").status == .badRequest)
            #expect(try await self.show(client, harness, created.id)?.status == .sent)
            #expect(try await self.report(client, harness, created.id, failed.query).status == .ok)
            #expect(try await self.show(client, harness, created.id)?.status == .permanentFailure)
            // Sent but not delivered (the telco gave up): a temporary failure.
            let other = try await self.send(client, harness, Self.message(to: "0912000012"))
            _ = try await self.awaitStatus(client, harness, other.id, .sent)
            let undelivered = ESMS.DeliveryReport(smsID: "sms-3", sendStatus: .sent, delivered: false, requestID: other.id, phone: "0912000012")
            #expect(try await self.report(client, harness, other.id, undelivered.query).status == .ok)
            #expect(try await self.show(client, harness, other.id)?.status == .temporaryFailure)
        }
    }

    @Test func aNumberTheGatewayRefusesIsAPermanentFailureAndIsNotTriedAgain() async throws {
        let (app, harness) = try await Self.app()
        harness.channel.script("0912000003", .refused(detail: "CodeResult 99: blocked"))
        try await app.test(.router) { client in
            let created = try await self.send(client, harness, Self.message(to: "0912000003"))
            let refused = try await self.awaitStatus(client, harness, created.id, .permanentFailure)
            #expect(refused.attempts.map(\.outcome) == ["refused"])
            harness.clock.advance(3600)
            try await Task.sleep(for: .milliseconds(300))
            #expect(harness.channel.handed == [created.id])
        }
    }

    @Test func failedHandOversWaitLongerEachTimeThenBecomeDeadLettersThatAnAdminReDrives() async throws {
        let (app, harness) = try await Self.app()
        let down = DeliveryQueue.Outcome.failed(detail: "the SMS gateway answered HTTP 503")
        for _ in 0..<20 { harness.channel.script("0912000004", down) }
        try await app.test(.router) { client in
            let created = try await self.send(client, harness, Self.message(to: "0912000004"))
            let waiting = try await self.awaitStatus(client, harness, created.id, .created)
            try #require(waiting.attempts.count == 1)
            // Backoff from 10 s with jitter: the next try is 5-10 s away, and not before.
            let next = try #require(waiting.nextAttemptAt)
            let wait = next.timeIntervalSince(harness.clock.now)
            #expect(wait >= 5 && wait <= 10.01)
            try await Task.sleep(for: .milliseconds(300))
            #expect(harness.channel.handed.count == 1)
            // Keep moving the clock past each wait until the 300 s limit: then it is a dead letter.
            var dead: NotificationView?
            for _ in 0..<20 {
                harness.clock.advance(61)
                try await Task.sleep(for: .milliseconds(250))
                if let message = try await self.show(client, harness, created.id), message.status == .technicalFailure { dead = message; break }
            }
            let letter = try #require(dead)
            #expect(letter.attempts.last?.outcome == "gave-up")
            #expect(letter.attempts.filter { $0.outcome == "failed" }.count == letter.attempts.count - 1)
            let handedBefore = harness.channel.handed.count
            #expect(handedBefore == letter.attempts.count)
            try await client.execute(uri: "/v1/dead-letters", method: .get, headers: harness.admin) { response in
                #expect((jsonObject(response)?["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [created.id])
            }
            // The gateway is back; only admins re-drive, and only dead letters.
            harness.channel.clear("0912000004")
            try await client.execute(uri: "/v1/notifications/\(created.id)/redrive", method: .post, headers: harness.service) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/v1/notifications/\(created.id)/redrive", method: .post, headers: harness.admin) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/notifications/\(created.id)/redrive", method: .post, headers: harness.admin) { response in
                #expect(response.status == .conflict || response.status == .ok)
            }
            harness.clock.advance(1)
            // Re-driven, it goes.
            let sent = try await self.awaitStatus(client, harness, created.id, .sent)
            #expect(sent.attempts.contains { $0.outcome == "re-driven" && $0.detail == "re-driven by admin-1" })
            #expect(harness.channel.handed.count == handedBefore + 1)
        }
    }

    @Test func aSenderThatDiesHoldingMessagesLosesThemToAnotherWhenItsLeaseRunsOut() async throws {
        let (app, harness) = try await Self.app(["SENDERS": "off"])
        // Senders off: the test plays two sender replicas on the same queue.
        let queue = harness.queue
        try await app.test(.router) { client in
            let created = try await self.send(client, harness, Self.message(to: "0912000005"))
            let first = try await queue.claim(channels: [.sms], limit: 10, lease: 30, now: harness.clock.now)
            try #require(first.messages.map(\.id) == [created.id])
            #expect(try await self.show(client, harness, created.id)?.status == .sending)
            // While the lease holds nobody else gets it.
            #expect(try await queue.claim(channels: [.sms], limit: 10, lease: 30, now: harness.clock.now.addingTimeInterval(29)).messages.isEmpty)
            // The first sender dies; after the lease the second takes the message and sends it.
            let second = try await queue.claim(channels: [.sms], limit: 10, lease: 30, now: harness.clock.now.addingTimeInterval(31))
            try #require(second.messages.map(\.id) == [created.id])
            try await queue.record([(second.messages[0], .accepted(providerID: "sms-b", detail: "CodeResult 124"))], token: second.token,
                                   now: harness.clock.now.addingTimeInterval(32))
            // The first one's late word is not taken: its claim is gone.
            try await queue.record([(first.messages[0], .failed(detail: "timed out"))], token: first.token, now: harness.clock.now.addingTimeInterval(33))
            let final = try #require(try await self.show(client, harness, created.id))
            #expect(final.status == .sent)
            #expect(final.providerId == "sms-b")
            // Nor is it an attempt of record.
            #expect(final.attempts.map(\.outcome) == ["sent"])
        }
    }

    @Test func nonUrgentSMSWaitOutTheNightAndUrgentOnesDoNot() async throws {
        // 23:30 in Vietnam.
        let night = ISO8601DateFormatter().date(from: "2026-12-01T16:30:00Z")!
        let (app, harness) = try await Self.app(["SMS_QUIET_HOURS": "22:00-06:00"], start: night)
        try await app.test(.router) { client in
            let news = try await self.send(client, harness, Self.message(to: "0912000006"))
            #expect(news.status == .created)
            let code = try await self.send(client, harness, Self.message(to: "0912000007", urgent: true))
            #expect(news.nextAttemptAt == ISO8601DateFormatter().date(from: "2026-12-01T23:00:00Z"))
            _ = try await self.awaitStatus(client, harness, code.id, .sent)
            #expect(harness.channel.handed == [code.id])
            #expect(try await self.show(client, harness, news.id)?.status == .created)
            // 06:00: released.
            harness.clock.set(ISO8601DateFormatter().date(from: "2026-12-01T23:00:01Z")!)
            _ = try await self.awaitStatus(client, harness, news.id, .sent)
        }
    }

    @Test func aRecipientFloodedOrTheServiceOverItsRateGets429AndNothingIsStored() async throws {
        let (app, harness) = try await Self.app(["SENDERS": "off", "RECIPIENT_RATE_PER_MINUTE": "2", "RECIPIENT_RATE_BURST": "2"])
        try await app.test(.router) { client in
            for _ in 0..<2 { _ = try await self.send(client, harness, Self.message(to: "0912000008")) }
            try await client.execute(uri: "/v1/notifications", method: .post, headers: harness.service,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(Self.message(to: "0912000008")))) { response in
                #expect(response.status == .tooManyRequests)
                #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
                #expect(problemOf(response)?.detail.contains("0912000008") == true)
            }
            // Another person is not held up.
            _ = try await self.send(client, harness, Self.message(to: "0912000009"))
            try await client.execute(uri: "/v1/notifications?recipient=0912000008", method: .get, headers: harness.admin) {
                #expect(jsonObject($0)?["total"] as? Int == 2)
            }
        }
        let (busy, crowded) = try await Self.app(["SENDERS": "off", "GLOBAL_RATE_PER_SECOND": "1"])
        try await busy.test(.router) { client in
            _ = try await self.send(client, crowded, Self.message(to: "0912000010"))
            try await client.execute(uri: "/v1/notifications", method: .post, headers: crowded.service,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(Self.message(to: "0912000011")))) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
            }
        }
    }

    @Test func postsAndReportsThatArriveTogetherAreWrittenTogetherAndStillOnce() async throws {
        let (app, harness) = try await Self.app(["SENDERS": "off"])
        try await app.test(.router) { client in
            // Twenty at once with one key: one message, one 201, the rest replay it.
            var keyedHeaders = harness.service
            keyedHeaders[.idempotencyKey] = "same-click"
            let headers = keyedHeaders
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let request = index < 20 ? Self.message(to: "0912000020") : Self.message(to: "09120001\(String(format: "%02d", index))")
                        return try await client.execute(uri: "/v1/notifications", method: .post, headers: index < 20 ? headers : harness.service,
                                                        body: ByteBuffer(bytes: try JSONEncoder().encode(request))) { response in
                            (response.status, jsonObject(response)?["id"] as? String)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == .created }.count == 21)
            #expect(answers.filter { $0.0 == .ok }.count == 19)
            let keyed = Set(answers.prefix(40).filter { $0.0 == .ok }.compactMap(\.1))
            #expect(keyed.count == 1)
            try await client.execute(uri: "/v1/notifications?pageSize=1", method: .get, headers: harness.admin) {
                #expect(jsonObject($0)?["total"] as? Int == 21)
            }
            // Reports for one message arriving together, in any order: it ends delivered, applied once.
            let id = try #require(keyed.first)
            let statuses: [ESMS.SendStatus] = [.awaitingReport, .sent, .awaitingReport, .sent, .waiting]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for status in statuses {
                    group.addTask {
                        let report = ESMS.DeliveryReport(smsID: "sms-x", sendStatus: status, delivered: true, requestID: id, phone: "0912000020")
                        let status = try await self.report(client, harness, id, report.query).status
                        #expect(status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            let final = try #require(try await self.show(client, harness, id))
            #expect(final.status == .delivered)
            #expect(final.attempts.count == statuses.count)
            #expect(final.attempts.filter { $0.outcome == "report" }.map(\.detail).contains { $0?.hasPrefix("SendStatus 5") == true })
        }
    }
}
