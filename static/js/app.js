// Kalender Konten: the little JavaScript beyond htmx — the dialog for new items.
(function () {
  "use strict";

  function dialog() {
    return document.getElementById("dialog");
  }

  // A form swapped into the dialog opens it; its close button becomes useful.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = (event.detail && event.detail.target) || event.target;
    if (!target || target.id !== "dialog-body") return;
    var box = dialog();
    box.querySelectorAll("[data-close-dialog]").forEach(function (b) { b.hidden = false; });
    if (!box.open) box.showModal();
  });

  // After a save the calendar refreshes itself (it listens to itemsChanged); the dialog closes.
  document.body.addEventListener("itemsChanged", function () {
    var box = dialog();
    if (box && box.open && box.querySelector("[data-saved-item]")) {
      window.setTimeout(function () { box.close(); }, 800);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-dialog]")) dialog().close();
  });
})();
