"""The month, week, board and list pick in SQL the items they show: each item on its unit's local
day, in local time order, with each day's (status's, list's) count, alike on both engines — and
as loading every item and placing it in Python would (the reference below)."""

import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from calendarapp.accounts.models import Role
from calendarapp.calendar.picks import (
    NO_FILTERS,
    CalendarEntry,
    board_columns,
    list_page,
    month_entries,
    week_entries,
)
from calendarapp.content.models import ContentFormat, ContentItem
from calendarapp.content.reads import items_between
from calendarapp.content.workflow import ORDER
from calendarapp.extensions import db
from calendarapp.timeutil import DateRange, local, month_grid
from tests.web.test_calendar import _day_cell

NOVEMBER = DateRange(date(2026, 11, 1), date(2026, 11, 30))


def entries_by_day(unit_ids: list[int], days: DateRange) -> dict[date, list[CalendarEntry]]:
    """The reference: every item loaded and placed in Python on its unit's local day, whole-day
    items first, then by local time, then by title (as the week once placed them)."""
    by_day: dict[date, list[CalendarEntry]] = {}
    for item in items_between(unit_ids, days):
        moment = local(item.planned_at, item.unit.timezone) if item.planned_at else None
        entry = CalendarEntry(item, item.local_day(), moment)
        if days.start <= entry.day <= days.end:
            by_day.setdefault(entry.day, []).append(entry)
    for entries in by_day.values():
        entries.sort(
            key=lambda e: (
                e.local_time is not None,
                e.local_time.time() if e.local_time else None,
                e.item.title.lower(),
                e.item.id,
            )
        )
    return by_day


@pytest.fixture
def zones(make):
    """A unit in each of Indonesia's zones, and a coordinator."""
    units = {
        "wib": make.unit("Satuan Polisi Pamong Praja", "Satpol PP"),
        "wita": make.unit("Dinas Kominfo Kota Timur", "Kominfo Timur", timezone="Asia/Makassar"),
        "wit": make.unit("Dinas Pariwisata Jayapura", "Dispar", timezone="Asia/Jayapura"),
    }
    make.user("koordinator@demo.test", coordinator=True)
    make.user("admin.timur@demo.test", {units["wita"]: Role.ADMIN})
    return units


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-item-id="(\d+)"', html)]


def test_a_busy_day_shows_its_first_items_in_local_time_across_zones(client, auth, zones, make):
    at = lambda *args: datetime(*args, tzinfo=UTC)  # noqa: E731
    whole = make.item(zones["wita"], "Sepanjang hari", on=date(2026, 11, 25))
    # 00.15 WITA on the 25th is 16.15 UTC on the 24th.
    midnight = make.item(zones["wita"], "Ucapan pagi", at=at(2026, 11, 24, 16, 15))
    # 08.00 WIB (01.00 UTC) comes before 08.30 WITA (00.30 UTC): local time, not UTC, orders.
    wib = make.item(zones["wib"], "Apel pagi", at=at(2026, 11, 25, 1, 0))
    wita = make.item(zones["wita"], "Siaran pagi", at=at(2026, 11, 25, 0, 30))
    late = make.item(zones["wib"], "Rekap malam", at=at(2026, 11, 25, 16, 30))  # 23.30 WIB
    # 16.30 UTC on the 25th is 00.30 WITA on the 26th.
    next_day = make.item(zones["wita"], "Besok pagi", at=at(2026, 11, 25, 16, 30))
    auth.login("koordinator@demo.test")
    month = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    cell = _day_cell(month, "2026-11-25")
    assert _ids(cell) == [whole.id, midnight.id, wib.id]
    assert "+2 lainnya" in cell
    assert _ids(_day_cell(month, "2026-11-26")) == [next_day.id]
    assert midnight.id not in _ids(_day_cell(month, "2026-11-24"))
    # The week shows the whole day in the same order.
    week = client.get("/calendar/week?week=2026-W48").get_data(as_text=True)
    assert _ids(_day_cell(week, "2026-11-25")) == [whole.id, midnight.id, wib.id, wita.id, late.id]


def test_the_list_and_board_keep_local_days_and_order(client, auth, zones, make):
    at = lambda *args: datetime(*args, tzinfo=UTC)  # noqa: E731
    # 00.30 WIT on 1 December is 15.30 UTC on 30 November: December's, not November's.
    december = make.item(zones["wit"], "Awal Desember", at=at(2026, 11, 30, 15, 30))
    wib = make.item(zones["wib"], "Apel pagi", at=at(2026, 11, 25, 1, 0))  # 08.00 WIB
    wit = make.item(zones["wit"], "Siaran pagi", at=at(2026, 11, 24, 23, 30))  # 08.30 WIT
    auth.login("koordinator@demo.test")
    listed = client.get("/calendar/list?month=2026-11").get_data(as_text=True)
    assert _ids(listed) == [wib.id, wit.id]
    descending = client.get("/calendar/list?month=2026-11&dir=desc").get_data(as_text=True)
    assert _ids(descending) == [wit.id, wib.id]
    assert _ids(client.get("/calendar/list?month=2026-12").get_data(as_text=True)) == [december.id]
    board = client.get("/calendar/board?month=2026-11").get_data(as_text=True)
    assert _ids(board) == [wib.id, wit.id]
    by_unit = client.get("/calendar/list?month=2026-11&sort=unit").get_data(as_text=True)
    assert _ids(by_unit) == [wit.id, wib.id]  # Dispar before Satpol PP


