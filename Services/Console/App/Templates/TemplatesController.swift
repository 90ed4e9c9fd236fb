import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The messages the platform sends (SMS, e-mail, in-app), for the province's administrator: each template's latest
/// wording, a preview filled with example values (an SMS with its encoding and segments) before saving, and saving
/// as a new version — messages already sent keep the version they used.
struct TemplatesController {
    let pages: StaffPages
    let notifications: NotificationsDesk

    enum Text {
        static let title = Phrase("Mẫu tin nhắn", "Message templates")
        static let adminOnly = Phrase("Mẫu tin nhắn do quản trị tỉnh quản lý.", "Message templates are the province administrator's.")
        static let template = Phrase("Mẫu", "Template")
        static let channel = Phrase("Kênh", "Channel")
        static let language = Phrase("Ngôn ngữ", "Language")
        static let version = Phrase("Phiên bản", "Version")
        static let wording = Phrase("Nội dung", "Wording")
        static let subject = Phrase("Tiêu đề", "Subject")
        static let body = Phrase("Nội dung (văn bản)", "Body (text)")
        static let bodyHint = Phrase("Giá trị điền vào viết trong hai ngoặc đơn, ví dụ ((code)).", "Values to fill in are written in double brackets, as ((code)).")
        static let html = Phrase("Nội dung HTML (thư điện tử)", "HTML body (e-mail)")
        static let values = Phrase("Giá trị mẫu để xem trước", "Example values for the preview")
        static let preview = Phrase("Xem trước", "Preview")
        static let save = Phrase("Lưu thành phiên bản mới", "Save as a new version")
        static let saved = Phrase("Đã lưu phiên bản mới; tin nhắn từ nay dùng nội dung này.", "Saved as a new version; messages from now on use it.")
        static let sms = Phrase("Tin nhắn SMS: {0}, {1} ký tự, {2} tin", "SMS: {0}, {1} characters, {2} parts")
        static let shownAs = Phrase("Tin nhắn sẽ gửi", "The message as it would be sent")
        static let back = Phrase("Về danh sách mẫu", "Back to the templates")
    }

