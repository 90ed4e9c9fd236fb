import DomainKit
import Foundation
import Hummingbird
import NIOCore

/// Server-rendered HTML: escaped by default, one layout, readable on a cheap phone.
struct HTML: Sendable {
    let text: String

    init(raw text: String) {
        self.text = text
    }

    /// Escapes a value for element content or a quoted attribute.
    static func escape(_ value: String) -> String { HTMLText.escape(value) }
}

/// The page frame shared by every public page.
enum Layout {
    static func page(title: String, body: HTML, language: String = "vi") -> Response {
        let html = """
        <!doctype html>
        <html lang="\(language)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title)) · Một cửa</title>
        <style>
        :root { --ink: #1b1f24; --muted: #5b6570; --accent: #a4161a; --ok: #1a7f37; --bad: #b42318; --line: #d8dde3; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
        header { background: var(--accent); color: #fff; padding: .75rem 1rem; }
        header a { color: #fff; text-decoration: none; font-weight: 600; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
        table { width: 100%; border-collapse: collapse; background: #fff; }
        th, td { text-align: left; padding: .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        .ok { color: var(--ok); font-weight: 600; } .bad { color: var(--bad); font-weight: 600; }
        .muted { color: var(--muted); font-size: .9rem; }
        @media (max-width: 40rem) { th.wide, td.wide { display: none; } }
        </style>
        </head>
        <body>
        <header><a href="/">Cổng dịch vụ công · Một cửa</a></header>
        <main>
        \(body.text)
        </main>
        </body>
        </html>
        """
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
