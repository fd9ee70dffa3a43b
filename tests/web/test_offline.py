"""The service worker and the offline page: public, holding no data, in the person's language."""

from __future__ import annotations

import re


def test_the_offline_page_speaks_indonesian_and_holds_no_data(client):
    answer = client.get("/offline")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Tidak ada koneksi internet" in html
    assert 'href=""' in html  # "Coba lagi" opens the address that failed
    assert "csrf" not in html.lower() and "logout" not in html  # nothing personal is cached


def test_the_offline_page_in_english(client):
    client.get("/offline?lang=en")
    assert "No internet connection" in client.get("/offline?lang=en").get_data(as_text=True)


def test_the_worker_precaches_versioned_assets_and_is_revalidated(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.mimetype == "text/javascript"
    assert answer.headers["Cache-Control"] == "no-cache"
    script = answer.get_data(as_text=True)
    assert re.search(r'const CACHE = "kalender-offline-[0-9a-f]{12}";', script)
    assert re.search(r'"/static/css/app.css\?v=[0-9a-f]{12}"', script)
    assert '"/offline"' in script
    assert client.get("/sw.js").get_data() == answer.get_data()  # stable bytes: no reinstall


def test_a_new_release_installs_a_new_worker(app, client):
    """The offline page the worker keeps is rendered by the release's templates: another release
    (calendarapp.kept.release_tag) gives the worker other bytes, so browsers fetch the page anew."""
    cache = re.compile(r'const CACHE = "(kalender-offline-[0-9a-f]{12})";')
    before = cache.search(client.get("/sw.js").get_data(as_text=True))[1]
    release = app.extensions["release_tag"]
    try:
        app.extensions["release_tag"] = "another-release"
        after = cache.search(client.get("/sw.js").get_data(as_text=True))[1]
    finally:
        app.extensions["release_tag"] = release
    assert after != before
    assert cache.search(client.get("/sw.js").get_data(as_text=True))[1] == before


def test_every_page_registers_the_worker(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'data-service-worker="/sw.js"' in html
