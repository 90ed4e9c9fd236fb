import ServiceKit

/// Event types that cross service boundaries, and who subscribes to each (DESIGN.md, "Events between services").
public enum EventType {
    public static let dossierSubmitted = "dossier.submitted"
    public static let dossierReceived = "dossier.received"
    public static let dossierStatusChanged = "dossier.status-changed"
    public static let dossierResultReady = "dossier.result-ready"
    public static let dossierDelivered = "dossier.delivered"
    public static let dossierDueSoon = "dossier.due-soon"
    /// An inter-agency dossier moved to the next agency: its officers see it in their inbox.
    public static let dossierTransferred = "dossier.transferred"
    /// An officer filed a result for a leader to sign: documents makes the sign request.
    public static let dossierResultDrafted = "dossier.result-drafted"
    public static let paymentSucceeded = "payment.succeeded"
    public static let paymentFailed = "payment.failed"
    public static let paymentRefunded = "payment.refunded"
    public static let documentSigned = "document.signed"
    /// An official document reached a recipient agency's incoming register (one event per recipient).
    public static let documentDispatched = "document.dispatched"
    /// A recipient agency acknowledged an official document.
    public static let documentAcknowledged = "document.acknowledged"
    /// A leader is asked to sign a document from their phone.
    public static let documentSignRequested = "document.sign-requested"
    /// A sign request ended unsigned: refused by the leader, or expired.
    public static let documentSignDeclined = "document.sign-declined"
    /// Emitted by every service once at first start: proves the outbox path end to end.
    public static let serviceStarted = "platform.service-started"
    /// An account disabled at the portal: its tokens issued until then stop working (`Revocations`).
    public static let accountDisabled = Revocations.eventType
}

/// Which service sends each event type: a receiver refuses the type from any other (`payment.*` from payments only).
/// `platform.service-started` is every service's own and is not listed.
public enum Publishers {
    public static let table: [String: String] = Dictionary(uniqueKeysWithValues: Subscriptions.table.keys.compactMap { type in
        let owner: String? = switch type.split(separator: ".").first {
        case "dossier": Topology.singleWindow
        case "payment": Topology.payments
        case "document": Topology.documents
        case "account": Topology.portal
        default: nil
        }
        return owner.map { (type, $0) }
    })
}

/// Which services receive which events. The sender's outbox writes one delivery per subscriber.
public enum Subscriptions {
    public static let table: [String: [String]] = [
        // Not the portal: its look-up keeps only answers for dossiers it found, and a dossier just submitted had none.
        EventType.dossierSubmitted: [Topology.notifications],
        EventType.dossierReceived: [Topology.notifications, Topology.portal],
        EventType.dossierStatusChanged: [Topology.notifications, Topology.portal],
        EventType.dossierResultReady: [Topology.notifications, Topology.portal],
        EventType.dossierDelivered: [Topology.notifications, Topology.portal],
        EventType.dossierDueSoon: [Topology.notifications],
        EventType.dossierTransferred: [Topology.notifications, Topology.portal, Topology.documents],
        EventType.dossierResultDrafted: [Topology.documents],
        EventType.paymentSucceeded: [Topology.singleWindow],
        EventType.paymentFailed: [Topology.singleWindow],
        EventType.paymentRefunded: [Topology.singleWindow],
        EventType.documentSigned: [Topology.singleWindow],
        EventType.documentDispatched: [Topology.notifications],
        EventType.documentAcknowledged: [Topology.notifications],
        EventType.documentSignRequested: [Topology.notifications],
        EventType.documentSignDeclined: [Topology.singleWindow],
        EventType.serviceStarted: [Topology.portal],
        EventType.accountDisabled: [Topology.console, Topology.singleWindow, Topology.documents, Topology.payments, Topology.notifications],
    ]
}
