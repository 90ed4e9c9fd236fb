import DomainKit
import Testing

/// The agency tree reports and staff scopes read: children by name, a subtree, and whether one agency stands under
/// another — also when the data holds a loop, which must not hang anyone.
@Suite("Agency tree")
struct AgencyTreeTests {
    static func agency(_ code: String, _ name: String, _ level: AgencyLevel, under parent: String?) -> Agency {
        Agency(code: code, name: name, level: level, parentCode: parent, email: "\(code)@example.vn", address: "-")
    }

    static let tree = AgencyTree([
        agency("H33", "Tỉnh", .province, under: nil),
        agency("D1", "Huyện B", .district, under: "H33"),
        agency("D2", "Huyện A", .district, under: "H33"),
        agency("C1", "Xã", .commune, under: "D1"),
        agency("S1", "Sở", .department, under: "H33"),
    ])

    @Test func childrenSubtreeAndAncestry() {
        #expect(Self.tree.root?.code == "H33")
        #expect(Self.tree.children(of: "H33").map(\.code) == ["D2", "D1", "S1"], "by name: Huyện A, Huyện B, Sở")
        #expect(Set(Self.tree.subtree(of: "D1")) == ["D1", "C1"])
        #expect(Self.tree.subtree(of: "H33").count == 5)
        #expect(Self.tree.contains("C1", under: "H33") && Self.tree.contains("C1", under: "D1") && Self.tree.contains("D1", under: "D1"))
        #expect(!Self.tree.contains("C1", under: "D2") && !Self.tree.contains("H33", under: "D1") && !Self.tree.contains("X9", under: "H33"))
    }

    @Test func aLoopInTheDataEndsTheWalks() {
        let looped = AgencyTree([Self.agency("A", "A", .district, under: "B"), Self.agency("B", "B", .district, under: "A")])
        #expect(Set(looped.subtree(of: "A")) == ["A", "B"])
        #expect(!looped.contains("A", under: "Z"))
        #expect(looped.root == nil)
    }
}
