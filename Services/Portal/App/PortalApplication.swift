import Contracts
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// Builds the portal: the token issuer and its JWKS, accounts (pages and the mobile token API), the platform status
/// page, and the pages that later issues add.
/// - Parameters:
///   - clock: the portal's time (tests move it to expire codes and sessions).
///   - codeSender: how one-time codes reach phones; the notifications service unless a test says otherwise.
public func buildPortalApplication(_ settings: ServiceSettings, clock: @escaping @Sendable () -> Date = { Date() }) async throws -> some ApplicationProtocol {
    try await buildPortalApplication(settings, clock: clock, codeSender: nil)
}

func buildPortalApplication(
    _ settings: ServiceSettings, clock: @escaping @Sendable () -> Date, codeSender: (any CodeSending)?
) async throws -> some ApplicationProtocol {
    let publicURL = try settings.value("PORTAL_PUBLIC_URL", default: "http://\(settings.advertiseAddress):\(settings.port)")
    let demo = settings.environment["DEMO_DATA"].map { !$0.isEmpty && $0 != "0" } ?? false
    let bcryptCost = try settings.integer("BCRYPT_COST", default: 12, range: 4...16)
    let attemptsPerMinute = try settings.integer("SIGN_IN_ATTEMPTS_PER_MINUTE", default: 10, range: 1...10_000)
    let lookupsPerMinute = try settings.integer("LOOKUP_RATE_PER_MINUTE", default: 30, range: 1...10_000_000)
    let lookupBurst = try settings.integer("LOOKUP_BURST", default: 10, range: 1...10_000_000)
    let lookupCacheSeconds = try settings.integer("LOOKUP_CACHE_SECONDS", default: 30, range: 0...3600)
    let submissionBytes = try settings.integer("MAX_SUBMISSION_BYTES", default: 100 * 1_048_576, range: 1_048_576...1_073_741_824)

    // A template that does not parse stops the start here, with its name.
    _ = try PortalTemplates.load()
    let issuer = try await TokenIssuer.loadOrCreate(settings: settings)
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: PortalMigrations.all, subscriptions: Subscriptions.table, publishers: Publishers.table, keys: .issuer(issuer),
        announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(
        runtime: runtime,
        openAPI: OpenAPIDocument(title: "MotCua portal", summary: "Public pages, accounts and tokens, the staff console and the mobile API")
    )
    let starts = ServiceStartsRepository(database: runtime.database)
    builder.eventHandlers[EventType.serviceStarted] = { envelope, db in
        try await starts.record(envelope.payload(as: ServiceStarted.self), in: db)
    }

    let sessions = SessionRepository(database: runtime.database)
    let consoleURL = try settings.value("CONSOLE_PUBLIC_URL", default: "http://\(settings.advertiseAddress):\(Topology.ports[Topology.console]!)")
    let visitors = Visitors(sessions: sessions, csrf: CSRFGuard(secret: try await PortalMigrations.secret("csrf", in: runtime.database)),
                            secureCookies: publicURL.hasPrefix("https://"), consoleURL: consoleURL, now: clock)
    let refreshTokens = RefreshTokens()
    let accounts = AccountService(database: runtime.database, accounts: AccountRepository(database: runtime.database), codes: PhoneCodes(),
                                  sessions: sessions, refreshTokens: refreshTokens, passwords: try await Passwords(cost: UInt8(bcryptCost)),
                                  sender: codeSender ?? NotificationsCodeSender(client: runtime.client), logger: runtime.logger, now: clock)
    if demo { try await DemoAccounts.seed(accounts, logger: runtime.logger) }
    let attempts = RateLimiter(perMinute: attemptsPerMinute, burst: attemptsPerMinute)
    let singleWindow = SingleWindowGateway(client: runtime.client)
    let lookupCache = ExpiringCache<LookupService.KeptAnswer>(lifetime: .seconds(lookupCacheSeconds))
    let lookups = LookupService(singleWindow: singleWindow, limiter: RateLimiter(perMinute: lookupsPerMinute, burst: lookupBurst), cache: lookupCache)
    // A dossier that changed drops its kept look-up answers.
    struct DossierCode: Decodable { let code: String }
    for type in Subscriptions.table.filter({ $0.key.hasPrefix("dossier.") && $0.value.contains(Topology.portal) }).map(\.key) {
        builder.eventListeners[type] = { envelope in
            if let changed = try? envelope.payload(as: DossierCode.self) { lookupCache.forget(changed.code) }
        }
    }

    builder.extraServices.append(AccountSweeper(database: runtime.database, logger: runtime.logger, now: clock))
    if demo {
        builder.extraServices.append(DemoSites(sites: SiteRepository(database: runtime.database), singleWindow: singleWindow, logger: runtime.logger,
                                               now: clock))
    }
    let router = builder.makeRouter()
    Assets.register(on: router)
    JWKSController(issuer: issuer).register(on: router, openAPI: &builder.openAPI)
    StatusController(probe: StatusProbe(runtime: runtime, timeout: .milliseconds(Int64(try settings.seconds("STATUS_PROBE_SECONDS", default: 1) * 1000))), starts: starts, visitors: visitors).register(on: router, openAPI: &builder.openAPI)
    RegistrationPages(visitors: visitors, service: accounts, attempts: attempts).register(on: router)
    SignInPages(visitors: visitors, service: accounts, attempts: attempts).register(on: router)
    AccountPagesOpenAPI.describe(&builder.openAPI)
    let siteRepository = SiteRepository(database: runtime.database)
    // The portals' domains and the home page's news: read on every home page, kept a few seconds.
    let hosts = ReferenceCache(lifetime: 15)
    let statistics = StatisticsPages(visitors: visitors, singleWindow: singleWindow)
    let sitePages = SitePages(visitors: visitors, sites: siteRepository, singleWindow: singleWindow, statistics: statistics)
    HomePage(visitors: visitors, singleWindow: singleWindow, sites: siteRepository, sitePages: sitePages, hosts: hosts)
        .register(on: router, openAPI: &builder.openAPI)
    sitePages.register(on: router, openAPI: &builder.openAPI)
    EditorPages(visitors: visitors, sites: siteRepository, homeCache: hosts).register(on: router, openAPI: &builder.openAPI)
    SiteAPI(sites: siteRepository, hosts: hosts).register(on: router, openAPI: &builder.openAPI)
    CatalogPages(visitors: visitors, singleWindow: singleWindow).register(on: router)
    CatalogPages.describe(&builder.openAPI)
    LookupPages(visitors: visitors, lookups: lookups).register(on: router)
    LookupPages.describe(&builder.openAPI)
    let documents = DocumentsGateway(client: runtime.client)
    let payments = PaymentsGateway(client: runtime.client)
    let area = CitizenArea(visitors: visitors, issuer: issuer, singleWindow: singleWindow)
    SubmissionPages(visitors: visitors, singleWindow: singleWindow, documents: documents,
                    submissions: SubmissionRepository(database: runtime.database), issuer: issuer, maximumBytes: submissionBytes).register(on: router)
    SubmissionPages.describe(&builder.openAPI)
    MyDossiersPages(area: area, payments: payments).register(on: router)
    MyDossiersPages.describe(&builder.openAPI)
    DossierActionPages(area: area, documents: documents, payments: payments, publicURL: publicURL, maximumBytes: submissionBytes).register(on: router)
    DossierActionPages.describe(&builder.openAPI)
    SignatureCheckPages(visitors: visitors, documents: documents).register(on: router, openAPI: &builder.openAPI)
    InboxPages(area: area, client: runtime.client).register(on: router, openAPI: &builder.openAPI)
    statistics.register(on: router, openAPI: &builder.openAPI)
    LookupAPI(lookups: lookups).register(on: router, openAPI: &builder.openAPI)
    TokenController(service: accounts, issuer: issuer, refreshTokens: refreshTokens, attempts: attempts).register(on: router, openAPI: &builder.openAPI)
    StaffController(service: accounts, runtime: runtime, singleWindow: singleWindow).register(on: router, openAPI: &builder.openAPI)
    AuditLog(database: runtime.database).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
