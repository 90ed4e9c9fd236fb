import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let supplementTitle = Phrase("Yêu cầu bổ sung hồ sơ", "More documents needed")
    static let supplementLead = Phrase("Cơ quan đề nghị bổ sung các giấy tờ sau, hạn cuối {0}:", "The agency asks for these documents by {0}:")
    static let sendSupplement = Phrase("Gửi bổ sung", "Send the documents")
    static let supplementSent = Phrase("Đã gửi giấy tờ bổ sung; hồ sơ tiếp tục được xử lý.", "Your documents are sent; processing goes on.")
    static let feeTitle = Phrase("Phí, lệ phí", "Fees")
    static let feeOwed = Phrase("Số tiền phải nộp: {0}", "Amount due: {0}")
    static let payOnline = Phrase("Thanh toán trực tuyến", "Pay online")
    static let feePaid = Phrase("Đã nộp phí {0}. Biên lai số {1}.", "Fee of {0} paid. Receipt number {1}.")
    static let viewPaymentReceipt = Phrase("Xem biên lai", "See the receipt")
    static let resultTitle = Phrase("Kết quả giải quyết", "Result")
    static let resultNumber = Phrase("Số, ký hiệu", "Number")
    static let signer = Phrase("Người ký", "Signed by")
    static let downloadResult = Phrase("Tải kết quả (bản điện tử)", "Download the result (electronic copy)")
    static let checkSignature = Phrase("Kiểm tra chữ ký số", "Check the digital signature")
    static let ratingTitle = Phrase("Đánh giá mức độ hài lòng", "Rate the service")
    static let ratingLegend = Phrase("Bạn hài lòng thế nào với việc giải quyết hồ sơ?", "How satisfied are you with how your dossier was handled?")
    static let ratingComment = Phrase("Góp ý (không bắt buộc)", "Comments (optional)")
    static let sendRating = Phrase("Gửi đánh giá", "Send")
    static let ratingThanks = Phrase("Cảm ơn bạn đã đánh giá.", "Thank you for your rating.")
    static let ratedAs = Phrase("Bạn đã đánh giá: {0}/5", "Your rating: {0}/5")
    static let alreadyDone = Phrase("Việc này đã được thực hiện hoặc hồ sơ đã thay đổi. Trang đã được tải lại.",
                                    "This was done already or the dossier changed. The page has been reloaded.")
    static let ratingNames = [Phrase("Rất không hài lòng", "Very unhappy"), Phrase("Không hài lòng", "Unhappy"), Phrase("Bình thường", "Neutral"),
                              Phrase("Hài lòng", "Satisfied"), Phrase("Rất hài lòng", "Very satisfied")]
}

/// One dossier as its applicant sees it: what it is, where it stands, and what they can do now.
struct DossierPage {
    enum Notice: String {
        case supplement, rated, stale
    }

    struct Fee {
        var total: VND
        var paid: PaymentView?
    }

    let visitor: Visitor
    let dossier: DossierView
    let agencyName: String
    let fee: Fee?
    let submitted: Bool
    let notice: Notice?

    static func deliveryName(_ method: DeliveryMethod) -> Phrase {
        switch method {
        case .counter: .deliveryCounter
        case .post: .deliveryPost
        case .online: .deliveryOnline
        }
    }

    var response: Response {
        let l = self.visitor.language
        let d = self.dossier
        let base = "/my/dossiers/\(d.id.pathSegment)"
        var body = "<p class=\"muted\"><a href=\"/my/dossiers\">\(HTML.escape(Phrase.myDossiers(l)))</a></p>"
        body += "<h1>\(HTML.escape(d.procedureName))</h1>"
        if self.submitted { body += FormHTML.notice(Phrase.submittedNotice.with(d.code), l) }
        switch self.notice {
        case .supplement: body += FormHTML.notice(.supplementSent, l)
        case .rated: body += FormHTML.notice(.ratingThanks, l)
        case .stale: body += "<div class=\"alert\" role=\"alert\"><p>\(HTML.escape(Phrase.alreadyDone(l)))</p></div>"
        case nil: break
        }
        var rows = "<tr><th>\(HTML.escape(Phrase.dossierCode(l)))</th><td><strong>\(HTML.escape(d.code))</strong></td></tr>"
            + "<tr><th>\(HTML.escape(Phrase.agency(l)))</th><td>\(HTML.escape(self.agencyName))</td></tr>"
            + "<tr><th>\(HTML.escape(Phrase.status(l)))</th><td><strong>\(HTML.escape(Display.status(d.status, l)))</strong></td></tr>"
            + "<tr><th>\(HTML.escape(Phrase.submittedAt(l)))</th><td>\(Display.dateTime(d.submittedAt))</td></tr>"
        if let received = d.clock.receivedAt { rows += "<tr><th>\(HTML.escape(Phrase.receivedAt(l)))</th><td>\(Display.dateTime(received))</td></tr>" }
        if let due = d.clock.dueAt { rows += "<tr><th>\(HTML.escape(Phrase.dueAt(l)))</th><td>\(Display.dateTime(due))</td></tr>" }
        rows += "<tr><th>\(HTML.escape(Phrase.deliveryMethod(l)))</th><td>\(HTML.escape(Self.deliveryName(d.delivery.method)(l)))</td></tr>"
        body += "<table><tbody>\(rows)</tbody></table>"
        if d.clock.receivedAt != nil { body += "<p><a href=\"\(base)/receipt\">\(HTML.escape(Phrase.receipt(l)))</a></p>" }
        body += self.supplement(base, l) + self.feeSection(base, l) + self.result(base, l) + self.rating(base, l)
        let steps = d.history.map { entry in
            "<li><time>\(Display.dateTime(entry.at))</time> — \(HTML.escape(Display.status(entry.toStatus, l)))"
                + (entry.comment.map { ": " + HTML.escape($0) } ?? "") + "</li>"
        }.joined()
        body += "<h2>\(HTML.escape(Phrase.history(l)))</h2><ol class=\"timeline\">\(steps)</ol>"
        return Layout.page(self.visitor, title: Phrase(d.code, d.code), body: HTML(raw: body))
    }

