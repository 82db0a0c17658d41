// The upload page's progress bar (loaded as a file: the Content-Security-Policy allows no inline script). Phase 1 is the
// upload's own bytes (XMLHttpRequest upload progress), phase 2 the ingestion job's progress streamed by the server
// (Server-Sent Events), then the data-quality report is fetched into the page. The phases seen are recorded on the panel
// (data-phases-seen) so a test can tell the bar passed through both. Without script the form posts as usual.
(function () {
    "use strict";

    var form = document.querySelector("[data-upload-form]");
    if (!form || !window.XMLHttpRequest || !window.EventSource || !window.FormData) {
        return;
    }
    var panel = document.querySelector("[data-upload-progress]");
    var bar = panel.querySelector("[data-progress-bar]");
    var label = panel.querySelector("[data-progress-text]");
    var report = document.querySelector("[data-upload-report]");
    var button = form.querySelector("[data-upload-submit]");
    var seen = [];

    function format(template) {
        var args = Array.prototype.slice.call(arguments, 1);
        return template.replace(/\{(\d+)\}/g, function (_, i) { return args[+i]; });
    }

    function number(n) {
        return Number(n).toLocaleString(document.documentElement.lang || undefined);
    }

    function phase(name) {
        if (seen.indexOf(name) < 0) {
            seen.push(name);
            panel.setAttribute("data-phases-seen", seen.join(" "));
        }
        panel.setAttribute("data-phase", name);
    }

    function show(percent, text) {
        percent = Math.max(0, Math.min(100, Math.round(percent)));
        bar.value = percent;
        bar.setAttribute("aria-valuenow", String(percent));
        bar.setAttribute("aria-valuetext", text);
        panel.setAttribute("data-percent", String(percent));
        label.textContent = text;
    }

    function fail(text) {
        phase("error");
        label.textContent = text;
        button.disabled = false;
    }

    // Phase 2 and the end: the job's own counters, then its report.
    function follow(answer) {
        var events = new EventSource(answer.events);
        function update(e) {
            var job = JSON.parse(e.data);
            phase("ingest");
            show(50 + job.progress * 50, format(panel.dataset.textIngest, Math.round(job.progress * 100), number(job.rowsRead), number(job.rowsRejected)));
        }
        events.addEventListener("progress", update);
        events.addEventListener("done", function (e) {
            events.close();
            update(e);
            var job = JSON.parse(e.data);
            var succeeded = job.status === "succeeded";
            if (succeeded) {
                show(100, panel.dataset.textDone);
            } else {
                label.textContent = panel.dataset.textFailed;
            }
            fetch(answer.report + "?handler=Report", { headers: { "Accept": "text/html" }, credentials: "same-origin" })
                .then(function (r) { return r.text(); })
                .then(function (html) {
                    report.innerHTML = html;
                    phase(succeeded ? "done" : "failed");
                    button.disabled = false;
                    var heading = report.querySelector("h2");
                    if (heading) {
                        heading.setAttribute("tabindex", "-1");
                        heading.focus();
                    }
                });
        });
        events.onerror = function () {
            // The stream ended without its final event: the report page follows the job without script.
            if (panel.getAttribute("data-phase") !== "done" && panel.getAttribute("data-phase") !== "failed") {
                events.close();
                location.assign(answer.report);
            }
        };
    }

    form.addEventListener("submit", function (e) {
        var input = form.querySelector("input[type=file]");
        if (!input.files || input.files.length !== 1) {
            return; // the server says what is missing
        }
        e.preventDefault();
        var file = input.files[0];
        var charset = (form.querySelector("input[name=charset]:checked") || { value: "utf-8" }).value;
        var token = form.querySelector("input[name=__RequestVerificationToken]").value;
        report.innerHTML = "";
        seen = [];
        panel.hidden = false;
        button.disabled = true;
        phase("upload");
        show(0, format(panel.dataset.textUpload, 0, number(0), number(file.size)));

        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.dataset.rawUrl + "&charset=" + encodeURIComponent(charset));
        xhr.setRequestHeader("RequestVerificationToken", token);
        xhr.setRequestHeader("Content-Type", "text/csv");
        xhr.upload.addEventListener("progress", function (p) {
            var total = p.lengthComputable ? p.total : file.size;
            phase("upload");
            show(total ? (p.loaded / total) * 50 : 0, format(panel.dataset.textUpload, total ? Math.round((p.loaded / total) * 100) : 0, number(p.loaded), number(total)));
        });
        xhr.upload.addEventListener("load", function () {
            phase("upload");
            show(50, format(panel.dataset.textUpload, 100, number(file.size), number(file.size)));
        });
        xhr.addEventListener("load", function () {
            var answer = null;
            try {
                answer = JSON.parse(xhr.responseText);
            } catch (_) {
                answer = null;
            }
            if (xhr.status === 202 && answer) {
                follow(answer);
            } else {
                fail(answer && answer.message ? answer.message : panel.dataset.textError);
            }
        });
        xhr.addEventListener("error", function () { fail(panel.dataset.textError); });
        xhr.send(file);
    });
})();
