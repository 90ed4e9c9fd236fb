import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// Staff accounts for their administrators: the province's admin (any agency) and an agency's admin (their agency
/// and those under it). The portal keeps the accounts and decides who may do what; these pages show its answers and
/// its field errors beside the fields. Disabling an account, changing its roles or setting its password ends its
/// sign-ins everywhere at once.
struct StaffAdminController {
    let pages: StaffPages

    enum Text {
        static let title = Phrase("Tài khoản cán bộ", "Staff accounts")
        static let new = Phrase("Thêm tài khoản cán bộ", "New staff account")
        static let edit = Phrase("Sửa tài khoản", "Edit the account")
        static let name = Phrase("Họ và tên", "Full name")
        static let phone = Phrase("Số điện thoại (tên đăng nhập)", "Phone (signs in with it)")
        static let password = Phrase("Mật khẩu ban đầu (ít nhất 8 ký tự)", "First password (at least 8 characters)")
        static let newPassword = Phrase("Mật khẩu mới (ít nhất 8 ký tự)", "New password (at least 8 characters)")
        static let agency = Phrase("Cơ quan", "Agency")
        static let roles = Phrase("Vai trò", "Roles")
        static let state = Phrase("Trạng thái", "State")
        static let active = Phrase("Đang hoạt động", "Active")
        static let disabled = Phrase("Đã khóa", "Disabled")
        static let show = Phrase("Xem", "Show")
        static let create = Phrase("Tạo tài khoản", "Create the account")
        static let save = Phrase("Lưu thay đổi", "Save")
        static let setPassword = Phrase("Đặt lại mật khẩu", "Set a new password")
        static let disable = Phrase("Khóa tài khoản", "Disable the account")
        static let enable = Phrase("Mở khóa tài khoản", "Enable the account")
        static let disableHint = Phrase("Tài khoản bị khóa không đăng nhập được; các phiên đang mở kết thúc ngay.",
                                        "A disabled account cannot sign in; its open sessions end at once.")
        static let changeHint = Phrase("Đổi vai trò, cơ quan hoặc mật khẩu sẽ kết thúc các phiên đăng nhập của người này.",
                                       "Changing the roles, agency or password ends this person's sign-ins.")
        static let created = Phrase("Đã tạo tài khoản; người dùng đăng nhập bằng số điện thoại và mật khẩu ban đầu.",
                                    "The account was created; the person signs in with the phone and the first password.")
        static let saved = Phrase("Đã lưu.", "Saved.")
        static let passwordSet = Phrase("Đã đặt mật khẩu mới; người dùng đăng nhập lại bằng mật khẩu này.",
                                        "The new password is set; the person signs in again with it.")
        static let nowDisabled = Phrase("Đã khóa tài khoản; mọi phiên của người này đã kết thúc.", "Disabled; every sign-in of this person ended.")
        static let nowEnabled = Phrase("Đã mở khóa tài khoản.", "Enabled.")
        static let none = Phrase("Cơ quan này chưa có tài khoản cán bộ.", "This agency has no staff accounts yet.")
        static let choose = Phrase("Xem cơ quan", "Show the agency")
    }

    /// What the page after a change says (`?done=`), from a fixed list: a link cannot make the page say anything else.
    static func notice(_ request: Request, _ language: Language) -> String? {
        let done: [String: Phrase] = ["created": Text.created, "saved": Text.saved, "password": Text.passwordSet, "disabled": Text.nowDisabled,
                                      "enabled": Text.nowEnabled]
        return request.query("done").flatMap { done[$0] }?(language)
    }

    /// The roles an administrator hands out, in the order the form lists them; the province's admin only for the province's admin.
    static func grantable(_ session: StaffSession?) -> [Role] {
        [.officer, .leader, .clerk, .editor, .agencyAdmin] + (session?.has(.admin) == true ? [.admin] : [])
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/admin/staff", use: self.list)
        router.get("/admin/staff/new") { request, context in try await self.newForm(request, context: context) }
        router.post("/admin/staff", use: self.create)
        router.get("/admin/staff/:id") { request, context in try await self.account(request, context: context) }
        router.post("/admin/staff/:id", use: self.change)
        router.post("/admin/staff/:id/password", use: self.password)
        router.post("/admin/staff/:id/disable") { request, context in try await self.setState(request, context: context, "disable") }
        router.post("/admin/staff/:id/enable") { request, context in try await self.setState(request, context: context, "enable") }
    }

