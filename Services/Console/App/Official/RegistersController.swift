import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// An agency's registers of official documents (sổ văn bản đi, sổ văn bản đến): searched by words of the excerpt or
/// symbol without diacritics, by number and by dates, and downloaded as CSV; the outgoing one with the drafts still
/// waiting for their signature or their number.
struct RegistersController {
    let pages: StaffPages
    let official: OfficialDesk

    enum Text {
        static let documents = Phrase("Văn bản", "Documents")
        static let outgoing = Phrase("Sổ văn bản đi", "Outgoing register")
        static let incoming = Phrase("Sổ văn bản đến", "Incoming register")
        static let compose = Phrase("Soạn văn bản đi", "Compose a document")
        static let drafts = Phrase("Văn bản đang trình ký, chờ cấp số", "Drafts waiting for a signature or a number")
        static let search = Phrase("Tìm theo trích yếu, ký hiệu (không cần dấu)", "Search the excerpt or symbol (diacritics optional)")
        static let number = Phrase("Số", "Number")
        static let from = Phrase("Từ ngày", "From")
        static let to = Phrase("Đến ngày", "To")
        static let find = Phrase("Tìm", "Search")
        static let none = Phrase("Chưa có văn bản nào.", "No documents yet.")
        static let csv = Phrase("Tải CSV (mở bằng Excel)", "Download CSV (opens in Excel)")
        static let awaiting = Phrase("Chờ lãnh đạo ký", "Waiting for the leader's signature")
        static let signed = Phrase("Đã ký, chờ cấp số", "Signed, waiting for its number")
        static let declined = Phrase("Lãnh đạo không ký", "Not signed by the leader")
        static let acknowledged = Phrase("{0}/{1} đã nhận", "{0}/{1} acknowledged")
        static let notSent = Phrase("Chưa gửi", "Not sent")
        static let waiting = Phrase("Chưa nhận", "Not acknowledged")
        static let received = Phrase("Đã nhận", "Acknowledged")
    }

    static let outgoingHeaders = [Phrase("Số, ký hiệu", "Number, symbol"), Phrase("Ngày ban hành", "Issued"), Phrase("Loại", "Kind"),
                                  Phrase("Trích yếu", "Excerpt"), Phrase("Nơi nhận", "Recipients"), Phrase("Độ khẩn", "Urgency")]
    static let incomingHeaders = [Phrase("Số đến", "No."), Phrase("Ngày đến", "Received"), Phrase("Cơ quan gửi", "Sender"),
                                  Phrase("Số, ký hiệu", "Number, symbol"), Phrase("Trích yếu", "Excerpt"), Phrase("Độ khẩn", "Urgency"),
                                  Phrase("Tình trạng", "State")]

    static func urgency(_ urgency: OfficialDocument.Urgency) -> Phrase {
        switch urgency {
        case .normal: Phrase("Thường", "Normal")
        case .urgent: Phrase("Khẩn", "Urgent")
        case .veryUrgent: Phrase("Thượng khẩn", "Very urgent")
        case .flash: Phrase("Hỏa tốc", "Flash")
        }
    }

    static func state(_ state: OfficialDraft.State) -> Phrase {
        switch state {
        case .awaitingSignature: Text.awaiting
        case .signed: Text.signed
        case .declined: Text.declined
        }
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/official") { _, _ in Response.seeOther("/official/incoming", cookies: []) }
        router.get("/official/outgoing") { request, context in try await self.outgoing(request, context: context, csv: false) }
        router.get("/official/outgoing/export") { request, context in try await self.outgoing(request, context: context, csv: true) }
        router.get("/official/incoming") { request, context in try await self.incoming(request, context: context, csv: false) }
        router.get("/official/incoming/export") { request, context in try await self.incoming(request, context: context, csv: true) }
    }

    struct Search { let action: String; let q: FormField; let number: FormField; let from: FormField; let to: FormField; let find: String }
    /// A line of a register; its first cell is the link to the document (stored apart: templates read stored values).
    struct Row {
        let href: String
        let first: String
        let rest: [String]
        let late: Bool

        init(href: String, cells: [String], late: Bool) {
            self.href = href
            self.first = cells.first ?? ""
            self.rest = Array(cells.dropFirst())
            self.late = late
        }

        var cells: [String] { [self.first] + self.rest }
    }
    struct Draft { let href: String; let excerpt: String; let state: String }
    struct View {
        let frame: PageFrame
        let heading: String
        let tabs: [PageFrame.NavItem]
        let compose: String
        let composeLabel: String
        let search: Search
        let draftsLabel: String
        let drafts: [Draft]
        let anyDrafts: Bool
        let headers: [String]
        let rows: [Row]
        let empty: String?
        let export: String
        let exportLabel: String
    }

