import DomainKit
import Foundation
import Hummingbird
import NIOCore

/// The answer to a batch of events.
public struct EventReceipts: Codable, Sendable {
    public let results: [Inbox.Receipt]
}

/// The endpoints every service keeps: health, metrics, incoming events, and the outbox for operators.
struct CommonRoutes {
    let runtime: ServiceRuntime
    let readinessChecks: [String: @Sendable () async -> Bool]
    let eventHandlers: [String: EventHandler]
    let eventListeners: [String: EventListener]

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        let runtime = self.runtime
        let settings = runtime.settings
        OperationsRoutes.register(on: router, service: settings.name, instance: settings.instanceID, openAPI: &openAPI)
        let checks = self.readinessChecks
        router.get("/health/ready") { _, _ -> Response in
            var results: [String: String] = [:]
            results["database"] = await runtime.database.ping() ? "pass" : "fail"
            let versions = (try? await Migrator.appliedVersions(on: runtime.database)) ?? [:]
            results["migrations"] = versions["servicekit"] != nil ? "pass" : "fail"
            for (name, check) in checks { results[name] = await check() ? "pass" : "fail" }
            let ready = results.values.allSatisfy { $0 == "pass" }
            let body = OperationsRoutes.Health(status: ready ? "pass" : "fail", service: settings.name, instance: settings.instanceID, checks: results)
            return try Response.json(body, status: ready ? .ok : .serviceUnavailable)
        }
        let handlers = self.eventHandlers
        let listeners = self.eventListeners
        let publishers = runtime.eventPublishers
        router.post("/internal/events") { request, context -> Response in
            let caller = try context.requireRole(.service).serviceName ?? ""
            let body = try await request.body.collect(upTo: 8 * 1024 * 1024)
            // An array is a batch from an outbox: applied in one transaction, answered with one receipt per event.
            if body.readableBytesView.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "[") {
                let envelopes = try Request.decodeJSON(as: [EventEnvelope].self, from: body)
                for envelope in envelopes { try Self.admit(envelope, from: caller, publishers: publishers) }
                let receipts = await Self.receive(envelopes, listeners: listeners, handlers: handlers, on: runtime.database)
                for receipt in receipts where receipt.outcome != .ignored {
                    context.logger.info("event received", metadata: ["eventId": "\(receipt.id)", "outcome": "\(receipt.outcome.rawValue)"])
                }
                return try Response.json(EventReceipts(results: receipts))
            }
            let envelope = try Request.decodeJSON(as: EventEnvelope.self, from: body)
            try Self.admit(envelope, from: caller, publishers: publishers)
            if let listener = listeners[envelope.type] {
                await listener(envelope)
                return Response(status: .ok)
            }
            // Events nobody here handles are acknowledged, so a new subscription never blocks the sender's outbox.
            guard let handler = handlers[envelope.type] else {
                return Response(status: .accepted)
            }
            let outcome = try await Inbox.receive(envelope, on: runtime.database) { db in try await handler(envelope, db) }
            context.logger.info("event received", metadata: ["event": "\(envelope.type)", "eventId": "\(envelope.id)", "outcome": "\(outcome.rawValue)"])
            return Response(status: outcome == .applied ? .ok : .accepted)
        }
        router.get("/internal/outbox") { request, context -> [OutboxAdmin.Entry] in
            try context.requireRole(.admin, .service)
            let text = request.uri.queryParameters.get("status") ?? OutboxStatus.dead.rawValue
            guard let status = OutboxStatus(rawValue: text) else {
                throw Problem.badRequest("status must be pending, delivered or dead.")
            }
            return try await OutboxAdmin.list(status: status, on: runtime.database)
        }
        router.post("/internal/outbox/:id/redrive") { _, context -> Response in
            try context.requireRole(.admin)
            let id = try context.parameters.require("id")
            guard try await OutboxAdmin.redrive(id: id, on: runtime.database) else {
                throw Problem.notFound("No dead delivery has the id \(id).")
            }
            return Response(status: .noContent)
        }

        openAPI.add("GET", "/health/ready", summary: "Database and migrations are ready", tag: "operations",
                    responses: [200: ("Ready", OperationsRoutes.healthSchema), 503: ("Not ready", OperationsRoutes.healthSchema)])
        openAPI.add("POST", "/internal/events",
                    summary: "Receive an event, or an array of events, from another service's outbox (applied once per id; an array is answered with one receipt per event)",
                    tag: "internal", request: Schema.anyObject,
                    responses: [200: ("Applied (for an array: {results: [{id, outcome: applied|duplicate|ignored|failed, detail}]})", nil),
                                202: ("Already applied, or not subscribed", nil), 400: ("Not an envelope", nil),
                                401: ("No token", nil), 403: ("Not a service token, or an event its caller does not own", nil)], token: true)
        openAPI.add("GET", "/internal/outbox", summary: "Outbox deliveries by status (dead by default)", tag: "internal",
                    responses: [200: ("Deliveries", Schema.array(Schema.anyObject)), 403: ("Not an operator", nil)], token: true)
        openAPI.add("POST", "/internal/outbox/:id/redrive", summary: "Send a dead delivery again", tag: "internal",
                    responses: [204: ("Queued", nil), 404: ("No such dead delivery", nil)], token: true)
    }

    /// An event is believed only from the service it says sent it, and only when that service owns its type: the
    /// portal's token cannot post `payment.succeeded`. A refusal is a 403 and nothing is applied (of a batch, nothing).
    static func admit(_ envelope: EventEnvelope, from caller: String, publishers: [String: String]) throws(Problem) {
        guard envelope.source == caller else {
            throw Problem.forbidden("The event \(envelope.id) says it comes from \(envelope.source), but the \(caller) service sent it.")
        }
        if let owner = publishers[envelope.type], owner != caller {
            throw Problem.forbidden("Only \(owner) sends \(envelope.type) events; the \(caller) service may not.")
        }
    }

    /// A batch's receipts in order: listeners hear their events at once, the rest go through the inbox.
    static func receive(_ envelopes: [EventEnvelope], listeners: [String: EventListener], handlers: [String: EventHandler],
                        on database: Database) async -> [Inbox.Receipt] {
        var receipts = [Inbox.Receipt?](repeating: nil, count: envelopes.count)
        for (index, envelope) in envelopes.enumerated() {
            guard let listener = listeners[envelope.type] else { continue }
            await listener(envelope)
            receipts[index] = Inbox.Receipt(id: envelope.id, outcome: .applied)
        }
        let rest = envelopes.indices.filter { receipts[$0] == nil }
        for (index, receipt) in zip(rest, await Inbox.receive(rest.map { envelopes[$0] }, on: database, handlers: handlers)) {
            receipts[index] = receipt
        }
        return receipts.map { $0! }
    }
}