    func agencyField(_ agencies: [Agency], value: String, language: Language, issues: [FieldIssue] = []) -> FormField {
        FormField("agency", label: Text.agency, language: language, value: value, options: agencies.map { FormField.Option(value: $0.code, label: $0.name) },
                  issues: issues)
    }

    // MARK: The list

    struct ListView {
        struct Line { let href: String; let name: String; let phone: String; let roles: String; let state: String; let disabled: Bool }
        let frame: PageFrame
        let heading: String
        let choice: FormField
        let chooseLabel: String
        let headers: [String]
        let lines: [Line]
        let empty: String?
        let new: String
        let newLabel: String
    }

    static func roles(_ roles: [Role], _ language: Language) -> String { roles.compactMap { Display.role($0)?(language) }.joined(separator: ", ") }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let agency = request.query("agency").flatMap { $0.isEmpty ? nil : $0 } ?? visit.session?.agency
            let accounts = try await self.pages.accounts.staffAccounts(agency: agency, as: token, requestID: visit.requestID)
            let agencies = try await self.pages.agencyChoices(visit, current: agency)
            let lines = accounts.map { account in
                ListView.Line(href: "/admin/staff/\(account.id)", name: account.fullName, phone: account.phone, roles: Self.roles(account.roles, language),
                              state: (account.disabledAt == nil ? Text.active : Text.disabled)(language), disabled: account.disabledAt != nil)
            }
            let view = ListView(frame: self.pages.frame(visit, title: Text.title, notice: Self.notice(request, language)),
                                heading: Text.title(language) + (agencies.first { $0.code == agency }.map { " · " + $0.name } ?? ""),
                                choice: self.agencyField(agencies, value: agency ?? "", language: language), chooseLabel: Text.choose(language),
                                headers: [Text.name, Text.phone, Text.roles, Text.state].map { $0(language) }, lines: lines,
                                empty: lines.isEmpty ? Text.none(language) : nil,
                                new: "/admin/staff/new" + (agency.map { "?agency=" + FormEncoding.encode($0) } ?? ""), newLabel: Text.new(language))
            return try self.pages.page(visit, "staff-list", view)
        }
    }

    // MARK: One account's form (new or existing)

    struct FormView {
        struct RoleBox { let value: String; let label: String; let checked: Bool }
        struct Action { let action: String; let label: String; let danger: Bool }
        let frame: PageFrame
        let heading: String
        let errorSummary: ErrorSummary?
        let csrf: String
        let action: String
        let name: FormField
        let phone: FormField?
        let password: FormField?
        let agency: FormField
        let rolesLabel: String
        let rolesError: String?
        let roles: [RoleBox]
        let submit: String
        let hint: String?
        /// For an existing account: the password form and the disable or enable button.
        let passwordAction: String?
        let newPassword: FormField?
        let passwordLabel: String
        let state: Action?
        let stateHint: String
        let back: String
        let backLabel: String
    }

    func form(_ visit: Visit, token: String, account: AccountView?, values: [String: String], roles: Set<Role>, issues: [FieldIssue] = [],
              status: HTTPResponse.Status = .ok, notice: String? = nil) async throws -> Response {
        let language = visit.language
        let agency = values["agency"] ?? account?.agency ?? visit.session?.agency ?? ""
        let agencies = try await self.pages.agencyChoices(visit, current: agency)
        let existing = account.map { "/admin/staff/\($0.id)" }
        let view = FormView(
            frame: self.pages.frame(visit, title: account == nil ? Text.new : Text.edit, notice: notice),
            heading: account.map { Text.edit(language) + " · " + $0.fullName } ?? Text.new(language),
            errorSummary: ErrorSummary(issues, language: language), csrf: visit.csrfToken, action: existing ?? "/admin/staff",
            name: FormField("fullName", label: Text.name, language: language, value: values["fullName"] ?? account?.fullName ?? "", required: true,
                            issues: issues),
            phone: account == nil ? FormField("phone", label: Text.phone, language: language, value: values["phone"] ?? "", type: "tel",
                                              inputmode: "tel", required: true, issues: issues) : nil,
            password: account == nil ? FormField("password", label: Text.password, language: language, type: "password",
                                                 autocomplete: "new-password", required: true, issues: issues) : nil,
            agency: self.agencyField(agencies, value: agency, language: language, issues: issues), rolesLabel: Text.roles(language),
            rolesError: issues.first { $0.field == "roles" }.map { language == .vi ? $0.vi : $0.en },
            roles: Self.grantable(visit.session).map { role in
                FormView.RoleBox(value: role.rawValue, label: Display.role(role)?(language) ?? role.rawValue, checked: roles.contains(role))
            },
            submit: (account == nil ? Text.create : Text.save)(language), hint: account == nil ? nil : Text.changeHint(language),
            passwordAction: existing.map { $0 + "/password" },
            newPassword: account == nil ? nil : FormField("password", label: Text.newPassword, language: language, type: "password",
                                                          autocomplete: "new-password", issues: issues.filter { $0.field == "password" }),
            passwordLabel: Text.setPassword(language),
            state: account.map { account in
                account.disabledAt == nil ? FormView.Action(action: "/admin/staff/\(account.id)/disable", label: Text.disable(language), danger: true)
                                          : FormView.Action(action: "/admin/staff/\(account.id)/enable", label: Text.enable(language), danger: false)
            },
            stateHint: Text.disableHint(language), back: "/admin/staff?agency=" + FormEncoding.encode(agency), backLabel: Text.title(language))
        return try self.pages.page(visit, "staff-form", view, status: status)
    }

    static func roles(in fields: [String: String]) -> Set<Role> {
        Set(Role.allCases.filter { fields["role-\($0.rawValue)"] != nil })
    }

    func newForm(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try await self.form(visit, token: token, account: nil, values: ["agency": request.query("agency") ?? visit.session?.agency ?? ""],
                                roles: [.officer])
        }
    }

    func account(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let account = try await self.pages.accounts.staffAccount(try context.parameters.require("id"), as: token, requestID: visit.requestID)
            return try await self.form(visit, token: token, account: account, values: [:], roles: Set(account.roles), notice: Self.notice(request, visit.language))
        }
    }

    /// Runs a change at the portal; a 422 shows the form again with its errors beside the fields.
    func posted(_ request: Request, context: ServiceRequestContext, account id: String?,
                _ change: @escaping @Sendable (Visit, String, [String: String]) async throws -> String) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            guard let fields = try await self.pages.form(request) else {
                return try self.pages.expiredForm(visit)
            }
            do {
                return self.pages.redirect(visit, to: try await change(visit, token, fields))
            } catch let problem as Problem where problem.statusCode == 422 || problem.statusCode == 409 {
                var account: AccountView?
                if let id { account = try await self.pages.accounts.staffAccount(id, as: token, requestID: visit.requestID) }
                let issues = problem.errors ?? [FieldIssue(field: "phone", code: "conflict", vi: problem.detail, en: problem.detail)]
                return try await self.form(visit, token: token, account: account, values: fields, roles: Self.roles(in: fields), issues: issues,
                                           status: problem.status)
            }
        }
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.posted(request, context: context, account: nil) { visit, token, fields in
            let roles = Self.roles(in: fields)
            let made = try await self.pages.accounts.createStaff(NewStaffRequest(
                phone: fields["phone"] ?? "", fullName: fields["fullName"] ?? "", password: fields["password"] ?? "",
                roles: Role.allCases.filter(roles.contains), agency: fields["agency"]), as: token, requestID: visit.requestID)
            return "/admin/staff?agency=\(FormEncoding.encode(made.agency ?? ""))&done=created"
        }
    }

    @Sendable func change(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await self.posted(request, context: context, account: id) { visit, token, fields in
            let roles = Self.roles(in: fields)
            _ = try await self.pages.accounts.changeStaff(id, StaffChangeRequest(fullName: fields["fullName"], roles: Role.allCases.filter(roles.contains),
                                                                                 agency: fields["agency"]), as: token, requestID: visit.requestID)
            return "/admin/staff/\(id)?done=saved"
        }
    }

    @Sendable func password(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await self.posted(request, context: context, account: id) { visit, token, fields in
            try await self.pages.accounts.setStaffPassword(id, fields["password"] ?? "", as: token, requestID: visit.requestID)
            return "/admin/staff/\(id)?done=password"
        }
    }

    func setState(_ request: Request, context: ServiceRequestContext, _ action: String) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await self.posted(request, context: context, account: id) { visit, token, _ in
            _ = try await self.pages.accounts.setStaff(id, action, as: token, requestID: visit.requestID)
            return "/admin/staff/\(id)?done=" + (action == "disable" ? "disabled" : "enabled")
        }
    }
}
