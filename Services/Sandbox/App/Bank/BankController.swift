import Contracts
import DomainKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// The simulated bank gateway's routes: the payment page a payer approves, declines or cancels on; the signed
/// redirect back and the IPN; the merchant API (`querydr`, `refund`); the daily settlement file; and the switches
/// that make the IPN late, repeated, early or missing.
struct BankController {
    let gateway: BankGateway
    let ipn: IPNSender

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get(RouterPath(VNPay.payPath), use: self.page)
        router.post("/paymentv2/decide", use: self.decide)
        router.post(RouterPath(VNPay.transactionPath), use: self.merchantAPI)
        router.get("/bank/transactions", use: self.list)
        router.delete("/bank/transactions", use: self.reset)
        router.get("/bank/settlement", use: self.settlement)
        router.get("/bank/control", use: self.behaviour)
        router.post("/bank/control", use: self.control)

        openAPI.add("GET", VNPay.payPath, summary: "The payment page for a signed VNPay 2.1.0 pay URL (HTML): approve, decline or cancel", tag: "bank",
                    responses: [200: ("The page, or the refusal with its code", nil), 400: ("Not a signed pay URL", nil), 503: ("Down", nil)],
                    contentType: "text/html")
        openAPI.add("POST", "/paymentv2/decide", summary: "The payer's choice (form: txnRef, decision approve|decline|cancel): the IPN goes to "
                    + "the merchant and the payer is sent back to vnp_ReturnUrl with the signed result", tag: "bank",
                    responses: [303: ("Back to the merchant", nil), 404: ("No such pending payment", nil)])
        openAPI.add("POST", VNPay.transactionPath, summary: "The merchant API: querydr and refund, signed over '|'-joined fields", tag: "bank",
                    responses: [200: ("A signed transaction response", Schema.anyObject), 400: ("Not a transaction request", nil)])
        openAPI.add("GET", "/bank/transactions", summary: "What the bank holds (?limit=), with IPN attempts and answers", tag: "bank",
                    responses: [200: ("Transactions, newest first", Schema.anyObject)])
        openAPI.add("DELETE", "/bank/transactions", summary: "Forget every transaction (tests, demos)", tag: "bank", responses: [204: ("Emptied", nil)])
        openAPI.add("GET", "/bank/settlement", summary: "The settlement file of ?day=yyyy-MM-dd (CSV)", tag: "bank",
                    responses: [200: ("CSV", nil), 400: ("No or bad day", nil)])
        openAPI.add("POST", "/bank/control", summary: "Switches: down, ipnDelayMs, ipnRepeat, ipnBeforeRedirect, dropIpn, ipnUrl (the merchant's IPN URL)", tag: "bank",
                    request: Schema.object(["down": Schema.boolean, "ipnDelayMs": Schema.integer, "ipnRepeat": Schema.integer,
                                            "ipnBeforeRedirect": Schema.boolean, "dropIpn": Schema.boolean, "ipnUrl": Schema.string]),
                    responses: [200: ("The new behaviour", Schema.anyObject), 400: ("A value out of range", nil)])
    }

    @Sendable func page(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        if await self.gateway.behaviour.down { return Self.html(.serviceUnavailable, Self.refusal("503", "Cổng thanh toán đang bảo trì")) }
        guard let parameters = VNPay.parameters(ofQuery: request.uri.query ?? "") else {
            return Self.html(.badRequest, Self.refusal("03", "Tham số không đọc được"))
        }
        switch await self.gateway.open(parameters, at: Date()) {
        case .refused(let code, let reason):
            return Self.html(.badRequest, Self.refusal(code, reason))
        case .open(let transaction):
            return Self.html(.ok, Self.payment(transaction, merchant: self.gateway.merchant.tmnCode))
        }
    }

    @Sendable func decide(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        guard let form = FormEncoding.parameters(of: String(buffer: body)), let reference = form["txnRef"],
              let decision = form["decision"].flatMap(BankGateway.Decision.init(rawValue:)) else {
            throw Problem.badRequest("Send the form: txnRef and decision (approve, decline or cancel).")
        }
        guard let transaction = await self.gateway.decide(reference, decision, at: Date()) else {
            throw Problem.notFound("There is no payment \(reference) waiting for the payer.")
        }
        let result = await self.gateway.result(transaction)
        let behaviour = await self.gateway.behaviour
        if !behaviour.dropIpn {
            if behaviour.ipnBeforeRedirect {
                await self.ipn.deliver(result, delayMs: behaviour.ipnDelayMs, repeats: behaviour.ipnRepeat)
            } else {
                let ipn = self.ipn
                Task { await ipn.deliver(result, delayMs: behaviour.ipnDelayMs, repeats: behaviour.ipnRepeat) }
            }
        }
        let url = transaction.returnURL
        return Response(status: .seeOther, headers: [.location: url + (url.contains("?") ? "&" : "?") + VNPay.signingString(result)
                                                        + "&vnp_SecureHash=" + (result["vnp_SecureHash"] ?? "")])
    }

    @Sendable func merchantAPI(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        if await self.gateway.behaviour.down { return Self.json(.serviceUnavailable, #"{"error":"Service unavailable"}"#) }
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let asked = try? JSONDecoder().decode(VNPay.TransactionRequest.self, from: Data(body.readableBytesView)),
              [VNPay.TransactionRequest.query, VNPay.TransactionRequest.refund].contains(asked.vnp_Command) else {
            return Self.json(.badRequest, #"{"vnp_ResponseCode":"03","vnp_Message":"Invalid request"}"#)
        }
        let answer = await self.gateway.answer(asked, at: Date())
        return Self.json(.ok, String(decoding: try JSONEncoder().encode(answer), as: UTF8.self))
    }

    struct Listing: Codable, Sendable, ResponseEncodable {
        var transactions: [BankGateway.Transaction]
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Listing {
        if let reference = request.query("txnRef") {
            return Listing(transactions: await self.gateway.transaction(reference).map { [$0] } ?? [])
        }
        return Listing(transactions: await self.gateway.list(limit: try request.integerQuery("limit", default: 100, range: 1...100_000)))
    }

    @Sendable func reset(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        await self.gateway.reset()
        return Response(status: .noContent)
    }

    @Sendable func settlement(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        guard let text = request.query("day"), let day = LocalDate(iso: text) else {
            throw Problem.badRequest("Give ?day= the settlement day, such as 2026-03-02.")
        }
        var response = Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: await self.gateway.settlement(day: day))))
        response.headers[.contentDisposition] = "attachment; filename=\"settlement-\(day).csv\""
        return response
    }

    @Sendable func behaviour(_ request: Request, context: ServiceRequestContext) async throws -> BankGateway.Behaviour {
        await self.gateway.behaviour
    }

    @Sendable func control(_ request: Request, context: ServiceRequestContext) async throws -> BankGateway.Behaviour {
        struct Change: Decodable {
            var down: Bool?; var ipnDelayMs: Int?; var ipnRepeat: Int?; var ipnBeforeRedirect: Bool?; var dropIpn: Bool?; var ipnUrl: String?
        }
        let change = try await request.decodeJSON(as: Change.self)
        var behaviour = await self.gateway.behaviour
        if let delay = change.ipnDelayMs {
            guard (0...600_000).contains(delay) else { throw Problem.badRequest("ipnDelayMs is between 0 and 600000.") }
            behaviour.ipnDelayMs = delay
        }
        if let repeats = change.ipnRepeat {
            guard (0...10).contains(repeats) else { throw Problem.badRequest("ipnRepeat is between 0 and 10.") }
            behaviour.ipnRepeat = repeats
        }
        if let down = change.down { behaviour.down = down }
        if let early = change.ipnBeforeRedirect { behaviour.ipnBeforeRedirect = early }
        if let drop = change.dropIpn { behaviour.dropIpn = drop }
        if let url = change.ipnUrl {
            guard url.isEmpty || url.hasPrefix("http://") || url.hasPrefix("https://") else { throw Problem.badRequest("ipnUrl is an http(s) URL, or empty.") }
            behaviour.ipnUrl = url.isEmpty ? nil : url
        }
        await self.gateway.set(behaviour)
        return behaviour
    }

    // MARK: Pages

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: Self.policy],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The pages' one inline style, allowed by its hash; no script.
    private static let policy = SecurityHeadersMiddleware.contentSecurityPolicy(inlineStyle: css, inlineScript: nil)
    private static let style = #"<meta name="viewport" content="width=device-width, initial-scale=1"><style>"# + css + "</style>"
    private static let css = """
        body{font-family:system-ui,sans-serif;max-width:28em;margin:1em auto;\
        padding:0 1em;color:#111}h1{font-size:1.2em;color:#005baa}dl{display:grid;grid-template-columns:auto 1fr;gap:.3em 1em}dt{font-weight:600}\
        button{display:block;width:100%;min-height:3em;margin:.5em 0;font-size:1.05em;border-radius:.4em;border:1px solid #005baa}\
        .ok{background:#005baa;color:#fff}.code{font-family:monospace;overflow-wrap:anywhere}
        """

    static func payment(_ transaction: BankGateway.Transaction, merchant: String) -> String {
        let e = HTMLText.escape
        let form = { (decision: String, label: String, style: String) in
            """
            <form method="post" action="/paymentv2/decide"><input type="hidden" name="txnRef" value="\(e(transaction.txnRef))">\
            <input type="hidden" name="decision" value="\(decision)"><button class="\(style)" name="go" value="\(decision)">\(label)</button></form>
            """
        }
        return """
            <!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng thanh toán (sandbox)</title>\(style)</head><body>
            <h1>Cổng thanh toán VNPAY — môi trường thử nghiệm</h1>
            <dl><dt>Đơn vị</dt><dd>\(e(merchant))</dd><dt>Mã giao dịch</dt><dd class="code">\(e(transaction.txnRef))</dd>
            <dt>Nội dung</dt><dd>\(e(transaction.orderInfo))</dd><dt>Số tiền</dt><dd id="amount"><strong>\(e(transaction.amount.formatted))</strong></dd></dl>
            \(form("approve", "Xác nhận thanh toán", "ok"))\(form("decline", "Ngân hàng từ chối (thử nghiệm)", ""))\(form("cancel", "Hủy giao dịch", ""))
            </body></html>
            """
    }

    static func refusal(_ code: String, _ reason: String) -> String {
        """
        <!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Giao dịch không thành công</title>\(style)</head><body>
        <h1>Giao dịch không thực hiện được</h1><p id="reason">\(HTMLText.escape(reason))</p><p>Mã lỗi: <span class="code" id="code">\(HTMLText.escape(code))</span></p>
        </body></html>
        """
    }
}

extension BankGateway.Behaviour: ResponseEncodable {}
