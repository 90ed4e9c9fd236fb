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

    /// The page's model for `dossier.mustache`: each section is there only when the dossier's state calls for it.
    struct View {
        struct Supplement { var heading: String; var lead: String; var action: String; var version: Int; var files: [FormField]; var submit: String }
        struct Fee { var heading: String; var paid: String?; var owed: String; var action: String; var key: String; var submit: String }
        struct Check { var href: String; var label: String; var code: String }
        struct Result { var heading: String; var facts: [Fact]; var download: PageFrame.Link?; var check: Check? }
        struct Choice { var score: Int; var label: String; var first: Bool }
        struct Rating { var heading: String; var action: String; var legend: String; var choices: [Choice]; var comment: FormField; var submit: String }
        struct Step { var at: String; var status: String; var comment: String? }

        var frame: PageFrame
        var back: String
        var heading: String
        var notices: [String]
        var stale: String?
        var facts: [Fact]
        var receipt: PageFrame.Link?
        var csrf: String
        var supplement: Supplement?
        var fee: Fee?
        var result: Result?
        var rated: String?
        var rating: Rating?
        var historyHeading: String
        var history: [Step]
    }

    func response() throws -> Response {
        let l = self.visitor.language
        let d = self.dossier
        let base = "/my/dossiers/\(d.id.pathSegment)"
        var notices: [String] = []
        if self.submitted { notices.append(Phrase.submittedNotice.with(d.code)(l)) }
        if self.notice == .supplement { notices.append(Phrase.supplementSent(l)) }
        if self.notice == .rated { notices.append(Phrase.ratingThanks(l)) }
        var facts = [Fact(label: Phrase.dossierCode(l), value: d.code, strong: true), Fact(label: Phrase.agency(l), value: self.agencyName),
                     Fact(label: Phrase.status(l), value: Display.status(d.status, l), strong: true),
                     Fact(label: Phrase.submittedAt(l), value: Display.dateTime(d.submittedAt))]
        if let received = d.clock.receivedAt { facts.append(Fact(label: Phrase.receivedAt(l), value: Display.dateTime(received))) }
        if let due = d.clock.dueAt { facts.append(Fact(label: Phrase.dueAt(l), value: Display.dateTime(due))) }
        facts.append(Fact(label: Phrase.deliveryMethod(l), value: Self.deliveryName(d.delivery.method)(l)))
        return try Layout.render(self.visitor, "dossier", View(
            frame: Layout.frame(self.visitor, title: Phrase(d.code, d.code)), back: Phrase.myDossiers(l), heading: d.procedureName, notices: notices,
            stale: self.notice == .stale ? Phrase.alreadyDone(l) : nil, facts: facts,
            receipt: d.clock.receivedAt == nil ? nil : PageFrame.Link(href: "\(base)/receipt", label: Phrase.receipt(l)), csrf: self.visitor.csrfToken,
            supplement: self.supplement(base, l), fee: self.feeSection(base, l), result: self.result(base, l),
            rated: d.status == .delivered ? d.rating.map { Phrase.ratedAs.with(String($0))(l) } : nil, rating: self.rating(base, l),
            historyHeading: Phrase.history(l),
            history: d.history.map { View.Step(at: Display.dateTime($0.at), status: Display.status($0.toStatus, l), comment: Display.comment($0, l)) }))
    }

    private func supplement(_ base: String, _ l: Language) -> View.Supplement? {
        guard self.dossier.status == .supplementRequested, let request = self.dossier.supplementRequest else { return nil }
        let files = request.documents.enumerated().map { index, name in
            var input = FieldInput(type: "file", hint: .fileHint, keepsValue: false)
            input.accept = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.xml"
            return FormState().field("doc-\(index)", Phrase(name, name), l, input)
        }
        return View.Supplement(heading: Phrase.supplementTitle(l), lead: Phrase.supplementLead.with(Display.date(request.deadline))(l),
                               action: "\(base)/supplement", version: self.dossier.version, files: files, submit: Phrase.sendSupplement(l))
    }

    private func feeSection(_ base: String, _ l: Language) -> View.Fee? {
        guard let fee = self.fee else { return nil }
        return View.Fee(heading: Phrase.feeTitle(l), paid: fee.paid.map { Phrase.feePaid.with($0.amount.formatted, $0.number)(l) },
                        owed: Phrase.feeOwed.with(fee.total.formatted)(l), action: "\(base)/pay", key: UUID().uuidString.lowercased(),
                        submit: Phrase.payOnline(l))
    }

    private func result(_ base: String, _ l: Language) -> View.Result? {
        guard let result = self.dossier.result, [.resultReady, .delivered].contains(self.dossier.status) else { return nil }
        let online = self.dossier.status == .delivered && self.dossier.delivery.method == .online
        return View.Result(heading: Phrase.resultTitle(l),
                           facts: [.init(label: Phrase.resultNumber(l), value: result.number), .init(label: Phrase.signer(l), value: result.signer)],
                           download: online ? PageFrame.Link(href: "\(base)/result", label: Phrase.downloadResult(l)) : nil,
                           check: result.verificationCode.map { View.Check(href: "/check/\($0.pathSegment)", label: Phrase.checkSignature(l), code: $0) })
    }

    private func rating(_ base: String, _ l: Language) -> View.Rating? {
        guard self.dossier.status == .delivered, self.dossier.rating == nil else { return nil }
        let choices = (1...5).reversed().map { score in View.Choice(score: score, label: Phrase.ratingNames[score - 1](l), first: score == 5) }
        return View.Rating(heading: Phrase.ratingTitle(l), action: "\(base)/rating", legend: Phrase.ratingLegend(l), choices: choices,
                           comment: FormState().field("comment", .ratingComment, l, .init(required: false)), submit: Phrase.sendRating(l))
    }
}
