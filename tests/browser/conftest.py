"""A live server on loopback and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from calendarapp import clock, create_app
from calendarapp.accounts.models import Role
from calendarapp.config import settings_for_tests
from calendarapp.extensions import db
from tests.conftest import NOW, Factory, build_schema, missing

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        missing(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Python package playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'calendar.db'}"


@pytest.fixture
def live_db(live_url):
    """A session on the live server's database, to check what a browser action saved."""
    engine = sa.create_engine(live_url)

    @contextmanager
    def session():
        with Session(engine) as s:
            yield s

    yield session
    engine.dispose()


@contextmanager
def serve(url: str, seed) -> Iterator[str]:
    """The app on a real SQLite file, seeded by seed(), served on 127.0.0.1 by a thread."""
    build_schema(url)
    app = create_app(settings_for_tests(url))
    with clock.frozen(NOW):
        with app.app_context():
            seed()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            # a server set up after the test's page stops first: let the page's last requests
            # (an htmx refresh after a move) finish, or the browser reports them cut off
            for open_page in OPEN_PAGES:
                _settle(open_page)
            server.shutdown()
            thread.join(timeout=10)


def _small_region() -> None:
    make = Factory()
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin.satpolpp@demo.test", {satpol: Role.ADMIN}, name="Yuni Astuti")
    make.item(satpol, "Patroli November", at=datetime(2026, 11, 24, 2, tzinfo=UTC))
    make.item(satpol, "Edukasi Perda Desember", at=datetime(2026, 12, 9, 3, tzinfo=UTC))


@pytest.fixture
def live_server(live_url) -> Iterator[str]:
    """A small region: Satpol PP, its admin and two items."""
    with serve(live_url, _small_region) as base:
        yield base


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    # 409 and 422 are answers the interface shows (a conflict, a form with errors), not faults.
    expected = ("status of 409", "status of 422")
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not any(e in m.text for e in expected)
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    OPEN_PAGES.append(page)
    try:
        yield page
        _settle(page)
        seen = list(problems)
    finally:
        OPEN_PAGES.remove(page)
    context.close()
    assert seen == [], f"the browser reported errors: {seen}"


OPEN_PAGES: list = []  # the tests' pages, settled before a server stops (see `serve`)


def _settle(page) -> None:
    """A request the page made on its own after the test's last wait (an htmx refresh) is let
    finish: closing the page, or stopping its server, cuts it off, and the browser reports the
    cut as an error of the page."""
    from playwright.sync_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):
        page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=5_000)


def sign_in(page, base: str, email: str = "admin.satpolpp@demo.test") -> None:
    from tests.conftest import PASSWORD

    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form#login-form button[type=submit]")
    page.wait_for_url(f"{base}/calendar/month")
