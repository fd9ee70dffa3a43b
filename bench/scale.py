"""Data at a real region's size, for benchmarks and load tests:
`python -m bench.scale kabupaten [--password P]` fills the empty database of DATABASE_URL.

`kabupaten`: about 85 units (dinas, badan, kecamatan, kelurahan, puskesmas) with three people
each, two years of posts behind today and one ahead at each unit's own cadence, pillars and region
campaigns, the leader's agenda with coverage requests, monthly trainings with notes and RTL.
`provinsi`: ten regencies' worth in one database (850 units). Rows go in with bulk inserts, so a
kabupaten takes seconds; every person shares the password given, and all names are fictional.
"""

from __future__ import annotations

import random
import secrets
import sys
import time as timer
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
import sqlalchemy as sa
from flask.cli import FlaskGroup, with_appcontext
from werkzeug.security import generate_password_hash

from calendarapp import clock
from calendarapp.accounts.models import Membership, Role, Unit, UnitKind, User
from calendarapp.content.models import (
    AssigneeRole,
    Assignment,
    ContentFormat,
    ContentItem,
    ContentItemPlatform,
    Platform,
    Theme,
)
from calendarapp.content.workflow import Status
from calendarapp.coverage.models import (
    AgendaEvent,
    CoverageRequest,
    Deliverable,
    Leader,
    Visibility,
)
from calendarapp.coverage.workflow import CoverageStatus
from calendarapp.extensions import db
from calendarapp.mentoring.models import (
    ActionItem,
    ActionStatus,
    MentoringNote,
    Training,
    TrainingKind,
    training_unit,
)

SIZES = {"kabupaten": 1, "provinsi": 10}
UNITS_PER_REGENCY = 85
KINDS = [
    (UnitKind.DINAS, 24, "Dinas"),
    (UnitKind.BADAN, 8, "Badan"),
    (UnitKind.KECAMATAN, 18, "Kecamatan"),
    (UnitKind.KELURAHAN, 15, "Kelurahan"),
    (UnitKind.PUSKESMAS, 19, "Puskesmas"),
]  # 84 units, and the regency's Prokopim
PLACES = ["Sukamaju", "Cibening", "Mekarjaya", "Sukasari", "Cilandak", "Karangsari", "Tanjung"]
TOPICS = ["layanan", "edukasi", "kegiatan", "informasi", "sosialisasi", "liputan", "imbauan"]
BACK, AHEAD = 730, 365  # days of posts behind today and ahead
MARKER = "Prokopim Kabupaten Skala 1"  # a database holding scale data has this unit


def state() -> bool:
    return db.session.scalar(sa.select(Unit.id).where(Unit.name == MARKER)) is not None


def load(size: str, password: str, seed: int = 17) -> dict[str, int]:
    """Insert a region of this size. The caller commits."""
    rng = random.Random(seed)
    now = clock.now()
    today = now.astimezone(ZoneInfo("Asia/Jakarta")).date()
    password_hash = generate_password_hash(password)  # once: every person shares it
    counts = {"units": 0, "people": 0, "items": 0, "events": 0, "trainings": 0}
    coordinator_id = _insert_ids(
        User,
        [
            _person("koordinator@skala.test", "Koordinator Diskominfo", password_hash, now, True),
        ],
    )[0]
    for regency in range(1, SIZES[size] + 1):
        units = _units(regency, rng, now)
        unit_ids = _insert_ids(Unit, units)
        counts["units"] += len(unit_ids)
        people = []
        for n in range(len(unit_ids)):
            for role in ("admin", "editor", "kontributor"):
                email = f"{role}.{regency}.{n}@skala.test"
                people.append(_person(email, f"{role.title()} {regency}-{n}", password_hash, now))
        people_ids = _insert_ids(User, people)
        counts["people"] += len(people_ids)
        by_unit = {u: people_ids[3 * n : 3 * n + 3] for n, u in enumerate(unit_ids)}
        db.session.execute(
            _insert(Membership),
            [
                {"user_id": person, "unit_id": unit_id, "role": role}
                for unit_id, trio in by_unit.items()
                for person, role in zip(
                    trio, (Role.ADMIN, Role.EDITOR, Role.CONTRIBUTOR), strict=True
                )
            ],
        )
        if regency == 1:
            db.session.execute(
                _insert(Membership),
                [{"user_id": coordinator_id, "unit_id": unit_ids[0], "role": Role.ADMIN}],
            )
        pillars = _pillars(unit_ids, now)
        counts["items"] += _items(rng, unit_ids, by_unit, pillars, today, now)
        prokopim = unit_ids[-1]
        counts["events"] += _agenda(rng, prokopim, by_unit, unit_ids, today, now)
        counts["trainings"] += _trainings(
            rng, unit_ids[0], by_unit, unit_ids, today, coordinator_id, now
        )
    _region_themes(today, now)
    _fix_sequences()
    return counts


