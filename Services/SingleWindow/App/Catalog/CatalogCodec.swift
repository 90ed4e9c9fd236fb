import Contracts
import DomainKit
import Foundation
import ServiceKit
import SwiftCSV

/// Reads and writes the catalog as JSON (an array of procedures) or CSV (one procedure a line, lists joined by ";",
/// a document as "name|copies|form|template", a step as "title|performer|share", a fee as "name=amount").
enum CatalogCodec {
    enum Format: String, Sendable {
        case json
        case csv
    }

    /// What a row of a file holds: a procedure, or why it could not be read.
    enum Parsed: Sendable {
        case procedure(Procedure)
        case unreadable([FieldIssue])
    }

    typealias Row = (row: Int, code: String?, result: Parsed)

    static let csvColumns = ["code", "name", "sector", "levels", "agencyCodes", "serviceLevel", "processingDays", "fees", "documents", "steps",
                             "resultType", "legalBasis", "allowsOnlinePayment", "allowsPostalIntake", "allowsPostalDelivery"]

    static func read(_ data: Data, format: Format) throws -> [Row] {
        switch format {
        case .json: try self.readJSON(data)
        case .csv: try self.readCSV(String(decoding: data, as: UTF8.self))
        }
    }

    static func write(_ procedures: [Procedure], format: Format) throws -> Data {
        switch format {
        case .json:
            let encoder = JSONEncoder.motcua
            encoder.outputFormatting.insert(.prettyPrinted)
            return try encoder.encode(procedures)
        case .csv:
            var text = self.csvColumns.joined(separator: ",") + "\r\n"
            for procedure in procedures {
                text += self.csvFields(procedure).map(self.quoted).joined(separator: ",") + "\r\n"
            }
            return Data(text.utf8)
        }
    }

    // MARK: JSON

    private static func readJSON(_ data: Data) throws -> [Row] {
        let elements: [JSONValue]
        do {
            elements = try JSONDecoder().decode([JSONValue].self, from: data)
        } catch {
            throw Problem.badRequest("A JSON catalog is an array of procedures; this body is not a JSON array.")
        }
        return elements.enumerated().map { offset, element in
            var code: String?
            if case .object(let object) = element, case .string(let text)? = object["code"] { code = text }
            do {
                let procedure = try JSONDecoder.motcua.decode(Procedure.self, from: JSONEncoder().encode(element))
                return (offset + 1, code, .procedure(procedure))
            } catch let error as DecodingError {
                return (offset + 1, code, .unreadable([self.issue(error)]))
            } catch {
                return (offset + 1, code, .unreadable([FieldIssue(field: "", code: "format", vi: "Không đọc được dòng này.", en: "This row cannot be read.")]))
            }
        }
    }

