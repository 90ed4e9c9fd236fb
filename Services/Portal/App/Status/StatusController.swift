import Contracts
import DomainKit
import Foundation
import Hummingbird
import PageKit
import ServiceKit

/// `/status` for people and `/api/v1/status` for programs: every service's instances and readiness, found through the registry.
struct StatusController {
    let probe: StatusProbe
    let starts: ServiceStartsRepository
    let visitors: Visitors

    func register(on router: Router<ServiceRequestContext>, openAPI: inout OpenAPIDocument) {
        router.get("/api/v1/status") { _, context -> Response in
            try StreamingJSON.encode(await self.status(context)).response(contentType: "application/json")
        }
        router.get("/status") { request, context -> Response in
            try Self.page(try await self.visitors.visitor(request), await self.status(context))
        }
        let instance = Schema.object(["id": Schema.string, "address": Schema.string, "port": Schema.integer, "passing": Schema.boolean,
                                      "ready": Schema.boolean])
        openAPI.addSchema("PlatformStatus", Schema.object([
            "checkedAt": Schema.dateTime, "discovery": Schema.enumeration(["registry", "fixed"]),
            "services": Schema.array(Schema.object(["name": Schema.string, "reachable": Schema.boolean, "instances": Schema.array(instance)])),
            "recentStarts": Schema.array(Schema.object(["service": Schema.string, "instance": Schema.string, "startedAt": Schema.dateTime])),
        ]))
        openAPI.add("GET", "/api/v1/status", summary: "Every service's instances and readiness", tag: "status",
                    responses: [200: ("Status", Schema.ref("PlatformStatus"))])
        openAPI.add("GET", "/status", summary: "The same, as a page", tag: "pages", responses: [200: ("HTML", nil)], contentType: "text/html")
    }

    func status(_ context: ServiceRequestContext) async -> PlatformStatus {
        var status = await self.probe.check(requestID: context.requestID)
        status.recentStarts = (try? await self.starts.latest()) ?? []
        return status
    }

    /// The status page's model for `status.mustache`: each service, reachable or not, with its instances.
    struct View {
        struct Instance { var address: String; var ready: Bool; var state: String; var first: Bool }
        struct Service { var name: String; var reachable: Bool; var reachableText: String; var none: String?; var instances: [Instance] }
        struct Start { var service: String; var instance: String; var at: String }
        struct StartColumns { var service: String; var instance: String; var at: String }
        var frame: PageFrame
        var heading: String
        var checked: String
        var serviceColumns: [String]
        var services: [Service]
        var startsHeading: String
        var startColumns: StartColumns
        var noStarts: String?
        var starts: [Start]
    }

    enum Text {
        static let checked = Phrase("Kiểm tra lúc {0} · dịch vụ tìm qua {1}", "Checked at {0} · services found through {1}")
        static let registry = Phrase("registry", "the registry")
        static let fixed = Phrase("địa chỉ cố định", "fixed addresses")
        static let columns = [Phrase("Dịch vụ", "Service"), Phrase("Trạng thái", "State"), Phrase("Phiên bản (instances)", "Instances")]
        static let reachable = Phrase("Hoạt động", "Working")
        static let unreachable = Phrase("Không truy cập được", "Not reachable")
        static let noInstance = Phrase("Không có phiên bản nào", "No instance")
        static let ready = Phrase("sẵn sàng", "ready")
        static let failing = Phrase("lỗi", "failing")
        static let starts = Phrase("Khởi động gần đây", "Recent starts")
        static let instance = Phrase("Phiên bản", "Instance")
        static let at = Phrase("Thời điểm", "At")
        static let noStarts = Phrase("Chưa có", "None yet")
    }

    static func page(_ visitor: Visitor, _ status: PlatformStatus) throws -> Response {
        let l = visitor.language
        let services = status.services.map { service in
            View.Service(name: service.name, reachable: service.reachable, reachableText: (service.reachable ? Text.reachable : Text.unreachable)(l),
                         none: service.instances.isEmpty ? Text.noInstance(l) : nil, instances: service.instances.enumerated().map { index, instance in
                let ready = instance.passing && instance.ready == true
                return View.Instance(address: "\(instance.address):\(instance.port)", ready: ready, state: (ready ? Text.ready : Text.failing)(l),
                                     first: index == 0)
            })
        }
        let starts = status.recentStarts.prefix(20).map { View.Start(service: $0.service, instance: $0.instance, at: VietnamTime.rfc3339($0.startedAt)) }
        return try Layout.render(visitor, "status", View(
            frame: Layout.frame(visitor, title: .platformStatus), heading: Phrase.platformStatus(l),
            checked: Text.checked.with(VietnamTime.rfc3339(status.checkedAt), (status.discovery == "registry" ? Text.registry : Text.fixed)(l))(l),
            serviceColumns: Text.columns.map { $0(l) }, services: services, startsHeading: Text.starts(l),
            startColumns: View.StartColumns(service: Text.columns[0](l), instance: Text.instance(l), at: Text.at(l)),
            noStarts: starts.isEmpty ? Text.noStarts(l) : nil, starts: Array(starts)))
    }
}
