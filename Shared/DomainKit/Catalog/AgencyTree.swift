/// The province's agencies as a tree, built once from a list: the agencies under one, and whether one stands under
/// another. Reports roll figures up it, staff are scoped by it (an agency's admin manages its subtree), and a
/// commune's staff read their own agency's figures while the district above them reads theirs.
public struct AgencyTree: Sendable {
    /// Every agency, by code.
    public let agencies: [String: Agency]
    private let childCodes: [String: [String]]

    public init(_ agencies: some Sequence<Agency>) {
        var byCode: [String: Agency] = [:]
        var children: [String: [String]] = [:]
        for agency in agencies where byCode[agency.code] == nil {
            byCode[agency.code] = agency
            if let parent = agency.parentCode { children[parent, default: []].append(agency.code) }
        }
        self.agencies = byCode
        self.childCodes = children
    }

    /// The agency with no parent (the province).
    public var root: Agency? { self.agencies.values.first { $0.parentCode == nil } }

    /// The agencies directly under `code`, by name.
    public func children(of code: String) -> [Agency] {
        (self.childCodes[code] ?? []).compactMap { self.agencies[$0] }.sorted { ($0.name, $0.code) < ($1.name, $1.code) }
    }

    /// The agency and every agency below it.
    public func subtree(of code: String) -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        var queue = [code]
        while let next = queue.popLast() {
            guard seen.insert(next).inserted else { continue }
            result.append(next)
            queue.append(contentsOf: self.childCodes[next] ?? [])
        }
        return result
    }

    /// Whether `code` is `ancestor` or stands anywhere under it.
    public func contains(_ code: String, under ancestor: String) -> Bool {
        var current: String? = code
        var steps = 0
        while let at = current, steps <= self.agencies.count {
            if at == ancestor { return true }
            current = self.agencies[at]?.parentCode
            steps += 1
        }
        return false
    }
}
