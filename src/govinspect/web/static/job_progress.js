// Progress of background work (抽查 runs, 复查): poll the job while it runs, then reload the page.
// The page works without this script: it shows the state when loaded and a 刷新 link.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || box.dataset.state !== "running" || !box.dataset.statusUrl) return;
  var status = box.querySelector(".status");
  var unit = box.dataset.unit || "个网站";

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.state === "running") {
          // textContent: never markup
          status.textContent = "检查中：已完成 " + job.done + " / " + job.total + " " + unit + "……";
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
