"""Reading an uploaded .ics file (national days, a campaign calendar, the leader's agenda).

Every event is checked before anything is written: a file is imported whole or not at all. What
the rows become is the importing area's business (planning/theme_import.py, coverage/importer.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from ..errors import Refused
from ..i18n import lazy_phrase as _l
from ..timeutil import FIRST_YEAR, LAST_YEAR

MAX_BYTES = 1_000_000
MAX_EVENTS = 2000
NAME_MAX = 120


class IcsRefused(Refused):
    """The file is refused as a whole, with the reason for the user (shown by the file field)."""

    def __init__(self, message) -> None:
        super().__init__(message, field="file")


@dataclass
class Imported:
    created: int
    updated: int


@dataclass
class Row:
    uid: str
    name: str
    description: str
    starts_on: date
    ends_on: date


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def calendar_events(data: bytes) -> list[Event]:
    """The VEVENTs of an uploaded file, or IcsRefused when it is too large, unreadable or empty."""
    if len(data) > MAX_BYTES:
        raise IcsRefused(
            _l("The file is too large (at most %(mb)d MB).", mb=MAX_BYTES // 1_000_000)
        )
    try:
        calendar = Calendar.from_ical(data)
    except Exception as error:  # icalendar raises several kinds on malformed input
        raise IcsRefused(_l("This is not a readable iCalendar (.ics) file.")) from error
    if calendar.name != "VCALENDAR":
        raise IcsRefused(_l("This is not a readable iCalendar (.ics) file."))
    events = calendar.walk("VEVENT")
    if not events:
        raise IcsRefused(_l("The file has no events."))
    if len(events) > MAX_EVENTS:
        raise IcsRefused(_l("The file has too many events (at most %(limit)d).", limit=MAX_EVENTS))
    return events


@dataclass
class IcsEvent:
    """One VEVENT as read and checked, the same for every importer."""

    number: int  # its place in the file, for messages
    uid: str
    name: str
    description: str
    location: str
    start: date | datetime  # a date for a whole day
    end: date | datetime | None  # None when the file gives no end


def _moment(event: Event, name: str) -> date | datetime | None:
    """DTSTART or DTEND as a date or a time; icalendar hands back raw text (or raises) for a
    value it cannot read, such as month 13."""
    if name not in event:
        return None
    value = event.decoded(name)
    if not isinstance(value, date):
        raise ValueError(name)
    return value


def read_events(data: bytes) -> list[IcsEvent]:
    """Every event of the file, checked whole: a UID (unique) and a title, a start and any end
    that are real dates or times within 2000–2100, and no end before the start."""
    rows, seen = [], set()
    for number, event in enumerate(calendar_events(data), start=1):
        try:
            uid = str(event["UID"]).strip()
            name = str(event["SUMMARY"]).strip()
            start = _moment(event, "DTSTART")
            end = _moment(event, "DTEND")
        except (KeyError, ValueError, TypeError, AttributeError, OverflowError) as error:
            raise IcsRefused(
                _l("Event %(number)d lacks a UID, a title or a valid start.", number=number)
            ) from error
        if not uid or not name or len(uid) > 255 or start is None:
            raise IcsRefused(_l("Event %(number)d lacks a UID or a title.", number=number))
        if not all(FIRST_YEAR <= _day(day).year <= LAST_YEAR for day in (start, end) if day):
            raise IcsRefused(
                _l("Event %(number)d has a date outside the years 2000–2100.", number=number)
            )
        if uid in seen:
            raise IcsRefused(_l("Event %(number)d repeats a UID.", number=number))
        seen.add(uid)
        description = str(event.get("DESCRIPTION", "")).strip()
        location = str(event.get("LOCATION", "")).strip()
        rows.append(IcsEvent(number, uid, name, description, location, start, end))
    return rows


def read(data: bytes) -> list[Row]:
    """The file's events as whole days (region themes)."""
    rows = []
    for event in read_events(data):
        start = _day(event.start)
        end = _day(event.end) if event.end is not None else start + timedelta(days=1)
        # iCalendar ends are exclusive for whole days; a theme's last day is inclusive
        last = end - timedelta(days=1) if end > start else start
        rows.append(
            Row(
                uid=event.uid,
                name=event.name[:NAME_MAX],
                description=event.description[:2000],
                starts_on=start,
                ends_on=last,
            )
        )
    return rows
