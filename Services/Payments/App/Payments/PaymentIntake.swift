import Contracts
import DomainKit
import Foundation
import ServiceKit
import SQLKit

/// New payments, online and at the counter: the fees are checked against what single-window says the dossier owes,
/// and an `Idempotency-Key` makes a repeated request return the first payment (a different body with it is a 409).
struct PaymentIntake: Sendable {
    let workflow: PaymentWorkflow
    /// How long the payer has at the bank.
    let expiry: TimeInterval
    /// Where the bank's return may send the payer: the platform's own pages only (no open redirect).
    let returnOrigins: ReturnOrigins

    var payments: PaymentRepository { self.workflow.payments }

    /// What a request asks for, in the form its key's hash is taken of.
    enum Asked: Encodable, Sendable {
        case online(CreatePaymentRequest)
        case counter(CounterPaymentRequest)

        var dossierCode: String {
            switch self {
            case .online(let request): request.dossierCode
            case .counter(let request): request.dossierCode
            }
        }

        var items: [FeeItem] {
            switch self {
            case .online(let request): request.items
            case .counter(let request): request.items
            }
        }

        var payer: Payer {
            switch self {
            case .online(let request): request.payer
            case .counter(let request): request.payer
            }
        }

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .online(let request): try request.encode(to: encoder)
            case .counter(let request): try request.encode(to: encoder)
            }
        }
    }

    /// The payment and whether it is new (false: replayed by its key).
    func create(_ asked: Asked, by identity: Identity, key: String, requestID: String?) async throws -> (PaymentRecord, Bool) {
        try self.validate(asked)
        let hash = try Idempotency.hash(of: asked)
        if let replayed = try await self.replay(caller: identity.subject, key: key, hash: hash) { return (replayed, false) }
        let fees = try await self.fees(of: asked.dossierCode, requestID: requestID)
        try self.check(asked, against: fees, by: identity)
        let now = self.workflow.now()
        let id = UUID().uuidString.lowercased()
        var payment = PaymentRecord(
            id: id, dossierId: fees.dossierId, dossierCode: fees.code, agencyCode: fees.agencyCode, agencyName: fees.agencyName, method: .gateway,
            state: .created,
            failure: nil, amount: fees.total, items: asked.items, payer: asked.payer, reference: Self.reference(id), returnUrl: nil, locale: nil,
            payerIp: nil, createdBy: identity.subject, createdAt: now, expiresAt: nil, paidAt: nil, bankTransactionNo: nil, bankCode: nil,
            receiptNumber: nil)
        switch asked {
        case .online(let request):
            payment.returnUrl = request.returnUrl
            payment.locale = request.locale ?? "vn"
            payment.payerIp = request.payerIp
            payment.expiresAt = now.addingTimeInterval(self.expiry)
        case .counter:
            payment.method = .counter
            payment.state = .success
            payment.paidAt = now
        }
        let stored = payment
        do {
            return try await self.workflow.runtime.database.transaction { db in
                if let existing = try await self.payments.key(caller: identity.subject, key: key, in: db), self.fresh(existing) != nil {
                    throw Race()
                }
                var payment = stored
                if payment.method == .counter {
                    payment.receiptNumber = try await self.payments.nextReceiptNumber(agency: payment.agencyCode, year: LocalDate(now).year, in: db)
                }
                try await self.payments.insert(payment, cause: "counter", in: db)
                try await self.payments.remember(caller: identity.subject, key: key, hash: hash, paymentID: payment.id, at: now, in: db)
                if let event = try PaymentWorkflow.event(for: payment, to: payment.state, failure: nil, source: self.workflow.runtime.settings.name,
                                                         requestID: requestID) {
                    try await self.workflow.runtime.outbox.enqueue(event, in: db)
                }
                return (payment, true)
            }
        } catch {
            // The same key arrived twice at once: the other request stored its payment; answer as a replay would.
            if let replayed = try await self.replay(caller: identity.subject, key: key, hash: hash) { return (replayed, false) }
            throw error
        }
    }

    private struct Race: Error {}

    /// The payment a key was used for within the last day, when the body is the same; 409 when it is not.
    private func replay(caller: String, key: String, hash: String) async throws -> PaymentRecord? {
        let found = try await self.workflow.runtime.database.read { db in
            try await self.payments.key(caller: caller, key: key, in: db).flatMap { self.fresh($0) }
        }
        guard let found else { return nil }
        guard found.request_hash == hash else {
            throw Problem.conflict("This Idempotency-Key was used in the last 24 hours for a different payment request; use a new key for a new payment.")
        }
        return try await self.payments.find(id: found.payment_id)
    }

    private func fresh(_ key: PaymentRepository.Key) -> PaymentRepository.Key? {
        key.created_at > self.workflow.now().addingTimeInterval(-24 * 3600).epochMilliseconds ? key : nil
    }

    private func validate(_ asked: Asked) throws {
        var issues: [FieldIssue] = []
        if asked.dossierCode.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "dossierCode", code: "required", vi: "Cần mã hồ sơ.", en: "The dossier code is required."))
        }
        if asked.items.isEmpty {
            issues.append(FieldIssue(field: "items", code: "required", vi: "Cần ít nhất một khoản phí.", en: "At least one fee item is required."))
        }
        for (index, item) in asked.items.enumerated() where item.amount.amount <= 0 || item.name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "items[\(index)]", code: "fee.item", vi: "Mỗi khoản phí có tên và số tiền lớn hơn 0.",
                                     en: "Each fee item has a name and an amount above 0 VND."))
        }
        if asked.payer.name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "payer.name", code: "required", vi: "Cần tên người nộp.", en: "The payer's name is required."))
        }
        if case .online(let request) = asked {
            if !(request.returnUrl.hasPrefix("https://") || request.returnUrl.hasPrefix("http://")) || request.returnUrl.count > 1000 {
                issues.append(FieldIssue(field: "returnUrl", code: "url", vi: "Địa chỉ trở về phải là một URL http(s).",
                                         en: "The return URL must be an http(s) URL of the portal."))
            } else if !self.returnOrigins.allows(request.returnUrl) {
                issues.append(FieldIssue(field: "returnUrl", code: "url.foreign", vi: "Địa chỉ trở về phải là một trang của cổng dịch vụ công.",
                                         en: "The return URL must be a page of the platform (\(self.returnOrigins.described))."))
            }
            if let locale = request.locale, !["vn", "en"].contains(locale) {
                issues.append(FieldIssue(field: "locale", code: "locale", vi: "Ngôn ngữ là vn hoặc en.", en: "The locale is vn or en."))
            }
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }
    }

    /// Single-window's answer, through the service token; a dossier it does not know is the caller's mistake (422).
    private func fees(of code: String, requestID: String?) async throws -> DossierFees {
        let path = "/v1/dossiers/by-code/\(code.pathSegment)/fees"
        let response = try await self.workflow.runtime.client.send(.GET, service: Topology.singleWindow, path: path, requestID: requestID)
        if response.status == 404 { throw Self.unknownDossier(code) }
        return try response.decode(DossierFees.self)
    }

    private static func unknownDossier(_ code: String) -> Problem {
        Problem.validation([FieldIssue(field: "dossierCode", code: "dossier.unknown", vi: "Không có hồ sơ mã \(code).",
                                       en: "There is no dossier with the code \(code).")])
    }

    private func check(_ asked: Asked, against fees: DossierFees, by identity: Identity) throws {
        switch asked {
        case .online:
            // A citizen pays for their own dossiers; anyone else's looks as if it did not exist.
            if identity.has(.citizen), !identity.has(.service), !identity.has(.admin), fees.submittedBy != identity.subject {
                throw Self.unknownDossier(fees.code)
            }
        case .counter:
            if !identity.has(.admin), identity.agency != fees.agencyCode {
                throw Problem.forbidden("Dossier \(fees.code) belongs to agency \(fees.agencyCode); your account is for \(identity.agency ?? "no agency").")
            }
        }
        if fees.status.isFinal {
            throw Problem.conflict("Dossier \(fees.code) is \(fees.status.vietnameseName.lowercased()); it takes no more payments.")
        }
        let asked = asked.items.map(\.amount).total()
        guard asked == fees.total else {
            let owed = fees.items.map { "\($0.name) \($0.amount.formatted)" }.joined(separator: ", ")
            throw Problem.validation([FieldIssue(
                field: "items", code: "fee.total",
                vi: "Tổng phí \(asked.formatted) không khớp số phải nộp của hồ sơ \(fees.code): \(fees.total.formatted) (\(owed)).",
                en: "The items add up to \(asked.formatted) but dossier \(fees.code) owes \(fees.total.formatted) (\(owed)).")])
        }
    }

    /// `vnp_TxnRef`: the payment id without dashes, unique for ever and so for every day.
    static func reference(_ id: String) -> String {
        id.replacingOccurrences(of: "-", with: "").uppercased()
    }
}

