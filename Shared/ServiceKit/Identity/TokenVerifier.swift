import Crypto
import Foundation
import JWTKit
import Logging
import Synchronization

/// Verifies bearer tokens: the portal's ES256 access tokens (keys fetched from its JWKS) and HS256 service tokens.
public actor TokenVerifier {
    public typealias JWKSFetcher = @Sendable () async throws -> JWKSDocument

    private var keys: JWTKeyCollection
    /// Key ids this verifier holds: JWTKit falls back to a default key for an unknown id, so ids are checked here first.
    private var knownKeyIDs: Set<String> = [TokenVerifier.serviceKeyID.string]
    private let serviceSecret: String
    /// This service's name: a service token must be meant for it (`aud`). Nil only in verifiers that sign, never check.
    private let audience: String?
    /// The longest a token may live (`exp` - `iat`): a stolen token with a ten-year life is refused.
    private let maximumLifetime: TimeInterval
    private let fetchJWKS: JWKSFetcher?
    /// Seconds between fetches of the portal's keys.
    private let refreshInterval: TimeInterval
    /// Tokens already verified, until they expire: a citizen's or a service's token is presented again and again,
    /// and checking an ES256 signature each time costs more than the rest of a small request. Cleared whenever the
    /// key set changes, and when full.
    /// Kept under a lock rather than in the actor, so that a token seen before is answered on the caller's thread
    /// without a hop to the actor; with the time after which the portal's keys are fetched again (nil: never, when
    /// only service tokens are accepted) — until then no token is answered there, so that a fetch is not skipped.
    private let verified: Mutex<Verified>
    private struct Verified {
        var tokens: [String: (identity: Identity, issued: Date, expires: Date)] = [:]
        var refreshAfter: Date?
        /// Accounts whose tokens issued before a time are refused (`revoke`).
        var revoked: [String: Date] = [:]

        func isRevoked(_ subject: String, issued: Date) -> Bool { self.revoked[subject].map { issued <= $0 } ?? false }
    }
    /// Service tokens this process signed, by service and lifetime, with when to sign a new one.
    private var issued: [String: (token: String, renewAt: Date)] = [:]
    private static let verifiedLimit = 10_000
    /// Twelve hours: the longest an operator's token (`portal token --minutes`) may be made for.
    public static let defaultMaximumLifetime: TimeInterval = 12 * 3600
    private static let serviceKeyID = JWKIdentifier(string: "motcua-service")

    /// - Parameter fetchJWKS: how to get the portal's public keys; nil when only service tokens are accepted
    ///   (or when `trust(_:)` provides the keys, as the portal and tests do).
    /// - Parameter refreshInterval: seconds after which the portal's keys are fetched again, so that a key it
    ///   dropped stops working.
    /// - Parameter audience: the name of the service this verifier checks tokens for.
    /// - Parameter maximumLifetime: seconds; a token issued for longer is refused.
    public init(serviceSecret: String, audience: String? = nil, maximumLifetime: TimeInterval = TokenVerifier.defaultMaximumLifetime,
                refreshInterval: TimeInterval = 300, fetchJWKS: JWKSFetcher?) async {
        self.serviceSecret = serviceSecret
        self.audience = audience
        self.maximumLifetime = maximumLifetime
        self.refreshInterval = refreshInterval
        self.fetchJWKS = fetchJWKS
        // Portal tokens wait for the first fetch of its keys; service tokens need none.
        self.verified = Mutex(Verified(refreshAfter: fetchJWKS == nil ? nil : .distantPast))
        self.keys = await Self.baseKeys(serviceSecret: serviceSecret)
    }

    private static func baseKeys(serviceSecret: String) async -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        // HS256 wants a 256-bit key; hashing the shared secret gives one whatever the secret's length.
        let key = SymmetricKey(data: SHA256.hash(data: Data(serviceSecret.utf8)))
        await keys.add(hmac: HMACKey(key: key), digestAlgorithm: .sha256, kid: serviceKeyID)
        return keys
    }

    /// Accepts tokens signed by these keys without fetching (the portal verifies its own tokens this way).
    public func trust(_ jwks: JWKSDocument) async throws {
        let json = String(decoding: try JSONEncoder().encode(jwks), as: UTF8.self)
        try await self.keys.add(jwksJSON: json)
        self.knownKeyIDs.formUnion(jwks.keys.map(\.kid))
        self.loaded(Date(), forget: true)
    }

    /// Notes when the keys were loaded (fetched tokens are answered from memory until the next fetch is due), and
    /// forgets the tokens verified with the keys before.
    private func loaded(_ at: Date, forget: Bool) {
        let refreshAfter = self.fetchJWKS == nil ? nil : at.addingTimeInterval(self.refreshInterval)
        self.verified.withLock { verified in
            verified.refreshAfter = refreshAfter
            if forget { verified.tokens = [:] }
        }
    }

    /// The identity of a token verified before and not yet expired; else nil. Also nil while the keys are due to be
    /// fetched, unless `evenIfRefreshIsDue` (once the fetch was tried: a portal that is down does not make every
    /// remembered token cost a signature check).
    private nonisolated func known(_ token: String, at now: Date, evenIfRefreshIsDue: Bool = false) -> Identity? {
        self.verified.withLock { verified in
            if !evenIfRefreshIsDue, let after = verified.refreshAfter, now > after { return nil }
            guard let known = verified.tokens[token] else { return nil }
            guard known.expires > now, !verified.isRevoked(known.identity.subject, issued: known.issued) else {
                verified.tokens[token] = nil
                return nil
            }
            return known.identity
        }
    }

    /// Refuses from now on every token of `subject` issued at or before `since` (a disabled account, a reset password),
    /// including tokens verified before.
    public nonisolated func revoke(_ subject: String, since: Date) {
        self.verified.withLock { verified in
            if let known = verified.revoked[subject], known >= since { return }
            verified.revoked[subject] = since
        }
    }

    /// The identity in a token, or a 401 problem saying what is wrong with it. A token verified before is answered
    /// from memory, on the caller's thread.
    public nonisolated func verify(_ token: String) async throws -> Identity {
        if let identity = self.known(token, at: Date()) { return identity }
        return try await self.check(token)
    }

    private func check(_ token: String) async throws -> Identity {
        let now = Date()
        if let after = self.verified.withLock({ $0.refreshAfter }), now > after {
            await self.refresh()
        }
        if let identity = self.known(token, at: now, evenIfRefreshIsDue: true) { return identity }
        guard let keyID = Self.keyID(of: token) else {
            throw Problem.unauthorized("The access token is not valid: it is not a JWT that names its key.")
        }
        if !self.knownKeyIDs.contains(keyID) {
            // A key rotated at the portal: fetch once more before refusing.
            await self.refresh()
            guard self.knownKeyIDs.contains(keyID) else {
                throw Problem.unauthorized("The access token is not valid: it is signed with a key this platform does not know.")
            }
        }
        do {
            let claims = try await self.keys.verify(token, as: AccessClaims.self)
            try self.admit(claims, serviceKey: keyID == Self.serviceKeyID.string, now: now)
            let revoked = self.verified.withLock { verified in
                guard !verified.isRevoked(claims.sub.value, issued: claims.iat.value) else { return true }
                if verified.tokens.count >= Self.verifiedLimit { verified.tokens.removeAll(keepingCapacity: true) }
                verified.tokens[token] = (claims.identity, claims.iat.value, claims.exp.value)
                return false
            }
            guard !revoked else {
                throw Problem(.unauthorized, type: "account.disabled",
                              detail: "This account was disabled, or its sign-ins were ended, after this token was issued; sign in again.")
            }
            return claims.identity
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem.unauthorized("The access token is not valid: \(Self.reason(error)).")
        }
    }

    /// The checks a signature does not make: who issued the token, for whom, and for how long.
    private func admit(_ claims: AccessClaims, serviceKey: Bool, now: Date) throws(Problem) {
        func refuse(_ reason: String) -> Problem { Problem.unauthorized("The access token is not valid: \(reason).") }
        let lifetime = claims.exp.value.timeIntervalSince(claims.iat.value)
        guard lifetime <= self.maximumLifetime else {
            throw refuse("it was issued for \(Int(lifetime / 60)) minutes, longer than the \(Int(self.maximumLifetime / 60)) this platform allows")
        }
        guard claims.iat.value <= now.addingTimeInterval(60) else { throw refuse("it says it was issued in the future") }
        let audiences = claims.aud?.value ?? []
        if serviceKey {
            guard claims.roles == [.service], claims.sub.value == "service:" + claims.iss.value else {
                throw refuse("a service token names its service as subject and issuer and carries the service role only")
            }
            if let audience = self.audience, !audiences.contains(audience) {
                throw refuse("it is meant for \(audiences.isEmpty ? "no service" : audiences.joined(separator: ", ")), not for \(audience)")
            }
        } else {
            guard claims.iss.value == TokenIssuer.issuer else { throw refuse("it was issued by '\(claims.iss.value)', not by the portal") }
            guard audiences.contains(TokenIssuer.audience) else { throw refuse("it is not meant for this platform") }
            guard !claims.roles.contains(.service) else { throw refuse("a person's token cannot carry the service role") }
        }
    }

    /// The `kid` in a token's header, without verifying anything.
    static func keyID(of token: String) -> String? {
        guard let header = token.split(separator: ".", omittingEmptySubsequences: false).first, !header.isEmpty else { return nil }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["kid"] as? String
    }

    /// A token with which the service `service` calls the service `audience` (and only it).
    public func serviceToken(for service: String, to audience: String, lifetime: TimeInterval = 3600) async throws -> String {
        let now = Date()
        let key = "\(service)/\(audience)/\(lifetime)"
        // One token for many calls, renewed at half its life: signing is not free, and the receiver keeps the tokens
        // it has verified, so a token seen before costs it a dictionary look-up instead of a signature check.
        if let issued = self.issued[key], issued.renewAt > now { return issued.token }
        let claims = AccessClaims(identity: Identity(subject: "service:\(service)", roles: [.service]), issuer: service, audience: audience,
                                  issuedAt: now, lifetime: lifetime)
        let token = try await self.keys.sign(claims, kid: Self.serviceKeyID)
        self.issued[key] = (token, now.addingTimeInterval(lifetime / 2))
        return token
    }

    /// A fetch under way, which callers arriving meanwhile wait for rather than start their own; and when the last one
    /// failed: after a failure no fetch is tried for `failureBackoff`, so a key source that is down does not turn every
    /// request into a fetch (and a warning).
    private var inFlight: Task<Void, Never>?
    private var failedAt: Date?
    static let failureBackoff: TimeInterval = 1

    private func refresh() async {
        guard self.fetchJWKS != nil else { return }
        if let running = self.inFlight { return await running.value }
        if let failed = self.failedAt, Date().timeIntervalSince(failed) < min(Self.failureBackoff, self.refreshInterval) { return }
        let running = Task { await self.fetch() }
        self.inFlight = running
        await running.value
        self.inFlight = nil
    }

    private func fetch() async {
        guard let fetchJWKS else { return }
        do {
            let document = try await fetchJWKS()
            let fresh = await Self.baseKeys(serviceSecret: self.serviceSecret)
            let json = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
            try await fresh.add(jwksJSON: json)
            self.keys = fresh
            // A key the portal dropped must stop working at once.
            let keyIDs = Set(document.keys.map(\.kid)).union([Self.serviceKeyID.string])
            let changed = keyIDs != self.knownKeyIDs
            self.knownKeyIDs = keyIDs
            self.loaded(Date(), forget: changed)
            self.failedAt = nil
        } catch {
            self.failedAt = Date()
            // The portal may be starting; service tokens still verify, and a request after the backoff tries again.
            Logger(label: "motcua.identity").warning("could not load the portal's JWKS", metadata: ["error": "\(error)"])
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? JWTError {
            switch error.errorType {
            case .claimVerificationFailure: return "it has expired"
            case .signatureVerificationFailed: return "its signature does not match"
            case .malformedToken: return "it is not a JWT"
            default: return "\(error.errorType)"
            }
        }
        return "it could not be read"
    }
}
