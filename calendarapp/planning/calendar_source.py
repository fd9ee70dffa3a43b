"""A unit's recurring slots on the days of the month and week views (calendarapp/sources.py):
the places not yet filled (nor skipped), as placeholders until they are planned."""

from __future__ import annotations

from ..sources import Looking
from . import slots


class GapDays:
    def place(self, looking: Looking) -> dict:
        if looking.filters.active:
            return {"gaps": {}}  # a filtered view shows items that match, not empty places
        found = slots.occurrences(looking.unit_ids, looking.days)
        return {"gaps": slots.by_day([o for o in found if o.empty])}


GAP_DAYS = GapDays()
