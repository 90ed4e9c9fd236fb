import Hummingbird
import PageKit

/// The portal's stylesheet (PageKit's, which the console shares) and script, served under content-hashed names.
enum Assets {
    static let stylesheet = StaticAsset(name: "site", ext: "css", contentType: "text/css; charset=utf-8", text: PageStyle.base)
    static let script = StaticAsset(name: "site", ext: "js", contentType: "text/javascript; charset=utf-8", text: Script.text)

    static func register(on router: Router<some RequestContext>) {
        StaticAsset.register([stylesheet, script], on: router)
    }
}

/// A little progressive JavaScript: pages work without it.
enum Script {
    static let text = """
    (function(){var k=document.querySelector('.keypad');if(k){k.hidden=false;var last=document.getElementById('f-code');
    document.querySelectorAll('form input').forEach(function(i){i.setAttribute('inputmode','none');i.addEventListener('focus',function(){last=i})});
    k.addEventListener('click',function(e){var b=e.target.closest('button[data-key]');if(!b||!last)return;var v=b.getAttribute('data-key');
    if(v==='back'){last.value=last.value.slice(0,-1)}else if(v==='clear'){last.value=''}else{last.value+=v}last.focus()})}
    var idle=document.body.getAttribute('data-idle');if(idle){var t;var r=function(){clearTimeout(t);t=setTimeout(function(){location.href=document.body.getAttribute('data-home')},idle*1000)};
    ['click','keydown','touchstart','input'].forEach(function(n){document.addEventListener(n,r,true)});r()}})();
    document.querySelectorAll('form[data-once]').forEach(function(f){f.addEventListener('submit',function(){f.querySelectorAll('button[type=submit]').forEach(function(b){b.disabled=true})})});
    document.querySelectorAll('button[data-print]').forEach(function(b){b.addEventListener('click',function(){window.print()})});
    """
}
