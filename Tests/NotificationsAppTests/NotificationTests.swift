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

@Suite("Messages")
struct NotificationTests {
    func send(_ client: some TestClientProtocol, _ request: SendNotificationRequest, headers: HTTPFields, key: String? = nil) async throws -> TestResponse {
        var headers = headers
        if let key { headers[.idempotencyKey] = key }
        return try await client.execute(uri: "/v1/notifications", method: .post, headers: headers, body: ByteBuffer(bytes: try JSONEncoder().encode(request)))
    }

    func view(_ response: TestResponse) -> NotificationView? {
        try? JSONDecoder.motcua.decode(NotificationView.self, from: Data(response.body.readableBytesView))
    }

    static let resultReady = SendNotificationRequest(templateId: "dossier.result-ready.sms.vi", recipient: "0912 345 678",
                                                     values: ["code": "000.55.01.H33-261129-0001"], reference: "000.55.01.H33-261129-0001")

    @Test func aMessageIsStoredWithTheTemplateVersionItUsedAndTheTextAsItWillBeSent() async throws {
        let (app, settings) = try await TemplateTests.app()
        let service = try await TemplateTests.service(settings)
        let reader = try await TemplateTests.reader(settings)
        try await app.test(.router) { client in
            let response = try await self.send(client, Self.resultReady, headers: service)
            #expect(response.status == .created)
            let message = try #require(self.view(response))
            #expect(message.status == .created)
            #expect(message.recipient == "0912345678")
            #expect(message.templateVersion == 1)
            #expect(message.message.body == "Ho so 000.55.01.H33-261129-0001 da co ket qua. Moi ong/ba nhan ket qua theo hinh thuc da dang ky.")
            #expect(response.headers[.location] == "/v1/notifications/\(message.id)")
            try await client.execute(uri: "/v1/notifications/\(message.id)", method: .get, headers: reader) { #expect(self.view($0) == message) }
            try await client.execute(uri: "/v1/notifications?reference=000.55.01.H33-261129-0001&channel=sms", method: .get, headers: reader) { response in
                let page = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(page?["total"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/notifications?status=lost", method: .get, headers: reader) { #expect($0.status == .badRequest) }
        }
    }

    @Test func theSameKeyReplaysAndAnotherBodyIsRefused() async throws {
        let (app, settings) = try await TemplateTests.app()
        let service = try await TemplateTests.service(settings)
        let reader = try await TemplateTests.reader(settings)
        try await app.test(.router) { client in
            let first = try await self.send(client, Self.resultReady, headers: service, key: "dossier-event-42")
            let again = try await self.send(client, Self.resultReady, headers: service, key: "dossier-event-42")
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(self.view(again)?.id == self.view(first)?.id)
            var other = Self.resultReady
            other.recipient = "0987654321"
            #expect(try await self.send(client, other, headers: service, key: "dossier-event-42").status == .conflict)
            #expect(try await self.send(client, other, headers: service, key: "no spaces allowed").status == .badRequest)
            try await client.execute(uri: "/v1/notifications", method: .get, headers: reader) { response in
                let page = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(page?["total"] as? Int == 1)
            }
        }
    }

    @Test func badRequestsAreRefusedAndStoreNothing() async throws {
        let (app, settings) = try await TemplateTests.app()
        let service = try await TemplateTests.service(settings)
        let reader = try await TemplateTests.reader(settings)
        let citizen = try await TemplateTests.person(Identity(subject: "c", roles: [.citizen]), settings)
        try await app.test(.router) { client in
            var wrongPhone = Self.resultReady
            wrongPhone.recipient = "12345"
            let phone = try await self.send(client, wrongPhone, headers: service)
            #expect(phone.status == .unprocessableContent)
            #expect(problemOf(phone)?.errors?.first?.field == "recipient")
            var email = Self.resultReady
            email.templateId = "dossier.result-ready.email.en"
            email.recipient = "not-an-address"
            #expect(try await self.send(client, email, headers: service).status == .unprocessableContent)
            email.recipient = "an@example.vn"
            let missing = try await self.send(client, email, headers: service)
            #expect(missing.status == .badRequest)
            #expect(Set(problemOf(missing)?.errors?.map(\.field) ?? []) == ["values.procedure", "values.agency", "values.lookupUrl"])
            var unknown = Self.resultReady
            unknown.templateId = "no.such"
            #expect(try await self.send(client, unknown, headers: service).status == .unprocessableContent)
            // Citizens do not send messages; without a token nobody does.
            #expect(try await self.send(client, Self.resultReady, headers: citizen).status == .forbidden)
            #expect(try await self.send(client, Self.resultReady, headers: [.contentType: "application/json"]).status == .unauthorized)
            try await client.execute(uri: "/v1/notifications", method: .get, headers: reader) { response in
                let page = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(page?["total"] as? Int == 0)
            }
        }
    }
}
