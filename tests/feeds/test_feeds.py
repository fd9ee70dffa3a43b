"""The iCalendar feeds, read by three independent parsers and a lint of our own."""

import logging
import re
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import sqlalchemy as sa
import vobject
from ical.calendar_stream import IcsCalendarStream

from calendarapp import clock
from calendarapp.accounts.models import Membership, Role
from calendarapp.accounts.services import record_login
from calendarapp.content import services as content
from calendarapp.content.models import AssigneeRole, Assignment, ContentFormat, Theme
from calendarapp.content.services import ItemFields, walk_to
from calendarapp.content.workflow import Status
from calendarapp.extensions import db
from calendarapp.feeds import services as feeds
from calendarapp.feeds.models import FeedEventCache, FeedScope, FeedToken
from calendarapp.logs import MaskFeedTokens
from tests.conftest import NOW
from tests.feeds import libical


@pytest.fixture
def region(make):
    satpol = make.unit("Satuan Polisi Pamong Praja", "Satpol PP")
    timur = make.unit("Dinas Kominfo Kota Timur", "Kominfo Timur", timezone="Asia/Makassar")
    admin = make.user("admin@satpol.test", {satpol: Role.ADMIN}, name="Yuni Astuti")
    writer = make.user("penulis@satpol.test", {satpol: Role.CONTRIBUTOR}, name="Rudi")
    coordinator = make.user("koordinator@kominfo.test", {timur: Role.ADMIN}, coordinator=True)

    def item(unit, title, status=Status.TERJADWAL, **fields):
        made = make.item(unit, title, **fields)
        walk_to(made, status, admin if unit is satpol else coordinator)
        db.session.commit()
        return made

    items = {
        "late_wita": item(timur, "Rekap malam", at=datetime(2026, 11, 24, 15, 30, tzinfo=UTC)),
        "whole_day": item(satpol, "Hari Guru", status=Status.DISETUJUI, on=date(2026, 11, 25)),
        "published": item(
            satpol, "Patroli pasar", status=Status.TAYANG, at=datetime(2026, 11, 20, 2, tzinfo=UTC)
        ),
        "cancelled": item(
            satpol,
            "Razia batal",
            status=Status.DIBATALKAN,
            at=datetime(2026, 11, 26, 2, tzinfo=UTC),
        ),
        "draft": item(
            satpol, "Edukasi perda", status=Status.DRAF, at=datetime(2026, 11, 28, 2, tzinfo=UTC)
        ),
    }
    items["draft"].draft_due_at = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    items["draft"].assignments.append(Assignment(user=writer, role=AssigneeRole.PENULIS))
    items["published"].assignments.append(Assignment(user=writer, role=AssigneeRole.FOTOGRAFER))
    db.session.add(
        Theme(
            name="Bulan Siaga Bencana",
            color="#f97316",
            starts_on=date(2026, 11, 1),
            ends_on=date(2026, 11, 30),
        )
    )
    db.session.commit()
    return {
        "satpol": satpol,
        "timur": timur,
        "admin": admin,
        "writer": writer,
        "coordinator": coordinator,
        **items,
    }


def link(user, scope, unit=None, drafts=False) -> str:
    _token, raw = feeds.issue(user, scope, unit, drafts)
    db.session.commit()
    return f"/feeds/{raw}.ics"


def fetch(client, path, **headers):
    return client.get(path, headers=headers)


