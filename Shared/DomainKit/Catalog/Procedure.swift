import Foundation

/// An administrative procedure as the provincial catalog publishes it.
public struct Procedure: Codable, Sendable, Equatable {
    /// The national catalog's code, such as "1.001193".
    public var code: String
    public var name: String
    /// "Hộ tịch", "Xây dựng", "Đất đai", …
    public var sector: String
    /// The levels of administration that carry it out.
    public var levels: [AgencyLevel]
    /// Agencies named to carry it out. At a level where some agency is named, only the named ones do; at the other
    /// levels in `levels`, every agency does.
    public var agencyCodes: [String]
    public var serviceLevel: ServiceLevel
    public var onlineScope: OnlineScope
    /// Legal processing time in working days (0: settled the same day).
    public var processingDays: Int
    public var fees: [Fee]
    public var documents: [RequiredDocument]
    /// In order; their shares of the processing time add up to 100.
    public var steps: [Step]
    /// What the applicant receives: "Giấy chứng nhận kết hôn", …
    public var resultType: String
    public var legalBasis: [String]
    public var allowsOnlinePayment: Bool
    public var allowsPostalIntake: Bool
    public var allowsPostalDelivery: Bool

    /// A fee or charge, in VND.
    public struct Fee: Codable, Sendable, Equatable {
        public var name: String
        public var amount: VND

        public init(name: String, amount: VND) {
            self.name = name
            self.amount = amount
        }
    }

    /// A document the applicant hands in.
    public struct RequiredDocument: Codable, Sendable, Equatable {
        public var name: String
        public var copies: Int
        public var form: DocumentForm
        /// Where the blank form can be downloaded, when there is one.
        public var templateURL: String?

        public init(name: String, copies: Int = 1, form: DocumentForm = .original, templateURL: String? = nil) {
            self.name = name
            self.copies = copies
            self.form = form
            self.templateURL = templateURL
        }
    }

    public enum DocumentForm: String, Codable, Sendable, CaseIterable {
        case original
        case certifiedCopy
        case copyWithOriginal
    }

    /// One processing step: who does it and what share of the time it has.
    public struct Step: Codable, Sendable, Equatable {
        public var title: String
        /// "officer", "leader", or an agency code for a step done elsewhere.
        public var performer: String
        public var sharePercent: Int

        public init(title: String, performer: String, sharePercent: Int) {
            self.title = title
            self.performer = performer
            self.sharePercent = sharePercent
        }
    }

    public init(
        code: String, name: String, sector: String, levels: [AgencyLevel], agencyCodes: [String] = [], serviceLevel: ServiceLevel,
        processingDays: Int, fees: [Fee] = [], documents: [RequiredDocument], steps: [Step], resultType: String, legalBasis: [String],
        allowsOnlinePayment: Bool? = nil, allowsPostalIntake: Bool = true, allowsPostalDelivery: Bool = true
    ) {
        self.code = code
        self.name = name
        self.sector = sector
        self.levels = levels
        self.agencyCodes = agencyCodes
        self.serviceLevel = serviceLevel
        self.onlineScope = OnlineScope(level: serviceLevel)
        self.processingDays = processingDays
        self.fees = fees
        self.documents = documents
        self.steps = steps
        self.resultType = resultType
        self.legalBasis = legalBasis
        self.allowsOnlinePayment = allowsOnlinePayment ?? (serviceLevel == .fullyOnline && !fees.isEmpty)
        self.allowsPostalIntake = allowsPostalIntake
        self.allowsPostalDelivery = allowsPostalDelivery
    }

    /// The total of the fees.
    public var totalFee: VND { self.fees.map(\.amount).total() }

    /// The text that search matches against, without diacritics.
    public var searchKey: String {
        VietnameseText.searchKey("\(self.code) \(self.name) \(self.sector)")
    }

    /// Every problem with it, field by field, in both languages (empty when it can be published).
    public func problems() -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func add(_ field: String, _ code: String, _ vi: String, _ en: String) {
            issues.append(FieldIssue(field: field, code: code, vi: vi, en: en))
        }
        if self.code.isEmpty || self.code.count > 40 || !self.code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) {
            add("code", "procedure.code", "Mã thủ tục gồm chữ, số, dấu chấm hoặc gạch ngang (tối đa 40 ký tự).",
                "A procedure code has letters, digits, dots or hyphens (at most 40).")
        }
        if self.name.trimmingCharacters(in: .whitespaces).isEmpty { add("name", "required", "Cần có tên thủ tục.", "The procedure needs a name.") }
        if self.sector.trimmingCharacters(in: .whitespaces).isEmpty { add("sector", "required", "Cần có lĩnh vực.", "The procedure needs a sector.") }
        if self.levels.isEmpty { add("levels", "required", "Cần ít nhất một cấp thực hiện.", "Name at least one level that carries it out.") }
        if !(0...365).contains(self.processingDays) {
            add("processingDays", "procedure.days", "Thời hạn giải quyết từ 0 đến 365 ngày làm việc.", "Processing time is 0 to 365 working days.")
        }
        if self.onlineScope != OnlineScope(level: self.serviceLevel) {
            add("onlineScope", "procedure.scope", "Mức độ 4 là toàn trình, mức độ 3 là một phần, mức 1-2 không trực tuyến.",
                "Level 4 is fully online, level 3 partly online, levels 1-2 not online.")
        }
        for (index, fee) in self.fees.enumerated() where fee.amount < .zero || fee.name.isEmpty {
            add("fees[\(index)]", "procedure.fee", "Khoản phí cần có tên và số tiền không âm.", "A fee needs a name and an amount of at least 0.")
        }
        for (index, document) in self.documents.enumerated() where document.name.isEmpty || !(1...20).contains(document.copies) {
            add("documents[\(index)]", "procedure.document", "Giấy tờ cần có tên và từ 1 đến 20 bản.", "A document needs a name and 1 to 20 copies.")
        }
        if self.steps.isEmpty || self.steps.map(\.sharePercent).reduce(0, +) != 100 || self.steps.contains(where: { $0.sharePercent <= 0 }) {
            add("steps", "procedure.steps", "Các bước xử lý phải chia đủ 100% thời gian, mỗi bước một phần.",
                "The processing steps must share 100% of the time, each some of it.")
        }
        if self.allowsOnlinePayment && self.fees.isEmpty {
            add("allowsOnlinePayment", "procedure.payment", "Không có phí thì không thanh toán trực tuyến.", "There is nothing to pay online without fees.")
        }
        return issues
    }
}
