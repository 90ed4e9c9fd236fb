import Foundation

/// Public holidays and the weekend days swapped into working days, loaded as data.
public struct HolidayTable: Sendable, Codable, Equatable {
    /// A day off for everyone in the public sector.
    public struct Holiday: Sendable, Codable, Equatable {
        public let date: LocalDate
        public let name: String
    }

    public var holidays: [Holiday]
    /// Saturdays or Sundays declared working days to compensate a bridged holiday.
    public var workingWeekendDays: [LocalDate]

    public init(holidays: [Holiday] = [], workingWeekendDays: [LocalDate] = []) {
        self.holidays = holidays
        self.workingWeekendDays = workingWeekendDays
    }

    /// Vietnam's public holidays for 2025-2027 as shipped with MotCua (Labour Code 2019, art. 112, and the
    /// government's yearly announcements). Operators replace the file when the government announces a change.
    public static let vietnam: HolidayTable = {
        guard let url = Bundle.module.url(forResource: "holidays-vn", withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url),
              let table = try? JSONDecoder().decode(HolidayTable.self, from: data)
        else { fatalError("DomainKit's bundled holidays-vn.json is missing or malformed") }
        return table
    }()

    /// Loads a table from a JSON file in the same shape as the bundled one.
    public static func load(from url: URL) throws -> HolidayTable {
        try JSONDecoder().decode(HolidayTable.self, from: Data(contentsOf: url))
    }
}