def _person(email: str, name: str, password_hash: str, now, coordinator: bool = False) -> dict:
    return {
        "email": email,
        "name": name,
        "password_hash": password_hash,
        "active": True,
        "is_coordinator": coordinator,
        "session_token": secrets.token_urlsafe(32),
        "created_at": now,
        "updated_at": now,
    }


def _insert(model) -> sa.Insert:
    """A bulk insert that writes None as NULL. By default the ORM leaves a None out of the
    INSERT (so a server default applies) and batches only rows with their None in the same
    places: 44,000 posts, published or not, went to PostgreSQL in ~8,000 statements."""
    return sa.insert(model).execution_options(render_nulls=True)


def _insert_ids(model, rows: list[dict]) -> list[int]:
    """Insert rows and answer their ids, in order (one statement, RETURNING on both engines)."""
    if not rows:
        return []
    result = db.session.execute(
        _insert(model).returning(model.id, sort_by_parameter_order=True), rows
    )
    return [row[0] for row in result]


def _units(regency: int, rng: random.Random, now) -> list[dict]:
    created = now - timedelta(days=BACK + 30)
    rows = []
    for kind, count, label in KINDS:
        for n in range(1, count + 1):
            place = PLACES[n % len(PLACES)]
            rows.append(
                {
                    "name": f"{label} {n} {place} Kabupaten Skala {regency}",
                    "short_name": f"{label[:3]} {n} K{regency}",
                    "kind": kind,
                    "timezone": "Asia/Makassar" if regency % 3 == 0 else "Asia/Jakarta",
                    "color": rng.choice(["#2563eb", "#16a34a", "#db2777", "#0e7490", "#9333ea"]),
                    "weekly_target": rng.choice((1, 2, 3, 3, 5)),
                    "requires_approval": rng.random() < 0.5,
                    "coordinates_coverage": False,
                    "active": True,
                    "created_at": created,
                    "updated_at": created,
                }
            )
    # the regency's first unit is Diskominfo (the coordinators'); its last is Prokopim
    rows[0]["name"] = f"Dinas Komunikasi dan Informatika Kabupaten Skala {regency}"
    rows.append(
        {
            **rows[-1],
            "name": f"Prokopim Kabupaten Skala {regency}",
            "short_name": f"Prokopim K{regency}",
            "kind": UnitKind.BAGIAN,
            "coordinates_coverage": True,
        }
    )
    return rows


def _pillars(unit_ids: list[int], now) -> dict[int, list[int]]:
    rows = [
        {
            "unit_id": unit_id,
            "name": name,
            "color": color,
            "intended_share": share,
            "created_at": now,
            "updated_at": now,
        }
        for unit_id in unit_ids
        for name, color, share in (
            ("Layanan Publik", "#2563eb", 50),
            ("Edukasi", "#16a34a", 30),
            ("Kegiatan", "#9333ea", 20),
        )
    ]
    ids = _insert_ids(Theme, rows)
    return {unit_id: ids[3 * n : 3 * n + 3] for n, unit_id in enumerate(unit_ids)}


def _status_for(day: date, today: date, rng: random.Random) -> Status:
    if day < today - timedelta(days=3):
        return Status.TAYANG if rng.random() < 0.93 else Status.DIBATALKAN
    if day <= today + timedelta(days=7):
        return rng.choice([Status.DRAF, Status.DITINJAU, Status.DISETUJUI, Status.TERJADWAL])
    return rng.choice([Status.IDE, Status.IDE, Status.DRAF, Status.DISETUJUI])


