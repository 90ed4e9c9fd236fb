import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let lookupTitle = Phrase("Tra cứu tiến độ hồ sơ", "Track a dossier")
    static let lookupLead = Phrase("Nhập mã hồ sơ trên giấy tiếp nhận và 4 số cuối của số điện thoại đã khai.",
                                   "Enter the code on your receipt and the last 4 digits of the phone number you gave.")
    static let dossierCode = Phrase("Mã hồ sơ", "Dossier code")
    static let phoneLastFour = Phrase("4 số cuối điện thoại", "Last 4 digits of the phone")
    static let lookupButton = Phrase("Tra cứu", "Look up")
    static let procedure = Phrase("Thủ tục", "Procedure")
    static let status = Phrase("Trạng thái", "Status")
    static let receivedAt = Phrase("Ngày tiếp nhận", "Received")
    static let dueAt = Phrase("Ngày hẹn trả", "Due")
    static let newAppointment = Phrase("Ngày hẹn mới", "New appointment")
    static let history = Phrase("Quá trình xử lý", "Progress")
    static let lookupAgain = Phrase("Tra cứu hồ sơ khác", "Look up another dossier")
    static let kioskTitle = Phrase("Tra cứu hồ sơ", "Track your dossier")
    static let kioskIdle = Phrase("Màn hình sẽ trở về trang đầu sau 1 phút.", "This screen returns to the start after a minute.")
    static let keypad = Phrase("Bàn phím", "Keypad")
    static let clear = Phrase("Xóa hết", "Clear")
    static let backspace = Phrase("Xóa lùi", "Delete")
    static let letters = Phrase("Chữ cái", "Letters")
}

/// The look-up as a web page (`/lookup`) and as an information kiosk (`/kiosk`: large type, touch keys, an
/// on-screen keypad, back to the start after a minute).
struct LookupPages {
    let visitors: Visitors
    let lookups: LookupService

