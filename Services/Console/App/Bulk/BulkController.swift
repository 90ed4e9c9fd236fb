import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// The progress of a bulk assignment, for the leader who started it: how many dossiers went, which were refused and
/// why, and why it waits or stopped. The page reloads itself every few seconds until the job is over.
struct BulkController {
    let pages: StaffPages
    let jobs: BulkJobs

    enum Text {
        static let title = Phrase("Giao hồ sơ hàng loạt", "Bulk assignment")
        static let heading = Phrase("Giao hồ sơ cho {0}", "Dossiers assigned to {0}")
        static let started = Phrase("Bắt đầu lúc {0}", "Started at {0}")
        static let listing = Phrase("Đang lập danh sách hồ sơ cần giao…", "Listing the dossiers to assign…")
        static let running = Phrase("Đang giao: đã xử lý {0} trên {1} hồ sơ. Trang tự cập nhật; bạn có thể rời trang, việc giao vẫn tiếp tục.",
                                    "Assigning: {0} of {1} dossiers done. This page updates itself; you may leave it, the assignment goes on.")
        static let done = Phrase("Xong: đã giao {0} trên {1} hồ sơ.", "Finished: {0} of {1} dossiers assigned.")
        static let halted = Phrase("Đã dừng: đã giao {0} trên {1} hồ sơ.", "Stopped: {0} of {1} dossiers assigned.")
        static let finished = Phrase("Bắt đầu lúc {0}, kết thúc lúc {1}", "Started at {0}, ended at {1}")
        static let progress = Phrase("Tiến độ", "Progress")
        static let assigned = Phrase("Đã giao", "Assigned")
        static let refused = Phrase("Không giao được", "Not assigned")
        static let waiting = Phrase("Còn lại", "Remaining")
        static let reason = Phrase("Lý do", "Reason")
        static let code = Phrase("Mã hồ sơ", "Code")
        static let back = Phrase("Về hàng đợi", "Back to the queue")
        static let serviceDown = Phrase("Dịch vụ một cửa tạm thời không trả lời; các hồ sơ còn lại sẽ được giao khi dịch vụ trả lời lại. Không cần làm gì thêm.",
                                        "Single-window is not answering for now; the remaining dossiers are assigned when it answers again. Nothing else is needed.")
        static let signedOut = Phrase("Đã dừng vì phiên đăng nhập của bạn đã kết thúc: các hồ sơ còn lại chưa được giao. Đăng nhập lại và giao tiếp từ hàng đợi.",
                                      "Stopped because your session ended: the remaining dossiers were not assigned. Sign in again and assign them from the queue.")
        static let tooMany = Phrase("Đã dừng: danh sách có hơn {0} hồ sơ. Lọc hẹp hơn (theo ngày, thủ tục) rồi giao lại.",
                                    "Stopped: the list holds more than {0} dossiers. Narrow it (by date, by procedure) and assign again.")
        static let stopped = Phrase("Đã dừng: {0}", "Stopped: {0}")
        static let notYours = Phrase("Không có việc giao hồ sơ này trong các việc bạn đã bắt đầu.", "There is no such bulk assignment among those you started.")
        static let runningNow = Phrase("Đang giao hồ sơ hàng loạt cho {0}: {1}/{2}. Xem tiến độ", "Bulk assignment to {0} under way: {1}/{2}. See its progress")
    }

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/bulk/:id", use: self.progress)
    }

    struct Refusal { let code: String; let href: String; let reason: String }

    struct View {
        let frame: PageFrame
        let heading: String
        let started: String
        let status: String
        /// The words an alert carries (stopped, or waiting for a service).
        let alert: String?
        let progressLabel: String
        let value: Int
        let max: Int
        let facts: [Fact]
        let refusals: [Refusal]
        let anyRefused: Bool
        let refusedHeading: String
        let codeHeader: String
        let reasonHeader: String
        let back: String
        let backLabel: String
    }

    @Sendable func progress(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await self.pages.signedIn(request, context: context) { visit, _ in
            guard let account = visit.session?.accountID, let job = try await self.jobs.find(try context.parameters.require("id"), of: account) else {
                throw Problem.notFound(Text.notYours(visit.language))
            }
            let language = visit.language
            let refusals = job.refused == 0 ? [] : try await self.jobs.refusals(of: job.id)
            var frame = self.pages.frame(visit, title: Text.title)
            if !job.isFinished { frame.refresh = 2 }
            let handled = job.assigned + job.refused
            let status: String = switch job.state {
            case .listing: Text.listing(language)
            case .running: Text.running.with(String(handled), String(job.total))(language)
            case .done: Text.done.with(String(job.assigned), String(job.total))(language)
            case .stopped: Text.halted.with(String(job.assigned), String(job.total))(language)
            }
            let started = job.finishedAt.map { Text.finished.with(Display.dateTime(job.createdAt), Display.dateTime($0)) }
                ?? Text.started.with(Display.dateTime(job.createdAt))
            let view = View(frame: frame, heading: Text.heading.with(job.officerName)(language), started: started(language),
                            status: status, alert: self.note(job, language: language), progressLabel: Text.progress(language),
                            value: handled, max: Swift.max(job.total, 1),
                            facts: [Fact(label: Text.assigned(language), value: String(job.assigned), strong: true),
                                    Fact(label: Text.refused(language), value: String(job.refused)),
                                    Fact(label: Text.waiting(language), value: String(job.total - handled))],
                            refusals: refusals.map { Refusal(code: $0.code, href: "/dossiers/\($0.dossierID)", reason: $0.detail ?? "") },
                            anyRefused: !refusals.isEmpty,
                            refusedHeading: Text.refused(language), codeHeader: Text.code(language), reasonHeader: Text.reason(language),
                            back: "/queues/" + job.queue, backLabel: Text.back(language))
            return try self.pages.page(visit, "bulk", view)
        }
    }

    /// Why the job waits or stopped, in the reader's words (a service's own refusal as it said it).
    func note(_ job: BulkJob, language: Language) -> String? {
        guard let note = job.note else { return nil }
        switch BulkRunner.Note(rawValue: note) {
        case .serviceDown: return job.isFinished ? nil : Text.serviceDown(language)
        case .signedOut: return Text.signedOut(language)
        case .tooMany: return Text.tooMany.with(String(self.jobs.limit))(language)
        case nil: return Text.stopped.with(note)(language)
        }
    }
}
