import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import PageKit
import ServiceKit

/// One request to a console page: the language, the CSRF token for its forms, the signed-in officer when there is
/// one, and the cookies the answer must set.
struct Visit: Sendable {
    var language: Language
    var csrfToken: String
    /// The path and query of this page (the language toggle's way back, the sign-in's `next`).
    var path: String
    var cookies: [Cookie] = []
    var session: StaffSession?
    var sessionToken: String?
    var requestID: String
    var clientAddress: String
}

/// What every console page shares: reading the visit, keeping the officer's tokens fresh, the frame with the queues
/// and their counts, and answers that carry the visit's cookies.
struct StaffPages: Sendable {
    static let sessionCookie = "motcua_staff"
    let sessions: StaffSessions
    let accounts: PortalAccounts
    let desk: SingleWindowDesk
    let csrf: CSRFGuard
    let templates: PageTemplates
    let stylesheet: StaticAsset
    let script: StaticAsset
    /// Secure cookies when the console is served over https (always, in production).
    let secureCookies: Bool
    let now: @Sendable () -> Date
    /// Each agency's staff, kept a minute: lists show names, not account ids.
    let colleagues = ExpiringCache<[StaffMember]>(lifetime: .seconds(60), capacity: 2_000)
    /// Every agency, kept a minute: registers show names, the composer offers them as recipients.
    let directory = ExpiringCache<[Agency]>(lifetime: .seconds(60), capacity: 1)

    var siteCookies: SiteCookies { SiteCookies(secure: self.secureCookies) }
    var renewal: TokenRenewal { TokenRenewal(sessions: self.sessions, accounts: self.accounts, now: self.now) }

    func visit(_ request: Request, context: ServiceRequestContext) async throws -> Visit {
        let (nonce, nonceCookie) = self.csrf.nonce(of: request, cookies: self.siteCookies)
        var path = request.uri.path
        if let query = request.uri.query, !query.isEmpty { path += "?" + query }
        var visit = Visit(language: Language.of(request), csrfToken: self.csrf.token(for: nonce), path: path, cookies: nonceCookie.map { [$0] } ?? [],
                          requestID: context.requestID, clientAddress: context.clientAddress(request))
        if let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty, let session = try await self.sessions.find(token, now: self.now()) {
            visit.session = session
            visit.sessionToken = token
        }
        return visit
    }

    /// The officer's access token, renewed at the portal when it is about to expire (by this page, or by whoever
    /// else acting for them got there first); nil when the session cannot go on (the refresh token was refused: the
    /// account was disabled, or signed out elsewhere), which ends it.
    func accessToken(_ visit: inout Visit) async throws -> String? {
        guard let session = visit.session, let token = visit.sessionToken else { return nil }
        switch try await self.renewal.fresh(hash: SessionToken.hash(token), known: session, clientAddress: visit.clientAddress,
                                            requestID: visit.requestID) {
        case .fresh(let session):
            visit.session = session
            return session.accessToken
        case .ended:
            visit.session = nil
            visit.cookies.append(self.siteCookies.ended(Self.sessionCookie))
            return nil
        }
    }

    /// The staff of the officer's agency (names and roles); empty when the portal cannot say now (lists then show ids).
    func colleagues(_ visit: Visit, token: String) async -> [StaffMember] {
        guard let agency = visit.session?.agency else { return [] }
        if let kept = self.colleagues.find(agency) { return kept }
        guard let staff = try? await self.accounts.colleagues(of: agency, as: token, requestID: visit.requestID) else { return [] }
        self.colleagues.keep(agency, staff)
        return staff
    }

    /// Every agency by code (empty when single-window cannot say now: codes then stand for names).
    func agencies(_ visit: Visit) async -> [String: Agency] { await self.tree(visit).agencies }

    /// The same as a tree (empty when single-window cannot say now).
    func tree(_ visit: Visit) async -> AgencyTree {
        var all = self.directory.find("all")
        if all == nil, let read = try? await self.desk.allAgencies(requestID: visit.requestID) {
            self.directory.keep("all", read)
            all = read
        }
        return AgencyTree(all ?? [])
    }

    /// Account ids to names, for the lists and histories.
    func names(_ visit: Visit, token: String) async -> [String: String] {
        var names = Dictionary(await self.colleagues(visit, token: token).map { ($0.id, $0.fullName) }) { first, _ in first }
        if let session = visit.session { names[session.accountID] = session.fullName }
        return names
    }

