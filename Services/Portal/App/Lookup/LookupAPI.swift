import Contracts
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// `GET /api/v1/lookup/{code}?phone=NNNN` for the mobile app: single-window's public view, passed on as it is.
struct LookupAPI {
    let lookups: LookupService

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/api/v1/lookup/:code") { request, context -> Response in
            let code = try context.parameters.require("code")
            switch await self.lookups.lookup(code: code, phone: request.query("phone") ?? "", clientAddress: context.clientAddress(request),
                                             requestID: context.requestID) {
            case .found(let body):
                return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(bytes: body)))
            case .invalid(let issues):
                throw Problem.badRequest("Give the dossier code and ?phone= the last four digits of the applicant's phone.", errors: issues)
            case .notFound:
                throw Problem.notFound("No dossier has this code and phone number.")
            case .tooMany(let retryAfter):
                throw Problem.tooManyRequests("Too many look-ups from your address; try again in \(retryAfter) seconds.", retryAfter: retryAfter)
            case .unavailable:
                throw Problem.unavailable("The procedure system is not answering just now; try again in a minute.")
            }
        }
        openAPI.addSchema("DossierLookup", Schema.object([
            "code": Schema.string, "procedureName": Schema.string, "agencyName": Schema.string, "status": Schema.integer,
            "statusName": Schema.string, "receivedAt": Schema.dateTime, "dueAt": Schema.dateTime, "newAppointment": Schema.string,
            "history": Schema.array(Schema.object(["at": Schema.dateTime, "status": Schema.integer, "statusName": Schema.string])),
        ]))
        openAPI.add("GET", "/api/v1/lookup/:code", summary: "A dossier's public progress; ?phone= the last four digits of the applicant's phone. "
                        + "No personal data; rate-limited per caller.", tag: "mobile",
                    responses: [200: ("Progress", Schema.ref("DossierLookup")), 400: ("Bad code or digits", nil), 404: ("No such dossier and phone", nil),
                                429: ("Too many look-ups; Retry-After says when", nil), 503: ("Single-window is down", nil)])
    }
}
