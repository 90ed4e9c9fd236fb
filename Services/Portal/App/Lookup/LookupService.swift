import Contracts
import DomainKit
import Foundation
import ServiceKit

/// Look-up of a dossier's progress by its code and the last four digits of the applicant's phone — one rule for
/// the web page, the kiosk and the mobile API. Limited per caller here and again in single-window, so that codes
/// cannot be walked through.
struct LookupService: Sendable {
    let singleWindow: SingleWindowGateway
    let limiter: RateLimiter
    /// Single-window's answers by dossier code, with the phone digits they answered: only those digits match (a
    /// dossier has one phone), and a wrong guess always goes on to single-window, where it counts. A `dossier.*`
    /// event drops the code on the instance that gets it; the lifetime bounds staleness on the others.
    let cache: ExpiringCache<KeptAnswer>

    struct KeptAnswer: Sendable { let phoneDigits: String; let body: Data }

    enum Outcome: Sendable {
        /// Single-window's answer as it came: the API passes it on, the pages read it (`DossierLookup`).
        case found(body: Data)
        case invalid([FieldIssue])
        case notFound
        case tooMany(retryAfter: Int)
        case unavailable
    }

    static let notFound = FieldIssue(field: "code", code: "lookup.notFound", vi: "Không tìm thấy hồ sơ với mã và số điện thoại này. Hãy kiểm tra lại giấy tiếp nhận.",
                                     en: "No dossier has this code and phone number. Check your receipt.")

    func lookup(code typed: String, phone typedPhone: String, clientAddress: String, requestID: String?) async -> Outcome {
        let code = typed.trimmingCharacters(in: .whitespaces).uppercased()
        let phone = typedPhone.filter { !$0.isWhitespace }
        var issues: [FieldIssue] = []
        if code.isEmpty || code.count > 40 || !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) {
            issues.append(FieldIssue(field: "code", code: "code.invalid", vi: "Nhập mã hồ sơ in trên giấy tiếp nhận, ví dụ 000.00.15.H33-261129-0001.",
                                     en: "Enter the dossier code on your receipt, such as 000.00.15.H33-261129-0001."))
        }
        if phone.count != 4 || !phone.allSatisfy(\.isASCIIDigit) {
            issues.append(FieldIssue(field: "phone", code: "phone.lastFour", vi: "Nhập đúng 4 chữ số cuối của số điện thoại đã khai khi nộp hồ sơ.",
                                     en: "Enter the last 4 digits of the phone number given with the dossier."))
        }
        guard issues.isEmpty else { return .invalid(issues) }
        if let retryAfter = self.limiter.take(clientAddress) { return .tooMany(retryAfter: retryAfter) }
        if let kept = self.cache.find(code), kept.phoneDigits == phone { return .found(body: kept.body) }
        do {
            let response = try await self.singleWindow.lookup(code: code, phoneDigits: phone, clientAddress: clientAddress, requestID: requestID)
            switch response.status {
            case 200:
                self.cache.keep(code, KeptAnswer(phoneDigits: phone, body: response.body))
                return .found(body: response.body)
            case 404:
                return .notFound
            case 429:
                let retry = response.headers.first { $0.0.lowercased() == "retry-after" }.flatMap { Int($0.1) } ?? 60
                return .tooMany(retryAfter: retry)
            default:
                return .unavailable
            }
        } catch {
            return .unavailable
        }
    }
}
