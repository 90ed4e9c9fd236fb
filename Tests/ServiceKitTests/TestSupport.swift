import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ServiceKit
import SQLKit

/// A tiny service built with the same runtime and builder as the real ones, for testing ServiceKit itself.
struct EchoService {
    static let migrations = MigrationSet(scope: "echo", [
        Migration(1, "notes") { db, _ in
            try await db.create(table: "notes").column("id", type: .text, .primaryKey(autoIncrement: false)).column("text", type: .text, .notNull).run()
        },
    ])

    struct Note: Codable, ResponseEncodable {
        let text: String
    }

    /// Events the echo service sends: "note.created" goes to "subscriber".
    static let subscriptions = ["note.created": ["subscriber"]]

    static func build(
        settings: ServiceSettings = .testing(name: "echo"), locator: (any ServiceLocator)? = nil,
        handlers: [String: EventHandler] = [:], listeners: [String: EventListener] = [:],
        dispatcher: OutboxDispatcher.Policy? = OutboxDispatcher.Policy()
    ) async throws -> (some ApplicationProtocol, ServiceRuntime) {
        let runtime = try await ServiceRuntime.start(settings: settings, migrations: migrations, subscriptions: subscriptions,
                                                     locator: locator ?? FixedServiceLocator(urls: [:]))
        var builder = ServiceApplicationBuilder(runtime: runtime, openAPI: OpenAPIDocument(title: "echo", summary: "test service"))
        builder.eventHandlers = handlers
        builder.eventListeners = listeners
        builder.dispatcherPolicy = dispatcher
        let router = builder.makeRouter()
        router.post("/notes") { request, context -> Note in
            let note = try await request.decodeJSON(as: Note.self)
            try await runtime.database.transaction { db in
                try await db.insert(into: "notes").columns("id", "text").values(SQLBind(UUID().uuidString), SQLBind(note.text)).run()
                try await runtime.outbox.enqueue(try EventEnvelope(type: "note.created", source: "echo", requestId: context.requestID, payload: note), in: db)
                // Checked last on purpose: the tests prove that a failure after writing rolls everything back.
                guard !note.text.isEmpty else { throw Problem.badRequest("text must not be empty") }
            }
            return note
        }
        router.get("/crash") { _, _ -> String in
            struct Secret: Error { let password = "hunter2" }
            throw Secret()
        }
        // Two look-ups a minute per caller address, as a public look-up route has.
        router.group("/limited").add(middleware: RateLimitMiddleware(limiter: RateLimiter(perMinute: 2, burst: 2))).get { request, context -> String in
            context.clientAddress(request)
        }
        router.get("/officer") { _, context -> String in
            let identity = try context.requireRole(.officer)
            try context.requireAgency("H33")
            return identity.subject
        }
        router.get("/cookie") { _, _ -> Response in
            var response = Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "<p>hi</p>")))
            response.setCookie(Cookie(name: "session", value: "s-1", path: "/", httpOnly: true))
            return response
        }
        router.post("/payments-only") { _, context -> String in
            try context.requireCaller("payments").subject
        }
        builder.openAPI.add("POST", "/notes", summary: "Write a note", tag: "notes", responses: [200: ("The note", nil)])
        return (builder.build(router: router), runtime)
    }
}

extension ByteBuffer {
    var string: String { String(buffer: self) }
}

func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws -> T {
    try JSONDecoder.motcua.decode(T.self, from: Data(buffer.readableBytesView))
}

func count(_ table: String, in database: Database, where column: String? = nil, is value: String? = nil) async throws -> Int {
    try await database.read { db in
        var query = db.select().from(table)
        if let column, let value { query = query.where(column, .equal, value) }
        return try await query.countRows()
    }
}

/// The problem in a response body, nil when the body is not one (so a comparison fails).
func problem(_ buffer: ByteBuffer) -> Problem? {
    try? JSONDecoder().decode(Problem.self, from: Data(buffer.readableBytesView))
}
