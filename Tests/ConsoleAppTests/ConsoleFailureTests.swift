@testable import ConsoleApp
import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PortalApp
import ServiceKit
import ServiceTesting
import Testing

/// What an officer meets when something is wrong: the fifteen-minute token ending mid-shift, the portal or
/// single-window not answering, an address that names nothing, a dossier changed by someone else meanwhile.
@Suite("Staff console: failure paths")
struct ConsoleFailureTests {
    static let dead = "http://127.0.0.1:9"

    @Test func anExpiredAccessTokenIsRenewedAtThePortalAndARefusedRenewalEndsTheSession() async throws {
        try await ConsolePlatform.run { platform in
            try await platform.signIn()
            // Twenty minutes on, past the fifteen-minute token: the console renews it and the page is served.
            platform.clock.advance(20 * 60)
            #expect(try await platform.browser.get("/queues/online").status == .ok)
            // The portal does not answer the next renewal: a page that says so (503, try again), not an error, and
            // the session is still there once it answers again.
            platform.clock.advance(20 * 60)
            try await platform.replica(reaching: [Topology.portal: Self.dead]) { browser in
                let page = try await browser.get("/queues/online")
                #expect(page.status == .serviceUnavailable && page.headers[.retryAfter] == "30")
                #expect(page.html.contains("tạm thời không trả lời") && page.html.contains("Không có gì bị thay đổi"))
            }
            #expect(try await platform.browser.get("/queues/online").status == .ok)
            // A portal that refuses the refresh token (signed out elsewhere, the account disabled): the session ends
            // and the officer is asked to sign in again, here and on every instance.
            platform.clock.advance(20 * 60)
            let stranger = ServiceSettings.testing(name: "portal", environment: ["BCRYPT_COST": "4"])
            try await buildPortalApplication(stranger).test(.live) { other in
                try await platform.replica(reaching: [Topology.portal: "http://127.0.0.1:\(try #require(other.port))"]) { browser in
                    let page = try await browser.get("/queues/online")
                    #expect(page.status == .seeOther && page.location == "/login?next=%2Fqueues%2Fonline")
                    #expect(browser.cookie("motcua_staff") == nil)
                }
            }
            #expect(try await platform.browser.get("/queues/online").location == "/login?next=%2Fqueues%2Fonline")
        }
    }

    @Test func pagesOpenedTogetherAsTheTokenEndsRenewItOnceAndTheSessionGoesOn() async throws {
        try await ConsolePlatform.run { platform in
            try await platform.signIn()
            // Twenty minutes on, five tabs reload at once: one renews at the portal, the others wait for its tokens.
            // Each showing the same refresh token would end the sign-in at the portal (a token seen twice is stolen).
            platform.clock.advance(20 * 60)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<5 { group.addTask { try await platform.browser.get("/queues/online").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .ok, count: 5))
            // And the next renewal, twenty minutes later, still works: the family was not ended.
            platform.clock.advance(20 * 60)
            #expect(try await platform.browser.get("/queues/online").status == .ok)
        }
    }

    @Test func renewalsCountAgainstEachOfficersAddressAndPastTheLimitTheOfficerIsToldHowLongToWait() async throws {
        try await ConsolePlatform.run(portalEnvironment: ["SIGN_IN_ATTEMPTS_PER_MINUTE": "2"]) { platform in
            try await platform.signIn()
            // Someone at the console server's own address uses up its tries at the portal.
            let guess = ByteBuffer(string: #"{"grantType":"password","phone":"0911000001","password":"wrong"}"#)
            var answers: [HTTPResponse.Status] = []
            for _ in 0..<3 {
                answers.append(try await platform.portal.execute(uri: "/api/v1/token", method: .post, headers: [.contentType: "application/json"],
                                                                 body: guess) { $0.status })
            }
            #expect(answers.last == .tooManyRequests)
            // The officer's token is renewed in the name of the officer's own address, not the console's: the page is served.
            platform.clock.advance(20 * 60)
            #expect(try await platform.browser.get("/queues/online").status == .ok)
            // The officer's own address past its limit: the sign-in page says, in Vietnamese, how long to wait.
            _ = try await platform.browser.post("/logout", [:], from: try await platform.browser.get("/queues/online"))
            let refused = try await platform.signIn()
            #expect(refused.status == .tooManyRequests)
            #expect(refused.html.contains("Có quá nhiều lần đăng nhập từ địa chỉ này; xin thử lại sau"))
            // The portal's wait, passed on: two tries a minute refill one in at most 30 seconds (the console's own
            // fallback, when the portal says nothing, is 60).
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { $0 > 0 && $0 <= 30 } == true)
            #expect(refused.html.contains("xin thử lại sau \(refused.headers[.retryAfter] ?? "?") giây"))
        }
    }

    @Test func aServiceThatDoesNotAnswerIsSaidSoAndAddressesThatNameNothingAre404() async throws {
        try await ConsolePlatform.run { platform in
            try await platform.signIn()
            try await platform.replica(reaching: [Topology.singleWindow: Self.dead, Topology.documents: Self.dead]) { browser in
                for path in ["/queues/online", "/dossiers/any", "/intake?q=khai+sinh"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .serviceUnavailable, "\(path)")
                    #expect(page.html.contains("tạm thời không trả lời"), "\(path)")
                }
            }
            for path in ["/queues/nonsense", "/dossiers/no-such-dossier", "/intake/9.999999", "/dossiers/no-such-dossier/print/01"] {
                let page = try await platform.browser.get(path)
                #expect(page.status == .notFound, "\(path): \(page.status)")
                #expect(page.html.contains("Không tìm thấy"), "\(path)")
            }
        }
    }

    @Test func theDeliverFormCarriesTheDeliveryItWasDrawnFor() {
        let post = ActionForms.request(.deliver, fields: ["method": "post", "trackingNumber": "EE123456789VN", "version": "7"])
        #expect(post.handover == Handover(method: .post, trackingNumber: "EE123456789VN") && post.expectedVersion == 7)
        // A form without it (forged or old) asks for the counter, and single-window checks the rest.
        #expect(ActionForms.request(.deliver, fields: [:]).handover?.method == .counter)
    }
}
