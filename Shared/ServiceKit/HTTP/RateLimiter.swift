import Foundation
import Hummingbird
import Synchronization

/// A token bucket per caller: `burst` requests at once, refilled at `perMinute`. Kept in each process's memory, so
/// with N replicas a caller gets at most N times the rate — the point is to slow guessing, not to meter exactly.
public final class RateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var updated: ContinuousClock.Instant }

    private let capacity: Double
    private let refillPerSecond: Double
    /// A lock rather than an actor: it is taken for every look-up and every message, and held for a few additions.
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perMinute: Int, burst: Int) {
        self.capacity = Double(max(1, burst))
        self.refillPerSecond = Double(max(1, perMinute)) / 60
    }

    /// Nil when the request may go on, else the seconds until it may.
    public func take(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        self.buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: self.capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(self.capacity, bucket.tokens + seconds * self.refillPerSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                self.forgetIdleCallers(&buckets, now: now)
                return nil
            }
            return Int(((1 - bucket.tokens) / self.refillPerSecond).rounded(.up))
        }
    }

    /// Full buckets carry no information; dropping them keeps memory bounded under many callers.
    private func forgetIdleCallers(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        guard buckets.count > 10_000 else { return }
        let idle = Duration.seconds(self.capacity / self.refillPerSecond)
        buckets = buckets.filter { now - $0.value.updated < idle }
    }
}

/// Answers 429 with Retry-After once a caller (by forwarded or remote address) runs out of its bucket.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let limiter: RateLimiter

    public init(limiter: RateLimiter) {
        self.limiter = limiter
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let retryAfter = self.limiter.take(context.clientAddress(request)) {
            throw Problem.tooManyRequests("Too many requests from your address; try again in \(retryAfter) seconds.", retryAfter: retryAfter)
        }
        return try await next(request, context)
    }
}
