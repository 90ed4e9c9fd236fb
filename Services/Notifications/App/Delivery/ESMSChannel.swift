import AsyncHTTPClient
import Contracts
import Foundation
import NIOCore
import ServiceKit

/// SMS through a brandname gateway that speaks eSMS's protocol. The message id goes as `RequestId`, so a second
/// hand-over of the same message (after a crash, or a lost answer) is refused by the gateway as a duplicate and
/// counts as accepted; the gateway's result codes become outcomes (`ESMS.ResultCode.outcome`).
struct ESMSChannel: MessageChannel {
    struct Account: Sendable {
        var apiKey: String
        var secretKey: String
        var brandname: String
        /// Whether the brandname route carries UCS-2; when not, messages were composed without diacritics.
        var unicode: Bool
    }

    let http: HTTPClient
    /// The gateway's base URL: set, or the sandbox found through discovery.
    let gatewayURL: @Sendable () async throws -> String
    let account: Account
    let callback: SMSCallback?

    /// One client for the gateway, with enough connections for a busy province; it lives as long as the process.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.timeout.connect = .seconds(3)
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    func hand(_ message: DeliveryQueue.Claimed) async -> DeliveryQueue.Outcome {
        let send = ESMS.SendRequest(apiKey: self.account.apiKey, secretKey: self.account.secretKey, brandname: self.account.brandname,
                                    phone: message.recipient, content: message.body, unicode: self.account.unicode, requestId: message.id,
                                    callbackURL: self.callback?.url(for: message.id))
        do {
            var request = HTTPClientRequest(url: try await self.gatewayURL() + ESMS.sendPath)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: send.json))
            let response = try await self.http.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(response.status.code) else {
                return .failed(detail: "the SMS gateway answered HTTP \(response.status.code)")
            }
            guard let answer = try? JSONDecoder().decode(ESMS.SendResponse.self, from: Data(body.readableBytesView)) else {
                return .failed(detail: "the SMS gateway's answer was not eSMS JSON: \(String(buffer: body).prefix(200))")
            }
            guard let code = ESMS.ResultCode(rawValue: answer.CodeResult) else {
                return .failed(detail: "the SMS gateway answered an unknown code \(answer.CodeResult): \(answer.ErrorMessage ?? "")")
            }
            let said = "CodeResult \(code.rawValue)" + (answer.ErrorMessage.map { ": " + $0 } ?? "")
            switch code.outcome {
            case .accepted:
                return .accepted(providerID: answer.SMSID, detail: code == .duplicateRequestId ? said + " (the gateway already had it)" : said)
            case .refused: return .refused(detail: said)
            case .retry: return .failed(detail: said)
            }
        } catch {
            return .failed(detail: "the SMS gateway could not be reached: \(error)")
        }
    }
}
