// 「立即检查」 progress: poll the job's status while it runs, then reload to show the new inspection.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || box.dataset.state !== "running") return;
  var url = "/sites/" + encodeURIComponent(box.dataset.site) + "/check/status";
  var status = box.querySelector(".status");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.state === "running") {
          // textContent: never markup
          status.textContent = "检查中：已读取 " + job.pages + " 个页面，检查 " + job.links + " 个链接……";
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
