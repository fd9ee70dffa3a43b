"""A unit's recurring slots on the days of the month and week views (calendarapp/sources.py):
the places not yet filled (nor skipped), as placeholders until they are planned."""

from __future__ import annotations

from datetime import date

from flask import url_for

from ..i18n import phrase as _  # the same words on every chip: looked up once
from ..sources import DayChip, Looking
from ..timeutil import format_week, zone_label
from . import slots


class GapDays:
    kind = "gap"

    def place(self, looking: Looking) -> dict[date, list[DayChip]]:
        if looking.filters.active:
            return {}  # a filtered view shows items that match, not empty places
        found = slots.occurrences(looking.unit_ids, looking.days)
        return {
            day: [_chip(o) for o in occurrences]
            for day, occurrences in slots.by_day([o for o in found if o.empty]).items()
        }


def _chip(o: slots.Occurrence) -> DayChip:
    """An empty place: it leads to the week plan, where one click fills it."""
    slot = o.slot
    title = _("Empty slot: %(title)s", title=slot.title)
    at = f"{slot.at.strftime('%H.%M')} {zone_label(slot.unit.timezone)}" if slot.at else None
    return DayChip(
        "gap",
        ("slot-id", slot.id),
        at or _("All day"),
        title,
        f"{title} · {slot.unit.short_name}",
        href=url_for("week_plan.week", unit=slot.unit_id, week=format_week(o.day)),
        color=slot.pillar.color if slot.pillar else slot.unit.color,
    )


GAP_DAYS = GapDays()
