import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// Staff sign in at the console with their portal account (phone and password); the console asks the portal for
/// tokens as any client would and keeps them sealed in its session. Citizens' accounts are sent to the portal.
struct SignInController {
    let pages: StaffPages

    enum Text {
        static let title = Phrase("Đăng nhập cán bộ", "Staff sign-in")
        static let intro = Phrase("Dùng tài khoản cán bộ do quản trị viên cấp (số điện thoại và mật khẩu).",
                                  "Use the staff account your administrator gave you (phone number and password).")
        static let phone = Phrase("Số điện thoại", "Phone number")
        static let password = Phrase("Mật khẩu", "Password")
        static let submit = Phrase("Đăng nhập", "Sign in")
        static let disabled = Phrase("Tài khoản này đã bị quản trị viên khóa. Liên hệ quản trị viên cơ quan để mở lại.",
                                     "This account was disabled by an administrator. Ask your agency's administrator to enable it.")
        static let wrong = Phrase("Số điện thoại hoặc mật khẩu không đúng.", "The phone number or password is not right.")
        static let missing = Phrase("Nhập số điện thoại và mật khẩu.", "Enter the phone number and the password.")
        static let notStaff = Phrase("Tài khoản này không phải tài khoản cán bộ. Người dân dùng Cổng dịch vụ công.",
                                     "This is not a staff account. Citizens use the public service portal.")
        static func tooMany(_ seconds: Int) -> Phrase {
            Phrase("Có quá nhiều lần đăng nhập từ địa chỉ này; xin thử lại sau \(seconds) giây.",
                   "Too many sign-in attempts from this address; try again in \(seconds) seconds.")
        }
        static let expired = Phrase("Biểu mẫu đã hết hạn; xin nhập lại.", "The form expired; please enter it again.")
        static let down = Phrase("Hệ thống tài khoản tạm thời không trả lời; xin thử lại sau ít phút.",
                                 "The account service does not answer for now; please try again in a few minutes.")
        static let signedOut = Phrase("Đã đăng xuất.", "You are signed out.")
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/login") { request, context -> Response in
            let visit = try await self.pages.visit(request, context: context)
            if visit.session != nil { return self.pages.redirect(visit, to: LocalPath.safe(request.query("next"))) }
            let notice = request.query("signedOut") != nil ? Text.signedOut(visit.language) : nil
            return try self.form(visit, next: request.query("next"), notice: notice)
        }
        router.post("/login", use: self.signIn)
        router.post("/logout") { request, context -> Response in
            var visit = try await self.pages.visit(request, context: context)
            guard try await self.pages.form(request) != nil else { return self.pages.redirect(visit, to: "/") }
            if let session = visit.session, let token = visit.sessionToken {
                try await self.pages.sessions.end(token)
                // The portal ends the refresh token's family too; a portal that does not answer now leaves it to expire.
                try? await self.pages.accounts.revoke(session.refreshToken, requestID: visit.requestID)
            }
            visit.cookies.append(self.pages.siteCookies.ended(StaffPages.sessionCookie))
            return self.pages.redirect(visit, to: "/login?signedOut=1")
        }
        router.get("/language/:language") { request, context -> Response in
            var visit = try await self.pages.visit(request, context: context)
            let language = context.parameters.get("language").flatMap(Language.init(rawValue:)) ?? .vi
            visit.cookies.append(self.pages.siteCookies.cookie(Language.cookieName, language.rawValue, maxAge: 365 * 86400))
            return self.pages.redirect(visit, to: LocalPath.safe(request.query("next")))
        }
    }

    struct View {
        let frame: PageFrame
        let heading: String
        let intro: String
        let errorSummary: ErrorSummary?
        let csrf: String
        let next: String
        let phone: FormField
        let password: FormField
        let submit: String
    }

    func form(_ visit: Visit, next: String?, phone: String = "", issues: [FieldIssue] = [], notice: String? = nil, alert: String? = nil,
              status: HTTPResponse.Status = .ok) throws -> Response {
        let language = visit.language
        let view = View(frame: self.pages.frame(visit, title: Text.title, notice: notice, alert: alert), heading: Text.title(language),
                        intro: Text.intro(language), errorSummary: ErrorSummary(issues, language: language), csrf: visit.csrfToken,
                        next: LocalPath.safe(next),
                        phone: FormField("phone", label: Text.phone, language: language, value: phone, type: "tel", autocomplete: "username",
                                         inputmode: "tel", required: true, issues: issues),
                        password: FormField("password", label: Text.password, language: language, type: "password",
                                            autocomplete: "current-password", required: true, issues: issues),
                        submit: Text.submit(language))
        return try self.pages.page(visit, "sign-in", view, status: status)
    }

    @Sendable func signIn(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var visit = try await self.pages.visit(request, context: context)
        let language = visit.language
        guard let fields = try await self.pages.form(request) else {
            return try self.form(visit, next: nil, alert: Text.expired(language), status: .forbidden)
        }
        let next = fields["next"]
        let phone = (fields["phone"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = fields["password"] ?? ""
        guard !phone.isEmpty, !password.isEmpty else {
            let issue = FieldIssue(field: phone.isEmpty ? "phone" : "password", code: "required", vi: Text.missing.vi, en: Text.missing.en)
            return try self.form(visit, next: next, phone: phone, issues: [issue], status: .unprocessableContent)
        }
        let tokens: TokenResponse
        let account: AccountView
        do {
            (tokens, account) = try await self.pages.accounts.signIn(phone: phone, password: password, clientAddress: visit.clientAddress,
                                                                     requestID: visit.requestID)
        } catch let problem as Problem {
            switch problem.statusCode {
            case 400, 401:
                let issue = FieldIssue(field: "password", code: "wrong", vi: Text.wrong.vi, en: Text.wrong.en)
                return try self.form(visit, next: next, phone: phone, issues: [issue], status: .unauthorized)
            case 429:
                // Too many tries from this address: how long to wait, in the officer's language, and the same Retry-After.
                let seconds = problem.extraHeaders["Retry-After"].flatMap(Int.init) ?? 60
                var page = try self.form(visit, next: next, phone: phone, alert: Text.tooMany(seconds)(language), status: .tooManyRequests)
                page.headers[.retryAfter] = String(seconds)
                return page
            case 403 where problem.type.hasSuffix("account.disabled"):
                return try self.form(visit, next: next, phone: phone, alert: Text.disabled(language), status: .forbidden)
            case 403:
                // Locked or unconfirmed: the portal's words say until when and what to do.
                return try self.form(visit, next: next, phone: phone, alert: problem.detail, status: problem.status)
            default:
                return try self.form(visit, next: next, phone: phone, alert: Text.down(language), status: .serviceUnavailable)
            }
        } catch {
            return try self.form(visit, next: next, phone: phone, alert: Text.down(language), status: .serviceUnavailable)
        }
        guard account.roles.contains(where: { [.officer, .leader, .clerk, .agencyAdmin, .admin].contains($0) }) else {
            try? await self.pages.accounts.revoke(tokens.refreshToken, requestID: visit.requestID)
            return try self.form(visit, next: next, phone: phone, alert: Text.notStaff(language), status: .forbidden)
        }
        let now = self.pages.now()
        // The agency's name for the frame; without single-window now, the code stands in for it.
        var agencyName: String?
        if let agency = account.agency { agencyName = try? await self.pages.desk.agency(agency, as: tokens.accessToken, requestID: visit.requestID).name }
        let session = StaffSession(accountID: account.id, fullName: account.fullName, roles: account.roles, agency: account.agency, agencyName: agencyName,
                                   accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
                                   accessExpiresAt: now.addingTimeInterval(TimeInterval(tokens.expiresIn)),
                                   expiresAt: now.addingTimeInterval(StaffSessions.lifetime))
        let token = try await self.pages.sessions.create(session, now: now)
        visit.cookies.append(self.pages.siteCookies.cookie(StaffPages.sessionCookie, token, maxAge: Int(StaffSessions.lifetime)))
        return self.pages.redirect(visit, to: LocalPath.safe(next))
    }
}