    /// The names of the agencies a dossier's process passes through, for its steps and handovers (nothing asked for a
    /// process done at the officer's own agency; a name that cannot be read shows as its code).
    func agencyNames(of process: DossierProcess?, _ visit: Visit, token: String) async -> [String: String] {
        guard let process else { return [:] }
        var names: [String: String] = [:]
        if let own = visit.session?.agency, let name = visit.session?.agencyName { names[own] = name }
        for code in Set(process.steps.compactMap(\.agencyCode) + [process.homeAgency]) where names[code] == nil {
            names[code] = try? await self.desk.agency(code, as: token, requestID: visit.requestID).name
        }
        return names
    }

    /// The agencies a page offers to choose from (reports, staff accounts): the person's own and those directly under
    /// it (the province's admin starts at the province), and the one shown when it is deeper.
    func agencyChoices(_ visit: Visit, current: String?) async throws -> [Agency] {
        let tree = await self.tree(visit)
        guard let root = visit.session?.agency.flatMap({ tree.agencies[$0] }) ?? tree.root else {
            throw Problem.unavailable(ConsolePhrases.serviceDown(visit.language))
        }
        var agencies = [root] + tree.children(of: root.code).sorted { ($0.level.rawValue, $0.name) < ($1.level.rawValue, $1.name) }
        if let current, !current.isEmpty, !agencies.contains(where: { $0.code == current }), let shown = tree.agencies[current] {
            agencies.append(shown)
        }
        return agencies
    }

    /// The page to sign in first, coming back here after.
    func signInFirst(_ visit: Visit) -> Response {
        self.redirect(visit, to: "/login?next=" + FormEncoding.encode(visit.path))
    }

    /// A page for the signed-in: reads the visit, has a fresh token for the officer (or sends them to sign in first)
    /// and runs `body`. A refusal it throws becomes the problem page; a service that does not answer (refused
    /// connection, timeout, no instance) becomes the 503 page that says so, never a 500.
    func signedIn(_ request: Request, context: ServiceRequestContext, _ body: (Visit, String) async throws -> Response) async throws -> Response {
        var visit = try await self.visit(request, context: context)
        do {
            guard let token = try await self.accessToken(&visit) else { return self.signInFirst(visit) }
            return try await body(visit, token)
        } catch let problem as Problem where problem.statusCode == 401 && visit.sessionToken != nil {
            // A service refused the officer's own token: the account was disabled or its roles changed since it was
            // issued (`account.disabled`). The session ends here too, and the officer signs in again (or is told why not).
            if let token = visit.sessionToken { try await self.sessions.end(token) }
            visit.session = nil
            visit.cookies.append(self.siteCookies.ended(Self.sessionCookie))
            return self.signInFirst(visit)
        } catch let problem as Problem {
            return try self.problemPage(visit, problem)
        } catch let error as PageTemplates.LoadError {
            throw error
        } catch {
            context.logger.warning("a service the page needs did not answer", metadata: ["error": "\(error)"])
            return try self.problemPage(visit, Problem.unavailable(ConsolePhrases.serviceDown(visit.language)))
        }
    }

