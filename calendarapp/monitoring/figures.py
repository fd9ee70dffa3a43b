"""Every Pantauan figure, defined once, on plain rows, in each unit's own time zone.

The services read the rows (a fixed number of queries); this module turns them into figures.
Definitions, as the page explains them:

- a post is *published* in the week or month of its publication day (posted_at) in the unit's
  zone; *planned* items are those planned for a day of the period, cancelled ones excepted;
- the *expected* number of posts is the weekly target of each week (as it was that week) for
  the days of the week inside the period since the unit was created: a whole week expects the
  target, a week cut by the period's edge or the unit's creation expects its share of days;
- *cadence* is published / expected; a week *met its target* when it published at least what it
  expected;
- *on time*: published no later than its planned day (both in the unit's zone);
- *silent*: no published post for N days (the region's SILENT_DAYS, default 14);
- the *longest gap* is the longest run of days in the period without a published post.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ..amplification.figures import AskedRow, Compliance, compliance
from ..content.workflow import on_time
from ..performance.figures import (
    AccountRow,
    CountRow,
    FollowerFigures,
    MetricRow,
    PostFigures,
    followers_of,
    post_figures,
)
from ..timeutil import DateRange, add_months, monday_of

DEFAULT_SILENT_DAYS = 14


@dataclass(frozen=True)
class Period:
    """The days scored: N whole weeks, or one month."""

    days: DateRange
    weeks: int | None = None  # N for "the last N weeks"
    month: date | None = None  # the first of the month

    def as_of(self, today: date) -> date:
        """The day the figures describe: today, but a past month as it stood on its last day
        (days since the last post, overdue RTL, next week's plan)."""
        return min(today, self.days.end) if self.month is not None else today

    @property
    def mondays(self) -> list[date]:
        first = monday_of(self.days.start)
        count = (self.days.end - first).days // 7 + 1
        return [first + timedelta(days=7 * i) for i in range(count)]


def last_weeks(today: date, weeks: int) -> Period:
    """The N whole weeks before the current one: a week in progress is not scored yet."""
    end = monday_of(today) - timedelta(days=1)
    return Period(DateRange(end - timedelta(days=7 * weeks - 1), end), weeks=weeks)


def month_period(first: date) -> Period:
    return Period(DateRange(first, add_months(first, 1) - timedelta(days=1)), month=first)


# ---- the rows the services read ------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    short_name: str
    kind: str
    timezone: str
    created_at: datetime
    weekly_target: int
    # (Monday it starts, target): the unit's targets over time; empty when never changed
    targets: tuple[tuple[date, int], ...] = ()

    def target_for(self, monday: date) -> int:
        current = None
        for starts_on, target in sorted(self.targets):
            if starts_on <= monday:
                current = target
            elif current is None:
                current = target  # before the first recorded change: its first value
        return self.weekly_target if current is None else current

    def first_day(self) -> date:
        return self.created_at.astimezone(ZoneInfo(self.timezone)).date()


class ItemRow(NamedTuple):
    """A named tuple, not a dataclass: a four-week Pantauan reads ~1,800 of them, straight
    from the statement's columns in this order (a frozen dataclass cost 1.2 µs a row)."""

    unit_id: int
    published: bool
    cancelled: bool
    planned_at: datetime | None
    planned_date: date | None
    posted_at: datetime | None
    theme_id: int | None
    has_story: bool
    checked: bool  # every required check ticked
    unplanned: bool = False  # went out without being planned (found in an export)

    def planned_day(self, zone: ZoneInfo) -> date | None:
        if self.planned_at is not None:
            return self.planned_at.astimezone(zone).date()
        return self.planned_date

    def posted_day(self, zone: ZoneInfo) -> date | None:
        if not self.published or self.posted_at is None:
            return None
        return self.posted_at.astimezone(zone).date()


@dataclass(frozen=True)
class Pillar:
    id: int
    unit_id: int
    name: str
    intended: int  # percent


@dataclass(frozen=True)
class CoverageRow:
    unit_id: int
    answered: bool
    delivered_on_time: bool


@dataclass
class Inputs:
    units: list[UnitRow]
    items: list[ItemRow] = field(default_factory=list)
    last_posted: dict[int, datetime] = field(default_factory=dict)  # up to the period's as_of
    pillars: list[Pillar] = field(default_factory=list)
    open_actions: list[tuple[int, date]] = field(default_factory=list)  # (unit id, due on)
    coverage: list[CoverageRow] = field(default_factory=list)
    accounts: list[AccountRow] = field(default_factory=list)  # the units' official accounts
    follower_counts: list[CountRow] = field(default_factory=list)
    metrics: list[MetricRow] = field(default_factory=list)  # the posts' figures from exports
    # items in review now, with their planned day's parts (read for a period that includes today)
    in_review: list[ItemRow] = field(default_factory=list)
    asked: list[AskedRow] = field(default_factory=list)  # requests to amplify, with answer times


# ---- the figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigure:
    monday: date
    target: int
    expected: float
    published: int
    planned: int
    on_time: int
    with_story: int

    @property
    def met(self) -> bool:
        return self.published >= self.expected

    @property
    def heat(self) -> str:
        """The overview's shade: off (nothing expected), none, low (under half), part, met."""
        if self.expected <= 0:
            return "off"
        share = self.published / self.expected
        return "met" if share >= 1 else "part" if share >= 0.5 else "low" if share else "none"


@dataclass(frozen=True)
class PillarFigure:
    name: str
    intended: int
    actual: float | None  # percent of published posts in the period


SILENT, BELOW_TARGET, NO_PLAN, RTL_LATE = "silent", "below_target", "no_plan", "rtl_late"
FOLLOWERS_FELL, NO_FIGURES, REVIEW_LATE = "followers_fell", "no_figures", "review_late"
AMPLIFY_BEHIND = "amplify_behind"
FLAGS = (SILENT, BELOW_TARGET, NO_PLAN, RTL_LATE, FOLLOWERS_FELL, NO_FIGURES, REVIEW_LATE,
         AMPLIFY_BEHIND)  # fmt: skip


@dataclass
class UnitFigures:
    unit: UnitRow
    weeks: list[WeekFigure]
    published: int
    expected: float
    planned: int
    planned_dated: int  # published posts that had a planned day
    on_time: int
    with_story: int
    checked: int
    days_since_last: int | None  # None: never published
    longest_gap: int
    pillars: list[PillarFigure]
    planned_next_week: int
    rtl_open: int
    rtl_overdue: int
    coverage_asked: int
    coverage_answered: int
    coverage_on_time: int
    followers: FollowerFigures  # performance/figures.py
    posts: PostFigures  # what the measured posts did (performance/figures.py)
    unplanned: int  # published posts that went out unplanned
    review_late: int  # items still in review after their planned day (today's periods only)
    amplify: Compliance  # requests to amplify: answered on time ÷ asked (amplification/figures.py)
    flags: list[str]

    @staticmethod
    def _share(top: float, bottom: float) -> float | None:
        return round(100 * top / bottom, 1) if bottom else None

    @property
    def cadence(self) -> float | None:
        return self._share(self.published, self.expected)

    @property
    def weeks_met(self) -> int:
        return sum(1 for w in self.weeks if w.expected > 0 and w.met)

    @property
    def weeks_scored(self) -> int:
        return sum(1 for w in self.weeks if w.expected > 0)

    @property
    def on_time_rate(self) -> float | None:
        return self._share(self.on_time, self.planned_dated)

    @property
    def story_rate(self) -> float | None:
        return self._share(self.with_story, self.published)

    @property
    def without_story(self) -> int:
        return self.published - self.with_story

    @property
    def checked_rate(self) -> float | None:
        return self._share(self.checked, self.published)

    @property
    def pillar_gap(self) -> float | None:
        """The largest distance, in percentage points, between a pillar's share and its aim."""
        gaps = [abs((p.actual or 0) - p.intended) for p in self.pillars]
        return round(max(gaps), 1) if gaps and self.published else None

    @property
    def unplanned_rate(self) -> float | None:
        return self._share(self.unplanned, self.published)

    @property
    def coverage_on_time_rate(self) -> float | None:
        return self._share(self.coverage_on_time, self.coverage_asked)

    @property
    def coverage_answered_rate(self) -> float | None:
        return self._share(self.coverage_answered, self.coverage_asked)


def compute(
    inputs: Inputs, period: Period, today_of, silent_days: int = DEFAULT_SILENT_DAYS
) -> list[UnitFigures]:
    """The figures of every unit in the inputs. `today_of(zone name)` gives a zone's today; a
    past month is scored as it stood on its last day (`Period.as_of`)."""
    items_by_unit: dict[int, list[ItemRow]] = {u.id: [] for u in inputs.units}
    for item in inputs.items:
        items_by_unit.setdefault(item.unit_id, []).append(item)
    pillars: dict[int, list[Pillar]] = {}
    for pillar in inputs.pillars:
        pillars.setdefault(pillar.unit_id, []).append(pillar)
    coverage: dict[int, list[CoverageRow]] = {}
    for row in inputs.coverage:
        coverage.setdefault(row.unit_id, []).append(row)
    actions: dict[int, list[date]] = {}
    for unit_id, due_on in inputs.open_actions:
        actions.setdefault(unit_id, []).append(due_on)
    accounts: dict[int, list[AccountRow]] = {}
    for account in inputs.accounts:
        accounts.setdefault(account.unit_id, []).append(account)
    counts: dict[int, list[CountRow]] = {}
    for count in inputs.follower_counts:
        counts.setdefault(count.account_id, []).append(count)
    metrics: dict[int, list[MetricRow]] = {}
    for metric in inputs.metrics:
        metrics.setdefault(metric.unit_id, []).append(metric)
    in_review: dict[int, list[ItemRow]] = {}
    for row in inputs.in_review:
        in_review.setdefault(row.unit_id, []).append(row)
    asked: dict[int, list[AskedRow]] = {}
    for request in inputs.asked:
        asked.setdefault(request.unit_id, []).append(request)
    return [
        _unit_figures(
            unit,
            items_by_unit.get(unit.id, []),
            inputs.last_posted.get(unit.id),
            pillars.get(unit.id, []),
            actions.get(unit.id, []),
            coverage.get(unit.id, []),
            period,
            period.as_of(today_of(unit.timezone)),
            silent_days,
            followers_of(
                accounts.get(unit.id, []),
                [c for a in accounts.get(unit.id, []) for c in counts.get(a.id, [])],
                period.days.start,
                period.as_of(today_of(unit.timezone)),
            ),
            metrics.get(unit.id, []),
            in_review.get(unit.id, []),
            asked.get(unit.id, []),
        )
        for unit in inputs.units
    ]


def _unit_figures(
    unit: UnitRow,
    items: list[ItemRow],
    last_posted: datetime | None,
    pillars: list[Pillar],
    due_dates: list[date],
    coverage: list[CoverageRow],
    period: Period,
    today: date,
    silent_days: int,
    followers: FollowerFigures,
    metrics: list[MetricRow],
    in_review: list[ItemRow],
    asked: list[AskedRow],
) -> UnitFigures:
    zone = ZoneInfo(unit.timezone)
    start, end = period.days.start, period.days.end
    first_day = max(start, unit.first_day())
    # Days not yet lived are not scored: a month in progress counts up to today.
    last_day = min(end, today)
    in_period = lambda day: day is not None and first_day <= day <= last_day  # noqa: E731
    # Each item's local days, worked out once: (item, posted day, planned day).
    local = [(i, i.posted_day(zone), None if i.cancelled else i.planned_day(zone)) for i in items]
    published = [(i, posted, planned) for i, posted, planned in local if in_period(posted)]
    planned_days = Counter(planned for _i, _posted, planned in local if in_period(planned))
    posted_days = Counter(posted for _i, posted, _planned in published)

    weeks = []
    for monday in period.mondays:
        # the week's days that are scored: within the period, since the unit began, until today
        low, high = max(monday, first_day), min(monday + timedelta(days=6), last_day)
        target = unit.target_for(monday)
        week = [(i, posted, planned) for i, posted, planned in published if low <= posted <= high]
        weeks.append(
            WeekFigure(
                monday=monday,
                target=target,
                expected=target * max(0, (high - low).days + 1) / 7,
                published=len(week),
                planned=sum(n for day, n in planned_days.items() if low <= day <= high),
                on_time=sum(1 for _i, posted, planned in week if on_time(posted, planned)),
                with_story=sum(1 for i, _posted, _planned in week if i.has_story),
            )
        )

    dated = [(posted, planned) for _i, posted, planned in published if planned is not None]
    next_monday = monday_of(today) + timedelta(days=7)
    next_week = DateRange(next_monday, next_monday + timedelta(days=6))
    last_day_posted = last_posted.astimezone(zone).date() if last_posted else None
    days_since = (today - last_day_posted).days if last_day_posted else None

    posts = [i for i, _posted, _planned in published]
    counted = Counter(i.theme_id for i in posts)
    pillar_figures = [
        PillarFigure(
            p.name,
            p.intended,
            round(100 * counted[p.id] / len(posts), 1) if posts else None,
        )
        for p in sorted(pillars, key=lambda p: (-p.intended, p.name))
    ]
    figures = UnitFigures(
        unit=unit,
        weeks=weeks,
        published=len(posts),
        expected=sum(w.expected for w in weeks),
        planned=sum(planned_days.values()),
        planned_dated=len(dated),
        on_time=sum(1 for posted, planned in dated if on_time(posted, planned)),
        with_story=sum(1 for i in posts if i.has_story),
        checked=sum(1 for i in posts if i.checked),
        days_since_last=days_since,
        longest_gap=_longest_gap(posted_days, first_day, last_day),
        pillars=pillar_figures,
        planned_next_week=sum(
            1 for _i, _posted, day in local if day and next_week.start <= day <= next_week.end
        ),
        rtl_open=len(due_dates),
        rtl_overdue=sum(1 for due in due_dates if due < today),
        coverage_asked=len(coverage),
        coverage_answered=sum(1 for c in coverage if c.answered),
        coverage_on_time=sum(1 for c in coverage if c.delivered_on_time),
        followers=followers,
        posts=post_figures(metrics, followers.now, first_day, last_day),
        unplanned=sum(1 for i in posts if i.unplanned),
        review_late=sum(1 for i in in_review if (i.planned_day(zone) or today) < today),
        amplify=compliance(asked, zone, first_day, today),
        flags=[],
    )
    figures.flags = _flags(figures, unit, today, silent_days)
    return figures


def _longest_gap(posted_days: Counter, first: date, last: date) -> int:
    """The longest run of days from `first` to `last` without a post: the widest space
    between two posting days (or the range's edges)."""
    longest, previous = 0, first - timedelta(days=1)
    for day in sorted(d for d in posted_days if first <= d <= last):
        longest = max(longest, (day - previous).days - 1)
        previous = day
    return max(longest, (last - previous).days)


def _flags(figures: UnitFigures, unit: UnitRow, today: date, silent_days: int) -> list[str]:
    flags = []
    quiet_for = figures.days_since_last
    if quiet_for is None:  # never published: silent once it has existed that long
        quiet_for = (today - unit.first_day()).days
    if quiet_for >= silent_days:
        flags.append(SILENT)
    if figures.expected > 0 and figures.published < figures.expected:
        flags.append(BELOW_TARGET)
    if figures.planned_next_week == 0 and unit.target_for(monday_of(today)) > 0:
        flags.append(NO_PLAN)
    if figures.rtl_overdue:
        flags.append(RTL_LATE)
    if figures.followers.fell:
        flags.append(FOLLOWERS_FELL)
    if figures.followers.missing:
        flags.append(NO_FIGURES)
    if figures.review_late:
        flags.append(REVIEW_LATE)
    if figures.amplify.behind:
        flags.append(AMPLIFY_BEHIND)
    return flags


def ceil_expected(expected: float) -> int:
    """The posts a period asks for, as a whole number to show beside the published count."""
    return math.ceil(expected - 1e-9)
