import Contracts
import DomainKit
import Foundation

/// The simulated brandname SMS gateway's memory: what it received, the RequestIds it has seen, and how it has been
/// told to misbehave. Kept in memory like a partner's test account: a restart starts it empty.
actor SMSGateway {
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

    let credentials: Credentials
    private(set) var behaviour = Behaviour()
    private var messages: [Received] = []
    private var indexByRequest: [String: Int] = [:]
    private var indexBySMS: [String: Int] = [:]
    /// Sends refused because their RequestId had been sent before.
    private(set) var duplicatesRefused = 0
    /// Sends answered 503 while down.
    private(set) var refusedWhileDown = 0
    /// Messages by status, kept as they change so that a listing does not count them all again.
    private var byStatus: [String: Int] = [:]
    /// The most a long demo keeps; the oldest go first.
    static let capacity = 500_000

    init(credentials: Credentials) {
        self.credentials = credentials
    }

    func set(_ behaviour: Behaviour) {
        self.behaviour = behaviour
    }

    func countDown() {
        self.refusedWhileDown += 1
    }

    /// What the gateway answers a send that reached it; an accepted message is kept with its report still to make.
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
        if !request.RequestId.isEmpty, let earlier = self.indexByRequest[request.RequestId] {
            self.duplicatesRefused += 1
            let status = self.messages[earlier].status == "pending" ? ESMS.SendStatus.awaitingReport : .sent
            return ESMS.SendResponse(code: .duplicateRequestId, errorMessage: "Request exist 1", sendStatus: status.rawValue)
        }
        let smsID = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        if self.messages.count >= Self.capacity { self.forgetOldest() }
        self.messages.append(Received(smsId: smsID, requestId: request.RequestId, phone: phone, brandname: request.Brandname,
                                      content: request.Content, unicode: request.IsUnicode == "1", receivedAt: now, status: "pending",
                                      callbackUrl: request.CallbackUrl, reportsAccepted: 0,
                                      willDeliver: Double.random(in: 0..<1) >= self.behaviour.failShare))
        if !request.RequestId.isEmpty { self.indexByRequest[request.RequestId] = self.messages.count - 1 }
        self.byStatus["pending", default: 0] += 1
        self.indexBySMS[smsID] = self.messages.count - 1
        return ESMS.SendResponse(code: .accepted, smsID: smsID)
    }

    /// Decides a message's fate and returns the report to post, or nil when it has no callback.
    func settle(_ smsID: String) -> (url: String, report: ESMS.DeliveryReport)? {
        guard let index = self.indexBySMS[smsID] else { return nil }
        let delivered = self.messages[index].willDeliver
        self.byStatus[self.messages[index].status, default: 1] -= 1
        self.messages[index].status = delivered ? "delivered" : "failed"
        self.byStatus[self.messages[index].status, default: 0] += 1
        let message = self.messages[index]
        guard let url = message.callbackUrl, !url.isEmpty else { return nil }
        return (url, ESMS.DeliveryReport(smsID: smsID, sendStatus: .sent, delivered: delivered, requestID: message.requestId, phone: message.phone))
    }

    func reported(_ smsID: String) {
        guard let index = self.indexBySMS[smsID] else { return }
        self.messages[index].reportsAccepted += 1
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
        if phone == nil, requestID == nil {
            return Listing(total: self.messages.count, distinctRequestIds: self.indexByRequest.count, duplicatesRefused: self.duplicatesRefused,
                           refusedWhileDown: self.refusedWhileDown, byStatus: self.byStatus.filter { $0.value > 0 },
                           items: Array(self.messages.suffix(limit)))
        }
        let matching = self.messages.filter { (phone == nil || $0.phone == phone) && (requestID == nil || $0.requestId == requestID) }
        var byStatus: [String: Int] = [:]
        for message in matching { byStatus[message.status, default: 0] += 1 }
        return Listing(total: matching.count, distinctRequestIds: Set(matching.map(\.requestId)).count, duplicatesRefused: self.duplicatesRefused,
                       refusedWhileDown: self.refusedWhileDown, byStatus: byStatus, items: Array(matching.suffix(limit)))
    }

    func reset() {
        self.messages = []
        self.indexByRequest = [:]
        self.indexBySMS = [:]
        self.duplicatesRefused = 0
        self.refusedWhileDown = 0
        self.byStatus = [:]
    }

    private func forgetOldest() {
        let dropped = Self.capacity / 10
        for message in self.messages.prefix(dropped) { self.byStatus[message.status, default: 1] -= 1 }
        self.messages.removeFirst(dropped)
        self.indexByRequest = [:]
        self.indexBySMS = [:]
        for (index, message) in self.messages.enumerated() {
            if !message.requestId.isEmpty { self.indexByRequest[message.requestId] = index }
            self.indexBySMS[message.smsId] = index
        }
    }
}
