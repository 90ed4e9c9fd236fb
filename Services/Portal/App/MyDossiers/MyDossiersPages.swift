import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

extension Phrase {
    static let myDossiers = Phrase("Hồ sơ của tôi", "My dossiers")
    static let noDossiers = Phrase("Bạn chưa có hồ sơ nào. Tìm thủ tục để nộp hồ sơ trực tuyến.", "You have no dossiers yet. Find a procedure to submit one online.")
    static let submittedNotice = Phrase("Hồ sơ đã được gửi. Mã hồ sơ của bạn: {0}. Cơ quan sẽ kiểm tra và tiếp nhận; giấy tiếp nhận và hẹn trả kết quả sẽ có ở đây khi hồ sơ được tiếp nhận.",
                                        "Your dossier is sent. Its code: {0}. The agency will check and receive it; the receipt and appointment slip appears here once it is received.")
    static let submittedAt = Phrase("Ngày nộp", "Submitted")
    static let receipt = Phrase("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment slip")
    static let printReceipt = Phrase("In giấy tiếp nhận", "Print the receipt")
    static let print = Phrase("In", "Print")
    static let dossierMissing = Phrase("Không có hồ sơ này trong tài khoản của bạn.", "There is no such dossier in your account.")
    static let received = Phrase("Đã nhận", "Received")
    static let notReceived = Phrase("Chưa nhận", "Not received")
    static let receivedBy = Phrase("Người tiếp nhận", "Received by")
    static let deliveryMethod = Phrase("Hình thức nhận kết quả", "Result delivery")
}

