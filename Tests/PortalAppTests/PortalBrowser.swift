import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PageKit
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Synchronization
import Testing

/// The portal's tests drive it as a browser would (ServiceTesting's `FormBrowser`).
typealias PortalBrowser = FormBrowser
typealias Page = BrowserPage

/// One-time codes as a phone would get them: kept in memory instead of sent (a fake, for these unit tests only).
final class RecordingCodeSender: CodeSending {
    struct Sent: Equatable { let phone: String; let code: String; let purpose: PhoneCodes.Purpose; let language: Language }
    private let sent = Mutex<[Sent]>([])
    /// While true, sending fails as it would with the notifications service down.
    let failing = Mutex(false)

    func send(code: String, id: String, purpose: PhoneCodes.Purpose, to phone: String, language: Language, requestID: String?) async throws {
        if self.failing.withLock({ $0 }) { throw Problem.unavailable("notifications is down") }
        self.sent.withLock { $0.append(Sent(phone: phone, code: code, purpose: purpose, language: language)) }
    }

    var all: [Sent] { self.sent.withLock { $0 } }
    func last(to phone: String) -> Sent? { self.all.last { $0.phone == phone } }
}

/// The portal under test with recorded codes, a movable clock and a quick bcrypt.
struct PortalFixture {
    let clock = TestClock(Date())
    let codes = RecordingCodeSender()
    let settings: ServiceSettings

    init(environment: [String: String] = [:]) {
        self.settings = ServiceSettings.testing(name: "portal", environment: ["BCRYPT_COST": "4"].merging(environment) { $1 })
    }

    func run(_ body: @escaping @Sendable (PortalBrowser, ServiceSettings) async throws -> Void) async throws {
        let settings = self.settings
        let clock = self.clock
        let app = try await buildPortalApplication(settings, clock: { clock.now }, codeSender: self.codes)
        try await app.test(.router) { client in
            try await body(PortalBrowser(client), settings)
        }
    }

    /// Registers and confirms a citizen; the browser is left signed in.
    func citizen(_ browser: PortalBrowser, phone: String = "0912345678", citizenId: String = "091095000123", password: String = "mật khẩu dài")
        async throws {
        let form = try await browser.get("/register")
        _ = try await browser.post("/register", ["fullName": "Nguyễn Thị Lan", "phone": phone, "citizenId": citizenId, "password": password], from: form)
        let code = try #require(self.codes.last(to: phone)).code
        _ = try await browser.post("/verify", ["code": code])
    }
}
