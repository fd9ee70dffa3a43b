"""iCalendar text for the feeds, made with the icalendar package (RFC 5545 and RFC 7986).

The package's traps are handled here: it adds no VTIMEZONE by itself (we add one per zone used,
before the events), it would default UID and DTSTAMP to random and now (we always set both from the
row), and REFRESH-INTERVAL needs VALUE=DURATION written out.

An event's lines are written here, with the package's own escaping and date formats (`vText`,
`vDatetime`, `vDate`) and RFC 5545 folding: building a component object per event cost
0.5 ms each — a cold 5,000-item feed took twice the naive rebuild (bench/feeds.py). Three
parsers read every feed in the tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import Calendar, Timezone, vDate, vDatetime, vDuration, vText

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


def _text(value: str) -> bytes:
    return vText(value).to_ical()


def _utc(moment: datetime) -> bytes:
    if moment.tzinfo is UTC:  # the common case, without the package's zone lookups
        return moment.strftime("%Y%m%dT%H%M%SZ").encode()
    return vDatetime(moment).to_ical()


def _when(name: bytes, value: datetime | date) -> bytes:
    """DTSTART/DTEND: a date (VALUE=DATE), an instant in UTC, or a local time with its TZID."""
    if not isinstance(value, datetime):
        return name + b";VALUE=DATE:" + vDate(value).to_ical()
    zone = getattr(value.tzinfo, "key", None)
    if zone in (None, "UTC", "Etc/UTC"):  # UTC, a fixed offset, or floating: as icalendar does
        return name + b":" + _utc(value)
    return name + b";TZID=" + zone.encode() + b":" + value.strftime("%Y%m%dT%H%M%S").encode()


def fold(line: bytes) -> bytes:
    """One content line, folded at 75 octets (a continuation starts with a space), never inside a
    UTF-8 character, with its CRLF."""
    if len(line) <= 75:
        return line + b"\r\n"
    parts, start, limit = [], 0, 75
    while len(line) - start > limit:
        end = start + limit
        while (line[end] & 0xC0) == 0x80:  # a continuation byte: step back to the character
            end -= 1
        parts.append(line[start:end])
        start, limit = end, 74
    parts.append(line[start:])
    return b"\r\n ".join(parts) + b"\r\n"


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
    lines = [
        b"BEGIN:VEVENT",
        b"SUMMARY:" + _text(summary),
        _when(b"DTSTART", start),
        _when(b"DTEND", end),
        b"DTSTAMP:" + _utc(stamp),
        b"UID:" + _text(uid),
        b"SEQUENCE:" + str(int(sequence)).encode(),
        b"CREATED:" + _utc(created),
        b"LAST-MODIFIED:" + _utc(stamp),
        b"STATUS:" + status.encode(),
        b"TRANSP:TRANSPARENT",
    ]
    if description:
        lines.append(b"DESCRIPTION:" + _text(description))
    if url:
        lines.append(b"URL:" + url.encode())
    if location:
        lines.append(b"LOCATION:" + _text(location))
    if categories:
        lines.append(b"CATEGORIES:" + b",".join(_text(c) for c in categories))
    lines.append(b"END:VEVENT")
    return b"".join(fold(line) for line in lines)
