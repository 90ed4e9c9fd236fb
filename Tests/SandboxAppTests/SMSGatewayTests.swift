import Contracts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SandboxApp
import ServiceKit
import ServiceTesting
import Synchronization
import Testing

@Suite("Sandbox: the brandname SMS gateway")
struct SMSGatewayTests {
    static func app() async throws -> some ApplicationProtocol {
        try await buildSandboxApplication(ServiceSettings.testing(name: "sandbox"))
    }

    static func send(phone: String = "0912345678", requestID: String, callback: String? = nil, apiKey: String = SandboxDefaults.smsAPIKey,
                     brandname: String = SandboxDefaults.smsBrandname) -> ESMS.SendRequest {
        ESMS.SendRequest(apiKey: apiKey, secretKey: SandboxDefaults.smsSecretKey, brandname: brandname, phone: phone,
                         content: "Ho so 000.55.01.H33-261129-0001 da co ket qua.", unicode: false, requestId: requestID, callbackURL: callback)
    }

    func post(_ client: some TestClientProtocol, _ send: ESMS.SendRequest) async throws -> (HTTPResponse.Status, ESMS.SendResponse?) {
        try await client.execute(uri: ESMS.sendPath, method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(bytes: try JSONEncoder().encode(send))) { response in
            (response.status, try? JSONDecoder().decode(ESMS.SendResponse.self, from: Data(response.body.readableBytesView)))
        }
    }

    func control(_ client: some TestClientProtocol, _ json: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/sms/control", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json)) { $0.status }
    }

    func listing(_ client: some TestClientProtocol, _ query: String = "") async throws -> [String: Any] {
        try await client.execute(uri: "/sms/messages" + query, method: .get) { jsonObject($0) ?? [:] }
    }

