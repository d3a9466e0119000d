// The page of a background import or export job (import_job_detail.html,
// export_job.html): polls the job's status until it has finished, then
// reloads for the result. Nothing when the page came already finished.
(function () {
  "use strict";
  const root = document.querySelector(".nb-job");
  if (!root || "finished" in root.dataset) return;
  function poll() {
    fetch(root.dataset.statusUrl, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((job) => {
        document.getElementById("nb-job-status").textContent = job.status_display;
        const bar = document.getElementById("nb-job-progress");
        bar.max = Math.max(job.total, 1);
        bar.value = job.done;
        document.getElementById("nb-job-count").textContent = `${job.done}/${job.total}`;
        document.getElementById("nb-job-summary").textContent = job.summary;
        const list = document.getElementById("nb-job-errors");
        if (list && job.errors) {
          list.replaceChildren(...job.errors.map((e) => Object.assign(document.createElement("li"), { textContent: e })));
        }
        if (job.finished) window.location.reload();  // the result, the download link
        else window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 3000));
  }
  poll();
})();
