import DomainKit

/// `POST /v1/templates/{id}/preview`: the values to fill the template with.
public struct TemplatePreviewRequest: Codable, Sendable, Equatable {
    public var values: [String: String]
    /// A version other than the latest.
    public var version: Int?
    /// A wording not saved yet, previewed in the template's place (its channel and language): an editor sees the
    /// message, and for an SMS its segments, before making it a new version.
    public var draft: TemplateUpdate?

    public init(values: [String: String], version: Int? = nil, draft: TemplateUpdate? = nil) {
        self.values = values
        self.version = version
        self.draft = draft
    }
}

/// A template filled in, as it would be sent.
public struct TemplatePreview: Codable, Sendable, Equatable {
    /// How an SMS goes on the air.
    public struct SMS: Codable, Sendable, Equatable {
        public var encoding: SMSText.Encoding
        public var units: Int
        public var segments: Int

        public init(encoding: SMSText.Encoding, units: Int, segments: Int) {
            self.encoding = encoding
            self.units = units
            self.segments = segments
        }
    }

    public var templateId: String
    public var version: Int
    public var channel: MessageTemplate.Channel
    public var language: String
    public var message: RenderedMessage
    public var sms: SMS?

    public init(templateId: String, version: Int, channel: MessageTemplate.Channel, language: String, message: RenderedMessage, sms: SMS?) {
        self.templateId = templateId
        self.version = version
        self.channel = channel
        self.language = language
        self.message = message
        self.sms = sms
    }
}

/// `PUT /v1/templates/{id}`: a new version of a template (its channel and language stay).
public struct TemplateUpdate: Codable, Sendable, Equatable {
    public var subject: String?
    public var body: String
    public var html: String?

    public init(subject: String? = nil, body: String, html: String? = nil) {
        self.subject = subject
        self.body = body
        self.html = html
    }
}
