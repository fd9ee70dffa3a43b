"""Benchmark of a 5,000-event feed (`make bench`): not a test, a measurement to read.

Prints the median time of: a naive full icalendar rebuild, the first request (no cache), building
the feed ahead when its link is made and the phone's first request after that, a repeat request, a
request after one item changed, and a 304. Uses a throwaway SQLite file.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time as timer
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from icalendar import Calendar, Event

from calendarapp import changes, clock, create_app
from calendarapp.accounts.models import Role, Unit, UnitKind
from calendarapp.accounts.services import add_membership, create_user
from calendarapp.config import settings_for_tests
from calendarapp.content.models import ContentFormat, ContentItem, ContentItemPlatform, Platform
from calendarapp.extensions import db
from calendarapp.feeds import services
from calendarapp.feeds.models import FeedEventCache, FeedScope, FeedToken
from calendarapp.timeutil import today


def _median(run, times: int, prepare=None) -> float:
    """The median time of run(); prepare(), if given, runs before each sample, untimed."""
    samples = []
    for _ in range(times):
        if prepare is not None:
            prepare()
        start = timer.perf_counter()
        run()
        samples.append((timer.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _seed(count: int) -> tuple[str, int]:
    unit = Unit(name="Satuan Polisi Pamong Praja", short_name="Satpol PP", kind=UnitKind.LAINNYA)
    db.session.add(unit)
    user = create_user("admin@bench.test", "Admin Bench", "bench-password-1")
    add_membership(user, unit, Role.ADMIN)
    now = clock.now()
    db.session.add_all(
        ContentItem(
            unit=unit,
            title=f"Konten nomor {n}",
            brief="Sudut pandang: layanan malam hari bagi warga.",
            format=ContentFormat.FOTO,
            status="terjadwal",
            planned_at=now + timedelta(hours=2 * n - 2000),
            platforms=[ContentItemPlatform(platform=Platform.INSTAGRAM)],
        )
        for n in range(count)
    )
    _token, raw = services.issue(user, FeedScope.UNIT, unit, include_drafts=True)
    db.session.commit()
    # an item planned about now: always inside the feed's window and size cap
    now_id = db.session.scalar(sa.select(sa.func.min(ContentItem.id))) + 1000
    return f"/feeds/{raw}.ics", now_id


def _naive(unit_id: int) -> bytes:
    """Every event built and serialised by icalendar on every request: what we avoid."""
    cal = Calendar()
    cal.add("prodid", "-//bench//")
    cal.add("version", "2.0")
    for item in db.session.scalars(sa.select(ContentItem).where(ContentItem.unit_id == unit_id)):
        event = Event()
        event.add("uid", f"item-{item.id}@bench")
        event.add("dtstamp", item.updated_at)
        event.add("summary", item.title)
        event.add("dtstart", item.planned_at)
        event.add("dtend", item.planned_at + timedelta(minutes=30))
        event.add("description", item.brief)
        cal.add_component(event)
    return cal.to_ical()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app(settings_for_tests(url, TESTING=False))
        with app.app_context():
            upgrade()
            path, first_id = _seed(args.events)
            unit_id = db.session.scalar(sa.select(Unit.id))
            client = app.test_client()

            def forget():
                db.session.execute(sa.delete(FeedEventCache))
                db.session.execute(
                    sa.update(FeedToken).values(
                        cached_fingerprint=None,
                        cached_body=None,
                        cached_manifest=None,
                        cached_seen=None,
                    )
                )
                db.session.commit()

            def change():
                item = db.session.get(ContentItem, first_id)
                item.title = f"Judul {timer.perf_counter()}"
                db.session.commit()

            def fetch():
                assert client.get(path).status_code == 200

            def ahead():
                token = db.session.scalar(sa.select(FeedToken))
                day = today(app.config["REGION_TIMEZONE"])
                services.build_ahead(token, "http://localhost", day, changes.serial())
                db.session.commit()

            naive = _median(lambda: _naive(unit_id), 3)
            first = _median(fetch, 3, prepare=forget)
            built_ahead = _median(ahead, 3, prepare=forget)
            first_after = _median(fetch, 3, prepare=lambda: (forget(), ahead()))
            response = client.get(path)
            size, etag = len(response.get_data()), response.headers["ETag"]
            repeat = _median(lambda: client.get(path), args.repeat)
            after_change = _median(fetch, 9, prepare=change)
            etag = client.get(path).headers["ETag"]
            not_modified = _median(
                lambda: client.get(path, headers={"If-None-Match": etag}), args.repeat
            )
            events = response.get_data().count(b"BEGIN:VEVENT")
    print(f"Feed benchmark: {events} events in the feed, {size / 1024:.0f} KiB, SQLite")
    print("median milliseconds")
    for name, value in (
        ("naive full icalendar rebuild", naive),
        ("first request (empty caches)", first),
        ("building it ahead, on the link", built_ahead),
        ("first request after that", first_after),
        ("repeat request", repeat),
        ("request after one item changed", after_change),
        ("304 Not Modified", not_modified),
    ):
        print(f"  {name:34} {value:9.1f}")


if __name__ == "__main__":
    main()
