import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// Message templates: list, read (any version), change (a new version; admins), and preview with values.
struct TemplateController {
    let templates: TemplateRepository
    let database: Database
    let composer: MessageComposer

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/templates") { _, _ in try await self.templates.latest() }
        router.get("/v1/templates/:id", use: self.show)
        router.put("/v1/templates/:id", use: self.update)
        router.post("/v1/templates/:id/preview", use: self.preview)

        openAPI.add("GET", "/v1/templates", summary: "The latest version of every template", tag: "templates",
                    responses: [200: ("Templates", Schema.array(Schema.anyObject))])
        openAPI.add("GET", "/v1/templates/:id", summary: "A template, the latest version or ?version=", tag: "templates",
                    responses: [200: ("The template", Schema.anyObject), 404: ("No such template or version", nil)])
        openAPI.add("PUT", "/v1/templates/:id", summary: "A new version of a template (admins); earlier versions stay readable", tag: "templates",
                    request: Schema.object(["subject": Schema.string, "body": Schema.string, "html": Schema.string], required: ["body"]),
                    responses: [200: ("The new version", Schema.anyObject), 403: ("Not an admin", nil), 404: ("No such template", nil),
                                422: ("An empty body", nil)], token: true)
        openAPI.add("POST", "/v1/templates/:id/preview", summary: "The template (or an unsaved draft {subject, body, html} in its place) filled with values, and for SMS its "
                    + "encoding and segments",
                    tag: "templates", request: Schema.object(["values": Schema.anyObject, "version": Schema.integer, "draft": Schema.anyObject], required: ["values"]),
                    responses: [200: ("The message as it would be sent", Schema.anyObject), 400: ("Values missing, each named", nil),
                                404: ("No such template", nil), 422: ("An SMS over the segment limit", nil)])
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> MessageTemplate {
        let id = try context.parameters.require("id")
        let version = try request.query("version").map { text -> Int in
            guard let version = Int(text), version > 0 else { throw Problem.badRequest("version must be a whole number from 1.") }
            return version
        }
        guard let template = try await self.templates.find(id, version: version) else {
            throw Problem.notFound(version.map { "Template \(id) has no version \($0)." } ?? "There is no template \(id).")
        }
        return template
    }

    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> MessageTemplate {
        try context.requireRole(.admin)
        let id = try context.parameters.require("id")
        let change = try await request.decodeJSON(as: TemplateUpdate.self)
        guard var template = try await self.templates.find(id) else { throw Problem.notFound("There is no template \(id).") }
        guard !change.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Problem.validation([FieldIssue(field: "body", code: "required", vi: "Cần có nội dung.", en: "The body is required.")])
        }
        template.subject = change.subject
        template.body = change.body
        template.html = change.html
        let changed = template
        do {
            let stored = try await self.database.transaction { db in try await TemplateRepository.add(changed, in: db) }
            self.templates.forget()
            return stored
        } catch {
            // Two changes at the same moment on PostgreSQL: both took the same next version, and the second insert
            // met the first's key. Said as a conflict the editor can act on, not as a server error.
            self.templates.forget()
            if let latest = try await self.templates.find(id), latest.version > template.version {
                throw Problem.conflict("Someone changed this template at the same moment; version \(latest.version) is now the latest. "
                                       + "Read it and send your change again.")
            }
            throw error
        }
    }

    @Sendable func preview(_ request: Request, context: ServiceRequestContext) async throws -> TemplatePreview {
        let id = try context.parameters.require("id")
        let asked = try await request.decodeJSON(as: TemplatePreviewRequest.self)
        guard var template = try await self.templates.find(id, version: asked.version) else {
            throw Problem.notFound(asked.version.map { "Template \(id) has no version \($0)." } ?? "There is no template \(id).")
        }
        if let draft = asked.draft {
            template.subject = draft.subject
            template.body = draft.body
            template.html = draft.html
        }
        let (message, sms) = try self.composer.compose(template, values: asked.values)
        return TemplatePreview(templateId: template.id, version: template.version, channel: template.channel, language: template.language,
                               message: message, sms: sms.map { .init(encoding: $0.encoding, units: $0.units, segments: $0.segments) })
    }
}

extension MessageTemplate: ResponseEncodable {}
extension TemplatePreview: ResponseEncodable {}
