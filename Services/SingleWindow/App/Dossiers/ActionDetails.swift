import Contracts
import DomainKit
import Foundation
import ServiceKit

/// The details some actions must carry — a supplement request's documents and deadline, a result's file, number
/// and signer, how a result was handed over, the agency a dossier is transferred to — checked against the dossier
/// and written into it. Pure: the database checks (does the agency exist and take part) are the caller's.
enum ActionDetails {
    /// Everything wrong with the request's details, each naming its field; empty when the action may go ahead.
    static func problems(_ request: DossierActionRequest, for dossier: StoredDossier, today: LocalDate) -> [FieldIssue] {
        var issues = Self.reasonProblems(request, today: today)
        switch request.action {
        case .deliver:
            let method = request.handover?.method ?? dossier.delivery.method
            if method == .post && Self.blank(request.handover?.trackingNumber) {
                issues.append(FieldIssue(field: "handover.trackingNumber", code: "required", vi: "Kết quả gửi qua bưu chính cần số vận đơn.",
                                         en: "A result sent by post needs its tracking number."))
            }
            if method == .online && dossier.result == nil {
                issues.append(FieldIssue(field: "handover.method", code: "delivery.noFile", vi: "Hồ sơ chưa có tệp kết quả để trả trực tuyến.",
                                         en: "The dossier has no result file to deliver online."))
            }
        case .transfer:
            if Self.blank(request.toAgency) {
                issues.append(FieldIssue(field: "toAgency", code: "required", vi: "Cần chọn cơ quan tiếp nhận.", en: "Name the agency to transfer to."))
            } else if request.toAgency == dossier.agencyCode {
                issues.append(FieldIssue(field: "toAgency", code: "agency.same", vi: "Hồ sơ đang ở cơ quan này.",
                                         en: "The dossier is already at \(dossier.agencyCode)."))
            }
        default:
            break
        }
        return issues
    }

    /// What an action needs whatever the dossier it is taken on: a reason where the law asks for one, a supplement
    /// request's documents and deadline, the names of documents handed in, a result's file, number and signer. Also
    /// checks a decision at the counter, before there is a dossier.
    static func reasonProblems(_ request: DossierActionRequest, today: LocalDate) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        if [.refuse, .requestSupplement, .stop, .sendBack].contains(request.action), Self.blank(request.comment) {
            issues.append(FieldIssue(field: "comment", code: "required", vi: "Cần ghi rõ lý do.", en: "Give the reason."))
        }
        switch request.action {
        case .requestSupplement:
            guard let supplement = request.supplement else {
                issues.append(FieldIssue(field: "supplement", code: "required", vi: "Cần liệt kê giấy tờ cần bổ sung và hạn nộp.",
                                         en: "List the documents to add and the deadline."))
                break
            }
            if supplement.documents.isEmpty || supplement.documents.contains(where: Self.blank) {
                issues.append(FieldIssue(field: "supplement.documents", code: "required", vi: "Cần ghi tên từng giấy tờ cần bổ sung.",
                                         en: "Name each document to add."))
            }
            if supplement.deadline <= today {
                issues.append(FieldIssue(field: "supplement.deadline", code: "date.future", vi: "Hạn bổ sung phải sau hôm nay (\(today)).",
                                         en: "The deadline must be after today (\(today))."))
            }
        case .supplement:
            for (index, attachment) in (request.attachments ?? []).enumerated() where Self.blank(attachment.documentName) {
                issues.append(FieldIssue(field: "attachments[\(index)].documentName", code: "required", vi: "Cần ghi tên giấy tờ bổ sung.",
                                         en: "Name each document handed in."))
            }
        case .markResultReady:
            guard let result = request.result else {
                issues.append(FieldIssue(field: "result", code: "required", vi: "Cần tệp kết quả, số văn bản và người ký.",
                                         en: "Give the result's file, number and signer."))
                break
            }
            for (field, value) in [("result.fileId", result.fileId), ("result.number", result.number), ("result.signer", result.signer)]
            where Self.blank(value) {
                issues.append(FieldIssue(field: field, code: "required", vi: "Cần điền \(field).", en: "\(field) is required."))
            }
        default:
            break
        }
        return issues
    }

    /// Writes the action's details into the dossier; call after `problems` came back empty.
    static func apply(_ request: DossierActionRequest, to dossier: inout StoredDossier, at now: Date) {
        switch request.action {
        case .requestSupplement:
            dossier.supplementRequest = request.supplement
            dossier.supplementRounds = (dossier.supplementRounds ?? 0) + 1
        case .supplement:
            dossier.attachments += request.attachments ?? []
        case .markResultReady:
            dossier.result = request.result
            // A draft waiting for its signature is settled by the result, whichever way it came.
            dossier.resultDraft = nil
        case .deliver:
            var handover = request.handover ?? Handover(method: dossier.delivery.method)
            handover.at = now
            dossier.handover = handover
        case .transfer:
            if let agency = request.toAgency {
                dossier.agencyCode = agency
                // The new agency assigns its own officer.
                dossier.assignedTo = nil
            }
        default:
            break
        }
    }

    /// What the history entry records of the details, for the processing-control slip (form 05).
    static func detail(_ request: DossierActionRequest, from dossier: StoredDossier) -> String? {
        switch request.action {
        case .requestSupplement: request.supplement.map { "\($0.documents.joined(separator: "; ")) — hạn \($0.deadline)" }
        case .supplement: request.attachments.flatMap { $0.isEmpty ? nil : $0.map(\.documentName).joined(separator: "; ") }
        case .markResultReady: request.result.map { "Số \($0.number), ký: \($0.signer)" }
        case .deliver: request.handover?.trackingNumber.map { "Số vận đơn \($0)" }
        case .transfer: "\(dossier.agencyCode) → \(request.toAgency ?? "")"
        default: nil
        }
    }

    private static func blank(_ text: String?) -> Bool {
        (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}
