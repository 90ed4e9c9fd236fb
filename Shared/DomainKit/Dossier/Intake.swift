/// How a dossier reached the single window.
public enum IntakeChannel: String, Codable, Sendable, CaseIterable {
    case online
    case counter
    case post
    case nationalPortal
}

/// How the applicant wants the result.
public enum DeliveryMethod: String, Codable, Sendable, CaseIterable {
    case counter
    case post
    case online
}

/// The person or organisation a dossier is for, and who hands it in on their behalf.
public struct Applicant: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case person
        case organisation
    }

    public struct Proxy: Codable, Sendable, Equatable {
        public var fullName: String
        public var citizenId: String
        public var phone: String

        public init(fullName: String, citizenId: String, phone: String) {
            self.fullName = fullName
            self.citizenId = citizenId
            self.phone = phone
        }
    }

    public var kind: Kind
    public var fullName: String
    public var citizenId: String?
    public var organisationName: String?
    public var taxCode: String?
    public var phone: String
    public var email: String?
    public var address: String
    public var proxy: Proxy?

    public init(kind: Kind = .person, fullName: String, citizenId: String?, organisationName: String? = nil, taxCode: String? = nil,
                phone: String, email: String? = nil, address: String, proxy: Proxy? = nil) {
        self.kind = kind
        self.fullName = fullName
        self.citizenId = citizenId
        self.organisationName = organisationName
        self.taxCode = taxCode
        self.phone = phone
        self.email = email
        self.address = address
        self.proxy = proxy
    }

    /// The applicant with identifiers normalised (NFC text, 0xxxxxxxxx phones), or every problem found.
    public static let maximumNameLength = 150
    public static let maximumAddressLength = 500

    public func normalised(field prefix: String = "applicant") -> Result<Applicant, IntakeProblems> {
        var issues: [FieldIssue] = []
        var copy = self
        func required(_ value: String?, _ name: String, vi: String, en: String) {
            if (value ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                issues.append(FieldIssue(field: "\(prefix).\(name)", code: "required", vi: vi, en: en))
            }
        }
        copy.fullName = VietnameseText.normalized(self.fullName.trimmingCharacters(in: .whitespaces))
        copy.address = VietnameseText.normalized(self.address.trimmingCharacters(in: .whitespaces))
        required(copy.fullName, "fullName", vi: "Cần có họ và tên.", en: "The full name is required.")
        required(copy.address, "address", vi: "Cần có địa chỉ.", en: "The address is required.")
        switch Validate.mobilePhone(self.phone, field: "\(prefix).phone") {
        case .success(let phone): copy.phone = phone
        case .failure(let issue): issues.append(issue)
        }
        if self.kind == .person {
            switch Validate.citizenID(self.citizenId ?? "", field: "\(prefix).citizenId") {
            case .success(let id): copy.citizenId = id
            case .failure(let issue): issues.append(issue)
            }
        } else {
            required(self.organisationName, "organisationName", vi: "Cần có tên tổ chức.", en: "The organisation's name is required.")
            required(self.taxCode, "taxCode", vi: "Cần có mã số thuế của tổ chức.", en: "The organisation's tax code is required.")
        }
        if let email = self.email, !email.isEmpty {
            switch Validate.email(email, field: "\(prefix).email") {
            case .success(let email): copy.email = email
            case .failure(let issue): issues.append(issue)
            }
        }
        // Bounded and printable: a register line, a receipt and an SMS all hold these.
        let bounded: [(String, String?, Int)] = [
            ("fullName", copy.fullName, Self.maximumNameLength), ("address", copy.address, Self.maximumAddressLength),
            ("organisationName", self.organisationName, Self.maximumNameLength * 2), ("taxCode", self.taxCode, 20),
            ("email", self.email, 254), ("proxy.fullName", self.proxy?.fullName, Self.maximumNameLength),
        ]
        for (name, value, limit) in bounded {
            guard let value else { continue }
            if value.count > limit {
                issues.append(FieldIssue(field: "\(prefix).\(name)", code: "too-long", vi: "Tối đa \(limit) ký tự.", en: "At most \(limit) characters."))
            } else if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                issues.append(FieldIssue(field: "\(prefix).\(name)", code: "control-character", vi: "Không được chứa ký tự điều khiển.",
                                         en: "It may not hold control characters (such as NUL or a line break)."))
            }
        }
        if let proxy = self.proxy {
            switch Validate.citizenID(proxy.citizenId, field: "\(prefix).proxy.citizenId") {
            case .success(let id): copy.proxy?.citizenId = id
            case .failure(let issue): issues.append(issue)
            }
            switch Validate.mobilePhone(proxy.phone, field: "\(prefix).proxy.phone") {
            case .success(let phone): copy.proxy?.phone = phone
            case .failure(let issue): issues.append(issue)
            }
        }
        return issues.isEmpty ? .success(copy) : .failure(IntakeProblems(issues: issues))
    }
}