    enum Surface { case web, kiosk }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/lookup") { request, context in try await self.page(request, context, .web) }
        // The address the SMS and e-mails carry (`/tra-cuu?code=`), in Vietnamese: the same page.
        router.get("/tra-cuu") { request, context in try await self.page(request, context, .web) }
        router.get("/kiosk") { request, context in try await self.page(request, context, .kiosk) }
    }

    static func describe(_ openAPI: inout OpenAPIDocument) {
        openAPI.add("GET", "/lookup", summary: "Look-up page; with ?code= and ?phone= (last four digits) it shows the dossier's progress",
                    tag: "pages", responses: [200: ("HTML", nil)], contentType: "text/html")
        openAPI.add("GET", "/tra-cuu", summary: "The look-up page at the Vietnamese address that SMS and e-mails link to (?code=)",
                    tag: "pages", responses: [200: ("HTML", nil)], contentType: "text/html")
        openAPI.add("GET", "/kiosk", summary: "The same for an information kiosk: large type, on-screen keypad, back to the start when idle",
                    tag: "pages", responses: [200: ("HTML", nil)], contentType: "text/html")
    }

    func page(_ request: Request, _ context: ServiceRequestContext, _ surface: Surface) async throws -> Response {
        let visitor = try await self.visitors.visitor(request)
        let code = request.query("code") ?? ""
        let phone = request.query("phone") ?? ""
        // A link with the code only (from an SMS): the form, the code filled in, waiting for the phone's digits.
        guard request.query("phone") != nil else {
            return self.render(visitor, surface, FormState(values: ["code": code]), result: nil)
        }
        let state = FormState(values: ["code": code, "phone": phone])
        switch await self.lookups.lookup(code: code, phone: phone, clientAddress: context.clientAddress(request), requestID: context.requestID) {
        case .found(let body):
            return self.render(visitor, surface, state, result: try JSONDecoder.motcua.decode(DossierLookup.self, from: body))
        case .invalid(let issues):
            return self.render(visitor, surface, FormState(values: state.values, issues: issues), result: nil, status: .badRequest)
        case .notFound:
            return self.render(visitor, surface, FormState(values: state.values, issues: [LookupService.notFound]), result: nil, status: .notFound)
        case .tooMany(let retryAfter):
            let phrase = Phrase.tooManyAttempts.with(String(retryAfter))
            var response = self.render(visitor, surface, FormState(values: state.values, issues: [
                FieldIssue(field: "code", code: "lookup.tooMany", vi: phrase.vi, en: phrase.en),
            ]), result: nil, status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        case .unavailable:
            var response = self.render(visitor, surface, FormState(values: state.values, issues: [
                FieldIssue(field: "code", code: "lookup.unavailable", vi: Phrase.serviceDown.vi, en: Phrase.serviceDown.en),
            ]), result: nil, status: .serviceUnavailable)
            response.headers[.retryAfter] = "30"
            return response
        }
    }

    func render(_ visitor: Visitor, _ surface: Surface, _ state: FormState, result: DossierLookup?, status: HTTPResponse.Status = .ok) -> Response {
        let l = visitor.language
        let action = surface == .kiosk ? "/kiosk" : "/lookup"
        var body = "<h1>\(HTML.escape((surface == .kiosk ? Phrase.kioskTitle : Phrase.lookupTitle)(l)))</h1>"
        if let result {
            body += Self.result(result, l)
            body += "<p><a class=\"button\" href=\"\(action)\">\(HTML.escape(Phrase.lookupAgain(l)))</a></p>"
        } else {
            body += FormHTML.summary(state, l)
            body += "<p>\(HTML.escape(Phrase.lookupLead(l)))</p>"
            body += "<form class=\"stack\" method=\"get\" action=\"\(action)\" novalidate>"
            body += FormHTML.field("code", .dossierCode, state, l, .init(autocomplete: "off"))
            body += FormHTML.field("phone", .phoneLastFour, state, l, .init(autocomplete: "off", inputmode: "numeric"))
            body += "<button type=\"submit\">\(HTML.escape(Phrase.lookupButton(l)))</button></form>"
            if surface == .kiosk { body += Self.keypad(l) }
        }
        switch surface {
        case .web:
            return Layout.page(visitor, title: .lookupTitle, body: HTML(raw: body), status: status)
        case .kiosk:
            body += "<p class=\"muted\">\(HTML.escape(Phrase.kioskIdle(l)))</p>"
            return Layout.kiosk(visitor, title: .kioskTitle, body: HTML(raw: body), status: status, returnAfter: 60)
        }
    }

    static func result(_ lookup: DossierLookup, _ l: Language) -> String {
        var rows = "<tr><th>\(HTML.escape(Phrase.dossierCode(l)))</th><td>\(HTML.escape(lookup.code))</td></tr>"
            + "<tr><th>\(HTML.escape(Phrase.procedure(l)))</th><td>\(HTML.escape(lookup.procedureName))</td></tr>"
            + "<tr><th>\(HTML.escape(Phrase.agency(l)))</th><td>\(HTML.escape(lookup.agencyName))</td></tr>"
            + "<tr><th>\(HTML.escape(Phrase.status(l)))</th><td><strong>\(HTML.escape(Display.status(lookup.status, l)))</strong></td></tr>"
        if let received = lookup.receivedAt { rows += "<tr><th>\(HTML.escape(Phrase.receivedAt(l)))</th><td>\(Display.dateTime(received))</td></tr>" }
        if let due = lookup.dueAt { rows += "<tr><th>\(HTML.escape(Phrase.dueAt(l)))</th><td>\(Display.dateTime(due))</td></tr>" }
        if let later = lookup.newAppointment { rows += "<tr><th>\(HTML.escape(Phrase.newAppointment(l)))</th><td>\(Display.date(later))</td></tr>" }
        let steps = lookup.history.map { "<li><time>\(Display.dateTime($0.at))</time> — \(HTML.escape(Display.status($0.status, l)))</li>" }.joined()
        return "<section class=\"card\" aria-live=\"polite\"><table><tbody>\(rows)</tbody></table>"
            + "<h2>\(HTML.escape(Phrase.history(l)))</h2><ol class=\"timeline\">\(steps)</ol></section>"
    }

    /// Keys that type into the field last focused (site.js); without script the device's own keyboard still works.
    static func keypad(_ l: Language) -> String {
        let digits = ["1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "-"]
        let letters = (UnicodeScalar("A").value...UnicodeScalar("Z").value).compactMap(UnicodeScalar.init).map { String(Character($0)) }
        func key(_ value: String) -> String { "<button type=\"button\" data-key=\"\(value)\">\(value)</button>" }
        return """
            <div class="keypad" role="group" aria-label="\(HTML.escape(Phrase.keypad(l)))" hidden>
            <div class="keys">\(digits.map(key).joined())</div>
            <details><summary>\(HTML.escape(Phrase.letters(l)))</summary><div class="keys letters">\(letters.map(key).joined())</div></details>
            <div class="keys wide"><button type="button" data-key="back">\(HTML.escape(Phrase.backspace(l)))</button>\
            <button type="button" data-key="clear">\(HTML.escape(Phrase.clear(l)))</button></div>
            </div>
            """
    }
}