def lint(body: bytes) -> None:
    """What parsers do not check, checked here."""
    assert len(body) < 1_000_000
    assert body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare line ends"
    assert all(len(line) <= 75 for line in lines), "lines must fold at 75 octets"
    text = body.decode().replace("\r\n ", "").replace("\r\n", "\n")
    uids = re.findall(r"^UID:(.+)$", text, re.M)
    assert len(uids) == len(set(uids)), "UIDs must be unique"
    assert all(s.endswith("Z") for s in re.findall(r"^DTSTAMP:(.+)$", text, re.M))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text
    first_event = text.find("BEGIN:VEVENT")
    for zone in set(re.findall(r"TZID=([^:;]+)", text)):
        at = text.find(f"BEGIN:VTIMEZONE\nTZID:{zone}")
        assert at != -1, f"no VTIMEZONE for {zone}"
        assert first_event == -1 or at < first_event, "VTIMEZONE must come before the events"
    assert "BEGIN:VTODO" not in text
    # A subscription is not an iTIP message: METHOD:PUBLISH would need an ORGANIZER on every
    # event (RFC 5546), and strict parsers such as libical drop events without one.
    assert not re.search(r"^METHOD:", text, re.M)
    assert len(re.findall(r"^ORGANIZER", text, re.M)) in (0, text.count("BEGIN:VEVENT"))
    strict = libical.read(body)
    assert strict == {
        "events": text.count("BEGIN:VEVENT"),
        "errors": [],
        "restrictions_met": True,
    }


def parse_everywhere(body: bytes):
    cal = icalendar.Calendar.from_ical(body)
    vobject.readOne(body.decode(), validate=True)
    IcsCalendarStream.calendar_from_ics(body.decode())
    return cal


