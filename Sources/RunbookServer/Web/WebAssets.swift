/// The console's and status page's one stylesheet and one script, compiled in: no CDN, no
/// build step, and a CSP of `'self'` allows exactly these. Pages work without the script; it
/// shows times in the reader's zone and refreshes a live page's parts without reloading.
enum WebAssets {
    static let stylesheetPath = "/assets/rbx.css"
    static let scriptPath = "/assets/rbx.js"

    static let stylesheet = """
        :root{--fg:#1d1d1f;--muted:#5f6368;--line:#d9dce1;--bg:#fff;--panel:#f6f7f9;--bad:#b3261e;--warn:#a15c00;
        --ok:#1e6b30;--link:#0b57d0;--info:#3a5a99}
        @media (prefers-color-scheme:dark){:root{--fg:#e8eaed;--muted:#a0a4aa;--line:#3c4043;--bg:#161719;
        --panel:#202124;--bad:#f28b82;--warn:#fdd663;--ok:#81c995;--link:#8ab4f8;--info:#aecbfa}}
        *{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;
        color:var(--fg);background:var(--bg)}
        a{color:var(--link)}main{max-width:72rem;margin:0 auto;padding:1rem}
        header.top{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;padding:.5rem 1rem;
        border-bottom:1px solid var(--line);background:var(--panel)}
        header.top .brand{font-weight:700;text-decoration:none;color:var(--fg)}header.top nav{display:flex;
        flex-wrap:wrap;gap:.25rem .9rem}header.top .who{margin-left:auto;color:var(--muted);font-size:.9rem}
        h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
        .muted,.meta{color:var(--muted);font-size:.9rem}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;
        border-bottom:1px solid var(--line);vertical-align:top}th{font-size:.85rem;color:var(--muted)}
        .table-wrap{overflow-x:auto}
        .badge{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-size:.8rem;font-weight:600;
        border:1px solid currentColor;white-space:nowrap}
        .s-running,.s-open{color:var(--bad)}.s-acked{color:var(--warn)}.s-resolved{color:var(--ok)}
        .s-failed{color:var(--bad)}.s-drill{color:var(--info)}
        .incident{border-left:.35rem solid var(--bad);padding:.5rem 1rem;margin:1rem 0;background:var(--panel)}
        .incident.resolved{border-color:var(--ok)}.incident.acked{border-color:var(--warn)}
        .incident .body blockquote{margin:.5rem 0;padding-left:.75rem;border-left:3px solid var(--line)}
        pre,code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
        pre.output{background:var(--panel);border:1px solid var(--line);padding:.5rem;overflow-x:auto;
        white-space:pre-wrap;word-break:break-word;max-height:24rem}
        form.inline{display:inline}fieldset{border:1px solid var(--line);padding:.75rem;margin:.75rem 0;min-width:0}
        textarea{width:100%}
        input,select,textarea,button{font:inherit}input[type=text],input[type=password],textarea,select{
        padding:.35rem;border:1px solid var(--line);border-radius:.3rem;background:var(--bg);color:var(--fg);
        max-width:100%}
        button{padding:.4rem .9rem;border-radius:.3rem;border:1px solid var(--line);background:var(--panel);
        color:var(--fg);cursor:pointer}button.primary{background:var(--link);border-color:var(--link);color:#fff}
        button.danger{border-color:var(--bad);color:var(--bad)}
        .gate{border:2px solid var(--warn);padding:.75rem 1rem;margin:1rem 0;border-radius:.4rem}
        .flash{padding:.5rem 1rem;border-radius:.3rem;margin:.5rem 0;background:var(--panel);
        border:1px solid var(--line)}.flash.error{border-color:var(--bad);color:var(--bad)}
        dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}
        dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;word-break:break-word}
        ol.timeline{list-style:none;padding:0}ol.timeline li{border-left:2px solid var(--line);
        padding:.25rem 0 .5rem .9rem;position:relative}
        .filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0 1rem}
        .filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
        svg.flow{max-width:100%;height:auto}.doc table{display:block;overflow-x:auto}
        .doc pre{overflow-x:auto}.doc figure{margin:.5rem 0}
        .narrow{display:none}
        @media (max-width:40rem){th.wide,td.wide{display:none}.narrow{display:block}main{padding:.5rem}}
        """

    static let script = """
        "use strict";
        (function () {
          function localTimes(root) {
            root.querySelectorAll("time[datetime]").forEach(function (element) {
              var date = new Date(element.getAttribute("datetime"));
              if (isNaN(date)) { return; }
              element.textContent = date.toLocaleString(undefined, {
                year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
                second: "2-digit", timeZoneName: "short" });
            });
          }
          function refreshLive() {
            var live = document.querySelectorAll("[data-live]");
            if (live.length === 0) { return; }
            setInterval(function () {
              if (document.hidden) { return; }
              fetch(window.location.href, { credentials: "same-origin", headers: { "X-RBX-Live": "1" } })
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (text) {
                  if (text === null) { return; }
                  var page = new DOMParser().parseFromString(text, "text/html");
                  live.forEach(function (element) {
                    var fresh = page.getElementById(element.id);
                    if (fresh && fresh.innerHTML !== element.innerHTML) {
                      element.innerHTML = fresh.innerHTML;
                      localTimes(element);
                    }
                  });
                })
                .catch(function () {});
            }, 2000);
          }
          document.addEventListener("DOMContentLoaded", function () {
            localTimes(document);
            refreshLive();
          });
        })();
        """
}
