import ConsoleApp
import Contracts
import DomainKit
import Foundation
import ServiceTesting
import Testing

/// The dossier page walks the procedure's internal process: each step with its allowance and state, the hand-on
/// form offering the colleagues of the next step's role, a leader's step only for leaders, a return with its reason,
/// and every handover on the page and on the process control sheet (form 05).
@Suite("Console: the internal process")
struct ProcessPagesTests {
    @Test func aDossierIsHandedStepByStepAndSentBackWithItsReason() async throws {
        try await ConsolePlatform.run { platform in
            let submitted = try await platform.onlineDossier(applicant: "Phan Văn Nhân")
            let specialist = try await platform.account(phone: "0911000004")
            let leader = try await platform.account(phone: "0911000002")
            try await platform.signIn()
            var page = try await platform.browser.get("/dossiers/\(submitted.id)")
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/actions", [
                "action": "receive", "version": String(submitted.version)], from: page)
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            // Four steps, the first under way; the hand-on form names the next step and offers the officers.
            #expect(page.html.contains("Quy trình nội bộ"))
            #expect(page.capture(#"<tr class="current" aria-current="step"><td>1</td><td>([^<]+)</td>"#) == "Tiếp nhận, kiểm tra hồ sơ")
            #expect(page.html.contains("Bước tiếp: Công chức chuyên môn thẩm định"))
            #expect(page.html.contains(#"<option value="\#(specialist.id)">Đỗ Minh Đức"#))
            #expect(!page.html.contains(#"<option value="\#(leader.id)">"#), "the review step is an officer's")
            var dossier = try await platform.dossier(submitted.id)
            let started = try await platform.browser.post("/dossiers/\(submitted.id)/actions", [
                "action": "startProcessing", "version": String(dossier.version), "startProcessing-assignTo": specialist.id], from: page)
            #expect(started.status == .seeOther)
            dossier = try await platform.dossier(submitted.id)
            #expect(dossier.assignedTo == specialist.id && dossier.process?.current == 1)
            // The counter officer no longer hands it on: it is the specialist's.
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(!page.html.contains(#"name="action" value="forward""#))
            #expect(page.html.contains("Đỗ Minh Đức"))
            // The queue shows the step each dossier is at.
            let queue = try await platform.browser.get("/queues/received")
            #expect(queue.html.contains(#"<span class="step">Công chức chuyên môn thẩm định</span>"#))

            // The specialist hands it to the leader's step, offered the leaders.
            _ = try await platform.browser.post("/logout", [:], from: queue)
            try await platform.signIn(phone: "0911000004")
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(page.html.contains(#"<option value="\#(leader.id)">Lê Văn Cường"#))
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/actions", [
                "action": "forward", "version": String(dossier.version), "forward-assignTo": leader.id], from: page)
            dossier = try await platform.dossier(submitted.id)
            #expect(dossier.process?.current == 2 && dossier.assignedTo == leader.id)
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(!page.html.contains(#"name="action" value="sendBack""#), "a leader's step is handed on by a leader")

            // The leader sends it back: without a reason it is refused beside the field and nothing changes.
            _ = try await platform.browser.post("/logout", [:], from: page)
            try await platform.signIn(phone: "0911000002")
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(page.html.contains("Trả về bước: Công chức chuyên môn thẩm định, cho Đỗ Minh Đức ("))
            let noReason = try await platform.browser.post("/dossiers/\(submitted.id)/actions", [
                "action": "sendBack", "version": String(dossier.version), "sendBack-comment": " "], from: page)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.error("sendBack-comment") == "Cần ghi rõ lý do.")
            #expect(try await platform.dossier(submitted.id).version == dossier.version)
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/actions", [
                "action": "sendBack", "version": String(dossier.version), "sendBack-comment": "Thiếu xác nhận của công an xã"], from: page)
            dossier = try await platform.dossier(submitted.id)
            #expect(dossier.process?.current == 1 && dossier.assignedTo == specialist.id)
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(page.html.contains("Luân chuyển hồ sơ"))
            #expect(page.html.contains("Trả lại: Thiếu xác nhận của công an xã"))
            // The process control sheet prints the same handovers, people by name.
            let sheet = try await platform.browser.get("/dossiers/\(submitted.id)/print/05")
            #expect(sheet.status == .ok)
            #expect(sheet.html.contains("Trả lại: Thiếu xác nhận của công an xã"))
            #expect(sheet.html.contains("Lê Văn Cường") && sheet.html.contains("1. Tiếp nhận, kiểm tra hồ sơ"))
        }
    }

    @Test func aResultIsDraftedWithItsFileAndSubmittedToTheLeaderChosen() async throws {
        try await ConsolePlatform.run { platform in
            let submitted = try await platform.onlineDossier(applicant: "Mai Thị Thu")
            let leader = try await platform.account(phone: "0911000002")
            try await platform.signIn()
            var page = try await platform.browser.get("/dossiers/\(submitted.id)")
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/actions", ["action": "receive", "version": String(submitted.version)], from: page)
            var dossier = try await platform.dossier(submitted.id)
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(!page.html.contains("/result-draft"), "a result is drafted once the dossier is being processed")
            _ = try await platform.browser.post("/dossiers/\(submitted.id)/actions", ["action": "startProcessing", "version": String(dossier.version)],
                                                from: page)
            dossier = try await platform.dossier(submitted.id)
            page = try await platform.browser.get("/dossiers/\(submitted.id)")
            #expect(page.html.contains(#"enctype="multipart/form-data""#) && page.html.contains(#"<option value="\#(leader.id)">Lê Văn Cường"#))
            let fields = ["version": String(dossier.version), "draft-number": "7/2026/XNCT", "draft-signer": "Chủ tịch UBND xã Hòn Tre",
                          "draft-leader": leader.id]
            // No file: refused beside the file field, what was typed kept, nothing filed.
            let noFile = try await platform.browser.postMultipart("/dossiers/\(submitted.id)/result-draft", fields, files: [], from: page)
            #expect(noFile.status == .unprocessableContent)
            #expect(noFile.error("draft-file") == "Chọn tệp kết quả để tải lên.")
            #expect(noFile.value("draft-number") == "7/2026/XNCT")
            // A file documents does not take (plain text): its answer beside the field.
            let text = try await platform.browser.postMultipart("/dossiers/\(submitted.id)/result-draft", fields,
                                                                files: [("draft-file", "ket-qua.txt", Array("không phải PDF".utf8))], from: page)
            #expect(text.status == .unprocessableContent && text.error("draft-file")?.contains("PDF") == true)
            #expect(try await platform.dossier(submitted.id).resultDraft == nil)
            // A PDF: filed for the chairman, the dossier at his step, the page saying what it waits for.
            let filed = try await platform.browser.postMultipart("/dossiers/\(submitted.id)/result-draft", fields,
                                                                 files: [("draft-file", "ket-qua.pdf", Array("%PDF-1.7\n1 0 obj\n%%EOF\n".utf8))], from: page)
            #expect(filed.status == .seeOther && filed.location == "/dossiers/\(submitted.id)?drafted=1")
            dossier = try await platform.dossier(submitted.id)
            #expect(dossier.resultDraft?.leader == leader.id && dossier.resultDraft?.number == "7/2026/XNCT")
            #expect(dossier.process?.current == 2 && dossier.assignedTo == leader.id)
            let shown = try await platform.browser.get(filed.location!)
            #expect(shown.html.contains("Đã trình ký kết quả.") && shown.html.contains("Chờ Lê Văn Cường"))
            #expect(!shown.html.contains(#"action="/dossiers/\#(submitted.id)/result-draft""#))
        }
    }
}