    private static func issue(_ error: DecodingError) -> FieldIssue {
        let context: DecodingError.Context
        var field = ""
        switch error {
        case .keyNotFound(let key, let keyContext):
            context = keyContext
            field = (keyContext.codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return FieldIssue(field: field, code: "required", vi: "Thiếu trường \(field).", en: "The field \(field) is missing.")
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return FieldIssue(field: "", code: "format", vi: "Không đọc được dòng này.", en: "This row cannot be read.")
        }
        field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return FieldIssue(field: field, code: "format", vi: "Giá trị của \(field) không đúng dạng.", en: "The value of \(field) has the wrong form.")
    }

    // MARK: CSV

    private static func readCSV(_ text: String) throws -> [Row] {
        let csv: CSV<Enumerated>
        do {
            csv = try CSV<Enumerated>(string: text, delimiter: .comma)
        } catch {
            throw Problem.badRequest("This is not CSV: \(error).")
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
        let missing = self.csvColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw Problem.badRequest("The CSV header lacks the columns \(missing.joined(separator: ", ")); export the catalog to see the layout.")
        }
        return csv.rows.enumerated().map { offset, cells in
            var fields: [String: String] = [:]
            for (index, name) in header.enumerated() where index < cells.count { fields[name] = cells[index] }
            return (offset + 1, fields["code"], self.procedure(fields))
        }
    }

    private static func procedure(_ fields: [String: String]) -> Parsed {
        var issues: [FieldIssue] = []
        func issue(_ field: String, _ vi: String, _ en: String) { issues.append(FieldIssue(field: field, code: "format", vi: vi, en: en)) }
        func list(_ key: String) -> [String] {
            (fields[key] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func flag(_ key: String) -> Bool {
            switch (fields[key] ?? "").lowercased() {
            case "true", "1", "yes", "có", "co": return true
            case "false", "0", "no", "không", "khong", "": return false
            default:
                issue(key, "\(key) phải là true hoặc false.", "\(key) must be true or false.")
                return false
            }
        }
        let levels = list("levels").compactMap { text -> AgencyLevel? in
            guard let level = AgencyLevel(rawValue: text) else {
                issue("levels", "Cấp '\(text)' không có; dùng province, department, district, commune.",
                      "There is no level '\(text)'; use province, department, district, commune.")
                return nil
            }
            return level
        }
        let serviceLevel = Int(fields["serviceLevel"] ?? "").flatMap(ServiceLevel.init(rawValue:))
        if serviceLevel == nil { issue("serviceLevel", "Mức độ dịch vụ là số từ 1 đến 4.", "The service level is a number from 1 to 4.") }
        let days = Int(fields["processingDays"] ?? "")
        if days == nil { issue("processingDays", "Thời hạn giải quyết là số ngày làm việc.", "Processing time is a number of working days.") }
        let fees = list("fees").compactMap { text -> Procedure.Fee? in
            let parts = text.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let amount = Int64(parts[1].trimmingCharacters(in: .whitespaces)) else {
                issue("fees", "Khoản phí viết dạng tên=số tiền.", "Write a fee as name=amount.")
                return nil
            }
            return Procedure.Fee(name: parts[0].trimmingCharacters(in: .whitespaces), amount: VND(amount))
        }
        let documents = list("documents").compactMap { text -> Procedure.RequiredDocument? in
            let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...4).contains(parts.count), let copies = parts.count > 1 ? Int(parts[1]) : 1,
                  let form = parts.count > 2 ? Procedure.DocumentForm(rawValue: parts[2]) : .original
            else {
                issue("documents", "Giấy tờ viết dạng tên|số bản|original/certifiedCopy/copyWithOriginal|mẫu.",
                      "Write a document as name|copies|original/certifiedCopy/copyWithOriginal|template.")
                return nil
            }
            return Procedure.RequiredDocument(name: parts[0], copies: copies, form: form, templateURL: parts.count > 3 && !parts[3].isEmpty ? parts[3] : nil)
        }
        let steps = list("steps").compactMap { text -> Procedure.Step? in
            let parts = text.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, let share = Int(parts[2]) else {
                issue("steps", "Bước xử lý viết dạng tên|người thực hiện|tỷ lệ %.", "Write a step as title|performer|share percent.")
                return nil
            }
            return Procedure.Step(title: parts[0], performer: parts[1], sharePercent: share)
        }
        let payment = flag("allowsOnlinePayment"), postalIntake = flag("allowsPostalIntake"), postalDelivery = flag("allowsPostalDelivery")
        guard issues.isEmpty, let serviceLevel, let days else { return .unreadable(issues) }
        return .procedure(Procedure(
            code: fields["code"] ?? "", name: fields["name"] ?? "", sector: fields["sector"] ?? "", levels: levels,
            agencyCodes: list("agencyCodes"), serviceLevel: serviceLevel, processingDays: days, fees: fees, documents: documents, steps: steps,
            resultType: fields["resultType"] ?? "", legalBasis: list("legalBasis"), allowsOnlinePayment: payment,
            allowsPostalIntake: postalIntake, allowsPostalDelivery: postalDelivery
        ))
    }

    /// A procedure's cells in the CSV layout, by column (the console's editor).
    static func cells(_ procedure: Procedure) -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(Self.csvColumns, Self.csvFields(procedure)))
    }

    private static func csvFields(_ p: Procedure) -> [String] {
        [
            p.code, p.name, p.sector, p.levels.map(\.rawValue).joined(separator: ";"), p.agencyCodes.joined(separator: ";"),
            String(p.serviceLevel.rawValue), String(p.processingDays),
            p.fees.map { "\($0.name)=\($0.amount.amount)" }.joined(separator: ";"),
            p.documents.map { "\($0.name)|\($0.copies)|\($0.form.rawValue)|\($0.templateURL ?? "")" }.joined(separator: ";"),
            p.steps.map { "\($0.title)|\($0.performer)|\($0.sharePercent)" }.joined(separator: ";"),
            p.resultType, p.legalBasis.joined(separator: ";"),
            String(p.allowsOnlinePayment), String(p.allowsPostalIntake), String(p.allowsPostalDelivery),
        ]
    }

    private static func quoted(_ field: String) -> String { CSVText.quoted(field) }
}
