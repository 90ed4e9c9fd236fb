import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// Matching the bank's settlement file for a day against the payments we settled that day.
enum Reconciliation {
    struct BankRow: Equatable {
        var reference: String
        var transactionNo: String
        var type: String
        var amount: VND
    }

    /// The file's rows, and the line of every row that could not be read (a header other than the gateway's is one).
    static func parse(_ text: String, tmnCode: String) -> (rows: [BankRow], errors: [ReconciliationReport.RowError]) {
        var rows: [BankRow] = []
        var errors: [ReconciliationReport.RowError] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let header = lines.first, Self.fields(header) == VNPay.Settlement.header else {
            return ([], [.init(line: 1, reason: "The first line must be the header \(VNPay.Settlement.header.joined(separator: ",")).")])
        }
        let column = Dictionary(uniqueKeysWithValues: VNPay.Settlement.header.enumerated().map { ($1, $0) })
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = Self.fields(line)
            guard fields.count == VNPay.Settlement.header.count else {
                errors.append(.init(line: index + 1, reason: "\(fields.count) fields where the header has \(VNPay.Settlement.header.count)."))
                continue
            }
            func field(_ name: String) -> String { fields[column[name]!] }
            guard field("TmnCode") == tmnCode else {
                errors.append(.init(line: index + 1, reason: "TmnCode \(field("TmnCode")) is not ours (\(tmnCode)).")); continue
            }
            guard let amount = VNPay.vnd(fromAmount: field("Amount")) else {
                errors.append(.init(line: index + 1, reason: "Amount \(field("Amount")) is not a whole number of đồng × 100.")); continue
            }
            guard !field("TxnRef").isEmpty else { errors.append(.init(line: index + 1, reason: "TxnRef is empty.")); continue }
            rows.append(BankRow(reference: field("TxnRef"), transactionNo: field("TransactionNo"), type: field("TransactionType"), amount: amount))
        }
        return (rows, errors)
    }

    private static func fields(_ line: Substring) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }

    /// Our settled online payments and refunds of the day, then the comparison.
    static func report(day: LocalDate, file: String, tmnCode: String, importedBy: String, at now: Date, in db: any SQLDatabase) async throws
        -> ReconciliationReport {
        struct Ours: Decodable { let id: String; let reference: String; let amount: Int64; let bank_transaction_no: String?; let agency_code: String }
        struct Refunded: Decodable { let total: Int64? }
        let ours = try await db.select().columns("id", "reference", "amount", "bank_transaction_no", "agency_code").from("payments")
            .where("method", .equal, PaymentMethod.gateway.rawValue).where("state", .equal, PaymentState.success.rawValue)
            .where("paid_day", .equal, day.description).all(decoding: Ours.self)
        let refunded = try await db.raw("""
            SELECT CAST(SUM(r.amount) AS BIGINT) AS total FROM refunds r JOIN payments p ON p.id = r.payment_id
            WHERE r.state = \(bind: RefundState.success.rawValue) AND r.settled_day = \(bind: day.description) AND p.method = \(bind: PaymentMethod.gateway.rawValue)
            """).first(decoding: Refunded.self)?.total ?? 0
        let (rows, errors) = self.parse(file, tmnCode: tmnCode)
        let payments = rows.filter { $0.type == VNPay.Settlement.payment }
        var byReference = Dictionary(ours.map { ($0.reference, $0) }, uniquingKeysWith: { first, _ in first })
        // A reference the bank lists but we did not settle that day may be ours on another day or in another state.
        let elsewhere = try await self.known(payments.map(\.reference).filter { byReference[$0] == nil }, in: db)
        var matched: [ReconciliationReport.Line] = [], missingHere: [ReconciliationReport.Line] = [], mismatches: [ReconciliationReport.Mismatch] = []
        for row in payments {
            if let mine = byReference.removeValue(forKey: row.reference) {
                if mine.amount == row.amount.amount {
                    matched.append(.init(reference: row.reference, amount: row.amount, bankTransactionNo: row.transactionNo, paymentId: mine.id,
                                         agencyCode: mine.agency_code))
                } else {
                    mismatches.append(.init(reference: row.reference, paymentId: mine.id, ours: VND(mine.amount), bank: row.amount))
                }
            } else {
                let other = elsewhere[row.reference]
                missingHere.append(.init(reference: row.reference, amount: row.amount, bankTransactionNo: row.transactionNo, paymentId: other?.id,
                                         agencyCode: other?.agency))
            }
        }
        let missingAtBank = byReference.values.sorted { $0.reference < $1.reference }.map {
            ReconciliationReport.Line(reference: $0.reference, amount: VND($0.amount), bankTransactionNo: $0.bank_transaction_no, paymentId: $0.id,
                                      agencyCode: $0.agency_code)
        }
        return ReconciliationReport(
            day: day, importedAt: now, importedBy: importedBy, matched: matched, missingOnOurSide: missingHere, missingAtBank: missingAtBank,
            amountMismatches: mismatches, bankTotal: payments.map(\.amount).total(), ourTotal: VND(ours.map(\.amount).reduce(0, +)),
            bankRefunds: rows.filter { $0.type != VNPay.Settlement.payment }.map(\.amount).total(), ourRefunds: VND(refunded),
            unreadableRows: errors)
    }

    private static func known(_ references: [String], in db: any SQLDatabase) async throws -> [String: (id: String, agency: String)] {
        guard !references.isEmpty else { return [:] }
        struct Row: Decodable { let id: String; let reference: String; let agency_code: String }
        let rows = try await db.select().columns("id", "reference", "agency_code").from("payments").where("reference", .in, references)
            .all(decoding: Row.self)
        return Dictionary(rows.map { ($0.reference, (id: $0.id, agency: $0.agency_code)) }, uniquingKeysWith: { first, _ in first })
    }

    /// What each agency collected and refunded on a day.
    static func remittance(day: LocalDate, agency: String?, in db: any SQLDatabase) async throws -> RemittanceReport {
        struct Collected: Decodable { let agency_code: String; let method: String; let n: Int; let total: Int64 }
        struct Refunded: Decodable { let agency_code: String; let total: Int64 }
        let agencyFilter: SQLQueryString = agency.map { "AND p.agency_code = \(bind: $0)" } ?? ""
        let collected = try await db.raw("""
            SELECT p.agency_code, p.method, COUNT(*) AS n, CAST(SUM(p.amount) AS BIGINT) AS total FROM payments p
            WHERE p.state = \(bind: PaymentState.success.rawValue) AND p.paid_day = \(bind: day.description) \(agencyFilter)
            GROUP BY p.agency_code, p.method
            """).all(decoding: Collected.self)
        let refunded = try await db.raw("""
            SELECT p.agency_code, CAST(SUM(r.amount) AS BIGINT) AS total FROM refunds r JOIN payments p ON p.id = r.payment_id
            WHERE r.state = \(bind: RefundState.success.rawValue) AND r.settled_day = \(bind: day.description) \(agencyFilter)
            GROUP BY p.agency_code
            """).all(decoding: Refunded.self)
        let codes = Set(collected.map(\.agency_code)).union(refunded.map(\.agency_code)).sorted()
        return RemittanceReport(day: day, agencies: codes.map { code in
            let mine = collected.filter { $0.agency_code == code }
            func sum(_ method: PaymentMethod) -> VND { VND(mine.filter { $0.method == method.rawValue }.map(\.total).reduce(0, +)) }
            return RemittanceReport.Agency(agencyCode: code, payments: mine.map(\.n).reduce(0, +), online: sum(.gateway), counter: sum(.counter),
                                           refunds: VND(refunded.first { $0.agency_code == code }?.total ?? 0))
        })
    }
}
