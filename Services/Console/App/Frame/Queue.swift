import Contracts
import DomainKit
import PageKit

/// The work queues (hàng đợi) of the navigation, each a filter of single-window's inbox and a count.
enum Queue: String, CaseIterable, Sendable {
    case online
    case received
    case mine
    case supplement
    case fee
    case results
    case dueSoon = "due-soon"
    case overdue
    /// Settled: returned, refused, withdrawn or stopped, the newest first (years of them, paged by keyset).
    case done

    var label: Phrase {
        switch self {
        case .online: Phrase("Trực tuyến chờ tiếp nhận", "Online, awaiting intake")
        case .received: Phrase("Đang giải quyết", "In progress")
        case .mine: Phrase("Giao cho tôi", "Assigned to me")
        case .supplement: Phrase("Chờ bổ sung", "Awaiting a supplement")
        case .fee: Phrase("Chờ nộp phí", "Awaiting a fee")
        case .results: Phrase("Trả kết quả", "Results to return")
        case .dueSoon: Phrase("Sắp đến hạn", "Due soon")
        case .overdue: Phrase("Quá hạn", "Overdue")
        case .done: Phrase("Đã giải quyết", "Settled")
        }
    }

    /// The inbox's filter for this queue.
    var inboxQuery: [(String, String)] {
        switch self {
        case .online: [("status", String(DossierStatus.submitted.rawValue))]
        case .received: [("status", "\(DossierStatus.received.rawValue),\(DossierStatus.processing.rawValue)")]
        case .mine: [("assignedTo", "me")]
        case .supplement: [("status", String(DossierStatus.supplementRequested.rawValue))]
        case .fee: [("status", String(DossierStatus.awaitingFee.rawValue))]
        case .results: [("status", String(DossierStatus.resultReady.rawValue))]
        case .dueSoon: [("due", "soon")]
        case .overdue: [("due", "overdue")]
        case .done: [("status", [DossierStatus.delivered, .refused, .withdrawn, .stopped].map { String($0.rawValue) }.joined(separator: ","))]
        }
    }

    /// Whether its own filter sets this inbox parameter (then the officer's filter form does not offer it).
    func fixes(_ name: String) -> Bool { self.inboxQuery.contains { $0.0 == name } }

    /// The order it opens in (`InboxSort`): the nearest deadline first; the settled, the newest first.
    var defaultSort: String { self == .done ? "-submitted" : "due" }

    /// Its count in an inbox answer (which carries every open queue's, whatever its own filter); none for the settled.
    func count(in page: InboxPage) -> Int? {
        switch self {
        case .online: page.countsByStatus[String(DossierStatus.submitted.rawValue)] ?? 0
        case .received: (page.countsByStatus[String(DossierStatus.received.rawValue)] ?? 0) + (page.countsByStatus[String(DossierStatus.processing.rawValue)] ?? 0)
        case .mine: page.queueCounts?["mine"] ?? 0
        case .supplement: page.countsByStatus[String(DossierStatus.supplementRequested.rawValue)] ?? 0
        case .fee: page.countsByStatus[String(DossierStatus.awaitingFee.rawValue)] ?? 0
        case .results: page.countsByStatus[String(DossierStatus.resultReady.rawValue)] ?? 0
        case .dueSoon: page.queueCounts?["dueSoon"] ?? 0
        case .overdue: page.queueCounts?["overdue"] ?? 0
        case .done: nil
        }
    }

    /// The key that opens it from anywhere (with Alt, as the help overlay says).
    var shortcut: String { String(Queue.allCases.firstIndex(of: self)! + 1) }
}
