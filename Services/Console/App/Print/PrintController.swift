import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The slips and forms of Circular 01/2018 as pages that print cleanly from the browser: the agency's name, the
/// dossier code, the form's lines from single-window (`GET /v1/dossiers/{id}/forms/{form}`), and a QR code that opens
/// the public look-up. The receipt prints on A5, the others on A4.
struct PrintController {
    let pages: StaffPages
    /// The portal's address as citizens reach it, for the look-up link the QR code carries.
    let portalURL: String

    enum Text {
        static let nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        static let motto = "Độc lập - Tự do - Hạnh phúc"
        static let print = Phrase("In", "Print")
        static let back = Phrase("Về hồ sơ", "Back to the dossier")
        static let lookUp = Phrase("Quét mã để tra cứu tiến độ hồ sơ", "Scan to follow the dossier")
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/dossiers/:id/print/:form", use: self.print)
    }

    struct Line { let label: String; let value: String }
    struct Document { let number: String; let name: String; let copies: String; let received: String }
    struct Step { let at: String; let actor: String; let action: String; let status: String; let note: String }
    struct View {
        let lang: String
        let title: String
        let stylesheet: String
        let script: String
        let paper: String
        let agency: String
        let nation: String
        let motto: String
        let formNumber: String
        let lines: [Line]
        let documents: [Document]
        let hasDocuments: Bool
        let steps: [Step]
        let hasSteps: Bool
        /// Form 05's handovers between the steps of the internal process.
        let handovers: ProcessSheet?
        let qr: String?
        let lookUpLabel: String
        let lookUpURL: String
        let printLabel: String
        let back: String
        let backLabel: String
    }

    @Sendable func print(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let id = context.parameters.get("id") ?? ""
            let form = try await self.pages.desk.form(context.parameters.get("form") ?? "", of: id, as: token, requestID: visit.requestID)
            let names = await self.pages.names(visit, token: token)
            let handovers = ProcessSheet(form.process, agencyNames: await self.pages.agencyNames(of: form.process, visit, token: token), names: names,
                                         now: self.pages.now(), language: .vi)
            return try self.sheet(form, id: id, visit: visit, names: names, handovers: handovers)
        }
    }

    /// `names` turns account ids into people's names; `handovers`, form 05's rows, from the dossier's process.
    func sheet(_ form: DossierForm, id: String, visit: Visit, names: [String: String] = [:], handovers: ProcessSheet? = nil) throws -> Response {
        let language = visit.language
        var lines = [Line(label: "Mã hồ sơ", value: form.dossierCode), Line(label: "Thủ tục", value: form.procedureName),
                     Line(label: "Người nộp", value: form.applicantName), Line(label: "Địa chỉ", value: form.applicantAddress),
                     Line(label: "Điện thoại", value: form.applicantPhone)]
        if let received = form.receivedAt { lines.append(Line(label: "Tiếp nhận lúc", value: Display.dateTime(received))) }
        if let due = form.appointmentAt { lines.append(Line(label: "Hẹn trả kết quả", value: Display.dateTime(due))) }
        if let method = form.deliveryMethod.flatMap(DeliveryMethod.init(rawValue:)) {
            lines.append(Line(label: "Nhận kết quả", value: Display.delivery(method)(.vi)))
        }
        if let reason = form.reason { lines.append(Line(label: "Lý do", value: reason)) }
        if let requested = form.requestedDocuments { lines.append(Line(label: "Cần bổ sung", value: requested.joined(separator: "; "))) }
        if let deadline = form.deadline { lines.append(Line(label: "Hạn bổ sung", value: Display.date(deadline))) }
        if let appointment = form.newAppointment { lines.append(Line(label: "Hẹn lại ngày", value: Display.date(appointment))) }
        if let by = form.issuedBy { lines.append(Line(label: "Người lập phiếu", value: names[by] ?? by)) }
        let lookUp = self.portalURL + "/tra-cuu?code=" + FormEncoding.encode(form.dossierCode)
        let view = View(
            lang: language.rawValue, title: form.title, stylesheet: self.pages.stylesheet.path, script: self.pages.script.path,
            paper: form.form == "01" ? "a5" : "a4", agency: form.agencyName.uppercased(), nation: Text.nation, motto: Text.motto,
            formNumber: "Mẫu số \(form.form) (Thông tư 01/2018/TT-VPCP)", lines: lines,
            documents: (form.documents ?? []).enumerated().map { index, document in
                Document(number: String(index + 1), name: document.name, copies: String(document.copies), received: document.received ? "✓" : "")
            },
            hasDocuments: !(form.documents ?? []).isEmpty,
            steps: (form.steps ?? []).map { Step(at: Display.dateTime($0.at), actor: names[$0.actor] ?? $0.actor, action: $0.action, status: $0.status,
                                                  note: [$0.comment, $0.detail].compactMap { $0 }.joined(separator: " · ")) },
            hasSteps: !(form.steps ?? []).isEmpty, handovers: handovers?.hasHandovers == true ? handovers : nil,
            qr: QRCode.svg(lookUp, label: Text.lookUp(language)), lookUpLabel: Text.lookUp(language), lookUpURL: lookUp,
            printLabel: Text.print(language), back: "/dossiers/\(id.pathSegment)", backLabel: Text.back(language))
        return try self.pages.page(visit, "slip", view)
    }
}