/// Each person chooses the queue's columns for themselves; the choice follows them, and others keep their own.
@Suite("Console: each person's columns")
struct QueueColumnsTests {
    @Test func anOfficerHidesColumnsAndTheChoiceIsTheirs() async throws {
        try await ConsolePlatform.run { platform in
            _ = try await platform.onlineDossier(applicant: "Kiều Thị Vân")
            try await platform.signIn()
            var queue = try await platform.browser.get("/queues/online")
            #expect(queue.html.contains("<th scope=\"col\" class=\"col-channel\">Kênh</th>") && queue.html.contains("<th scope=\"col\" class=\"col-assignee\">Người xử lý</th>"))
            // Nothing ticked: refused, the columns stay.
            let none = try await platform.browser.post("/queues/online/columns", [:], from: queue)
            #expect(none.status == .ok && none.html.contains("Chọn ít nhất một cột."))
            let kept = try await platform.browser.post("/queues/online/columns", ["column-applicant": "1", "column-due": "1", "column-status": "1"], from: queue)
            #expect(kept.status == .seeOther && kept.location == "/queues/online")
            queue = try await platform.browser.get("/queues/online")
            // Each heading's words (a sortable one is a link, with the order's arrow hidden from screen readers).
            let headers = queue.html.components(separatedBy: "<th scope=\"col\"").dropFirst().map { cell in
                cell.components(separatedBy: "</th>")[0]
                    .replacingOccurrences(of: #"<span aria-hidden="true">[^<]*</span>"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
                    .replacingOccurrences(of: #"^[^>]*>"#, with: "", options: .regularExpression).trimmingCharacters(in: .whitespaces)
            }
            #expect(headers == ["Mã hồ sơ", "Người nộp", "Hạn trả", "Trạng thái, bước"])
            #expect(queue.html.contains("Kiều Thị Vân") && !queue.html.contains("<td class=\"col-channel\">Trực tuyến</td>"))
            // Another officer still sees every column.
            _ = try await platform.browser.post("/logout", [:], from: queue)
            try await platform.signIn(phone: "0911000004")
            let theirs = try await platform.browser.get("/queues/online")
            #expect(theirs.html.contains("<th scope=\"col\" class=\"col-channel\">Kênh</th>") && theirs.html.contains("<td class=\"col-channel\">Trực tuyến</td>"))
        }
    }
}
