import DomainKit
import Foundation

/// `POST /v1/reconciliation/{day}`: the bank's settlement file for a day, matched against our payments.
public struct ReconciliationReport: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var reference: String
        public var amount: VND
        public var bankTransactionNo: String?
        public var paymentId: String?
        public var agencyCode: String?

        public init(reference: String, amount: VND, bankTransactionNo: String?, paymentId: String?, agencyCode: String?) {
            self.reference = reference
            self.amount = amount
            self.bankTransactionNo = bankTransactionNo
            self.paymentId = paymentId
            self.agencyCode = agencyCode
        }
    }

    public struct Mismatch: Codable, Sendable, Equatable {
        public var reference: String
        public var paymentId: String
        public var ours: VND
        public var bank: VND

        public init(reference: String, paymentId: String, ours: VND, bank: VND) {
            self.reference = reference
            self.paymentId = paymentId
            self.ours = ours
            self.bank = bank
        }
    }

    /// A row of the file that could not be read, by its line number (the header is line 1).
    public struct RowError: Codable, Sendable, Equatable {
        public var line: Int
        public var reason: String

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    public var day: LocalDate
    public var importedAt: Date
    public var importedBy: String
    /// Paid at the bank and settled here, same amount.
    public var matched: [Line]
    /// Paid at the bank, but not a settled payment here (unknown reference, or not confirmed to us).
    public var missingOnOurSide: [Line]
    /// Settled here, absent from the bank's file.
    public var missingAtBank: [Line]
    public var amountMismatches: [Mismatch]
    public var bankTotal: VND
    public var ourTotal: VND
    public var bankRefunds: VND
    public var ourRefunds: VND
    public var unreadableRows: [RowError]
    /// Nothing missing, nothing different, every row read.
    public var balanced: Bool

    public init(day: LocalDate, importedAt: Date, importedBy: String, matched: [Line], missingOnOurSide: [Line], missingAtBank: [Line],
                amountMismatches: [Mismatch], bankTotal: VND, ourTotal: VND, bankRefunds: VND, ourRefunds: VND, unreadableRows: [RowError]) {
        self.day = day
        self.importedAt = importedAt
        self.importedBy = importedBy
        self.matched = matched
        self.missingOnOurSide = missingOnOurSide
        self.missingAtBank = missingAtBank
        self.amountMismatches = amountMismatches
        self.bankTotal = bankTotal
        self.ourTotal = ourTotal
        self.bankRefunds = bankRefunds
        self.ourRefunds = ourRefunds
        self.unreadableRows = unreadableRows
        self.balanced = missingOnOurSide.isEmpty && missingAtBank.isEmpty && amountMismatches.isEmpty && unreadableRows.isEmpty
            && bankRefunds == ourRefunds
    }
}

/// `GET /v1/reports/remittance?day=`: what each agency collected on a day, to remit to the State Treasury.
public struct RemittanceReport: Codable, Sendable, Equatable {
    public struct Agency: Codable, Sendable, Equatable {
        public var agencyCode: String
        public var payments: Int
        public var online: VND
        public var counter: VND
        public var refunds: VND
        /// Collected less refunded: what is remitted.
        public var net: VND

        public init(agencyCode: String, payments: Int, online: VND, counter: VND, refunds: VND) {
            self.agencyCode = agencyCode
            self.payments = payments
            self.online = online
            self.counter = counter
            self.refunds = refunds
            self.net = online + counter - refunds
        }
    }

    public var day: LocalDate
    public var agencies: [Agency]
    public var net: VND

    public init(day: LocalDate, agencies: [Agency]) {
        self.day = day
        self.agencies = agencies
        self.net = agencies.map(\.net).total()
    }

    /// The report as CSV, one row per agency and a total row, for the Treasury's import.
    public var csv: String {
        var lines = ["ngay,ma_co_quan,so_giao_dich,truc_tuyen,tai_quay,hoan_tra,so_nop"]
        for agency in self.agencies {
            lines.append("\(self.day),\(agency.agencyCode),\(agency.payments),\(agency.online.amount),\(agency.counter.amount),\(agency.refunds.amount),\(agency.net.amount)")
        }
        let all = self.agencies
        lines.append("\(self.day),TONG,\(all.map(\.payments).reduce(0, +)),\(all.map(\.online).total().amount),\(all.map(\.counter).total().amount),"
                     + "\(all.map(\.refunds).total().amount),\(self.net.amount)")
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
