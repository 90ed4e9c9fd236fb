import Foundation
import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// bcrypt, run on threads of its own: a hash at cost 12 takes a quarter of a second and must not hold an event loop,
/// nor NIO's shared thread pool, where every SQLite read waits its turn (a burst of sign-ins at 8 o'clock would
/// otherwise stall every catalog page behind it).
struct Passwords: Sendable {
    /// As many threads as cores, started once for the process and kept for its life: hashing still shares the CPU, but
    /// no read waits in a queue behind it, and sign-ins are not held to fewer cores than before.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        return pool
    }()

    /// 12 in service; tests lower it (`BCRYPT_COST`) so that a suite of sign-ins stays quick.
    let cost: UInt8
    /// A hash of nothing anyone types, checked when the phone is unknown, so that an unknown phone takes as long as
    /// a wrong password and the answer's timing does not tell which phones have accounts.
    let decoy: String

    init(cost: UInt8) async throws {
        self.cost = cost
        self.decoy = try await Self.pool.runIfActive { Bcrypt.hash(UUID().uuidString, cost: cost) }
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await Self.pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await Self.pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

}
