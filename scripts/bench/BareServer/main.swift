import Hummingbird

/// The bench baseline: a bare Hummingbird server answering the same tiny JSON as `/health/live`, with nothing else.
let router = Router()
router.get("/health/live") { _, _ in "{\"status\":\"pass\"}" }
let port = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 8999
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"))
try await app.runService()
