import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NotificationsApp
import ServiceKit
import ServiceTesting
import Testing

@Suite("Message templates")
struct TemplateTests {
    /// A notifications service that trusts the tokens of a portal key made for the test (its key set given as a file).
    /// Its senders are off: these tests look at messages as they were stored.
    static func app(_ environment: [String: String] = [:]) async throws -> (some ApplicationProtocol, ServiceSettings) {
        let settings = try await trustingTestTokens(ServiceSettings.testing(name: "notifications", environment: ["SENDERS": "off"].merging(environment) { $1 }))
        return (try await buildNotificationsApplication(settings), settings)
    }

    /// The portal's service token: the one service that posts messages (account codes).
    static func service(_ settings: ServiceSettings) async throws -> HTTPFields {
        let token = try await TokenVerifier(serviceSecret: settings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: "portal", to: "notifications")
        return [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }

    /// An operator's token: messages (which carry one-time codes) are read by admins only.
    static func reader(_ settings: ServiceSettings) async throws -> HTTPFields {
        try await self.person(Identity(subject: "operator-1", roles: [.admin]), settings)
    }

    static func person(_ identity: Identity, _ settings: ServiceSettings) async throws -> HTTPFields {
        let token = try await TokenIssuer.loadOrCreate(settings: settings).token(for: identity)
        return [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }

    static let values = ["code": "000.55.01.H33-261129-0001", "procedure": "Đăng ký kết hôn", "agency": "UBND xã Hòn Tre", "dueDate": "04/12/2026",
                         "lookupUrl": "https://dichvucong.kiengiang.gov.vn/tra-cuu"]

    func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) -> T? {
        try? JSONDecoder.motcua.decode(T.self, from: Data(response.body.readableBytesView))
    }

    @Test func everyApplicantEventHasSMSEmailAndInAppInBothLanguages() async throws {
        let (app, _) = try await Self.app()
        try await app.test(.router) { client in
            let templates = try await client.execute(uri: "/v1/templates", method: .get) { self.decode([MessageTemplate].self, $0) ?? [] }
            let ids = Set(templates.map(\.id))
            for event in ["dossier.received", "dossier.supplement-requested", "dossier.result-ready", "dossier.delivered"] {
                for channel in ["sms", "email", "inApp"] {
                    for language in ["vi", "en"] { #expect(ids.contains("\(event).\(channel).\(language)")) }
                }
            }
            #expect(templates.allSatisfy { $0.version == 1 })
            #expect(templates.filter { $0.channel == .email }.allSatisfy { $0.subject != nil && $0.html != nil })
        }
    }

    @Test func aPreviewFillsTheValuesAndCountsSMSSegments() async throws {
        let (app, _) = try await Self.app()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/templates/dossier.received.email.vi/preview", method: .post,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(TemplatePreviewRequest(values: Self.values)))) { response in
                #expect(response.status == .ok)
                let preview = self.decode(TemplatePreview.self, response)
                #expect(preview?.message.subject == "Hồ sơ 000.55.01.H33-261129-0001 đã được tiếp nhận")
                #expect(preview?.message.body.contains("(Đăng ký kết hôn) đã được UBND xã Hòn Tre tiếp nhận") == true)
                #expect(preview?.message.html?.hasPrefix("<p>Hồ sơ 000.55.01.H33-261129-0001") == true)
                #expect(preview?.sms == nil)
            }
            try await client.execute(uri: "/v1/templates/dossier.received.sms.vi/preview", method: .post,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(TemplatePreviewRequest(values: Self.values)))) { response in
                let preview = self.decode(TemplatePreview.self, response)
                // Written with diacritics, sent without them on a 7-bit brandname route (the default): one GSM-7 SMS.
                #expect(preview?.sms == TemplatePreview.SMS(encoding: .gsm7, units: 79, segments: 1))
                #expect(preview?.message.body == "Ho so 000.55.01.H33-261129-0001 da duoc tiep nhan. Hen tra ket qua: 04/12/2026.")
            }
        }
    }

    @Test func missingValuesAreEachNamedAndAnOverlongSMSIsRefused() async throws {
        let (app, _) = try await Self.app(["SMS_UNICODE": "true", "SMS_MAX_SEGMENTS": "1"])
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/templates/dossier.received.email.en/preview", method: .post,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(TemplatePreviewRequest(values: ["code": "X"])))) { response in
                #expect(response.status == .badRequest)
                #expect(Set(problemOf(response)?.errors?.map(\.field) ?? []) == ["values.procedure", "values.agency", "values.dueDate", "values.lookupUrl"])
            }
            var long = Self.values
            long["dueDate"] = String(repeating: "ngày mai ", count: 10)
            try await client.execute(uri: "/v1/templates/dossier.received.sms.vi/preview", method: .post,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(TemplatePreviewRequest(values: long)))) { response in
                #expect(response.status == .unprocessableContent)
                #expect(problemOf(response)?.errors?.first?.code == "sms.tooLong")
            }
            try await client.execute(uri: "/v1/templates/no.such.template/preview", method: .post,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(TemplatePreviewRequest(values: [:])))) { #expect($0.status == .notFound) }
        }
    }

    @Test func aChangeIsANewVersionAndTheOldOneStaysReadable() async throws {
        let (app, settings) = try await Self.app()
        let service = try await Self.service(settings)
        let headers = try await Self.person(Identity(subject: "admin", roles: [.admin]), settings)
        try await app.test(.router) { client in
            // Only administrators change templates; a service token is not one.
            try await client.execute(uri: "/v1/templates/dossier.received.sms.vi", method: .put, headers: service,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(TemplateUpdate(body: "x")))) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/templates/dossier.received.sms.vi", method: .put, headers: headers,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(TemplateUpdate(body: "  ")))) { #expect($0.status == .unprocessableContent) }
            try await client.execute(uri: "/v1/templates/dossier.received.sms.vi", method: .put, headers: headers,
                                     body: ByteBuffer(bytes: try JSONEncoder().encode(TemplateUpdate(body: "Ho so ((code)) da tiep nhan.")))) { response in
                #expect(self.decode(MessageTemplate.self, response)?.version == 2)
            }
            try await client.execute(uri: "/v1/templates/dossier.received.sms.vi", method: .get) {
                #expect(self.decode(MessageTemplate.self, $0)?.body == "Ho so ((code)) da tiep nhan.")
            }
            try await client.execute(uri: "/v1/templates/dossier.received.sms.vi?version=1", method: .get) {
                #expect(self.decode(MessageTemplate.self, $0)?.body.contains("Hẹn trả kết quả") == true)
            }
            try await client.execute(uri: "/v1/templates/dossier.received.sms.vi?version=9", method: .get) { #expect($0.status == .notFound) }
        }
    }

    @Test func changesAtTheSameMomentEachGetTheirOwnVersionOrAConflictNeverAServerError() async throws {
        let (app, settings) = try await Self.app()
        let headers = try await Self.person(Identity(subject: "admin", roles: [.admin]), settings)
        try await app.test(.router) { client in
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, Int?).self) { group in
                for index in 0..<6 {
                    group.addTask {
                        try await client.execute(uri: "/v1/templates/dossier.delivered.sms.vi", method: .put, headers: headers,
                                                 body: ByteBuffer(bytes: try JSONEncoder().encode(TemplateUpdate(body: "Ban \(index): ((code))")))) {
                            ($0.status, self.decode(MessageTemplate.self, $0)?.version)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.0 == .ok || $0.0 == .conflict })
            let versions = answers.compactMap(\.1).sorted()
            #expect(versions == Array(2..<(2 + versions.count)))
            try await client.execute(uri: "/v1/templates/dossier.delivered.sms.vi", method: .get) {
                #expect(self.decode(MessageTemplate.self, $0)?.version == versions.last)
            }
        }
    }
}
