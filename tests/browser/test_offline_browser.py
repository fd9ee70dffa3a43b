"""Installed on a phone and out of signal: a page opened shows the offline page, not a dinosaur."""

from __future__ import annotations

from tests.browser.conftest import sign_in


def test_without_a_network_a_page_shows_the_offline_page(browser, live_server):
    phone = browser.new_context(viewport={"width": 375, "height": 812}, locale="id-ID")
    page = phone.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)
    # the worker installs on the first page and takes over without a reload
    page.wait_for_function(
        "async () => (await navigator.serviceWorker.ready).active"
        " && navigator.serviceWorker.controller !== null"
    )
    phone.set_offline(True)
    page.goto(f"{live_server}/calendar/week?week=2026-W48")
    assert page.url.endswith("/calendar/week?week=2026-W48")  # the address the person asked for
    assert page.get_attribute("html", "lang") == "id"
    assert page.inner_text("h1") == "Tidak ada koneksi internet"
    # the stylesheet comes from the worker's cache: the page is laid out, not bare HTML
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") != "none"
    phone.set_offline(False)
    page.click("text=Coba lagi")  # the same address again, now with a network
    page.wait_for_selector("#calendar")
    assert "/calendar/week?week=2026-W48" in page.url
    phone.close()


def test_the_worker_caches_nothing_but_the_offline_page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server)
    page.wait_for_function("async () => !!(await navigator.serviceWorker.ready).active")
    cached = page.evaluate(
        """async () => {
          const urls = [];
          for (const key of await caches.keys()) {
            const cache = await caches.open(key);
            for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
          }
          return urls.sort();
        }"""
    )
    assert cached == ["/offline", "/static/css/app.css", "/static/img/favicon.svg"]
    context.close()
