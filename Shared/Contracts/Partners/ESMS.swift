import Foundation
import ServiceKit

/// The brandname SMS gateway's protocol, in the shape eSMS (rest.esms.vn) publishes it: one JSON POST per message
/// to `SendMultipleMessage_V4_post_json`, a `CodeResult` answer, and the delivery report later as an HTTP GET on the
/// sender's `CallbackUrl` with the report in the query. The notifications service speaks it as a client; the
/// sandbox speaks it as the gateway.
public enum ESMS {
    /// The send endpoint's path under the gateway's base URL.
    public static let sendPath = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"

    /// A customer-care (brandname) message to one phone.
    public struct SendRequest: Codable, Sendable, Equatable {
        public var ApiKey: String
        public var SecretKey: String
        public var Brandname: String
        public var Phone: String
        public var Content: String
        /// "2": a customer-care message, the type an administration's notices go as.
        public var SmsType: String
        /// "1" for UCS-2 (Vietnamese with diacritics), "0" for GSM-7.
        public var IsUnicode: String
        /// Ours: the message id, so the gateway refuses a second send of the same message with code 124.
        public var RequestId: String
        public var CallbackUrl: String?
        public var Sandbox: String?

        public init(apiKey: String, secretKey: String, brandname: String, phone: String, content: String, unicode: Bool, requestId: String,
                    callbackURL: String?) {
            self.ApiKey = apiKey
            self.SecretKey = secretKey
            self.Brandname = brandname
            self.Phone = phone
            self.Content = content
            self.SmsType = "2"
            self.IsUnicode = unicode ? "1" : "0"
            self.RequestId = requestId
            self.CallbackUrl = callbackURL
            self.Sandbox = "0"
        }

        /// The body as JSON, written by hand: one goes out for every SMS (a test holds it to `JSONDecoder`).
        public var json: String {
            var output = JSONOutput()
            output.object { json in
                json.member("ApiKey", self.ApiKey)
                json.member("Brandname", self.Brandname)
                json.member("CallbackUrl", self.CallbackUrl)
                json.member("Content", self.Content)
                json.member("IsUnicode", self.IsUnicode)
                json.member("Phone", self.Phone)
                json.member("RequestId", self.RequestId)
                json.member("Sandbox", self.Sandbox)
                json.member("SecretKey", self.SecretKey)
                json.member("SmsType", self.SmsType)
            }
            return output.text
        }
    }

    public struct SendResponse: Codable, Sendable, Equatable {
        public var CodeResult: String
        public var CountRegenerate: Int?
        public var SMSID: String?
        public var ErrorMessage: String?
        public var SendStatus: String?

        public init(code: ResultCode, smsID: String? = nil, errorMessage: String? = nil, sendStatus: String? = nil) {
            self.CodeResult = code.rawValue
            self.CountRegenerate = 0
            self.SMSID = smsID
            self.ErrorMessage = errorMessage
            self.SendStatus = sendStatus
        }
    }

    /// The gateway's result codes that a customer-care send can answer (eSMS's table of error codes).
    public enum ResultCode: String, Sendable, CaseIterable {
        case blockedNumber = "99"
        case accepted = "100"
        case wrongKeys = "101"
        case noPriceList = "102"
        case notEnoughBalance = "103"
        case unknownBrandname = "104"
        case badPhoneNumber = "108"
        case duplicateRequestId = "124"
        case ipNotWhitelisted = "140"
        case wrongTemplate = "146"
        case networkNotRegistered = "177"
        case missingMessageType = "300"

        /// What an answer means for the message: handed over, never deliverable, or worth trying again later
        /// (our account or set-up is wrong, which an operator can put right while the retries run).
        public var outcome: SendOutcome {
            switch self {
            case .accepted, .duplicateRequestId: .accepted
            case .blockedNumber, .badPhoneNumber, .networkNotRegistered: .refused
            case .wrongKeys, .noPriceList, .notEnoughBalance, .unknownBrandname, .ipNotWhitelisted, .wrongTemplate, .missingMessageType: .retry
            }
        }
    }

    public enum SendOutcome: Sendable, Equatable {
        /// The gateway has the message (code 100, or 124: it already had it from an earlier try).
        case accepted
        /// The gateway will never send it to this number.
        case refused
        /// Not sent now; another try later may succeed.
        case retry
    }

    /// `SendStatus` in a delivery report.
    public enum SendStatus: String, Sendable {
        case pendingApproval = "1"
        case waiting = "2"
        case rejected = "4"
        case sent = "5"
        case awaitingReport = "7"
    }

    /// A delivery report, as the query of the GET the gateway sends to `CallbackUrl`.
    public struct DeliveryReport: Sendable, Equatable {
        public var smsID: String
        public var sendStatus: String
        public var sendSuccess: Int
        public var sendFailed: Int
        public var requestID: String
        public var phone: String

        public init(smsID: String, sendStatus: SendStatus, delivered: Bool, requestID: String, phone: String) {
            self.smsID = smsID
            self.sendStatus = sendStatus.rawValue
            self.sendSuccess = sendStatus == .sent && delivered ? 1 : 0
            self.sendFailed = sendStatus == .rejected || (sendStatus == .sent && !delivered) ? 1 : 0
            self.requestID = requestID
            self.phone = phone
        }

        public init?(query: [String: String]) {
            guard let smsID = query["SMSID"], let status = query["SendStatus"] else { return nil }
            self.smsID = smsID
            self.sendStatus = status
            self.sendSuccess = Int(query["SendSuccess"] ?? "") ?? 0
            self.sendFailed = Int(query["SendFailed"] ?? "") ?? 0
            self.requestID = query["RequestId"] ?? ""
            self.phone = query["phonenumber"] ?? ""
        }

        /// The query string as the gateway writes it; the sender's RequestId is escaped (a sender may put anything in it).
        public var query: String {
            "SMSID=\(Self.escaped(self.smsID))&SendFailed=\(self.sendFailed)&SendStatus=\(Self.escaped(self.sendStatus))&SendSuccess=\(self.sendSuccess)"
                + "&TotalPrice=0&TotalReceiver=1&TotalSent=1&RequestId=\(Self.escaped(self.requestID))&TypeId=2&telcoid=1"
                + "&phonenumber=\(Self.escaped(self.phone))&switchsmsid="
        }

        private static func escaped(_ value: String) -> String { FormEncoding.encodeUnreserved(value) }
    }
}
