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
            return try self.registerPage(visitor, FormState())
        }
        router.post("/register") { request, context in
            var visitor = try await self.visitors.visitor(request)
            if let refusal = await AccountPages.refuse(request, context, visitor, attempts: self.attempts) { return refusal }
            guard let fields = try await self.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
            let form = AccountService.Registration(phone: fields["phone"] ?? "", citizenId: fields["citizenId"] ?? "", fullName: fields["fullName"] ?? "",
                                                   password: fields["password"] ?? "", email: fields["email"])
            switch try await self.service.register(form) {
            case .failure(let problem):
                return try self.registerPage(visitor, FormState(values: fields, issues: problem.errors ?? []), status: .unprocessableContent)
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
            return try self.verifyPage(visitor, account, FormState(), notice: notice)
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
                return try self.verifyPage(visitor, account, FormState(issues: [AccountService.wrongCode(triesLeft: left)]), status: .unprocessableContent)
            case .noLiveCode:
                return try self.verifyPage(visitor, account, FormState(issues: [AccountService.noLiveCode]), status: .unprocessableContent)
            }
        }
        router.get("/account") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            guard let account = visitor.account else { return visitor.redirect(to: "/login?next=%2Faccount") }
            if account.phoneVerifiedAt == nil { return visitor.redirect(to: "/verify") }
            return try self.accountPage(visitor, account, verified: request.query("verified") != nil)
        }
    }

    func registerPage(_ visitor: Visitor, _ state: FormState, status: HTTPResponse.Status = .ok) throws -> Response {
        let l = visitor.language
        return try FormPage(visitor, title: .registerTitle, action: "/register", state: state, fields: [
            state.field("fullName", .fullName, l, .init(autocomplete: "name")),
            state.field("phone", .phone, l, .init(type: "tel", autocomplete: "tel", inputmode: "tel")),
            state.field("citizenId", .citizenId, l, .init(inputmode: "numeric", hint: .citizenIdHint)),
            state.field("email", .email, l, .init(type: "email", autocomplete: "email", required: false)),
            state.field("password", .password, l, .init(type: "password", autocomplete: "new-password", hint: .passwordHint, keepsValue: false)),
        ], submit: .registerButton, lead: .registerLead, links: [("/login", .navSignIn)]).response(visitor, status: status)
    }

    func verifyPage(_ visitor: Visitor, _ account: AccountRecord, _ state: FormState, notice: Phrase? = nil,
                    status: HTTPResponse.Status = .ok) throws -> Response {
        let l = visitor.language
        let masked = String(repeating: "•", count: 6) + account.phone.suffix(4)
        return try FormPage(visitor, title: .verifyTitle, action: "/verify", state: state, fields: [
            state.field("code", .code, l, .init(autocomplete: "one-time-code", inputmode: "numeric", keepsValue: false)),
        ], submit: .verifyButton, notice: notice, lead: Phrase.verifyLead.with(masked),
           also: .init(action: "/verify", hidden: [.init(name: "resend", value: "1")], label: Phrase.resendButton(l))).response(visitor, status: status)
    }

    /// The account's page (`account.mustache`): who it is, and for staff their roles and agency.
    struct AccountView {
        var frame: PageFrame
        var heading: String
        var notice: String?
        var facts: [Fact]
    }

    func accountPage(_ visitor: Visitor, _ account: AccountRecord, verified: Bool) throws -> Response {
        let l = visitor.language
        var facts = [Fact(label: Phrase.fullName(l), value: account.fullName), Fact(label: Phrase.phone(l), value: account.phone)]
        if let citizenId = account.citizenId { facts.append(Fact(label: Phrase.citizenId(l), value: citizenId)) }
        if let email = account.email { facts.append(Fact(label: Phrase.email(l), value: email)) }
        if account.isStaff {
            facts.append(Fact(label: Phrase.roles(l), value: account.roles.map { Display.role($0)?(l) ?? $0.rawValue }.joined(separator: ", ")))
            facts.append(Fact(label: Phrase.agency(l), value: account.agency ?? "—"))
        }
        return try Layout.render(visitor, "account", AccountView(frame: Layout.frame(visitor, title: .accountTitle), heading: Phrase.accountTitle(l),
                                                                  notice: verified ? Phrase.phoneVerified(l) : nil, facts: facts))
    }
}
