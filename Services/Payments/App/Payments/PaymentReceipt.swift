import Contracts
import DomainKit
import Foundation
import ServiceKit

/// The receipt of a paid fee, printable on A5 from a browser: who paid what for which dossier, when and how.
enum PaymentReceipt {
    /// The page's own style and print script, allowed by their hashes in its Content-Security-Policy (nothing else inline runs).
    static let style = """
        body{font-family:system-ui,sans-serif;max-width:40em;margin:1em auto;padding:0 1em;color:#111}
        h1{font-size:1.3em;text-align:center;margin:.2em 0}p.c{text-align:center;margin:.2em 0}table{width:100%;border-collapse:collapse;margin:1em 0}
        td,th{border:1px solid #444;padding:.35em .5em;text-align:left}.n{text-align:right;white-space:nowrap}dl{display:grid;grid-template-columns:auto 1fr;gap:.2em 1em}
        dt{font-weight:600}@media print{button{display:none}@page{size:A5;margin:12mm}}
        """
    static let script = "document.querySelector('button[data-print]').addEventListener('click',function(){window.print()})"
    static let contentSecurityPolicy = SecurityHeadersMiddleware.contentSecurityPolicy(inlineStyle: style, inlineScript: script)

    /// The collecting agency by the name it had when the fee was paid (its code for a payment made before names were kept).
    static func html(_ payment: PaymentRecord) -> String {
        let e = HTMLText.escape
        let rows = payment.items.map { "<tr><td>\(e($0.name))</td><td class=n>\(e($0.amount.formatted))</td></tr>" }.joined()
        let paid = payment.paidAt.map { VietnamTime.rfc3339($0).prefix(16).replacingOccurrences(of: "T", with: " ") } ?? ""
        let how = payment.method == .counter ? "Nộp tiền mặt tại quầy" : "Thanh toán trực tuyến qua cổng thanh toán"
        let number = PaymentView.number(receipt: payment.receiptNumber, bankTransaction: payment.bankTransactionNo, reference: payment.reference)
        return """
            <!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Biên lai thu phí, lệ phí \(e(number))</title>
            <style>\(Self.style)</style></head><body>
            <p class=c>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>
            <h1>BIÊN LAI THU PHÍ, LỆ PHÍ</h1><p class=c>Số: <strong>\(e(number))</strong></p>
            <dl><dt>Cơ quan thu</dt><dd>\(e(payment.agencyName ?? payment.agencyCode.uppercased()))</dd><dt>Hồ sơ</dt><dd>\(e(payment.dossierCode))</dd>
            <dt>Người nộp</dt><dd>\(e(payment.payer.name))</dd><dt>Hình thức</dt><dd>\(how)</dd><dt>Thời gian</dt><dd>\(e(String(paid)))</dd></dl>
            <table><thead><tr><th>Khoản thu</th><th class=n>Số tiền</th></tr></thead><tbody>\(rows)
            <tr><th>Tổng cộng</th><th class=n>\(e(payment.amount.formatted))</th></tr></tbody></table>
            \(payment.refunded.amount > 0 ? "<p>Đã hoàn trả: \(e(payment.refunded.formatted))</p>" : "")
            <button type="button" data-print>In biên lai</button><script>\(Self.script)</script></body></html>
            """
    }
}
