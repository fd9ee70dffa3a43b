"""Time on the calendar: UTC storage, unit zones and their labels, months and ISO weeks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

from . import clock

# Indonesia's three zones; none has daylight saving. Other IANA zones fall back to their UTC offset.
ZONE_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
# A unit's zone is one of these (a CHECK on `unit.timezone`), none has changed its offset since
# 1988: SQL finds an item's local day by adding seconds (calendar/day_sql.py).
ZONE_OFFSETS = {
    name: int(ZoneInfo(name).utcoffset(datetime(2026, 1, 1)).total_seconds())
    for name in ZONE_LABELS
}


class UTCDateTime(TypeDecorator):
    """An instant stored as naive UTC and read back as aware UTC, alike on SQLite and PostgreSQL."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    def result_processor(self, dialect, coltype):
        """On SQLite the instant is text ("2026-11-08 08:00:00.000000", as SQLAlchemy writes
        it, or fewer digits from SQL's own functions): read as UTC in one step by the standard
        library — a sixth of the time of parsing it, then naming its zone; Pantauan reads
        ~3,500 a look. PostgreSQL's driver gives datetimes: SQLAlchemy's way."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def process(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value + "+00:00")

        return process


def zone_label(name: str) -> str:
    """WIB / WITA / WIT for Indonesia, else a UTC offset such as UTC+09.00."""
    if name in ZONE_LABELS:
        return ZONE_LABELS[name]
    offset = clock.now().astimezone(ZoneInfo(name)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}.{abs(minutes) % 60:02d}"


def local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone_name))


def today(zone_name: str) -> date:
    return clock.now().astimezone(ZoneInfo(zone_name)).date()


# ---- months and ISO weeks -------------------------------------------------------------------

_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_WEEK_RE = re.compile(r"^([0-9]{4})-W([0-9]{2})$")
# The years a calendar page may show: anything else in an address is a mistake, not a plan.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_month(text: str) -> date:
    """'2026-11' -> date(2026, 11, 1); ValueError for anything else."""
    match = _MONTH_RE.match(text)
    if not match:
        raise ValueError(text)
    year, month = int(match[1]), int(match[2])
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise ValueError(text)
    return date(year, month, 1)


_DAY_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


def parse_day(text: str) -> date:
    """'2026-11-23' and nothing else (not '2026-W48-1'), within the calendar's years."""
    match = _DAY_RE.match(text)
    if not match or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise ValueError(text)
    return date(int(match[1]), int(match[2]), int(match[3]))


def format_month(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def parse_week(text: str) -> date:
    """'2026-W48' -> the Monday of ISO week 48 of 2026; ValueError for a week that never was."""
    match = _WEEK_RE.match(text)
    if not match or not FIRST_YEAR <= int(match[1]) <= LAST_YEAR:
        raise ValueError(text)
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def format_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class DateRange:
    """Days from start to end, both included."""

    start: date
    end: date

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """UTC instants wide enough to hold every local day of the range in any zone on Earth."""
        start = datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC)
        return start - timedelta(hours=14), start + timedelta(days=len(self.days), hours=14)


def month_grid(first: date) -> DateRange:
    """The Monday-to-Sunday weeks that cover a month."""
    last = add_months(first, 1) - timedelta(days=1)
    return DateRange(monday_of(first), monday_of(last) + timedelta(days=6))


def week_range(monday: date) -> DateRange:
    return DateRange(monday, monday + timedelta(days=6))
