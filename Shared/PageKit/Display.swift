import Contracts
import DomainKit
import Foundation

/// How domain values read on a page, in either language.
public enum Display {
    /// "29/11/2026 14:05", Vietnam time.
    public static func dateTime(_ date: Date) -> String {
        let text = VietnamTime.rfc3339(date)  // 2026-11-29T14:05:00+07:00
        let parts = Array(text.utf8)
        func slice(_ from: Int, _ count: Int) -> String { String(decoding: parts[from..<(from + count)], as: UTF8.self) }
        return "\(slice(8, 2))/\(slice(5, 2))/\(slice(0, 4)) \(slice(11, 5))"
    }

    /// "29/11/2026".
    public static func date(_ date: Date) -> String { String(self.dateTime(date).prefix(10)) }

    public static func date(_ day: LocalDate) -> String {
        Digits.padded(day.day, width: 2) + "/" + Digits.padded(day.month, width: 2) + "/" + Digits.padded(day.year, width: 4)
    }

    public static func money(_ amount: VND, _ language: Language) -> String {
        amount.amount == 0 ? Phrase("Không thu phí", "No fee")(language) : amount.formatted
    }

    public static func status(_ status: DossierStatus, _ language: Language) -> String {
        language == .vi ? status.vietnameseName : status.englishName
    }

    /// How a dossier came in.
    public static func channel(_ channel: IntakeChannel?) -> Phrase {
        switch channel {
        case .counter: Phrase("Tại quầy", "Counter")
        case .online: Phrase("Trực tuyến", "Online")
        case .post: Phrase("Bưu chính", "Post")
        case .nationalPortal: Phrase("Cổng DVC quốc gia", "National portal")
        case nil: Phrase("—", "—")
        }
    }

    /// An event's comment as a person reads it: the submission's is the channel it came by, named rather than coded.
    public static func comment(_ event: DossierEventView, _ language: Language) -> String? {
        guard event.action == "submit", let channel = event.comment.flatMap(IntakeChannel.init(rawValue:)) else { return event.comment }
        return self.channel(channel)(language)
    }

    /// A staff role's name; nil for those no page names (a citizen, a service).
    public static func role(_ role: Role) -> Phrase? {
        switch role {
        case .officer: Phrase("Cán bộ tiếp nhận, chuyên viên", "Officer")
        case .leader: Phrase("Lãnh đạo", "Leader")
        case .clerk: Phrase("Văn thư", "Clerk")
        case .agencyAdmin: Phrase("Quản trị cơ quan", "Agency administrator")
        case .admin: Phrase("Quản trị tỉnh", "Province administrator")
        case .editor: Phrase("Biên tập", "Editor")
        case .citizen, .service: nil
        }
    }

    public static func serviceLevel(_ level: ServiceLevel) -> Phrase {
        switch level {
        case .information: Phrase("Mức độ 1 · Thông tin", "Level 1 · Information")
        case .downloadableForms: Phrase("Mức độ 2 · Tải biểu mẫu", "Level 2 · Downloadable forms")
        case .onlineSubmission: Phrase("Mức độ 3 · Nộp hồ sơ trực tuyến", "Level 3 · Online submission")
        case .fullyOnline: Phrase("Mức độ 4 · Trực tuyến toàn trình", "Level 4 · Fully online")
        }
    }

    public static func agencyLevel(_ level: AgencyLevel) -> Phrase {
        switch level {
        case .province: Phrase("Cấp tỉnh", "Province")
        case .department: Phrase("Sở, ban, ngành", "Department")
        case .district: Phrase("Cấp huyện", "District")
        case .commune: Phrase("Cấp xã", "Commune")
        }
    }

    public static func onlineScope(_ scope: OnlineScope) -> Phrase {
        switch scope {
        case .full: Phrase("Toàn trình", "Full")
        case .partial: Phrase("Một phần", "Partial")
        case .none: Phrase("Không trực tuyến", "Not online")
        }
    }

    public static func documentForm(_ form: Procedure.DocumentForm) -> Phrase {
        switch form {
        case .original: Phrase("Bản chính", "Original")
        case .certifiedCopy: Phrase("Bản sao chứng thực", "Certified copy")
        case .copyWithOriginal: Phrase("Bản sao kèm bản chính để đối chiếu", "Copy with the original to compare")
        }
    }

    /// Working days as a process publishes them: "1", "1,5", "0,25" (a Vietnamese decimal comma, no trailing zeros).
    public static func days(_ days: Double) -> String {
        var text = String(format: "%.2f", days)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text.replacingOccurrences(of: ".", with: ",")
    }

    public static func workingDays(_ days: Int) -> Phrase {
        Phrase("\(days) ngày làm việc", days == 1 ? "1 working day" : "\(days) working days")
    }

    /// How the applicant receives the result.
    /// A payment's state as a payer or an officer reads it.
    public static func paymentState(_ state: PaymentState) -> Phrase {
        switch state {
        case .created, .started: Phrase("Chờ thanh toán", "Waiting to be paid")
        case .submitted: Phrase("Ngân hàng đang xử lý", "At the bank")
        case .success: Phrase("Đã nộp", "Paid")
        case .failed: Phrase("Không thành công", "Failed")
        case .error: Phrase("Lỗi từ ngân hàng, đang đối soát", "Bank error, being reconciled")
        case .cancelled: Phrase("Đã hủy", "Cancelled")
        }
    }

    public static func delivery(_ method: DeliveryMethod) -> Phrase {
        switch method {
        case .counter: Phrase("Tại bộ phận một cửa", "At the one-stop counter")
        case .post: Phrase("Qua bưu chính công ích", "By public post")
        case .online: Phrase("Trực tuyến (tải về)", "Online (download)")
        }
    }
}
