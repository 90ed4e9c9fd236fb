import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// An outgoing document from its composition to its recipients: the officer composes it (the file, the recipients
/// chosen from the agency tree, the leader who signs: a sign request on their desk, approvable from a phone); the clerk
/// numbers the signed draft in the register and dispatches it; the page then shows who has acknowledged and reminds
/// those late. A recipient's staff acknowledge it, hand it to a colleague, and answer it with a document of their own.
struct OfficialPagesController {
    let pages: StaffPages
    let official: OfficialDesk
    let documents: DocumentsDesk

    enum Text {
        static let compose = Phrase("Soạn văn bản đi", "Compose a document")
        static let replyTo = Phrase("Trả lời văn bản {0} của {1}", "Answering {0} from {1}")
        static let file = Phrase("Tệp văn bản (PDF; tệp này được trình ký)", "The document's file (PDF; this is the file signed)")
        static let type = Phrase("Loại văn bản", "Kind")
        static let excerpt = Phrase("Trích yếu", "Excerpt")
        static let symbol = Phrase("Ký hiệu (sau số văn bản)", "Symbol (after the number)")
        static let signer = Phrase("Người ký (như in trên văn bản)", "Signer (as printed)")
        static let leader = Phrase("Lãnh đạo ký duyệt", "Leader who signs")
        static let urgency = Phrase("Độ khẩn", "Urgency")
        static let recipients = Phrase("Nơi nhận", "Recipients")
        static let send = Phrase("Trình ký", "Send for signature")
        static let draft = Phrase("Văn bản trình ký", "Draft")
        static let sentForSignature = Phrase("Đã trình lãnh đạo ký; khi ký xong, văn thư cấp số và phát hành.",
                                             "Sent for signature; once signed, the clerk numbers and dispatches it.")
        static let number = Phrase("Cấp số, vào sổ văn bản đi", "Number it in the outgoing register")
        static let dispatch = Phrase("Phát hành đến {0} cơ quan", "Dispatch to {0} agencies")
        static let remind = Phrase("Nhắc cơ quan chưa nhận", "Remind those that have not acknowledged")
        static let acknowledge = Phrase("Xác nhận đã nhận văn bản", "Acknowledge receipt")
        static let assign = Phrase("Giao xử lý", "Hand it to")
        static let assignButton = Phrase("Giao", "Assign")
        static let answer = Phrase("Trả lời văn bản này", "Answer this document")
        static let answered = Phrase("Văn bản trả lời", "The answer")
        static let files = Phrase("Tệp văn bản", "Files")
        static let mainFile = Phrase("Văn bản (tệp đã ký)", "The document (the signed file)")
        static let attachment = Phrase("Tệp đính kèm {0}", "Attachment {0}")
        static let recipient = Phrase("Cơ quan nhận", "Recipient")
        static let receivedNumber = Phrase("Số đến", "Their number")
        static let receivedAt = Phrase("Ngày đến", "Received")
        static let acknowledgedAt = Phrase("Đã nhận lúc", "Acknowledged")
        static let remindedAt = Phrase("Đã nhắc lúc", "Reminded")
        static let notYet = Phrase("Chưa nhận", "Not yet")
        static let back = Phrase("Về sổ văn bản", "Back to the registers")
        static let done: [String: Phrase] = [
            "numbered": Phrase("Đã cấp số và vào sổ văn bản đi.", "Numbered in the outgoing register."),
            "dispatched": Phrase("Đã phát hành; mỗi cơ quan nhận đã vào sổ văn bản đến.", "Dispatched; each recipient has it in its incoming register."),
            "reminded": Phrase("Đã nhắc các cơ quan chưa xác nhận.", "The recipients that had not acknowledged were reminded."),
            "acknowledged": Phrase("Đã xác nhận nhận văn bản.", "Receipt acknowledged."),
            "assigned": Phrase("Đã giao xử lý.", "Assigned."),
        ]
    }