def events(cal) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_unit_feed_is_valid_everywhere_and_right_in_every_zone(client, region):
    body_path = link(region["coordinator"], FeedScope.UNIT, region["timur"])
    response = fetch(client, body_path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data()
    lint(body)
    cal = parse_everywhere(body)
    late = events(cal)[f"item-{region['late_wita'].id}-publish@kalender-konten"]
    start = late.decoded("DTSTART")
    assert start.isoformat() == "2026-11-24T23:30:00+08:00" and str(start.tzinfo) == "Asia/Makassar"
    assert b"DTSTART;TZID=Asia/Makassar:20261124T233000" in body
    assert late.decoded("DTEND") - start == timedelta(minutes=30)
    assert str(cal["X-WR-CALNAME"]) == "Rencana Konten Kominfo Timur"


def test_whole_days_cancellations_and_deadlines(client, region):
    body = fetch(
        client, link(region["admin"], FeedScope.UNIT, region["satpol"], drafts=True)
    ).get_data()
    lint(body)
    found = events(parse_everywhere(body))
    whole = found[f"item-{region['whole_day'].id}-publish@kalender-konten"]
    assert whole.decoded("DTSTART") == date(2026, 11, 25)
    assert whole.decoded("DTEND") == date(2026, 11, 26)  # exclusive end
    assert b"DTSTART;VALUE=DATE:20261125" in body
    cancelled = found[f"item-{region['cancelled'].id}-publish@kalender-konten"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and "DIBATALKAN" in str(cancelled["SUMMARY"])
    deadline = found[f"item-{region['draft'].id}-draft@kalender-konten"]
    assert deadline.decoded("DTEND") > deadline.decoded("DTSTART")
    assert "Tenggat draf" in str(deadline["SUMMARY"])
    publish = found[f"item-{region['draft'].id}-publish@kalender-konten"]
    assert "Rudi (Penulis)" in str(publish["DESCRIPTION"])
    assert str(publish["URL"]).endswith(f"/items/{region['draft'].id}")


def test_without_drafts_the_unit_feed_shows_only_the_publishing_side(client, region):
    found = events(
        parse_everywhere(
            fetch(client, link(region["admin"], FeedScope.UNIT, region["satpol"])).get_data()
        )
    )
    titles = " ".join(str(e["SUMMARY"]) for e in found.values())
    assert "Hari Guru" in titles and "Patroli pasar" in titles and "Edukasi perda" not in titles


def test_a_cancelled_item_disappears_after_the_grace_period(client, region):
    path = link(region["admin"], FeedScope.UNIT, region["satpol"])
    with clock.frozen(NOW + feeds.GRACE + timedelta(days=1)):
        body = fetch(client, path).get_data()
    assert b"Razia batal" not in body and b"Hari Guru" in body


def test_the_personal_feed_has_my_assignments_and_deadlines(client, region):
    body = fetch(client, link(region["writer"], FeedScope.PERSONAL)).get_data()
    lint(body)
    found = events(parse_everywhere(body))
    assert set(found) == {
        f"item-{region['draft'].id}-publish@kalender-konten",
        f"item-{region['draft'].id}-draft@kalender-konten",
        f"item-{region['published'].id}-publish@kalender-konten",
    }


def test_the_region_feed_has_scheduled_items_of_every_unit_and_themes(client, region):
    body = fetch(client, link(region["coordinator"], FeedScope.REGION)).get_data()
    lint(body)
    found = events(parse_everywhere(body))
    summaries = " ".join(str(e["SUMMARY"]) for e in found.values())
    assert "Rekap malam" in summaries and "Patroli pasar" in summaries
    assert "Hari Guru" not in summaries  # approved, not yet scheduled
    theme = next(e for uid, e in found.items() if uid.startswith("theme-"))
    assert theme.decoded("DTSTART") == date(2026, 11, 1) and theme.decoded("DTEND") == date(
        2026, 12, 1
    )
    assert b"Asia/Jakarta" in body and b"Asia/Makassar" in body


def test_the_same_data_gives_the_same_bytes_and_an_edit_raises_the_sequence(client, region):
    path = link(region["admin"], FeedScope.UNIT, region["satpol"], drafts=True)
    first = fetch(client, path)
    second = fetch(client, path)
    assert first.get_data() == second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"] and not first.headers["ETag"].startswith(
        "W/"
    )
    uid = f"item-{region['whole_day'].id}-publish@kalender-konten"
    before = events(icalendar.Calendar.from_ical(first.get_data()))[uid]
    item = region["whole_day"]
    data = ItemFields(
        title="Hari Guru Nasional", format=ContentFormat.FOTO, planned_day=date(2026, 11, 25)
    )
    with clock.frozen(NOW + timedelta(minutes=5)):
        content.update_item(item, region["admin"], item.version, data)
        db.session.commit()
    third = fetch(client, path)
    assert third.headers["ETag"] != first.headers["ETag"]
    after = events(icalendar.Calendar.from_ical(third.get_data()))[uid]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")
    assert "Hari Guru Nasional" in str(after["SUMMARY"])


def test_phones_that_have_the_feed_get_304(client, region):
    path = link(region["admin"], FeedScope.UNIT, region["satpol"])
    first = fetch(client, path)
    by_etag = fetch(client, path, **{"If-None-Match": first.headers["ETag"]})
    assert by_etag.status_code == 304 and by_etag.get_data() == b""
    assert by_etag.headers["ETag"] == first.headers["ETag"]
    by_date = fetch(client, path, **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert by_date.status_code == 304
    stale = fetch(client, path, **{"If-None-Match": '"something-else"'})
    assert stale.status_code == 200
    assert client.head(path).status_code == 200


def test_feed_headers_keep_it_private(client, region):
    response = fetch(client, link(region["admin"], FeedScope.PERSONAL))
    assert response.headers["Cache-Control"].startswith("private")
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_unknown_revoked_and_rotated_links_answer_404(client, region):
    assert fetch(client, "/feeds/not-a-real-token-at-all.ics").status_code == 404
    old = link(region["admin"], FeedScope.PERSONAL)
    new = link(region["admin"], FeedScope.PERSONAL)  # a new link replaces the old one
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200
    token = feeds.find_token(new.removeprefix("/feeds/").removesuffix(".ics"))
    feeds.revoke(token)
    db.session.commit()
    assert fetch(client, new).status_code == 404


def test_rights_are_checked_on_every_fetch(client, region):
    unit_feed = link(region["admin"], FeedScope.UNIT, region["satpol"])
    personal = link(region["admin"], FeedScope.PERSONAL)
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == region["admin"].id)
    )
    membership.unit = region["timur"]  # moved to another unit
    db.session.commit()
    assert fetch(client, unit_feed).status_code == 404
    assert fetch(client, personal).status_code == 200
    region["admin"].active = False
    db.session.commit()
    assert fetch(client, personal).status_code == 404
    # the links were revoked, not paused: coming back does not bring them back
    region["admin"].active = True
    membership.unit = region["satpol"]
    db.session.commit()
    assert fetch(client, personal).status_code == 404
    assert fetch(client, unit_feed).status_code == 404
    tokens = db.session.scalars(
        sa.select(FeedToken).where(FeedToken.user_id == region["admin"].id)
    ).all()
    assert len(tokens) == 2 and all(t.revoked_at is not None for t in tokens)


