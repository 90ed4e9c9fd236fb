import Contracts
import DomainKit
import Foundation
import Synchronization

/// The simulated brandname SMS gateway's memory: what it received, the RequestIds it has seen, the delivery reports
/// still to make, and how it has been told to misbehave. Kept in memory like a partner's test account: a restart
/// starts it empty. Every call is a short critical section under one lock, so a send costs no hop to another thread.
final class SMSGateway: Sendable {
    /// How the gateway behaves; operators and tests change it through `POST /sms/control`.
    struct Behaviour: Codable, Sendable, Equatable {
        /// Answer every send with 503, as a gateway that is down.
        var down = false
        /// The share (0-1) of accepted messages whose delivery report says the telco could not deliver them.
        var failShare = 0.0
        /// Milliseconds before answering a send, as a slow gateway.
        var delayMs = 0
        /// Milliseconds between accepting a message and reporting its delivery.
        var reportDelayMs = 200
    }

    struct Received: Codable, Sendable, Equatable {
        var smsId: String
        var requestId: String
        var phone: String
        var brandname: String
        var content: String
        var unicode: Bool
        var receivedAt: Date
        /// "pending" until the delivery report is made, then "delivered" or "failed".
        var status: String
        var callbackUrl: String?
        /// Delivery reports the callback accepted (2xx).
        var reportsAccepted: Int
        /// Decided when accepted, by the fail share then in force.
        var willDeliver: Bool
    }

    struct Credentials: Sendable {
        var apiKey: String
        var secretKey: String
        var brandnames: Set<String>
    }

    /// A delivery report to post to a sender's callback: its whole URL, and which try this is (eSMS tries five times).
    struct Report: Sendable, Equatable {
        let smsID: String
        let url: String
        let attempt: Int
    }

    /// A report waiting for its time: the first try settles the message (decides delivered or failed).
    private struct Due {
        let at: Date
        let smsID: String
        let attempt: Int
    }

    private struct State {
        var behaviour = Behaviour()
        var messages: [Received] = []
        var indexByRequest: [String: Int] = [:]
        var indexBySMS: [String: Int] = [:]
        var duplicatesRefused = 0
        var refusedWhileDown = 0
        var byStatus: [String: Int] = [:]
        /// Reports to make, earliest first from `dueHead` on (a changed report delay can put a new one before others).
        var due: [Due] = []
        var dueHead = 0
    }

    let credentials: Credentials
    private let state = Mutex(State())
    /// The most a long demo keeps; the oldest go first.
    static let capacity = 500_000

    init(credentials: Credentials) {
        self.credentials = credentials
    }

    var behaviour: Behaviour { self.state.withLock { $0.behaviour } }

    func set(_ behaviour: Behaviour) {
        self.state.withLock { $0.behaviour = behaviour }
    }

    func countDown() {
        self.state.withLock { $0.refusedWhileDown += 1 }
    }

    /// What the gateway answers a send that reached it; an accepted message with a callback has its report queued
    /// for `reportDelayMs` later.
    func accept(_ request: ESMS.SendRequest, at now: Date) -> ESMS.SendResponse {
        guard request.ApiKey == self.credentials.apiKey, request.SecretKey == self.credentials.secretKey else {
            return ESMS.SendResponse(code: .wrongKeys, errorMessage: "Authorize Failed")
        }
        guard request.SmsType == "2" else { return ESMS.SendResponse(code: .missingMessageType, errorMessage: "Missing message type") }
        guard self.credentials.brandnames.contains(request.Brandname) else {
            return ESMS.SendResponse(code: .unknownBrandname, errorMessage: "Brand name code is not exist")
        }
        guard case .success(let phone) = Validate.mobilePhone(request.Phone) else {
            return ESMS.SendResponse(code: .badPhoneNumber, errorMessage: "Phone number is not in correct format")
        }
        let smsID = Self.newSMSID()
        return self.state.withLock { state in
            if !request.RequestId.isEmpty, let earlier = state.indexByRequest[request.RequestId] {
                state.duplicatesRefused += 1
                let status = state.messages[earlier].status == "pending" ? ESMS.SendStatus.awaitingReport : .sent
                return ESMS.SendResponse(code: .duplicateRequestId, errorMessage: "Request exist 1", sendStatus: status.rawValue)
            }
            if state.messages.count >= Self.capacity { Self.forgetOldest(&state) }
            state.messages.append(Received(smsId: smsID, requestId: request.RequestId, phone: phone, brandname: request.Brandname,
                                           content: request.Content, unicode: request.IsUnicode == "1", receivedAt: now, status: "pending",
                                           callbackUrl: request.CallbackUrl, reportsAccepted: 0,
                                           willDeliver: Double.random(in: 0..<1) >= state.behaviour.failShare))
            if !request.RequestId.isEmpty { state.indexByRequest[request.RequestId] = state.messages.count - 1 }
            state.byStatus["pending", default: 0] += 1
            state.indexBySMS[smsID] = state.messages.count - 1
            Self.queue(Due(at: now.addingTimeInterval(Double(state.behaviour.reportDelayMs) / 1000), smsID: smsID, attempt: 1), in: &state)
            return ESMS.SendResponse(code: .accepted, smsID: smsID)
        }
    }

