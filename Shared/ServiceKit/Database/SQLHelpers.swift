import Foundation
import SQLKit

/// Times are stored as epoch milliseconds (`BIGINT`): the same on SQLite and PostgreSQL, and ordered as numbers.
extension Date {
    public var epochMilliseconds: Int64 { Int64((self.timeIntervalSince1970 * 1000).rounded()) }

    public init(epochMilliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000)
    }
}

extension SQLFunction {
    /// `COUNT(*)`, for grouped counts.
    public static var countAll: SQLFunction { SQLFunction("COUNT", args: SQLLiteral.all) }
}

extension SQLSelectBuilder {
    /// The number of rows the query's table and filters select.
    public func countRows() async throws -> Int {
        struct Count: Decodable { let n: Int }
        return try await self.column(SQLFunction.countAll, as: "n").first(decoding: Count.self)?.n ?? 0
    }
}