/// Liveness, metrics and the OpenAPI document: the endpoints even a service without a database keeps.
public enum OperationsRoutes {
    public struct Health: ResponseEncodable {
        public let status: String
        public let service: String
        public let instance: String
        public let checks: [String: String]

        public init(status: String, service: String, instance: String, checks: [String: String]) {
            self.status = status
            self.service = service
            self.instance = instance
            self.checks = checks
        }
    }

    static let healthSchema = Schema.object([
        "status": Schema.enumeration(["pass", "fail"]), "service": Schema.string, "instance": Schema.string, "checks": Schema.anyObject,
    ])

    public static func register(on router: Router<ServiceRequestContext>, service: String, instance: String, openAPI: inout OpenAPIDocument) {
        // The same bytes every time: written once.
        let live = (try? StreamingJSON.encode(Health(status: "pass", service: service, instance: instance, checks: [:]))) ?? Data()
        router.get("/health/live") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: live)))
        }
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: ProcessMetrics.registry.emitToBuffer())))
        }
        openAPI.add("GET", "/health/live", summary: "The process is up", tag: "operations", responses: [200: ("Alive", healthSchema)])
        openAPI.add("GET", "/metrics", summary: "Prometheus metrics", tag: "operations", responses: [200: ("Text exposition format", nil)],
                    contentType: "text/plain")
        openAPI.add("GET", "/openapi.json", summary: "This document", tag: "operations", responses: [200: ("OpenAPI 3.1", Schema.anyObject)])
    }

    /// Serves the document at `/openapi.json`; call after every route has been described.
    public static func serve(_ document: OpenAPIDocument, on router: Router<ServiceRequestContext>) {
        let data = (try? StreamingJSON.encode(document.json)) ?? Data()
        router.get("/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
