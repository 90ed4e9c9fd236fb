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

struct MessagePage: Decodable { let items: [NotificationView] }

@Suite("Dossier events become messages; the in-app inbox")
struct DossierMessageTests {
    static func payload(_ status: DossierStatus, email: String? = "an@example.vn", account: String? = "citizen-1",
                        supplement: SupplementRequirement? = nil) -> DossierEventPayload {
        DossierEventPayload(dossierId: "d-1", code: "000.55.01.H33-261129-0007", procedureCode: "1.000894", agencyCode: "000.55.01.H33",
                            fromStatus: nil, toStatus: status, applicantPhone: "0912345678", applicantEmail: email,
                            dueAt: LocalDate(year: 2026, month: 12, day: 4)!.instant(minutes: 17 * 60), supplementRequest: supplement,
                            procedureName: "Đăng ký kết hôn", agencyName: "Ủy ban nhân dân xã Hòn Tre", applicantAccount: account)
    }

    func deliver(_ client: some TestClientProtocol, _ envelope: EventEnvelope, settings: ServiceSettings) async throws -> HTTPResponse.Status {
        let token = try await TokenVerifier(serviceSecret: settings.serviceTokenSecret, fetchJWKS: nil).serviceToken(for: envelope.source, to: "notifications")
        return try await client.execute(uri: "/internal/events", method: .post, headers: [.authorization: "Bearer \(token)"],
                                        body: ByteBuffer(bytes: try JSONEncoder.motcua.encode(envelope))) { $0.status }
    }

    func messages(_ client: some TestClientProtocol, settings: ServiceSettings, query: String = "") async throws -> [NotificationView] {
        let reader = try await TemplateTests.reader(settings)
        return try await client.execute(uri: "/v1/notifications?pageSize=200\(query)", method: .get, headers: reader) { response in
            (try? JSONDecoder.motcua.decode(MessagePage.self, from: Data(response.body.readableBytesView)))?.items ?? []
        }
    }

    @Test func aReceivedDossierMeansAnSMSAnEmailAndAnInAppMessageOnceHoweverOftenTheEventArrives() async throws {
        let (app, settings) = try await TemplateTests.app()
        try await app.test(.router) { client in
            let event = try EventEnvelope(type: EventType.dossierReceived, source: "single-window", requestId: "r-1", payload: Self.payload(.received))
            #expect(try await self.deliver(client, event, settings: settings) == .ok)
            #expect(try await self.deliver(client, event, settings: settings) == .accepted)
            let sent = try await self.messages(client, settings: settings)
            #expect(Set(sent.map(\.channel)) == [.sms, .email, .inApp])
            #expect(sent.count == 3)
            let sms = try #require(sent.first { $0.channel == .sms })
            #expect(sms.message.body == "Ho so 000.55.01.H33-261129-0007 da duoc tiep nhan. Hen tra ket qua: 04/12/2026.")
            #expect(sms.status == .created)
            #expect(sms.reference == "000.55.01.H33-261129-0007")
            let email = try #require(sent.first { $0.channel == .email })
            #expect(email.message.subject == "Hồ sơ 000.55.01.H33-261129-0007 đã được tiếp nhận")
            #expect(email.message.body.contains("http://127.0.0.1:8080/tra-cuu?code=000.55.01.H33-261129-0007"))
            #expect(sent.first { $0.channel == .inApp }?.status == .delivered)
        }
    }

    @Test func aSupplementRequestNamesTheDocumentsAndTheDeadline() async throws {
        let (app, settings) = try await TemplateTests.app()
        try await app.test(.router) { client in
            let asked = SupplementRequirement(documents: ["Giấy xác nhận tình trạng hôn nhân"], deadline: LocalDate(year: 2026, month: 12, day: 10)!)
            let event = try EventEnvelope(type: EventType.dossierStatusChanged, source: "single-window", requestId: "r-2",
                                          payload: Self.payload(.supplementRequested, email: nil, account: nil, supplement: asked))
            #expect(try await self.deliver(client, event, settings: settings) == .ok)
            let sent = try await self.messages(client, settings: settings)
            #expect(sent.map(\.channel) == [.sms])
            #expect(sent.first?.message.body.contains("han 10/12/2026") == true)
            // Other status changes (processing started) say nothing to the applicant.
            let quiet = try EventEnvelope(type: EventType.dossierStatusChanged, source: "single-window", requestId: "r-3", payload: Self.payload(.processing))
            #expect(try await self.deliver(client, quiet, settings: settings) == .ok)
            #expect(try await self.messages(client, settings: settings).count == 1)
        }
    }

