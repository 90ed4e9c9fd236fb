import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let registerTitle = Phrase("Đăng ký tài khoản", "Create an account")
    static let registerLead = Phrase("Tài khoản giúp bạn nộp hồ sơ trực tuyến và theo dõi kết quả. Chúng tôi sẽ gửi mã xác thực đến số điện thoại của bạn.",
                                     "An account lets you submit dossiers online and follow them. We will send a code to your phone.")
    static let phone = Phrase("Số điện thoại di động", "Mobile phone number")
    static let citizenId = Phrase("Số định danh cá nhân (CCCD)", "Personal identification number")
    static let citizenIdHint = Phrase("12 chữ số trên căn cước công dân", "The 12 digits on your citizen identity card")
    static let fullName = Phrase("Họ và tên", "Full name")
    static let email = Phrase("Thư điện tử (không bắt buộc)", "E-mail (optional)")
    static let password = Phrase("Mật khẩu", "Password")
    static let passwordHint = Phrase("Ít nhất 8 ký tự", "At least 8 characters")
    static let registerButton = Phrase("Đăng ký", "Create account")
    static let verifyTitle = Phrase("Xác thực số điện thoại", "Confirm your phone")
    static let verifyLead = Phrase("Nhập mã 6 chữ số vừa được gửi đến số {0}. Mã có hiệu lực trong 5 phút.",
                                   "Enter the 6-digit code we sent to {0}. It is valid for 5 minutes.")
    static let code = Phrase("Mã xác thực", "Code")
    static let verifyButton = Phrase("Xác thực", "Confirm")
    static let resendButton = Phrase("Gửi lại mã", "Send a new code")
    static let codeSent = Phrase("Đã gửi mã mới đến điện thoại của bạn.", "A new code is on its way to your phone.")
    static let codeTooSoon = Phrase("Mã vừa được gửi. Vui lòng chờ một phút trước khi yêu cầu mã mới.",
                                    "A code was just sent. Please wait a minute before asking for another.")
    static let codeFailed = Phrase("Hiện chưa gửi được tin nhắn. Vui lòng bấm “Gửi lại mã” sau ít phút.",
                                   "We could not send the text message just now. Please press “Send a new code” in a few minutes.")
    static let accountTitle = Phrase("Tài khoản của tôi", "My account")
    static let phoneVerified = Phrase("Số điện thoại đã được xác thực.", "Your phone is confirmed.")
    static let formExpired = Phrase("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và gửi lại.",
                                    "This form has expired or is not valid. Please reload the page and send it again.")
    static let tooManyAttempts = Phrase("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau {0} giây.",
                                        "Too many attempts. Please try again in {0} seconds.")
    static let roles = Phrase("Vai trò", "Roles")
    static let agency = Phrase("Cơ quan", "Agency")
}

