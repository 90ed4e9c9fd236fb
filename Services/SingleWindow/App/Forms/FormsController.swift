import Contracts
import DomainKit
import Foundation
import Hummingbird
import ServiceKit

/// The printable forms of Circular 01/2018/TT-VPCP as data: the portal and the staff console lay them out.
/// 01 receipt and appointment slip, 02 supplement request, 03 refusal, 04 apology and new appointment,
/// 05 processing-control slip (one dossier each), and 06 the agency's dossier tracking log (`TrackingLog`).
struct FormsController {
    let dossiers: DossierRepository
    /// Procedures and agencies, from memory.
    let catalog: CatalogIndex

    typealias Form = DossierForm

    static let titles = [
        "01": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "02": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "03": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "04": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "05": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    ]

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/v1/dossiers/:id/forms/:form", use: self.form)
        openAPI.add("GET", "/v1/dossiers/:id/forms/:form", summary: "A Circular 01/2018 form as data for printing: 01 receipt and appointment, "
                    + "02 supplement request, 03 refusal, 04 apology and new appointment, 05 processing-control slip", tag: "dossiers",
                    responses: [200: ("The form's data", Schema.anyObject), 404: ("No such dossier or form", nil),
                                409: ("The form does not apply to this dossier yet", nil)], token: true)
    }

    @Sendable func form(_ request: Request, context: ServiceRequestContext) async throws -> Form {
        let identity = try context.requireIdentity()
        let id = try context.parameters.require("id")
        let number = try context.parameters.require("form")
        guard let title = Self.titles[number] else { throw Problem.notFound("There is no form \(number); the forms of a dossier are 01 to 05 (06 is the agency's log).") }
        guard let dossier = try await self.dossiers.find(id: id) else { throw Problem.notFound("There is no dossier with the id \(id).") }
        _ = try DossierActions.actingRole(identity, for: dossier)
        let history = try await self.dossiers.history(of: dossier.id)
        var form = Form(
            form: number, title: title, agencyName: try await self.catalog.agency(dossier.agencyCode)?.name ?? dossier.agencyCode,
            dossierCode: dossier.code, procedureName: dossier.procedureName, applicantName: dossier.applicant.fullName,
            applicantAddress: dossier.applicant.address, applicantPhone: dossier.applicant.phone
        )
        switch number {
        case "01":
            guard let received = dossier.clock.receivedAt else {
                throw Problem.conflict("The receipt slip is issued when the dossier is received; it is still waiting for an officer.")
            }
            let given = Set(dossier.attachments.map { VietnameseText.searchKey($0.documentName) })
            let procedure = try await self.catalog.procedure(dossier.procedureCode)
            form.receivedAt = received
            form.appointmentAt = dossier.clock.dueAt
            form.deliveryMethod = dossier.delivery.method.rawValue
            form.documents = (procedure?.documents ?? []).map {
                .init(name: $0.name, copies: $0.copies, form: $0.form.rawValue, received: given.contains(VietnameseText.searchKey($0.name)))
            }
            form.issuedBy = history.first { $0.toStatus == .received }?.actor
        case "02", "03":
            let wanted: DossierStatus = number == "02" ? .supplementRequested : .refused
            guard let entry = history.last(where: { $0.toStatus == wanted && $0.fromStatus != wanted }) else {
                throw Problem.conflict(number == "02" ? "No supplement has been requested for this dossier." : "This dossier was not refused.")
            }
            form.reason = entry.comment
            form.issuedBy = entry.actor
            form.issuedAt = entry.at
            if number == "02" {
                form.requestedDocuments = dossier.supplementRequest?.documents
                form.deadline = dossier.supplementRequest?.deadline
            }
        case "04":
            guard let apology = dossier.apology else { throw Problem.conflict("No apology has been issued for this dossier.") }
            form.receivedAt = dossier.clock.receivedAt
            form.appointmentAt = dossier.clock.dueAt
            form.reason = apology.reason
            form.newAppointment = apology.newAppointment
            form.issuedBy = apology.issuedBy
            form.issuedAt = apology.issuedAt
        default:
            form.receivedAt = dossier.clock.receivedAt
            form.appointmentAt = dossier.clock.dueAt
            form.steps = history.map { .init(at: $0.at, actor: $0.actor, action: $0.action, status: $0.toStatus.vietnameseName, comment: $0.comment, detail: $0.detail) }
            form.process = dossier.process
        }
        return form
    }
}

extension DossierForm: ResponseEncodable {}
