import Contracts
import DomainKit
import Foundation
import PageKit

/// The forms of the actions a dossier allows this person, each with the fields single-window needs for it, and
/// the request a posted form makes. Single-window decides what is legal; these only ask for what it will check.
enum ActionForms {
    struct Form {
        let action: String
        let title: String
        let button: String
        let fields: [FormField]
        let danger: Bool
        /// Fields the form carries without showing (the delivery method the deliver form was drawn for).
        let hidden: [Hidden]
    }
    struct Hidden { let name: String; let value: String }

    /// The actions a console offers as forms (the applicant's own, and a result filed through documents, are not; a fee
    /// is confirmed by its payment — cash at the counter has a receipt from payments — not by a button).
    static let offered: [DossierAction] = [.receive, .startProcessing, .forward, .sendBack, .requestSupplement, .requestFee, .transfer,
                                           .deliver, .refuse, .stop]

    static func title(_ action: DossierAction) -> Phrase {
        switch action {
        case .receive: Phrase("Tiếp nhận hồ sơ", "Receive the dossier")
        case .refuse: Phrase("Từ chối tiếp nhận", "Refuse at intake")
        case .startProcessing: Phrase("Chuyển xử lý", "Start processing")
        case .requestSupplement: Phrase("Yêu cầu bổ sung", "Request a supplement")
        case .supplement: Phrase("Ghi nhận bổ sung", "Record the supplement")
        case .requestFee: Phrase("Yêu cầu nộp phí", "Request the fee")
        case .confirmFee: Phrase("Xác nhận đã nộp phí", "Fee confirmed")
        case .stop: Phrase("Dừng xử lý", "Stop processing")
        case .markResultReady: Phrase("Có kết quả", "Result ready")
        case .deliver: Phrase("Trả kết quả", "Return the result")
        case .withdraw: Phrase("Rút hồ sơ", "Withdraw")
        case .transfer: Phrase("Chuyển cơ quan khác", "Transfer to another agency")
        case .forward: Phrase("Chuyển bước tiếp theo", "Hand on to the next step")
        case .sendBack: Phrase("Trả lại bước trước", "Send back to the previous step")
        }
    }

    static let comment = Phrase("Ghi chú", "Note")
    static let reason = Phrase("Lý do (gửi cho người nộp)", "Reason (sent to the applicant)")
    static let documents = Phrase("Giấy tờ cần bổ sung", "Documents to add")
    static let documentsHint = Phrase("Mỗi dòng một giấy tờ, ghi như người nộp sẽ đọc.", "One document per line, named as the applicant will read it.")
    static let deadline = Phrase("Hạn nộp bổ sung", "Supplement deadline")
    static let toAgency = Phrase("Mã cơ quan nhận", "Receiving agency's code")
    static let trackingNumber = Phrase("Số vận đơn (khi gửi qua bưu chính)", "Tracking number (when sent by post)")
    static let recipient = Phrase("Người nhận kết quả", "Who took the result")
    static let assignTo = Phrase("Giao cho", "Hand to")
    static let anyone = Phrase("Người có vai trò của bước nhận xử lý", "Whoever of the step's role takes it")
    static let nextStep = Phrase("Bước tiếp: {0} — {1} ngày làm việc.", "Next step: {0} — {1} working days.")
    static let elsewhere = Phrase("Bước tiếp: {0}, tại {1}; cơ quan đó giao người xử lý.", "Next step: {0}, at {1}; that agency assigns it.")
    static let backTo = Phrase("Trả về bước: {0}, cho {1}.", "Back to: {0}, to {1}.")
    static let backReason = Phrase("Lý do trả lại", "Why it goes back")

