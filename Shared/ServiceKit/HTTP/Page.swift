import Hummingbird

/// One page of a list: the items, how many there are in all, and which page this is.
public struct Page<Item: Codable & Sendable>: Codable, Sendable, ResponseEncodable {
    public var items: [Item]
    public var total: Int
    public var page: Int
    public var pageSize: Int

    public init(items: [Item], total: Int, page: Int, pageSize: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.pageSize = pageSize
    }
}