    /// The frame around a page: the queues with their counts (from an inbox answer, when the page has one).
    func frame(_ visit: Visit, title: Phrase, current: Queue? = nil, counts: InboxPage? = nil, notice: String? = nil, alert: String? = nil) -> PageFrame {
        let language = visit.language
        var nav: [PageFrame.NavItem] = []
        var user: String?
        if let session = visit.session {
            if session.has(.officer) {
                nav.append(PageFrame.NavItem(href: "/intake", label: IntakeController.Text.title(language), current: visit.path.hasPrefix("/intake")))
            }
            if session.has(.officer) || session.has(.leader) || session.has(.clerk) {
                nav.append(PageFrame.NavItem(href: "/official/incoming", label: RegistersController.Text.documents(language),
                                             current: visit.path.hasPrefix("/official")))
            }
            if session.has(.leader) || session.has(.admin) {
                nav.append(PageFrame.NavItem(href: "/desk", label: DeskController.Text.title(language), current: visit.path.hasPrefix("/desk")))
                nav.append(PageFrame.NavItem(href: "/reports/766", label: ReportsController.Text.reports(language), current: visit.path.hasPrefix("/reports")))
            }
            if session.has(.admin) || session.has(.agencyAdmin) {
                nav.append(PageFrame.NavItem(href: "/admin/staff", label: StaffAdminController.Text.title(language), current: visit.path.hasPrefix("/admin/staff")))
            }
            if session.has(.admin) {
                nav.append(PageFrame.NavItem(href: "/admin/catalog", label: CatalogAdminController.Text.title(language),
                                             current: visit.path.hasPrefix("/admin/catalog")))
                nav.append(PageFrame.NavItem(href: "/admin/audit", label: AuditController.Text.title(language), current: visit.path.hasPrefix("/admin/audit")))
                nav.append(PageFrame.NavItem(href: "/admin/templates", label: TemplatesController.Text.title(language),
                                             current: visit.path.hasPrefix("/admin/templates")))
            }
            let works = session.has(.officer) || session.has(.leader) || session.has(.admin)
            nav += (works ? Queue.allCases : []).map { queue in
                PageFrame.NavItem(href: "/queues/\(queue.rawValue)", label: queue.label(language), count: counts.flatMap(queue.count(in:)),
                                  current: queue == current, shortcut: "Alt+\(queue.shortcut)")
            }
            let roles = session.roles.compactMap { Display.role($0)?(language) }.joined(separator: ", ")
            user = [session.fullName, roles, session.agencyName ?? session.agency].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        }
        var frame = PageFrame(language: language, title: title, siteName: ConsolePhrases.siteName, homeHref: "/", stylesheet: self.stylesheet.path,
                              script: self.script.path, csrf: visit.csrfToken, path: visit.path, nav: nav, user: user,
                              signOut: visit.session == nil ? nil : "/logout", footer: ConsolePhrases.footer, notice: notice, alert: alert)
        if visit.session != nil { frame.help = ConsolePhrases.shortcuts(language) }
        return frame
    }

    func page(_ visit: Visit, _ template: String, _ model: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try self.templates.page(template, model, status: status)
        for cookie in visit.cookies { response.setCookie(cookie) }
        return response
    }

    /// A CSV file a spreadsheet opens with Vietnamese intact (byte order mark, formula-looking cells defused), not kept
    /// by the browser's cache, carrying the visit's cookies.
    func csv(_ rows: [[String]], name: String, visit: Visit) -> Response {
        var text = CSVText.byteOrderMark
        for row in rows { text += CSVText.row(row) }
        var response = Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                                      .contentDisposition: "attachment; filename=\"\(name).csv\""],
                                body: .init(byteBuffer: ByteBuffer(string: text)))
        for cookie in visit.cookies { response.setCookie(cookie) }
        return response
    }

    /// A 303 carrying the visit's cookies (after a form, so that a reload does not post again).
    func redirect(_ visit: Visit, to location: String) -> Response { .seeOther(location, cookies: visit.cookies) }

    /// The posted form's fields, or nil when its CSRF field does not match the browser's nonce.
    func form(_ request: Request) async throws -> [String: String]? { try await self.csrf.fields(of: request) }

    /// A posted form that may carry files (multipart) or not (url-encoded), up to `limit` bytes; nil when its CSRF
    /// field does not match, or it cannot be read.
    func formWithFiles(_ request: Request, limit: Int) async throws -> MultipartForm? {
        guard request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true else {
            return try await self.form(request).map { MultipartForm(fields: $0) }
        }
        guard let form = try? await MultipartForm.read(request, limit: limit), self.csrf.accepts(form.fields, of: request) else { return nil }
        return form
    }

    /// The page for a posted form whose CSRF field no longer matches (it expired, or came from elsewhere): 403, do it again.
    func expiredForm(_ visit: Visit) throws -> Response {
        try self.problemPage(visit, Problem(.forbidden, detail: DeskController.Text.expired(visit.language)))
    }

    /// For pages of the province's administrator only (the services refuse the rest of what they would do anyway).
    func requireAdmin(_ visit: Visit, _ message: Phrase) throws {
        guard visit.session?.has(.admin) == true else { throw Problem.forbidden(message(visit.language)) }
    }

    /// A page that says what went wrong and what to do, in the frame.
    func problemPage(_ visit: Visit, _ problem: Problem) throws -> Response {
        struct View { let frame: PageFrame; let heading: String; let detail: String; let back: String }
        let heading = ConsolePhrases.problemHeading(problem.statusCode)(visit.language)
        var response = try self.page(visit, "problem", View(frame: self.frame(visit, title: ConsolePhrases.problemHeading(problem.statusCode)),
                                                            heading: heading, detail: problem.detail, back: ConsolePhrases.backToQueues(visit.language)),
                                     status: problem.status)
        if problem.statusCode == 503 { response.headers[.retryAfter] = "30" }
        return response
    }
}
