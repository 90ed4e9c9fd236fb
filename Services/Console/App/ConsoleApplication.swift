import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// Builds the staff console: sign-in against the portal's accounts, the work queues and the dossier page, all
/// calling single-window with the officer's own token. It keeps only its browser sessions.
/// - Parameter clock: the console's time (tests move it to expire tokens and sessions).
public func buildConsoleApplication(_ settings: ServiceSettings, clock: @escaping @Sendable () -> Date = { Date() }) async throws -> some ApplicationProtocol {
    let publicURL = try settings.value("CONSOLE_PUBLIC_URL", default: "http://\(settings.advertiseAddress):\(settings.port)")
    let sessionKey = try settings.secret("CONSOLE_SESSION_KEY")
    let portalURL = try settings.value("PORTAL_PUBLIC_URL", default: "http://\(settings.advertiseAddress):\(Topology.ports[Topology.portal]!)")
    let runtime = try await ServiceRuntime.start(settings: settings, migrations: ConsoleMigrations.all, subscriptions: Subscriptions.table,
                                                 publishers: Publishers.table, announce: EventType.serviceStarted)
    var builder = ServiceApplicationBuilder(
        runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua staff console", summary: "The single-window back office's pages for officers and leaders")
    )
    let templates = try PageTemplates.load([Bundle.module.resourceURL].compactMap { $0 })
    let pages = StaffPages(sessions: StaffSessions(database: runtime.database, secret: sessionKey), accounts: PortalAccounts(client: runtime.client),
                           desk: SingleWindowDesk(client: runtime.client),
                           csrf: CSRFGuard(secret: Data(("motcua-console-csrf:" + sessionKey).utf8)), templates: templates,
                           stylesheet: ConsoleAssets.stylesheet, script: ConsoleAssets.script,
                           secureCookies: publicURL.hasPrefix("https://") || settings.production, now: clock)
    // An account disabled (or its roles changed) at the portal: its sessions here end at once, and its tokens are refused.
    builder.eventHandlers[EventType.accountDisabled] = { [sessions = pages.sessions, verifier = runtime.verifier] envelope, db in
        let disabled = try envelope.payload(as: Revocations.Disabled.self)
        try await Revocations.record(disabled, verifier: verifier, in: db)
        try await sessions.endAll(of: disabled.accountId, in: db)
    }
    let router = builder.makeRouter()
    StaticAsset.register([ConsoleAssets.stylesheet, ConsoleAssets.script], on: router)
    SignInController(pages: pages).register(on: router)
    let jobs = BulkJobs(database: runtime.database, limit: try settings.integer("CONSOLE_BULK_LIMIT", default: 5_000, range: 1...50_000))
    QueueController(pages: pages, calendar: .vietnam, preferences: StaffPreferences(database: runtime.database), jobs: jobs).register(on: router)
    BulkController(pages: pages, jobs: jobs).register(on: router)
    // Every instance runs bulk jobs unless told not to (CONSOLE_BULK_JOBS=off: an instance that only serves pages).
    if try settings.value("CONSOLE_BULK_JOBS", default: "on") != "off" {
        builder.extraServices.append(BulkRunner(jobs: jobs, renewal: pages.renewal, desk: pages.desk, now: clock, logger: runtime.logger))
    }
    let documents = DocumentsDesk(client: runtime.client)
    DossierController(pages: pages, documents: documents, payments: PaymentsDesk(client: runtime.client)).register(on: router)
    PrintController(pages: pages, portalURL: portalURL).register(on: router)
    IntakeController(pages: pages, documents: documents).register(on: router)
    DeskController(pages: pages, documents: documents).register(on: router)
    ReportsController(pages: pages).register(on: router)
    RegisterController(pages: pages).register(on: router)
    StaffAdminController(pages: pages).register(on: router)
    TemplatesController(pages: pages, notifications: NotificationsDesk(client: runtime.client)).register(on: router)
    CatalogAdminController(pages: pages).register(on: router)
    AuditController(pages: pages).register(on: router)
    let official = OfficialDesk(client: runtime.client)
    RegistersController(pages: pages, official: official).register(on: router)
    OfficialPagesController(pages: pages, official: official, documents: documents).register(on: router)
    ConsolePagesOpenAPI.describe(&builder.openAPI)
    return builder.build(router: router)
}

