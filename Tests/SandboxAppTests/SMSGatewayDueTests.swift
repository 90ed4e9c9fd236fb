import Contracts
import Foundation
@testable import SandboxApp
import Testing

/// The gateway's list of delivery reports still to make, in time order whatever order they were queued in.
@Suite("Sandbox: the SMS gateway's due reports")
struct SMSGatewayDueTests {
    static func gateway() -> SMSGateway {
        SMSGateway(credentials: .init(apiKey: SandboxDefaults.smsAPIKey, secretKey: SandboxDefaults.smsSecretKey,
                                      brandnames: [SandboxDefaults.smsBrandname]))
    }

    static func send(_ requestID: String, callback: String?) -> ESMS.SendRequest {
        SMSGatewayTests.send(requestID: requestID, callback: callback)
    }

    func delay(_ gateway: SMSGateway, _ milliseconds: Int) {
        var behaviour = gateway.behaviour
        behaviour.reportDelayMs = milliseconds
        gateway.set(behaviour)
    }

    /// The report delay lowered after a send: the later send's report comes first, and the earlier one at its time.
    @Test func aReportQueuedAfterALongerDelayIsStillMadeFirst() {
        let gateway = Self.gateway()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        self.delay(gateway, 10_000)
        let slow = gateway.accept(Self.send("slow", callback: "http://127.0.0.1:9/cb"), at: start)
        self.delay(gateway, 100)
        let quick = gateway.accept(Self.send("quick", callback: "http://127.0.0.1:9/cb?x=1"), at: start)

        let early = gateway.due(at: start.addingTimeInterval(0.05), limit: 10)
        #expect(early.reports.isEmpty)
        #expect(early.next == start.addingTimeInterval(0.1))

        let first = gateway.due(at: start.addingTimeInterval(0.2), limit: 10)
        #expect(first.reports.map(\.smsID) == [quick.SMSID])
        #expect(first.reports.first?.attempt == 1)
        #expect(first.reports.first?.url.hasPrefix("http://127.0.0.1:9/cb?x=1&SMSID=") == true, "a callback with a query gets &")
        #expect(first.next == start.addingTimeInterval(10))

        // Refused: tried again at its time, still before the slow one.
        gateway.retry(try! #require(first.reports.first), at: start.addingTimeInterval(1))
        let again = gateway.due(at: start.addingTimeInterval(2), limit: 10)
        #expect(again.reports.map(\.smsID) == [quick.SMSID])
        #expect(again.reports.first?.attempt == 2)

        let last = gateway.due(at: start.addingTimeInterval(11), limit: 10)
        #expect(last.reports.map(\.smsID) == [slow.SMSID])
        #expect(last.reports.first?.url.hasPrefix("http://127.0.0.1:9/cb?SMSID=") == true)
        #expect(last.next == nil)
    }

    /// A message sent without a callback is settled at its time and has no report to post.
    @Test func aMessageWithoutACallbackIsSettledWithNothingToPost() {
        let gateway = Self.gateway()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        self.delay(gateway, 100)
        _ = gateway.accept(Self.send("silent", callback: nil), at: start)
        #expect(gateway.list(phone: nil, requestID: nil, limit: 10).items.first?.status == "pending")
        let due = gateway.due(at: start.addingTimeInterval(1), limit: 10)
        #expect(due.reports.isEmpty)
        #expect(due.next == nil)
        #expect(gateway.list(phone: nil, requestID: nil, limit: 10).items.first?.status == "delivered")
    }

    /// At most `limit` a turn; the rest wait for the next turn, in order.
    @Test func aTurnTakesAtMostItsLimit() {
        let gateway = Self.gateway()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        self.delay(gateway, 0)
        let ids = (0..<5).map { gateway.accept(Self.send("m-\($0)", callback: "http://127.0.0.1:9/cb"), at: start).SMSID }
        let first = gateway.due(at: start, limit: 3)
        #expect(first.reports.map(\.smsID) == Array(ids[0..<3]))
        #expect(first.next == start)
        #expect(gateway.due(at: start, limit: 3).reports.map(\.smsID) == Array(ids[3...]))
    }
}
