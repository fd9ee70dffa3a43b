"""A grid swapped in by htmx carries a validator (calendarapp/kept.py): the browser keeps it and
asks again with If-None-Match; any worker answers 304 from the calendar serial alone, without
the grid in hand, and anything the grid shows — a change, the viewer, the sign-in, the
language, the quarter hour, a task about to turn overdue — gives another tag."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import calendarapp
from calendarapp import changes, clock, create_app
from calendarapp.accounts.models import Role
from calendarapp.config import settings_for_tests
from calendarapp.content.models import AssigneeRole, Assignment
from calendarapp.extensions import db
from calendarapp.kept import release_tag
from tests.conftest import NOW

MONTH = "/calendar/month?month=2026-11"
SWAP = {"HX-Request": "true"}


@pytest.fixture
def region(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("koordinator@demo.test", coordinator=True)
    admin = make.user("admin.satpolpp@demo.test", {satpol: Role.ADMIN})
    writer = make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR})
    make.item(satpol, "Patroli pasar", at=datetime(2026, 11, 25, 2, tzinfo=UTC))
    db.session.commit()
    return {"satpol": satpol, "admin": admin, "writer": writer}


def _asked_again(client, address: str, tag: str):
    return client.get(address, headers={**SWAP, "If-None-Match": f'"{tag}"'})


@pytest.mark.parametrize(
    "address",
    [MONTH, "/calendar/week?week=2026-W48", "/calendar/list?month=2026-11", "/calendar/board"],
)
def test_a_swapped_grid_is_answered_304_by_any_worker_from_the_serial(
    app, client, auth, region, count_queries, database_url, address
):
    auth.login("koordinator@demo.test")
    first = client.get(address, headers=SWAP)
    tag, _weak = first.get_etag()
    assert first.status_code == 200 and tag and "Patroli pasar" in first.get_data(as_text=True)
    assert first.headers["Cache-Control"] == "private, no-cache"  # kept, never shown unasked
    assert "HX-Request" in first.headers["Vary"]
    # another worker, which never rendered this grid: the same release, the same tag
    app.extensions["kept_grids"].clear()
    with count_queries() as asked:
        again = _asked_again(client, address, tag)
    assert again.status_code == 304 and again.get_data() == b""
    assert again.get_etag() == (tag, False)
    assert asked.count <= 3  # the sign-in's session and person, then the serial
    # as a browser gets it: compressed, the encoding added to the tag, and asked with that
    brotli = {**SWAP, "Accept-Encoding": "br"}
    compressed = client.get(address, headers=brotli)
    assert compressed.headers["Content-Encoding"] == "br"
    assert compressed.get_etag() == (f"{tag}:br", False)
    app.extensions["kept_grids"].clear()
    with count_queries() as asked:
        again = client.get(address, headers={**brotli, "If-None-Match": f'"{tag}:br"'})
    assert again.status_code == 304 and again.get_etag() == (f"{tag}:br", False)
    assert asked.count <= 3  # answered before the grid was read, rendered or compressed
    other = create_app(settings_for_tests(database_url))
    assert other.extensions["release_tag"] == app.extensions["release_tag"]
    # a whole page carries the bell and the menu, which the tag does not cover: never kept
    page = client.get(address)
    assert page.get_etag() == (None, None) and page.headers["Cache-Control"] == "no-store"
    assert client.get(address, headers={"If-None-Match": f'"{tag}"'}).status_code == 200


def test_what_the_grid_shows_gives_another_tag(client, auth, region, make):
    auth.login("koordinator@demo.test")
    tag, _ = client.get(MONTH, headers=SWAP).get_etag()
    assert _asked_again(client, MONTH, tag).status_code == 304
    # a change anywhere on the calendar
    make.item(region["satpol"], "Razia malam", at=datetime(2026, 11, 26, 2, tzinfo=UTC))
    db.session.commit()
    changed = _asked_again(client, MONTH, tag)
    assert changed.status_code == 200 and "Razia malam" in changed.get_data(as_text=True)
    tag = changed.get_etag()[0]
    # the language
    client.post("/locale", data={"csrf_token": auth.csrf(),
                                 "locale": "en"})  # fmt: skip
    english = _asked_again(client, MONTH, tag)
    assert english.status_code == 200 and "Previous month" in english.get_data(as_text=True)
    # the next quarter hour
    with clock.frozen(NOW + timedelta(minutes=15)):
        assert _asked_again(client, MONTH, english.get_etag()[0]).status_code == 200
    # another person, and another sign-in of the same person (their forms' tokens differ)
    tag, serial = english.get_etag()[0], changes.serial()
    assert _asked_again(client, MONTH, tag).status_code == 304
    for email in ("admin.satpolpp@demo.test", "koordinator@demo.test"):
        client.post("/logout", data={"csrf_token": auth.csrf()})
        auth.login(email)
        assert _asked_again(client, MONTH, tag).status_code == 200
    assert changes.serial() == serial  # signing in and out moved nothing on the calendar


def test_a_grid_about_to_turn_with_the_time_gets_no_tag(client, auth, region, make):
    """Tugas Saya with a draft due at 09.05: until then no tag (the task turns overdue within
    the quarter hour); once it has turned, the list stays as it is and gets one."""
    item = make.item(region["satpol"], "Tepat waktu", at=NOW + timedelta(days=2))
    item.draft_due_at = NOW + timedelta(minutes=5)
    item.assignments.append(Assignment(user=region["writer"], role=AssigneeRole.PENULIS))
    db.session.commit()
    auth.login("penulis@satpol.test")
    with clock.frozen(NOW + timedelta(minutes=2)):
        soon = client.get("/tasks", headers=SWAP)
    assert soon.status_code == 200 and soon.get_etag() == (None, None)
    assert soon.headers["Cache-Control"] == "no-store"
    with clock.frozen(NOW + timedelta(minutes=6)):
        late = client.get("/tasks", headers=SWAP)
        tag = late.get_etag()[0]
        assert tag and _asked_again(client, "/tasks", tag).status_code == 304


def test_the_release_tag_follows_the_code_templates_and_catalogues_not_the_directory(tmp_path):
    package = Path(calendarapp.__file__).parent
    templates = package.parent / "templates"
    tag = release_tag(package, templates)
    copy = tmp_path / "elsewhere"
    shutil.copytree(package, copy / "calendarapp")
    shutil.copytree(templates, copy / "templates")
    assert release_tag(copy / "calendarapp", copy / "templates") == tag  # another host's path
    for changed in ("templates/calendar/_chip.html", "calendarapp/calendar/views.py",
                    "calendarapp/translations/id/LC_MESSAGES/messages.mo"):  # fmt: skip
        path = copy / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert release_tag(copy / "calendarapp", copy / "templates") != tag, changed
        path.write_bytes(original)
    assert release_tag(copy / "calendarapp", copy / "templates") == tag
