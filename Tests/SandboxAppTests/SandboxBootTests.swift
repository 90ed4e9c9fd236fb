import ServiceKit
import ServiceTesting
@testable import SandboxApp
import Testing

@Test("sandbox is ready, describes itself and announces its start")
func sandboxBoots() async throws {
    let settings = ServiceSettings.testing(name: "sandbox")
    let report = try await BootReport.collect(try await buildSandboxApplication(settings), settings: settings)
    #expect(report.unmet(title: "MotCua sandbox") == [])
}

@Test("the sandbox's message lists answer on loopback only, unless opened")
func sandboxListsAreLoopbackOnly() throws {
    #expect(LoopbackOnly.isLocal("127.0.0.1"))
    #expect(LoopbackOnly.isLocal("::1"))
    #expect(LoopbackOnly.isLocal("::ffff:127.0.0.1"))
    #expect(!LoopbackOnly.isLocal("10.20.0.7"))
    #expect(!LoopbackOnly.isLocal("172.18.0.3"))
    #expect(try LoopbackOnly(settings: .testing(name: "sandbox")).open == false)
    #expect(try LoopbackOnly(settings: .testing(name: "sandbox", environment: ["SANDBOX_LISTS": "open"])).open)
    #expect(throws: ConfigurationError.self) { try LoopbackOnly(settings: .testing(name: "sandbox", environment: ["SANDBOX_LISTS": "yes"])) }
}

@Test("production refuses the sandbox as a partner's gateway")
func productionRefusesASandboxGateway() throws {
    var settings = ServiceSettings.testing(name: "notifications", environment: ["SMS_GATEWAY_URL": "http://sandbox:8090"])
    settings.production = true
    do {
        _ = try settings.gatewayURL("SMS_GATEWAY_URL")
        Issue.record("the sandbox was accepted as the SMS gateway in production")
    } catch {
        #expect(error.description.contains("SMS_GATEWAY_URL='http://sandbox:8090' is not valid"))
    }
    settings.environment["SMS_GATEWAY_URL"] = "https://rest.esms.vn"
    #expect(try settings.gatewayURL("SMS_GATEWAY_URL") == "https://rest.esms.vn")
    settings.environment["SMS_GATEWAY_URL"] = nil
    #expect(throws: ConfigurationError.missing("SMS_GATEWAY_URL")) { try settings.gatewayURL("SMS_GATEWAY_URL") }
}

@Test("a name that only begins like a loopback address is not one")
func loopbackMeansThisMachine() {
    #expect(!LoopbackOnly.isLocal("127.0.0.1.evil.example"))
    #expect(!LoopbackOnly.isLocal("::ffff:10.0.0.1"))
    #expect(LoopbackOnly.isLocal("127.8.9.10"))
    #expect(LoopbackOnly.isLocal(nil))
}
