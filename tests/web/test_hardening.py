"""Hardening: no feed token in any log line, a failed request rolled back, stale saves are 409."""

from __future__ import annotations

import logging
from datetime import date

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.content.models import Theme
from calendarapp.extensions import db
from calendarapp.feeds import services as feeds
from calendarapp.feeds.models import FeedScope
from tests.conftest import NOW, signed_in


def test_a_feed_token_never_reaches_the_application_log(app, caplog):
    with caplog.at_level(logging.ERROR):
        app.logger.error("Unhandled error on %s %s", "GET", "/feeds/s3cretTokenValue123.ics")
    assert "s3cretTokenValue123" not in caplog.text
    assert "/feeds/….ics" in caplog.text


def test_a_campaign_at_the_end_of_time_does_not_break_the_region_feed(app, make, client, caplog):
    coordinator = make.user("koordinator@test", coordinator=True)
    db.session.add(Theme(name="Selamanya", starts_on=date(2026, 11, 1), ends_on=date(9999, 12, 31)))
    db.session.commit()
    _token, raw = feeds.issue(coordinator, FeedScope.REGION)
    db.session.commit()
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/feeds/{raw}.ics")
    assert raw not in caplog.text
    assert response.status_code == 200
    assert b"Selamanya" in response.data


def test_after_a_failed_request_the_next_one_works(app, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    client, _auth = signed_in(app, "admin@satpol.test")
    assert client.get("/calendar/month?month=9999-12").status_code == 400
    assert client.get("/calendar/month").status_code == 200


def copy_of(client, into):
    """Another browser holding a copy of this one's session cookie."""
    cookie = client.get_cookie("session")
    into.set_cookie("session", cookie.value)
    return into


def test_signing_out_ends_the_session_even_for_a_copied_cookie(app, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    phone, auth = signed_in(app, "admin@satpol.test")
    laptop, _auth = signed_in(app, "admin@satpol.test")
    thief = copy_of(phone, app.test_client())
    assert thief.get("/calendar/month").status_code == 200
    token = auth.csrf()
    assert phone.post("/logout", data={"csrf_token": token}).status_code == 303
    assert thief.get("/calendar/month").status_code == 302  # to the login page
    assert phone.get("/calendar/month").status_code == 302
    assert laptop.get("/calendar/month").status_code == 200  # other sign-ins go on


def test_a_unit_name_with_quotes_and_accents_gives_a_safe_download_name(app, make):
    unit = make.unit('Kecamatan "Sukamaju" Selatan', 'Kec. "Ságara"\r\nX')
    make.user("admin@kec.test", {unit: Role.ADMIN})
    client, _auth = signed_in(app, "admin@kec.test")
    response = client.get(f"/plan/template.csv?unit={unit.id}&month=2026-12")
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    assert header.startswith('attachment; filename="rencana-kec.-_s_gara___x-2026-12.csv"')
    assert "filename*=UTF-8''rencana-kec.-%22s%C3%A1gara%22%0D%0Ax-2026-12.csv" in header


def test_a_creation_token_from_another_unit_reveals_nothing(app, make):
    from calendarapp.content import services as content
    from tests.web.test_items import form_data

    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    satpol_admin = make.user("admin@satpol.test", {satpol: Role.ADMIN})
    make.user("admin@bpbd.test", {bpbd: Role.ADMIN})
    content.create_item(
        satpol, "Operasi rahasia", created_by=satpol_admin, creation_token="known-token-123"
    )
    db.session.commit()
    client, _auth = signed_in(app, "admin@bpbd.test")
    data = form_data(client, creation_token="known-token-123", title="Siaga banjir")
    response = client.post("/items/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Operasi rahasia" not in page and "Formulir ini sudah dikirim" in page


def test_a_coverage_card_names_the_resulting_post_only_to_those_who_may_open_it(app, make):
    from calendarapp.coverage import services as coverage
    from calendarapp.coverage.models import Deliverable
    from calendarapp.coverage.workflow import CoverageStatus as S
    from tests.coverage_world import build

    world = build(make)
    request = world.ask(world.visit, person=world.nur, deliverable=Deliverable.BERITA)
    coverage.transition(request, S.DITERIMA, world.nur, version=request.version)
    coverage.transition(
        request, S.DISERAHKAN, world.nur, version=request.version, links="https://x.example/b"
    )
    item = coverage.create_item_from_delivery(request, world.keeper, world.prokopim)
    item.title = "Judul internal Prokopim"
    db.session.commit()
    path = f"/agenda/{world.visit.id}"
    keeper, _auth = signed_in(app, world.keeper.email)
    assert "Judul internal Prokopim" in keeper.get(path).get_data(as_text=True)
    nur, _auth = signed_in(app, world.nur.email)
    page = nur.get(path)
    assert page.status_code == 200 and "Judul internal Prokopim" not in page.get_data(as_text=True)


def test_feed_links_use_the_public_address_not_the_requests_host(app, make):
    from calendarapp.web import public_url

    app.config.update(PUBLIC_URL="https://kalender.sukamaju.go.id", HSTS_SECONDS=31536000)
    with app.test_request_context("/feeds", headers={"Host": "evil.example"}):
        link = public_url("feeds.feed", token="abc")
    assert link == "https://kalender.sukamaju.go.id/feeds/abc.ics"
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    client, auth = signed_in(app, "admin@satpol.test")
    made = client.post(
        "/feeds",
        data={"csrf_token": auth.csrf("/feeds"), "scope": "unit", "unit": str(satpol.id)},
    )
    assert 'href="webcal://kalender.sukamaju.go.id/feeds/' in made.get_data(as_text=True)
    assert made.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("value", ["kalender.example", "ftp://x.example", "https://x.example/?a=1"])
def test_a_public_url_that_is_not_one_stops_the_app_at_start(monkeypatch, tmp_path, value):
    from calendarapp.config import from_environment

    monkeypatch.setenv("PUBLIC_URL", value)
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        from_environment(tmp_path)


def test_access_follows_membership_when_a_contributor_leaves_the_unit(app, make):
    from calendarapp.content.models import AssigneeRole, Assignment, Comment
    from calendarapp.feeds import services as feeds
    from calendarapp.feeds.models import FeedScope
    from calendarapp.notifications.models import Notification, NotificationKind

    bpbd = make.unit("Badan Penanggulangan Bencana Daerah", "BPBD")
    make.user("koordinator@test", coordinator=True)
    admin = make.user("admin@bpbd.test", {bpbd: Role.ADMIN})
    leaving = make.user("kontributor@bpbd.test", {bpbd: Role.CONTRIBUTOR}, name="Dewi")
    item = make.item(bpbd, "Siaga banjir")
    item.assignments.append(Assignment(user=leaving, role=AssigneeRole.FOTOGRAFER))
    db.session.add(
        Notification(
            user=leaving, item=item, actor=admin, kind=NotificationKind.ASSIGNED, created_at=NOW
        )
    )
    db.session.commit()
    _token, raw = feeds.issue(leaving, FeedScope.PERSONAL)
    db.session.commit()
    phone, phone_auth = signed_in(app, "kontributor@bpbd.test")
    assert phone.get(f"/items/{item.id}").status_code == 200
    assert b"Siaga banjir" in phone.get(f"/feeds/{raw}.ics").data

    coordinator, auth = signed_in(app, "koordinator@test")
    token = auth.csrf(f"/people/{leaving.id}")
    coordinator.post(
        f"/people/{leaving.id}/units", data={"csrf_token": token, "unit": str(bpbd.id), "role": ""}
    )
    # the open session of the one who left opens, edits and comments on nothing there any more
    assert phone.get(f"/items/{item.id}").status_code == 404
    comment = phone.post(
        f"/items/{item.id}/comments", data={"csrf_token": phone_auth.csrf("/tasks"), "body": "x"}
    )
    assert comment.status_code == 404
    assert "Siaga banjir" not in phone.get("/tasks").get_data(as_text=True)
    assert "Siaga banjir" not in phone.get("/notifications").get_data(as_text=True)
    assert b"Siaga banjir" not in phone.get(f"/feeds/{raw}.ics").data
    # the item says who left, and the unit admin is asked to give the part to someone else
    db.session.expire_all()
    assert item.assignments == []
    notes = db.session.scalars(sa.select(Comment.body).where(Comment.item_id == item.id)).all()
    assert any("Dewi sudah tidak di BPBD" in body for body in notes)
    asked = db.session.scalars(
        sa.select(Notification.user_id).where(Notification.kind == NotificationKind.MEMBER_LEFT)
    ).all()
    assert asked == [admin.id]


def test_a_date_outside_the_calendars_years_is_refused(app, make):
    from tests.web.test_items import form_data

    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    client, _auth = signed_in(app, "admin@satpol.test")
    for day in ("9999-12-31", "0001-01-01"):
        response = client.post("/items/new", data=form_data(client, planned_date=day))
        assert response.status_code == 422, day
    assert client.get("/calendar/month").status_code == 200


def test_the_app_is_installable_on_a_phone(app, client):
    import json
    import struct

    page = client.get("/login").get_data(as_text=True)
    assert 'rel="manifest" href="/static/manifest.webmanifest?v=' in page
    response = client.get("/static/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/calendar/month"
    sizes = set()
    for icon in manifest["icons"]:
        data = client.get(icon["src"]).data
        if icon["type"] == "image/png":
            width, height = struct.unpack(">II", data[16:24])  # the PNG header's IHDR
            assert f"{width}x{height}" == icon["sizes"]
            sizes.add(width)
    assert {192, 512} <= sizes


def test_pages_load_once_on_a_phone(app, make):
    """Compressed pages and styles; static files under versioned URLs kept for a year; the first
    load of the month (page, style, scripts) within 60 KB compressed."""
    import re

    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    for day in range(1, 29):
        make.item(satpol, f"Unggahan hari {day}", on=date(2026, 11, day))
    client, _auth = signed_in(app, "admin@satpol.test")
    phone = {"Accept-Encoding": "br, gzip"}
    page = client.get("/calendar/month?month=2026-11", headers=phone)
    assert page.headers["Content-Encoding"] == "br"
    total = len(page.data)
    html = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css)\?v=[0-9a-f]{12})"', html)
    assert len(assets) >= 3
    for url in assets:
        answer = client.get(url, headers=phone)
        assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert answer.headers["Content-Encoding"] in ("br", "gzip")
        total += len(answer.data)
    assert total <= 60 * 1024, total
    # a file asked for without (or with an old) version is not kept
    bare = client.get("/static/css/app.css")
    assert bare.headers["Cache-Control"] == "no-cache"
    # the feeds stay as they are: their ETags answer 304s to phones
    assert "text/calendar" not in app.config["COMPRESS_MIMETYPES"]


def test_every_daily_page_loads_within_60_kb_gzip_on_a_phone(app, make):
    """Issue 13's budget: each page's HTML plus the CSS and JS it loads, gzip-compressed (the
    lesser of what phones accept), under 60 KB on a first visit."""
    import re

    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    items = [make.item(satpol, f"Unggahan hari {d}", on=date(2026, 11, d)) for d in range(1, 29)]
    client, _auth = signed_in(app, "admin@satpol.test")
    gzip_only = {"Accept-Encoding": "gzip"}
    paths = [
        "/calendar/month?month=2026-11", "/calendar/week?week=2026-W48", "/calendar/list",
        "/plan/week", "/tasks", f"/items/{items[0].id}", "/coverage", "/feeds",
        "/notifications", "/monitoring", "/items/new?date=2026-11-27",
    ]  # fmt: skip
    heavy = {}
    for path in paths:
        page = client.get(path, headers=gzip_only)
        assert page.status_code == 200, path
        assert page.headers.get("Content-Encoding") == "gzip" or len(page.data) < 500, path
        total = len(page.data)
        html = client.get(path).get_data(as_text=True)
        for url in set(
            re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css)\?v=[0-9a-f]{12})"', html)
        ):
            total += len(client.get(url, headers=gzip_only).data)
        if total > 60 * 1024:
            heavy[path] = total
    assert heavy == {}


def test_the_drag_and_drop_script_loads_only_where_dragging_exists(app, make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    make.user("admin@satpol.test", {satpol: Role.ADMIN})
    client, _auth = signed_in(app, "admin@satpol.test")
    sortable = "js/sortable-1.15.7.min.js"
    for path in ["/calendar/month", "/calendar/week", "/calendar/list", "/calendar/board"]:
        assert sortable in client.get(path).get_data(as_text=True), path
    for path in ["/tasks", "/plan/week", "/monitoring", "/feeds", "/notifications", "/coverage"]:
        page = client.get(path)
        assert page.status_code == 200 and sortable not in page.get_data(as_text=True), path
