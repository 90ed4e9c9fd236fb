import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let myDossiers = Phrase("Hồ sơ của tôi", "My dossiers")
    static let noDossiers = Phrase("Bạn chưa có hồ sơ nào. Tìm thủ tục để nộp hồ sơ trực tuyến.", "You have no dossiers yet. Find a procedure to submit one online.")
    static let submittedNotice = Phrase("Hồ sơ đã được gửi. Mã hồ sơ của bạn: {0}. Cơ quan sẽ kiểm tra và tiếp nhận; giấy tiếp nhận và hẹn trả kết quả sẽ có ở đây khi hồ sơ được tiếp nhận.",
                                        "Your dossier is sent. Its code: {0}. The agency will check and receive it; the receipt and appointment slip appears here once it is received.")
    static let submittedAt = Phrase("Ngày nộp", "Submitted")
    static let receipt = Phrase("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment slip")
    static let printReceipt = Phrase("In giấy tiếp nhận", "Print the receipt")
    static let print = Phrase("In", "Print")
    static let dossierMissing = Phrase("Không có hồ sơ này trong tài khoản của bạn.", "There is no such dossier in your account.")
    static let received = Phrase("Đã nhận", "Received")
    static let notReceived = Phrase("Chưa nhận", "Not received")
    static let receivedBy = Phrase("Người tiếp nhận", "Received by")
    static let deliveryMethod = Phrase("Hình thức nhận kết quả", "Result delivery")
}

