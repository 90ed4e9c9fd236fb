import Crypto
import Foundation
import Hummingbird
import NIOCore

/// A stylesheet or script served by the site itself (no CDN, no web font) under a name that carries its content's
/// hash, so a browser keeps it for a year and a new release is fetched at once.
public struct StaticAsset: Sendable {
    public let path: String
    public let contentType: String
    public let body: ByteBuffer
    public let etag: String

    public init(name: String, ext: String, contentType: String, text: String) {
        let digest = SHA256.hash(data: Data(text.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        self.path = "/assets/\(name).\(digest).\(ext)"
        self.contentType = contentType
        self.body = ByteBuffer(string: text)
        self.etag = "\"\(digest)\""
    }

    /// Serves each asset at its path, with a year's caching and 304 for a browser that has it.
    public static func register(_ assets: [StaticAsset], on router: Router<some RequestContext>) {
        for asset in assets {
            router.get(RouterPath(asset.path)) { request, _ -> Response in
                if request.headers[.ifNoneMatch] == asset.etag {
                    return Response(status: .notModified, headers: [.eTag: asset.etag, .cacheControl: "public, max-age=31536000, immutable"])
                }
                return Response(status: .ok, headers: [.contentType: asset.contentType, .eTag: asset.etag,
                                                       .cacheControl: "public, max-age=31536000, immutable"],
                                body: .init(byteBuffer: asset.body))
            }
        }
    }
}

/// One stylesheet for every page: readable at 360 px, large on the kiosk, focus always visible, colours that pass
/// WCAG AA on their backgrounds (ink 15.9:1, muted 5.9:1, accent 7.4:1 on white).
public enum PageStyle {
    public static let base = """
    :root{--ink:#1b1f24;--muted:#4f5863;--accent:#a4161a;--accent-dark:#7d0f12;--ok:#116329;--bad:#a4161a;--line:#c9d0d8;--bg:#f6f7f9;--focus:#1d4ed8}
    *{box-sizing:border-box}
    body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
    a{color:var(--accent-dark)}
    :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
    .skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:9}
    header.site{background:var(--accent);color:#fff}
    header.site .bar{max-width:64rem;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
    header.site a{color:#fff}
    header.site .brand{font-weight:700;text-decoration:none;margin-right:auto}
    nav.main ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
    nav.main a{text-decoration:none;padding:.25rem 0;display:inline-block}
    nav.main a[aria-current]{text-decoration:underline;text-underline-offset:.3em}
    nav.main li{display:flex;align-items:center}nav.main button.link{padding:.25rem 0;text-decoration:none;line-height:inherit}
    main{max-width:64rem;margin:0 auto;padding:1rem}
    footer.site{max-width:64rem;margin:2rem auto;padding:1rem;color:var(--muted);font-size:.9rem;border-top:1px solid var(--line)}
    h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem}
    table{width:100%;border-collapse:collapse;background:#fff}
    th,td{text-align:left;padding:.5rem;border-bottom:1px solid var(--line);vertical-align:top}
    .ok{color:var(--ok);font-weight:600}.bad{color:var(--bad);font-weight:600}
    .muted{color:var(--muted);font-size:.9rem}
    .card{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
    form.stack{max-width:32rem}
    .field{margin:0 0 1rem}
    .field label{display:block;font-weight:600;margin-bottom:.25rem}
    .field .hint{display:block;color:var(--muted);font-size:.9rem}
    input,select,textarea{font:inherit;width:100%;padding:.6rem;border:2px solid #6b7480;border-radius:.35rem;background:#fff;color:var(--ink)}
    input[type=checkbox],input[type=radio]{width:auto}
    .field.invalid input,.field.invalid select,.field.invalid textarea{border-color:var(--bad)}
    .error{color:var(--bad);font-weight:600;display:block;margin:.25rem 0}
    .alert{border-left:5px solid var(--bad);background:#fff;padding:.75rem 1rem;margin:0 0 1rem}
    .notice{border-left:5px solid var(--ok);background:#fff;padding:.75rem 1rem;margin:0 0 1rem}
    button,.button{font:inherit;font-weight:600;display:inline-block;min-height:44px;padding:.6rem 1.2rem;border:0;border-radius:.35rem;background:var(--accent);color:#fff;cursor:pointer;text-decoration:none}
    button.link{background:none;color:inherit;padding:0;min-height:0;text-decoration:underline;font-weight:400}
    .inline{display:inline}
    .grid{display:grid;gap:0 1rem;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr))}
    .plain{list-style:none;padding:0}.card h2{font-size:1.1rem;margin:0 0 .25rem}
    ol.timeline{padding-left:1.25rem}ol.timeline li{margin:.25rem 0}
    .paging p{display:flex;gap:1rem;flex-wrap:wrap;align-items:center}
    body.kiosk{font-size:1.5rem}body.kiosk main{max-width:48rem}body.kiosk h1{font-size:2.25rem}
    body.kiosk input{font-size:1.75rem;padding:.75rem}body.kiosk button,body.kiosk .button{min-height:64px;font-size:1.5rem;padding:.75rem 1.5rem}
    .keypad .keys{display:grid;grid-template-columns:repeat(3,1fr);gap:.5rem;margin:.5rem 0}
    .keypad .keys.letters{grid-template-columns:repeat(7,1fr)}.keypad .keys.wide{grid-template-columns:1fr 1fr}
    .keypad button{background:#fff;color:var(--ink);border:2px solid #6b7480}
    @media (max-width:40rem){th.wide,td.wide{display:none}main{padding:.75rem}}
    @media print{header.site,footer.site,nav,.no-print{display:none}body{background:#fff}}
    """
}

