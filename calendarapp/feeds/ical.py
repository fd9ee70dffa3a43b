"""iCalendar text for the feeds, made with the icalendar package (RFC 5545 and RFC 7986).

The package's traps are handled here: it adds no VTIMEZONE by itself (we add one per zone used,
before the events), it would default UID and DTSTAMP to random and now (we always set both from the
row), and REFRESH-INTERVAL needs VALUE=DURATION written out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from icalendar import Calendar, Event, Timezone, vDuration

PRODID = "-//Kalender Konten//Kalender Konten 0.1//ID"
REFRESH = timedelta(hours=1)


@lru_cache(maxsize=16)
def vtimezone(zone_name: str) -> bytes:
    """The zone's VTIMEZONE, the same bytes every time (Indonesia has had no DST since 1964).

    icalendar notes its range in a COMMENT on the VTIMEZONE itself, where RFC 5545 allows none
    (only inside STANDARD/DAYLIGHT); libical flags it, so it goes.
    """
    zone = Timezone.from_tzid(zone_name)
    zone.pop("COMMENT", None)
    return zone.to_ical()


def calendar_header(name: str, description: str, color: str) -> bytes:
    """BEGIN:VCALENDAR and its properties, without the closing line."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # No METHOD: a subscription is not an iTIP message, and RFC 5546's PUBLISH would require an
    # ORGANIZER on every event; strict parsers (libical: Evolution, GNOME Calendar) drop them.
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("description", description)
    cal.add("x-wr-caldesc", description)
    cal.add("color", color)
    refresh = vDuration(REFRESH)
    refresh.params["VALUE"] = "DURATION"
    cal.add("refresh-interval", refresh)
    cal.add("x-published-ttl", vDuration(REFRESH))
    text = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert text.endswith(end)
    return text[: -len(end)]


def assemble(header: bytes, zones: list[str], events: list[bytes]) -> bytes:
    return b"".join([header, *(vtimezone(z) for z in sorted(zones)), *events, b"END:VCALENDAR\r\n"])


def event(
    *,
    uid: str,
    summary: str,
    start: datetime | date,
    end: datetime | date,
    stamp: datetime,
    created: datetime,
    sequence: int,
    description: str = "",
    url: str | None = None,
    status: str = "CONFIRMED",
    categories: list[str] | None = None,
    location: str | None = None,
) -> bytes:
    """One VEVENT. Timed starts carry their zone (TZID); dates become VALUE=DATE."""
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", stamp)
    ev.add("created", created)
    ev.add("last-modified", stamp)
    ev.add("sequence", sequence)
    ev.add("summary", summary)
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("status", status)
    ev.add("transp", "TRANSPARENT")
    if description:
        ev.add("description", description)
    if url:
        ev.add("url", url)
    if location:
        ev.add("location", location)
    if categories:
        ev.add("categories", categories)
    return ev.to_ical()
