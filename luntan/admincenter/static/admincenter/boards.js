// 管理中心 › 论坛: drag a board's row onto a sibling row (same parent) to put it at that
// place; saved through the row's own order form (position=N, the ordering service of the
// arrows), then the page reloads in the new order. The ↑/↓ arrows stay for keyboards,
// touch screens and browsers without JavaScript.
(function () {
  "use strict";
  var table = document.querySelector("table.board-tree");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-parent]"));
  var dragged = null;
  function sameParent(a, b) { return a && b && a !== b && a.getAttribute("data-parent") === b.getAttribute("data-parent"); }
  function siblings(row) {
    return rows.filter(function (r) { return r.getAttribute("data-parent") === row.getAttribute("data-parent"); });
  }
  function clear() { rows.forEach(function (r) { r.classList.remove("drop-target"); }); }
  rows.forEach(function (row) {
    row.draggable = true;
    row.classList.add("draggable");
    row.addEventListener("dragstart", function (e) {
      dragged = row;
      row.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", row.id);
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("dragging");
      clear();
      dragged = null;
    });
    row.addEventListener("dragover", function (e) {
      if (!sameParent(dragged, row)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      row.classList.add("drop-target");
    });
    row.addEventListener("dragleave", function () { row.classList.remove("drop-target"); });
    row.addEventListener("drop", function (e) {
      if (!sameParent(dragged, row)) return;
      e.preventDefault();
      clear();
      var form = dragged.querySelector("form.order");
      var body = new FormData(form);
      body.append("position", String(siblings(row).indexOf(row) + 1));
      table.setAttribute("aria-busy", "true");
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function () { window.location.reload(); })
        .catch(function () { table.removeAttribute("aria-busy"); });
    });
  });
})();
