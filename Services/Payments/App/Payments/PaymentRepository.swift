import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// A payment as stored: one row of `payments`.
struct PaymentRecord: Sendable, Equatable {
    var id: String
    var dossierId: String
    var dossierCode: String
    var agencyCode: String
    /// The agency's name when the payment was made, as its receipt prints it (nil for payments made before it was kept).
    var agencyName: String? = nil
    var method: PaymentMethod
    var state: PaymentState
    var failure: PaymentFailure?
    var amount: VND
    var items: [FeeItem]
    var payer: Payer
    var reference: String
    var returnUrl: String?
    var locale: String?
    var payerIp: String?
    var createdBy: String
    var createdAt: Date
    var expiresAt: Date?
    var paidAt: Date?
    var bankTransactionNo: String?
    var bankCode: String?
    var receiptNumber: String?
    var refunded: VND = .zero
    var refundPending: VND = .zero

    /// Paid and neither refunded nor being refunded.
    var availableToRefund: VND { self.state == .success ? self.amount - self.refunded - self.refundPending : .zero }
}

/// What changes with a move besides the state.
struct PaymentChange: Sendable {
    var failure: PaymentFailure? = nil
    var paidAt: Date? = nil
    var bankTransactionNo: String? = nil
    var bankCode: String? = nil
}

/// Payments, their transitions, their refunds and the idempotency keys they were created with.
struct PaymentRepository: Sendable {
    let database: Database

    private struct Row: Decodable {
        let id: String, dossier_id: String, dossier_code: String, agency_code: String, method: String, state: String, failure: String?
        let amount: Int64, items: String, payer: String, reference: String, return_url: String?, locale: String?, payer_ip: String?
        let created_by: String, created_at: Int64, expires_at: Int64?, paid_at: Int64?, bank_transaction_no: String?, bank_code: String?
        let receipt_number: String?, refunded: Int64, refund_pending: Int64, agency_name: String?
    }

    static let columns = ["id", "dossier_id", "dossier_code", "agency_code", "method", "state", "failure", "amount", "items", "payer", "reference",
                          "return_url", "locale", "payer_ip", "created_by", "created_at", "expires_at", "paid_at", "bank_transaction_no",
                          "bank_code", "receipt_number", "refunded", "refund_pending", "agency_name"]

    func insert(_ payment: PaymentRecord, cause: String, in db: any SQLDatabase) async throws {
        let created = payment.createdAt
        try await db.insert(into: "payments")
            .columns("id", "dossier_id", "dossier_code", "agency_code", "method", "state", "failure", "amount", "items", "payer", "reference",
                     "return_url", "locale", "payer_ip", "created_by", "created_at", "created_day", "expires_at", "updated_at", "paid_at", "paid_day",
                     "bank_transaction_no", "bank_code", "receipt_number", "agency_name")
            .values(SQLBind(payment.id), SQLBind(payment.dossierId), SQLBind(payment.dossierCode), SQLBind(payment.agencyCode),
                    SQLBind(payment.method.rawValue), SQLBind(payment.state.rawValue), SQLBind(payment.failure?.rawValue),
                    SQLBind(payment.amount.amount), SQLBind(try Self.json(payment.items)), SQLBind(try Self.json(payment.payer)),
                    SQLBind(payment.reference), SQLBind(payment.returnUrl), SQLBind(payment.locale), SQLBind(payment.payerIp),
                    SQLBind(payment.createdBy), SQLBind(created.epochMilliseconds), SQLBind(LocalDate(created).description),
                    SQLBind(payment.expiresAt?.epochMilliseconds), SQLBind(created.epochMilliseconds), SQLBind(payment.paidAt?.epochMilliseconds),
                    SQLBind(payment.paidAt.map { LocalDate($0).description }), SQLBind(payment.bankTransactionNo), SQLBind(payment.bankCode),
                    SQLBind(payment.receiptNumber), SQLBind(payment.agencyName))
            .run()
        try await self.record(payment.id, from: nil, to: .created, cause: "created", detail: nil, at: created, in: db)
        if payment.state != .created {
            try await self.record(payment.id, from: .created, to: payment.state, cause: cause, detail: payment.receiptNumber, at: created, in: db)
        }
    }

