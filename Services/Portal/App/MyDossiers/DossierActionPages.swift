import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let paymentTitle = Phrase("Kết quả thanh toán", "Payment result")
    static let paymentSucceeded = Phrase("Thanh toán thành công {0}. Biên lai số {1}.", "Payment of {0} succeeded. Receipt number {1}.")
    static let paymentPending = Phrase("Ngân hàng chưa báo kết quả. Trang sẽ cập nhật khi có kết quả; bạn không cần thanh toán lại.",
                                       "The bank has not reported yet. This page updates when it does; do not pay again.")
    static let paymentFailed = Phrase("Thanh toán không thành công ({0}). Bạn có thể thử lại.", "The payment did not go through ({0}). You can try again.")
    static let backToDossier = Phrase("Về trang hồ sơ", "Back to the dossier")
    static let paymentMissing = Phrase("Không có giao dịch này.", "There is no such payment.")
}

/// What a citizen does on their dossier's page: send a supplement, pay the fee at the bank and come back, get the
/// signed result, rate the service.
struct DossierActionPages {
    let area: CitizenArea
    let documents: DocumentsGateway
    let payments: PaymentsGateway
    /// The portal's public address, for the bank's way back.
    let publicURL: String
    let maximumBytes: Int

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/my/dossiers/:id/supplement", use: self.area.route(self.supplement))
        router.post("/my/dossiers/:id/rating", use: self.area.route(self.rate))
        router.post("/my/dossiers/:id/pay", use: self.area.route(self.pay))
        router.get("/my/dossiers/:id/payment", use: self.area.route(self.paymentReturn))
        router.get("/my/dossiers/:id/result", use: self.area.route(self.result))
    }

    static func describe(_ openAPI: inout OpenAPIDocument) {
        let pages: [(String, String, String)] = [
            ("POST", "/my/dossiers/:id/supplement", "Send the requested documents (multipart: csrf, version, doc-N files)"),
            ("POST", "/my/dossiers/:id/rating", "Rate the service after delivery (csrf, score 1-5, comment)"),
            ("POST", "/my/dossiers/:id/pay", "Start the online fee payment: 303 to the bank through payments"),
            ("GET", "/my/dossiers/:id/payment", "The bank's way back (?payment=): the stored payment state"),
            ("GET", "/my/dossiers/:id/result", "The signed result, delivered online: 303 to a short-lived download link"),
        ]
        for (method, path, summary) in pages {
            openAPI.add(method, path, summary: summary, tag: "pages", responses: [method == "GET" ? 200 : 303: ("HTML", nil)], contentType: "text/html")
        }
    }

    @Sendable func supplement(_ request: Request, context: ServiceRequestContext, citizen: Citizen) async throws -> Response {
        let (visitor, token) = (citizen.visitor, citizen.token)
        let id = try context.parameters.require("id")
        let base = "/my/dossiers/\(id.pathSegment)"
        guard let form = try? await MultipartForm.read(request, limit: self.maximumBytes),
              self.area.visitors.carriesToken(form.fields, request)
        else { return Layout.formExpired(visitor) }
        guard let dossier = try await self.area.singleWindow.dossier(id, token: token, requestID: context.requestID) else {
            return Layout.message(visitor, title: .myDossiers, text: .dossierMissing, status: .notFound)
        }
        guard dossier.status == .supplementRequested, let asked = dossier.supplementRequest,
              let version = form.fields["version"].flatMap(Int.init), version == dossier.version else {
            return visitor.redirect(to: base + "?done=stale")
        }
        var attachments: [Attachment] = []
        for (index, name) in asked.documents.enumerated() {
            guard let file = form.file("doc-\(index)") else { continue }
            do {
                attachments.append(Attachment(documentName: name, fileId: try await self.documents.upload(file, token: token, requestID: context.requestID).id))
            } catch let problem as Problem where (400..<500).contains(Int(problem.status.code)) {
                return Layout.message(visitor, title: .supplementTitle, text: Phrase.fileRefused.with(problem.detail), status: .unprocessableContent)
            }
        }
        let action = DossierActionRequest(action: .supplement, expectedVersion: version, attachments: attachments)
        let answer = try await self.area.singleWindow.act(id, action, token: token, requestID: context.requestID)
        switch answer.status {
        case 200..<300: return visitor.redirect(to: base + "?done=supplement")
        case 409: return visitor.redirect(to: base + "?done=stale")
        default: return Layout.message(visitor, title: .supplementTitle, text: Phrase(answer.problem.detail, answer.problem.detail),
                                       status: .init(code: answer.status))
        }
    }

    @Sendable func rate(_ request: Request, context: ServiceRequestContext, citizen: Citizen) async throws -> Response {
        let (visitor, token) = (citizen.visitor, citizen.token)
        let id = try context.parameters.require("id")
        guard let fields = try await self.area.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
        guard let score = fields["score"].flatMap(Int.init), (1...5).contains(score) else {
            return visitor.redirect(to: "/my/dossiers/\(id.pathSegment)")
        }
        let comment = fields["comment"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        let answer = try await self.area.singleWindow.rate(id, RatingRequest(score: score, comment: comment?.isEmpty == false ? comment : nil),
                                                           token: token, requestID: context.requestID)
        return visitor.redirect(to: "/my/dossiers/\(id.pathSegment)?done=" + ((200..<300).contains(answer.status) ? "rated" : "stale"))
    }

    @Sendable func pay(_ request: Request, context: ServiceRequestContext, citizen: Citizen) async throws -> Response {
        let (visitor, account, token) = (citizen.visitor, citizen.account, citizen.token)
        let id = try context.parameters.require("id")
        guard let fields = try await self.area.visitors.form(request, context: context), let key = fields["key"], key.count >= 16 else {
            return Layout.formExpired(visitor)
        }
        do {
            guard let dossier = try await self.area.singleWindow.dossier(id, token: token, requestID: context.requestID) else {
                return Layout.message(visitor, title: .feeTitle, text: .dossierMissing, status: .notFound)
            }
            let fees = try await self.area.singleWindow.fees(code: dossier.code, requestID: context.requestID)
            let payment = try await self.payments.create(
                CreatePaymentRequest(dossierCode: dossier.code, items: fees.items,
                                     payer: Payer(name: account.fullName, phone: account.phone, email: account.email),
                                     returnUrl: self.publicURL + "/my/dossiers/\(id.pathSegment)/payment",
                                     locale: visitor.language == .vi ? "vn" : "en", payerIp: context.clientAddress(request)),
                key: "portal-" + key, token: token, requestID: context.requestID)
            guard let url = payment.payUrl else { return visitor.redirect(to: "/my/dossiers/\(id.pathSegment)/payment?payment=\(payment.id)") }
            return visitor.redirect(to: url)
        } catch let problem as Problem where (400..<500).contains(Int(problem.status.code)) {
            return Layout.message(visitor, title: .feeTitle, text: Phrase(problem.detail, problem.detail), status: .unprocessableContent)
        } catch {
            return Layout.failed(visitor, title: .feeTitle, error, logger: context.logger)
        }
    }

    @Sendable func paymentReturn(_ request: Request, context: ServiceRequestContext, citizen: Citizen) async throws -> Response {
        let (visitor, token) = (citizen.visitor, citizen.token)
        let id = try context.parameters.require("id")
        let l = visitor.language
        guard let paymentID = request.query("payment"), !paymentID.isEmpty else { return visitor.redirect(to: "/my/dossiers/\(id.pathSegment)") }
        let payment: PaymentView?
        do {
            payment = try await self.payments.payment(paymentID, token: token, requestID: context.requestID)
        } catch {
            return Layout.failed(visitor, title: .paymentTitle, error, logger: context.logger)
        }
        guard let payment else { return Layout.message(visitor, title: .paymentTitle, text: .paymentMissing, status: .notFound) }
        // Still with the bank: the page looks again every five seconds until the bank has answered.
        let (text, tone, refresh): (String, String?, Int?) = switch payment.state {
        case .success: (Phrase.paymentSucceeded.with(payment.amount.formatted, payment.number)(l), "ok", nil)
        case .created, .started, .submitted: (Phrase.paymentPending(l), nil, 5)
        default: (Phrase.paymentFailed.with(payment.failure?.rawValue ?? payment.state.rawValue)(l), "bad", nil)
        }
        struct View { var frame: PageFrame; var heading: String; var state: String; var text: String; var tone: String?; var backHref: String; var back: String }
        var frame = Layout.frame(visitor, title: .paymentTitle)
        frame.refresh = refresh
        return try Layout.render(visitor, "payment", View(frame: frame, heading: Phrase.paymentTitle(l), state: payment.state.rawValue, text: text, tone: tone,
                                                          backHref: "/my/dossiers/\(id.pathSegment)", back: Phrase.backToDossier(l)))
    }

    @Sendable func result(_ request: Request, context: ServiceRequestContext, citizen: Citizen) async throws -> Response {
        let (visitor, token) = (citizen.visitor, citizen.token)
        let id = try context.parameters.require("id")
        guard let dossier = try await self.area.singleWindow.dossier(id, token: token, requestID: context.requestID), dossier.status == .delivered,
              dossier.delivery.method == .online, let result = dossier.result else {
            return Layout.message(visitor, title: .resultTitle, text: .dossierMissing, status: .notFound)
        }
        // The citizen's right to the file was checked just now through single-window; the link is made with the
        // portal's own service token and lives ten minutes.
        let link = try await self.documents.link(result.fileId, seconds: 600, requestID: context.requestID)
        return visitor.redirect(to: link)
    }
}
