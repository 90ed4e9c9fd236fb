import DomainKit

/// The templates a new installation starts with: what an applicant hears of their dossier, by SMS, e-mail and in
/// the app, in Vietnamese and English, and the deadline warning officers get. Ids are `<event>.<channel>.<language>`.
/// SMS are written with their diacritics; routes that carry only GSM-7 send them without (`SMS_UNICODE`).
enum DefaultTemplates {
    private struct Wording {
        let event: String
        let subject: (vi: String, en: String)
        let text: (vi: String, en: String)
        let sms: (vi: String, en: String)
    }

    private static let wordings: [Wording] = [
        Wording(event: "dossier.received",
                subject: ("Hồ sơ ((code)) đã được tiếp nhận", "Dossier ((code)) has been received"),
                text: ("Hồ sơ ((code)) (((procedure))) đã được ((agency)) tiếp nhận. Ngày hẹn trả kết quả: ((dueDate)). Tra cứu: ((lookupUrl))",
                       "Dossier ((code)) (((procedure))) has been received by ((agency)). Result expected on ((dueDate)). Track it at ((lookupUrl))"),
                sms: ("Hồ sơ ((code)) đã được tiếp nhận. Hẹn trả kết quả: ((dueDate)).", "Dossier ((code)) received. Result due ((dueDate)).")),
        Wording(event: "dossier.supplement-requested",
                subject: ("Hồ sơ ((code)) cần bổ sung", "Dossier ((code)) needs more documents"),
                text: ("((agency)) đề nghị bổ sung cho hồ sơ ((code)): ((documents)). Hạn nộp: ((deadline)).",
                       "((agency)) asks for more documents for dossier ((code)): ((documents)). Deadline: ((deadline))."),
                sms: ("Hồ sơ ((code)) cần bổ sung giấy tờ, hạn ((deadline)). Xem chi tiết trên Cổng dịch vụ công.",
                      "Dossier ((code)) needs more documents by ((deadline)). See the portal.")),
        Wording(event: "dossier.result-ready",
                subject: ("Hồ sơ ((code)) đã có kết quả", "Dossier ((code)) has its result"),
                text: ("Hồ sơ ((code)) (((procedure))) đã có kết quả tại ((agency)). Tra cứu: ((lookupUrl))",
                       "Dossier ((code)) (((procedure))) has its result at ((agency)). Track it at ((lookupUrl))"),
                sms: ("Hồ sơ ((code)) đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.",
                      "Dossier ((code)) has its result. Collect it as you chose.")),
        Wording(event: "dossier.delivered",
                subject: ("Đã trả kết quả hồ sơ ((code))", "The result of dossier ((code)) was handed over"),
                text: ("Kết quả hồ sơ ((code)) đã được trả. Mời ông/bà đánh giá mức độ hài lòng: ((lookupUrl))",
                       "The result of dossier ((code)) was handed over. Please rate the service: ((lookupUrl))"),
                sms: ("Kết quả hồ sơ ((code)) đã được trả. Cảm ơn ông/bà.", "The result of dossier ((code)) was handed over. Thank you.")),
    ]

    static var all: [MessageTemplate] {
        var templates: [MessageTemplate] = []
        for wording in self.wordings {
            for (language, subject, text, sms) in [("vi", wording.subject.vi, wording.text.vi, wording.sms.vi),
                                                   ("en", wording.subject.en, wording.text.en, wording.sms.en)] {
                templates.append(MessageTemplate(id: "\(wording.event).sms.\(language)", channel: .sms, language: language, body: sms))
                templates.append(MessageTemplate(id: "\(wording.event).email.\(language)", channel: .email, language: language, subject: subject,
                                                 body: text, html: "<p>\(text)</p>"))
                templates.append(MessageTemplate(id: "\(wording.event).inApp.\(language)", channel: .inApp, language: language, subject: subject,
                                                 body: text))
            }
        }
        // Officers: a dossier of their agency is close to its deadline.
        templates.append(MessageTemplate(id: "dossier.due-soon.email.vi", channel: .email, language: "vi",
                                         subject: "Hồ sơ ((code)) sắp đến hạn", body: "Hồ sơ ((code)) (((procedure))) đến hạn lúc ((dueAt)).",
                                         html: "<p>Hồ sơ <b>((code))</b> (((procedure))) đến hạn lúc ((dueAt)).</p>"))
        templates.append(MessageTemplate(id: "dossier.due-soon.inApp.vi", channel: .inApp, language: "vi", subject: "Hồ sơ ((code)) sắp đến hạn",
                                         body: "Hồ sơ ((code)) (((procedure))) đến hạn lúc ((dueAt))."))
        return templates
    }

    /// Agencies: an official document reached their incoming register (to their official address).
    static let documents: [MessageTemplate] = [
        MessageTemplate(id: "document.dispatched.email.vi", channel: .email, language: "vi", subject: "Văn bản đến: ((symbol)) của ((sender))",
                        body: "((sender)) đã gửi văn bản số ((symbol)) đến cơ quan: ((excerpt)). Số đến: ((receivedNumber)). "
                            + "Xem và xác nhận đã nhận trên hệ thống quản lý văn bản.",
                        html: "<p><b>((sender))</b> đã gửi văn bản số <b>((symbol))</b> đến cơ quan:</p><p>((excerpt))</p>"
                            + "<p>Số đến: ((receivedNumber)). Xem và xác nhận đã nhận trên hệ thống quản lý văn bản.</p>"),
    ]

    /// Leaders: a document waits for their signature (in the app's inbox).
    static let signRequests: [MessageTemplate] = [
        MessageTemplate(id: "document.sign-requested.inApp.vi", channel: .inApp, language: "vi", subject: "Văn bản chờ ký: ((document))",
                        body: "((requestedBy)) đề nghị đồng chí ký số văn bản ((document)). ((reason)) Hạn duyệt: ((expiresAt))."),
    ]

    /// Portal accounts: one-time codes to confirm a phone or reset a password (urgent SMS, sent through quiet hours).
    static let accountCodes: [MessageTemplate] = [
        MessageTemplate(id: "account.verify-phone.sms.vi", channel: .sms, language: "vi",
                        body: "Ma xac thuc tai khoan Cong dich vu cong Kien Giang: ((code)). Hieu luc ((minutes)) phut. Khong chia se ma nay."),
        MessageTemplate(id: "account.verify-phone.sms.en", channel: .sms, language: "en",
                        body: "Your Kien Giang public service portal code: ((code)). Valid ((minutes)) minutes. Do not share it."),
        MessageTemplate(id: "account.reset-password.sms.vi", channel: .sms, language: "vi",
                        body: "Ma dat lai mat khau Cong dich vu cong Kien Giang: ((code)). Hieu luc ((minutes)) phut. Khong chia se ma nay."),
        MessageTemplate(id: "account.reset-password.sms.en", channel: .sms, language: "en",
                        body: "Your Kien Giang portal password reset code: ((code)). Valid ((minutes)) minutes. Do not share it."),
    ]
}
