import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import NotificationsApp
import SandboxApp
import ServiceKit
import ServiceTesting
import Testing

/// The SMS channel against the sandbox's gateway on a real port: each answer the gateway can give becomes the
/// outcome the queue acts on.
@Suite("SMS through an eSMS-shaped gateway over HTTP")
struct ESMSChannelTests {
    static func channel(_ url: String, apiKey: String = SandboxDefaults.smsAPIKey) -> ESMSChannel {
        ESMSChannel(http: ESMSChannel.client, gatewayURL: { url }, account: ESMSChannel.Account(
            apiKey: apiKey, secretKey: SandboxDefaults.smsSecretKey, brandname: SandboxDefaults.smsBrandname, unicode: false
        ), callback: SMSCallback(baseURL: "http://127.0.0.1:1", secret: "s"))
    }

    static func message(_ id: String, to phone: String) -> DeliveryQueue.Claimed {
        DeliveryQueue.Claimed(id: id, channel: "sms", recipient: phone, subject: nil, body: "Ho so 000.55.01.H33-261129-0001 da co ket qua.",
                              html: nil, attempts: 0, urgent: 0, give_up_at: nil)
    }

    @Test func eachAnswerOfTheGatewayBecomesAnOutcomeAndASecondSendIsNotASecondSMS() async throws {
        let sandbox = try await buildSandboxApplication(ServiceSettings.testing(name: "sandbox"))
        try await sandbox.test(.live) { gateway in
            let url = "http://127.0.0.1:\(try #require(gateway.port))"
            let channel = Self.channel(url)
            guard case .accepted(let smsID?, let detail) = await channel.hand(Self.message("m-1", to: "0912345678")) else {
                Issue.record("a good send is accepted with the gateway's SMSID")
                return
            }
            #expect(detail == "CodeResult 100")
            // The same message again (a sender that died after the gateway took it): accepted, not sent twice.
            guard case .accepted(nil, let again) = await channel.hand(Self.message("m-1", to: "0912345678")) else {
                Issue.record("a repeated RequestId counts as accepted")
                return
            }
            #expect(again.contains("124") && again.contains("already had it"))
            try await gateway.execute(uri: "/sms/messages?requestId=m-1", method: .get) { response in
                let listing = jsonObject(response)
                #expect(listing?["total"] as? Int == 1)
                #expect((listing?["items"] as? [[String: Any]])?.first?["smsId"] as? String == smsID)
            }
            // Our account is wrong: tried again later. A number the gateway cannot send to: never.
            guard case .failed(let keys) = await Self.channel(url, apiKey: "wrong").hand(Self.message("m-2", to: "0912345678")) else {
                Issue.record("wrong keys are retried")
                return
            }
            #expect(keys.contains("101"))
            guard case .refused(let number) = await channel.hand(Self.message("m-3", to: "12345")) else {
                Issue.record("a bad number is refused for good")
                return
            }
            #expect(number.contains("108"))
            // Down, or not there at all: tried again later.
            try await gateway.execute(uri: "/sms/control", method: .post, headers: [.contentType: "application/json"],
                                      body: ByteBuffer(string: #"{"down":true}"#)) { #expect($0.status == .ok) }
            guard case .failed(let down) = await channel.hand(Self.message("m-4", to: "0912345678")) else {
                Issue.record("a gateway that is down is retried")
                return
            }
            #expect(down.contains("503"))
            guard case .failed(let gone) = await Self.channel("http://127.0.0.1:1").hand(Self.message("m-5", to: "0912345678")) else {
                Issue.record("a gateway that cannot be reached is retried")
                return
            }
            #expect(gone.contains("could not be reached"))
        }
    }
}