/// "My dossiers": the list, one dossier with its timeline and what the citizen can do now, and the printable
/// receipt (Circular 01/2018 form 01).
struct MyDossiersPages {
    let area: CitizenArea
    let payments: PaymentsGateway

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/my/dossiers", use: self.area.route { request, context, citizen in
            let (visitor, token) = (citizen.visitor, citizen.token)
            let page = max(1, request.query("page").flatMap(Int.init) ?? 1)
            do {
                let dossiers = try await self.area.singleWindow.myDossiers(page: page, token: token, requestID: context.requestID)
                return try self.list(visitor, dossiers)
            } catch {
                return Layout.failed(visitor, title: .myDossiers, error, logger: context.logger)
            }
        })
        router.get("/my/dossiers/:id", use: self.area.route { request, context, citizen in
            let (visitor, token) = (citizen.visitor, citizen.token)
            let id = try context.parameters.require("id")
            let dossier: DossierView?
            let agencies: [Agency]
            do {
                async let found = self.area.singleWindow.dossier(id, token: token, requestID: context.requestID)
                async let all = self.area.singleWindow.agencies(requestID: context.requestID)
                (dossier, agencies) = try await (found, all)
            } catch {
                return Layout.failed(visitor, title: .myDossiers, error, logger: context.logger)
            }
            guard let dossier else { return Layout.message(visitor, title: .myDossiers, text: .dossierMissing, status: .notFound) }
            let fee = await self.feeState(dossier, token: token, requestID: context.requestID)
            let agencyName = agencies.first { $0.code == dossier.agencyCode }?.name ?? dossier.agencyCode
            return try DossierPage(visitor: visitor, dossier: dossier, agencyName: agencyName, fee: fee,
                                   submitted: request.query("submitted") != nil, notice: request.query("done").flatMap(DossierPage.Notice.init)).response()
        })
        router.get("/my/dossiers/:id/receipt", use: self.area.route { request, context, citizen in
            let (visitor, token) = (citizen.visitor, citizen.token)
            let id = try context.parameters.require("id")
            let form: DossierForm?
            do {
                form = try await self.area.singleWindow.form("01", of: id, as: DossierForm.self, token: token, requestID: context.requestID)
            } catch {
                return Layout.failed(visitor, title: .receipt, error, logger: context.logger)
            }
            guard let form else { return Layout.message(visitor, title: .receipt, text: .dossierMissing, status: .notFound) }
            return try self.receipt(visitor, form)
        })
    }

    static func describe(_ openAPI: inout OpenAPIDocument) {
        for (path, summary) in [("/my/dossiers", "The signed-in citizen's dossiers"),
                                ("/my/dossiers/:id", "One dossier: timeline, supplement request, fee, result and its signature, rating"),
                                ("/my/dossiers/:id/receipt", "The printable receipt and appointment slip (Circular 01/2018 form 01)")] {
            openAPI.add("GET", path, summary: summary, tag: "pages", responses: [200: ("HTML", nil), 303: ("Sign in first", nil)], contentType: "text/html")
        }
    }

    /// Whether the dossier owes a fee, and what was paid: shown as the fee step of a fully online service.
    func feeState(_ dossier: DossierView, token: String, requestID: String?) async -> DossierPage.Fee? {
        guard !dossier.status.isFinal, let fees = try? await self.area.singleWindow.fees(code: dossier.code, requestID: requestID),
              fees.total.amount > 0 else { return nil }
        let paid = (try? await self.payments.payments(dossierCode: dossier.code, token: token, requestID: requestID))?.first { $0.state == .success }
        return DossierPage.Fee(total: fees.total, paid: paid)
    }

    /// The citizen's dossiers for `my-dossiers.mustache`.
    struct ListView {
        struct Row { var href: String; var code: String; var procedure: String; var status: String; var due: String }
        var frame: PageFrame
        var heading: String
        var empty: String?
        var catalog: String
        var columns: [String]
        var dueColumn: String
        var rows: [Row]
    }

    func list(_ visitor: Visitor, _ page: Page<InboxItem>) throws -> Response {
        let l = visitor.language
        return try Layout.render(visitor, "my-dossiers", ListView(
            frame: Layout.frame(visitor, title: .myDossiers), heading: Phrase.myDossiers(l), empty: page.items.isEmpty ? Phrase.noDossiers(l) : nil,
            catalog: Phrase.catalogTitle(l), columns: [Phrase.dossierCode(l), Phrase.procedure(l), Phrase.status(l)], dueColumn: Phrase.dueAt(l),
            rows: page.items.map {
                .init(href: "/my/dossiers/\($0.id.pathSegment)", code: $0.code, procedure: $0.procedureName, status: Display.status($0.status, l),
                      due: $0.dueAt.map(Display.date) ?? "—")
            }))
    }

    /// The receipt and appointment slip (form 01) for `receipt.mustache`, printable from the browser.
    struct ReceiptView {
        struct Line { var text: String; var first: Bool }
        /// A row whose value may take several lines (the applicant: name, address, phone).
        struct Row { var label: String; var lines: [Line]; var strong: Bool }
        struct Document { var number: Int; var name: String; var copies: Int; var state: String }
        var frame: PageFrame
        var agency: String
        var heading: String
        var facts: [Row]
        var documentsHeading: String
        var documentColumns: [String]
        var documents: [Document]
        var print: String
    }

    func receipt(_ visitor: Visitor, _ form: DossierForm) throws -> Response {
        let l = visitor.language
        func fact(_ label: Phrase, _ lines: String..., strong: Bool = false) -> ReceiptView.Row {
            ReceiptView.Row(label: label(l), lines: lines.enumerated().map { .init(text: $0.element, first: $0.offset == 0) }, strong: strong)
        }
        let delivery = form.deliveryMethod.flatMap(DeliveryMethod.init).map { DossierPage.deliveryName($0)(l) } ?? "—"
        return try Layout.render(visitor, "receipt", ReceiptView(
            frame: Layout.frame(visitor, title: .receipt), agency: form.agencyName, heading: form.title,
            facts: [fact(.dossierCode, form.dossierCode, strong: true), fact(.procedure, form.procedureName),
                    fact(.applicant, form.applicantName, form.applicantAddress, form.applicantPhone),
                    fact(.receivedAt, form.receivedAt.map(Display.dateTime) ?? "—"),
                    fact(.dueAt, form.appointmentAt.map(Display.dateTime) ?? "—", strong: true), fact(.deliveryMethod, delivery),
                    fact(.receivedBy, form.issuedBy ?? "—")],
            documentsHeading: Phrase.requiredDocuments(l), documentColumns: [Phrase.requiredDocuments(l), Phrase.copies(l), Phrase.status(l)],
            documents: (form.documents ?? []).enumerated().map { index, document in
                .init(number: index + 1, name: document.name, copies: document.copies, state: (document.received ? Phrase.received : Phrase.notReceived)(l))
            },
            print: Phrase.printReceipt(l)))
    }
}
