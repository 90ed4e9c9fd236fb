/// Where an agency stands in the province's administration.
public enum AgencyLevel: String, Codable, Sendable, CaseIterable {
    case province
    case department
    case district
    case commune

    /// The level directly above, nil for the province.
    public var parent: AgencyLevel? {
        switch self {
        case .province: nil
        case .department, .district: .province
        case .commune: .district
        }
    }

    public var vietnameseName: String {
        switch self {
        case .province: "Cấp tỉnh"
        case .department: "Sở, ban, ngành"
        case .district: "Cấp huyện"
        case .commune: "Cấp xã"
        }
    }
}

/// The online public-service level of Decree 43/2011 (levels 1-4), still used by provincial catalogs.
public enum ServiceLevel: Int, Codable, Sendable, CaseIterable, Comparable {
    /// Information only.
    case information = 1
    /// Forms can be downloaded.
    case downloadableForms = 2
    /// Dossiers can be submitted online; fees and results at the counter.
    case onlineSubmission = 3
    /// Submission, payment and result all online.
    case fullyOnline = 4

    public static func < (lhs: ServiceLevel, rhs: ServiceLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether a citizen may submit a dossier for it online.
    public var acceptsOnlineSubmission: Bool { self >= .onlineSubmission }
}

/// Decree 42/2022 classes online services as full or partial instead of levels 3 and 4.
public enum OnlineScope: String, Codable, Sendable, CaseIterable {
    case full
    case partial
    case none

    /// The scope that corresponds to a legacy level.
    public init(level: ServiceLevel) {
        switch level {
        case .fullyOnline: self = .full
        case .onlineSubmission: self = .partial
        case .information, .downloadableForms: self = .none
        }
    }
}

/// The roles a signed-in principal can hold.
public enum Role: String, Codable, Sendable, CaseIterable {
    case citizen
    /// Intake officers and specialists: they receive and process dossiers.
    case officer
    case leader
    /// Keeps the registers and numbers and dispatches official documents (văn thư).
    case clerk
    case editor
    /// Manages the staff accounts of their agency and the agencies under it, and nothing else.
    case agencyAdmin
    /// The province's administrator: every agency, the catalog, the settings.
    case admin
    /// Another MotCua service acting on its own behalf.
    case service
}
