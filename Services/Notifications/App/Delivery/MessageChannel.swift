import Contracts
import DomainKit
import ServiceKit

/// Where a claimed message is handed over: the SMS gateway, the mail server. Each answers what came of it; none
/// throws, since every failure is an outcome the queue records and retries or gives up on.
protocol MessageChannel: Sendable {
    func hand(_ message: DeliveryQueue.Claimed) async -> DeliveryQueue.Outcome
}

/// How the gateway's delivery report reaches us and proves it is about a message we sent: the callback URL given
/// with each message carries the message id and an HMAC of it, which only we can make.
struct SMSCallback: Sendable {
    /// This service as the gateway reaches it, e.g. `https://thongbao.kiengiang.gov.vn`.
    let baseURL: String
    private let signer: MessageAuthentication.SHA256Signer

    init(baseURL: String, secret: String) {
        self.baseURL = baseURL
        self.signer = MessageAuthentication.SHA256Signer(key: secret)
    }

    static let pathPrefix = "/callbacks/esms"

    func signature(for id: String) -> String {
        String(self.signer.hex("esms-report:" + id).prefix(32))
    }

    func url(for id: String) -> String {
        self.baseURL + Self.pathPrefix + "/" + id + "/" + self.signature(for: id)
    }

    func verify(id: String, signature: String) -> Bool {
        MessageAuthentication.same(self.signature(for: id), signature)
    }
}
