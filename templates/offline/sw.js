// Kalender Konten's service worker: with no network, a page opened shows the offline page, and a
// push from the server shows its notice (what happened and where); a tap opens its page.
// It caches only the offline page and what it needs; pages and data always come from the server.
"use strict";
const CACHE = "kalender-offline-{{ cache_key }}";
const OFFLINE = {{ url_for("offline.page")|tojson }};
const ASSETS = [
  OFFLINE,
  {{ url_for("static", filename="css/app.css")|tojson }},
  {{ url_for("static", filename="img/favicon.svg")|tojson }},
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("kalender-offline-") && key !== CACHE)
          .map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && ASSETS.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

self.addEventListener("push", (event) => {
  let notice = {};
  try { notice = event.data ? event.data.json() : {}; } catch (error) { notice = {}; }
  const title = notice.title || "Kalender Konten";
  event.waitUntil(self.registration.showNotification(title, {
    body: notice.body || "",
    tag: notice.tag || undefined,  // a repeat of the same notice replaces it on the screen
    icon: {{ url_for("static", filename="img/favicon.svg")|tojson }},
    data: { path: notice.path || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = (event.notification.data && event.notification.data.path) || "/";
  const target = new URL(path, self.location.origin);
  if (target.origin !== self.location.origin) return;  // only pages of this site
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target.href && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(target.href);
    })
  );
});