def test_a_feed_request_runs_the_same_queries_for_few_and_many_events(
    client, region, count_queries
):
    path = link(region["admin"], FeedScope.UNIT, region["satpol"], drafts=True)
    fetch(client, path)  # the first fetch also records when the phone came
    counts = []
    for total in (3, 150):
        for n in range(total):
            content.create_item(
                region["satpol"],
                f"Konten {n}",
                format=ContentFormat.FOTO,
                planned_at=NOW + timedelta(hours=n),
            )
        db.session.commit()
        with count_queries() as rebuild:
            assert fetch(client, path).status_code == 200
        with count_queries() as repeat:
            assert fetch(client, path).status_code == 200
        counts.append((rebuild.count, repeat.count))
    assert counts[0] == counts[1], counts
    assert counts[0][1] <= counts[0][0]


def test_a_feed_over_the_size_cap_keeps_the_events_nearest_today(client, region):
    """1,500 long items, an hour apart around now: the feed stays under a megabyte with the
    events nearest today, renders about those only, and rebuilds equal to a build from scratch
    (also when the room freed reaches events whose text was never rendered)."""
    satpol = region["satpol"]
    for n in range(1500):
        content.create_item(
            satpol,
            f"Konten panjang {n} " + "x" * 150,
            format=ContentFormat.FOTO,
            planned_at=NOW + timedelta(hours=n - 750),
        )
        if n % 300 == 0:
            db.session.flush()
    items = db.session.scalars(
        sa.select(content.ContentItem)
        .where(content.ContentItem.title.startswith("Konten panjang"))
        .order_by(content.ContentItem.planned_at)
    ).all()
    for item in items:
        item.brief = "Sudut pandang: " + "cerita warga " * 40
    db.session.commit()
    token, raw = feeds.issue(region["admin"], FeedScope.UNIT, satpol, True)
    db.session.commit()
    path = f"/feeds/{raw}.ics"
    body = fetch(client, path).get_data()
    lint(body)
    assert len(body) > 800_000

    def kept(body: bytes) -> list[int]:
        """The positions (in time) of the long items in the feed."""
        position = {f"item-{item.id}-publish": n for n, item in enumerate(items)}
        uids = re.findall(r"^UID:item-\d+-publish", body.decode(), re.M)
        return sorted(position[uid[4:]] for uid in uids if uid[4:] in position)

    before = kept(body)
    # the events nearest today (midnight of 23 November, item 748 at 00:00): one run of hours
    assert before == list(range(before[0], before[-1] + 1))
    assert before[0] < 748 < before[-1] and before[0] > 0 and before[-1] < 1499
    assert abs((748 - before[0]) - (before[-1] - 748)) <= 1
    # about the kept events' text only was rendered and stored, not the 1,500 of the window
    stored = db.session.scalar(sa.select(sa.func.count()).select_from(FeedEventCache))
    assert len(before) < stored < len(before) * 1.1, (len(before), stored)

    def step(change) -> bool:
        """Make a change; True if the feed was rebuilt from the last one, not from scratch."""
        change()
        db.session.commit()
        db.session.expire_all()
        last = db.session.get(FeedToken, token.id)
        feed = feeds.describe(last, "http://localhost/", date(2026, 11, 23))
        built = feeds._incremental(
            feed, feeds.fingerprint(feed), last.cached_manifest, last.cached_body
        )
        db.session.rollback()
        served, scratch = rebuilt_both_ways(client, path, token.id)
        assert served == scratch
        lint(served)
        return built is not None

    with clock.frozen(NOW + timedelta(minutes=1)):
        assert step(lambda: setattr(items[748], "title", "Apel pagi"))
    assert kept(fetch(client, path).get_data()) == before
    # shorter texts near today make room for events never rendered: a whole rebuild
    with clock.frozen(NOW + timedelta(minutes=2)):
        assert not step(lambda: [setattr(i, "brief", "") for i in items[650:850]])
    after = kept(fetch(client, path).get_data())
    assert after[0] < before[0] and before[-1] < after[-1]