    /// Moves a payment from the state it was read in to `to`, if the state table allows it and no one moved it first.
    /// Returns false (and changes nothing) otherwise; the caller re-reads and decides.
    func move(_ payment: PaymentRecord, to state: PaymentState, cause: String, detail: String?, change: PaymentChange = PaymentChange(),
              at now: Date, in db: any SQLDatabase) async throws -> Bool {
        guard PaymentStateTable.allows(payment.state, state) else { return false }
        struct Moved: Decodable { let id: String }
        let moved = try await db.raw("""
            UPDATE payments SET state = \(bind: state.rawValue), failure = COALESCE(\(bind: change.failure?.rawValue), failure),
                paid_at = COALESCE(\(bind: change.paidAt?.epochMilliseconds), paid_at),
                paid_day = COALESCE(\(bind: change.paidAt.map { LocalDate($0).description }), paid_day),
                bank_transaction_no = COALESCE(\(bind: change.bankTransactionNo), bank_transaction_no),
                bank_code = COALESCE(\(bind: change.bankCode), bank_code), updated_at = \(bind: now.epochMilliseconds)
            WHERE id = \(bind: payment.id) AND state = \(bind: payment.state.rawValue)
            RETURNING id
            """).all(decoding: Moved.self)
        guard !moved.isEmpty else { return false }
        try await self.record(payment.id, from: payment.state, to: state, cause: cause, detail: detail, at: now, in: db)
        return true
    }

    private func record(_ id: String, from: PaymentState?, to: PaymentState, cause: String, detail: String?, at: Date,
                        in db: any SQLDatabase) async throws {
        try await db.insert(into: "payment_transitions").columns("id", "payment_id", "at", "from_state", "to_state", "cause", "detail")
            .values(SQLBind(UUID().uuidString.lowercased()), SQLBind(id), SQLBind(at.epochMilliseconds), SQLBind(from?.rawValue),
                    SQLBind(to.rawValue), SQLBind(cause), SQLBind(detail.map { String($0.prefix(500)) }))
            .run()
    }

    func find(id: String) async throws -> PaymentRecord? {
        try await self.database.read { try await self.find(id: id, in: $0) }
    }

    /// Through the caller's transaction; on PostgreSQL the row stays locked until it ends.
    func find(id: String, in db: any SQLDatabase) async throws -> PaymentRecord? {
        try await self.one(db, "id", id)
    }

    func find(reference: String, in db: any SQLDatabase) async throws -> PaymentRecord? {
        try await self.one(db, "reference", reference)
    }

    private func one(_ db: any SQLDatabase, _ column: String, _ value: String) async throws -> PaymentRecord? {
        let lock = self.database.dialect == .postgres ? " FOR UPDATE" : ""
        let query: SQLQueryString = "SELECT \(idents: Self.columns, joinedBy: ", ") FROM payments WHERE \(ident: column) = \(bind: value)\(unsafeRaw: lock)"
        return try await db.raw(query).first(decoding: Row.self).map(Self.record)
    }

