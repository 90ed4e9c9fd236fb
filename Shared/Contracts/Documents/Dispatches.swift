import Foundation

/// The payload of `document.dispatched` and `document.acknowledged`: an official document reaching, or acknowledged
/// by, one recipient agency.
public struct DispatchEvent: Codable, Sendable, Equatable {
    public var documentId: String
    public var dispatchId: String
    public var symbol: String?
    public var excerpt: String?
    /// The issuing agency's code.
    public var sender: String?
    public var recipient: String
    /// Its number in the recipient's incoming register.
    public var receivedNumber: Int

    public init(documentId: String, dispatchId: String, symbol: String?, excerpt: String?, sender: String?, recipient: String, receivedNumber: Int) {
        self.documentId = documentId
        self.dispatchId = dispatchId
        self.symbol = symbol
        self.excerpt = excerpt
        self.sender = sender
        self.recipient = recipient
        self.receivedNumber = receivedNumber
    }
}

/// The payload of `document.sign-requested`: who is asked to sign what, by whom, until when.
public struct SignRequestEvent: Codable, Sendable, Equatable {
    public var requestId: String
    public var documentId: String
    public var documentName: String
    public var signer: String
    public var requestedBy: String
    public var reason: String?
    public var expiresAt: Date

    public init(requestId: String, documentId: String, documentName: String, signer: String, requestedBy: String, reason: String?, expiresAt: Date) {
        self.requestId = requestId
        self.documentId = documentId
        self.documentName = documentName
        self.signer = signer
        self.requestedBy = requestedBy
        self.reason = reason
        self.expiresAt = expiresAt
    }
}