def test_tokens_never_reach_the_log():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        "",
        0,
        '"%s" %s',
        ("GET /feeds/abcDEF123456789_-xyz.ics HTTP/1.1", 200),
        None,
    )
    MaskFeedTokens().filter(record)
    assert "abcDEF" not in record.getMessage() and "/feeds/….ics" in record.getMessage()


def test_gunicorn_access_log_masks_tokens_too():
    from datetime import timedelta as span
    from types import SimpleNamespace

    from gunicorn.config import Config

    from calendarapp.logs import GunicornLogger

    path = "/feeds/abcDEF123456789_-xyz.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    response = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    request = SimpleNamespace(headers=[], method="GET", path=path, query="", version=(1, 1))
    atoms = GunicornLogger(Config()).atoms(response, request, environ, span(seconds=0.01))
    assert all("abcDEF" not in str(value) for value in atoms.values())
    assert "/feeds/….ics" in atoms["r"]


def rebuilt_both_ways(client, path, token_id):
    """The feed as served (rebuilt from the last one where it can) and as built from scratch."""
    served = fetch(client, path).get_data()
    db.session.expire_all()
    token = db.session.get(FeedToken, token_id)
    feed = feeds.describe(token, "http://localhost/", date(2026, 11, 23))
    scratch = feeds.build(feed, feeds.fingerprint(feed)).body
    db.session.rollback()  # building may store event text; the served feed already did
    return served, scratch


@pytest.mark.parametrize("scope", [FeedScope.UNIT, FeedScope.PERSONAL, FeedScope.REGION])
def test_a_feed_rebuilt_from_the_last_one_equals_one_built_from_scratch(
    client, region, make, scope
):
    who = region["writer"] if scope == FeedScope.PERSONAL else region["admin"]
    if scope == FeedScope.REGION:
        who = region["coordinator"]
    token, raw = feeds.issue(
        who, scope, region["satpol"] if scope == FeedScope.UNIT else None, True
    )
    db.session.commit()
    path = f"/feeds/{raw}.ics"
    fetch(client, path)
    admin = region["admin"]
    steps = [
        lambda: content.update_item(
            region["whole_day"],
            admin,
            region["whole_day"].version,
            ItemFields(
                title="Hari Guru Nasional",
                format=ContentFormat.FOTO,
                planned_day=date(2026, 11, 26),
            ),
        ),
        lambda: walk_to(region["draft"], Status.DIBATALKAN, admin),
        lambda: make.item(region["satpol"], "Baru", at=datetime(2026, 11, 27, 2, tzinfo=UTC)),
        # an assignment removed without a change to the item's own row
        lambda: db.session.delete(region["draft"].assignments[0]),
    ]
    incremental = 0
    for minute, step in enumerate(steps, start=1):
        with clock.frozen(NOW + timedelta(minutes=minute)):
            step()
            db.session.commit()
            db.session.expire_all()
            before = db.session.get(FeedToken, token.id)
            feed = feeds.describe(before, "http://localhost/", date(2026, 11, 23))
            current = feeds.fingerprint(feed)
            if feeds._incremental(feed, current, before.cached_manifest, before.cached_body):
                incremental += 1
            db.session.rollback()
            served, scratch = rebuilt_both_ways(client, path, token.id)
        assert served == scratch, f"step {minute}"
        lint(served)
    assert incremental >= 3  # most steps were rebuilt from the last feed, not from scratch


# ---- the calendar serial: a repeat fetch while nothing moved ---------------------------------


