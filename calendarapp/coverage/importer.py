"""Import the leader's agenda from an .ics file (an aide's Google or Outlook calendar export).

The file is checked whole before anything is written. Importing it again updates the events it
made (matched by UID) and adds the new ones; leader and visibility come from the import form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import Unit, User
from ..extensions import db
from ..feeds.importer import IcsRefused, Imported, calendar_events
from ..timeutil import ZONE_LABELS
from .models import AgendaEvent, Leader, Visibility
from .services import PLACE_MAX, TEXT_MAX, TITLE_MAX, _require_keeper


@dataclass
class _Row:
    uid: str
    title: str
    place: str
    notes: str
    zone: str
    day: date
    starts_at: datetime | None
    ends_at: datetime | None


def _row(event, number: int, unit: Unit) -> _Row:
    try:
        uid = str(event["UID"]).strip()
        title = str(event["SUMMARY"]).strip()
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else None
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise IcsRefused(
            _l("Event %(number)d lacks a UID, a title or a valid start.", number=number)
        ) from error
    if not uid or not title or len(uid) > 255:
        raise IcsRefused(_l("Event %(number)d lacks a UID or a title.", number=number))
    place = str(event.get("LOCATION", "")).strip()[:PLACE_MAX]
    notes = str(event.get("DESCRIPTION", "")).strip()[:TEXT_MAX]
    if not isinstance(start, datetime):  # a whole day: the hours are to be confirmed
        return _Row(uid, title[:TITLE_MAX], place, notes, unit.timezone, start, None, None)
    # an event in one of Indonesia's zones keeps it; floating or foreign times become the unit's
    zone_name = (
        str(start.tzinfo) if start.tzinfo and str(start.tzinfo) in ZONE_LABELS else unit.timezone
    )
    zone = ZoneInfo(zone_name)
    start = start.replace(tzinfo=zone) if start.tzinfo is None else start.astimezone(zone)
    if isinstance(end, datetime):
        end = end.replace(tzinfo=zone) if end.tzinfo is None else end.astimezone(zone)
    else:
        end = start + timedelta(hours=1)
    if end <= start:
        raise IcsRefused(_l("Event %(number)d ends before it starts.", number=number))
    return _Row(uid, title[:TITLE_MAX], place, notes, zone_name, start.date(), start, end)


def import_agenda(
    unit: Unit, by: User, leader: Leader, visibility: Visibility, data: bytes
) -> Imported:
    """Create or update the unit's agenda events from the file; flushes, the caller commits."""
    _require_keeper(by, unit)
    rows, seen = [], set()
    for number, event in enumerate(calendar_events(data), start=1):
        row = _row(event, number, unit)
        if row.uid in seen:
            raise IcsRefused(_l("Event %(number)d repeats a UID.", number=number))
        seen.add(row.uid)
        rows.append(row)
    existing = {
        e.source_uid: e
        for e in db.session.scalars(
            sa.select(AgendaEvent).where(
                AgendaEvent.unit_id == unit.id, AgendaEvent.source_uid.in_(list(seen))
            )
        )
    }
    created = updated = 0
    for row in rows:
        event = existing.get(row.uid)
        if event is None:
            event = AgendaEvent(
                unit=unit,
                source_uid=row.uid,
                leader=leader,
                visibility=visibility,
                created_by=by,
            )
            db.session.add(event)
            created += 1
        else:
            updated += 1
        event.title, event.place, event.notes = row.title, row.place, row.notes
        event.timezone, event.day = row.zone, row.day
        event.starts_at, event.ends_at = row.starts_at, row.ends_at
    db.session.flush()
    return Imported(created, updated)
