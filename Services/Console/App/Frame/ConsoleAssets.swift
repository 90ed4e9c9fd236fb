import PageKit

/// The console's stylesheet (PageKit's, with the queue and dossier parts) and its script: keyboard shortcuts and
/// printing; every action stays reachable without them.
enum ConsoleAssets {
    static let stylesheet = StaticAsset(name: "console", ext: "css", contentType: "text/css; charset=utf-8", text: PageStyle.base + """
        nav.main .count{display:inline-block;min-width:1.5rem;padding:0 .35rem;border-radius:1rem;background:#fff;color:var(--accent-dark);font-size:.85rem;text-align:center}
        nav.main .who{opacity:.9}
        main{max-width:90rem}
        .table-scroll{overflow-x:auto}table.counts{max-width:28rem}
        table.queue td.due span{font-size:.85rem}
        td.due.on-track span{color:var(--ok)}td.due.soon span{color:#8a4b00;font-weight:600}td.due.late{color:var(--bad);font-weight:700}
        td.due.paused span{color:var(--muted)}
        table.queue span.step{font-size:.85rem;color:var(--muted)}table.queue span.step.late{color:var(--bad);font-weight:600}
        table.process tr.current td{font-weight:600;background:#eef5ff}table.process tr.late td:last-child,table.process tr.current.late td:last-child,
        table.handovers tr.late td:nth-child(6){color:var(--bad);font-weight:700}table.process tr.done td:last-child{color:var(--ok)}
        dl.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.5rem 1rem;margin:0 0 1rem}
        dl.facts dt{font-weight:600;color:var(--muted);font-size:.9rem}dl.facts dd{margin:0}
        form.filters{display:block}
        .filters-more{display:grid;gap:0 1rem;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));align-items:end}
        form.filters .buttons{margin:0 0 .25rem}
        fieldset{border:1px solid var(--line);border-radius:.35rem;margin:0 0 1rem;padding:.5rem 1rem}fieldset.invalid{border-color:var(--bad)}
        label.choice{display:block;padding:.35rem 0;min-height:44px}
        .button.secondary,button.secondary{background:#fff;color:var(--accent-dark);border:2px solid var(--accent-dark)}button.danger{background:var(--bad)}
        article.sign-request h2{font-size:1.1rem}details summary{cursor:pointer;padding:.5rem 0;min-height:44px}
        dialog#help{max-width:32rem;border:2px solid var(--ink);border-radius:.5rem}dialog#help th{white-space:nowrap}
        kbd{font:inherit;font-weight:700;border:1px solid var(--line);border-radius:.25rem;padding:0 .3rem;background:var(--bg)}
        ul.slips{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1rem}
        form.action{max-width:40rem}form.action h3{margin:0 0 .5rem;font-size:1.05rem}
        form.action.danger{border-left:5px solid var(--bad)}
        @media (max-width:40rem){nav.main{flex:1 1 100%;min-width:0;max-width:100%}nav.main ul{flex-wrap:nowrap;overflow-x:auto;gap:.25rem .9rem;padding-bottom:.4rem}nav.main li{flex:none}
        nav.main li.who,nav.main li.help{display:none}body.print-sheet>p{padding:0 1rem}}
        details.more>summary{font-weight:600;margin:0 0 .75rem}
        @media (max-width:40rem){table.queue .col-channel,table.queue .col-received{display:none}}
        @media print{main{max-width:none}table{font-size:11pt}}
        form.filters.report-choice{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:0 1rem;align-items:end}@media (max-width:40rem){table .phone-hide{display:none}table.report-dossiers tr>:nth-child(3),table.report-dossiers tr>:nth-child(4){display:none}}
        table.report td{text-align:right;font-variant-numeric:tabular-nums}table.report th[scope=colgroup],table.report thead th{text-align:center}
        table.report tfoot th,table.report tfoot td{font-weight:700;border-top:2px solid var(--ink,#1b1f24)}
        .figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:1rem}.figure .value{font-size:2rem;font-weight:700;margin:.25rem 0}
        nav.tabs ul{display:flex;gap:1rem;list-style:none;padding:0;margin:0 0 1rem;border-bottom:1px solid #c9d0d8}nav.tabs a{display:inline-block;padding:.4rem 0}
        nav.tabs a[aria-current]{font-weight:700;border-bottom:3px solid currentColor}table.register tr.waiting td:last-child{color:var(--bad);font-weight:600}
        fieldset.recipients .choice{display:block}
        pre.message{white-space:pre-wrap;font:inherit;background:#f6f7f9;padding:.75rem;border-radius:4px}
        .register table.report td{text-align:left}.register table.report td:first-child{text-align:right}
        @media print{@page register{size:A4 landscape;margin:10mm}.register{page:register}.register table{font-size:8pt}}
        table.report-dossiers tr.late td:nth-child(7),table.report-dossiers tr.late td:nth-child(8){color:var(--bad);font-weight:600}
        body.print-sheet{background:#fff}body.print-sheet>p{max-width:48rem;margin:1rem auto}
        .slip{max-width:48rem;margin:0 auto;background:#fff;padding:1rem;font-family:"Times New Roman",Times,serif;color:#000}
        .slip-head{display:flex;justify-content:space-between;gap:1rem;text-align:center;font-size:.95rem}
        .slip h1{text-align:center;font-size:1.3rem;text-transform:uppercase;margin:1rem 0}
        .slip .form-number{text-align:right;font-style:italic;font-size:.85rem;margin:.5rem 0 0}
        .slip table{background:none}.slip th,.slip td{border-bottom:1px solid #999;padding:.3rem}
        .slip table.lines th{width:11rem;font-weight:600}
        .slip table.documents th{border-bottom:2px solid #000}
        .slip .lookup{display:flex;gap:1rem;align-items:center;margin-top:1rem}.slip .qr-box{width:7.5rem;flex:none}
        .slip .qr{width:100%;height:auto;display:block}.slip .url{font-size:.8rem;word-break:break-all}
        @page{margin:12mm}@page a5{size:A5;margin:10mm}@page a4{size:A4;margin:15mm}
        @media print{.slip.a5{page:a5}.slip.a4{page:a4}.slip{padding:0;max-width:none}}
        """)

