import Foundation

/// One entry of the audit trail: who did what to what, when and from where. Services only ever add entries, in the
/// transaction of the change they record; no route changes or removes one.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var at: Date
    /// The account that acted (or `service:<name>`).
    public var actor: String
    /// What was done: a dossier action (`receive`, `forward`, …) or an account change (`staff.create`, `staff.disable`, …).
    public var action: String
    /// What it was done to: `dossier <code>`, `account <id>`.
    public var target: String
    public var detail: String?
    /// The address the request came from, when the service knew it.
    public var address: String?
    /// The service that keeps the entry.
    public var source: String

    public init(at: Date, actor: String, action: String, target: String, detail: String?, address: String?, source: String) {
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.address = address
        self.source = source
    }
}
