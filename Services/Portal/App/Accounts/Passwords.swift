import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's thread pool: a hash at cost 12 takes a quarter of a second and must not hold an event loop.
struct Passwords: Sendable {
    /// 12 in service; tests lower it (`BCRYPT_COST`) so that a suite of sign-ins stays quick.
    let cost: UInt8
    /// A hash of nothing anyone types, checked when the phone is unknown, so that an unknown phone takes as long as
    /// a wrong password and the answer's timing does not tell which phones have accounts.
    let decoy: String

    init(cost: UInt8) async throws {
        self.cost = cost
        self.decoy = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(UUID().uuidString, cost: cost) }
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

}
