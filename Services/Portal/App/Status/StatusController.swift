import Contracts
import DomainKit
import Foundation
import Hummingbird
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
            Layout.page(try await self.visitors.visitor(request), title: .platformStatus, body: Self.render(await self.status(context)))
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

    static func render(_ status: PlatformStatus) -> HTML {
        var rows = ""
        for service in status.services {
            let instances = service.instances.isEmpty
                ? "<span class=\"bad\">Không có phiên bản nào</span>"
                : service.instances.map { instance in
                    let state = instance.passing && instance.ready == true ? "<span class=\"ok\">sẵn sàng</span>" : "<span class=\"bad\">lỗi</span>"
                    return "\(HTML.escape(instance.address)):\(instance.port) \(state)"
                }.joined(separator: "<br>")
            let reachable = service.reachable ? "<span class=\"ok\">Hoạt động</span>" : "<span class=\"bad\">Không truy cập được</span>"
            rows += "<tr><td>\(HTML.escape(service.name))</td><td>\(reachable)</td><td>\(instances)</td></tr>\n"
        }
        var startRows = ""
        for start in status.recentStarts.prefix(20) {
            startRows += "<tr><td>\(HTML.escape(start.service))</td><td class=\"wide\">\(HTML.escape(start.instance))</td>"
                + "<td>\(HTML.escape(VietnamTime.rfc3339(start.startedAt)))</td></tr>\n"
        }
        return HTML(raw: """
            <h1>Tình trạng hệ thống <span class="muted">/ Platform status</span></h1>
            <p class="muted">Kiểm tra lúc \(HTML.escape(VietnamTime.rfc3339(status.checkedAt))) · dịch vụ tìm qua \(status.discovery == "registry" ? "registry" : "địa chỉ cố định")</p>
            <table>
            <thead><tr><th>Dịch vụ</th><th>Trạng thái</th><th>Phiên bản (instances)</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <h2>Khởi động gần đây <span class="muted">/ Recent starts</span></h2>
            <table>
            <thead><tr><th>Dịch vụ</th><th class="wide">Phiên bản</th><th>Thời điểm</th></tr></thead>
            <tbody>
            \(startRows.isEmpty ? "<tr><td colspan=\"3\" class=\"muted\">Chưa có</td></tr>" : startRows)</tbody>
            </table>
            """)
    }
}
