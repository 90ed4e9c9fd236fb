import ConsoleApp
import Contracts
import DomainKit
import Foundation
import ServiceKit
import ServiceTesting
import Testing

/// At the counter an incomplete dossier is not received: the officer asks for what is missing (the documents left
/// unticked and any written in), with a reason and a deadline, and prints the supplement request; or refuses it and
/// prints the refusal. A decision without what it needs is refused beside its field and stores nothing.
@Suite("Console: decisions at the counter")
struct IntakeDecisionTests {
    @Test func anIncompleteWalkInIsAskedForWhatIsMissingOrRefused() async throws {
        try await ConsolePlatform.run { platform in
            try await platform.signIn()
            let form = try await platform.browser.get("/intake/\(ConsolePlatform.residence)")
            #expect(form.html.contains(#"name="decision" value="requestSupplement""#))
            var fields = ["kind": "person", "fullName": "Tô Thị Mai", "citizenId": "091195000458", "phone": "0913 222 444",
                          "address": "Ấp Bãi Nhà, xã Hòn Tre", "delivery": "counter",
                          // Only the declaration is handed in.
                          "doc-0": try #require(form.value("doc-0")),
                          "decision": "requestSupplement", "otherDocuments": "Bản sao sổ hộ khẩu cũ", "deadline": LocalDate(Date()).adding(days: 5).description]
            let noReason = try await platform.browser.post("/intake/\(ConsolePlatform.residence)", fields, from: form)
            #expect(noReason.status == .unprocessableContent && noReason.error("reason") == "Cần ghi rõ lý do.")
            #expect(noReason.html.contains(#"<details class="decision" open>"#))
            #expect(noReason.value("fullName") == "Tô Thị Mai")
            let officer = Identity(subject: "o", roles: [.officer], agency: ConsolePlatform.honTre)
            func found() async throws -> Int {
                try await platform.singleWindow.execute(uri: "/v1/inbox?q=to+thi+mai&status=1,3,5", method: .get, headers: try await platform.headers(officer)) {
                    try JSONDecoder.motcua.decode(InboxPage.self, from: Data($0.body.readableBytesView)).total
                }
            }
            #expect(try await found() == 0)

            fields["reason"] = "Thiếu giấy tờ chứng minh chỗ ở hợp pháp"
            let asked = try await platform.browser.post("/intake/\(ConsolePlatform.residence)", fields, from: noReason)
            let slip = try #require(asked.location)
            #expect(slip.hasSuffix("/print/02"))
            let printed = try await platform.browser.get(slip)
            #expect(printed.status == .ok)
            #expect(printed.html.contains("Giấy tờ chứng minh chỗ ở hợp pháp") && printed.html.contains("Bản sao sổ hộ khẩu cũ"))
            #expect(printed.html.contains("Thiếu giấy tờ chứng minh chỗ ở hợp pháp"))
            let id = String(slip.dropFirst("/dossiers/".count).prefix { $0 != "/" })
            let dossier = try await platform.dossier(id)
            #expect(dossier.status == .supplementRequested && dossier.clock.receivedAt == nil && dossier.channel == .counter)

            // Refused at the counter: the refusal prints with its reason.
            fields["decision"] = "refuse"
            fields["reason"] = "Người nộp không cư trú tại xã"
            fields["citizenId"] = "091195000459"
            let refused = try await platform.browser.post("/intake/\(ConsolePlatform.residence)", fields, from: form)
            let refusal = try #require(refused.location)
            #expect(refusal.hasSuffix("/print/03"))
            #expect(try await platform.browser.get(refusal).html.contains("Người nộp không cư trú tại xã"))
        }
    }

    /// A scanned component is stored with the dossier; the next dossier of the same citizen ID finds it by the look-up
    /// and reuses it instead of a new paper, the dossier saying where it came from.
    @Test func aScanIsKeptAndTheNextDossierOfTheSameCitizenReusesIt() async throws {
        try await ConsolePlatform.run { platform in
            try await platform.signIn()
            let form = try await platform.browser.get("/intake/\(ConsolePlatform.residence)")
            #expect(form.html.contains(#"enctype="multipart/form-data""#) && form.html.contains(#"name="scan-0" type="file""#))
            let declaration = try #require(form.value("name-0")), proof = try #require(form.value("name-1"))
            let person = ["kind": "person", "fullName": "Hà Văn Sơn", "citizenId": "091195000460", "phone": "0913 222 555",
                          "address": "Ấp Bãi Nhà, xã Hòn Tre", "delivery": "counter", "name-0": declaration, "name-1": proof]
            let pdf = Array("%PDF-1.7\nTo khai CT01 da quet\n%%EOF\n".utf8)
            let first = try await platform.browser.postMultipart("/intake/\(ConsolePlatform.residence)", person.merging(["doc-1": proof]) { $1 },
                                                                 files: [("scan-0", "to-khai.pdf", pdf)], from: form)
            let firstID = String(try #require(first.location, "\(first.status) \(first.html.prefix(300))").dropFirst("/dossiers/".count).prefix { $0 != "?" })
            let scanned = try await platform.dossier(firstID)
            #expect(scanned.attachments.map(\.documentName) == [declaration, proof])
            let file = try #require(scanned.attachments.first?.fileId, "the scan is kept as a file")
            #expect(scanned.attachments.last?.fileId == nil, "the proof was handed in on paper")

            // The same citizen again: the look-up offers the earlier scan beside the declaration, chosen.
            let looked = try await platform.browser.postMultipart("/intake/\(ConsolePlatform.residence)", person.merging(["decision": "lookup"]) { $1 },
                                                                  files: [], from: form)
            #expect(looked.status == .ok && looked.html.contains("Có 1 giấy tờ điện tử từ hồ sơ trước"))
            let option = "\(file) \(scanned.code)"
            #expect(looked.html.contains(#"<option value="\#(option)" selected>"#))
            #expect(looked.value("fullName") == "Hà Văn Sơn")
            let second = try await platform.browser.postMultipart("/intake/\(ConsolePlatform.residence)",
                                                                  person.merging(["reuse-0": option, "doc-1": proof]) { $1 }, files: [], from: looked)
            let secondID = String(try #require(second.location).dropFirst("/dossiers/".count).prefix { $0 != "?" })
            let reused = try await platform.dossier(secondID)
            #expect(reused.attachments.first == Attachment(documentName: declaration, fileId: file, reusedFrom: scanned.code))
            #expect(reused.status == .received)
        }
    }
}
