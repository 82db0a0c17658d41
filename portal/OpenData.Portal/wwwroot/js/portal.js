// The portal's small behaviours, loaded as a file (the Content-Security-Policy allows no inline script).
(function () {
    "use strict";

    // Copy buttons on code snippets: shown only where the clipboard is available; say "copied" for a moment.
    function enableCopyButtons(root) {
        if (!navigator.clipboard) {
            return;
        }
        root.querySelectorAll("[data-copy]").forEach(function (button) {
            button.hidden = false;
            if (button.dataset.bound) {
                return;
            }
            button.dataset.bound = "1";
            var label = button.textContent;
            button.addEventListener("click", function () {
                var code = button.parentElement.querySelector("code");
                navigator.clipboard.writeText(code.textContent).then(function () {
                    button.textContent = "✓ " + label;
                    setTimeout(function () { button.textContent = label; }, 1500);
                });
            });
        });
    }

    // After htmx changes the address (search as you type), the language switch returns to the new address.
    function followAddress() {
        document.querySelectorAll("[data-return-url]").forEach(function (input) {
            input.value = location.pathname + location.search;
        });
    }

    // htmx swaps only successful answers; a preview page the quota refused (429) is still a fragment saying why, shown in place.
    function showQuotaRefusal(e) {
        if (e.detail.xhr.status === 429 && e.detail.target && e.detail.target.id === "preview") {
            e.detail.shouldSwap = true;
            e.detail.isError = false;
        }
    }

    document.addEventListener("DOMContentLoaded", function () { enableCopyButtons(document); });
    document.addEventListener("htmx:beforeSwap", showQuotaRefusal);
    document.addEventListener("htmx:afterSettle", function (e) { enableCopyButtons(e.target); });
    document.addEventListener("htmx:pushedIntoHistory", followAddress);
    document.addEventListener("htmx:historyRestore", followAddress);
})();
