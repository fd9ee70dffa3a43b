// Kalender Konten's service worker: with no network, a page opened shows the offline page.
// It caches only that page and what it needs; pages and data always come from the server.
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
