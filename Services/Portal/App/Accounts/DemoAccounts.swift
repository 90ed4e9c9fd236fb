import DomainKit
import Foundation
import Logging
import ServiceKit

/// The demo's people (`DomainKit.DemoPeople`), made at start when `DEMO_DATA` is set and only where their phone has no
/// account yet, under their fixed ids.
enum DemoAccounts {
    static let password = DemoPeople.password

    static func seed(_ service: AccountService, logger: Logger) async throws {
        let now = service.now()
        var made = 0
        for person in DemoPeople.people where try await service.database.read({ try await service.accounts.find(phone: person.phone, in: $0) }) == nil {
            let account = AccountRecord(id: person.accountID, phone: person.phone, citizenId: person.citizenId, fullName: person.name,
                                        email: nil, passwordHash: try await service.passwords.hash(self.password), roles: person.roles,
                                        agency: person.agency, phoneVerifiedAt: now, failedSignIns: 0, lockedUntil: nil, createdAt: now)
            if try await service.database.transaction({ try await service.accounts.insert(account, in: $0) }) { made += 1 }
        }
        if made > 0 { logger.info("demo accounts made", metadata: ["count": .stringConvertible(made), "password": .string(self.password)]) }
    }
}
