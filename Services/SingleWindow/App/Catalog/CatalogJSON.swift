import Contracts
import ServiceKit

/// Catalog search answers, written by hand: the portal asks for a page on every keystroke (see `JSONOutput`).
extension ProcedurePage {
    var json: JSONOutput {
        var output = JSONOutput()
        output.object { page in
            page.key("countsByLevel")
            page.object { counts in
                for level in self.countsByLevel.keys.sorted() {
                    counts.key(level)
                    counts.integer(self.countsByLevel[level]!)
                }
            }
            page.key("items")
            page.array(self.items) { items, summary in
                items.object { item in
                    item.member("code", summary.code)
                    item.key("levels")
                    item.array(summary.levels) { $0.string($1.rawValue) }
                    item.member("name", summary.name)
                    item.member("onlineScope", summary.onlineScope.rawValue)
                    item.member("processingDays", summary.processingDays)
                    item.member("sector", summary.sector)
                    item.member("serviceLevel", summary.serviceLevel.rawValue)
                    item.member("totalFee", summary.totalFee.amount)
                }
            }
            page.member("page", self.page)
            page.member("pageSize", self.pageSize)
            page.member("total", self.total)
        }
        return output
    }
}