    @Test func theInboxShowsOnlyTheCallersMessagesAndCountsTheUnread() async throws {
        let (app, settings) = try await TemplateTests.app()
        let citizen = try await TemplateTests.person(Identity(subject: "citizen-1", roles: [.citizen]), settings)
        let other = try await TemplateTests.person(Identity(subject: "citizen-2", roles: [.citizen]), settings)
        try await app.test(.router) { client in
            for (index, type) in [EventType.dossierReceived, EventType.dossierResultReady].enumerated() {
                let event = try EventEnvelope(type: type, source: "single-window", requestId: "r-\(index)", payload: Self.payload(.received))
                #expect(try await self.deliver(client, event, settings: settings) == .ok)
            }
            func inbox(_ headers: HTTPFields) async throws -> InboxMessages? {
                try await client.execute(uri: "/v1/inbox", method: .get, headers: headers) {
                    try? JSONDecoder.motcua.decode(InboxMessages.self, from: Data($0.body.readableBytesView))
                }
            }
            let mine = try #require(try await inbox(citizen))
            #expect(mine.total == 2)
            #expect(mine.unread == 2)
            #expect(try await inbox(other)?.total == 0)
            let first = try #require(mine.items.first)
            try await client.execute(uri: "/v1/inbox/\(first.id)/read", method: .post, headers: other) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/v1/inbox/\(first.id)/read", method: .post, headers: citizen) { #expect($0.status == .noContent) }
            #expect(try await inbox(citizen)?.unread == 1)
            try await client.execute(uri: "/v1/inbox", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func aDossierDueSoonIsAnInAppMessageToItsOfficerAndToNobodyWhenUnassigned() async throws {
        let (app, settings) = try await TemplateTests.app()
        let officer = try await TemplateTests.person(Identity(subject: "officer-hontre", roles: [.officer], agency: "000.55.01.H33"), settings)
        try await app.test(.router) { client in
            var assigned = Self.payload(.processing)
            assigned.assignedTo = "officer-hontre"
            let due = try EventEnvelope(type: EventType.dossierDueSoon, source: "single-window", requestId: "deadline-watch", payload: assigned)
            #expect(try await self.deliver(client, due, settings: settings) == .ok)
            let unassigned = try EventEnvelope(type: EventType.dossierDueSoon, source: "single-window", requestId: "deadline-watch",
                                               payload: Self.payload(.processing))
            #expect(try await self.deliver(client, unassigned, settings: settings) == .ok)
            let inbox = try await client.execute(uri: "/v1/inbox", method: .get, headers: officer) {
                try JSONDecoder.motcua.decode(InboxMessages.self, from: Data($0.body.readableBytesView))
            }
            #expect(inbox.total == 1)
            #expect(inbox.items.first?.body == "Hồ sơ 000.55.01.H33-261129-0007 (Đăng ký kết hôn) đến hạn lúc 17:00 04/12/2026.")
            // The applicant hears nothing of it.
            #expect(try await self.messages(client, settings: settings).count == 1)
        }
    }

    @Test func aPersonsChoicesDecideTheChannelsAndTheLanguageOfTheirDossierNews() async throws {
        let (app, settings) = try await TemplateTests.app()
        let citizen = try await TemplateTests.person(Identity(subject: "citizen-1", roles: [.citizen]), settings)
        try await app.test(.router) { client in
            func choices() async throws -> RecipientPreferences? {
                try await client.execute(uri: "/v1/preferences", method: .get, headers: citizen) {
                    try? JSONDecoder.motcua.decode(RecipientPreferences.self, from: Data($0.body.readableBytesView))
                }
            }
            func choose(_ json: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/v1/preferences", method: .put, headers: citizen, body: ByteBuffer(string: json)) { $0.status }
            }
            #expect(try await choices() == .standard)
            #expect(try await choose(#"{"channels":"email","language":"en"}"#) == .ok)
            // A choice that is not one changes nothing; without a token nobody chooses.
            #expect(try await choose(#"{"channels":"fax","language":"en"}"#) == .badRequest)
            try await client.execute(uri: "/v1/preferences", method: .get) { #expect($0.status == .unauthorized) }
            #expect(try await choices() == RecipientPreferences(channels: .email, language: .en))

            let event = try EventEnvelope(type: EventType.dossierReceived, source: "single-window", requestId: "r-p", payload: Self.payload(.received))
            #expect(try await self.deliver(client, event, settings: settings) == .ok)
            let sent = try await self.messages(client, settings: settings)
            #expect(Set(sent.map(\.channel)) == [.email, .inApp])
            #expect(sent.allSatisfy { $0.templateId.hasSuffix(".en") })
            #expect(sent.first { $0.channel == .email }?.message.subject == "Dossier 000.55.01.H33-261129-0007 has been received")

            // E-mail only, but this dossier gave no address: the SMS still goes, so the news reaches them.
            let noAddress = try EventEnvelope(type: EventType.dossierResultReady, source: "single-window", requestId: "r-q",
                                              payload: Self.payload(.resultReady, email: nil))
            #expect(try await self.deliver(client, noAddress, settings: settings) == .ok)
            let later = try await self.messages(client, settings: settings).filter { $0.templateId.hasPrefix("dossier.result-ready") }
            #expect(Set(later.map(\.channel)) == [.sms, .inApp])
            #expect(later.first { $0.channel == .sms }?.templateId == "dossier.result-ready.sms.en")
        }
    }
}
