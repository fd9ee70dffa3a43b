"""The monthly report for the Bupati and Sekda: its figures, a chart, WhatsApp text and a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_decimal

from ..accounts.models import Unit, User
from ..amplification.reach import RequestFigures, due_between
from ..content.platforms import Platform
from ..coverage.models import AgendaEvent, CoverageRequest
from ..coverage.workflow import CoverageStatus
from ..extensions import db
from ..i18n import format_day_pattern
from ..i18n import lazy_phrase as _l
from ..i18n import phrase as _  # words said on every row: looked up once per language
from ..i18n import plural as ngettext
from ..mentoring.models import ActionItem, ActionStatus, MentoringNote, Training
from ..performance.figures import FollowerFigures, MetricRow, PostFigures, best_posts, by_platform
from ..timeutil import DateRange, add_months, today
from . import figures as f
from . import ranking, services

FLAG_LABELS = {
    f.SILENT: _l("Silent"),
    f.BELOW_TARGET: _l("Below target"),
    f.NO_PLAN: _l("No plan for next week"),
    f.RTL_LATE: _l("RTL overdue"),
    f.FOLLOWERS_FELL: _l("Followers fell"),
    f.NO_FIGURES: _l("No performance data"),
    f.REVIEW_LATE: _l("Late in review"),
    f.AMPLIFY_BEHIND: _l("Amplification behind"),
}
TOP = 5


def region_today() -> date:
    return today(current_app.config["REGION_TIMEZONE"])


def flag_label(flag: str) -> str:
    return str(FLAG_LABELS[flag])


def days_ago(days: float | None) -> str:
    """'hari ini', '3 hari lalu', or 'belum pernah' for a unit that never posted."""
    if days is None:
        return _("never")
    days = int(days + 0.5)  # a median of 2.5 days reads 3, as Jinja's round did
    return _("today") if days == 0 else ngettext("%(num)d day ago", "%(num)d days ago", days)


def signed(value: float) -> str:
    return ("+" if value > 0 else ("±" if value == 0 else "−")) + format_decimal(abs(value))


def follower_text(followers: FollowerFigures) -> str:
    """'12.400 (+2,6 %)': followers now and their growth over the period, or '–'."""
    if followers.now is None:
        return "–"
    text = format_decimal(followers.now)
    growth = followers.growth_percent
    return text if growth is None else f"{text} ({signed(growth)} %)"


def engagement_text(posts: PostFigures) -> str:
    """'4,2 % (R)': the engagement rate and what it is measured against (reach or followers)."""
    if posts.engagement is None:
        return "–"
    basis = _("R") if posts.basis == "reach" else _("F")
    return f"{format_decimal(posts.engagement)} % ({basis})"


def rate(value: float | None) -> str:
    """'4,25 %' with the language's decimal mark, or '–'."""
    return "–" if value is None else f"{format_decimal(value)} %"


def percent(value: float | None) -> str:
    """'87 %' (or '–' when there is nothing to rate), as on the page, the PDF and the text."""
    return "–" if value is None else f"{round(value):d} %"


@dataclass(frozen=True)
class Totals:
    units: int
    published: int
    expected: float
    with_story: int
    met_target: int  # units that published at least what they expected
    silent: int
    reach: int  # of the measured posts that had a reach
    reached_interactions: int  # the interactions of those posts
    amplify_asked: int = 0  # requests to amplify due in the period, over the units asked
    amplify_on_time: int = 0  # ... answered on time (amplification/figures.py)

    @property
    def cadence(self) -> float | None:
        return round(100 * self.published / self.expected, 1) if self.expected else None

    @property
    def story_rate(self) -> float | None:
        return round(100 * self.with_story / self.published, 1) if self.published else None

    @property
    def amplify_rate(self) -> float | None:
        if not self.amplify_asked:
            return None
        return round(100 * self.amplify_on_time / self.amplify_asked, 1)

    @property
    def engagement(self) -> float | None:
        """The region's engagement rate: interactions ÷ reach of the posts measured by reach."""
        return round(100 * self.reached_interactions / self.reach, 2) if self.reach else None


def totals(rows: list[f.UnitFigures]) -> Totals:
    return Totals(
        units=len(rows),
        published=sum(r.published for r in rows),
        expected=sum(r.expected for r in rows),
        with_story=sum(r.with_story for r in rows),
        met_target=sum(1 for r in rows if r.expected > 0 and r.published >= r.expected),
        silent=sum(1 for r in rows if f.SILENT in r.flags),
        reach=sum(r.posts.reach or 0 for r in rows),
        reached_interactions=sum(r.posts.reached_interactions for r in rows),
        amplify_asked=sum(r.amplify.asked for r in rows),
        amplify_on_time=sum(r.amplify.on_time for r in rows),
    )


@dataclass(frozen=True)
class FollowThrough:
    trainings: int
    notes: int
    rtl_due: int
    rtl_done: int
    rtl_open: int
    rtl_overdue: int


@dataclass(frozen=True)
class AgendaCoverage:
    events: int
    asked: int  # events with at least one coverage request
    delivered: int  # events with a delivered or finished request
    requests: int
    on_time: int


