import Contracts
import DomainKit
import Foundation
import PageKit

/// The GET form every report page opens with: the agency (the person's own and those directly under it, an admin
/// from the province), the period, and for the settlement report the grouping. A report chosen so has an address.
struct ReportChoice {
    enum Text {
        static let agency = Phrase("Cơ quan", "Agency")
        static let from = Phrase("Từ ngày", "From")
        static let to = Phrase("Đến ngày", "To")
        static let by = Phrase("Chia theo", "Rows by")
        static let byAgency = Phrase("Cơ quan trực thuộc", "Agencies under it")
        static let byProcedure = Phrase("Thủ tục hành chính", "Procedure")
        static let show = Phrase("Xem báo cáo", "Show")
    }

    let action: String
    let agency: FormField
    let from: FormField
    let to: FormField
    let by: FormField?
    let show: String

    init(_ pages: StaffPages, _ visit: Visit, action: String, agencyCode: String, from: LocalDate, to: LocalDate,
         grouping: SettlementReport.Grouping?) async throws {
        let language = visit.language
        let agencies = try await pages.agencyChoices(visit, current: agencyCode)
        self.action = action
        self.agency = FormField("agency", label: Text.agency, language: language, value: agencyCode,
                                options: agencies.map { FormField.Option(value: $0.code, label: $0.name) })
        self.from = FormField("from", label: Text.from, language: language, value: from.description, type: "date")
        self.to = FormField("to", label: Text.to, language: language, value: to.description, type: "date")
        self.by = grouping.map { grouping in
            FormField("by", label: Text.by, language: language, value: grouping.rawValue, options: [
                FormField.Option(value: "agency", label: Text.byAgency(language)), FormField.Option(value: "procedure", label: Text.byProcedure(language))])
        }
        self.show = Text.show(language)
    }
}
