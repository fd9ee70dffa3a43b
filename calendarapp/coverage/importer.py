"""Import the leader's agenda from an .ics file (an aide's Google or Outlook calendar export).

The file is checked whole before anything is written. Importing it again updates the events it
made (matched by UID) and adds the new ones; leader and visibility come from the import form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..accounts.models import Unit, User
from ..extensions import db
from ..feeds.importer import IcsEvent, IcsRefused, Imported, read_events
from ..i18n import lazy_phrase as _l
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


def _row(event: IcsEvent, unit: Unit) -> _Row:
    title = event.name[:TITLE_MAX]
    place, notes = event.location[:PLACE_MAX], event.description[:TEXT_MAX]
    start, end = event.start, event.end
    if not isinstance(start, datetime):  # a whole day: the hours are to be confirmed
        return _Row(event.uid, title, place, notes, unit.timezone, start, None, None)
    # an event in one of Indonesia's zones keeps it; floating or foreign times become the unit's
    zone_name = (
        str(start.tzinfo) if start.tzinfo and str(start.tzinfo) in ZONE_LABELS else unit.timezone
    )
    zone = ZoneInfo(zone_name)
    start = start.replace(tzinfo=zone) if start.tzinfo is None else start.astimezone(zone)
    if isinstance(end, datetime):
        end = end.replace(tzinfo=zone) if end.tzinfo is None else end.astimezone(zone)
    else:
        end = start + timedelta(hours=1)  # within the years read_events allows: no overflow
    if end <= start:
        raise IcsRefused(_l("Event %(number)d ends before it starts.", number=event.number))
    return _Row(event.uid, title, place, notes, zone_name, start.date(), start, end)


def import_agenda(
    unit: Unit, by: User, leader: Leader, visibility: Visibility, data: bytes
) -> Imported:
    """Create or update the unit's agenda events from the file; flushes, the caller commits."""
    _require_keeper(by, unit)
    rows = [_row(event, unit) for event in read_events(data)]
    seen = [row.uid for row in rows]
    existing = {
        e.source_uid: e
        for e in db.session.scalars(
            sa.select(AgendaEvent).where(
                AgendaEvent.unit_id == unit.id, AgendaEvent.source_uid.in_(seen)
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
