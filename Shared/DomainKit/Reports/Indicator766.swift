/// The indicators of Decision 766/QĐ-TTg (2022) on serving citizens and businesses that a one-stop system's own
/// data decides, each with the rule it is counted by, as the report prints it. The figures are shares: `counted`
/// dossiers out of a denominator, both read from the dossiers of an agency (and those under it) in a period; the
/// rules are counted in SQL by single-window's `ReportQueries`, once for the figure and for the dossiers behind it.
public enum Indicator766: String, Codable, Sendable, CaseIterable {
    /// Settled by the appointment date.
    case onTime
    /// Submitted online (the provincial or the national portal).
    case online
    /// Fees paid through the online payment gateway.
    case paidOnline
    /// At least one component held as a file (scanned, uploaded or reused).
    case digitised
    /// The result issued as an electronic (signed) document.
    case electronicResult
    /// Settled neither late nor complained about.
    case satisfaction

    /// Which dossiers of an indicator a drill-down lists.
    public enum Part: String, Codable, Sendable, CaseIterable {
        /// Those the figure counts.
        case counted
        /// Those in its denominator that it does not count.
        case rest
    }

    /// What a denominator is drawn from: the dossiers that came in during the period, or those settled in it.
    public enum Population: Sendable { case submitted, settled }

    public var population: Population {
        switch self {
        case .onTime, .electronicResult, .satisfaction: .settled
        case .online, .paidOnline, .digitised: .submitted
        }
    }

    /// A rating of this or less is a complaint about the service.
    public static let complaintRating = 2
    /// A dossier asked for a supplement more than this many times counts as late (the second request is the agency's fault).
    public static let supplementRoundsAllowed = 1

    public var vietnameseTitle: String {
        switch self {
        case .onTime: "Tỷ lệ hồ sơ giải quyết đúng hạn"
        case .online: "Tỷ lệ hồ sơ nộp trực tuyến"
        case .paidOnline: "Tỷ lệ thanh toán trực tuyến"
        case .digitised: "Tỷ lệ hồ sơ có thành phần được số hóa"
        case .electronicResult: "Tỷ lệ kết quả giải quyết điện tử"
        case .satisfaction: "Mức độ hài lòng"
        }
    }

    public var englishTitle: String {
        switch self {
        case .onTime: "Settled on time"
        case .online: "Submitted online"
        case .paidOnline: "Fees paid online"
        case .digitised: "Dossiers with digitised components"
        case .electronicResult: "Electronic results"
        case .satisfaction: "Satisfaction"
        }
    }

    /// The rule, as the report prints it beside the figure.
    public var vietnameseRule: String {
        switch self {
        case .onTime:
            "Số hồ sơ có kết quả trong kỳ, trả trước hoặc đúng ngày hẹn, trên tổng số hồ sơ có kết quả trong kỳ. Thời gian chờ bổ sung, "
                + "chờ nộp phí không tính; hồ sơ phải bổ sung từ lần thứ hai tính là trễ hạn."
        case .online:
            "Số hồ sơ tiếp nhận trực tuyến (Cổng dịch vụ công của tỉnh và Cổng Dịch vụ công quốc gia) trên tổng số hồ sơ tiếp nhận trong kỳ, "
                + "theo từng kênh."
        case .paidOnline:
            "Số hồ sơ nộp phí, lệ phí qua cổng thanh toán trực tuyến trên tổng số hồ sơ tiếp nhận trong kỳ đã nộp phí, lệ phí."
        case .digitised:
            "Số hồ sơ tiếp nhận trong kỳ có ít nhất một thành phần lưu dạng điện tử (quét, tải lên hoặc tái sử dụng) trên tổng số hồ sơ "
                + "tiếp nhận trong kỳ."
        case .electronicResult:
            "Số hồ sơ có kết quả trong kỳ mà kết quả là văn bản điện tử đã ký số trên tổng số hồ sơ có kết quả trong kỳ."
        case .satisfaction:
            "100 % trừ tỷ lệ hồ sơ có kết quả trong kỳ bị trễ hạn (theo cách tính trên) hoặc bị phản ánh, kiến nghị (đánh giá 1–2 sao)."
        }
    }

    public var englishRule: String {
        switch self {
        case .onTime:
            "Dossiers with a result in the period delivered by their appointment date, out of all with a result in the period. Time waiting "
                + "for a supplement or a fee is not counted; a dossier asked for a supplement a second time counts as late."
        case .online:
            "Dossiers received online (the provincial portal and the National Public Service Portal) out of all received in the period, "
                + "by channel."
        case .paidOnline: "Dossiers received in the period whose fees were paid through the online gateway, out of those that paid fees."
        case .digitised:
            "Dossiers received in the period with at least one component held as a file (scanned, uploaded or reused), out of all received."
        case .electronicResult: "Dossiers with a result in the period whose result is a signed electronic document, out of all with a result."
        case .satisfaction:
            "100 % minus the share of dossiers with a result in the period that were late (as above) or complained about (rated 1–2 stars)."
        }
    }
}