@dataclass
class MonthlyReport:
    month: date
    card: services.Scorecard
    now: Totals
    before: Totals
    best: list[f.UnitFigures]
    lowest: list[f.UnitFigures]
    silent: list[f.UnitFigures]
    follow_through: FollowThrough
    agenda: AgendaCoverage
    platforms: dict[str, FollowerFigures]  # the region's followers per platform
    fell: list[f.UnitFigures]  # units whose followers fell, the steepest first
    top_posts: list[tuple[str, MetricRow]]  # (unit's short name, post): the month's best five
    never_amplified: list[f.UnitFigures]  # asked to amplify, answered none on time
    amplified: list[RequestFigures]  # the requests due in the month, with their reach

    @property
    def amplify_line(self) -> str:
        """The region's amplification in one sentence (page, PDF and WhatsApp alike)."""
        now = self.now
        return _(
            "Amplification: %(on_time)d of %(asked)d requests answered on time (%(rate)s); "
            "never on time: %(units)s",
            on_time=now.amplify_on_time,
            asked=now.amplify_asked,
            rate=percent(now.amplify_rate),
            units=", ".join(r.unit.short_name for r in self.never_amplified) or "–",
        )

    @property
    def last_day(self) -> date:
        return add_months(self.month, 1) - timedelta(days=1)


def monthly(viewer: User, month: date) -> MonthlyReport:
    card = services.scorecard(viewer, f.month_period(month))
    # the month before gives its totals only, which read no followers (6 of the PDF's 150 ms)
    before = services.scorecard(viewer, f.month_period(add_months(month, -1)), followers=False)
    rated = [r for r in card.rows if r.cadence is not None]
    best = ranking.sort_figures(rated, "cadence", True)[:TOP]
    lowest = [r for r in ranking.sort_figures(rated, "cadence", False) if r not in best][:TOP]
    return MonthlyReport(
        month=month,
        card=card,
        now=totals(card.rows),
        before=totals(before.rows),
        best=best,
        lowest=lowest,
        silent=ranking.sort_figures(card.flagged(f.SILENT), "last", True),
        follow_through=_follow_through(month),
        agenda=_agenda(month),
        platforms=_platforms(card),
        top_posts=_top_posts(card),
        fell=ranking.sort_figures(card.flagged(f.FOLLOWERS_FELL), "followers", False),
        never_amplified=ranking.sort_figures(
            [r for r in card.rows if r.amplify.asked and not r.amplify.on_time], "unit", False
        ),
        amplified=due_between(*_month_bounds(month)),
    )


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first and next month's first instants in the region's zone."""
    zone = ZoneInfo(current_app.config["REGION_TIMEZONE"])
    return (
        datetime.combine(month, time(), zone),
        datetime.combine(add_months(month, 1), time(), zone),
    )


def _top_posts(card: services.Scorecard) -> list[tuple[str, MetricRow]]:
    """The month's best posts of the units in the report, from the posts its figures read."""
    names = {r.unit.id: r.unit.short_name for r in card.rows}
    mine = [post for post in card.metrics if post.unit_id in names]
    best = best_posts(mine, card.period.days.start, card.period.days.end, TOP)
    return [(names[post.unit_id], post) for post in best]


def _platforms(card: services.Scorecard) -> dict[str, FollowerFigures]:
    """The followers of every unit's accounts, per platform, over the report's month."""
    unit_ids = [r.unit.id for r in card.rows]
    period = card.period
    as_of = period.as_of(region_today())
    return by_platform(
        services.accounts_of(unit_ids),
        services.follower_counts(unit_ids, period.days.start, as_of),
        period.days.start,
        as_of,
    )


def _follow_through(month: date) -> FollowThrough:
    """The RTL due in the month as they stood at its end (or today, for the current month)."""
    end = add_months(month, 1)
    last = end - timedelta(days=1)
    as_of = min(region_today(), last)
    closed = sa.and_(
        ActionItem.closed_at.is_not(None), ActionItem.closed_at < services.after_day(last)
    )
    rtl = db.session.execute(
        sa.select(ActionItem.status, ActionItem.due_on, closed.label("closed"))
        .join(ActionItem.note)
        .join(Unit, Unit.id == MentoringNote.unit_id)
        .where(ActionItem.due_on >= month, ActionItem.due_on < end)
    ).all()
    low, high = DateRange(month, last).utc_bounds()
    trainings = db.session.scalar(
        sa.select(sa.func.count(Training.id)).where(
            Training.starts_at >= low, Training.starts_at < high
        )
    )
    notes = db.session.scalar(
        sa.select(sa.func.count(MentoringNote.id)).where(
            MentoringNote.noted_on >= month, MentoringNote.noted_on < end
        )
    )
    open_ = [row.due_on for row in rtl if not row.closed]
    return FollowThrough(
        trainings=trainings or 0,
        notes=notes or 0,
        rtl_due=len(rtl),
        rtl_done=sum(1 for row in rtl if row.closed and row.status == ActionStatus.SELESAI),
        rtl_open=len(open_),
        rtl_overdue=sum(1 for due in open_ if due < as_of),
    )


