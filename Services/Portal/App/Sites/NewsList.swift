import DomainKit
import Foundation
import PageKit
import ServiceKit

/// A list of articles with their dates and summaries, for the `news` partial (the home page and a site's page).
struct NewsList: Sendable {
    struct Item: Sendable {
        var href: String
        var title: String
        var date: String
        var summary: String
    }

    var articles: [Item]
    /// What is said when there is nothing to list.
    var none: String?

    init(_ articles: [Article], _ language: Language) {
        self.articles = articles.map {
            Item(href: "/s/\($0.siteSlug.pathSegment)/news/\($0.id.pathSegment)", title: $0.title, date: $0.publishedAt.map { Display.date($0) } ?? "",
                 summary: $0.summary)
        }
        self.none = articles.isEmpty ? Phrase.noNews(language) : nil
    }
}