def _random_region(zones, count: int) -> None:
    """Items at random minutes around local midnights, whole days, every status and title case."""
    rng = random.Random(17)
    units = list(zones.values())
    start = datetime(2026, 10, 25, tzinfo=UTC)
    items = []
    for i in range(count):
        item = ContentItem(
            unit=rng.choice(units),
            title=rng.choice(["Apel", "apel", "Banjir", "Zona", "kuis"]) + f" {i % 7}",
            format=ContentFormat.FOTO,
            status=rng.choice(ORDER),
        )
        if rng.random() < 0.15:
            item.planned_date = (start + timedelta(days=rng.randrange(45))).date()
        else:
            # Half of them within two hours of some zone's midnight (15.00 to 17.00 UTC).
            hour = rng.choice([rng.randrange(24), 14 + rng.random() * 3])
            moment = start + timedelta(days=rng.randrange(45), hours=hour)
            item.planned_at = moment.replace(second=0, microsecond=0)
        items.append(item)
    db.session.add_all(items)
    db.session.commit()


def test_the_picks_agree_with_the_days_placed_in_python(app, zones):
    """The SQL picks against the week's way (each item loaded and placed in Python) on 400 random
    items: the same days, counts, first items and orders."""
    _random_region(zones, 400)
    unit_ids = [unit.id for unit in zones.values()]
    grid = month_grid(date(2026, 11, 1))
    placed = entries_by_day(unit_ids, grid)
    week = week_entries(unit_ids, grid, NO_FILTERS)  # the week's way is the month's
    assert {day: [e.item.id for e in entries] for day, entries in week.items()} == {
        day: [e.item.id for e in entries] for day, entries in placed.items()
    }
    shown, counts = month_entries(unit_ids, grid, NO_FILTERS, 3)
    assert counts == {day: len(entries) for day, entries in placed.items()}
    assert {day: [e.item.id for e in entries] for day, entries in shown.items()} == {
        day: [e.item.id for e in entries[:3]] for day, entries in placed.items()
    }
    november = [e for day in sorted(placed) for e in placed[day] if NOVEMBER.start <= day]
    november = [e for e in november if e.day <= NOVEMBER.end]
    columns, totals = board_columns(unit_ids, NOVEMBER, NO_FILTERS, 5)
    for status in ORDER:
        mine = [e.item.id for e in november if e.item.status == status]
        assert totals[status] == len(mine)
        assert [e.item.id for e in columns[status]] == mine[:5]
    page, total = list_page(unit_ids, NOVEMBER, NO_FILTERS, "date", False, range(21, 41))
    assert total == len(november) and [e.item.id for e in page] == [
        e.item.id for e in november[20:40]
    ]
    by_title = sorted(november, key=lambda e: (e.item.title.lower(), e.item.id), reverse=True)
    page, _ = list_page(unit_ids, NOVEMBER, NO_FILTERS, "title", True, range(1, 31))
    assert [e.item.id for e in page] == [e.item.id for e in by_title[:30]]
    assert list_page(unit_ids, NOVEMBER, NO_FILTERS, "date", False, range(901, 951)) == ([], 0)


def test_the_region_month_reads_only_the_items_it_shows(client, auth, zones, count_queries):
    """A month of 600 items sends three a day from the database, not all of them."""
    _random_region(zones, 600)
    auth.login("koordinator@demo.test")
    with count_queries() as counter:
        html = client.get("/calendar/month?month=2026-11").get_data(as_text=True)
    assert len(_ids(html)) <= 3 * 42
    # The statement that reads items joins their numbers in the day, kept up to three.
    picks = [s for s in counter.statements if "row_number() OVER" in s]
    assert len(picks) == 1 and "count(*) OVER" in picks[0]


def test_a_unit_in_another_zone_is_refused_by_the_database(app, zones):
    """Local days come from the four zones' fixed offsets; the database keeps any other out."""
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE unit SET timezone = 'Europe/Paris' WHERE id = :id"),
            {"id": zones["wib"].id},
        )
    db.session.expire_all()
    assert db.session.get(type(zones["wib"]), zones["wib"].id).timezone == "Asia/Jakarta"