def test_a_phone_that_has_the_feed_gets_304_from_one_lookup(client, region, count_queries):
    path = link(region["admin"], FeedScope.UNIT, region["satpol"], drafts=True)
    first = fetch(client, path)
    etag = first.headers["ETag"]
    with count_queries() as again:
        answer = fetch(client, path, **{"If-None-Match": etag})
    assert answer.status_code == 304 and answer.headers["ETag"] == etag
    # the token with the serial, in one indexed lookup: no aggregate, no rights query, no write
    assert len(again.statements) == 1, again.statements
    assert not any("count(" in s.lower() or "UPDATE" in s for s in again.statements)
    with count_queries() as repeat:
        body = fetch(client, path)
    assert body.get_data() == first.get_data() and len(repeat.statements) == 2  # + the bytes


def test_a_change_anywhere_on_the_calendar_is_in_the_next_fetch(client, region, count_queries):
    path = link(region["admin"], FeedScope.UNIT, region["satpol"], drafts=True)
    etag = fetch(client, path).headers["ETag"]
    assert fetch(client, path, **{"If-None-Match": etag}).status_code == 304
    region["draft"].title = "Edukasi perda baru"
    db.session.commit()
    changed = fetch(client, path, **{"If-None-Match": etag})
    assert changed.status_code == 200 and b"Edukasi perda baru" in changed.get_data()
    # a sign-in writes the person's row, but nothing a calendar shows: still the kept answer
    etag = changed.headers["ETag"]
    fetch(client, path, **{"If-None-Match": etag})
    record_login(region["writer"])
    db.session.commit()
    with count_queries() as kept:
        assert fetch(client, path, **{"If-None-Match": etag}).status_code == 304
    assert len(kept.statements) == 1
    renamed = changed
    # leaving the unit ends the link at once, although nothing in the feed itself changed
    etag = renamed.headers["ETag"]
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == region["admin"].id)
    )
    db.session.delete(membership)
    db.session.commit()
    assert fetch(client, path, **{"If-None-Match": etag}).status_code == 404


def test_the_serial_moves_with_calendar_rows_only(region):
    from calendarapp import changes
    from calendarapp.content.models import ContentItem
    from calendarapp.notifications.models import NotificationKind
    from calendarapp.notifications.services import notify

    before = changes.serial()
    notify([region["admin"]], NotificationKind.COMMENT, region["writer"], item=region["draft"])
    db.session.commit()
    assert changes.serial() == before  # not on a calendar
    db.session.execute(
        sa.update(ContentItem).where(ContentItem.id == region["draft"].id).values(title="Bulk")
    )
    db.session.commit()
    assert changes.serial() == before + 1  # a bulk statement moves it too
    region["draft"].brief = "Sudut pandang baru"
    region["whole_day"].brief = "Satu transaksi"
    db.session.flush()
    region["published"].brief = "Masih transaksi yang sama"
    db.session.commit()
    assert changes.serial() == before + 2  # once per transaction
    region["draft"].brief = "Dibatalkan"
    db.session.flush()
    db.session.rollback()
    assert changes.serial() == before + 2  # a rolled-back change moved nothing


def test_two_workers_storing_the_same_new_event_text_do_not_collide(region):
    """Two phones fetching a new feed at once both render its events; the first text stays."""
    from calendarapp.feeds.build import _store
    from calendarapp.feeds.models import FeedEventCache
    from calendarapp.sources import pending

    class Seen:
        cache_prefix = "id:0000:"

    event = pending(Seen(), "item-1-publish", "base", NOW, "publish", item_id=1)
    _store([event], {}, {event.key: b"BEGIN:VEVENT\r\nEND:VEVENT\r\n"})
    db.session.commit()
    _store([event], {}, {event.key: b"BEGIN:VEVENT\r\nSUMMARY:kedua\r\nEND:VEVENT\r\n"})
    db.session.commit()  # the second worker had not seen the first's row: no error
    assert (
        db.session.scalar(sa.select(FeedEventCache.body).where(FeedEventCache.key == event.key))
        == "BEGIN:VEVENT\r\nEND:VEVENT\r\n"
    )
