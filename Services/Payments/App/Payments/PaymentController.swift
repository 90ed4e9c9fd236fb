import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// Payments as citizens, the portal and officers use them: create (online or at the counter), read, list, send
/// the payer to the bank, cancel, print the receipt.
struct PaymentController {
    let intake: PaymentIntake
    /// Our own public base URL: `payUrl` is `<publicURL>/v1/payments/{id}/pay`.
    let publicURL: String

    var workflow: PaymentWorkflow { self.intake.workflow }
    var payments: PaymentRepository { self.intake.payments }

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post("/v1/payments", use: self.create)
        router.post("/v1/payments/counter", use: self.counter)
        router.get("/v1/payments", use: self.list)
        router.get("/v1/payments/:id", use: self.show)
        router.get("/v1/payments/:id/pay", use: self.pay)
        router.post("/v1/payments/:id/cancel", use: self.cancel)
        router.get("/v1/payments/:id/receipt", use: self.receipt)

        openAPI.addSchema("Payment", Schema.anyObject)
        let keyed = "Idempotency-Key (required, 1-255 letters, digits or '-'): the same key and body within 24 hours return the first payment, "
            + "a different body 409"
        openAPI.add("POST", "/v1/payments", summary: "Pay a dossier's fees through the bank gateway (the applicant, the portal or an admin). "
                    + keyed + ". The items must add up to the procedure's fees", tag: "payments",
                    request: Schema.object(["dossierCode": Schema.string, "items": Schema.array(Schema.anyObject), "payer": Schema.anyObject,
                                            "returnUrl": Schema.string, "locale": Schema.string, "payerIp": Schema.string],
                                           required: ["dossierCode", "items", "payer", "returnUrl"]),
                    responses: [201: ("Created, with payUrl and expiresAt", Schema.ref("Payment")), 200: ("Replayed by Idempotency-Key", Schema.ref("Payment")),
                                400: ("No or bad Idempotency-Key, unreadable body", nil), 409: ("Key reused for another body; dossier settled", nil),
                                422: ("Unknown dossier, items not matching its fees, bad return URL", nil)], token: true)
        openAPI.add("POST", "/v1/payments/counter", summary: "Record cash paid at the counter (staff of the dossier's agency): settled at once, "
                    + "with a receipt number. " + keyed, tag: "payments",
                    request: Schema.object(["dossierCode": Schema.string, "items": Schema.array(Schema.anyObject), "payer": Schema.anyObject],
                                           required: ["dossierCode", "items", "payer"]),
                    responses: [201: ("Recorded", Schema.ref("Payment")), 403: ("Another agency's dossier", nil),
                                422: ("Unknown dossier or items not matching its fees", nil)], token: true)
        openAPI.add("GET", "/v1/payments", summary: "Payments of a dossier (?dossier=), or of an agency on a day (?agency=&day=yyyy-MM-dd), "
                    + "?state=, paged (staff see their agency's, a citizen the ones they made)", tag: "payments",
                    responses: [200: ("A page of payments, newest first", Schema.anyObject), 400: ("A bad filter", nil)], token: true)
        openAPI.add("GET", "/v1/payments/:id", summary: "A payment with every transition and refund", tag: "payments",
                    responses: [200: ("The payment", Schema.ref("Payment")), 404: ("No such payment (or not yours)", nil)], token: true)
        openAPI.add("GET", "/v1/payments/:id/pay", summary: "Sends the payer's browser to the bank's payment page (303); a payment that can no "
                    + "longer be paid goes back to the return URL", tag: "payments",
                    responses: [303: ("To the bank, or back to the portal", nil), 404: ("No such payment", nil)])
        openAPI.add("POST", "/v1/payments/:id/cancel", summary: "Cancel a payment the payer has not paid (created or started)", tag: "payments",
                    responses: [200: ("Cancelled", Schema.ref("Payment")), 409: ("Already at the bank or settled", nil)], token: true)
        openAPI.add("GET", "/v1/payments/:id/receipt", summary: "The printable receipt of a settled payment (HTML)", tag: "payments",
                    responses: [200: ("The receipt", nil), 409: ("Not paid", nil)], token: true)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.citizen, .service, .admin)
        let key = try request.idempotencyKey(required: true, underscore: false)!
        let body = try await request.decodeJSON(as: CreatePaymentRequest.self)
        let (payment, created) = try await self.intake.create(.online(body), by: identity, key: key, requestID: context.requestID)
        return try await self.respond(payment, status: created ? .created : .ok)
    }

    @Sendable func counter(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireRole(.officer, .leader, .admin)
        let key = try request.idempotencyKey(required: true, underscore: false)!
        let body = try await request.decodeJSON(as: CounterPaymentRequest.self)
        let (payment, created) = try await self.intake.create(.counter(body), by: identity, key: key, requestID: context.requestID)
        return try await self.respond(payment, status: created ? .created : .ok)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let payment = try await self.visible(try context.parameters.require("id"), to: try context.requireIdentity())
        return try await self.respond(payment, status: .ok)
    }

    typealias Page = ServiceKit.Page<PaymentView>

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Page {
        let identity = try context.requireIdentity()
        let dossier = request.query("dossier")
        var agency = request.query("agency")
        let day = try request.dateQuery("day")
        let state = try request.query("state", as: PaymentState.self)
        let page = try request.integerQuery("page", default: 1, range: 1...100_000)
        let pageSize = try request.integerQuery("pageSize", default: 50, range: 1...200)
        let staff = identity.has(.officer) || identity.has(.leader)
        if !identity.has(.admin), !identity.has(.service) {
            if staff {
                // Staff see their own agency's payments.
                if let asked = agency, asked != identity.agency { try context.requireAgency(asked) }
                agency = identity.agency
            } else {
                guard dossier != nil else { throw Problem.badRequest("Give ?dossier= the code of your dossier.") }
            }
        }
        guard dossier != nil || agency != nil else { throw Problem.badRequest("Give ?dossier= a dossier code, or ?agency= an agency code (and ?day=).") }
        let (records, total) = try await self.payments.list(dossierCode: dossier, agencyCode: agency, day: day, state: state, page: page, pageSize: pageSize)
        var items: [PaymentView] = []
        for record in records where self.canSee(record, identity) {
            items.append(try await self.payments.view(record, payUrl: self.payURL))
        }
        return Page(items: items, total: staff || identity.has(.admin) || identity.has(.service) ? total : items.count, page: page, pageSize: pageSize)
    }

    /// The payer's browser, sent here by the portal: on to the bank while the payment can be paid, else back.
    @Sendable func pay(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard var payment = try await self.payments.find(id: id), payment.method == .gateway else {
            throw Problem.notFound("There is no payment with the id \(id).")
        }
        let open = payment.expiresAt.map { $0 > self.workflow.now() } ?? false
        if payment.state == .created, open {
            let moved = try await self.workflow.runtime.database.transaction { db -> PaymentRecord? in
                guard let current = try await self.payments.find(id: id, in: db), current.state == .created else { return nil }
                return try await self.workflow.move(current, to: .started, cause: "redirect", requestID: context.requestID, in: db) ? current : nil
            }
            if moved != nil { payment.state = .started }
        }
        guard open, payment.state == .started else { return Self.redirect(Self.back(payment)) }
        return Self.redirect(try await self.workflow.merchant.payURL(for: payment))
    }

    @Sendable func cancel(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        _ = try await self.visible(id, to: identity)
        let cancelled = try await self.workflow.runtime.database.transaction { db -> PaymentRecord in
            guard let payment = try await self.payments.find(id: id, in: db) else { throw Problem.notFound("There is no payment with the id \(id).") }
            guard try await self.workflow.move(payment, to: .cancelled, cause: "cancel", detail: identity.subject, requestID: context.requestID, in: db)
            else {
                throw Problem.conflict("Payment \(id) is \(payment.state.rawValue): only a payment the payer has not taken to the bank can be cancelled.")
            }
            return payment
        }
        return try await self.respond(try await self.payments.find(id: cancelled.id) ?? cancelled, status: .ok)
    }

    @Sendable func receipt(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let payment = try await self.visible(try context.parameters.require("id"), to: try context.requireIdentity())
        guard payment.state == .success else { throw Problem.conflict("Payment \(payment.id) is \(payment.state.rawValue); a receipt is for a paid fee.") }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: PaymentReceipt.contentSecurityPolicy],
                        body: .init(byteBuffer: ByteBuffer(string: PaymentReceipt.html(payment))))
    }

    // MARK: Helpers

    /// The payment, when the caller may see it; otherwise 404 as if it did not exist.
    func visible(_ id: String, to identity: Identity) async throws -> PaymentRecord {
        guard let payment = try await self.payments.find(id: id), self.canSee(payment, identity) else {
            throw Problem.notFound("There is no payment with the id \(id).")
        }
        return payment
    }

    func canSee(_ payment: PaymentRecord, _ identity: Identity) -> Bool {
        if identity.has(.admin) || identity.has(.service) { return true }
        if identity.has(.officer) || identity.has(.leader) { return identity.agency == payment.agencyCode }
        return payment.createdBy == identity.subject
    }

    func payURL(_ payment: PaymentRecord) -> String? {
        guard payment.method == .gateway, payment.state == .created || payment.state == .started,
              let expiry = payment.expiresAt, expiry > self.workflow.now() else { return nil }
        return self.publicURL + "/v1/payments/\(payment.id)/pay"
    }

    func respond(_ payment: PaymentRecord, status: HTTPResponse.Status) async throws -> Response {
        let view = try await self.payments.view(payment, payUrl: self.payURL)
        return try Response.json(view, status: status, location: "/v1/payments/\(payment.id)")
    }

    /// The portal's return page for this payment: it shows the stored state, never what the bank's redirect said.
    static func back(_ payment: PaymentRecord) -> String {
        let url = payment.returnUrl ?? "/"
        return url + (url.contains("?") ? "&" : "?") + "payment=" + payment.id
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

extension PaymentView: ResponseEncodable {}