    static let script = StaticAsset(name: "console", ext: "js", contentType: "text/javascript; charset=utf-8", text: """
        document.querySelectorAll('form[data-once]').forEach(function(f){f.addEventListener('submit',function(e){var s=e.submitter;if(s&&s.name){var h=document.createElement('input');h.type='hidden';h.name=s.name;h.value=s.value;f.appendChild(h)}f.querySelectorAll('button[type=submit]').forEach(function(b){b.disabled=true})})});
        document.querySelectorAll('button[data-help]').forEach(function(b){b.addEventListener('click',function(){var h=document.getElementById('help');if(h)h.showModal()})});
        document.querySelectorAll('button[data-print]').forEach(function(b){b.addEventListener('click',function(){window.print()})});
        (function(){var rows=[].slice.call(document.querySelectorAll('a[data-row]')),at=-1;
        function typing(e){var t=e.target;return t&&(t.tagName==='INPUT'||t.tagName==='TEXTAREA'||t.tagName==='SELECT'||t.isContentEditable)}
        document.addEventListener('keydown',function(e){if(e.altKey&&/^[1-9]$/.test(e.key)){var q=document.querySelectorAll('nav.main a[aria-keyshortcuts]')[+e.key-1];if(q){e.preventDefault();location.href=q.href}return}
        if(typing(e)||e.ctrlKey||e.metaKey||e.altKey)return;
        if((e.key==='j'||e.key==='k')&&rows.length){e.preventDefault();at=Math.max(0,Math.min(rows.length-1,at+(e.key==='j'?1:-1)));rows[at].focus()}
        else if(e.key==='?'){var h=document.getElementById('help');if(h&&!h.open){e.preventDefault();h.showModal()}}
        else if(e.key==='/'){var q=document.getElementById('f-q');if(q){e.preventDefault();q.focus()}}
        else if(e.key==='n'||e.key==='p'){var l=document.querySelector('a[data-key='+e.key+']');if(l){e.preventDefault();location.href=l.href}}
        else if(e.key==='t'){var b=document.querySelector('[data-shortcut=t]');if(b){e.preventDefault();b.click()}}
        else if(e.key==='a'){var s=document.getElementById('actions');if(s){e.preventDefault();var f=s.querySelector('input:not([type=hidden]),textarea,button');if(f)f.focus()}}})})();
        """)
}