def _agenda(month: date) -> AgendaCoverage:
    end = add_months(month, 1)
    delivered = (CoverageStatus.DISERAHKAN, CoverageStatus.SELESAI)
    on_time = services.first_delivery()
    rows = db.session.execute(
        sa.select(
            AgendaEvent.id,
            CoverageRequest.id,
            CoverageRequest.status,
            sa.and_(on_time.is_not(None), on_time <= CoverageRequest.due_at),
        )
        .outerjoin(
            CoverageRequest,
            sa.and_(
                CoverageRequest.event_id == AgendaEvent.id,
                CoverageRequest.status != CoverageStatus.DIBATALKAN,
            ),
        )
        .where(AgendaEvent.day >= month, AgendaEvent.day < end, AgendaEvent.cancelled.is_(False))
    ).all()
    events = {row[0] for row in rows}
    requests = [row for row in rows if row[1] is not None]
    return AgendaCoverage(
        events=len(events),
        asked=len({row[0] for row in requests}),
        delivered=len({row[0] for row in requests if row[2] in delivered}),
        requests=len(requests),
        on_time=sum(1 for row in requests if row[3]),
    )


# ---- the unit's trend as a server-rendered chart ----------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    h: float
    week: f.WeekFigure
    target_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bar: int
    bars: list[Bar]


def trend_chart(weeks: list[f.WeekFigure], height: int = 120, bar: int = 22) -> Chart:
    """Published posts per week as bars, each week's target as a tick above its bar."""
    gap = 14
    top = max([w.published for w in weeks] + [w.target for w in weeks] + [1])
    scale = (height - 10) / top
    bars = []
    for n, week in enumerate(weeks):
        h = week.published * scale
        bars.append(
            Bar(
                x=gap + n * (bar + gap),
                y=height - h,
                h=h,
                week=week,
                target_y=height - week.target * scale,
            )
        )
    return Chart(width=gap + len(weeks) * (bar + gap), height=height, bar=bar, bars=bars)


# ---- WhatsApp ---------------------------------------------------------------------------------


def month_name(month: date) -> str:
    return format_day_pattern(month, "MMMM yyyy")


def _change(now: float | None, before: float | None, unit: str = "") -> str:
    if now is None or before is None:
        return ""
    delta = round(now - before)
    sign = "+" if delta > 0 else ("±" if delta == 0 else "−")
    return " (" + _("%(change)s vs last month", change=f"{sign}{abs(delta)}{unit}") + ")"


def whatsapp_text(data: MonthlyReport, link: str) -> str:
    """The report's headline figures as plain text with WhatsApp bold."""
    now, before = data.now, data.before
    lines = [
        "*" + _("Social media monitoring — %(month)s", month=month_name(data.month)) + "*",
        "",
        _("Units: %(num)d", num=now.units),
        _("Published posts: %(num)d", num=now.published) + _change(now.published, before.published),
        _("Cadence against targets: %(rate)s", rate=percent(now.cadence))
        + _change(now.cadence, before.cadence, " pp"),
        _("Units on target: %(num)d of %(total)d", num=now.met_target, total=now.units),
        _("Posts with a story: %(rate)s", rate=percent(now.story_rate)),
        "",
        "*" + _("Best units") + "*",
        *[f"{n}. {r.unit.short_name} — {percent(r.cadence)}" for n, r in enumerate(data.best, 1)],
        "",
        "*" + _("Lowest units") + "*",
        *[f"{n}. {r.unit.short_name} — {percent(r.cadence)}" for n, r in enumerate(data.lowest, 1)],
        "",
        "*" + _("Silent units (%(num)d)", num=len(data.silent)) + "*",
        ", ".join(r.unit.short_name for r in data.silent) or "–",
        "",
        "*" + _("Followers") + "*",
        *[
            f"{Platform(name).label}: {follower_text(figures)}"
            for name, figures in data.platforms.items()
        ],
        _(
            "Followers fell: %(units)s",
            units=", ".join(r.unit.short_name for r in data.fell) or "–",
        ),
        _("Reach of measured posts: %(num)s", num=format_decimal(now.reach))
        + _change(now.reach, before.reach),
        _("Engagement rate: %(rate)s", rate=rate(now.engagement)),
        data.amplify_line,
        "",
        "*" + _("Best posts") + "*",
        *[
            f"{n}. {unit} — {post.title} ({post.interactions})"
            for n, (unit, post) in enumerate(data.top_posts, 1)
        ],  # fmt: skip
        "",
        _(
            "RTL due this month: %(done)d done, %(open)d open, %(late)d overdue",
            done=data.follow_through.rtl_done,
            open=data.follow_through.rtl_open,
            late=data.follow_through.rtl_overdue,
        ),
        _(
            "Leader's agenda: %(events)d events, %(asked)d with coverage requested, "
            "%(delivered)d delivered",
            events=data.agenda.events,
            asked=data.agenda.asked,
            delivered=data.agenda.delivered,
        ),
        "",
        link,
    ]
    return "\n".join(lines)
