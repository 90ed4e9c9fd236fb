import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@Suite("Every service's common behaviour")
struct ApplicationBuilderTests {
    @Test func unknownRoutesAnswerProblemJSONWithTheRequestID() async throws {
        let (app, _) = try await EchoService.build()
        try await app.test(.router) { client in
            try await client.execute(uri: "/nowhere", method: .get, headers: [.requestID: "trace-123"]) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect(response.headers[.requestID] == "trace-123")
                let problem = try decode(Problem.self, response.body)
                #expect(problem.statusCode == 404)
                #expect(!problem.detail.isEmpty)
            }
        }
    }

    @Test func aRequestIDIsGeneratedWhenAbsent() async throws {
        let (app, _) = try await EchoService.build()
        try await app.test(.router) { client in
            let first = try await client.execute(uri: "/health/live", method: .get).headers[.requestID]
            let second = try await client.execute(uri: "/health/live", method: .get).headers[.requestID]
            #expect(first?.count == 32)
            #expect(first?.allSatisfy { "0123456789abcdef".contains($0) } == true, "32 lowercase hex digits")
            #expect(first != second)
        }
    }

    @Test func logLinesWrittenWhileARequestIsHandledCarryItsID() async throws {
        let router = Router(context: ServiceRequestContext.self)
        router.add(middleware: RequestMiddleware(accessLog: false))
        // What a log handler would add to a line written here (the text format's provider; JSON reads the same scope).
        router.get("/logged") { _, _ in RequestScope.metadataProvider.get()["requestId"]?.description ?? "none" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/logged", method: .get, headers: [.requestID: "trace-7"]) { response in
                #expect(response.body.string == "trace-7")
            }
            try await client.execute(uri: "/logged", method: .get) { response in
                #expect(response.body.string == response.headers[.requestID], "a generated id is the one logged")
            }
        }
        #expect(RequestScope.requestID == nil, "outside a request, lines carry no request id")
    }

    @Test func malformedBodiesAre400sThatNameTheProblemAndWriteNothing() async throws {
        let (app, runtime) = try await EchoService.build()
        try await app.test(.router) { client in
            try await client.execute(uri: "/notes", method: .post, headers: [.contentType: "application/json"], body: json("{\"txt\": 1}")) { response in
                #expect(response.status == .badRequest)
                let problem = try decode(Problem.self, response.body)
                #expect(problem.detail.contains("'text' is missing"))
            }
            try await client.execute(uri: "/notes", method: .post, headers: [.contentType: "application/json"], body: json("{not json")) { response in
                #expect(response.status == .badRequest)
            }
            #expect(try await count("notes", in: runtime.database) == 0)
            #expect(try await count("outbox", in: runtime.database) == 0)
        }
    }

    @Test func unhandledErrorsAre500sThatLeakNothing() async throws {
        let (app, _) = try await EchoService.build()
        try await app.test(.router) { client in
            try await client.execute(uri: "/crash", method: .get, headers: [.requestID: "r-1"]) { response in
                #expect(response.status == .internalServerError)
                #expect(!response.body.string.contains("hunter2"))
                #expect(!response.body.string.contains("Secret"))
                #expect(problem(response.body)?.detail.contains("r-1") == true)
            }
        }
    }

    @Test func healthMetricsAndOpenAPI() async throws {
        let (app, _) = try await EchoService.build()
        try await app.test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("\"database\":\"pass\""))
                #expect(response.body.string.contains("\"migrations\":\"pass\""))
            }
            _ = try await client.execute(uri: "/health/live", method: .get)
            _ = try await client.execute(uri: "/nowhere/at/all", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = response.body.string
                // Counted by route pattern, method and status; a path no route takes counts as NotFound.
                #expect(text.contains(#"hb_requests{http_route="/health/live",http_request_method="GET",http_response_status_code="200"} "#), "\(text)")
                #expect(text.contains(#"hb_requests{http_route="NotFound",http_request_method="GET",http_response_status_code="404"} "#))
                #expect(text.contains(#"hb_request_errors{http_route="NotFound",http_request_method="GET",error_type="404"} "#))
                #expect(text.contains(#"http_server_request_duration_bucket{http_route="/health/live""#))
                // The metrics are the process's: other tests' requests may be counted too, so counts are not asserted.
                #expect(text.contains(#"http_server_active_requests{http_request_method="GET"} "#))
            }
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let document = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(document?["openapi"] as? String == "3.1.0")
                let paths = document?["paths"] as? [String: Any]
                #expect(paths?["/notes"] != nil)
                #expect(paths?["/health/ready"] != nil)
                #expect(paths?["/internal/outbox/{id}/redrive"] != nil)
            }
        }
    }

    @Test func aWriteAndItsEventCommitTogether() async throws {
        let (app, runtime) = try await EchoService.build()
        try await app.test(.router) { client in
            try await client.execute(uri: "/notes", method: .post, headers: [.contentType: "application/json"], body: json("{\"text\":\"Xin chào\"}")) {
                #expect($0.status == .ok)
            }
            // The handler throws after both writes: neither may remain.
            try await client.execute(uri: "/notes", method: .post, headers: [.contentType: "application/json"], body: json("{\"text\":\"\"}")) {
                #expect($0.status == .badRequest)
            }
            #expect(try await count("notes", in: runtime.database) == 1)
            #expect(try await count("outbox", in: runtime.database, where: "event_type", is: "note.created") == 1)
        }
    }
}

@Suite("Query strings")
struct QueryStringTests {
    @Test func formEncodingIsUnderstood() async throws {
        let router = Router(context: ServiceRequestContext.self)
        router.get("/echo") { request, _ in "\(request.query("q") ?? "nil")|\(request.query("empty") ?? "nil")|\(request.query("missing") ?? "nil")" }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/echo?q=dang+ky%2Bket%20h%C3%B4n&empty", method: .get) { response in
                #expect(String(buffer: response.body) == "dang ky+ket hôn||nil")
            }
            // A broken escape, or bytes that are not UTF-8, read as no value rather than as garbage.
            for broken in ["%E", "%ZZ", "%C3", "ab%"] {
                try await client.execute(uri: "/echo?q=\(broken)&empty=", method: .get) { response in
                    #expect(String(buffer: response.body) == "nil||nil", "\(broken)")
                }
            }
        }
    }
}
