import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// Builds the documents service: stored files (`FILES_DIR`, a shared volume when scaled), the province's CA (root made
/// on first start or imported), CMS signatures over stored files and signing from a phone, and official documents sent
/// between agencies.
/// - Parameter clock: the service's time (tests move it to expire links).
public func buildDocumentsApplication(
    _ settings: ServiceSettings, clock: @escaping @Sendable () -> Date = { Date() }
) async throws -> some ApplicationProtocol {
    // Every setting is read before the database opens, so a wrong one stops the start with nothing left open.
    let blobs = BlobStore(root: try settings.value("FILES_DIR", default: settings.dataDirectory + "/files"),
                          limit: try settings.integer("MAX_UPLOAD_BYTES", default: 20 * 1024 * 1024, range: 1...(2 << 30)))
    try blobs.prepare()
    let publicURL = try settings.value("DOCUMENTS_PUBLIC_URL", default: "http://\(settings.advertiseAddress):\(settings.port)")
    // Each key is its own secret: made once under DATA_DIR/secrets on a laptop, set by the operator in production.
    let linkSecret = try settings.secret("FILE_LINK_SECRET")
    let vault = KeyVault(masterKey: try settings.secret("PKI_MASTER_KEY"))
    let rootCertificate = try settings.value("PKI_ROOT_CERT_PEM", default: ""), rootKey = try settings.value("PKI_ROOT_KEY_PEM", default: "")
    let signRequestLifetime = try settings.seconds("SIGN_REQUEST_TTL_SECONDS", default: 3 * 86_400)
    let signRequestSweep = try settings.seconds("SIGN_REQUEST_SWEEP_SECONDS", default: 60)

    let runtime = try await ServiceRuntime.start(
        settings: settings, migrations: DocumentsMigrations.all, subscriptions: Subscriptions.table, publishers: Publishers.table, announce: EventType.serviceStarted
    )
    var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "MotCua documents", summary: "Stored files, official documents, PKI and signatures"))
    let authority = try await CertificateAuthority.loadOrCreate(
        database: runtime.database, vault: vault, importing: rootCertificate.isEmpty ? nil : (rootCertificate, rootKey), now: clock())
    let router = builder.makeRouter()
    let official = OfficialDocumentRepository(database: runtime.database)
    let files = FileController(files: FileRepository(database: runtime.database), blobs: blobs, linkKey: .init(key: linkSecret), publicURL: publicURL,
                               now: clock)
    files.register(on: router, openAPI: &builder.openAPI)
    PKIController(authority: authority, now: clock).register(on: router, openAPI: &builder.openAPI)
    let signatures = SignatureStore(database: runtime.database, authority: authority, blobs: blobs)
    SignatureController(signatures: signatures, files: files, runtime: runtime, now: clock).register(on: router, openAPI: &builder.openAPI)
    OfficialDocumentController(documents: official, files: files, signatures: signatures, runtime: runtime, now: clock)
        .register(on: router, openAPI: &builder.openAPI)
    let requests = SignRequestStore(runtime: runtime, signatures: signatures, lifetime: signRequestLifetime)
    let signing = SignRequestController(runtime: runtime, codes: OneTimeCodes(database: runtime.database, vault: vault), requests: requests,
                                        files: files, now: clock)
    signing.register(on: router, openAPI: &builder.openAPI)
    OfficialDraftController(documents: official, files: files, signatures: signatures, requests: requests, runtime: runtime, now: clock)
        .register(on: router, openAPI: &builder.openAPI)
    builder.eventHandlers[EventType.dossierResultDrafted] = { envelope, db in try await signing.resultDrafted(envelope, in: db) }
    // A dossier taken over by another agency: its staff read the dossier's files from now on (they were checked at intake).
    builder.eventHandlers[EventType.dossierTransferred] = { envelope, db in
        let transferred = try envelope.payload(as: DossierEventPayload.self)
        try await FileRepository.grant(transferred.fileIds ?? [], to: transferred.agencyCode, in: db)
    }
    builder.extraServices.append(SignRequestSweeper(requests: requests, logger: runtime.logger, now: clock,
                                                    interval: .milliseconds(Int(signRequestSweep * 1000))))
    return builder.build(router: router)
}