    @Test func itAnswersLikeESMSAndRefusesASecondSendOfTheSameRequestId() async throws {
        try await Self.app().test(.router) { client in
            let (status, first) = try await self.post(client, Self.send(requestID: "m-1"))
            #expect(status == .ok)
            #expect(first?.CodeResult == "100")
            #expect(first?.SMSID?.isEmpty == false)
            let (_, again) = try await self.post(client, Self.send(requestID: "m-1"))
            #expect(again?.CodeResult == "124")
            #expect(again?.SMSID == nil)
            #expect(try await self.post(client, Self.send(requestID: "m-2", apiKey: "wrong")).1?.CodeResult == "101")
            #expect(try await self.post(client, Self.send(requestID: "m-3", brandname: "NOBODY")).1?.CodeResult == "104")
            #expect(try await self.post(client, Self.send(phone: "12345", requestID: "m-4")).1?.CodeResult == "108")
            try await client.execute(uri: ESMS.sendPath, method: .post, body: ByteBuffer(string: "{not json")) { #expect($0.status == .badRequest) }
            let listing = try await self.listing(client)
            #expect(listing["total"] as? Int == 1)
            #expect(listing["duplicatesRefused"] as? Int == 1)
            let item = try #require((listing["items"] as? [[String: Any]])?.first)
            #expect(item["requestId"] as? String == "m-1")
            #expect(item["phone"] as? String == "0912345678")
            #expect(item["smsId"] as? String == first?.SMSID)
        }
    }

    @Test func downMeans503AndNothingKeptSlowMeansLateAndBadControlsAreRefused() async throws {
        try await Self.app().test(.router) { client in
            #expect(try await self.control(client, #"{"down":true}"#) == .ok)
            #expect(try await self.post(client, Self.send(requestID: "d-1")).0 == .serviceUnavailable)
            #expect(try await self.listing(client)["total"] as? Int == 0)
            #expect(try await self.listing(client)["refusedWhileDown"] as? Int == 1)
            #expect(try await self.control(client, #"{"down":false,"delayMs":300}"#) == .ok)
            let start = ContinuousClock.now
            #expect(try await self.post(client, Self.send(requestID: "d-1")).1?.CodeResult == "100")
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            #expect(try await self.control(client, #"{"failShare":1.5}"#) == .badRequest)
            #expect(try await self.control(client, #"{"delayMs":-1}"#) == .badRequest)
            try await client.execute(uri: "/sms/control", method: .get) { #expect(jsonObject($0)?["delayMs"] as? Int == 300) }
            try await client.execute(uri: "/sms/messages", method: .delete) { #expect($0.status == .noContent) }
            #expect(try await self.listing(client)["total"] as? Int == 0)
        }
    }

    @Test func deliveryReportsGoToTheCallbackAsESMSWritesThemAndAShareCanBeMadeToFail() async throws {
        // A real receiver on a real port: what a sender's callback sees.
        let received = Mutex<[[String: String]]>([])
        let router = Router()
        router.get("/report/:id") { request, context -> HTTPResponse.Status in
            var query: [String: String] = ["path-id": context.parameters.get("id") ?? ""]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            received.withLock { $0.append(query) }
            return .ok
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { receiver in
            let port = try #require(receiver.port)
            try await Self.app().test(.router) { client in
                #expect(try await self.control(client, #"{"reportDelayMs":10}"#) == .ok)
                let (_, answer) = try await self.post(client, Self.send(requestID: "r-1", callback: "http://127.0.0.1:\(port)/report/r-1"))
                #expect(try await self.control(client, #"{"failShare":1}"#) == .ok)
                _ = try await self.post(client, Self.send(phone: "0987654321", requestID: "r-2", callback: "http://127.0.0.1:\(port)/report/r-2"))
                for _ in 0..<100 where received.withLock({ $0.count }) < 2 { try await Task.sleep(for: .milliseconds(20)) }
                let reports = received.withLock { $0 }.sorted { ($0["RequestId"] ?? "") < ($1["RequestId"] ?? "") }
                try #require(reports.count == 2)
                #expect(reports[0]["SMSID"] == answer?.SMSID)
                #expect(reports[0]["SendStatus"] == "5")
                #expect(reports[0]["SendSuccess"] == "1")
                #expect(reports[0]["phonenumber"] == "0912345678")
                #expect(reports[1]["SendSuccess"] == "0")
                #expect(reports[1]["SendFailed"] == "1")
                let listing = try await self.listing(client)
                #expect(listing["byStatus"] as? [String: Int] == ["delivered": 1, "failed": 1])
            }
        }
    }

    /// A callback that refuses a report gets it again (eSMS tries five times, the n-th after n × 500 ms); a report
    /// it took is not sent again, and the listing counts the one it accepted.
    @Test func aRefusedReportIsTriedAgainAndATakenOneIsNot() async throws {
        let hits = Mutex(0)
        let router = Router()
        router.get("/report") { _, _ -> HTTPResponse.Status in
            hits.withLock { hits in
                hits += 1
                return hits == 1 ? .serviceUnavailable : .ok
            }
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { receiver in
            let port = try #require(receiver.port)
            try await Self.app().test(.router) { client in
                #expect(try await self.control(client, #"{"reportDelayMs":10}"#) == .ok)
                _ = try await self.post(client, Self.send(requestID: "retry-1", callback: "http://127.0.0.1:\(port)/report"))
                // The gateway counts a report as taken once the callback's answer reached it, a moment after the hit.
                func accepted() async throws -> Int? {
                    (try await self.listing(client)["items"] as? [[String: Any]])?.first?["reportsAccepted"] as? Int
                }
                for _ in 0..<250 where try await accepted() != 1 { try await Task.sleep(for: .milliseconds(20)) }
                #expect(hits.withLock { $0 } == 2)
                #expect(try await accepted() == 1)
                let items = try #require(try await self.listing(client)["items"] as? [[String: Any]])
                #expect(items.first?["status"] as? String == "delivered")
                // Taken on the second try: nothing more comes.
                try await Task.sleep(for: .milliseconds(1200))
                #expect(hits.withLock { $0 } == 2)
            }
        }
    }

    @Test func theSendRequestWrittenByHandIsWhatJSONEncoderWritesAndReadsBack() throws {
        for content in ["Ho so 000.55.01.H33-261129-0001 da co ket qua.", "Hồ sơ \"đặc biệt\"\nxem https://dvc.kiengiang.gov.vn/tra-cuu?code=1&x=\\", ""] {
            for callback: String? in [nil, "http://127.0.0.1:8084/callbacks/esms/m-1/abc"] {
                let send = ESMS.SendRequest(apiKey: "k", secretKey: "s", brandname: "UBND-KIENGIANG", phone: "0912345678", content: content,
                                            unicode: true, requestId: "m-1", callbackURL: callback)
                #expect(send.json == String(decoding: try JSONEncoder.motcua.encode(send), as: UTF8.self))
                #expect(try JSONDecoder().decode(ESMS.SendRequest.self, from: Data(send.json.utf8)) == send)
            }
        }
    }

    @Test func aReportCarriesAnyRequestIdTheSenderChoseAndReadsBackTheSame() throws {
        let report = ESMS.DeliveryReport(smsID: "abc", sendStatus: .sent, delivered: true, requestID: "a&b=c d/é~*", phone: "0912345678")
        // RFC 3986's strict escaping: space as %20, not +; `~` kept, `*` escaped.
        #expect(report.query.contains("&RequestId=a%26b%3Dc%20d%2F%C3%A9~%2A&"))
        let items = try #require(URLComponents(string: "http://x/cb?" + report.query)?.queryItems)
        var query: [String: String] = [:]
        for item in items { query[item.name] = item.value }
        #expect(ESMS.DeliveryReport(query: query) == report)
    }
}
