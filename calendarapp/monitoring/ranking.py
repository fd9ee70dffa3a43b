"""Comparing units: sorting the scorecard by one of its columns, and the region's medians that a
member compares their own unit with (without seeing the other units)."""

from __future__ import annotations

import math
import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .figures import UnitFigures

# The columns of the scorecard, each a figure one can sort by: (key, value of a UnitFigures).
COLUMNS = {
    "unit": lambda f: f.unit.name.lower(),
    "published": lambda f: f.published,
    "cadence": lambda f: f.cadence,
    "weeks_met": lambda f: f.weeks_met,
    "planned": lambda f: f.planned,
    "on_time": lambda f: f.on_time_rate,
    # never posted is the longest silence of all
    "last": lambda f: math.inf if f.days_since_last is None else f.days_since_last,
    "gap": lambda f: f.longest_gap,
    "story": lambda f: f.story_rate,
    "checked": lambda f: f.checked_rate,
    "pillars": lambda f: f.pillar_gap,
    "next_week": lambda f: f.planned_next_week,
    "rtl": lambda f: f.rtl_overdue * 1000 + f.rtl_open,
    "coverage": lambda f: f.coverage_on_time_rate,
    "followers": lambda f: f.followers.growth_percent,
    "engagement": lambda f: f.posts.engagement,
    "unplanned": lambda f: f.unplanned_rate,
    "amplify": lambda f: f.amplify.rate,
    "flags": lambda f: len(f.flags),
}


def sort_figures(figures: list[UnitFigures], key: str, descending: bool) -> list[UnitFigures]:
    """Sorted by one column; units without a value (no posts to rate) always come last, except
    a unit that never posted, which is the most silent."""
    value = COLUMNS[key]
    known = [f for f in figures if value(f) is not None]
    unknown = [f for f in figures if value(f) is None]
    known.sort(key=lambda f: (value(f), f.unit.name.lower()), reverse=descending)
    return known + sorted(unknown, key=lambda f: f.unit.name.lower())


MEDIAN_FIGURES = ("published", "cadence", "on_time_rate", "story_rate", "checked_rate")


def medians(figures: list[UnitFigures]) -> dict[str, float | None]:
    """The region's median of each rate: a member compares without seeing other units."""
    result: dict[str, float | None] = {}
    for name in MEDIAN_FIGURES:
        values = [v for f in figures if (v := getattr(f, name)) is not None]
        result[name] = round(statistics.median(values), 1) if values else None
    result["days_since_last"] = _median_int([f.days_since_last for f in figures])
    return result


def _median_int(values: list[int | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 1) if known else None
