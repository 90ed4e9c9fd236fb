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
            return try self.render(visitor, surface, FormState(values: ["code": code]), result: nil)
        }
        let state = FormState(values: ["code": code, "phone": phone])
        switch await self.lookups.lookup(code: code, phone: phone, clientAddress: context.clientAddress(request), requestID: context.requestID) {
        case .found(let body):
            return try self.render(visitor, surface, state, result: try JSONDecoder.motcua.decode(DossierLookup.self, from: body))
        case .invalid(let issues):
            return try self.render(visitor, surface, FormState(values: state.values, issues: issues), result: nil, status: .badRequest)
        case .notFound:
            return try self.render(visitor, surface, FormState(values: state.values, issues: [LookupService.notFound]), result: nil, status: .notFound)
        case .tooMany(let retryAfter):
            let phrase = Phrase.tooManyAttempts.with(String(retryAfter))
            var response = try self.render(visitor, surface, FormState(values: state.values, issues: [
                FieldIssue(field: "code", code: "lookup.tooMany", vi: phrase.vi, en: phrase.en),
            ]), result: nil, status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        case .unavailable:
            var response = try self.render(visitor, surface, FormState(values: state.values, issues: [
                FieldIssue(field: "code", code: "lookup.unavailable", vi: Phrase.serviceDown.vi, en: Phrase.serviceDown.en),
            ]), result: nil, status: .serviceUnavailable)
            response.headers[.retryAfter] = "30"
            return response
        }
    }

    /// The look-up's model: `lookup.mustache` on the web, `kiosk-lookup.mustache` on a kiosk, both drawing
    /// `lookup-body.mustache` (the form, or the dossier's progress).
    struct LookupView {
        struct Result {
            struct Step { var at: String; var status: String }
            var facts: [Fact]
            var historyHeading: String
            var history: [Step]
            var again: String
        }
        /// What only a kiosk has: the on-screen keypad (keys that type into the field last focused, by site.js; without
        /// script the device's own keyboard still works), and the return to the start after `idleAfter` seconds
        /// without a touch (by script), or twice that by a refresh when script is off.
        struct Kiosk {
            var keypadLabel: String
            var digits: [String]
            var lettersLabel: String
            var letters: [String]
            var backspace: String
            var clear: String
            var idle: String
            var idleAfter: Int
            var refreshAfter: Int

            init(_ l: Language, idleAfter: Int = 60) {
                self.keypadLabel = Phrase.keypad(l)
                self.digits = ["1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "-"]
                self.lettersLabel = Phrase.letters(l)
                self.letters = (UnicodeScalar("A").value...UnicodeScalar("Z").value).compactMap(UnicodeScalar.init).map { String(Character($0)) }
                self.backspace = Phrase.backspace(l)
                self.clear = Phrase.clear(l)
                self.idle = Phrase.kioskIdle(l)
                self.idleAfter = idleAfter
                self.refreshAfter = idleAfter * 2
            }
        }

        var frame: PageFrame
        var heading: String
        var action: String
        var result: Result?
        var errorSummary: ErrorSummary?
        var lead: String
        var fields: [FormField]
        var submit: String
        var kiosk: Kiosk?
    }

    func render(_ visitor: Visitor, _ surface: Surface, _ state: FormState, result: DossierLookup?, status: HTTPResponse.Status = .ok) throws -> Response {
        let l = visitor.language
        let kiosk = surface == .kiosk
        let title: Phrase = kiosk ? .kioskTitle : .lookupTitle
        let view = LookupView(
            frame: Layout.frame(visitor, title: title), heading: title(l), action: kiosk ? "/kiosk" : "/lookup", result: result.map { Self.result($0, l) },
            errorSummary: state.summary(l), lead: Phrase.lookupLead(l),
            fields: [state.field("code", .dossierCode, l, .init(autocomplete: "off")),
                     state.field("phone", .phoneLastFour, l, .init(autocomplete: "off", inputmode: "numeric"))],
            submit: Phrase.lookupButton(l), kiosk: kiosk ? LookupView.Kiosk(l) : nil)
        return try Layout.render(visitor, kiosk ? "kiosk-lookup" : "lookup", view, status: status)
    }

    static func result(_ lookup: DossierLookup, _ l: Language) -> LookupView.Result {
        var facts = [Fact(label: Phrase.dossierCode(l), value: lookup.code), Fact(label: Phrase.procedure(l), value: lookup.procedureName),
                     Fact(label: Phrase.agency(l), value: lookup.agencyName), Fact(label: Phrase.status(l), value: Display.status(lookup.status, l), strong: true)]
        if let received = lookup.receivedAt { facts.append(Fact(label: Phrase.receivedAt(l), value: Display.dateTime(received))) }
        if let due = lookup.dueAt { facts.append(Fact(label: Phrase.dueAt(l), value: Display.dateTime(due))) }
        if let later = lookup.newAppointment { facts.append(Fact(label: Phrase.newAppointment(l), value: Display.date(later))) }
        return LookupView.Result(facts: facts, historyHeading: Phrase.history(l),
                                 history: lookup.history.map { .init(at: Display.dateTime($0.at), status: Display.status($0.status, l)) },
                                 again: Phrase.lookupAgain(l))
    }
}
