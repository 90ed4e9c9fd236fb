import AsyncHTTPClient
import Contracts
import Foundation
import Logging

/// Sends the bank's signed notification (IPN) to the merchant as a GET, as VNPay does: again while the merchant does
/// not answer, answers with an error, or answers 99 (up to `attempts` times, backing off to 10 s), and stops on any
/// other RspCode. With `repeats`, the answered IPN is sent that many more times (a merchant must settle it once).
struct IPNSender: Sendable {
    let gateway: BankGateway
    /// The merchant's IPN URL, looked up at each send (the payments service, found through discovery, by default).
    let ipnURL: @Sendable () async throws -> String
    let logger: Logger
    var attempts = 20

    /// Sends until answered; the merchant's RspCode, nil when it never answered.
    @discardableResult
    func deliver(_ parameters: [String: String], delayMs: Int, repeats: Int) async -> String? {
        if delayMs > 0 { try? await Task.sleep(for: .milliseconds(delayMs)) }
        var answer: String?
        for attempt in 1...self.attempts {
            answer = await self.send(parameters)
            if let code = answer, code != VNPay.IPNAnswer.unknownError.RspCode { break }
            guard attempt < self.attempts else { break }
            try? await Task.sleep(for: .milliseconds(min(250 << min(attempt, 6), 10_000)))
        }
        for _ in 0..<repeats { _ = await self.send(parameters) }
        if answer == nil {
            self.logger.warning("IPN given up", metadata: ["txnRef": .string(parameters["vnp_TxnRef"] ?? "")])
        }
        return answer
    }

    /// One attempt: the merchant's RspCode, nil when it did not answer with one.
    func send(_ parameters: [String: String]) async -> String? {
        let reference = parameters["vnp_TxnRef"] ?? ""
        var code: String?
        do {
            let url: String
            if let chosen = await self.gateway.behaviour.ipnUrl { url = chosen } else { url = try await self.ipnURL() }
            let query = VNPay.signingString(parameters) + "&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=" + (parameters["vnp_SecureHash"] ?? "")
            let response = try await ReportPoster.client.execute(HTTPClientRequest(url: url + "?" + query), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 64 * 1024)
            if response.status == .ok {
                code = (try? JSONDecoder().decode(VNPay.IPNAnswer.self, from: Data(body.readableBytesView)))?.RspCode
            }
        } catch {
            self.logger.debug("IPN not answered", metadata: ["txnRef": .string(reference), "error": .string("\(error)")])
        }
        await self.gateway.recordIPN(reference, answer: code)
        return code
    }
}
