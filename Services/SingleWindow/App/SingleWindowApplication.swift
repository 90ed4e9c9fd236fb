import Contracts
import Foundation
import DomainKit
import Hummingbird
import ServiceKit

/// Builds the single-window service: agencies, the procedure catalog, and (as issue 3 lands) dossiers.
/// - Parameter clock: the service's time: intake, actions and the deadline watcher read it (tests move it).
public func buildSingleWindowApplication(
    _ settings: ServiceSettings, clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> some ApplicationProtocol {
    // The public look-up answers from memory for a few seconds (0 turns it off); read before the database opens.
    let lookupCacheSeconds = try settings.integer("LOOKUP_CACHE_SECONDS", default: 2, range: 0...300)
    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: SingleWindowMigrations.all, subscriptions: Subscriptions.table, publishers: Publishers.table, announce: EventType.serviceStarted
    )
    let agencies = AgencyRepository(database: runtime.database)
    let procedures = ProcedureRepository(database: runtime.database)
    if let text = settings.environment["DEMO_DATA"], !text.isEmpty, text != "0" {
        guard let size = text == "1" ? .full : DemoSeeder.Size(rawValue: text) else {
            throw ConfigurationError.invalid("DEMO_DATA", text, "handwritten, full, year or 1")
        }
        let count = try settings.integer("DEMO_DOSSIERS", default: DemoYear.total, range: 0...5_000_000)
        try await DemoSeeder(database: runtime.database, agencies: agencies, procedures: procedures).seedIfEmpty(size, dossiers: count, logger: runtime.logger)
    }
    var builder = ServiceApplicationBuilder(
        runtime: runtime,
        openAPI: OpenAPIDocument(title: "MotCua single-window", summary: "Receives, processes and settles administrative-procedure dossiers")
    )
    let dossiers = DossierRepository(database: runtime.database, publicViews: ExpiringCache(lifetime: .seconds(lookupCacheSeconds)))
    let calendar = WorkingCalendar.vietnam
    let catalog = CatalogIndex(database: runtime.database)
    let staff = StaffDirectory(client: runtime.client, enabled: try settings.value("STAFF_CHECKS", default: "on") != "off")
    let actions = DossierActions(runtime: runtime, dossiers: dossiers, catalog: catalog, calendar: calendar, staff: staff, now: clock)
    let documents = DocumentsLink(client: runtime.client, enabled: try settings.value("DOCUMENTS_CHECKS", default: "on") != "off")
    let signing = ResultSigning(actions: actions, dossiers: dossiers, documents: documents)
    // A drafted result becomes ready when its leader signs it; a refusal or an expiry clears the draft.
    builder.eventHandlers[EventType.documentSigned] = { envelope, db in try await signing.signed(envelope, in: db) }
    builder.eventHandlers[EventType.documentSignDeclined] = { envelope, db in try await signing.declined(envelope, in: db) }
    // A confirmed online payment ends the fee wait, exactly once however often the event arrives, and only when it
    // covers the procedure's fees (only payments may send the event: see `Publishers`); a short payment is written
    // into the dossier's history for its officers and the wait goes on.
    builder.eventHandlers[EventType.paymentSucceeded] = { envelope, db in
        let payment = try envelope.payload(as: PaymentEventPayload.self)
        // Whatever the status, the reports count the fee as paid, online or not (Decision 766's online payments).
        try await actions.dossiers.recordPayment(dossierID: payment.dossierId, online: payment.method == PaymentMethod.gateway.rawValue, in: db)
        guard let dossier = try await actions.dossiers.find(id: payment.dossierId, in: db), dossier.status == .awaitingFee else { return }
        let owed = (try? await DossierFeesController.owed(by: dossier, catalog: catalog))?.map(\.amount).total() ?? .zero
        guard payment.amount >= owed else {
            runtime.logger.warning("a payment does not cover the fees owed", metadata: [
                "dossier": "\(dossier.code)", "payment": "\(payment.paymentId)", "paid": "\(payment.amount.amount)", "owed": "\(owed.amount)"])
            try await actions.save(dossier, expectedVersion: dossier.version, event: DossierEventView(
                at: clock(), actor: "service:payments", role: .service, agencyCode: nil, action: "payment-short", fromStatus: dossier.status,
                toStatus: dossier.status, comment: "\(payment.amount.formatted) / \(owed.formatted)", detail: "payment \(payment.paymentId)"
            ), eventType: nil, from: nil, requestID: envelope.requestId ?? envelope.id, in: db)
            return
        }
        _ = try await actions.act(DossierActionRequest(action: .confirmFee, expectedVersion: dossier.version, comment: "payment \(payment.paymentId)"),
                                     on: dossier.id, by: Identity(subject: "service:payments", roles: [.service]),
                                     requestID: envelope.requestId ?? envelope.id, in: db)
    }
    // A failed payment and a refund are written into the dossier's history, so its officers see them; the status stays.
    for (type, action) in [(EventType.paymentFailed, "payment-failed"), (EventType.paymentRefunded, "payment-refunded")] {
        builder.eventHandlers[type] = { envelope, db in
            let payment = try envelope.payload(as: PaymentEventPayload.self)
            guard let dossier = try await dossiers.find(id: payment.dossierId, in: db) else { return }
            try await actions.save(dossier, expectedVersion: dossier.version, event: DossierEventView(
                at: clock(), actor: "service:payments", role: .service, agencyCode: nil, action: action, fromStatus: dossier.status,
                toStatus: dossier.status, comment: payment.amount.formatted + (payment.reason.map { " — \($0)" } ?? ""),
                detail: "payment \(payment.paymentId)"
            ), eventType: nil, from: nil, requestID: envelope.requestId ?? envelope.id, in: db)
        }
    }
    let sweepSeconds = try settings.seconds("DEADLINE_SWEEP_SECONDS", default: 60)
    builder.extraServices.append(DeadlineWatcher(runtime: runtime, dossiers: dossiers, calendar: calendar, clock: clock,
                                                 interval: .milliseconds(Int(sweepSeconds * 1000))))
    let router = builder.makeRouter()
    AgencyController(agencies: agencies).register(on: router, openAPI: &builder.openAPI)
    CatalogController(procedures: procedures,
                      importer: CatalogImporter(database: runtime.database, procedures: procedures, agencies: agencies),
                      index: catalog)
        .register(on: router, openAPI: &builder.openAPI)
    DossierController(
        intake: DossierIntake(runtime: runtime, dossiers: dossiers, catalog: catalog,
                              batcher: IntakeBatcher(database: runtime.database, dossiers: dossiers, outbox: runtime.outbox, calendar: calendar),
                              documents: documents, now: clock),
        actions: actions, dossiers: dossiers, catalog: catalog,
        lookupLimiter: RateLimiter(perMinute: Int(try settings.value("LOOKUP_RATE_PER_MINUTE", default: "30")) ?? 30,
                                   burst: Int(try settings.value("LOOKUP_BURST", default: "10")) ?? 10),
        documents: documents
    ).register(on: router, openAPI: &builder.openAPI)
    signing.register(on: router, openAPI: &builder.openAPI)
    DossierFeesController(dossiers: dossiers, catalog: catalog).register(on: router, openAPI: &builder.openAPI)
    InboxController(database: runtime.database, calendar: calendar, now: clock).register(on: router, openAPI: &builder.openAPI)
    ApplicantDossiersController(database: runtime.database).register(on: router, openAPI: &builder.openAPI)
    FormsController(dossiers: dossiers, catalog: catalog).register(on: router, openAPI: &builder.openAPI)
    TrackingLogController(database: runtime.database, catalog: catalog).register(on: router, openAPI: &builder.openAPI)
    StatisticsController(database: runtime.database, catalog: catalog).register(on: router, openAPI: &builder.openAPI)
    ReportsController(queries: ReportQueries(database: runtime.database), catalog: catalog, now: clock).register(on: router, openAPI: &builder.openAPI)
    AuditController(database: runtime.database, now: clock).register(on: router, openAPI: &builder.openAPI)
    return builder.build(router: router)
}
