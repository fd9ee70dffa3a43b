"""Queries behind the calendar views: a fixed number of queries whatever the number of items."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from ..accounts.models import Unit
from ..content.models import ContentItem
from ..extensions import db
from ..timeutil import DateRange, local


@dataclass(frozen=True)
class CalendarEntry:
    """An item on the calendar: its local day in its unit's zone and, if timed, its local time."""

    item: ContentItem
    day: date
    local_time: datetime | None

    @property
    def sort_key(self) -> tuple:
        # Whole-day items first, then by local time of day, then by title.
        moment = self.local_time.time() if self.local_time else None
        return (moment is not None, moment, self.item.title.lower(), self.item.id)


def entries_by_day(unit_ids: list[int], days: DateRange) -> dict[date, list[CalendarEntry]]:
    """The items of these units that fall on each day of the range, each on its unit's local day."""
    if not unit_ids:
        return {}
    low, high = days.utc_bounds()
    query = (
        sa.select(ContentItem)
        .join(ContentItem.unit)
        .options(contains_eager(ContentItem.unit), joinedload(ContentItem.theme))
        .where(
            ContentItem.unit_id.in_(unit_ids),
            Unit.active.is_(True),
            sa.or_(
                ContentItem.planned_at.between(low, high),
                ContentItem.planned_date.between(days.start, days.end),
            ),
        )
    )
    by_day: dict[date, list[CalendarEntry]] = defaultdict(list)
    for item in db.session.scalars(query).unique():
        moment = local(item.planned_at, item.unit.timezone) if item.planned_at else None
        entry = CalendarEntry(item, item.local_day(), moment)
        if days.start <= entry.day <= days.end:
            by_day[entry.day].append(entry)
    for entries in by_day.values():
        entries.sort(key=lambda e: e.sort_key)
    return dict(by_day)
