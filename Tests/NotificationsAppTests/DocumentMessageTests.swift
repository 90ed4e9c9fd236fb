import Contracts
import DomainKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import NotificationsApp
import ServiceKit
import ServiceTesting
import SingleWindowApp
import Testing

@Suite("Official documents reaching agencies")
struct DocumentMessageTests {
    @Test func aDispatchedDocumentIsEmailedOnceToTheAgencysOfficialAddress() async throws {
        let singleWindowSettings = try await trustingTestTokens(ServiceSettings.testing(name: "single-window", environment: ["DEMO_DATA": "handwritten"]))
        try await buildSingleWindowApplication(singleWindowSettings).test(.live) { singleWindow in
            let agencies = try await singleWindow.execute(uri: "/v1/agencies", method: .get) {
                try JSONDecoder.motcua.decode([Agency].self, from: Data($0.body.readableBytesView))
            }
            let sender = try #require(agencies.first { $0.level == .department })
            let recipient = try #require(agencies.first { $0.level == .commune })
            var configured = try await trustingTestTokens(ServiceSettings.testing(name: "notifications", environment: ["SENDERS": "off"]))
            configured.fixedServiceURLs = [Topology.singleWindow: "http://127.0.0.1:\(try #require(singleWindow.port))"]
            let settings = configured
            try await buildNotificationsApplication(settings).test(.router) { client in
                let event = try EventEnvelope(type: EventType.documentDispatched, source: "documents", requestId: "d-1", payload: DispatchEvent(
                    documentId: "doc-1", dispatchId: "dis-1", symbol: "15/STP-HCTP", excerpt: "V/v triển khai dịch vụ công trực tuyến", sender: sender.code,
                    recipient: recipient.code, receivedNumber: 7))
                #expect(try await DossierMessageTests().deliver(client, event, settings: settings) == .ok)
                #expect(try await DossierMessageTests().deliver(client, event, settings: settings) == .accepted, "a repeat is acknowledged, not applied")
                let messages = try await DossierMessageTests().messages(client, settings: settings, query: "&reference=doc-1")
                #expect(messages.count == 1)
                #expect(messages.first?.recipient == recipient.email)
                #expect(messages.first?.message.subject == "Văn bản đến: 15/STP-HCTP của \(sender.name)")
                #expect(messages.first?.message.body.contains("Số đến: 7") == true)

                let nowhere = try EventEnvelope(type: EventType.documentDispatched, source: "documents", requestId: "d-2", payload: DispatchEvent(
                    documentId: "doc-2", dispatchId: "dis-2", symbol: "16/STP", excerpt: "x", sender: sender.code, recipient: "000.99.99.H33", receivedNumber: 1))
                #expect(try await DossierMessageTests().deliver(client, nowhere, settings: settings) == .ok, "an unknown agency is logged and skipped")
                #expect(try await DossierMessageTests().messages(client, settings: settings, query: "&reference=doc-2").isEmpty)
            }
        }
    }

    @Test func whileSingleWindowCannotAnswerTheEventIsRefusedSoItComesAgain() async throws {
        var configured = try await trustingTestTokens(ServiceSettings.testing(name: "notifications", environment: ["SENDERS": "off"]))
        configured.fixedServiceURLs = [Topology.singleWindow: "http://127.0.0.1:9"]
        let settings = configured
        try await buildNotificationsApplication(settings).test(.router) { client in
            let event = try EventEnvelope(type: EventType.documentDispatched, source: "documents", requestId: "d-3", payload: DispatchEvent(
                documentId: "doc-3", dispatchId: "dis-3", symbol: "17/STP", excerpt: "x", sender: "000.00.14.H33", recipient: "000.55.01.H33",
                receivedNumber: 1))
            let status = try await DossierMessageTests().deliver(client, event, settings: settings)
            #expect(status.code >= 500, "refused, so the sender's outbox delivers it again")
            #expect(try await DossierMessageTests().messages(client, settings: settings, query: "&reference=doc-3").isEmpty)
            // Not recorded as received: the next delivery is applied, not taken for a repeat.
            #expect(try await DossierMessageTests().deliver(client, event, settings: settings).code >= 500)
        }
    }

    @Test func aSignRequestReachesTheLeadersInbox() async throws {
        let (app, settings) = try await TemplateTests.app()
        try await app.test(.router) { client in
            let event = try EventEnvelope(type: EventType.documentSignRequested, source: "documents", requestId: "s-1", payload: SignRequestEvent(
                requestId: "req-1", documentId: "doc-9", documentName: "giay-chung-nhan.pdf", signer: "leader-hontre", requestedBy: "officer-hontre",
                reason: "Kết quả hồ sơ 000.55.01.H33-261129-0001.", expiresAt: LocalDate(year: 2026, month: 12, day: 2)!.instant(minutes: 9 * 60)))
            #expect(try await DossierMessageTests().deliver(client, event, settings: settings) == .ok)
            #expect(try await DossierMessageTests().deliver(client, event, settings: settings) == .accepted)
            let inbox = try await client.execute(uri: "/v1/inbox", method: .get,
                                                 headers: try await TemplateTests.person(Identity(subject: "leader-hontre", roles: [.leader]), settings)) {
                try JSONDecoder.motcua.decode(InboxMessages.self, from: Data($0.body.readableBytesView))
            }
            #expect(inbox.items.count == 1 && inbox.unread == 1)
            #expect(inbox.items.first?.subject == "Văn bản chờ ký: giay-chung-nhan.pdf")
            #expect(inbox.items.first?.body.contains("Hạn duyệt: 09:00 02/12/2026") == true)
        }
    }
}
