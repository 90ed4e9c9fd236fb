import DomainKit
import PageKit

/// The strings the console's frame and shared parts show, in both languages.
enum ConsolePhrases {
    static let siteName = Phrase("Một cửa điện tử · Bàn làm việc cán bộ", "Single window · Staff console")
    static let footer = Phrase("Hệ thống thông tin giải quyết thủ tục hành chính · Phần mềm nguồn mở MotCua",
                               "Administrative procedure system · MotCua open-source software")
    /// The help overlay's list (the script in `ConsoleAssets` binds these keys).
    static func shortcuts(_ language: Language) -> PageFrame.Help {
        let keys: [(String, Phrase)] = [
            ("?", Phrase("Mở bảng phím tắt này", "Open this list")),
            ("Alt+1 … Alt+9", Phrase("Mở hàng đợi theo thứ tự trên thanh điều hướng", "Open the queues, in the navigation's order")),
            ("/", Phrase("Tìm hồ sơ trong hàng đợi", "Search the queue")),
            ("j / k", Phrase("Hồ sơ sau / trước trong danh sách (Enter để mở)", "Next / previous dossier of the list (Enter opens it)")),
            ("n / p", Phrase("Hồ sơ sau / trước của hàng đợi, trên trang hồ sơ", "Next / previous dossier of the queue, on a dossier's page")),
            ("t", Phrase("Nhận xử lý hồ sơ đang mở", "Take the dossier open")),
            ("a", Phrase("Đến phần xử lý của hồ sơ", "Go to the dossier's actions")),
            ("Esc", Phrase("Đóng bảng này", "Close this list")),
        ]
        return PageFrame.Help(title: Phrase("Phím tắt", "Keyboard shortcuts")(language), open: Phrase("Phím tắt (?)", "Shortcuts (?)")(language),
                              close: Phrase("Đóng", "Close")(language), keys: keys.map { .init(keys: $0.0, does: $0.1(language)) })
    }

    /// What a page says when a service it needs does not answer.
    static func serviceDown(_ language: Language) -> String {
        Phrase("Một phần của hệ thống tạm thời không trả lời; xin thử lại sau ít phút. Không có gì bị thay đổi.",
               "Part of the system does not answer for now; please try again in a few minutes. Nothing was changed.")(language)
    }

    static let backToQueues = Phrase("Về hàng đợi hồ sơ", "Back to the queues")

    static func problemHeading(_ status: Int) -> Phrase {
        switch status {
        case 403: Phrase("Không có quyền", "Not allowed")
        case 404: Phrase("Không tìm thấy", "Not found")
        case 409: Phrase("Hồ sơ đã thay đổi", "The dossier changed")
        case 503, 502, 504: Phrase("Hệ thống tạm thời không trả lời", "The system does not answer for now")
        default: Phrase("Chưa thực hiện được", "This could not be done")
        }
    }
}