/// Registration, phone proof and the account page.
struct RegistrationPages {
    let visitors: Visitors
    let service: AccountService
    let attempts: RateLimiter

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/register") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            if visitor.account != nil { return visitor.redirect(to: "/account") }
            return self.registerPage(visitor, FormState())
        }
        router.post("/register") { request, context in
            var visitor = try await self.visitors.visitor(request)
            if let refusal = await AccountPages.refuse(request, context, visitor, attempts: self.attempts) { return refusal }
            guard let fields = try await self.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
            let form = AccountService.Registration(phone: fields["phone"] ?? "", citizenId: fields["citizenId"] ?? "", fullName: fields["fullName"] ?? "",
                                                   password: fields["password"] ?? "", email: fields["email"])
            switch try await self.service.register(form) {
            case .failure(let problem):
                return self.registerPage(visitor, FormState(values: fields, issues: problem.errors ?? []), status: .unprocessableContent)
            case .success(let account):
                let sent = try await self.service.sendCode(to: account, purpose: .verifyPhone, language: visitor.language, requestID: context.requestID)
                visitor.cookies.append(self.visitors.sessionCookie(try await self.service.startSession(for: account)))
                return visitor.redirect(to: sent == .failed ? sent.verifyPage : "/verify")
            }
        }
        router.get("/verify") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            guard let account = visitor.account else { return visitor.redirect(to: "/login?next=%2Fverify") }
            if account.phoneVerifiedAt != nil { return visitor.redirect(to: "/account") }
            let notice: Phrase? = switch request.query("sent") {
            case "failed": .codeFailed
            case "soon": .codeTooSoon
            case "yes": .codeSent
            default: nil
            }
            return self.verifyPage(visitor, account, FormState(), notice: notice)
        }
        router.post("/verify") { request, context in
            let visitor = try await self.visitors.visitor(request)
            if let refusal = await AccountPages.refuse(request, context, visitor, attempts: self.attempts) { return refusal }
            guard let fields = try await self.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
            guard let account = visitor.account else { return visitor.redirect(to: "/login?next=%2Fverify") }
            if account.phoneVerifiedAt != nil { return visitor.redirect(to: "/account") }
            if fields["resend"] != nil {
                let sent = try await self.service.sendCode(to: account, purpose: .verifyPhone, language: visitor.language, requestID: context.requestID)
                return visitor.redirect(to: sent.verifyPage)
            }
            switch try await self.service.verifyPhone(account, code: fields["code"] ?? "") {
            case .accepted:
                return visitor.redirect(to: "/account?verified=1")
            case .wrong(let left):
                return self.verifyPage(visitor, account, FormState(issues: [AccountService.wrongCode(triesLeft: left)]), status: .unprocessableContent)
            case .noLiveCode:
                return self.verifyPage(visitor, account, FormState(issues: [AccountService.noLiveCode]), status: .unprocessableContent)
            }
        }
        router.get("/account") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            guard let account = visitor.account else { return visitor.redirect(to: "/login?next=%2Faccount") }
            if account.phoneVerifiedAt == nil { return visitor.redirect(to: "/verify") }
            return self.accountPage(visitor, account, verified: request.query("verified") != nil)
        }
    }

    func registerPage(_ visitor: Visitor, _ state: FormState, status: HTTPResponse.Status = .ok) -> Response {
        let l = visitor.language
        return Layout.page(visitor, title: .registerTitle, body: HTML(raw: """
            <h1>\(HTML.escape(Phrase.registerTitle(l)))</h1>
            \(FormHTML.summary(state, l))
            <p>\(HTML.escape(Phrase.registerLead(l)))</p>
            <form class="stack" method="post" action="/register" novalidate data-once>
            \(FormHTML.csrf(visitor))
            \(FormHTML.field("fullName", .fullName, state, l, .init(autocomplete: "name")))
            \(FormHTML.field("phone", .phone, state, l, .init(type: "tel", autocomplete: "tel", inputmode: "tel")))
            \(FormHTML.field("citizenId", .citizenId, state, l, .init(inputmode: "numeric", hint: .citizenIdHint)))
            \(FormHTML.field("email", .email, state, l, .init(type: "email", autocomplete: "email", required: false)))
            \(FormHTML.field("password", .password, state, l, .init(type: "password", autocomplete: "new-password", hint: .passwordHint, keepsValue: false)))
            <button type="submit">\(HTML.escape(Phrase.registerButton(l)))</button>
            </form>
            <p><a href="/login">\(HTML.escape(Phrase.navSignIn(l)))</a></p>
            """), status: status)
    }

    func verifyPage(_ visitor: Visitor, _ account: AccountRecord, _ state: FormState, notice: Phrase? = nil,
                    status: HTTPResponse.Status = .ok) -> Response {
        let l = visitor.language
        let masked = String(repeating: "•", count: 6) + account.phone.suffix(4)
        return Layout.page(visitor, title: .verifyTitle, body: HTML(raw: """
            <h1>\(HTML.escape(Phrase.verifyTitle(l)))</h1>
            \(FormHTML.summary(state, l))\(notice.map { FormHTML.notice($0, l) } ?? "")
            <p>\(HTML.escape(Phrase.verifyLead.with(masked)(l)))</p>
            <form class="stack" method="post" action="/verify" novalidate data-once>
            \(FormHTML.csrf(visitor))
            \(FormHTML.field("code", .code, state, l, .init(autocomplete: "one-time-code", inputmode: "numeric", keepsValue: false)))
            <button type="submit">\(HTML.escape(Phrase.verifyButton(l)))</button>
            </form>
            <form method="post" action="/verify">\(FormHTML.csrf(visitor))<input type="hidden" name="resend" value="1">
            <p><button class="link" type="submit">\(HTML.escape(Phrase.resendButton(l)))</button></p></form>
            """), status: status)
    }

    func accountPage(_ visitor: Visitor, _ account: AccountRecord, verified: Bool) -> Response {
        let l = visitor.language
        var rows = "<tr><th>\(HTML.escape(Phrase.fullName(l)))</th><td>\(HTML.escape(account.fullName))</td></tr>"
            + "<tr><th>\(HTML.escape(Phrase.phone(l)))</th><td>\(HTML.escape(account.phone))</td></tr>"
        if let citizenId = account.citizenId { rows += "<tr><th>\(HTML.escape(Phrase.citizenId(l)))</th><td>\(HTML.escape(citizenId))</td></tr>" }
        if let email = account.email { rows += "<tr><th>\(HTML.escape(Phrase.email(l)))</th><td>\(HTML.escape(email))</td></tr>" }
        if account.isStaff {
            rows += "<tr><th>\(HTML.escape(Phrase.roles(l)))</th><td>\(HTML.escape(account.roles.map(\.rawValue).joined(separator: ", ")))</td></tr>"
            rows += "<tr><th>\(HTML.escape(Phrase.agency(l)))</th><td>\(HTML.escape(account.agency ?? "—"))</td></tr>"
        }
        return Layout.page(visitor, title: .accountTitle, body: HTML(raw: """
            <h1>\(HTML.escape(Phrase.accountTitle(l)))</h1>
            \(verified ? FormHTML.notice(.phoneVerified, l) : "")
            <table><tbody>\(rows)</tbody></table>
            """))
    }
}
