import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let verifyTitlePublic = Phrase("Kiểm tra văn bản có chữ ký số", "Check a digitally signed result")
    static let verifyLeadPublic = Phrase("Nhập mã kiểm tra in trên kết quả giải quyết thủ tục hành chính.", "Enter the check code printed on the result.")
    static let checkCode = Phrase("Mã kiểm tra", "Check code")
    static let checkButton = Phrase("Kiểm tra", "Check")
    static let signatureValid = Phrase("Chữ ký hợp lệ: văn bản nguyên vẹn, do cơ quan có thẩm quyền ký.", "Valid signature: the document is intact and was signed by the authority.")
    static let signatureInvalid = Phrase("Chữ ký KHÔNG hợp lệ: {0}", "The signature is NOT valid: {0}")
    static let signedAt = Phrase("Thời điểm ký", "Signed at")
    static let integrity = Phrase("Toàn vẹn", "Integrity")
    static let chain = Phrase("Chứng thư số", "Certificate")
    static let revocation = Phrase("Thu hồi", "Revocation")
    static let codeUnknown = Phrase("Không có kết quả nào mang mã kiểm tra này.", "No result has this check code.")
    static let document = Phrase("Văn bản", "Document")
}

/// The public check of a signed result by the code printed on it (`/check`, `/check/{code}`).
struct SignatureCheckPages {
    let visitors: Visitors
    let documents: DocumentsGateway

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/check") { request, context in
            let visitor = try await self.visitors.visitor(request)
            if let code = request.query("code")?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
                return visitor.redirect(to: "/check/" + code.pathSegment)
            }
            return self.page(visitor, code: "", checked: nil, issue: nil)
        }
        router.get("/check/:code") { request, context in
            let visitor = try await self.visitors.visitor(request)
            let code = try context.parameters.require("code")
            do {
                guard let checked = try await self.documents.verification(code: code, requestID: context.requestID) else {
                    return self.page(visitor, code: code, checked: nil, issue: .codeUnknown, status: .notFound)
                }
                return self.page(visitor, code: code, checked: checked, issue: nil)
            } catch {
                return Layout.failed(visitor, title: .verifyTitlePublic, error, logger: context.logger)
            }
        }
        openAPI.add("GET", "/check", summary: "Check a signed result: the form (?code= goes to the result)", tag: "pages", responses: [200: ("HTML", nil)],
                    contentType: "text/html")
        openAPI.add("GET", "/check/:code", summary: "Check a signed result by its printed code: signer, agency, time, integrity, chain, revocation",
                    tag: "pages", responses: [200: ("HTML", nil), 404: ("No such code", nil)], contentType: "text/html")
    }

    func page(_ visitor: Visitor, code: String, checked: DocumentVerification?, issue: Phrase?, status: HTTPResponse.Status = .ok) -> Response {
        let l = visitor.language
        var state = FormState(values: ["code": code])
        if let issue { state.issues = [FieldIssue(field: "code", code: "verify", vi: issue.vi, en: issue.en)] }
        var body = "<h1>\(HTML.escape(Phrase.verifyTitlePublic(l)))</h1>"
        if let checked {
            body += "<p>\(HTML.escape(Phrase.document(l))): \(HTML.escape(checked.name ?? "—"))</p>"
            for verification in checked.verifications {
                let verdict = verification.valid
                    ? "<p class=\"ok\">\(HTML.escape(Phrase.signatureValid(l)))</p>"
                    : "<p class=\"bad\">\(HTML.escape(Phrase.signatureInvalid.with(verification.reason ?? verification.integrity)(l)))</p>"
                body += """
                    <section class="card" data-valid="\(verification.valid)">\(verdict)<table><tbody>
                    <tr><th>\(HTML.escape(Phrase.signer(l)))</th><td>\(HTML.escape(verification.signerName ?? "—"))</td></tr>
                    <tr><th>\(HTML.escape(Phrase.agency(l)))</th><td>\(HTML.escape(verification.agency ?? "—"))</td></tr>
                    <tr><th>\(HTML.escape(Phrase.signedAt(l)))</th><td>\(verification.signingTime.map(Display.dateTime) ?? "—")</td></tr>
                    <tr><th>\(HTML.escape(Phrase.integrity(l)))</th><td>\(HTML.escape(verification.integrity))</td></tr>
                    <tr><th>\(HTML.escape(Phrase.chain(l)))</th><td>\(HTML.escape(verification.chain))</td></tr>
                    <tr><th>\(HTML.escape(Phrase.revocation(l)))</th><td>\(HTML.escape(verification.revocation))</td></tr>
                    </tbody></table></section>
                    """
            }
        } else {
            body += FormHTML.summary(state, l)
            body += "<p>\(HTML.escape(Phrase.verifyLeadPublic(l)))</p><form class=\"stack\" method=\"get\" action=\"/check\">"
                + FormHTML.field("code", .checkCode, state, l, .init(autocomplete: "off"))
                + "<button type=\"submit\">\(HTML.escape(Phrase.checkButton(l)))</button></form>"
        }
        return Layout.page(visitor, title: .verifyTitlePublic, body: HTML(raw: body), status: status)
    }
}