    private func supplement(_ base: String, _ l: Language) -> String {
        guard self.dossier.status == .supplementRequested, let request = self.dossier.supplementRequest else { return "" }
        let files = request.documents.enumerated().map { index, name in
            var input = FormHTML.Input(type: "file", hint: .fileHint, keepsValue: false)
            input.accept = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.xml"
            return FormHTML.field("doc-\(index)", Phrase(name, name), FormState(), l, input)
        }.joined()
        return """
            <section class="card"><h2>\(HTML.escape(Phrase.supplementTitle(l)))</h2>
            <p>\(HTML.escape(Phrase.supplementLead.with(Display.date(request.deadline))(l)))</p>
            <form class="stack" method="post" action="\(base)/supplement" enctype="multipart/form-data" data-once>
            \(FormHTML.csrf(self.visitor))<input type="hidden" name="version" value="\(self.dossier.version)">
            \(files)
            <button type="submit">\(HTML.escape(Phrase.sendSupplement(l)))</button></form></section>
            """
    }

    private func feeSection(_ base: String, _ l: Language) -> String {
        guard let fee = self.fee else { return "" }
        if let paid = fee.paid {
            return """
                <section class="card"><h2>\(HTML.escape(Phrase.feeTitle(l)))</h2>
                <p class="ok">\(HTML.escape(Phrase.feePaid.with(paid.amount.formatted, paid.receiptNumber ?? "—")(l)))</p></section>
                """
        }
        return """
            <section class="card"><h2>\(HTML.escape(Phrase.feeTitle(l)))</h2>
            <p>\(HTML.escape(Phrase.feeOwed.with(fee.total.formatted)(l)))</p>
            <form method="post" action="\(base)/pay" data-once>\(FormHTML.csrf(self.visitor))\
            <input type="hidden" name="key" value="\(UUID().uuidString.lowercased())">
            <button type="submit">\(HTML.escape(Phrase.payOnline(l)))</button></form></section>
            """
    }

    private func result(_ base: String, _ l: Language) -> String {
        guard let result = self.dossier.result, [.resultReady, .delivered].contains(self.dossier.status) else { return "" }
        var links = ""
        if self.dossier.status == .delivered, self.dossier.delivery.method == .online {
            links += "<p><a class=\"button\" href=\"\(base)/result\">\(HTML.escape(Phrase.downloadResult(l)))</a></p>"
        }
        if let code = result.verificationCode {
            links += "<p><a href=\"/check/\(HTML.escape(code.pathSegment))\">\(HTML.escape(Phrase.checkSignature(l)))</a> (\(HTML.escape(code)))</p>"
        }
        return """
            <section class="card"><h2>\(HTML.escape(Phrase.resultTitle(l)))</h2>
            <table><tbody><tr><th>\(HTML.escape(Phrase.resultNumber(l)))</th><td>\(HTML.escape(result.number))</td></tr>
            <tr><th>\(HTML.escape(Phrase.signer(l)))</th><td>\(HTML.escape(result.signer))</td></tr></tbody></table>
            \(links)</section>
            """
    }

    private func rating(_ base: String, _ l: Language) -> String {
        guard self.dossier.status == .delivered else { return "" }
        if let rating = self.dossier.rating {
            return "<p>\(HTML.escape(Phrase.ratedAs.with(String(rating))(l)))</p>"
        }
        let choices = (1...5).reversed().map { score in
            "<label><input type=\"radio\" name=\"score\" value=\"\(score)\" required> \(HTML.escape(Phrase.ratingNames[score - 1](l)))</label>"
        }.joined(separator: "<br>")
        return """
            <section class="card"><h2>\(HTML.escape(Phrase.ratingTitle(l)))</h2>
            <form class="stack" method="post" action="\(base)/rating" data-once>\(FormHTML.csrf(self.visitor))
            <fieldset><legend>\(HTML.escape(Phrase.ratingLegend(l)))</legend>\(choices)</fieldset>
            \(FormHTML.field("comment", .ratingComment, FormState(), l, .init(required: false)))
            <button type="submit">\(HTML.escape(Phrase.sendRating(l)))</button></form></section>
            """
    }
}
