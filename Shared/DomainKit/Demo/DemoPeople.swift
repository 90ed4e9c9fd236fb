import Foundation

/// The demo's people (`DEMO_DATA`): a citizen; staff of the commune of Hòn Tre (Kiên Hải) whose dossiers the demo
/// catalog's commune procedures reach; the district of Kiên Hải's counter and leader, and the land department's
/// specialist its land registrations pass through; an editor and an administrator. The portal makes their accounts;
/// single-window's demo year hands its dossiers at their agencies to them, by the fixed ids below, so that the queues
/// and histories name people one can sign in as.
public enum DemoPeople {
    public static let password = "demo1234"

    public struct Person: Sendable {
        public let phone: String
        public let name: String
        public let citizenId: String?
        public let roles: [Role]
        public let agency: String?

        /// The account's id: a UUID made of the phone number, the same in every demo.
        public var accountID: String { DemoPeople.accountID(phone: self.phone) }
    }

    public static let people = [
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
        Person(phone: "0911000010", name: "Mai Thị Quyên (quản trị tài khoản huyện Kiên Hải)", citizenId: nil, roles: [.agencyAdmin],
               agency: "000.00.55.H33"),
    ]

    /// "00000000-0000-4000-8000-000911000001" for 0911000001: a well-formed UUID no random one collides with.
    public static func accountID(phone: String) -> String {
        "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - phone.count)) + phone.suffix(12)
    }

    /// The first demo person with `role` at the agency (the one its demo dossiers are handed to), if there is one.
    public static func first(_ role: Role, at agency: String) -> Person? {
        self.people.first { $0.agency == agency && $0.roles.contains(role) }
    }
}
