import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The dossier's fees on its page: what the procedure charges, every payment made for it (online at the bank or in
/// cash at the counter) with its receipt, and — while something is still owed — taking it in cash: payments records
/// it with a receipt number and tells single-window, so a dossier that waited for its fee goes on by itself.
/// Applicants who pay online do it from the portal's "My dossiers" (asked for the fee, they get a message with the link).
struct FeesSection {
    struct Fee { let name: String; let amount: String }
    struct Payment { let at: String; let method: String; let amount: String; let state: String; let receipt: String?; let receiptLabel: String }

    let heading: String
    let fees: [Fee]
    let total: String
    let totalLabel: String
    let payments: [Payment]
    let hasPayments: Bool
    let paymentsHeading: String
    let owed: String?
    /// The cash form, while something is owed and the dossier is open.
    let cash: Cash?

    struct Cash { let title: String; let hint: String; let key: String; let payer: FormField; let button: String }

    enum Text {
        static let heading = Phrase("Phí, lệ phí", "Fees")
        static let total = Phrase("Tổng cộng", "Total")
        static let payments = Phrase("Các lần nộp", "Payments")
        static let owed = Phrase("Còn phải nộp {0}.", "{0} still owed.")
        static let paid = Phrase("Đã nộp đủ.", "Paid in full.")
        static let cash = Phrase("Thu tiền mặt tại quầy và in biên lai", "Take cash at the counter and print the receipt")
        static let cashHint = Phrase("Ghi nhận {0}; hồ sơ đang chờ nộp phí được xử lý tiếp ngay.", "Records {0}; a dossier waiting for its fee goes on at once.")
        static let payer = Phrase("Người nộp tiền", "Paid by")
        static let receipt = Phrase("In biên lai", "Print the receipt")
        static let gateway = Phrase("Trực tuyến (ngân hàng)", "Online (bank)")
        static let counter = Phrase("Tiền mặt tại quầy", "Cash at the counter")
        static let paidNow = Phrase("Đã thu tiền; biên lai in từ mục Phí, lệ phí.", "Cash taken; print the receipt from Fees.")
    }

    /// nil for a procedure without fees.
    init?(_ dossier: DossierView, owed fees: DossierFees?, payments: [PaymentView], language: Language, payer: String? = nil, issues: [FieldIssue] = []) {
        guard let fees, !fees.items.isEmpty else { return nil }
        let paid = payments.filter { $0.state == .success }.map { $0.amount - $0.refunded }.total()
        let owing = fees.total - paid
        self.heading = Text.heading(language)
        self.fees = fees.items.map { Fee(name: $0.name, amount: Display.money($0.amount, language)) }
        self.total = Display.money(fees.total, language)
        self.totalLabel = Text.total(language)
        self.paymentsHeading = Text.payments(language)
        self.payments = payments.map { payment in
            Payment(at: Display.dateTime(payment.paidAt ?? payment.createdAt),
                    method: (payment.method == .counter ? Text.counter : Text.gateway)(language) + (payment.receiptNumber.map { " · \($0)" } ?? ""),
                    amount: Display.money(payment.amount, language), state: Display.paymentState(payment.state)(language),
                    receipt: payment.state == .success ? "/dossiers/\(dossier.id.pathSegment)/payments/\(payment.id.pathSegment)/receipt" : nil,
                    receiptLabel: Text.receipt(language))
        }
        self.hasPayments = !payments.isEmpty
        self.owed = owing > .zero ? Text.owed.with(Display.money(owing, language))(language) : Text.paid(language)
        // Taken once the dossier is received, until it is settled.
        let open = !dossier.status.isFinal && dossier.clock.receivedAt != nil
        self.cash = owing > .zero && open
            ? Cash(title: Text.cash(language), hint: Text.cashHint.with(Display.money(owing, language))(language),
                   // One payment per form drawn: the same form sent twice is the same payment.
                   key: "cash-\(dossier.id)-\(dossier.version)-\(payments.count)",
                   payer: FormField("fee-payer", label: Text.payer, language: language, value: payer ?? dossier.applicant.fullName, required: true,
                                    issues: issues),
                   button: Text.cash(language))
            : nil
    }
}

extension DossierController {
    /// Cash at the counter: the fees still owed, paid by the person named; back on the page with the receipt's number.
    @Sendable func takeCash(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let id = context.parameters.get("id") ?? ""
            guard let fields = try await self.pages.form(request) else {
                return try await self.show(visit, id: id, token: token, alert: Text.expired(visit.language), status: .forbidden)
            }
            let payer = (fields["fee-payer"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !payer.isEmpty else {
                return try await self.show(visit, id: id, token: token, refused: "fee", issues: [
                    FieldIssue(field: "fee-payer", code: "required", vi: "Cần tên người nộp tiền.", en: "Name who paid.")], status: .unprocessableContent)
            }
            let dossier = try await self.pages.desk.dossier(id, as: token, requestID: visit.requestID)
            let fees = try await self.payments.fees(of: dossier.code, as: token, requestID: visit.requestID)
            let paid = try await self.payments.payments(of: dossier.code, as: token, requestID: visit.requestID)
            // What is still owed, item by item as the procedure names them (a partly refunded fee is owed again).
            let settled = paid.filter { $0.state == .success }.map { $0.amount - $0.refunded }.total()
            guard settled < fees.total else { return self.pages.redirect(visit, to: "/dossiers/\(id.pathSegment)") }
            let items = settled == .zero ? fees.items : [FeeItem(name: fees.items.map(\.name).joined(separator: "; "), amount: fees.total - settled)]
            let payment: PaymentView
            do {
                payment = try await self.payments.takeCash(
                    CounterPaymentRequest(dossierCode: dossier.code, items: items, payer: Payer(name: payer, phone: dossier.applicant.phone)),
                    key: fields["key"].flatMap { $0.isEmpty ? nil : $0 } ?? "cash-\(id)-\(dossier.version)-\(paid.count)", as: token, requestID: visit.requestID)
            } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
                return try await self.show(visit, id: id, token: token, alert: problem.detail, status: problem.status)
            }
            return self.pages.redirect(visit, to: "/dossiers/\(id.pathSegment)?paid=\(payment.id.pathSegment)")
        }
    }
}