    /// The reports whose time has come, at most `limit`, and when the next one left falls due (nil: none waits). A
    /// first try settles its message (delivered or failed, as decided when it was accepted); a message without a
    /// callback is settled and has nothing to post.
    func due(at now: Date, limit: Int) -> (reports: [Report], next: Date?) {
        self.state.withLock { state in
            var reports: [Report] = []
            while state.dueHead < state.due.count, state.due[state.dueHead].at <= now, reports.count < limit {
                let due = state.due[state.dueHead]
                state.dueHead += 1
                guard let index = state.indexBySMS[due.smsID] else { continue }
                if due.attempt == 1 {
                    let delivered = state.messages[index].willDeliver
                    state.byStatus[state.messages[index].status, default: 1] -= 1
                    state.messages[index].status = delivered ? "delivered" : "failed"
                    state.byStatus[state.messages[index].status, default: 0] += 1
                }
                let message = state.messages[index]
                guard let url = message.callbackUrl, !url.isEmpty else { continue }
                let report = ESMS.DeliveryReport(smsID: due.smsID, sendStatus: .sent, delivered: message.status == "delivered",
                                                 requestID: message.requestId, phone: message.phone)
                reports.append(Report(smsID: due.smsID, url: url + (url.contains("?") ? "&" : "?") + report.query, attempt: due.attempt))
            }
            if state.dueHead > 4096, state.dueHead * 2 > state.due.count {
                state.due.removeFirst(state.dueHead)
                state.dueHead = 0
            }
            return (reports, state.dueHead < state.due.count ? state.due[state.dueHead].at : nil)
        }
    }

    /// A report's callback answered 2xx.
    func reported(_ smsID: String) {
        self.state.withLock { state in
            guard let index = state.indexBySMS[smsID] else { return }
            state.messages[index].reportsAccepted += 1
        }
    }

    /// A report's callback did not take it: tried again at `at`.
    func retry(_ report: Report, at: Date) {
        self.state.withLock { Self.queue(Due(at: at, smsID: report.smsID, attempt: report.attempt + 1), in: &$0) }
    }

    struct Listing: Codable, Sendable {
        var total: Int
        var distinctRequestIds: Int
        var duplicatesRefused: Int
        var refusedWhileDown: Int
        var byStatus: [String: Int]
        var items: [Received]
    }

    /// What it received, oldest first, filtered by phone or RequestId; `limit` of the newest.
    func list(phone: String?, requestID: String?, limit: Int) -> Listing {
        self.state.withLock { state in
            if phone == nil, requestID == nil {
                return Listing(total: state.messages.count, distinctRequestIds: state.indexByRequest.count,
                               duplicatesRefused: state.duplicatesRefused, refusedWhileDown: state.refusedWhileDown,
                               byStatus: state.byStatus.filter { $0.value > 0 }, items: Array(state.messages.suffix(limit)))
            }
            let matching = state.messages.filter { (phone == nil || $0.phone == phone) && (requestID == nil || $0.requestId == requestID) }
            var byStatus: [String: Int] = [:]
            for message in matching { byStatus[message.status, default: 0] += 1 }
            return Listing(total: matching.count, distinctRequestIds: Set(matching.map(\.requestId)).count, duplicatesRefused: state.duplicatesRefused,
                           refusedWhileDown: state.refusedWhileDown, byStatus: byStatus, items: Array(matching.suffix(limit)))
        }
    }

    /// Forgets every message and every report still to make; the behaviour stays as it was set.
    func reset() {
        self.state.withLock { state in
            state = State(behaviour: state.behaviour)
        }
    }

    private static func queue(_ due: Due, in state: inout State) {
        // Almost always the latest: appended. Earlier than the last (the report delay was lowered): put in its place.
        guard let last = state.due.last, due.at < last.at else { return state.due.append(due) }
        var low = state.dueHead, high = state.due.count
        while low < high {
            let middle = (low + high) / 2
            if state.due[middle].at <= due.at { low = middle + 1 } else { high = middle }
        }
        state.due.insert(due, at: low)
    }

    private static func forgetOldest(_ state: inout State) {
        let dropped = Self.capacity / 10
        for message in state.messages.prefix(dropped) { state.byStatus[message.status, default: 1] -= 1 }
        state.messages.removeFirst(dropped)
        state.indexByRequest = [:]
        state.indexBySMS = [:]
        for (index, message) in state.messages.enumerated() {
            if !message.requestId.isEmpty { state.indexByRequest[message.requestId] = index }
            state.indexBySMS[message.smsId] = index
        }
    }

    /// An SMSID as eSMS writes one: 32 lowercase hexadecimal digits.
    static func newSMSID() -> String {
        var generator = SystemRandomNumberGenerator()
        return Digits.hex(generator.next(), generator.next())
    }
}