def _items(rng, unit_ids, by_unit, pillars, today: date, now) -> int:
    formats = list(ContentFormat)
    items, platforms, assignments = [], [], []
    next_id = (db.session.scalar(sa.select(sa.func.max(ContentItem.id))) or 0) + 1
    for unit_id in unit_ids:
        per_day = rng.uniform(0.08, 0.8)  # from a nearly silent kelurahan to a busy dinas
        for offset in range(-BACK, AHEAD):
            if rng.random() >= per_day:
                continue
            day = today + timedelta(days=offset)
            status = _status_for(day, today, rng)
            at = datetime.combine(day, time(rng.randrange(1, 11)), UTC)
            published = status == Status.TAYANG
            items.append(
                {
                    "id": next_id,
                    "unit_id": unit_id,
                    "title": f"{rng.choice(TOPICS).title()} {rng.choice(PLACES)} {day:%d/%m}",
                    "caption": "" if not published else "Kegiatan pelayanan hari ini.",
                    "caption_words": rng.choice((0, 4, 12, 35, 48)) if published else 0,
                    "format": rng.choice(formats),
                    "status": status,
                    "theme_id": rng.choice(pillars[unit_id]),
                    "planned_at": at,
                    "posted_at": at + timedelta(hours=rng.choice((0, 0, 2, 30)))
                    if published
                    else None,
                    "version": rng.randrange(1, 6),
                    "created_at": min(at, now) - timedelta(days=7),
                    "updated_at": min(at, now),
                }
            )
            platform = rng.choice([Platform.INSTAGRAM, Platform.FACEBOOK, Platform.TIKTOK])
            platforms.append(
                {
                    "item_id": next_id,
                    "platform": platform,
                    "posted_url": f"https://{platform.value}.com/p/{next_id}"
                    if published
                    else None,
                }
            )
            if rng.random() < 0.4:
                assignments.append(
                    {
                        "item_id": next_id,
                        "user_id": by_unit[unit_id][2],
                        "role": AssigneeRole.FOTOGRAFER,
                    }
                )
            next_id += 1
    for chunk in range(0, len(items), 5000):
        db.session.execute(_insert(ContentItem), items[chunk : chunk + 5000])
    db.session.execute(_insert(ContentItemPlatform), platforms)
    if assignments:
        db.session.execute(_insert(Assignment), assignments)
    return len(items)