/// "My dossiers": the list, one dossier with its timeline and what the citizen can do now, and the printable
/// receipt (Circular 01/2018 form 01).
struct MyDossiersPages {
    let area: CitizenArea
    let payments: PaymentsGateway

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/my/dossiers", use: self.area.route { request, context, citizen in
            let (visitor, token) = (citizen.visitor, citizen.token)
            let page = max(1, request.query("page").flatMap(Int.init) ?? 1)
            do {
                let dossiers = try await self.area.singleWindow.myDossiers(page: page, token: token, requestID: context.requestID)
                return self.list(visitor, dossiers)
            } catch {
                return Layout.failed(visitor, title: .myDossiers, error, logger: context.logger)
            }
        })
        router.get("/my/dossiers/:id", use: self.area.route { request, context, citizen in
            let (visitor, token) = (citizen.visitor, citizen.token)
            let id = try context.parameters.require("id")
            let dossier: DossierView?
            let agencies: [Agency]
            do {
                async let found = self.area.singleWindow.dossier(id, token: token, requestID: context.requestID)
                async let all = self.area.singleWindow.agencies(requestID: context.requestID)
                (dossier, agencies) = try await (found, all)
            } catch {
                return Layout.failed(visitor, title: .myDossiers, error, logger: context.logger)
            }
            guard let dossier else { return Layout.message(visitor, title: .myDossiers, text: .dossierMissing, status: .notFound) }
            let fee = await self.feeState(dossier, token: token, requestID: context.requestID)
            let agencyName = agencies.first { $0.code == dossier.agencyCode }?.name ?? dossier.agencyCode
            return DossierPage(visitor: visitor, dossier: dossier, agencyName: agencyName, fee: fee,
                               submitted: request.query("submitted") != nil, notice: request.query("done").flatMap(DossierPage.Notice.init)).response
        })
        router.get("/my/dossiers/:id/receipt", use: self.area.route { request, context, citizen in
            let (visitor, token) = (citizen.visitor, citizen.token)
            let id = try context.parameters.require("id")
            let form: DossierForm?
            do {
                form = try await self.area.singleWindow.form("01", of: id, as: DossierForm.self, token: token, requestID: context.requestID)
            } catch {
                return Layout.failed(visitor, title: .receipt, error, logger: context.logger)
            }
            guard let form else { return Layout.message(visitor, title: .receipt, text: .dossierMissing, status: .notFound) }
            return self.receipt(visitor, form)
        })
    }

    static func describe(_ openAPI: inout OpenAPIDocument) {
        for (path, summary) in [("/my/dossiers", "The signed-in citizen's dossiers"),
                                ("/my/dossiers/:id", "One dossier: timeline, supplement request, fee, result and its signature, rating"),
                                ("/my/dossiers/:id/receipt", "The printable receipt and appointment slip (Circular 01/2018 form 01)")] {
            openAPI.add("GET", path, summary: summary, tag: "pages", responses: [200: ("HTML", nil), 303: ("Sign in first", nil)], contentType: "text/html")
        }
    }

    /// Whether the dossier owes a fee, and what was paid: shown as the fee step of a fully online service.
    func feeState(_ dossier: DossierView, token: String, requestID: String?) async -> DossierPage.Fee? {
        guard !dossier.status.isFinal, let fees = try? await self.area.singleWindow.fees(code: dossier.code, requestID: requestID),
              fees.total.amount > 0 else { return nil }
        let paid = (try? await self.payments.payments(dossierCode: dossier.code, token: token, requestID: requestID))?.first { $0.state == .success }
        return DossierPage.Fee(total: fees.total, paid: paid)
    }

    func list(_ visitor: Visitor, _ page: Page<InboxItem>) -> Response {
        let l = visitor.language
        let rows = page.items.map { item in
            "<tr><td><a href=\"/my/dossiers/\(HTML.escape(item.id.pathSegment))\">\(HTML.escape(item.code))</a></td>"
                + "<td>\(HTML.escape(item.procedureName))</td><td>\(HTML.escape(Display.status(item.status, l)))</td>"
                + "<td class=\"wide\">\(item.dueAt.map(Display.date) ?? "—")</td></tr>"
        }.joined()
        let body = page.items.isEmpty
            ? "<p>\(HTML.escape(Phrase.noDossiers(l)))</p><p><a class=\"button\" href=\"/procedures?level=3\">\(HTML.escape(Phrase.catalogTitle(l)))</a></p>"
            : """
              <table><thead><tr><th>\(HTML.escape(Phrase.dossierCode(l)))</th><th>\(HTML.escape(Phrase.procedure(l)))</th>\
              <th>\(HTML.escape(Phrase.status(l)))</th><th class="wide">\(HTML.escape(Phrase.dueAt(l)))</th></tr></thead><tbody>\(rows)</tbody></table>
              """
        return Layout.page(visitor, title: .myDossiers, body: HTML(raw: "<h1>\(HTML.escape(Phrase.myDossiers(l)))</h1>\n" + body))
    }

    func receipt(_ visitor: Visitor, _ form: DossierForm) -> Response {
        let l = visitor.language
        let documents = (form.documents ?? []).enumerated().map { index, document in
            "<tr><td>\(index + 1)</td><td>\(HTML.escape(document.name))</td><td>\(document.copies)</td>"
                + "<td>\(HTML.escape((document.received ? Phrase.received : Phrase.notReceived)(l)))</td></tr>"
        }.joined()
        return Layout.page(visitor, title: .receipt, body: HTML(raw: """
            <article class="card slip">
            <p class="muted">\(HTML.escape(form.agencyName))</p>
            <h1>\(HTML.escape(form.title))</h1>
            <p class="muted">Mẫu số 01 — Thông tư 01/2018/TT-VPCP</p>
            <table><tbody>
            <tr><th>\(HTML.escape(Phrase.dossierCode(l)))</th><td><strong>\(HTML.escape(form.dossierCode))</strong></td></tr>
            <tr><th>\(HTML.escape(Phrase.procedure(l)))</th><td>\(HTML.escape(form.procedureName))</td></tr>
            <tr><th>\(HTML.escape(Phrase.applicant(l)))</th><td>\(HTML.escape(form.applicantName))<br>\(HTML.escape(form.applicantAddress))<br>\(HTML.escape(form.applicantPhone))</td></tr>
            <tr><th>\(HTML.escape(Phrase.receivedAt(l)))</th><td>\(form.receivedAt.map(Display.dateTime) ?? "—")</td></tr>
            <tr><th>\(HTML.escape(Phrase.dueAt(l)))</th><td><strong>\(form.appointmentAt.map(Display.dateTime) ?? "—")</strong></td></tr>
            <tr><th>\(HTML.escape(Phrase.deliveryMethod(l)))</th><td>\(HTML.escape(form.deliveryMethod.flatMap(DeliveryMethod.init).map { DossierPage.deliveryName($0)(l) } ?? "—"))</td></tr>
            <tr><th>\(HTML.escape(Phrase.receivedBy(l)))</th><td>\(HTML.escape(form.issuedBy ?? "—"))</td></tr>
            </tbody></table>
            <h2>\(HTML.escape(Phrase.requiredDocuments(l)))</h2>
            <table><thead><tr><th>#</th><th>\(HTML.escape(Phrase.requiredDocuments(l)))</th><th>\(HTML.escape(Phrase.copies(l)))</th>\
            <th>\(HTML.escape(Phrase.status(l)))</th></tr></thead><tbody>\(documents)</tbody></table>
            </article>
            <p class="no-print"><button type="button" data-print>\(HTML.escape(Phrase.printReceipt(l)))</button></p>
            """))
    }
}
