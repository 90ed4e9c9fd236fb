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
            return try self.page(visitor, code: "", checked: nil, issue: nil)
        }
        router.get("/check/:code") { request, context in
            let visitor = try await self.visitors.visitor(request)
            let code = try context.parameters.require("code")
            do {
                guard let checked = try await self.documents.verification(code: code, requestID: context.requestID) else {
                    return try self.page(visitor, code: code, checked: nil, issue: .codeUnknown, status: .notFound)
                }
                return try self.page(visitor, code: code, checked: checked, issue: nil)
            } catch {
                return Layout.failed(visitor, title: .verifyTitlePublic, error, logger: context.logger)
            }
        }
        openAPI.add("GET", "/check", summary: "Check a signed result: the form (?code= goes to the result)", tag: "pages", responses: [200: ("HTML", nil)],
                    contentType: "text/html")
        openAPI.add("GET", "/check/:code", summary: "Check a signed result by its printed code: signer, agency, time, integrity, chain, revocation",
                    tag: "pages", responses: [200: ("HTML", nil), 404: ("No such code", nil)], contentType: "text/html")
    }

    /// The check's model for `signature-check.mustache`: the form, or what each signature on the document says.
    struct CheckView {
        struct Signature { var valid: Bool; var verdict: String; var facts: [Fact] }
        struct Checked { var documentLabel: String; var name: String; var signatures: [Signature] }

        var frame: PageFrame
        var heading: String
        var checked: Checked?
        var errorSummary: ErrorSummary?
        var lead: String
        var code: FormField
        var submit: String
    }

    func page(_ visitor: Visitor, code: String, checked: DocumentVerification?, issue: Phrase?, status: HTTPResponse.Status = .ok) throws -> Response {
        let l = visitor.language
        var state = FormState(values: ["code": code])
        if let issue { state.issues = [FieldIssue(field: "code", code: "verify", vi: issue.vi, en: issue.en)] }
        let found = checked.map { checked in
            CheckView.Checked(documentLabel: Phrase.document(l), name: checked.name ?? "—", signatures: checked.verifications.map { verification in
                CheckView.Signature(
                    valid: verification.valid,
                    verdict: verification.valid ? Phrase.signatureValid(l) : Phrase.signatureInvalid.with(verification.reason ?? verification.integrity)(l),
                    facts: [Fact(label: Phrase.signer(l), value: verification.signerName ?? "—"), Fact(label: Phrase.agency(l), value: verification.agency ?? "—"),
                            Fact(label: Phrase.signedAt(l), value: verification.signingTime.map(Display.dateTime) ?? "—"),
                            Fact(label: Phrase.integrity(l), value: verification.integrity), Fact(label: Phrase.chain(l), value: verification.chain),
                            Fact(label: Phrase.revocation(l), value: verification.revocation)])
            })
        }
        return try Layout.render(visitor, "signature-check", CheckView(
            frame: Layout.frame(visitor, title: .verifyTitlePublic), heading: Phrase.verifyTitlePublic(l), checked: found, errorSummary: state.summary(l),
            lead: Phrase.verifyLeadPublic(l), code: state.field("code", .checkCode, l, .init(autocomplete: "off")), submit: Phrase.checkButton(l)),
            status: status)
    }
}
