/// A dossier's status, numbered as the National Public Service Portal numbers them.
public enum DossierStatus: Int, Codable, Sendable, CaseIterable {
    case submitted = 1
    case received = 2
    case refused = 3
    case processing = 4
    case supplementRequested = 5
    case awaitingFee = 6
    case withdrawn = 7
    case stopped = 8
    case resultReady = 9
    case delivered = 10

    /// No action leads out of a final status.
    public var isFinal: Bool { DossierWorkflow.actions(from: self).isEmpty }

    /// While paused the legal clock stops and the due date moves by the pause.
    public var pausesClock: Bool { self == .supplementRequested || self == .awaitingFee }

    public var vietnameseName: String {
        switch self {
        case .submitted: "Mới đăng ký"
        case .received: "Đã tiếp nhận"
        case .refused: "Từ chối tiếp nhận"
        case .processing: "Đang xử lý"
        case .supplementRequested: "Yêu cầu bổ sung"
        case .awaitingFee: "Chờ nộp phí, lệ phí"
        case .withdrawn: "Công dân rút hồ sơ"
        case .stopped: "Dừng xử lý"
        case .resultReady: "Đã có kết quả"
        case .delivered: "Đã trả kết quả"
        }
    }

    public var englishName: String {
        switch self {
        case .submitted: "Submitted"
        case .received: "Received"
        case .refused: "Refused at intake"
        case .processing: "Processing"
        case .supplementRequested: "Supplement requested"
        case .awaitingFee: "Awaiting fee"
        case .withdrawn: "Withdrawn by applicant"
        case .stopped: "Stopped"
        case .resultReady: "Result ready"
        case .delivered: "Delivered"
        }
    }
}

/// Something a person (or a service) does to a dossier.
public enum DossierAction: String, Codable, Sendable, CaseIterable {
    case receive
    case refuse
    case startProcessing
    case requestSupplement
    case supplement
    case requestFee
    case confirmFee
    case stop
    case markResultReady
    case deliver
    case withdraw
    /// Hand the dossier to another agency that takes part in an inter-agency procedure; its status stays.
    case transfer
    /// Hand the dossier on to the next step of its internal process (`DossierProcess`).
    case forward
    /// Return it to the step before, with the reason.
    case sendBack
}