    /// Payments of a dossier, or of an agency on a day (by when they were created), newest first.
    func list(dossierCode: String?, agencyCode: String?, day: LocalDate?, state: PaymentState?, page: Int, pageSize: Int)
        async throws -> (items: [PaymentRecord], total: Int) {
        try await self.database.read { db in
            func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
                var select = select.from("payments")
                if let dossierCode { select = select.where("dossier_code", .equal, dossierCode) }
                if let agencyCode { select = select.where("agency_code", .equal, agencyCode) }
                if let day { select = select.where("created_day", .equal, day.description) }
                if let state { select = select.where("state", .equal, state.rawValue) }
                return select
            }
            let rows = try await filtered(db.select().columns(Self.columns)).orderBy("created_at", .descending).orderBy("id")
                .limit(pageSize).offset((page - 1) * pageSize).all(decoding: Row.self)
            return (rows.map(Self.record), try await filtered(db.select()).countRows())
        }
    }

    /// Payments still waiting for the bank: past their expiry, or back from the bank (or sent to it) for longer than
    /// `quietFor` without a notification, and not asked about in the last `quietFor`.
    func unconfirmed(now: Date, quietFor: TimeInterval, limit: Int) async throws -> [PaymentRecord] {
        let quiet = now.addingTimeInterval(-quietFor).epochMilliseconds
        return try await self.database.read { db in
            try await db.select().columns(Self.columns).from("payments")
                .where("method", .equal, PaymentMethod.gateway.rawValue)
                .where("state", .in, [PaymentState.created.rawValue, PaymentState.started.rawValue, PaymentState.submitted.rawValue])
                .where { $0.where("expires_at", .lessThan, now.epochMilliseconds).orWhere("updated_at", .lessThan, quiet) }
                .where { $0.where("last_query_at", .is, SQLLiteral.null).orWhere("last_query_at", .lessThan, quiet) }
                .orderBy("updated_at").limit(limit).all(decoding: Row.self).map(Self.record)
        }
    }

    func markQueried(_ id: String, at now: Date) async throws {
        try await self.database.transaction { db in
            try await db.update("payments").set("last_query_at", to: SQLBind(now.epochMilliseconds)).where("id", .equal, id).run()
        }
    }

    // MARK: Views

    func view(_ payment: PaymentRecord, payUrl: (PaymentRecord) -> String?) async throws -> PaymentView {
        struct TransitionRow: Decodable { let at: Int64; let from_state: String?; let to_state: String; let cause: String; let detail: String? }
        let (transitions, refunds) = try await self.database.read { db in
            (try await db.select().columns("at", "from_state", "to_state", "cause", "detail").from("payment_transitions")
                .where("payment_id", .equal, payment.id).orderBy("at").all(decoding: TransitionRow.self),
             try await RefundRepository.refunds(of: payment.id, in: db))
        }
        return PaymentView(
            id: payment.id, dossierId: payment.dossierId, dossierCode: payment.dossierCode, agencyCode: payment.agencyCode, method: payment.method,
            state: payment.state, failure: payment.failure, amount: payment.amount, items: payment.items, payer: payment.payer,
            reference: payment.reference, payUrl: payUrl(payment), returnUrl: payment.returnUrl, createdAt: payment.createdAt,
            expiresAt: payment.expiresAt, paidAt: payment.paidAt, bankTransactionNo: payment.bankTransactionNo,
            receiptNumber: payment.receiptNumber, refunded: payment.refunded, availableToRefund: payment.availableToRefund,
            createdBy: payment.createdBy,
            transitions: transitions.compactMap { row in
                PaymentState(rawValue: row.to_state).map {
                    PaymentView.Transition(at: Date(epochMilliseconds: row.at), from: row.from_state.flatMap(PaymentState.init(rawValue:)), to: $0,
                                           cause: row.cause, detail: row.detail)
                }
            },
            refunds: refunds
        )
    }

    // MARK: Idempotency keys (kept 24 hours)

    struct Key: Decodable { let request_hash: String; let payment_id: String; let created_at: Int64 }

    func key(caller: String, key: String, in db: any SQLDatabase) async throws -> Key? {
        try await db.select().columns("request_hash", "payment_id", "created_at").from("payment_keys")
            .where("caller", .equal, caller).where("key", .equal, key).first(decoding: Key.self)
    }

    func remember(caller: String, key: String, hash: String, paymentID: String, at now: Date, in db: any SQLDatabase) async throws {
        // A key older than a day is forgotten: it may now name a new payment.
        try await db.delete(from: "payment_keys").where("caller", .equal, caller).where("key", .equal, key).run()
        try await db.insert(into: "payment_keys").columns("caller", "key", "request_hash", "payment_id", "created_at")
            .values(SQLBind(caller), SQLBind(key), SQLBind(hash), SQLBind(paymentID), SQLBind(now.epochMilliseconds))
            .run()
    }

    /// The next counter receipt number of an agency in a year: BL-<agency>-<year>-<000001>.
    func nextReceiptNumber(agency: String, year: Int, in db: any SQLDatabase) async throws -> String {
        struct Last: Decodable { let last: Int }
        let row = try await db.raw("""
            INSERT INTO receipt_sequences (agency_code, year, last) VALUES (\(bind: agency), \(bind: year), 1)
            ON CONFLICT (agency_code, year) DO UPDATE SET last = receipt_sequences.last + 1
            RETURNING last
            """).first(decoding: Last.self)
        return "BL-\(agency.uppercased())-\(year)-" + Digits.padded(row?.last ?? 1, width: 6)
    }

    // MARK: Rows

    private static func record(_ row: Row) -> PaymentRecord {
        PaymentRecord(
            id: row.id, dossierId: row.dossier_id, dossierCode: row.dossier_code, agencyCode: row.agency_code, agencyName: row.agency_name,
            method: PaymentMethod(rawValue: row.method) ?? .gateway, state: PaymentState(rawValue: row.state) ?? .error,
            failure: row.failure.flatMap(PaymentFailure.init(rawValue:)), amount: VND(row.amount),
            items: (try? JSONDecoder.motcua.decode([FeeItem].self, from: Data(row.items.utf8))) ?? [],
            payer: (try? JSONDecoder.motcua.decode(Payer.self, from: Data(row.payer.utf8))) ?? Payer(name: ""),
            reference: row.reference, returnUrl: row.return_url, locale: row.locale, payerIp: row.payer_ip, createdBy: row.created_by,
            createdAt: Date(epochMilliseconds: row.created_at), expiresAt: row.expires_at.map(Date.init(epochMilliseconds:)),
            paidAt: row.paid_at.map(Date.init(epochMilliseconds:)), bankTransactionNo: row.bank_transaction_no, bankCode: row.bank_code,
            receiptNumber: row.receipt_number, refunded: VND(row.refunded), refundPending: VND(row.refund_pending)
        )
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try StreamingJSON.encode(value), as: UTF8.self)
    }
}
