"""Benchmark of Pantauan at a kabupaten's size (`make bench`): a measurement to read, not a test.

85 units and a year of posts (about 1,000 a month) are inserted in bulk into a throwaway SQLite
file, with three official accounts per unit, a year of weekly follower counts for each and the
figures of every Instagram post of the last 120 days (as imports would bring); then the median
server time of the scorecard, one unit's page, the monthly report and its
PDF are printed, each also as a ratio to a minimal Flask "hello" app timed in the same run.
"""

from __future__ import annotations

import random
import secrets
import statistics
import tempfile
import time as timer
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from calendarapp import clock, create_app
from calendarapp.accounts.models import Membership, Role, Unit, UnitKind, User
from calendarapp.config import settings_for_tests
from calendarapp.content.models import ChecklistEntry, ChecklistTick, ContentItem
from calendarapp.extensions import db

UNITS = 85
DAYS = 365
PASSWORD = secrets.token_urlsafe(16)  # a throwaway login for this run
NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)
KINDS = [UnitKind.DINAS, UnitKind.BADAN, UnitKind.KECAMATAN, UnitKind.KELURAHAN, UnitKind.PUSKESMAS]


def _median(run, times: int) -> float:
    samples = []
    for _ in range(times):
        start = timer.perf_counter()
        run()
        samples.append((timer.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _seed() -> int:
    """Bulk rows straight into the tables: units, a coordinator, a year of published posts."""
    rng = random.Random(85)
    created = NOW - timedelta(days=DAYS + 30)
    units = [
        {
            "name": f"Unit {n:02d}",
            "short_name": f"U{n:02d}",
            "kind": KINDS[n % len(KINDS)].value,
            "timezone": "Asia/Jakarta",
            "color": "#2563eb",
            "weekly_target": rng.choice((2, 3, 3, 5)),
            "requires_approval": True,
            "coordinates_coverage": False,
            "active": True,
            "created_at": created,
            "updated_at": created,
        }
        for n in range(UNITS)
    ]
    db.session.execute(sa.insert(Unit), units)
    unit_ids = list(db.session.scalars(sa.select(Unit.id)))
    coordinator = User(email="koordinator@bench.test", name="Koordinator", is_coordinator=True)
    coordinator.set_password(PASSWORD)
    db.session.add(coordinator)
    db.session.flush()
    db.session.add(Membership(user_id=coordinator.id, unit_id=unit_ids[0], role=Role.ADMIN))
    rows = []
    for unit_id in unit_ids:
        rate = rng.uniform(0.05, 0.6)  # posts a day: from nearly silent to busy
        for day in range(DAYS):
            if rng.random() < rate:
                at = NOW - timedelta(days=day, hours=rng.randrange(0, 12))
                rows.append(
                    {
                        "unit_id": unit_id,
                        "title": f"Pos {unit_id}-{day}",
                        "format": "foto",
                        "status": "tayang",
                        "planned_at": at,
                        "posted_at": at + timedelta(hours=rng.choice((0, 0, 0, 30))),
                        "caption_words": rng.choice((5, 12, 35, 40, 60)),
                        "version": 1,
                        "created_at": at,
                        "updated_at": at,
                    }
                )
    db.session.execute(sa.insert(ContentItem), rows)
    entries = list(db.session.scalars(sa.select(ChecklistEntry.id)))
    item_ids = list(db.session.scalars(sa.select(ContentItem.id)))
    db.session.execute(
        sa.insert(ChecklistTick),
        [
            {"item_id": item_id, "entry_id": entry, "created_at": NOW}
            for item_id in item_ids
            if rng.random() < 0.7
            for entry in entries
        ],
    )
    figures = _seed_figures(unit_ids, rng)
    db.session.commit()
    return len(rows), figures


def _seed_figures(unit_ids: list[int], rng: random.Random) -> int:
    """Instagram, Facebook and TikTok accounts for every unit, 52 weekly follower counts each,
    and a PostMetric for each Instagram post of the last 120 days: rows added."""
    from calendarapp.performance.models import FollowerCount, PostMetric
    from calendarapp.socialaccounts.models import SocialAccount

    created = NOW - timedelta(days=DAYS + 30)
    db.session.execute(
        sa.insert(SocialAccount),
        [
            {"unit_id": unit_id, "platform": platform, "handle": f"u{unit_id}.{platform}",
             "handle_key": f"u{unit_id}.{platform}", "url": f"https://www.{platform}.com/u{unit_id}",
             "status": "aktif", "version": 1, "created_at": created, "updated_at": created}
            for unit_id in unit_ids
            for platform in ("instagram", "facebook", "tiktok")
        ],
    )  # fmt: skip
    accounts = db.session.execute(
        sa.select(SocialAccount.id, SocialAccount.unit_id, SocialAccount.platform)
    ).all()
    counts = []
    for account_id, _unit, _platform in accounts:
        followers = rng.randrange(300, 20_000)
        for week in range(52, -1, -1):
            followers = max(0, followers + rng.randrange(-40, 120))
            day = (NOW - timedelta(weeks=week)).date()
            counts.append({"account_id": account_id, "measured_on": day, "followers": followers,
                           "source": "import", "created_at": NOW, "updated_at": NOW})  # fmt: skip
    db.session.execute(sa.insert(FollowerCount), counts)
    instagram = {unit: account for account, unit, platform in accounts if platform == "instagram"}
    posts = db.session.execute(
        sa.select(ContentItem.id, ContentItem.unit_id, ContentItem.posted_at).where(
            ContentItem.posted_at >= NOW - timedelta(days=120)
        )
    ).all()
    metrics = [
        {"account_id": instagram[unit], "post_key": f"m{item}", "permalink": "",
         "published_at": posted, "item_id": item, "measured_on": NOW.date(),
         "views": rng.randrange(100, 9000), "reach": rng.randrange(80, 6000),
         "likes": rng.randrange(0, 400), "comments": rng.randrange(0, 40),
         "shares": rng.randrange(0, 30), "saves": rng.randrange(0, 20),
         "created_at": NOW, "updated_at": NOW}
        for item, unit, posted in posts
    ]  # fmt: skip
    db.session.execute(sa.insert(PostMetric), metrics)
    return len(counts) + len(metrics)


def _hello_ms(times: int) -> float:
    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "Hello, World!")
    client = hello.test_client()
    return _median(lambda: client.get("/"), times)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="kk-monitoring-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    app = create_app(settings_for_tests(url))
    with clock.frozen(NOW), app.app_context():
        upgrade()
        start = timer.perf_counter()
        posts, figures = _seed()
        seeded = timer.perf_counter() - start
        client = app.test_client()
        page = client.get("/login")
        token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
        client.post(
            "/login",
            data={
                "email": "koordinator@bench.test",
                "password": PASSWORD,
                "csrf_token": token.split('"')[0],
            },
        )
        unit_id = db.session.scalar(sa.select(Unit.id).order_by(Unit.id).limit(1))
        pages = {
            "/monitoring (4 weeks, 85 units)": "/monitoring",
            "/monitoring?month=2026-10": "/monitoring?month=2026-10",
            "/monitoring/units/<id> (12 weeks)": f"/monitoring/units/{unit_id}",
            "/monitoring/report?month=2026-10": "/monitoring/report?month=2026-10",
            "/monitoring/report.pdf?month=2026-10": "/monitoring/report.pdf?month=2026-10",
        }
        for path in pages.values():  # warm the caches once
            assert client.get(path).status_code == 200, path
        hello = _hello_ms(200)
        print(
            f"Pantauan bench: {UNITS} units, {posts:,} published posts over {DAYS} days, "
            f"{figures:,} follower counts and post figures"
        )
        print(f"(seeded in {seeded:.1f} s; SQLite; in-process test client; medians of 31)")
        print(f"{'hello world':42} {hello:8.2f} ms")
        for label, path in pages.items():
            ms = _median(lambda path=path: client.get(path), 31)
            print(f"{label:42} {ms:8.1f} ms   ratio to hello {hello / ms:.4f}")


if __name__ == "__main__":
    main()