    static let kinds = ["Công văn", "Quyết định", "Thông báo", "Báo cáo", "Tờ trình", "Kế hoạch", "Giấy mời"]

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/official/new") { request, context in try await self.composeForm(request, context: context) }
        router.post("/official/new", use: self.compose)
        router.get("/official/drafts/:id", use: self.draft)
        router.post("/official/drafts/:id/number", use: self.number)
        router.get("/official/documents/:id", use: self.document)
        router.get("/official/documents/:id/files/:file") { request, context in
            try await self.pages.signedIn(request, context: context) { visit, token in
                try await self.documents.file(try context.parameters.require("file"), as: token, requestID: visit.requestID)
            }
        }
        router.post("/official/documents/:id/:action", use: self.act)
    }

    // MARK: Composing

    struct Group { let label: String; let boxes: [Box]; let open: Bool }
    struct Box { let name: String; let label: String; let checked: Bool }
    struct ComposeView {
        let frame: PageFrame
        let heading: String
        let replying: String?
        let errorSummary: ErrorSummary?
        let csrf: String
        let replyTo: String
        let file: FormField
        let type: FormField
        let excerpt: FormField
        let symbol: FormField
        let signer: FormField
        let leader: FormField
        let urgency: FormField
        let recipientsLabel: String
        let recipientsError: String?
        let groups: [Group]
        let send: String
    }

    /// The agencies offered as recipients: the province and those directly under it, the agencies beside the
    /// officer's own (the other communes of a district) and those under it; grouped by level.
    func groups(_ visit: Visit, chosen: Set<String>) async -> [Group] {
        let language = visit.language
        let tree = await self.pages.tree(visit)
        let own = visit.session?.agency
        let parent = own.flatMap { tree.agencies[$0]?.parentCode }
        let root = tree.root.map { [$0] + tree.children(of: $0.code) } ?? []
        let near = (parent.map { tree.children(of: $0) } ?? []) + (own.map { tree.children(of: $0) } ?? [])
        var offered: [String: Agency] = [:]
        for agency in root + near + chosen.compactMap({ tree.agencies[$0] }) where agency.code != own { offered[agency.code] = agency }
        return AgencyLevel.allCases.compactMap { level in
            let agencies = offered.values.filter { $0.level == level }.sorted { $0.name < $1.name }
            guard !agencies.isEmpty else { return nil }
            return Group(label: Display.agencyLevel(level)(language),
                         boxes: agencies.map { Box(name: "to-\($0.code)", label: $0.name, checked: chosen.contains($0.code)) },
                         open: agencies.contains { chosen.contains($0.code) } || (parent != nil && agencies.contains { $0.parentCode == parent }))
        }
    }

    func composeForm(_ request: Request, context: ServiceRequestContext, values: [String: String] = [:], issues: [FieldIssue] = [],
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            try await self.composePage(visit, token: token, replyTo: values["replyTo"] ?? request.query("replyTo") ?? "", values: values, issues: issues,
                                       status: status)
        }
    }

    func composePage(_ visit: Visit, token: String, replyTo: String, values: [String: String], issues: [FieldIssue],
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = visit.language
        let leaders = await self.pages.colleagues(visit, token: token).filter { $0.roles.contains(.leader) }
        var replying: String?
        var chosen = Set(values.keys.filter { $0.hasPrefix("to-") }.map { String($0.dropFirst(3)) })
        if !replyTo.isEmpty, let entry = try await self.official.incoming("limit=500", as: token, requestID: visit.requestID)
            .first(where: { $0.dispatch.id == replyTo }) {
            let sender = await self.pages.agencies(visit)[entry.document.agency]?.name ?? entry.document.agency
            replying = Text.replyTo.with(entry.document.symbol, sender)(language)
            if values.isEmpty { chosen.insert(entry.document.agency) }
        }
        func field(_ name: String, _ label: Phrase, _ fallback: String = "", textarea: Bool = false, options: [FormField.Option] = []) -> FormField {
            FormField(name, label: label, language: language, value: values[name] ?? fallback, required: true, textarea: textarea, options: options,
                      issues: issues)
        }
        let view = ComposeView(
            frame: self.pages.frame(visit, title: Text.compose), heading: Text.compose(language), replying: replying,
            errorSummary: ErrorSummary(issues, language: language), csrf: visit.csrfToken, replyTo: replyTo,
            file: FormField("file", label: Text.file, language: language, type: "file", required: true, accept: "application/pdf", issues: issues),
            type: field("type", Text.type, "Công văn", options: Self.kinds.map { FormField.Option(value: $0, label: $0) }),
            excerpt: field("excerpt", Text.excerpt, textarea: true), symbol: field("symbol", Text.symbol, "UBND-VP"),
            signer: field("signer", Text.signer),
            leader: field("leader", Text.leader, leaders.first?.id ?? "", options: leaders.map { FormField.Option(value: $0.id, label: $0.fullName) }),
            urgency: field("urgency", Text.urgency, OfficialDocument.Urgency.normal.rawValue,
                           options: OfficialDocument.Urgency.allCases.map { FormField.Option(value: $0.rawValue, label: RegistersController.urgency($0)(language)) }),
            recipientsLabel: Text.recipients(language),
            recipientsError: issues.first { $0.field == "recipients" }.map { language == .vi ? $0.vi : $0.en },
            groups: await self.groups(visit, chosen: chosen), send: Text.send(language))
        return try self.pages.page(visit, "compose", view, status: status)
    }

    @Sendable func compose(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            guard let form = try await self.pages.formWithFiles(request, limit: 20 << 20) else {
                return try self.pages.expiredForm(visit)
            }
            let fields = form.fields
            let replyTo = fields["replyTo"] ?? ""
            do {
                var fileIds: [String] = []
                if let file = form.file("file") {
                    fileIds.append(try await self.documents.store(file, as: token, requestID: visit.requestID).id)
                }
                let draft = try await self.official.compose(NewOfficialDraft(
                    type: fields["type"] ?? "", excerpt: fields["excerpt"] ?? "", symbol: fields["symbol"] ?? "", signer: fields["signer"] ?? "",
                    leader: fields["leader"] ?? "", urgency: fields["urgency"].flatMap(OfficialDocument.Urgency.init(rawValue:)), fileIds: fileIds,
                    recipients: fields.keys.filter { $0.hasPrefix("to-") }.map { String($0.dropFirst(3)) }.sorted(),
                    replyTo: replyTo.isEmpty ? nil : replyTo), as: token, requestID: visit.requestID)
                return self.pages.redirect(visit, to: "/official/drafts/\(draft.id)")
            } catch let problem as Problem where problem.statusCode == 422 {
                let issues = (problem.errors ?? []).map { $0.field == "fileIds" ? FieldIssue(field: "file", code: $0.code, vi: $0.vi, en: $0.en) : $0 }
                return try await self.composePage(visit, token: token, replyTo: replyTo, values: fields, issues: issues, status: .unprocessableContent)
            }
        }
    }

    // MARK: A draft

    struct DraftView {
        let frame: PageFrame
        let heading: String
        let state: String
        let facts: [String]
        let csrf: String
        let numberAction: String?
        let numberLabel: String
        let back: String
        let backLabel: String
    }

    @Sendable func draft(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let draft = try await self.official.draft(try context.parameters.require("id"), as: token, requestID: visit.requestID)
            let agencies = await self.pages.agencies(visit)
            let names = await self.pages.names(visit, token: token)
            let view = DraftView(
                frame: self.pages.frame(visit, title: Text.draft, notice: draft.state == .awaitingSignature ? Text.sentForSignature(language) : nil),
                heading: draft.draft.type + ": " + draft.draft.excerpt, state: RegistersController.state(draft.state)(language),
                facts: [Text.leader(language) + ": " + (names[draft.draft.leader] ?? draft.draft.leader), Text.signer(language) + ": " + draft.draft.signer,
                        Text.recipients(language) + ": " + draft.draft.recipients.map { agencies[$0]?.name ?? $0 }.joined(separator: "; ")],
                csrf: visit.csrfToken, numberAction: draft.state == .signed ? "/official/drafts/\(draft.id)/number" : nil, numberLabel: Text.number(language),
                back: "/official/outgoing", backLabel: Text.back(language))
            return try self.pages.page(visit, "draft", view)
        }
    }

    @Sendable func number(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            guard try await self.pages.form(request) != nil else {
                return try self.pages.expiredForm(visit)
            }
            let document = try await self.official.number(try context.parameters.require("id"), as: token, requestID: visit.requestID)
            return self.pages.redirect(visit, to: "/official/documents/\(document.id)?done=numbered")
        }
    }

    // MARK: A document

    struct Recipient { let name: String; let number: String; let receivedAt: String; let acknowledged: String; let reminded: String; let late: Bool
                       let reply: String? }
    struct Action { let action: String; let label: String }
    struct Mine { let acknowledge: Action?; let assign: FormField; let assignAction: String; let assignLabel: String; let answer: String; let answerLabel: String }
    struct Heading { let label: String; let phoneHide: Bool }
    struct DocumentView {
        let frame: PageFrame
        let heading: String
        let facts: String
        let csrf: String
        let filesLabel: String
        let files: [Action]
        let headers: [Heading]
        let recipients: [Recipient]
        let anyRecipients: Bool
        let actions: [Action]
        let mine: Mine?
        let back: String
        let backLabel: String
    }

    @Sendable func document(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let document = try await self.official.document(try context.parameters.require("id"), as: token, requestID: visit.requestID)
            let agencies = await self.pages.agencies(visit)
            let names = await self.pages.names(visit, token: token)
            let own = document.agency == visit.session?.agency
            let recipients = own ? document.dispatches.map { dispatch in
                Recipient(name: agencies[dispatch.recipient]?.name ?? dispatch.recipient, number: String(dispatch.receivedNumber),
                          receivedAt: Display.dateTime(dispatch.receivedAt),
                          acknowledged: dispatch.acknowledgedAt.map(Display.dateTime) ?? Text.notYet(language),
                          reminded: dispatch.remindedAt.map(Display.dateTime) ?? "", late: dispatch.acknowledgedAt == nil,
                          reply: dispatch.replyId.map { "/official/documents/\($0)" })
            } : []
            var actions: [Action] = []
            let planned = (document.plannedRecipients ?? []).filter { planned in !document.dispatches.contains { $0.recipient == planned } }
            if own, !planned.isEmpty {
                actions.append(Action(action: "/official/documents/\(document.id)/dispatch", label: Text.dispatch.with(String(planned.count))(language)))
            }
            if own, document.dispatches.contains(where: { $0.acknowledgedAt == nil }) {
                actions.append(Action(action: "/official/documents/\(document.id)/remind", label: Text.remind(language)))
            }
            let mine = document.dispatches.first { $0.recipient == visit.session?.agency }.map { dispatch in
                let colleagues = names.sorted { $0.value < $1.value }.map { FormField.Option(value: $0.key, label: $0.value) }
                return Mine(acknowledge: dispatch.acknowledgedAt == nil ? Action(action: "/official/documents/\(document.id)/acknowledge",
                                                                                 label: Text.acknowledge(language)) : nil,
                            assign: FormField("officer", label: Text.assign, language: language, value: dispatch.assignedTo ?? "", options: colleagues),
                            assignAction: "/official/documents/\(document.id)/assign", assignLabel: Text.assignButton(language),
                            answer: "/official/new?replyTo=\(dispatch.id)", answerLabel: Text.answer(language))
            }
            let done = request.query("done").flatMap { Text.done[$0] }?(language)
            let view = DocumentView(
                frame: self.pages.frame(visit, title: Text.draft, notice: done), heading: document.symbol + " · " + document.excerpt,
                facts: [document.type, Display.date(document.issuedOn), document.signer, RegistersController.urgency(document.urgency)(language),
                        agencies[document.agency]?.name ?? document.agency].joined(separator: " · "),
                csrf: visit.csrfToken, filesLabel: Text.files(language),
                files: document.fileIds.enumerated().map { index, file in
                    Action(action: "/official/documents/\(document.id)/files/\(file)",
                           label: index == 0 ? Text.mainFile(language) : Text.attachment.with(String(index))(language))
                },
                headers: [(Text.recipient, false), (Text.receivedNumber, false), (Text.receivedAt, true), (Text.acknowledgedAt, false),
                          (Text.remindedAt, true)].map { Heading(label: $0.0(language), phoneHide: $0.1) },
                recipients: recipients, anyRecipients: !recipients.isEmpty, actions: actions, mine: mine, back: own ? "/official/outgoing" : "/official/incoming", backLabel: Text.back(language))
            return try self.pages.page(visit, "official", view)
        }
    }

    /// dispatch (to the recipients it was drafted for), remind, acknowledge or assign.
    @Sendable func act(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            guard let fields = try await self.pages.form(request) else {
                return try self.pages.expiredForm(visit)
            }
            let id = try context.parameters.require("id")
            let action = try context.parameters.require("action")
            let document = try await self.official.document(id, as: token, requestID: visit.requestID)
            let mine = document.dispatches.first { $0.recipient == visit.session?.agency }
            switch (action, mine) {
            case ("dispatch", _):
                _ = try await self.official.dispatch(id, to: document.plannedRecipients ?? [], as: token, requestID: visit.requestID)
            case ("remind", _):
                _ = try await self.official.remind(id, as: token, requestID: visit.requestID)
            case ("acknowledge", let dispatch?):
                _ = try await self.official.acknowledge(dispatch.id, as: token, requestID: visit.requestID)
            case ("assign", let dispatch?):
                _ = try await self.official.assign(dispatch.id, to: fields["officer"] ?? "", as: token, requestID: visit.requestID)
            default:
                throw Problem.notFound("There is no action \(action) on this document for your agency.")
            }
            let done = ["dispatch": "dispatched", "remind": "reminded", "acknowledge": "acknowledged", "assign": "assigned"][action] ?? ""
            return self.pages.redirect(visit, to: "/official/documents/\(id)?done=\(done)")
        }
    }
}
