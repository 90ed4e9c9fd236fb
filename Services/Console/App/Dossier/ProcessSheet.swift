import Contracts
import DomainKit
import Foundation
import PageKit

/// The dossier's internal process as the dossier page shows it: each step with who does it and its allowance,
/// done (on time or late), current (with its due time) or to come; and every handover, the rows of the process
/// control sheet (form 05): who handed it to whom, when, by which due time, on time or late, and why it went back.
struct ProcessSheet {
    struct Step {
        let number: String
        let title: String
        let performer: String
        let allowance: String
        let state: String
        /// "done", "late", "current", "current late" or "" (to come), for the row's colour.
        let tone: String
        let current: Bool
    }
    struct Handover { let at: String; let step: String; let from: String; let to: String; let due: String; let outcome: String; let late: Bool; let note: String }

    let heading: String
    let headers: [String]
    let steps: [Step]
    let handoversHeading: String
    let handoverHeaders: [String]
    let handovers: [Handover]
    let hasHandovers: Bool

    enum Text {
        static let heading = Phrase("Quy trình nội bộ", "Internal process")
        static let headers = [Phrase("Bước", "Step"), Phrase("Việc", "Task"), Phrase("Người thực hiện", "Done by"),
                              Phrase("Thời gian", "Allowance"), Phrase("Tình trạng", "State")]
        static let officer = Phrase("Cán bộ, chuyên viên", "Officer")
        static let leader = Phrase("Lãnh đạo", "Leader")
        static let days = Phrase("{0} ngày", "{0} days")
        static let doneOnTime = Phrase("Xong {0}, đúng hạn", "Done {0}, on time")
        static let doneLate = Phrase("Xong {0}, trễ hạn", "Done {0}, late")
        static let now = Phrase("Đang thực hiện, hạn {0}", "Under way, due {0}")
        static let nowLate = Phrase("Đang thực hiện, quá hạn từ {0}", "Under way, late since {0}")
        static let handovers = Phrase("Luân chuyển hồ sơ", "Handovers")
        static let handoverHeaders = [Phrase("Thời điểm", "When"), Phrase("Bước", "Step"), Phrase("Bên giao", "Handed by"),
                                      Phrase("Bên nhận", "Handed to"), Phrase("Hạn của bước", "Step due"), Phrase("Kết quả", "Outcome"),
                                      Phrase("Ghi chú", "Note")]
        static let onTime = Phrase("Đúng hạn", "On time")
        static let late = Phrase("Quá hạn", "Late")
        static let back = Phrase("Trả lại: {0}", "Sent back: {0}")
        static let finished = Phrase("Kết thúc", "End")
    }

    /// nil when the dossier has no process (not received yet, or its procedure has none).
    init?(_ process: DossierProcess?, agencyNames: [String: String], names: [String: String], now: Date, language: Language) {
        guard let process else { return nil }
        func person(_ id: String?) -> String? { id.map { names[$0] ?? $0 } }
        func place(_ code: String) -> String { agencyNames[code] ?? code }
        self.heading = Text.heading(language)
        self.headers = Text.headers.map { $0(language) }
        self.steps = process.steps.indices.map { index in
            let step = process.steps[index]
            let performer = step.agencyCode.map(place) ?? (step.role == .leader ? Text.leader : Text.officer)(language)
            let isCurrent = index == process.current && !process.isFinished
            let state: String, tone: String
            if isCurrent {
                let late = process.isLate(at: now)
                state = (late ? Text.nowLate : Text.now).with(Display.dateTime(process.dueAt))(language)
                tone = late ? "current late" : "current"
            } else if let done = process.log.last(where: { $0.step == index }), index < process.current || process.isFinished {
                state = (done.late ? Text.doneLate : Text.doneOnTime).with(Display.dateTime(done.finishedAt))(language)
                tone = done.late ? "late" : "done"
            } else {
                state = "—"
                tone = ""
            }
            return Step(number: String(index + 1), title: step.title, performer: performer,
                        allowance: Text.days.with(Display.days(process.allowanceDays(of: index)))(language), state: state, tone: tone, current: isCurrent)
        }
        self.handoversHeading = Text.handovers(language)
        self.handoverHeaders = Text.handoverHeaders.map { $0(language) }
        self.handovers = process.log.map { record in
            let next = record.toStep.map { process.steps[$0] }
            let receiver = person(record.handedTo) ?? next.map { step in step.agencyCode.map(place) ?? (step.role == .leader ? Text.leader : Text.officer)(language) }
            return Handover(at: Display.dateTime(record.finishedAt), step: "\(record.step + 1). \(record.title)",
                            from: (person(record.by) ?? record.by) + (record.agencyCode == process.homeAgency ? "" : " — " + place(record.agencyCode)),
                            to: receiver.map { r in record.toStep.map { "\($0 + 1). \(r)" } ?? r } ?? Text.finished(language),
                            due: Display.dateTime(record.dueAt), outcome: (record.late ? Text.late : Text.onTime)(language), late: record.late,
                            note: record.move == .back ? Text.back.with(record.reason ?? "")(language) : "")
        }
        self.hasHandovers = !self.handovers.isEmpty
    }
}
