"""The scorecard's cells as Pantauan shows them: each unit's figures as text, worked out once
per row in Python (both of the page's tables read them) instead of through a Jinja call per
cell — 85 units × 19 figures; plural words come from the per-language memo (i18n.plural).
Only what is shown: the overview's four when the table of every figure stays folded."""

from __future__ import annotations

from typing import NamedTuple

from ..i18n import plural as ngettext
from . import figures as f
from .report import days_ago, engagement_text, follower_text, percent


class WeekCell(NamedTuple):
    heat: str  # off, none, low, part, met
    published: int
    expected: int  # the week's target for its scored days, rounded up


class Overview(NamedTuple):
    """What the overview shows of a unit (the coordinator's first look)."""

    cadence: str
    last: str
    followers: str
    weeks: list[WeekCell]


class Cells(NamedTuple):
    """Every figure of a unit (the table of every figure; the overview reads its four too)."""

    published: str  # "12 / 13"
    cadence: str
    weeks_met: str
    planned: str
    on_time: str
    last: str
    gap: str
    story: str
    without_story: str  # "3 without", or "" when every post had its story
    checked: str
    pillars: str
    next_week: str
    rtl: str
    coverage: str
    followers: str
    engagement: str
    unplanned: str
    amplify: str
    weeks: list[WeekCell]


def cells_of(r: f.UnitFigures) -> Cells:
    without = r.without_story
    amplify = r.amplify
    return Cells(
        published=f"{r.published} / {f.ceil_expected(r.expected)}",
        cadence=percent(r.cadence),
        weeks_met=f"{r.weeks_met} / {r.weeks_scored}",
        planned=str(r.planned),
        on_time=percent(r.on_time_rate),
        last=days_ago(r.days_since_last),
        gap=ngettext("%(num)d day", "%(num)d days", r.longest_gap),
        story=percent(r.story_rate),
        without_story=ngettext("%(num)d without", "%(num)d without", without) if without else "",
        checked=percent(r.checked_rate),
        pillars="–" if r.pillar_gap is None else f"{round(r.pillar_gap)} pp",
        next_week=str(r.planned_next_week),
        rtl=f"{r.rtl_open} / {r.rtl_overdue}",
        coverage=f"{r.coverage_on_time} / {r.coverage_asked}" if r.coverage_asked else "–",
        followers=follower_text(r.followers),
        engagement=engagement_text(r.posts),
        unplanned=f"{r.unplanned} ({percent(r.unplanned_rate)})" if r.unplanned else "–",
        amplify=f"{amplify.on_time} / {amplify.asked}" if amplify.asked else "–",
        weeks=_weeks(r),
    )


def overview_of(r: f.UnitFigures) -> Overview:
    return Overview(
        cadence=percent(r.cadence),
        last=days_ago(r.days_since_last),
        followers=follower_text(r.followers),
        weeks=_weeks(r),
    )


def _weeks(r: f.UnitFigures) -> list[WeekCell]:
    return [WeekCell(w.heat, w.published, f.ceil_expected(w.expected)) for w in r.weeks]


def with_cells(
    rows: list[f.UnitFigures], every_figure: bool
) -> list[tuple[f.UnitFigures, Cells | Overview]]:
    """Each row with its texts: every figure's when that table is shown, else the overview's."""
    of = cells_of if every_figure else overview_of
    return [(r, of(r)) for r in rows]