    /// Values an example fills a placeholder with, by its name; others get "…".
    static let examples: [String: String] = [
        "code": "000.55.01.H33-261207-0001", "procedure": "Đăng ký thường trú", "agency": "UBND xã Hòn Tre", "deadline": "14/12/2026",
        "dueAt": "14/12/2026 16:30", "dueDate": "14/12/2026", "documents": "Bản sao sổ hộ khẩu", "document": "Quyết định cấp phép",
        "excerpt": "V/v triển khai cơ chế một cửa theo Nghị định 118/2025/NĐ-CP", "symbol": "15/UBND-VP", "sender": "Sở Tư pháp",
        "receivedNumber": "42", "requestedBy": "Đỗ Minh Đức", "reason": "Thiếu giấy tờ", "minutes": "5", "expiresAt": "14/12/2026 17:00",
        "lookupUrl": "https://dichvucong.angiang.gov.vn/tra-cuu",
    ]

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/admin/templates", use: self.list)
        router.get("/admin/templates/:id") { request, context in try await self.edit(request, context: context) }
        router.post("/admin/templates/:id", use: self.post)
    }

    struct ListView {
        struct Line { let href: String; let id: String; let channel: String; let language: String; let version: Int; let wording: String }
        let frame: PageFrame
        let heading: String
        let headers: [String]
        let lines: [Line]
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            let language = visit.language
            let templates = try await self.notifications.templates(as: token, requestID: visit.requestID).sorted { $0.id < $1.id }
            let lines = templates.map { template in
                ListView.Line(href: "/admin/templates/" + template.id, id: template.id, channel: template.channel.rawValue, language: template.language,
                              version: template.version, wording: String((template.subject ?? template.body).prefix(90)))
            }
            let view = ListView(frame: self.pages.frame(visit, title: Text.title), heading: Text.title(language),
                                headers: [Text.template, Text.channel, Text.language, Text.version, Text.wording].map { $0(language) }, lines: lines)
            return try self.pages.page(visit, "templates", view)
        }
    }

    struct EditView {
        struct Shown { let subject: String?; let body: String; let html: String?; let sms: String? }
        let frame: PageFrame
        let heading: String
        let facts: String
        let errorSummary: ErrorSummary?
        let csrf: String
        let action: String
        let subject: FormField?
        let body: FormField
        let html: FormField?
        let valuesLabel: String
        let values: [FormField]
        let preview: String
        let save: String
        let shownLabel: String
        let shown: Shown?
        let back: String
        let backLabel: String
    }

    func edit(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            let template = try await self.notifications.template(try context.parameters.require("id"), as: token, requestID: visit.requestID)
            return try self.render(visit, template, notice: request.query("done") == "saved" ? Text.saved(visit.language) : nil)
        }
    }

    /// The form for `template`, with an unsaved `draft` and the preview `shown` when there is one.
    func render(_ visit: Visit, _ template: MessageTemplate, draft: TemplateUpdate? = nil, values: [String: String] = [:], shown: TemplatePreview? = nil,
                issues: [FieldIssue] = [], status: HTTPResponse.Status = .ok, notice: String? = nil) throws -> Response {
        let language = visit.language
        let wording = draft ?? TemplateUpdate(subject: template.subject, body: template.body, html: template.html)
        var placeholders = template.placeholders
        for name in MessageTemplate(id: template.id, channel: template.channel, language: template.language, subject: wording.subject,
                                    body: wording.body, html: wording.html).placeholders where !placeholders.contains(name) {
            placeholders.append(name)
        }
        let sms = shown?.sms.map { Text.sms.with($0.encoding.rawValue, String($0.units), String($0.segments))(language) }
        let view = EditView(
            frame: self.pages.frame(visit, title: Text.title, notice: notice),
            heading: Text.template(language) + " " + template.id,
            facts: [Text.channel(language) + ": " + template.channel.rawValue, Text.language(language) + ": " + template.language,
                    Text.version(language) + ": " + String(template.version)].joined(separator: " · "),
            errorSummary: ErrorSummary(issues, language: language), csrf: visit.csrfToken, action: "/admin/templates/" + template.id,
            subject: template.channel == .sms ? nil : FormField("subject", label: Text.subject, language: language, value: wording.subject ?? "",
                                                                issues: issues),
            body: FormField("body", label: Text.body, language: language, value: wording.body, hint: Text.bodyHint, textarea: true, rows: 6,
                            issues: issues),
            html: template.channel == .email ? FormField("html", label: Text.html, language: language, value: wording.html ?? "", textarea: true,
                                                         rows: 8, issues: issues) : nil,
            valuesLabel: Text.values(language),
            values: placeholders.map { name in
                FormField("value-" + name, label: Phrase(name, name), language: language, value: values[name] ?? Self.examples[name] ?? "…", issues: issues)
            },
            preview: Text.preview(language), save: Text.save(language), shownLabel: Text.shownAs(language),
            shown: shown.map { EditView.Shown(subject: $0.message.subject, body: $0.message.body, html: $0.message.html, sms: sms) },
            back: "/admin/templates", backLabel: Text.back(language))
        return try self.pages.page(visit, "template", view, status: status)
    }

    /// "Preview" shows the unsaved wording filled in; "save" makes it a new version. Notifications checks both: what it
    /// refuses (an empty body, a value missing, an SMS too long) comes back beside the fields, with nothing saved.
    @Sendable func post(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try self.pages.requireAdmin(visit, Text.adminOnly)
            guard let fields = try await self.pages.form(request) else {
                return try self.pages.expiredForm(visit)
            }
            let template = try await self.notifications.template(try context.parameters.require("id"), as: token, requestID: visit.requestID)
            let draft = TemplateUpdate(subject: fields["subject"].flatMap { $0.isEmpty ? nil : $0 }, body: fields["body"] ?? "",
                                       html: fields["html"].flatMap { $0.isEmpty ? nil : $0 })
            var values: [String: String] = [:]
            for (name, value) in fields where name.hasPrefix("value-") { values[String(name.dropFirst("value-".count))] = value }
            do {
                if fields["intent"] == "save" {
                    _ = try await self.notifications.update(template.id, draft, as: token, requestID: visit.requestID)
                    return self.pages.redirect(visit, to: "/admin/templates/\(template.id)?done=saved")
                }
                let shown = try await self.notifications.preview(template.id, TemplatePreviewRequest(values: values, draft: draft), as: token,
                                                                 requestID: visit.requestID)
                return try self.render(visit, template, draft: draft, values: values, shown: shown)
            } catch let problem as Problem where [400, 409, 422].contains(problem.statusCode) {
                let issues = problem.errors ?? [FieldIssue(field: "body", code: "refused", vi: problem.detail, en: problem.detail)]
                return try self.render(visit, template, draft: draft, values: values, issues: issues, status: problem.status)
            }
        }
    }
}