    /// The register's filters as the documents service reads them, and as the page's links repeat them.
    static func query(_ request: Request) -> [(String, String)] {
        request.queryPairs(["q", "number", "from", "to", "agency"]) + [("limit", "500")]
    }

    func view(_ visit: Visit, _ request: Request, outgoing: Bool, headers: [Phrase], rows: [Row], drafts: [Draft]) -> View {
        let language = visit.language
        let values = Dictionary(request.queryPairs(["q", "number", "from", "to"])) { first, _ in first }
        let path = outgoing ? "/official/outgoing" : "/official/incoming"
        let tabs = [PageFrame.NavItem(href: "/official/incoming", label: Text.incoming(language), current: !outgoing),
                    PageFrame.NavItem(href: "/official/outgoing", label: Text.outgoing(language), current: outgoing)]
        return View(
            frame: self.pages.frame(visit, title: outgoing ? Text.outgoing : Text.incoming),
            heading: (outgoing ? Text.outgoing : Text.incoming)(language) + (visit.session?.agencyName.map { " · " + $0 } ?? ""), tabs: tabs,
            compose: "/official/new", composeLabel: Text.compose(language),
            search: Search(action: path, q: FormField("q", label: Text.search, language: language, value: values["q"] ?? "", type: "search"),
                           number: FormField("number", label: Text.number, language: language, value: values["number"] ?? "", inputmode: "numeric"),
                           from: FormField("from", label: Text.from, language: language, value: values["from"] ?? "", type: "date"),
                           to: FormField("to", label: Text.to, language: language, value: values["to"] ?? "", type: "date"), find: Text.find(language)),
            draftsLabel: Text.drafts(language), drafts: drafts, anyDrafts: !drafts.isEmpty, headers: headers.map { $0(language) }, rows: rows,
            empty: rows.isEmpty ? Text.none(language) : nil,
            export: path + "/export?" + FormEncoding.query(request.queryPairs(["q", "number", "from", "to"])),
            exportLabel: Text.csv(language))
    }

    func outgoing(_ request: Request, context: ServiceRequestContext, csv: Bool) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let documents = try await self.official.outgoing(FormEncoding.query(Self.query(request)), as: token, requestID: visit.requestID)
            let agencies = await self.pages.agencies(visit)
            let rows = documents.map { document in
                let acknowledged = document.dispatches.filter { $0.acknowledgedAt != nil }.count
                let recipients = document.dispatches.isEmpty ? Text.notSent(language)
                    : document.dispatches.map { agencies[$0.recipient]?.name ?? $0.recipient }.joined(separator: "; ") + " — "
                        + Text.acknowledged.with(String(acknowledged), String(document.dispatches.count))(language)
                return Row(href: "/official/documents/\(document.id)",
                           cells: [document.symbol, Display.date(document.issuedOn), document.type, document.excerpt, recipients,
                                   Self.urgency(document.urgency)(language)],
                           late: !document.dispatches.isEmpty && acknowledged < document.dispatches.count)
            }
            if csv {
                return self.pages.csv([Self.outgoingHeaders.map { $0(language) }] + rows.map(\.cells),
                                                     name: "so-van-ban-di-\(visit.session?.agency ?? "")", visit: visit)
            }
            let drafts = try await self.official.drafts(as: token, requestID: visit.requestID).map { draft in
                Draft(href: "/official/drafts/\(draft.id)", excerpt: draft.draft.type + ": " + draft.draft.excerpt, state: Self.state(draft.state)(language))
            }
            return try self.pages.page(visit, "registers", self.view(visit, request, outgoing: true, headers: Self.outgoingHeaders, rows: rows, drafts: drafts))
        }
    }

    func incoming(_ request: Request, context: ServiceRequestContext, csv: Bool) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, token in
            let language = visit.language
            let entries = try await self.official.incoming(FormEncoding.query(Self.query(request)), as: token, requestID: visit.requestID)
            let agencies = await self.pages.agencies(visit)
            let rows = entries.map { entry in
                Row(href: "/official/documents/\(entry.document.id)",
                    cells: [String(entry.dispatch.receivedNumber), Display.dateTime(entry.dispatch.receivedAt),
                            agencies[entry.document.agency]?.name ?? entry.document.agency, entry.document.symbol, entry.document.excerpt,
                            Self.urgency(entry.document.urgency)(language),
                            (entry.dispatch.acknowledgedAt == nil ? Text.waiting : Text.received)(language)],
                    late: entry.dispatch.acknowledgedAt == nil)
            }
            if csv {
                return self.pages.csv([Self.incomingHeaders.map { $0(language) }] + rows.map(\.cells),
                                                     name: "so-van-ban-den-\(visit.session?.agency ?? "")", visit: visit)
            }
            return try self.pages.page(visit, "registers", self.view(visit, request, outgoing: false, headers: Self.incomingHeaders, rows: rows, drafts: []))
        }
    }
}
