// 管理中心 › 工具: poll each queued or running job (tr[data-src]) once a second, update
// its state and progress bar, and reload the page when one finishes (to show its result).
(function () {
  "use strict";
  var rows = document.querySelectorAll("tr.job[data-src]");
  if (!rows.length) return;
  function poll(row) {
    fetch(row.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) return;
        row.querySelector(".job-state").textContent = job.state_label;
        var bar = row.querySelector("progress");
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        row.querySelector(".job-count").textContent = job.total ? job.done + "/" + job.total : "";
        row.setAttribute("data-state", job.state);
        if (job.active) {
          setTimeout(function () { poll(row); }, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(function () { poll(row); }, 3000); });
  }
  rows.forEach(function (row) { setTimeout(function () { poll(row); }, 1000); });
})();
