import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let signInTitle = Phrase("Đăng nhập", "Sign in")
    static let signInButton = Phrase("Đăng nhập", "Sign in")
    static let signInWrong = Phrase("Số điện thoại hoặc mật khẩu không đúng.", "The phone number or password is not right.")
    static let signInLocked = Phrase("Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Thử lại sau {0} hoặc lấy lại mật khẩu.",
                                     "This account is locked after too many wrong passwords. Try again after {0} or reset the password.")
    static let signInDisabled = Phrase("Tài khoản đã bị quản trị viên khóa; liên hệ quản trị viên để mở lại.",
                                       "This account was disabled by an administrator; ask them to enable it.")
    static let forgotLink = Phrase("Quên mật khẩu?", "Forgot your password?")
    static let noAccount = Phrase("Chưa có tài khoản? Đăng ký", "No account yet? Create one")
    static let forgotTitle = Phrase("Lấy lại mật khẩu", "Reset your password")
    static let forgotLead = Phrase("Nhập số điện thoại của tài khoản. Nếu số này đã đăng ký, chúng tôi sẽ gửi mã xác thực.",
                                   "Enter your account's phone number. If it has an account, we will send it a code.")
    static let sendCodeButton = Phrase("Gửi mã", "Send code")
    static let resetTitle = Phrase("Đặt mật khẩu mới", "Choose a new password")
    static let resetLead = Phrase("Nếu số điện thoại có tài khoản, mã xác thực đã được gửi. Nhập mã và mật khẩu mới.",
                                  "If the phone has an account, a code is on its way. Enter it with your new password.")
    static let newPassword = Phrase("Mật khẩu mới", "New password")
    static let resetButton = Phrase("Đổi mật khẩu", "Change password")
    static let reload = Phrase("Tải lại biểu mẫu", "Open the form again")
    static let passwordChanged = Phrase("Đã đổi mật khẩu. Vui lòng đăng nhập bằng mật khẩu mới.", "Your password is changed. Sign in with the new one.")
}

/// Sign-in and sign-out, the language toggle, and password reset by SMS code.
struct SignInPages {
    let visitors: Visitors
    let service: AccountService
    let attempts: RateLimiter

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/login") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            let next = Self.safeNext(request.query("next"))
            if visitor.account != nil { return visitor.redirect(to: next) }
            let notice: Phrase? = request.query("reset") != nil ? .passwordChanged : nil
            return try self.signInPage(visitor, FormState(values: ["next": next]), notice: notice)
        }
        router.post("/login") { request, context in
            var visitor = try await self.visitors.visitor(request)
            if let refusal = await AccountPages.refuse(request, context, visitor, attempts: self.attempts) { return refusal }
            guard let fields = try await self.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
            let next = Self.safeNext(fields["next"])
            let state = FormState(values: ["phone": fields["phone"] ?? "", "next": next])
            switch try await self.service.signIn(phone: fields["phone"] ?? "", password: fields["password"] ?? "") {
            case .signedIn(let account):
                visitor.cookies.append(self.visitors.sessionCookie(try await self.service.startSession(for: account)))
                return visitor.redirect(to: next)
            case .unverified(let account):
                visitor.cookies.append(self.visitors.sessionCookie(try await self.service.startSession(for: account)))
                let sent = try await self.service.sendCode(to: account, purpose: .verifyPhone, language: visitor.language, requestID: context.requestID)
                return visitor.redirect(to: sent.verifyPage)
            case .wrong:
                var failed = state
                failed.issues = [FieldIssue(field: "phone", code: "signIn.wrong", vi: Phrase.signInWrong.vi, en: Phrase.signInWrong.en)]
                return try self.signInPage(visitor, failed, status: .unauthorized)
            case .disabled:
                var disabled = state
                disabled.issues = [FieldIssue(field: "phone", code: "account.disabled", vi: Phrase.signInDisabled.vi, en: Phrase.signInDisabled.en)]
                return try self.signInPage(visitor, disabled, status: .forbidden)
            case .locked(let until):
                let time = VietnamTime.rfc3339(until).prefix(16).replacingOccurrences(of: "T", with: " ")
                let phrase = Phrase.signInLocked.with(String(time))
                var locked = state
                locked.issues = [FieldIssue(field: "phone", code: "signIn.locked", vi: phrase.vi, en: phrase.en)]
                return try self.signInPage(visitor, locked, status: .forbidden)
            }
        }
        router.post("/logout") { request, context in
            var visitor = try await self.visitors.visitor(request)
            guard try await self.visitors.form(request, context: context) != nil else { return Layout.formExpired(visitor) }
            if let token = request.cookies[Visitors.sessionCookie]?.value, !token.isEmpty { try await self.visitors.sessions.end(token) }
            visitor.cookies.append(self.visitors.endedSessionCookie)
            return visitor.redirect(to: "/")
        }
        router.get("/lang/:language") { request, context in
            var visitor = try await self.visitors.visitor(request)
            guard let language = Language(rawValue: context.parameters.get("language") ?? "") else { return visitor.redirect(to: "/") }
            visitor.cookies.append(self.visitors.cookie(Language.cookieName, language.rawValue, maxAge: 365 * 24 * 3600))
            return visitor.redirect(to: Self.safeNext(request.query("back"), fallback: "/"))
        }
        router.get("/password/forgot") { request, _ in
            try self.forgotPage(try await self.visitors.visitor(request), FormState())
        }
        router.post("/password/forgot") { request, context in
            let visitor = try await self.visitors.visitor(request)
            if let refusal = await AccountPages.refuse(request, context, visitor, attempts: self.attempts) { return refusal }
            guard let fields = try await self.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
            let phone: String
            switch Validate.mobilePhone(fields["phone"] ?? "") {
            case .success(let valid): phone = valid
            case .failure(let issue): return try self.forgotPage(visitor, FormState(values: fields, issues: [issue]), status: .unprocessableContent)
            }
            _ = try await self.service.requestReset(phone: phone, language: visitor.language, requestID: context.requestID)
            return visitor.redirect(to: "/password/reset?phone=\(phone)")
        }
        router.get("/password/reset") { request, _ in
            let visitor = try await self.visitors.visitor(request)
            return try self.resetPage(visitor, FormState(values: ["phone": request.query("phone") ?? ""]))
        }
        router.post("/password/reset") { request, context in
            let visitor = try await self.visitors.visitor(request)
            if let refusal = await AccountPages.refuse(request, context, visitor, attempts: self.attempts) { return refusal }
            guard let fields = try await self.visitors.form(request, context: context) else { return Layout.formExpired(visitor) }
            switch try await self.service.resetPassword(phone: fields["phone"] ?? "", code: fields["code"] ?? "", newPassword: fields["password"] ?? "") {
            case .success:
                return visitor.redirect(to: "/login?reset=1")
            case .failure(let problem):
                return try self.resetPage(visitor, FormState(values: ["phone": fields["phone"] ?? ""], issues: problem.errors ?? []),
                                      status: .unprocessableContent)
            }
        }
    }

    /// Only a path on this site: never another host (`//evil.example`, `https://…`), so sign-in cannot be a springboard.
    static func safeNext(_ next: String?, fallback: String = "/account") -> String { LocalPath.safe(next, fallback: fallback) }

    func signInPage(_ visitor: Visitor, _ state: FormState, notice: Phrase? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let l = visitor.language
        return try FormPage(visitor, title: .signInTitle, action: "/login", state: state, fields: [
            state.field("phone", .phone, l, .init(type: "tel", autocomplete: "username", inputmode: "tel")),
            state.field("password", .password, l, .init(type: "password", autocomplete: "current-password", keepsValue: false)),
        ], submit: .signInButton, notice: notice, hidden: [.init(name: "next", value: state["next"])],
           links: [("/password/forgot", .forgotLink), ("/register", .noAccount)]).response(visitor, status: status)
    }

    func forgotPage(_ visitor: Visitor, _ state: FormState, status: HTTPResponse.Status = .ok) throws -> Response {
        try FormPage(visitor, title: .forgotTitle, action: "/password/forgot", state: state, fields: [
            state.field("phone", .phone, visitor.language, .init(type: "tel", autocomplete: "username", inputmode: "tel")),
        ], submit: .sendCodeButton, lead: .forgotLead).response(visitor, status: status)
    }

    func resetPage(_ visitor: Visitor, _ state: FormState, status: HTTPResponse.Status = .ok) throws -> Response {
        let l = visitor.language
        return try FormPage(visitor, title: .resetTitle, action: "/password/reset", state: state, fields: [
            state.field("phone", .phone, l, .init(type: "tel", autocomplete: "username", inputmode: "tel")),
            state.field("code", .code, l, .init(autocomplete: "one-time-code", inputmode: "numeric", keepsValue: false)),
            state.field("password", .newPassword, l, .init(type: "password", autocomplete: "new-password", hint: .passwordHint, keepsValue: false)),
        ], submit: .resetButton, lead: .resetLead).response(visitor, status: status)
    }
}

