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
        let behaviour = self.gateway.behaviour
        if behaviour.delayMs > 0 { try await Task.sleep(for: .milliseconds(behaviour.delayMs)) }
        if behaviour.down {
            self.gateway.countDown()
            return Self.json(.serviceUnavailable, #"{"error":"Service unavailable"}"#)
        }
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let send = try? JSONDecoder().decode(ESMS.SendRequest.self, from: Data(body.readableBytesView)) else {
            // What eSMS answers a request it cannot read.
            return Self.json(.badRequest, #"{"error":"Invalid request"}"#)
        }
        return try self.gateway.accept(send, at: Date()).response(from: request, context: context)
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> SMSGateway.Listing {
        let limit = try request.integerQuery("limit", default: 100, range: 0...100_000)
        return self.gateway.list(phone: request.query("phone"), requestID: request.query("requestId"), limit: limit)
    }

    @Sendable func reset(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        self.gateway.reset()
        return Response(status: .noContent)
    }

    @Sendable func behaviour(_ request: Request, context: ServiceRequestContext) async throws -> SMSGateway.Behaviour {
        self.gateway.behaviour
    }

    @Sendable func control(_ request: Request, context: ServiceRequestContext) async throws -> SMSGateway.Behaviour {
        struct Change: Decodable { var down: Bool?; var failShare: Double?; var delayMs: Int?; var reportDelayMs: Int? }
        let change = try await request.decodeJSON(as: Change.self)
        var behaviour = self.gateway.behaviour
        var issues: [FieldIssue] = []
        /// The value when it is within range; else nil and an issue naming the field.
        func checked<T: Comparable>(_ value: T?, _ range: ClosedRange<T>, _ field: String) -> T? {
            guard let value else { return nil }
            guard range.contains(value) else {
                issues.append(FieldIssue(field: field, code: "range", vi: "\(field) từ \(range.lowerBound) đến \(range.upperBound).",
                                         en: "\(field) is between \(range.lowerBound) and \(range.upperBound)."))
                return nil
            }
            return value
        }
        if let down = change.down { behaviour.down = down }
        if let share = checked(change.failShare, 0...1, "failShare") { behaviour.failShare = share }
        if let delay = checked(change.delayMs, 0...60_000, "delayMs") { behaviour.delayMs = delay }
        if let delay = checked(change.reportDelayMs, 0...600_000, "reportDelayMs") { behaviour.reportDelayMs = delay }
        guard issues.isEmpty else {
            throw Problem.badRequest("The gateway's behaviour was not changed: \(issues.map(\.en).joined(separator: " "))", errors: issues)
        }
        self.gateway.set(behaviour)
        return behaviour
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension SMSGateway.Behaviour: ResponseEncodable {}
extension SMSGateway.Listing: ResponseEncodable {}
extension ESMS.SendResponse: ResponseEncodable {}
