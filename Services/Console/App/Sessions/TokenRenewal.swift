import Foundation
import ServiceKit

/// Keeps an officer's access token fresh for whoever acts for them: their pages, in several tabs and on several
/// instances, and the background jobs they started. One of them at a time renews at the portal (the claim in
/// `staff_sessions`); the others wait for the new tokens and use them, since a refresh token shown twice ends the
/// sign-in at the portal.
struct TokenRenewal: Sendable {
    let sessions: StaffSessions
    let accounts: PortalAccounts
    let now: @Sendable () -> Date
    /// A token this close to its end is renewed before use.
    static let margin: TimeInterval = 60
    /// How long a claim holds when its holder dies mid-renewal (the portal's answer comes within a few seconds).
    static let lease: TimeInterval = 20
    /// How long a page or job waits for someone else's renewal before saying the portal does not answer.
    static let patience: Duration = .seconds(25)

    private func isFresh(_ session: StaffSession) -> Bool { session.accessExpiresAt.timeIntervalSince(self.now()) > Self.margin }

    enum Outcome: Sendable {
        case fresh(StaffSession)
        /// The session is over (signed out, expired, or the portal refused its refresh token), and has been ended.
        case ended
    }

    /// The session under `hash` with an access token good for at least `margin` (`known`, the session as the caller
    /// just read it, when its token is good still: nothing is read again); the portal's refusal (401) ends the
    /// session, other failures (it does not answer, 429) are thrown and change nothing.
    func fresh(hash: String, known: StaffSession? = nil, clientAddress: String, requestID: String) async throws -> Outcome {
        if let known, self.isFresh(known) { return .fresh(known) }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: Self.patience)
        while true {
            guard let seen = try await self.sessions.find(hash: hash, now: self.now()) else { return .ended }
            if self.isFresh(seen) { return .fresh(seen) }
            if try await self.sessions.claimRenewal(hash: hash, lease: Self.lease, now: self.now()) {
                // Read again under the claim: someone may have renewed between the read above and the claim, and
                // their refresh token is the only one still good.
                guard var session = try await self.sessions.find(hash: hash, now: self.now()) else { return .ended }
                if self.isFresh(session) {
                    try await self.sessions.releaseRenewal(hash: hash)
                    return .fresh(session)
                }
                do {
                    let tokens = try await self.accounts.refresh(session.refreshToken, clientAddress: clientAddress, requestID: requestID)
                    session.accessToken = tokens.accessToken
                    session.refreshToken = tokens.refreshToken
                    session.accessExpiresAt = self.now().addingTimeInterval(TimeInterval(tokens.expiresIn))
                    try await self.sessions.update(hash: hash, with: session)
                    return .fresh(session)
                } catch let problem as Problem where problem.statusCode == 401 {
                    try await self.sessions.end(hash: hash)
                    return .ended
                } catch {
                    try? await self.sessions.releaseRenewal(hash: hash)
                    throw error
                }
            }
            guard clock.now < deadline else {
                throw Problem.unavailable("The sign-in service is slow to renew your session; try again in a moment.")
            }
            try await Task.sleep(for: .milliseconds(150))
        }
    }
}
