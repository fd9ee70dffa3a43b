"""The scorecard as CSV and XLSX: one row per unit, numbers as numbers, formulas neutralised."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from ..i18n import phrase as _
from ..timeutil import format_month
from ..web import safe_text
from . import figures as f
from .report import flag_label
from .services import Scorecard


def period_slug(period: f.Period) -> str:
    if period.month is not None:
        return format_month(period.month)
    return f"{period.days.start.isoformat()}_{period.days.end.isoformat()}"


def _header() -> list[str]:
    return [
        _("Unit"),
        _("Short name"),
        _("Kind"),
        _("From"),
        _("To"),
        _("Weekly target"),
        _("Published"),
        _("Expected"),
        _("Cadence (%)"),
        _("Weeks on target"),
        _("Weeks scored"),
        _("Posts planned"),
        _("On time (%)"),
        _("Days since the last post"),
        _("Longest gap (days)"),
        _("With a story"),
        _("Without a story"),
        _("With a story (%)"),
        _("Checklist passed (%)"),
        _("Pillar gap (pp)"),
        _("Planned next week"),
        _("RTL open"),
        _("RTL overdue"),
        _("Coverage requests"),
        _("Coverage answered"),
        _("Coverage on time"),
        _("Followers"),
        _("Followers gained"),
        _("Follower growth in percent"),
        _("Posts measured"),
        _("Views per post"),
        _("Engagement rate (%)"),
        _("Engagement measured against"),
        _("Unplanned"),
        _("Amplification asked"),
        _("Amplification answered on time"),
        _("Flags"),
    ]


def _rows(card: Scorecard) -> list[list]:
    period = card.period
    rows = []
    for r in card.rows:
        rows.append(
            [
                safe_text(r.unit.name),
                safe_text(r.unit.short_name),
                r.unit.kind,
                period.days.start,
                period.days.end,
                r.unit.target_for(period.mondays[-1]),
                r.published,
                round(r.expected, 2),
                r.cadence,
                r.weeks_met,
                r.weeks_scored,
                r.planned,
                r.on_time_rate,
                r.days_since_last,
                r.longest_gap,
                r.with_story,
                r.without_story,
                r.story_rate,
                r.checked_rate,
                r.pillar_gap,
                r.planned_next_week,
                r.rtl_open,
                r.rtl_overdue,
                r.coverage_asked,
                r.coverage_answered,
                r.coverage_on_time,
                r.followers.now,
                r.followers.gained,
                r.followers.growth_percent,
                r.posts.posts,
                r.posts.views_per_post,
                r.posts.engagement,
                {"reach": _("Reach"), "followers": _("Followers")}.get(r.posts.basis or "", ""),
                r.unplanned,
                r.amplify.asked,
                r.amplify.on_time,
                ", ".join(flag_label(x) for x in r.flags),
            ]
        )
    if not card.all_units:  # a member compares with the region without seeing other units
        median = card.region
        rows.append(
            [_("Region median"), "", "", period.days.start, period.days.end, None]
            + [median["published"], None, median["cadence"], None, None, None]
            + [median["on_time_rate"], median["days_since_last"], None, None, None]
            + [median["story_rate"], median["checked_rate"]]
            + [None] * 18
        )
    return rows


def scorecard_csv(card: Scorecard) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header())
    for row in _rows(card):
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def scorecard_xlsx(card: Scorecard) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Scorecard"))
    sheet.append(_header())
    for row in _rows(card):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