/// The origins a payment's return URL may name: `PAYMENT_RETURN_ORIGINS` (comma-separated), else the portal's
/// `PORTAL_PUBLIC_URL`; on a laptop with neither, any page on this machine. Production requires one of them.
struct ReturnOrigins: Sendable, Equatable {
    /// nil: loopback addresses only.
    let origins: Set<String>?

    init(origins: Set<String>?) { self.origins = origins }

    init(settings: ServiceSettings) throws(ConfigurationError) {
        let listed = try settings.value("PAYMENT_RETURN_ORIGINS", default: settings.environment["PORTAL_PUBLIC_URL"] ?? "")
        let origins = Set(listed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.compactMap(Self.origin))
        if origins.isEmpty, settings.production { throw ConfigurationError.missing("PAYMENT_RETURN_ORIGINS (or PORTAL_PUBLIC_URL)") }
        self.origins = origins.isEmpty ? nil : origins
    }

    /// `scheme://host[:port]`, lower-cased; nil for what is not an http(s) URL with a host.
    static func origin(_ text: String) -> String? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host?.lowercased(), !host.isEmpty, url.user == nil else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    func allows(_ url: String) -> Bool {
        guard let origin = Self.origin(url) else { return false }
        if let origins = self.origins { return origins.contains(origin) }
        return TrustedProxies.isLoopback(URLComponents(string: url)?.host ?? "")
    }

    var described: String { self.origins.map { $0.sorted().joined(separator: ", ") } ?? "this machine" }
}