/// The console's pages, listed in its OpenAPI document so the start-up check finds every GET route described.
enum ConsolePagesOpenAPI {
    static func describe(_ openAPI: inout OpenAPIDocument) {
        let html: [Int: (String, JSONValue?)] = [200: ("An HTML page", nil), 303: ("To the sign-in page when not signed in", nil)]
        openAPI.add("GET", "/", summary: "The officer's first queue (leaders: assigned to me)", tag: "pages", responses: [303: ("To a queue", nil)], contentType: "text/html")
        openAPI.add("GET", "/login", summary: "Staff sign-in", tag: "pages", responses: [200: ("The sign-in form", nil)], contentType: "text/html")
        openAPI.add("GET", "/language/:language", summary: "Choose Vietnamese or English, back to ?next=", tag: "pages", responses: [303: ("Back", nil)], contentType: "text/html")
        openAPI.add("GET", "/queues/:queue", summary: "A work queue: " + Queue.allCases.map(\.rawValue).joined(separator: ", ") + "; ?q= (code, name without diacritics, ID, phone), channel, status, sector, step, assignedTo (me, none or an account), procedure, from, to; sort (due, -due, submitted, -submitted: the headings set it); ?after= (the next page)",
                    tag: "pages", responses: html, contentType: "text/html")
        openAPI.add("GET", "/queues/:queue/export", summary: "The filtered queue, every row, as CSV for Excel (the queue's filters)",
                    tag: "pages", responses: [200: ("text/csv", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "text/csv")
        let posted: [Int: (String, JSONValue?)] = [303: ("Done; back to the page (a form refused: the page again, 4xx, the reason beside each field)", nil)]
        openAPI.add("POST", "/queues/:queue/columns", summary: "Keep the columns this person sees in the queues (column-<name> for each)", tag: "pages",
                    responses: posted, contentType: "text/html")
        openAPI.add("POST", "/queues/:queue/assign", summary: "Leaders: assign the ticked dossiers (pick-<id> = the version seen ~ the code), or with "
                    + "scope=all every dossier of the filtered queue (?q=, channel, procedure, from, to), to officer, in the background",
                    tag: "pages", responses: [303: ("To the assignment's progress page (a refused form: the queue again, 4xx, saying why)", nil)],
                    contentType: "text/html")
        openAPI.add("GET", "/bulk/:id", summary: "The progress of a bulk assignment, for the person who started it (reloads itself until it is over)",
                    tag: "pages", responses: html.merging([404: ("Not a bulk assignment this person started", nil)]) { $1 }, contentType: "text/html")
        openAPI.add("POST", "/dossiers/:id/actions", summary: "An action single-window allows now (action, version, and its fields: <action>-comment, "
                    + "<action>-assignTo, …)", tag: "pages", responses: posted, contentType: "text/html")
        openAPI.add("POST", "/dossiers/:id/result-draft", summary: "The result uploaded (multipart: draft-file, draft-number, draft-signer, draft-leader) "
                    + "and sent to the leader for signing", tag: "pages", responses: posted, contentType: "text/html")
        openAPI.add("POST", "/dossiers/:id/fee", summary: "Cash taken at the counter for the fees still owed (fee-payer, key), recorded by payments",
                    tag: "pages", responses: posted, contentType: "text/html")
        openAPI.add("GET", "/dossiers/:id/payments/:payment/receipt", summary: "The receipt of a payment of the dossier, to print", tag: "pages",
                    responses: html.merging([404: ("Not a payment of this dossier", nil)]) { $1 }, contentType: "text/html")
        openAPI.add("POST", "/intake/:code", summary: "Counter intake (multipart: the applicant, doc-N paper, scan-N files, reuse-N earlier files; "
                    + "decision receive, requestSupplement, refuse or lookup)", tag: "pages", responses: posted, contentType: "text/html")
        openAPI.add("POST", "/desk/approve", summary: "Sign the ticked requests (pick-<id>) with one code (code-several)", tag: "pages",
                    responses: posted, contentType: "text/html")
        openAPI.add("GET", "/desk", summary: "The leader's desk: sign requests waiting for them, approved with the authenticator's code", tag: "pages",
                    responses: html, contentType: "text/html")
        let scope = "?agency= (the caller's own or one under it), ?from=&to= (yyyy-MM-dd, default this year)"
        openAPI.add("GET", "/reports", summary: "To the Decision 766 figures", tag: "pages", responses: [303: ("To /reports/766", nil)], contentType: "text/html")
        openAPI.add("GET", "/reports/766", summary: "Decision 766's figures with their rules, month by month and agency by agency: " + scope, tag: "pages",
                    responses: html, contentType: "text/html")
        openAPI.add("GET", "/reports/766/export", summary: "The same figures as CSV: " + scope, tag: "pages",
                    responses: [200: ("text/csv", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "text/csv")
        openAPI.add("GET", "/reports/766/dossiers", summary: "The dossiers behind a figure: ?indicator=, ?part=counted|rest, " + scope + ", ?after=",
                    tag: "pages", responses: html, contentType: "text/html")
        openAPI.add("GET", "/reports/settlement", summary: "The settlement report, a row per agency under the one chosen or (?by=procedure) per "
                    + "procedure: " + scope, tag: "pages", responses: html, contentType: "text/html")
        openAPI.add("GET", "/reports/settlement/export", summary: "The settlement report as CSV: " + scope + ", ?by=", tag: "pages",
                    responses: [200: ("text/csv", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "text/csv")
        openAPI.add("GET", "/reports/register", summary: "The agency's register of dossiers (form 06) for ?from=&to=, 500 lines a page (?page=), "
                    + "printable on A4 landscape", tag: "pages", responses: html, contentType: "text/html")
        openAPI.add("GET", "/reports/register/export", summary: "The whole register of the period as CSV", tag: "pages",
                    responses: [200: ("text/csv", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "text/csv")
        openAPI.add("GET", "/admin/audit", summary: "The province's admin: the audit trail of ?actor= (an account) or ?dossier= (a code) from ?from= to ?to=",
                    tag: "pages", responses: html, contentType: "text/html")
        openAPI.add("GET", "/admin/audit/export", summary: "The same entries as CSV", tag: "pages",
                    responses: [200: ("text/csv", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "text/csv")
        openAPI.add("GET", "/admin/catalog", summary: "The province's admin: the catalog searched (?q=), its import and export", tag: "pages",
                    responses: html, contentType: "text/html")
        openAPI.add("GET", "/admin/catalog/export", summary: "The whole catalog (?format=csv|json)", tag: "pages",
                    responses: [200: ("The file", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "text/csv")
        openAPI.add("GET", "/admin/catalog/:code", summary: "A procedure's cells to edit, and its versions", tag: "pages", responses: html,
                    contentType: "text/html")
        openAPI.add("POST", "/admin/catalog/:code", summary: "Publish the edited procedure as a new version (checked as an import row)", tag: "pages",
                    responses: posted, contentType: "text/html")
        openAPI.add("POST", "/admin/catalog/import", summary: "Import a catalog file (multipart: file, dryRun)", tag: "pages",
                    responses: html, contentType: "text/html")
        openAPI.add("GET", "/official", summary: "To the incoming register", tag: "pages", responses: [303: ("To /official/incoming", nil)],
                    contentType: "text/html")
        for (path, summary) in [("/official/outgoing", "The agency's outgoing register (?q= without diacritics, number, from, to) and its drafts"),
                                ("/official/incoming", "The agency's incoming register, searched the same way"),
                                ("/official/new", "Compose an outgoing document (?replyTo= a dispatch it answers)"),
                                ("/official/drafts/:id", "A draft: waiting for its signature, or signed and ready to be numbered"),
                                ("/official/documents/:id", "A document: its files, its recipients with their acknowledgements; dispatch, remind, "
                                 + "acknowledge, assign, answer")] {
            openAPI.add("GET", path, summary: summary, tag: "pages", responses: html, contentType: "text/html")
        }
        for path in ["/official/outgoing/export", "/official/incoming/export"] {
            openAPI.add("GET", path, summary: "The register as CSV (the page's filters)", tag: "pages",
                        responses: [200: ("text/csv", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "text/csv")
        }
        openAPI.add("GET", "/official/documents/:id/files/:file", summary: "A file of the document, read with the officer's token", tag: "pages",
                    responses: [200: ("The file", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "application/octet-stream")
        for (path, summary) in [("/official/new", "Send the composed document for signature (multipart: file, type, excerpt, symbol, signer, leader, "
                                 + "urgency, to-<agency>)"),
                                ("/official/drafts/:id/number", "Number the signed draft in the outgoing register"),
                                ("/official/documents/:id/:action", "dispatch, remind, acknowledge or assign (officer)")] {
            openAPI.add("POST", path, summary: summary, tag: "pages", responses: posted, contentType: "text/html")
        }
        openAPI.add("GET", "/admin/templates", summary: "The province's admin: every message template's latest wording", tag: "pages",
                    responses: html, contentType: "text/html")
        openAPI.add("GET", "/admin/templates/:id", summary: "The province's admin: a template's wording with example values to preview", tag: "pages",
                    responses: html, contentType: "text/html")
        openAPI.add("POST", "/admin/templates/:id", summary: "intent=preview shows the unsaved wording filled in (an SMS with its segments); "
                    + "intent=save makes it a new version", tag: "pages", responses: posted, contentType: "text/html")
        openAPI.add("GET", "/admin/staff", summary: "Administrators: the staff accounts of ?agency= (theirs or one under it), active and disabled",
                    tag: "pages", responses: html, contentType: "text/html")
        openAPI.add("GET", "/admin/staff/new", summary: "Administrators: a new staff account (name, phone, first password, agency, roles)", tag: "pages",
                    responses: html, contentType: "text/html")
        openAPI.add("GET", "/admin/staff/:id", summary: "Administrators: one staff account, its roles and agency, a new password, disable or enable",
                    tag: "pages", responses: html, contentType: "text/html")
        for (path, summary) in [("/admin/staff", "Create the staff account (fullName, phone, password, agency, role-<role>)"),
                                ("/admin/staff/:id", "Save its name, agency and roles (its sign-ins end)"),
                                ("/admin/staff/:id/password", "Set a new password (its sign-ins end)"),
                                ("/admin/staff/:id/disable", "Disable it: its sessions and tokens stop working at once"),
                                ("/admin/staff/:id/enable", "Enable it")] {
            openAPI.add("POST", path, summary: "Administrators: " + summary, tag: "pages", responses: posted, contentType: "text/html")
        }
        openAPI.add("GET", "/desk/:id/document", summary: "The document of a sign request, to read before signing", tag: "pages",
                    responses: [200: ("The file as stored", nil), 303: ("To the sign-in page when not signed in", nil)], contentType: "application/octet-stream")
        openAPI.add("GET", "/intake", summary: "Counter intake: find the procedure (?q=, diacritics optional) among the officer's agency's",
                    tag: "pages", responses: html, contentType: "text/html")
        openAPI.add("GET", "/intake/:code", summary: "Counter intake of one procedure: the applicant and the documents handed in", tag: "pages",
                    responses: html.merging([404: ("No such procedure", nil)]) { $1 }, contentType: "text/html")
        openAPI.add("GET", "/dossiers/:id/print/:form", summary: "A Circular 01/2018 form to print (01 receipt and appointment, A5; 02 supplement "
                    + "request, 03 refusal, 04 apology, 05 process control sheet, A4) with a QR code to the public look-up", tag: "pages",
                    responses: html.merging([409: ("The form does not apply to the dossier yet", nil)]) { $1 }, contentType: "text/html")
        openAPI.add("GET", "/dossiers/:id/files/:file", summary: "A file of the dossier, read with the officer's token (PDFs and images shown, others downloaded)",
                    tag: "pages", responses: [200: ("The file", nil), 303: ("To the sign-in page when not signed in", nil), 404: ("Not a file of this dossier", nil)],
                    contentType: "application/octet-stream")
        openAPI.add("GET", "/dossiers/:id", summary: "A dossier with its history and the actions allowed now", tag: "pages",
                    responses: html.merging([404: ("No such dossier, or not this officer's agency's", nil)]) { $1 }, contentType: "text/html")
        for asset in [ConsoleAssets.stylesheet, ConsoleAssets.script] {
            openAPI.add("GET", asset.path, summary: "A static asset, cached for a year", tag: "pages", responses: [200: ("The asset", nil)], contentType: asset.contentType)
        }
    }
}

/// The screens' templates the build put in the console's resource bundle (a test compares them with the folders: a
/// template added since SwiftPM last read Package.swift is missing until it reads it again, `--manifest-cache none`).
public func consoleTemplateNames() -> [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: Bundle.module.resourcePath ?? "")) ?? []
    return files.filter { $0.hasSuffix(".mustache") }.sorted()
}
