import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// The simulated brandname SMS gateway's routes: the eSMS send endpoint, delivery reports posted back to the
/// sender's callback after a short delay (retried five times, as eSMS does), and the test-and-demo endpoints that
/// list what arrived and make the gateway slow, lossy or down.
struct SMSGatewayController {
    let gateway: SMSGateway
    let reports: ReportPoster

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.post(RouterPath(ESMS.sendPath), use: self.send)
        router.get("/sms/messages", use: self.list)
        router.delete("/sms/messages", use: self.reset)
        router.get("/sms/control", use: self.behaviour)
        router.post("/sms/control", use: self.control)

        openAPI.add("POST", ESMS.sendPath, summary: "eSMS-shaped send: ApiKey, SecretKey, Brandname, Phone, Content, SmsType 2, IsUnicode, "
                    + "RequestId, CallbackUrl; answers CodeResult 100 with an SMSID, 124 for a RequestId sent before, 101/104/108 for wrong keys, "
                    + "brandname or phone; 503 while told to be down", tag: "sms",
                    responses: [200: ("CodeResult and SMSID", Schema.anyObject), 400: ("Not a send request", nil), 503: ("Down", nil)])
        openAPI.add("GET", "/sms/messages", summary: "What the gateway received (?phone=, ?requestId=, ?limit= newest), with counts by status "
                    + "and of refused duplicates", tag: "sms", responses: [200: ("The messages", Schema.anyObject)])
        openAPI.add("DELETE", "/sms/messages", summary: "Forget every message (tests, demos)", tag: "sms", responses: [204: ("Emptied", nil)])
        openAPI.add("GET", "/sms/control", summary: "How the gateway behaves now", tag: "sms", responses: [200: ("The behaviour", Schema.anyObject)])
        openAPI.add("POST", "/sms/control", summary: "Make it down, slow (delayMs), lossy (failShare 0-1), or change reportDelayMs", tag: "sms",
                    request: Schema.object(["down": Schema.boolean, "failShare": Schema.number, "delayMs": Schema.integer, "reportDelayMs": Schema.integer]),
                    responses: [200: ("The new behaviour", Schema.anyObject), 400: ("A value out of range", nil)])
    }

    @Sendable func send(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let behaviour = await self.gateway.behaviour
        if behaviour.delayMs > 0 { try await Task.sleep(for: .milliseconds(behaviour.delayMs)) }
        if behaviour.down {
            await self.gateway.countDown()
            return Self.json(.serviceUnavailable, #"{"error":"Service unavailable"}"#)
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let send = try? JSONDecoder().decode(ESMS.SendRequest.self, from: Data(body.readableBytesView)) else {
            // What eSMS answers a request it cannot read.
            return Self.json(.badRequest, #"{"error":"Invalid request"}"#)
        }
        let answer = await self.gateway.accept(send, at: Date())
        if answer.CodeResult == ESMS.ResultCode.accepted.rawValue, let smsID = answer.SMSID {
            self.reports.schedule(smsID, after: behaviour.reportDelayMs)
        }
        return Self.json(.ok, String(decoding: try JSONEncoder().encode(answer), as: UTF8.self))
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let limit = try request.integerQuery("limit", default: 100, range: 0...100_000)
        let listing = await self.gateway.list(phone: request.uri.queryParameters["phone"].map(String.init),
                                              requestID: request.uri.queryParameters["requestId"].map(String.init), limit: limit)
        return Self.json(.ok, String(decoding: try JSONEncoder.motcua.encode(listing), as: UTF8.self))
    }

    @Sendable func reset(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        await self.gateway.reset()
        return Response(status: .noContent)
    }

    @Sendable func behaviour(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        Self.json(.ok, String(decoding: try JSONEncoder.motcua.encode(await self.gateway.behaviour), as: UTF8.self))
    }

    @Sendable func control(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        struct Change: Decodable { var down: Bool?; var failShare: Double?; var delayMs: Int?; var reportDelayMs: Int? }
        let change = try await request.decodeJSON(as: Change.self)
        var behaviour = await self.gateway.behaviour
        var issues: [FieldIssue] = []
        if let down = change.down { behaviour.down = down }
        if let share = change.failShare {
            if (0...1).contains(share) { behaviour.failShare = share } else {
                issues.append(FieldIssue(field: "failShare", code: "range", vi: "failShare từ 0 đến 1.", en: "failShare is between 0 and 1."))
            }
        }
        if let delay = change.delayMs {
            if (0...60_000).contains(delay) { behaviour.delayMs = delay } else {
                issues.append(FieldIssue(field: "delayMs", code: "range", vi: "delayMs từ 0 đến 60000.", en: "delayMs is between 0 and 60000."))
            }
        }
        if let delay = change.reportDelayMs {
            if (0...600_000).contains(delay) { behaviour.reportDelayMs = delay } else {
                issues.append(FieldIssue(field: "reportDelayMs", code: "range", vi: "reportDelayMs từ 0 đến 600000.",
                                         en: "reportDelayMs is between 0 and 600000."))
            }
        }
        guard issues.isEmpty else {
            var problem = Problem.badRequest("The gateway's behaviour was not changed: \(issues.map(\.en).joined(separator: " "))")
            problem.errors = issues
            throw problem
        }
        await self.gateway.set(behaviour)
        return Self.json(.ok, String(decoding: try JSONEncoder.motcua.encode(behaviour), as: UTF8.self))
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