    /// The forms for the allowed actions; `issues` and `values` refill the one that was just refused.
    static func forms(for dossier: DossierView, language: Language, staff: [StaffMember] = [], names: [String: String] = [:], refused: String? = nil,
                      issues: [FieldIssue] = [], values: [String: String] = [:]) -> [Form] {
        self.offered.filter(dossier.allowedActions.contains).map { action in
            let own = action.rawValue == refused
            let issues = own ? issues : []
            func value(_ name: String) -> String { own ? values[name] ?? "" : "" }
            func field(_ name: String, _ label: Phrase, hint: Phrase? = nil, type: String = "text", required: Bool = false, textarea: Bool = false,
                       options: [FormField.Option] = []) -> FormField {
                FormField("\(action.rawValue)-\(name)", label: label, language: language, value: value(name), hint: hint, type: type,
                          required: required, textarea: textarea, options: options, issues: issues.map { Self.formIssue($0, action: action) })
            }
            var fields: [FormField]
            switch action {
            case .refuse, .stop: fields = [field("comment", reason, required: true, textarea: true)]
            case .requestSupplement:
                fields = [field("documents", documents, hint: documentsHint, required: true, textarea: true),
                          field("deadline", deadline, type: "date", required: true), field("comment", reason, required: true, textarea: true)]
            case .transfer: fields = [field("toAgency", toAgency, required: true), field("comment", comment, textarea: true)]
            case .startProcessing, .forward:
                fields = Self.handOn(dossier, language: language, staff: staff, field: { hint, options in
                    field("assignTo", assignTo, hint: hint, options: options)
                }) + [field("comment", comment, textarea: true)]
            case .sendBack:
                let hint = dossier.process.flatMap { process -> Phrase? in
                    guard process.hasPrevious else { return nil }
                    let doer = process.log.last { $0.step == process.current - 1 }?.by
                    return Self.backTo.with(process.steps[process.current - 1].title, doer.map { names[$0] ?? $0 } ?? "—")
                }
                fields = [field("comment", backReason, hint: hint, required: true, textarea: true)]
            case .deliver:
                fields = [field("recipient", recipient)]
                if dossier.delivery.method == .post { fields.append(field("trackingNumber", trackingNumber, required: true)) }
            default: fields = [field("comment", comment, textarea: true)]
            }
            return Form(action: action.rawValue, title: title(action)(language), button: title(action)(language), fields: fields,
                        danger: [.refuse, .stop].contains(action),
                        hidden: action == .deliver ? [Hidden(name: "deliver-method", value: dossier.delivery.method.rawValue)] : [])
        }
    }

    /// The next step and whom to hand it to: the colleagues of the step's role (a leader's step, the leaders), or
    /// nobody when the step is at another agency, which assigns its own.
    static func handOn(_ dossier: DossierView, language: Language, staff: [StaffMember],
                       field: (Phrase?, [FormField.Option]) -> FormField) -> [FormField] {
        guard let process = dossier.process, process.hasNext else { return [field(nil, Self.people(staff, role: .officer, language: language))] }
        let next = process.steps[process.current + 1]
        if let agency = next.agencyCode, agency != dossier.agencyCode { return [] }
        let days = Display.days(process.allowanceDays(of: process.current + 1))
        return [field(Self.nextStep.with(next.title, days), Self.people(staff, role: next.role, language: language))]
    }

    private static func people(_ staff: [StaffMember], role: Role, language: Language) -> [FormField.Option] {
        [FormField.Option(value: "", label: Self.anyone(language))]
            + staff.filter { $0.roles.contains(role) }.sorted { $0.fullName < $1.fullName }.map { FormField.Option(value: $0.id, label: $0.fullName) }
    }

    /// A single-window field issue as it shows on the form (its field names the form's input).
    static func formIssue(_ issue: FieldIssue, action: DossierAction) -> FieldIssue {
        let name: String = switch issue.field {
        case "supplement.documents", "supplement": "documents"
        case "supplement.deadline": "deadline"
        case "handover.trackingNumber": "trackingNumber"
        default: issue.field
        }
        return issue.named("\(action.rawValue)-\(name)")
    }

    /// The request a posted form makes; blank fields are left out, so single-window says what is missing.
    static func request(_ action: DossierAction, fields: [String: String]) -> DossierActionRequest {
        func text(_ name: String) -> String? {
            let value = (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        var request = DossierActionRequest(action: action, expectedVersion: Int(fields["version"] ?? "") ?? -1, comment: text("comment"))
        switch action {
        case .requestSupplement:
            let documents = (text("documents") ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !documents.isEmpty || text("deadline") != nil {
                // A deadline that does not read as a date is sent as today, which single-window refuses as not in the future.
                request.supplement = SupplementRequirement(documents: documents, deadline: text("deadline").flatMap(LocalDate.init(iso:)) ?? LocalDate(Date()))
            }
        case .transfer: request.toAgency = text("toAgency")
        case .startProcessing, .forward: request.assignTo = text("assignTo")
        case .deliver:
            // The method the form was drawn for (the applicant's choice of delivery), so the dossier need not be read again.
            request.handover = Handover(method: text("method").flatMap(DeliveryMethod.init(rawValue:)) ?? .counter,
                                        trackingNumber: text("trackingNumber"), recipient: text("recipient"))
        default: break
        }
        return request
    }
}
