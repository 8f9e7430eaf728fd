/*
 * mikiwame embed loader. On a blog or article page:
 *
 *   <script src="https://YOUR-HOST/mikiwame/embed.js" data-lang="ja" data-theme="auto" data-height="auto" async></script>
 *
 * It puts an <iframe> showing embed.html right after this script tag. The checker runs inside the iframe,
 * in mikiwame's own origin: the host page never sees the text a reader pastes, and the iframe only ever
 * tells the host page its height.
 *
 * Options (data-* on the script tag):
 *   data-lang    "ja" | "en"             (default: the reader's browser language)
 *   data-theme   "auto" | "light" | "dark" (default auto: follows the reader's setting)
 *   data-height  "auto" | a number of px  (default auto: grows with the content)
 *   data-text    an example message to fill in and check at once (optional)
 *   data-title   the iframe's accessible title (optional)
 *   data-paste   "on": let the iframe read the clipboard, for its paste button (off by default; the
 *                reader's browser still asks them). Without it the embed shows no paste button.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    var all = document.querySelectorAll("script[src*='embed.js']:not([data-mikiwame-done])");
    script = all[all.length - 1];
  }
  if (!script || script.getAttribute("data-mikiwame-done")) return;
  script.setAttribute("data-mikiwame-done", "1");

  var src = new URL("embed.html", script.src);
  var frameOrigin = src.origin;
  var d = script.dataset;

  var params = new URLSearchParams();
  if (d.lang === "ja" || d.lang === "en") params.set("lang", d.lang);
  if (d.theme === "light" || d.theme === "dark") params.set("theme", d.theme);
  if (d.text) params.set("text", d.text);
  // The iframe posts its height to this origin only.
  if (location.origin && location.origin !== "null") params.set("parent", location.origin);
  // Options travel in the fragment: it is never sent to any server.
  src.hash = params.toString();

  var iframe = document.createElement("iframe");
  iframe.src = src.href;
  iframe.title = d.title || (d.lang === "en" ? "mikiwame scam message checker" : "見極め 詐欺メッセージチェッカー");
  iframe.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox");
  iframe.setAttribute("allow", d.paste === "on" ? "clipboard-read; clipboard-write" : "clipboard-write");
  iframe.setAttribute("loading", "lazy");
  iframe.setAttribute("referrerpolicy", "no-referrer");
  iframe.className = "mikiwame-embed";
  iframe.style.display = "block";
  iframe.style.width = "100%";
  iframe.style.maxWidth = "100%";
  iframe.style.border = "0";

  var fixed = parseInt(d.height, 10);
  var auto = !(fixed > 0);
  iframe.style.height = (auto ? 520 : fixed) + "px";

  if (auto) {
    window.addEventListener("message", function (event) {
      // Only our own iframe, only from mikiwame's origin, only a height.
      if (event.source !== iframe.contentWindow || event.origin !== frameOrigin) return;
      var data = event.data;
      if (!data || data.type !== "mikiwame:height") return;
      var h = Number(data.height);
      if (!isFinite(h)) return;
      h = Math.max(150, Math.min(Math.ceil(h), 8000));
      iframe.style.height = h + "px";
    });
  }

  script.parentNode.insertBefore(iframe, script.nextSibling);
})();
