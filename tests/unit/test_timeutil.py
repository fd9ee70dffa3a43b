"""Time on the calendar: months, ISO weeks, zones and their labels."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from calendarapp import changes, clock
from calendarapp.timeutil import (
    FIRST_YEAR,
    LAST_YEAR,
    ZONE_LABELS,
    ZONE_OFFSETS,
    DateRange,
    add_months,
    format_week,
    month_grid,
    parse_month,
    parse_week,
    zone_label,
)


@pytest.mark.parametrize(
    ("text", "expected"), [("2026-11", date(2026, 11, 1)), ("2027-01", date(2027, 1, 1))]
)
def test_a_month_in_the_address_is_read(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "26-11", "2026-1", "november", "", "0000-01"]
)
def test_a_malformed_month_is_refused(text):
    with pytest.raises(ValueError):
        parse_month(text)


def test_iso_weeks_include_week_53_only_in_long_years():
    assert parse_week("2026-W53") == date(2026, 12, 28)
    with pytest.raises(ValueError):
        parse_week("2025-W53")
    for text in ("2026-W00", "2026-W54", "2026W48", "2026-48", "x"):
        with pytest.raises(ValueError):
            parse_week(text)


def test_a_week_is_named_by_its_iso_year():
    # 1 January 2027 is a Friday: it belongs to the last ISO week of 2026.
    assert format_week(date(2027, 1, 1)) == "2026-W53"
    assert parse_week(format_week(date(2026, 11, 25))) == date(2026, 11, 23)


def test_a_month_grid_runs_from_monday_to_sunday():
    grid = month_grid(date(2026, 11, 1))  # 1 November 2026 is a Sunday
    assert grid.start == date(2026, 10, 26) and grid.start.weekday() == 0
    assert grid.end == date(2026, 12, 6) and grid.end.weekday() == 6
    assert len(grid.days) % 7 == 0


def test_adding_months_crosses_years():
    assert add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_utc_bounds_cover_every_zone_of_indonesia():
    low, high = DateRange(date(2026, 11, 23), date(2026, 11, 23)).utc_bounds()
    # 00.00 WIT on the 23rd is 15.00 UTC on the 22nd; 23.59 WIB on the 23rd is 16.59 UTC.
    assert low <= datetime(2026, 11, 22, 15, 0, tzinfo=UTC)
    assert high >= datetime(2026, 11, 23, 16, 59, tzinfo=UTC)


def test_indonesian_zones_have_their_own_labels():
    assert zone_label("Asia/Jakarta") == "WIB"
    assert zone_label("Asia/Makassar") == "WITA"
    assert zone_label("Asia/Jayapura") == "WIT"
    assert zone_label("Asia/Tokyo") == "UTC+09.00"


def test_the_clock_can_be_fixed_and_released():
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    with clock.frozen(fixed):
        assert clock.now() == fixed
    assert clock.now() != fixed
    with pytest.raises(ValueError), clock.frozen(datetime(2026, 1, 1)):
        pass


def test_the_unit_zones_keep_one_offset_over_every_year_a_calendar_shows():
    """SQL places items on local days by these fixed offsets (calendar/day_sql.py)."""
    assert set(ZONE_OFFSETS) == set(ZONE_LABELS)
    for name, seconds in ZONE_OFFSETS.items():
        zone = ZoneInfo(name)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for month in (1, 4, 7, 10):
                offset = zone.utcoffset(datetime(year, month, 1))
                assert offset.total_seconds() == seconds, (name, year, month)
    assert ZONE_OFFSETS["Asia/Makassar"] == 8 * 3600


def test_an_instant_reads_back_as_the_same_aware_utc_instant_on_sqlite(tmp_path):
    """UTCDateTime reads SQLite's text in one step: every form the database holds (as
    SQLAlchemy writes it, without a fraction, or from SQL's own functions) gives the instant that
    SQLAlchemy's own parsing would, in UTC."""
    import sqlalchemy as sa

    from calendarapp.timeutil import UTCDateTime

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'instants.db'}")
    table = sa.Table("t", sa.MetaData(), sa.Column("at", UTCDateTime()))
    table.metadata.create_all(engine)
    written = [
        datetime(2026, 11, 8, 1, 2, 3, 456789, tzinfo=UTC),
        datetime(2026, 11, 8, 23, 59, tzinfo=ZoneInfo("Asia/Jayapura")),
        None,
    ]
    with engine.begin() as db:
        db.info[changes.SKIP] = True  # a throwaway file: no calendar serial to move
        db.execute(table.insert(), [{"at": at} for at in written])
        db.execute(sa.text("INSERT INTO t (at) VALUES ('2026-11-09 07:30:00')"))
        db.execute(
            sa.text(
                "INSERT INTO t (at) VALUES "
                "(strftime('%Y-%m-%d %H:%M:%f', '2026-11-09 07:30:00.250'))"
            )
        )
        read = db.execute(sa.select(table.c.at)).scalars().all()
        plain = db.execute(sa.select(sa.cast(table.c.at, sa.String))).scalars().all()
        latest = db.execute(sa.select(sa.func.max(table.c.at))).scalar()
    generic = sa.DateTime().dialect_impl(engine.dialect).result_processor(engine.dialect, None)
    expected = [None if text is None else generic(text).replace(tzinfo=UTC) for text in plain]
    assert read == expected and all(at is None or at.tzinfo is UTC for at in read)
    assert read[:3] == written
    assert read[4] == datetime(2026, 11, 9, 7, 30, 0, 250000, tzinfo=UTC)
    assert latest == max(at for at in read if at is not None)
