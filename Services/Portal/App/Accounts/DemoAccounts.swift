import DomainKit
import Foundation
import Logging
import ServiceKit

/// The demo's people, made at start when `DEMO_DATA` is set and only where their phone has no account yet: a
/// citizen; staff of the commune of Hòn Tre (Kiên Hải) whose dossiers the demo catalog's commune procedures reach; the
/// district of Kiên Hải's counter and leader, and the land department's specialist its land registrations pass through.
enum DemoAccounts {
    static let password = "demo1234"

    struct Person {
        let phone: String
        let name: String
        let citizenId: String?
        let roles: [Role]
        let agency: String?
    }

    static let people = [
        Person(phone: "0912345678", name: "Nguyễn Văn An", citizenId: "091095000123", roles: [.citizen], agency: nil),
        Person(phone: "0911000001", name: "Trần Thị Bích (cán bộ một cửa xã Hòn Tre)", citizenId: nil, roles: [.officer], agency: "000.55.01.H33"),
        Person(phone: "0911000002", name: "Lê Văn Cường (Chủ tịch UBND xã Hòn Tre)", citizenId: nil, roles: [.leader], agency: "000.55.01.H33"),
        Person(phone: "0911000004", name: "Đỗ Minh Đức (công chức tư pháp - hộ tịch xã Hòn Tre)", citizenId: nil, roles: [.officer],
               agency: "000.55.01.H33"),
        Person(phone: "0911000005", name: "Võ Thị Hạnh (cán bộ một cửa huyện Kiên Hải)", citizenId: nil, roles: [.officer], agency: "000.00.55.H33"),
        Person(phone: "0911000006", name: "Huỳnh Văn Khoa (Phó Chủ tịch UBND huyện Kiên Hải)", citizenId: nil, roles: [.leader],
               agency: "000.00.55.H33"),
        Person(phone: "0911000007", name: "Ngô Thị Lan (chuyên viên Sở Tài nguyên và Môi trường)", citizenId: nil, roles: [.officer],
               agency: "000.00.06.H33"),
        Person(phone: "0911000003", name: "Phạm Thị Dung (biên tập viên Sở Tư pháp)", citizenId: nil, roles: [.editor], agency: "000.00.02.H33"),
        Person(phone: "0911000009", name: "Quản trị hệ thống", citizenId: nil, roles: [.admin], agency: nil),
    ]

    static func seed(_ service: AccountService, logger: Logger) async throws {
        let now = service.now()
        var made = 0
        for person in self.people where try await service.database.read({ try await service.accounts.find(phone: person.phone, in: $0) }) == nil {
            let account = AccountRecord(id: UUID().uuidString.lowercased(), phone: person.phone, citizenId: person.citizenId, fullName: person.name,
                                        email: nil, passwordHash: try await service.passwords.hash(self.password), roles: person.roles,
                                        agency: person.agency, phoneVerifiedAt: now, failedSignIns: 0, lockedUntil: nil, createdAt: now)
            if try await service.database.transaction({ try await service.accounts.insert(account, in: $0) }) { made += 1 }
        }
        if made > 0 { logger.info("demo accounts made", metadata: ["count": .stringConvertible(made), "password": .string(self.password)]) }
    }
}
