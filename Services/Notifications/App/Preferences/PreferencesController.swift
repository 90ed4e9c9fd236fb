import Contracts
import Foundation
import Hummingbird
import ServiceKit
import SQLKit

/// How each person wants dossier news: by SMS, e-mail or both (the in-app inbox always), and in which language.
struct PreferenceRepository: Sendable {
    let database: Database

    private struct Row: Decodable { let channels: String; let language: String }

    func find(_ account: String, in db: any SQLDatabase) async throws -> RecipientPreferences? {
        guard let row = try await db.select().columns("channels", "language").from("preferences").where("account", .equal, account)
            .first(decoding: Row.self),
            let channels = RecipientPreferences.Channels(rawValue: row.channels), let language = RecipientPreferences.Language(rawValue: row.language)
        else { return nil }
        return RecipientPreferences(channels: channels, language: language)
    }

    func save(_ preferences: RecipientPreferences, for account: String, at: Date) async throws {
        try await self.database.transaction { db in
            try await db.insert(into: "preferences").columns("account", "channels", "language", "updated_at")
                .values(SQLBind(account), SQLBind(preferences.channels.rawValue), SQLBind(preferences.language.rawValue), SQLBind(at.epochMilliseconds))
                .onConflict(with: ["account"]) {
                    $0.set(excludedValueOf: "channels").set(excludedValueOf: "language").set(excludedValueOf: "updated_at")
                }
                .run()
        }
    }
}

struct PreferencesController {
    let preferences: PreferenceRepository
    let database: Database
    let now: @Sendable () -> Date

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/preferences", use: self.show)
        router.put("/v1/preferences", use: self.save)
        openAPI.add("GET", "/v1/preferences", summary: "The caller's choices: channels (sms, email, both) and language (vi, en); "
                    + "both and vi until they choose", tag: "preferences", responses: [200: ("The choices", Schema.anyObject), 401: ("No token", nil)],
                    token: true)
        openAPI.add("PUT", "/v1/preferences", summary: "Change the caller's choices", tag: "preferences",
                    request: Schema.object(["channels": Schema.string, "language": Schema.string], required: ["channels", "language"]),
                    responses: [200: ("Saved", Schema.anyObject), 400: ("An unknown channel or language", nil), 401: ("No token", nil)], token: true)
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> RecipientPreferences {
        let identity = try context.requireIdentity()
        let preferences = self.preferences
        return try await self.database.read { try await preferences.find(identity.subject, in: $0) } ?? .standard
    }

    @Sendable func save(_ request: Request, context: ServiceRequestContext) async throws -> RecipientPreferences {
        let identity = try context.requireIdentity()
        let chosen = try await request.decodeJSON(as: RecipientPreferences.self)
        try await self.preferences.save(chosen, for: identity.subject, at: self.now())
        return chosen
    }
}

extension RecipientPreferences: ResponseEncodable {}