def _agenda(rng, prokopim: int, by_unit, unit_ids, today: date, now) -> int:
    zone = ZoneInfo("Asia/Jakarta")
    keeper = by_unit[prokopim][0]
    events = []
    for offset in range(-BACK, 60):
        if rng.random() < 0.6:
            day = today + timedelta(days=offset)
            start = datetime.combine(day, time(rng.choice((8, 9, 10, 13, 15))), zone)
            events.append(
                {
                    "unit_id": prokopim,
                    "leader": rng.choice(list(Leader)),
                    "title": f"Kunjungan kerja ke {rng.choice(PLACES)}",
                    "place": rng.choice(PLACES),
                    "timezone": "Asia/Jakarta",
                    "day": day,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=2),
                    "visibility": Visibility.PUBLIC,
                    "created_by_id": keeper,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    ids = _insert_ids(AgendaEvent, events)
    requests = []
    for event_id, event in zip(ids, events, strict=True):
        if rng.random() < 0.5:
            unit_id = rng.choice(unit_ids[:-1])
            past = event["day"] < today
            requests.append(
                {
                    "event_id": event_id,
                    "deliverable": rng.choice(list(Deliverable)),
                    "unit_id": unit_id,
                    "assignee_id": by_unit[unit_id][2],
                    "due_at": event["ends_at"] + timedelta(hours=3),
                    "status": CoverageStatus.SELESAI if past else CoverageStatus.DIMINTA,
                    "requested_by_id": keeper,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    if requests:
        db.session.execute(_insert(CoverageRequest), requests)
    return len(ids)


def _trainings(rng, kominfo: int, by_unit, unit_ids, today: date, mentor: int, now) -> int:
    trainings = []
    for month in range(BACK // 30):
        day = today - timedelta(days=30 * month + 5)
        start = datetime.combine(day, time(9), ZoneInfo("Asia/Jakarta"))
        trainings.append(
            {
                "kind": TrainingKind.FGD,
                "title": f"FGD Pengelolaan Konten Media Sosial {day:%m/%Y}",
                "timezone": "Asia/Jakarta",
                "starts_at": start,
                "ends_at": start + timedelta(hours=3),
                "place": "Aula Diskominfo",
                "organiser_id": kominfo,
                "created_by_id": mentor,
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = _insert_ids(Training, trainings)
    links, notes = [], []
    for training_id, training in zip(ids, trainings, strict=True):
        for unit_id in rng.sample(unit_ids[:-1], 10):
            links.append({"training_id": training_id, "unit_id": unit_id})
            notes.append(
                {
                    "training_id": training_id,
                    "unit_id": unit_id,
                    "author_id": mentor,
                    "noted_on": training["starts_at"].date(),
                    "to_improve": "Perbaiki caption dan judul pada foto.",
                    "created_at": now,
                    "updated_at": now,
                }
            )
    db.session.execute(sa.insert(training_unit), links)
    note_ids = _insert_ids(MentoringNote, notes)
    db.session.execute(
        _insert(ActionItem),
        [
            {
                "note_id": note_id,
                "text": "Pakai templat judul pada foto",
                "owner_id": by_unit[note["unit_id"]][0],
                "due_on": note["noted_on"] + timedelta(days=14),
                "status": ActionStatus.SELESAI
                if note["noted_on"] < today - timedelta(days=60)
                else ActionStatus.TERBUKA,
                "closed_at": now if note["noted_on"] < today - timedelta(days=60) else None,
                "created_at": now,
                "updated_at": now,
            }
            for note_id, note in zip(note_ids, notes, strict=True)
        ],
    )
    return len(ids)


def _region_themes(today: date, now) -> None:
    first = today.replace(day=1)
    rows = []
    for back in range(-24, 12):
        year, month = divmod(first.month - 1 + back, 12)
        start = date(first.year + year, month + 1, 1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        rows.append(
            {
                "name": f"Kampanye {start:%m/%Y}",
                "color": "#f97316",
                "starts_on": start,
                "ends_on": end,
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(_insert(Theme), rows)


def _fix_sequences() -> None:
    """Items went in with their ids: on PostgreSQL the sequence must move past them."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('content_item', 'id'), "
                "(SELECT max(id) FROM content_item))"
            )
        )


@click.command("scale-data")
@click.argument("size", type=click.Choice(["kabupaten", "provinsi"]))
@click.option("--password", help="Password for every person; generated when omitted.")
@with_appcontext
def scale_data(size: str, password: str | None) -> None:
    """Fill an empty database with a region of this size."""
    from calendarapp import demo
    from calendarapp.accounts import services as account_services

    if demo.state() != "empty":
        raise click.ClickException("Scale data goes into an empty database only; nothing loaded.")
    password = password or account_services.generate_password()
    if len(password) < account_services.MIN_PASSWORD_LENGTH:
        raise click.ClickException(
            f"The password needs at least {account_services.MIN_PASSWORD_LENGTH} characters."
        )
    started = timer.perf_counter()
    counts = load(size, password)
    db.session.commit()
    click.echo(
        f"Scale data ({size}) loaded in {timer.perf_counter() - started:.1f} s: "
        f"{counts['units']} units, {counts['people']} people, {counts['items']} content items, "
        f"{counts['events']} agenda events, {counts['trainings']} trainings.\n"
        f"Logins: koordinator@skala.test, admin.1.0@skala.test (a unit admin), ...; "
        f"password for all: {password}"
    )


if __name__ == "__main__":
    from calendarapp import create_app

    group = FlaskGroup(create_app=create_app, add_default_commands=False)
    group.add_command(scale_data)
    group.main(args=["scale-data", *sys.argv[1:]], prog_name="python -m bench.scale")
