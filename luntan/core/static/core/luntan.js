/* luntan — optional enhancements; every page works without this file.
   [复制链接]: copy the thread's permalink instead of following it. */
(function () {
  "use strict";
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function done(link, ok) {
    var original = link.getAttribute("data-label") || link.textContent;
    link.setAttribute("data-label", original);
    link.textContent = ok ? (link.getAttribute("data-copied") || original) : original;
    window.setTimeout(function () { link.textContent = original; }, 2000);
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-copy]") : null;
    if (!link) { return; }
    var text = link.getAttribute("data-copy");
    event.preventDefault();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(link, true); },
        function () { done(link, fallbackCopy(text)); }
      );
    } else {
      done(link, fallbackCopy(text));
    }
  });
})();