/// What the account pages share: refusing a caller past the attempt limit.
enum AccountPages {
    /// A 429 page when this address has tried too often (sign-in, codes, registration share one budget).
    static func refuse(_ request: Request, _ context: ServiceRequestContext, _ visitor: Visitor, attempts: RateLimiter) async -> Response? {
        guard let retryAfter = attempts.take(context.clientAddress(request)) else { return nil }
        var response = Layout.message(visitor, title: .signInTitle, text: Phrase.tooManyAttempts.with(String(retryAfter)), status: .tooManyRequests)
        response.headers[.retryAfter] = String(retryAfter)
        return response
    }
}

/// The account pages in the portal's OpenAPI document (HTML forms; each POST needs the `csrf` field).
enum AccountPagesOpenAPI {
    static func describe(_ openAPI: inout OpenAPIDocument) {
        let pages: [(String, String, String)] = [
            ("GET", "/register", "Registration form"), ("POST", "/register", "Create a citizen account and send a phone code"),
            ("GET", "/verify", "Phone confirmation form"), ("POST", "/verify", "Confirm the phone with its code, or send a new code (resend=1)"),
            ("GET", "/login", "Sign-in form"), ("POST", "/login", "Sign in; sets the session cookie"), ("POST", "/logout", "Sign out"),
            ("GET", "/password/forgot", "Password reset: ask for a code"), ("POST", "/password/forgot", "Send a reset code by SMS"),
            ("GET", "/password/reset", "Password reset: code and new password"), ("POST", "/password/reset", "Set a new password"),
            ("GET", "/account", "The signed-in account"), ("GET", "/lang/:language", "Choose vi or en; remembered in a cookie"),
        ]
        // Pages for a signed-in (or just registered) visitor send anyone else to sign in first.
        let signedIn: Set<String> = ["/account", "/verify"]
        for (method, path, summary) in pages {
            var responses: [Int: (String, JSONValue?)] = [method == "GET" ? 200 : 303: ("HTML", nil)]
            if signedIn.contains(path) { responses[303] = ("Not signed in: to the sign-in page", nil) }
            if method == "POST" { responses[400] = ("The form expired (csrf)", nil); responses[429] = ("Too many tries from this address", nil) }
            openAPI.add(method, path, summary: summary, tag: "pages", responses: responses, contentType: "text/html")
        }
    }
}
