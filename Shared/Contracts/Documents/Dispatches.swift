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
