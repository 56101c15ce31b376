/* Live replies: listen to /live/t/<id>/ (server-sent events) and show "N 条新回复".
   A message only says how many replies the thread has; the floors are fetched from the
   ordinary thread page (permission-checked) when the reader clicks the bar. */
(function () {
  "use strict";
  var bar = document.getElementById("live-bar");
  if (!bar || !window.EventSource || !window.fetch) return;
  var link = bar.querySelector("a");
  var count = bar.querySelector(".n");
  var loading = false;
  var latest = 0;

  function shown() {
    var el = document.getElementById("th-replies");
    return el ? parseInt(el.textContent, 10) || 0 : 0;
  }

  function update(replies) {
    latest = replies;
    var n = replies - shown();
    if (n > 0) {
      count.textContent = String(n);
      bar.hidden = false;
    } else {
      bar.hidden = true;
    }
  }

  function here(url) {
    var u = new URL(url, location.href);
    return u.pathname + u.search;
  }

  function loadInPlace(ev) {
    if (!bar.dataset.inPlace || loading) return;
    ev.preventDefault();
    loading = true;
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        if (here(r.url) !== here(location.href)) { location.href = link.href; return null; }
        return r.text();
      })
      .then(function (html) {
        if (html === null) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var mine = document.querySelectorAll("#postlist article.floor");
        var last = mine[mine.length - 1];
        var added = 0;
        doc.querySelectorAll("#postlist article.floor").forEach(function (floor) {
          if (document.getElementById(floor.id) || !last) return;
          var node = document.importNode(floor, true);
          last.after(node);
          last = node;
          added += 1;
          if (window.htmx) window.htmx.process(node);
        });
        var theirs = doc.getElementById("th-replies");
        var ours = document.getElementById("th-replies");
        if (theirs && ours) ours.textContent = theirs.textContent;
        var more = doc.getElementById("live-bar");
        if (more) { link.href = more.dataset.more; bar.dataset.inPlace = more.dataset.inPlace; }
        if (!added) { location.href = link.href; return; }
        bar.hidden = true;
      })
      .catch(function () { location.href = link.href; })
      .then(function () { loading = false; });
  }

  link.addEventListener("click", loadInPlace);
  // the quick reply (htmx) updates the count of the reader's own reply after the event
  document.body.addEventListener("htmx:afterSettle", function () { if (latest) update(latest); });
  var source = new EventSource(bar.dataset.src);
  source.addEventListener("replies", function (e) {
    try { update(JSON.parse(e.data).replies); } catch (err) { /* ignore a bad message */ }
  });
})();