/// Field problems found at intake; an error so that `Result` can carry them.
public struct IntakeProblems: Error, Sendable, Equatable {
    public var issues: [FieldIssue]

    public init(issues: [FieldIssue]) {
        self.issues = issues
    }
}

/// A document handed in with a dossier: which required document it is, and the stored file.
public struct Attachment: Codable, Sendable, Equatable {
    public var documentName: String
    /// The documents service's file id (a SHA-256), or nil for a paper original kept at the counter.
    public var fileId: String?
    /// The code of the earlier dossier whose file this is, when it was reused rather than handed in again.
    public var reusedFrom: String?

    public init(documentName: String, fileId: String?, reusedFrom: String? = nil) {
        self.documentName = documentName
        self.fileId = fileId
        self.reusedFrom = reusedFrom
    }

    /// Kept as a file (scanned, uploaded or reused), not only on paper: what the digitisation indicator counts.
    public var isDigitised: Bool { self.fileId != nil }
}

/// The checks of a new dossier against its procedure (Decree 61/2018, art. 19): the documents, the level, the channel.
public enum IntakeRules {
    /// The required documents no attachment covers (matched without diacritics or case).
    public static func missingDocuments(_ procedure: Procedure, attachments: [Attachment]) -> [String] {
        let given = Set(attachments.map { VietnameseText.searchKey($0.documentName) })
        return procedure.documents.map(\.name).filter { !given.contains(VietnameseText.searchKey($0)) }
    }

    /// Problems with taking this procedure through this channel with this delivery, in both languages.
    public static func channelProblems(_ procedure: Procedure, channel: IntakeChannel, delivery: DeliveryMethod, deliveryAddress: String?) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if channel == .online && !procedure.serviceLevel.acceptsOnlineSubmission {
            issues.append(FieldIssue(field: "channel", code: "procedure.notOnline",
                                     vi: "Thủ tục này là dịch vụ công mức độ \(procedure.serviceLevel.rawValue), không nộp trực tuyến được; hãy nộp tại Bộ phận một cửa.",
                                     en: "This procedure is a level \(procedure.serviceLevel.rawValue) service and cannot be submitted online; hand it in at the counter."))
        }
        if channel == .post && !procedure.allowsPostalIntake {
            issues.append(FieldIssue(field: "channel", code: "procedure.noPostalIntake",
                                     vi: "Thủ tục này không nhận hồ sơ qua bưu chính.", en: "This procedure does not take dossiers by post."))
        }
        if delivery == .post && !procedure.allowsPostalDelivery {
            issues.append(FieldIssue(field: "delivery.method", code: "procedure.noPostalDelivery",
                                     vi: "Kết quả thủ tục này không trả qua bưu chính.", en: "This procedure's result is not delivered by post."))
        }
        if delivery == .post && (deliveryAddress ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue(field: "delivery.address", code: "required", vi: "Trả qua bưu chính cần địa chỉ nhận.",
                                     en: "Delivery by post needs an address."))
        }
        if delivery == .online && procedure.serviceLevel != .fullyOnline {
            issues.append(FieldIssue(field: "delivery.method", code: "procedure.noOnlineDelivery",
                                     vi: "Chỉ dịch vụ công toàn trình mới trả kết quả trực tuyến.", en: "Only fully online services deliver results online."))
        }
        return issues
    }

    /// Whether the agency carries the procedure out (named for it, or at a level where none is named).
    public static func handles(_ procedure: Procedure, agency: Agency, namedAgencyLevels: [String: AgencyLevel]) -> Bool {
        self.handles(levels: procedure.levels, agencyCodes: procedure.agencyCodes, agency: agency, namedAgencyLevels: namedAgencyLevels)
    }

    /// The same rule over a procedure's levels and named agencies, for callers that hold only those (catalog search).
    public static func handles(levels: [AgencyLevel], agencyCodes: [String], agency: Agency, namedAgencyLevels: [String: AgencyLevel]) -> Bool {
        if agencyCodes.contains(agency.code) { return true }
        guard levels.contains(agency.level) else { return false }
        return !agencyCodes.contains { namedAgencyLevels[$0] == agency.level }
    }

    /// Whether an agency may take a dossier of this procedure over: one that handles it, or one named as a step's
    /// performer of an inter-agency procedure.
    public static func takesPart(_ procedure: Procedure, agency: Agency, namedAgencyLevels: [String: AgencyLevel]) -> Bool {
        self.handles(procedure, agency: agency, namedAgencyLevels: namedAgencyLevels) || procedure.steps.contains { $0.performer == agency.code }
    }
}
