import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NotificationsApp
@testable import PortalApp
import SandboxApp
import ServiceKit
import ServiceTesting
import Testing

/// The code's real way to the phone: portal → notifications (stored, then sent) → the sandbox's brandname gateway.
@Suite("Portal phone codes through notifications and the SMS gateway")
struct PhoneCodeDeliveryTests {
    @Test func theRegistrationCodeArrivesAsAnSMSAndConfirmsThePhone() async throws {
        let sandbox = try await buildSandboxApplication(ServiceSettings.testing(name: "sandbox"))
        try await sandbox.test(.live) { gateway in
            let gatewayURL = "http://127.0.0.1:\(try #require(gateway.port))"
            let notifications = try await buildNotificationsApplication(ServiceSettings.testing(name: "notifications", environment: [
                "SMS_GATEWAY_URL": gatewayURL,
            ]))
            try await notifications.test(.live) { notificationsClient in
                var settings = ServiceSettings.testing(name: "portal", environment: ["BCRYPT_COST": "4"])
                settings.fixedServiceURLs = [Topology.notifications: "http://127.0.0.1:\(try #require(notificationsClient.port))"]
                try await buildPortalApplication(settings).test(.router) { client in
                    let browser = PortalBrowser(client)
                    let registered = try await browser.post("/register", ["fullName": "Lê Văn Hùng", "phone": "0938000111",
                                                                          "citizenId": "091095000777", "password": "mật khẩu dài"])
                    #expect(registered.location == "/verify")
                    var received: String?
                    for _ in 0..<100 where received == nil {
                        received = try await gateway.execute(uri: "/sms/messages?phone=0938000111", method: .get) { response in
                            (jsonObject(response)?["items"] as? [[String: Any]])?.first?["content"] as? String
                        }
                        if received == nil { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    let sms = try #require(received, "the SMS reached the gateway within 10 seconds")
                    #expect(sms.hasPrefix("Ma xac thuc tai khoan Cong dich vu cong Kien Giang: "))
                    let code = String(try #require(sms.split(separator: ":").last?.split(separator: ".").first).trimmingCharacters(in: .whitespaces))
                    #expect(code.count == 6)
                    #expect(try await browser.post("/verify", ["code": code]).location == "/account?verified=1")
                }
            }
        }
    }

    @Test func withNotificationsDownTheAccountIsKeptAndThePageSaysTheSMSWasNotSent() async throws {
        var settings = ServiceSettings.testing(name: "portal", environment: ["BCRYPT_COST": "4"])
        settings.fixedServiceURLs = [Topology.notifications: "http://127.0.0.1:9"]
        try await buildPortalApplication(settings).test(.router) { client in
            let browser = PortalBrowser(client)
            let registered = try await browser.post("/register", ["fullName": "Lê Văn Hùng", "phone": "0938000111", "citizenId": "091095000777",
                                                                  "password": "mật khẩu dài"])
            #expect(registered.location == "/verify?sent=failed")
            #expect(try await browser.get("/verify?sent=failed").html.contains("Hiện chưa gửi được tin nhắn"))
            // The account stands: the same phone cannot register twice, and the password signs in.
            let again = try await PortalBrowser(client).post("/register", ["fullName": "X", "phone": "0938000111", "citizenId": "091095000778",
                                                                           "password": "mật khẩu dài"])
            #expect(again.error("phone")?.contains("đã có tài khoản") == true)
        }
    }
}
