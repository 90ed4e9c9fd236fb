import Contracts
import DomainKit
import Foundation

/// What the reports read about a dossier, kept as columns of `dossiers` beside its body (written with every change,
/// as `InboxColumns`), so that a report over years of dossiers counts rows and never decodes one:
///
/// - `closed_at`: when it left the open dossiers — its result (`finished_at`), a refusal, a withdrawal or a stop;
/// - `supplement_rounds`: supplements asked for after it was received;
/// - `digitised`: 1 when a component is held as a file; `electronic_result`: 1 when its result is a signed file;
/// - `paid_online` (not from the body: written when payments says a fee was paid): 1 through the gateway, 0 in cash.
struct ReportColumns {
    let closedAt: Int64?
    let supplementRounds: Int
    let digitised: Int
    let electronicResult: Int

    /// The statuses a dossier leaves the open ones by.
    static let closing: Set<DossierStatus> = [.resultReady, .delivered, .refused, .withdrawn, .stopped]

    init(_ dossier: StoredDossier) {
        self.closedAt = Self.closedAt(dossier)?.epochMilliseconds
        self.supplementRounds = dossier.supplementRounds ?? 0
        self.digitised = dossier.attachments.contains(where: \.isDigitised) ? 1 : 0
        self.electronicResult = dossier.result == nil ? 0 : 1
    }

    private static func closedAt(_ dossier: StoredDossier) -> Date? {
        guard Self.closing.contains(dossier.status) else { return nil }
        if let finished = dossier.clock.finishedAt { return finished }
        return dossier.steps?.first(where: { Self.closing.contains($0.status) })?.at ?? dossier.submittedAt
    }
}
