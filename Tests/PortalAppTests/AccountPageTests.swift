import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import PortalApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Portal accounts: registration, phone codes, sign-in, lock-out, reset, CSRF, language")
struct AccountPageTests {
    @Test func aCitizenRegistersConfirmsThePhoneAndSeesTheAccount() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            let form = try await browser.get("/register")
            #expect(form.status == .ok)
            #expect(form.html.contains("<label for=\"f-phone\">Số điện thoại di động</label>"))
            let registered = try await browser.post("/register", ["fullName": "Nguyễn Thị Lan", "phone": "+84 912 345 678",
                                                                  "citizenId": "091095000123", "password": "mật khẩu dài"], from: form)
            #expect(registered.status == .seeOther)
            #expect(registered.location == "/verify")
            let sent = try #require(fixture.codes.last(to: "0912345678"))
            #expect(sent.purpose == .verifyPhone)
            #expect(sent.code.count == 6)

            // Not confirmed yet: the account page sends the person back to the code.
            #expect(try await browser.get("/account").location == "/verify")
            let verify = try await browser.get("/verify")
            #expect(verify.html.contains("••••••5678"))
            let wrongCode = sent.code == "000000" ? "111111" : "000000"
            let wrong = try await browser.post("/verify", ["code": wrongCode], from: verify)
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.error("code") == "Mã xác thực không đúng. Còn 4 lần thử.")
            #expect(wrong.html.contains("aria-invalid=\"true\""))
            // The list at the top says what is wrong and leads to the field; the code typed is not sent back.
            #expect(wrong.html.contains("<h2>Có lỗi cần sửa</h2>") && wrong.html.contains("<a href=\"#f-code\">Mã xác thực không đúng"))
            #expect(!wrong.html.contains("value=\"\(wrongCode)\""))
            // Sending a new code is a form of its own on the same page.
            #expect(wrong.html.contains("<input type=\"hidden\" name=\"resend\" value=\"1\">"))

            let right = try await browser.post("/verify", ["code": sent.code], from: verify)
            #expect(right.location == "/account?verified=1")
            let account = try await browser.get("/account?verified=1")
            #expect(account.status == .ok)
            #expect(account.html.contains("Nguyễn Thị Lan"))
            #expect(account.html.contains("0912345678"))
            #expect(account.html.contains("Số điện thoại đã được xác thực."))
            // A spent code cannot be used twice.
            #expect(try await browser.post("/verify", ["code": sent.code], from: verify).location == "/account")
        }
    }

    @Test func badRegistrationShowsEachErrorNextToItsFieldAndStoresNothing() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            let form = try await browser.get("/register")
            let bad = try await browser.post("/register", ["fullName": " ", "phone": "0212345678", "citizenId": "12345",
                                                           "password": "short", "email": "lan@"], from: form)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.error("phone")?.hasPrefix("Số điện thoại di động phải có 10 chữ số") == true)
            #expect(bad.error("citizenId") == "Số định danh cá nhân (CCCD) gồm đúng 12 chữ số.")
            #expect(bad.error("fullName") == "Nhập họ và tên.")
            #expect(bad.error("password") == "Mật khẩu cần ít nhất 8 ký tự.")
            #expect(bad.error("email")?.hasPrefix("Địa chỉ thư điện tử không hợp lệ") == true)
            // What was typed comes back, except the password; the summary links to the fields.
            #expect(bad.html.contains("value=\"0212345678\""))
            #expect(!bad.html.contains("value=\"short\""))
            #expect(bad.html.contains("<a href=\"#f-citizenId\">"))
            #expect(fixture.codes.all.isEmpty)
            #expect(browser.cookie(Visitors.sessionCookie) == nil)

            // In English, the same errors in English.
            _ = try await browser.get("/lang/en?back=/register")
            let english = try await browser.post("/register", ["fullName": "Lan", "phone": "12", "citizenId": "091095000123", "password": "long enough"],
                                                 from: form)
            #expect(english.error("phone")?.hasPrefix("A mobile number has 10 digits") == true)
            #expect(english.html.contains("<html lang=\"en\">"))

            // The same phone registers once; a second try names the way out.
            let good = ["fullName": "Lan", "phone": "0912345678", "citizenId": "091095000123", "password": "long enough"]
            #expect(try await browser.post("/register", good, from: form).location == "/verify")
            let other = PortalBrowser(browser.client)
            let twice = try await other.post("/register", good.merging(["citizenId": "091095000999"]) { $1 })
            #expect(twice.status == .unprocessableContent)
            #expect(twice.error("phone") == "Số điện thoại hoặc số định danh này đã có tài khoản. Hãy đăng nhập hoặc lấy lại mật khẩu.")
            #expect(other.cookie(Visitors.sessionCookie) == nil)
        }
    }

    @Test func aFormWithoutItsCSRFFieldIsRefusedAndChangesNothing() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            try await fixture.citizen(browser)
            let session = browser.cookie(Visitors.sessionCookie)
            let forged = try await browser.post("/logout", [:], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(forged.html.contains("Biểu mẫu đã hết hạn hoặc không hợp lệ"))
            #expect(browser.cookie(Visitors.sessionCookie) == session)
            #expect(try await browser.get("/account").status == .ok)

            // Another browser's token does not fit this browser's nonce.
            let stranger = PortalBrowser(browser.client)
            let theirs = try #require(try await stranger.get("/login").csrf)
            let crossed = try await browser.post("/logout", [:], csrf: theirs)
            #expect(crossed.status == .forbidden)

            let signedOut = try await browser.post("/logout", [:], from: try await browser.get("/account"))
            #expect(signedOut.location == "/")
            #expect(browser.cookie(Visitors.sessionCookie) == nil)
            // The old session token no longer signs anyone in.
            browser.setCookie(Visitors.sessionCookie, session)
            #expect(try await browser.get("/account").location == "/login?next=%2Faccount")
        }
    }

    @Test func cookiesAreHttpOnlyAndSameSiteAndSecureBehindHTTPS() async throws {
        let plain = PortalFixture()
        try await plain.run { browser, _ in
            let page = try await browser.get("/login")
            let cookie = try #require(page.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))
        }
        let https = PortalFixture(environment: ["PORTAL_PUBLIC_URL": "https://dichvucong.kiengiang.gov.vn"])
        try await https.run { browser, _ in
            let cookie = try #require(try await browser.get("/login").headers[.setCookie])
            #expect(cookie.contains("Secure"))
        }
    }

    @Test func fiveWrongPasswordsLockTheAccountForFifteenMinutes() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            try await fixture.citizen(browser, password: "đúng mật khẩu")
            _ = try await browser.post("/logout", [:], from: try await browser.get("/account"))
            let form = try await browser.get("/login")
            for attempt in 1...4 {
                let wrong = try await browser.post("/login", ["phone": "0912345678", "password": "sai \(attempt)"], from: form)
                #expect(wrong.status == .unauthorized)
                #expect(wrong.error("phone") == "Số điện thoại hoặc mật khẩu không đúng.")
            }
            let fifth = try await browser.post("/login", ["phone": "0912345678", "password": "sai 5"], from: form)
            #expect(fifth.status == .forbidden)
            #expect(fifth.error("phone")?.hasPrefix("Tài khoản tạm khóa") == true)
            // Locked: even the right password is refused, and no session is made.
            #expect(try await browser.post("/login", ["phone": "0912345678", "password": "đúng mật khẩu"], from: form).status == .forbidden)
            #expect(browser.cookie(Visitors.sessionCookie) == nil)
            // An unknown phone looks the same as a wrong password.
            #expect(try await browser.post("/login", ["phone": "0987654321", "password": "x"], from: form).error("phone")
                == "Số điện thoại hoặc mật khẩu không đúng.")

            fixture.clock.advance(15 * 60 + 1)
            let signedIn = try await browser.post("/login", ["phone": "0912345678", "password": "đúng mật khẩu", "next": "/account"], from: form)
            #expect(signedIn.location == "/account")
            #expect(try await browser.get("/account").html.contains("Nguyễn Thị Lan"))
        }
    }

    @Test func signInGoesOnlyToAPathOnThisSite() async throws {
        #expect(SignInPages.safeNext("/account") == "/account")
        #expect(SignInPages.safeNext("//evil.example/x") == "/account")
        #expect(SignInPages.safeNext("https://evil.example") == "/account")
        #expect(SignInPages.safeNext("/\\evil.example") == "/account")
        #expect(SignInPages.safeNext(nil) == "/account")
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            let offSite = try await browser.get("/lang/en?back=//evil.example")
            let unknown = try await browser.get("/lang/xx?back=/login")
            #expect(offSite.location == "/")
            #expect(unknown.location == "/")
        }
    }

    @Test func anUnconfirmedAccountSigningInIsSentANewCode() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            let form = try await browser.get("/register")
            _ = try await browser.post("/register", ["fullName": "Lan", "phone": "0912345678", "citizenId": "091095000123", "password": "long enough"],
                                       from: form)
            let other = PortalBrowser(browser.client)
            fixture.clock.advance(61)
            let signIn = try await other.post("/login", ["phone": "0912345678", "password": "long enough"])
            #expect(signIn.location == "/verify?sent=yes")
            #expect(fixture.codes.all.count == 2)
            #expect(try await other.get("/verify?sent=yes").html.contains("Đã gửi mã mới"))
            // Asking again within the minute sends nothing.
            let again = try await other.post("/verify", ["resend": "1"], from: try await other.get("/verify"))
            #expect(again.location == "/verify?sent=soon")
            #expect(fixture.codes.all.count == 2)
        }
    }

    @Test func whenTheSMSCannotBeSentTheAccountStandsAndTheCodeCanBeAskedForAgain() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            fixture.codes.failing.withLock { $0 = true }
            let registered = try await browser.post("/register", ["fullName": "Lan", "phone": "0912345678", "citizenId": "091095000123",
                                                                  "password": "long enough"])
            #expect(registered.location == "/verify?sent=failed")
            #expect(try await browser.get("/verify?sent=failed").html.contains("Hiện chưa gửi được tin nhắn"))
            fixture.codes.failing.withLock { $0 = false }
            // No minute's wait: the failed code was withdrawn.
            let resend = try await browser.post("/verify", ["resend": "1"], from: try await browser.get("/verify"))
            #expect(resend.location == "/verify?sent=yes")
            let code = try #require(fixture.codes.last(to: "0912345678")).code
            #expect(try await browser.post("/verify", ["code": code]).location == "/account?verified=1")
        }
    }

    @Test func aCodeExpiresAfterFiveMinutesAndDiesAfterFiveWrongTries() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            _ = try await browser.post("/register", ["fullName": "Lan", "phone": "0912345678", "citizenId": "091095000123", "password": "long enough"])
            let code = try #require(fixture.codes.last(to: "0912345678")).code
            fixture.clock.advance(5 * 60 + 1)
            let late = try await browser.post("/verify", ["code": code])
            #expect(late.error("code") == "Mã đã hết hạn hoặc đã dùng hết số lần thử. Hãy yêu cầu mã mới.")

            _ = try await browser.post("/verify", ["resend": "1"])
            let fresh = try #require(fixture.codes.last(to: "0912345678")).code
            let wrong = fresh == "123456" ? "654321" : "123456"
            for _ in 1...5 { _ = try await browser.post("/verify", ["code": wrong]) }
            #expect(try await browser.post("/verify", ["code": fresh]).error("code")?.hasPrefix("Mã đã hết hạn") == true)
        }
    }

    @Test func aForgottenPasswordIsResetWithAnSMSCodeAndOldSessionsEnd() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            try await fixture.citizen(browser, password: "mật khẩu cũ")
            let phone = PortalBrowser(browser.client)
            let forgot = try await phone.post("/password/forgot", ["phone": "091 234 5678"])
            #expect(forgot.location == "/password/reset?phone=0912345678")
            let sent = try #require(fixture.codes.last(to: "0912345678"))
            #expect(sent.purpose == .resetPassword)
            // An unknown phone gets the same answer and no SMS.
            #expect(try await phone.post("/password/forgot", ["phone": "0987654321"]).location == "/password/reset?phone=0987654321")
            #expect(fixture.codes.all.count == 2)

            let short = try await phone.post("/password/reset", ["phone": "0912345678", "code": sent.code, "password": "ngắn"])
            #expect(short.error("password") == "Mật khẩu cần ít nhất 8 ký tự.")
            let reset = try await phone.post("/password/reset", ["phone": "0912345678", "code": sent.code, "password": "mật khẩu mới"])
            #expect(reset.location == "/login?reset=1")
            #expect(try await phone.get("/login?reset=1").html.contains("Đã đổi mật khẩu"))
            // The browser signed in before the reset is signed out.
            #expect(try await browser.get("/account").location == "/login?next=%2Faccount")
            #expect(try await phone.post("/login", ["phone": "0912345678", "password": "mật khẩu cũ"]).status == .unauthorized)
            #expect(try await phone.post("/login", ["phone": "0912345678", "password": "mật khẩu mới"]).location == "/account")
        }
    }

    @Test func theLanguageToggleIsRememberedAndEveryAccountPageHasBothLanguages() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            let vietnamese = try await browser.get("/login")
            #expect(vietnamese.html.contains("<html lang=\"vi\">"))
            #expect(vietnamese.html.contains("href=\"/lang/en?back=%2Flogin\""))
            let toggled = try await browser.get("/lang/en?back=%2Flogin")
            #expect(toggled.location == "/login")
            #expect(toggled.headers[.setCookie]?.contains("lang=en") == true)
            for path in ["/login", "/register", "/password/forgot", "/password/reset", "/"] {
                let page = try await browser.get(path)
                #expect(page.html.contains("<html lang=\"en\">"), "\(path)")
                #expect(page.html.contains("Kien Giang public service portal"), "\(path)")
            }
            #expect(try await browser.get("/login").html.contains(">Sign in</button>"))
            // The navigation is plain links (a list once came out as SQLKit's query-string description).
            let home = try await browser.get("/")
            #expect(home.html.contains("<li><a href=\"/procedures\">Procedures</a></li>"))
            #expect(home.html.contains("<li><a href=\"/\" aria-current=\"page\">Home</a></li>"))
            #expect(!home.html.contains("SQLQueryString"))
        }
    }

    @Test func tooManyAttemptsFromOneAddressAreRefusedWith429() async throws {
        let fixture = PortalFixture(environment: ["SIGN_IN_ATTEMPTS_PER_MINUTE": "3"])
        try await fixture.run { browser, _ in
            let form = try await browser.get("/login")
            for _ in 1...3 {
                #expect(try await browser.post("/login", ["phone": "0912345678", "password": "x"], from: form).status == .unauthorized)
            }
            let refused = try await browser.post("/login", ["phone": "0912345678", "password": "x"], from: form)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(refused.html.contains("Bạn đã thử quá nhiều lần"))
        }
    }

    @Test func assetsAreServedByThePortalWithLongCaching() async throws {
        let fixture = PortalFixture()
        try await fixture.run { browser, _ in
            let page = try await browser.get("/login")
            let css = try #require(page.capture(#"href="(/assets/site\.[0-9a-f]+\.css)""#))
            let sheet = try await browser.get(css)
            #expect(sheet.status == .ok)
            #expect(sheet.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(sheet.html.contains(":focus-visible"))
            let etag = try #require(sheet.headers[.eTag])
            #expect(try await browser.get(css, headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(!page.html.contains("http://") && !page.html.contains("https://"))
        }
    }

    @Test func theDemoPeopleCanSignInWhenDemoDataIsAsked() async throws {
        let fixture = PortalFixture(environment: ["DEMO_DATA": "handwritten"])
        try await fixture.run { browser, _ in
            #expect(try await browser.post("/login", ["phone": "0912345678", "password": DemoAccounts.password]).location == "/account")
            #expect(try await browser.get("/account").html.contains("Nguyễn Văn An"))
            let officer = PortalBrowser(browser.client)
            _ = try await officer.post("/login", ["phone": "0911000001", "password": DemoAccounts.password])
            let account = try await officer.get("/account")
            #expect(account.html.contains("000.55.01.H33"))
            // Staff are offered the console where they work; a citizen is not.
            #expect(account.html.contains(#">Bàn làm việc cán bộ</a>"#) && account.html.contains(":8085"))
            #expect(!(try await browser.get("/account").html.contains("Bàn làm việc cán bộ")))
        }
        // Without DEMO_DATA there is no one.
        try await PortalFixture().run { browser, _ in
            let refused = try await browser.post("/login", ["phone": "0912345678", "password": DemoAccounts.password])
            #expect(refused.status == .unauthorized)
        }
    }
}
