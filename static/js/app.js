// Kalender Konten: the little JavaScript beyond htmx — the new-item dialog, drag-and-drop, copy.
(function () {
  "use strict";

  function dialog() {
    return document.getElementById("dialog");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var box = dialog();
    if (!box) return;
    // A form swapped into the dialog opens it; its close button becomes useful.
    var target = (event.detail && event.detail.target) || event.target;
    if (target && target.id === "dialog-body" && !box.open) {
      opener = document.activeElement;
      box.showModal();
    }
    if (box.open) {
      // What only makes sense in the dialog ("Close", "Open as a page") shows only there.
      box.querySelectorAll("[data-in-dialog]").forEach(function (b) { b.hidden = false; });
    }
    // A saved item: say so briefly, then close (the calendar refreshes itself on itemsChanged).
    if (box.open && box.querySelector("[data-saved-item]")) {
      window.setTimeout(function () {
        box.close();
        document.getElementById("dialog-body").replaceChildren();
      }, 700);
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-dialog]")) dialog().close();
  });

  // Closing the dialog puts focus back where it was opened from — on the same chip even when the
  // calendar has re-rendered it meanwhile — so a keyboard or screen reader user keeps their place.
  var opener = null;

  // A unit picked in a form picks its time zone too (data-zones), until the person picks a zone.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.dataset && select.dataset.zones) {
      var zone = document.getElementById(select.dataset.zoneField);
      var zones = JSON.parse(select.dataset.zones);
      if (zone && !zone.dataset.chosen && zones[select.value]) zone.value = zones[select.value];
    } else if (select.form && select.form.querySelector("[data-zone-field='" + select.id + "']")) {
      select.dataset.chosen = "1";
    }
  });

  // The service worker shows an offline page when a page cannot be fetched (nothing else cached).
  var worker = document.body && document.body.dataset.serviceWorker;
  if (worker && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(worker).catch(function () { /* http on a LAN: no worker */ });
  }
  document.addEventListener("close", function (event) {
    if (event.target !== dialog() || !opener) return;
    var back = opener;
    opener = null;
    if (!back.isConnected) {
      var key = back.dataset && back.dataset.itemId;
      back = key ? document.querySelector('[data-item-id="' + CSS.escape(key) + '"]') : null;
    }
    if (back && back.focus) back.focus();
  }, true);

  // Drag a chip to another day (or an idea from the backlog onto a day). The server moves it and
  // answers with itemsChanged, so the calendar re-renders the true state, also after a refusal.
  function enableDragging(root) {
    if (!window.Sortable) return;
    root.querySelectorAll("ul[data-drop-day]").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      list.querySelectorAll(":scope > li").forEach(function (li) {
        if (li.querySelector("[data-movable]")) li.classList.add("drag-item");
      });
      window.Sortable.create(list, {
        group: { name: "calendar", pull: true, put: list.dataset.dropDay !== "" },
        sort: false,
        draggable: ".drag-item",
        forceFallback: true,
        delay: 200,
        delayOnTouchOnly: true,
        onAdd: function (event) {
          var chip = event.item.querySelector("[data-item-id]");
          window.htmx.ajax("POST", "/calendar/move", {
            source: chip,
            target: "#move-message",
            swap: "innerHTML",
            values: {
              item: chip.dataset.itemId,
              date: event.to.dataset.dropDay,
              version: chip.dataset.version,
            },
          });
        },
      });
    });
  }

  document.addEventListener("htmx:load", function (event) { enableDragging(event.target); });

  // A bad network loses nothing: htmx swaps nothing when a request fails, so the form keeps what was
  // typed; say so where it can be read, instead of leaving a silent button.
  function tell(kind) {
    var box = document.getElementById("move-message");
    if (box) box.textContent = box.dataset[kind] || "";
  }
  document.addEventListener("htmx:sendError", function () { tell("offline"); });
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status >= 500) tell("failed");
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("move-message");
    if (box && (box.textContent === box.dataset.offline || box.textContent === box.dataset.failed)) {
      box.textContent = "";
    }
  });

  // On a phone the month is a long list of days: a fresh visit starts at today, not at the 1st.
  // (Not on back/forward or reload, where the browser restores the person's own place.)
  document.addEventListener("DOMContentLoaded", function () {
    var day = document.querySelector(".month-grid .day.is-today");
    var entry = window.performance && performance.getEntriesByType("navigation")[0];
    if (!day || location.hash || !window.matchMedia("(max-width: 640px)").matches) return;
    if (entry && entry.type !== "navigate") return;
    day.scrollIntoView({ block: "start" });
  });

  // "Copy for WhatsApp": copy a text box; without the clipboard API, select it for a long-press.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var box = document.querySelector(button.dataset.copy);
    if (!box) return;
    function done() {
      button.dataset.label = button.dataset.label || button.textContent;
      button.textContent = button.dataset.copied || button.dataset.label;
      window.setTimeout(function () { button.textContent = button.dataset.label; }, 2000);
    }
    box.focus();
    box.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(done, function () {});
    } else if (document.execCommand && document.execCommand("copy")) {
      done();
    }
  });

  // "Turn on notifications on this phone": subscribe this browser to Web Push with the region's
  // VAPID key and hand the subscription to the server (its CSRF token from <body hx-headers>).
  function urlBase64ToBytes(text) {
    var padded = (text + "====".slice(text.length % 4 || 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-push-subscribe]");
    if (!button) return;
    var box = button.closest("#push-setup");
    var status = box.querySelector("[data-push-status]");
    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      status.textContent = status.dataset.unsupported;
      return;
    }
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    headers["Content-Type"] = "application/json";
    button.disabled = true;
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") throw new Error("denied");
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      return registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: urlBase64ToBytes(box.dataset.vapidKey)
      });
    }).then(function (subscription) {
      return fetch(box.dataset.subscribeUrl, {
        method: "POST", credentials: "same-origin", headers: headers,
        body: JSON.stringify(subscription.toJSON())
      });
    }).then(function (response) {
      return response.json().then(function (answer) {
        status.textContent = answer.message || answer.error || status.dataset.failed;
        if (response.ok) window.setTimeout(function () { window.location.reload(); }, 800);
      });
    }).catch(function (error) {
      status.textContent = error && error.message === "denied" ? status.dataset.denied : status.dataset.failed;
    }).then(function () { button.disabled = false; });
  });

  // "Bagikan": the phone's share sheet with the suggested caption and the source's link, where
  // the browser has one (the button stays hidden elsewhere; "Salin" always works).
  function showShareButtons(root) {
    if (!navigator.share) return;
    root.querySelectorAll("[data-share]").forEach(function (b) { b.hidden = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { showShareButtons(document); });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-share]");
    if (!button || !navigator.share) return;
    navigator.share({ text: button.dataset.shareText, url: button.dataset.shareUrl || undefined })
      .catch(function () { /* the person closed the sheet */ });
  });
})();
