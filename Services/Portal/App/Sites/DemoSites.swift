import DomainKit
import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// The demo's portals, made once when `DEMO_DATA` is set: the province's main portal, a component portal for every
/// department and district single-window lists, and fifteen other provincial units — 51 component portals, as Kiên
/// Giang runs — each with two published articles and a draft. Single-window may start after the portal, so this
/// asks it again every few seconds until it answers.
struct DemoSites: Service {
    let sites: SiteRepository
    let singleWindow: SingleWindowGateway
    let logger: Logger
    let now: @Sendable () -> Date
    var retry: Duration = .seconds(2)

    static let mainSlug = "kiengiang"

    static let otherUnits = [
        "Công an tỉnh Kiên Giang", "Cục Thuế tỉnh Kiên Giang", "Bảo hiểm xã hội tỉnh Kiên Giang", "Kho bạc Nhà nước Kiên Giang",
        "Cục Hải quan Kiên Giang", "Cục Thống kê tỉnh Kiên Giang", "Ngân hàng Nhà nước chi nhánh Kiên Giang", "Bộ Chỉ huy Quân sự tỉnh",
        "Bộ đội Biên phòng tỉnh Kiên Giang", "Đài Phát thanh và Truyền hình Kiên Giang", "Báo Kiên Giang", "Trường Đại học Kiên Giang",
        "Trường Cao đẳng Kiên Giang", "Văn phòng Đoàn Đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "Liên minh Hợp tác xã tỉnh Kiên Giang",
    ]

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.seed()
                    // A service that returns ends the whole group: this one waits for the shutdown like the others.
                    while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                    return
                } catch {
                    self.logger.debug("demo sites wait for single-window", metadata: ["error": .string("\(error)")])
                    try? await Task.sleep(for: self.retry)
                }
            }
        }
    }

    /// Makes the sites and their articles where they are missing; how many sites it made.
    @discardableResult
    func seed() async throws -> Int {
        let agencies = try await self.singleWindow.agencies(requestID: nil)
        let now = self.now()
        var made = 0
        var planned: [Site] = []
        if let province = agencies.first(where: { $0.level == .province }) {
            planned.append(Site(slug: Self.mainSlug, name: "Cổng thông tin điện tử tỉnh Kiên Giang", agencyCode: province.code, kind: .main, host: nil,
                                banner: "Chính quyền điện tử phục vụ người dân và doanh nghiệp", contacts: "\(province.address) · \(province.phone ?? "") · \(province.email)"))
        }
        for agency in agencies where agency.level == .department || agency.level == .district {
            let prefix = "Ủy ban nhân dân "
            let name = agency.name.hasPrefix(prefix) ? String(agency.name.dropFirst(prefix.count)) : agency.name
            planned.append(Site(slug: SiteRepository.slug(name), name: name, agencyCode: agency.code, kind: agency.level == .department ? .department : .district,
                                host: nil, banner: "Trang thông tin điện tử \(name)", contacts: "\(agency.address) · \(agency.phone ?? "") · \(agency.email)"))
        }
        for unit in Self.otherUnits {
            planned.append(Site(slug: SiteRepository.slug(unit), name: unit, agencyCode: nil, kind: .unit, host: nil, banner: "Trang thông tin \(unit)",
                                contacts: "Tỉnh Kiên Giang"))
        }
        for (index, site) in planned.enumerated() {
            guard try await self.sites.database.transaction({ try await self.sites.add(site, now: now, in: $0) }) else { continue }
            made += 1
            for (number, news) in Self.news(for: site).enumerated() {
                let at = now.addingTimeInterval(-Double(index * 3 + number) * 3600)
                try await self.sites.save(Article(id: UUID().uuidString.lowercased(), siteSlug: site.slug, title: news.title, summary: news.summary,
                                                  body: news.body, status: number < 2 ? .published : .draft, author: "demo", createdAt: at,
                                                  updatedAt: at, publishedAt: number < 2 ? at : nil))
            }
        }
        if made > 0 { self.logger.info("demo sites made", metadata: ["count": .stringConvertible(made)]) }
        return made
    }

    static func news(for site: Site) -> [(title: String, summary: String, body: String)] {
        [
            ("\(site.name) đẩy mạnh tiếp nhận hồ sơ trực tuyến",
             "Người dân có thể nộp hồ sơ, thanh toán phí và nhận kết quả qua Cổng dịch vụ công.",
             "\(site.name) khuyến khích người dân và doanh nghiệp nộp hồ sơ trực tuyến qua Cổng dịch vụ công tỉnh.\n\nHồ sơ được tiếp nhận, xử lý và trả kết quả đúng hạn; người dân theo dõi tiến độ bằng mã hồ sơ và bốn số cuối điện thoại."),
            ("Lịch tiếp công dân tháng này của \(site.name)",
             "Lịch tiếp công dân định kỳ và địa điểm tiếp.",
             "Lãnh đạo \(site.name) tiếp công dân định kỳ vào thứ Năm tuần thứ hai hằng tháng tại trụ sở cơ quan.\n\nCông dân mang theo căn cước công dân và giấy tờ liên quan."),
            ("(Bản nháp) Kế hoạch chuyển đổi số năm tới", "Bản nháp, chưa công bố.", "Nội dung đang soạn thảo."),
        ]
    }
}
