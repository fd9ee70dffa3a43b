"""Pantauan reads, never writes: a fixed number of queries whatever the number of units and posts.

The rows come from SQL as plain tuples (no ORM objects); figures.py turns them into figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Unit, UnitKind, UnitTarget, User
from ..accounts.permissions import monitors_region, role_in
from ..amplification.figures import AskedRow
from ..amplification.models import AmplificationAnswer, AmplificationRequest, AmplificationTarget
from ..content.models import ChecklistEntry, ChecklistTick, ContentItem, Theme
from ..content.story import has_story
from ..content.workflow import Status
from ..coverage.models import CoverageChange, CoverageRequest
from ..coverage.workflow import CoverageStatus
from ..extensions import db
from ..mentoring.models import ActionItem, ActionStatus, MentoringNote
from ..performance.figures import LOOKBACK_DAYS, AccountRow, CountRow, MetricRow
from ..performance.models import FollowerCount, PostMetric
from ..socialaccounts.models import AccountStatus, SocialAccount
from ..timeutil import ZONE_OFFSETS, DateRange, UTCDateTime, monday_of, today
from . import figures as f
from . import ranking


def silent_days() -> int:
    return int(current_app.config.get("SILENT_DAYS", f.DEFAULT_SILENT_DAYS))


def unit_rows(kind: UnitKind | None, unit_ids: list[int] | None = None) -> list[f.UnitRow]:
    query = sa.select(
        Unit.id,
        Unit.name,
        Unit.short_name,
        Unit.kind,
        Unit.timezone,
        Unit.created_at,
        Unit.weekly_target,
    ).where(Unit.active.is_(True))
    if kind is not None:
        query = query.where(Unit.kind == kind)
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids))
    rows = db.session.execute(query.order_by(Unit.name)).all()
    targets: dict[int, list[tuple[date, int]]] = {}
    if rows:
        for unit_id, starts_on, target in db.session.execute(
            sa.select(UnitTarget.unit_id, UnitTarget.starts_on, UnitTarget.weekly_target).where(
                UnitTarget.unit_id.in_([row[0] for row in rows])
            )
        ):
            targets.setdefault(unit_id, []).append((starts_on, target))
    return [
        f.UnitRow(
            id=unit_id,
            name=name,
            short_name=short_name,
            kind=str(kind),
            timezone=zone,
            created_at=created_at,
            weekly_target=weekly_target,
            targets=tuple(targets.get(unit_id, ())),
        )
        for unit_id, name, short_name, kind, zone, created_at, weekly_target in rows
    ]


def active_units() -> list[f.UnitRow]:
    return unit_rows(None)


def _checks() -> tuple[set[int], set[int]]:
    """The region's active required checks and its story check: one small query."""
    required, story = set(), set()
    for entry_id, is_required, is_story in db.session.execute(
        sa.select(ChecklistEntry.id, ChecklistEntry.required, ChecklistEntry.is_story).where(
            ChecklistEntry.active.is_(True)
        )
    ):
        if is_required:
            required.add(entry_id)
        if is_story:
            story.add(entry_id)
    return required, story


def _checked(required: set[int]) -> sa.ColumnElement[bool]:
    """SQL: every active required check of the region is ticked for the item."""
    if not required:
        return sa.true()
    ticked = (
        sa.select(sa.func.count())
        .select_from(ChecklistTick)
        .where(
            ChecklistTick.item_id == ContentItem.id, ChecklistTick.entry_id.in_(sorted(required))
        )
        .scalar_subquery()
    )
    return ticked == len(required)


def _items(unit_ids: list[int], days: DateRange) -> list[f.ItemRow]:
    """Items published, or planned, on a day of the range in some zone: one query."""
    low, high = days.utc_bounds()
    published = ContentItem.status == Status.TAYANG
    required, story = _checks()
    in_units = ContentItem.unit_id.in_(unit_ids)
    # the columns in ItemRow's order, so each row becomes one without naming its fields
    rows = db.session.execute(
        sa.select(
            ContentItem.unit_id,
            published.label("published"),
            (ContentItem.status == Status.DIBATALKAN).label("cancelled"),
            ContentItem.planned_at,
            ContentItem.planned_date,
            ContentItem.posted_at,
            ContentItem.theme_id,
            sa.and_(published, has_story(story)).label("has_story"),
            sa.and_(published, _checked(required)).label("checked"),
            ContentItem.unplanned,
        ).where(
            # each branch names the units, so SQLite and PostgreSQL use one index per branch
            sa.or_(
                sa.and_(
                    in_units, published, ContentItem.posted_at >= low, ContentItem.posted_at < high
                ),
                sa.and_(in_units, ContentItem.planned_at >= low, ContentItem.planned_at < high),
                sa.and_(in_units, ContentItem.planned_date.between(days.start, days.end)),
            ),
        )
    )
    return [f.ItemRow._make(row) for row in rows]


def after_day(day: date) -> sa.ColumnElement:
    """SQL: the instant the day after `day` begins in the zone of the row's `Unit`."""
    midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)
    return sa.case(
        {
            zone: sa.literal(midnight - timedelta(seconds=offset), UTCDateTime())
            for zone, offset in ZONE_OFFSETS.items()
        },
        value=Unit.timezone,
    )


def _last_posted(unit_ids: list[int], until: date | None) -> dict[int, datetime]:
    """Each unit's last post, up to the end of `until` in its zone when given: one index seek
    per unit (the newest entry of `ix_content_item_unit_status_posted_at`), not every post."""
    last = sa.select(sa.func.max(ContentItem.posted_at)).where(
        ContentItem.unit_id == Unit.id, ContentItem.status == Status.TAYANG
    )
    if until is not None:
        last = last.where(ContentItem.posted_at < after_day(until))
    query = sa.select(Unit.id, last.scalar_subquery()).where(Unit.id.in_(unit_ids))
    rows = db.session.execute(query).all()
    return {unit_id: value for unit_id, value in rows if value is not None}


def _pillars(unit_ids: list[int]) -> list[f.Pillar]:
    rows = db.session.execute(
        sa.select(Theme.id, Theme.unit_id, Theme.name, Theme.intended_share).where(
            Theme.unit_id.in_(unit_ids),
            Theme.intended_share.is_not(None),
            Theme.archived.is_(False),
        )
    ).all()
    return [f.Pillar(*row) for row in rows]  # in the statement's order


def _open_actions(unit_ids: list[int], until: date | None) -> list[tuple[int, date]]:
    """The RTL open now or, with `until`, open at the end of that day in the unit's zone: given
    by then and not closed by then."""
    query = (
        sa.select(MentoringNote.unit_id, ActionItem.due_on)
        .join(ActionItem.note)
        .where(MentoringNote.unit_id.in_(unit_ids))
    )
    if until is None:
        query = query.where(ActionItem.status.in_(ActionStatus.open()))
    else:
        end = after_day(until)
        query = query.join(Unit, Unit.id == MentoringNote.unit_id).where(
            ActionItem.created_at < end,
            sa.or_(ActionItem.closed_at.is_(None), ActionItem.closed_at >= end),
        )
    return [(unit_id, due_on) for unit_id, due_on in db.session.execute(query)]


def first_delivery() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.min(CoverageChange.created_at))
        .where(
            CoverageChange.request_id == CoverageRequest.id,
            CoverageChange.to_status == CoverageStatus.DISERAHKAN,
        )
        .scalar_subquery()
    )


def _coverage(unit_ids: list[int], days: DateRange) -> list[f.CoverageRow]:
    """Requests to these units due in the period (cancelled ones left out)."""
    low, high = days.utc_bounds()
    delivered = first_delivery()
    rows = db.session.execute(
        sa.select(
            CoverageRequest.unit_id,
            CoverageRequest.status,
            sa.and_(delivered.is_not(None), delivered <= CoverageRequest.due_at).label("on_time"),
            CoverageRequest.due_at,
            Unit.timezone,
        )
        .join(Unit, Unit.id == CoverageRequest.unit_id)
        .where(
            CoverageRequest.unit_id.in_(unit_ids),
            CoverageRequest.status != CoverageStatus.DIBATALKAN,
            CoverageRequest.due_at >= low,
            CoverageRequest.due_at < high,
        )
    ).all()
    return [
        f.CoverageRow(unit_id, status != CoverageStatus.DIMINTA, bool(on_time))
        for unit_id, status, on_time, due_at, zone in rows
        if days.start <= due_at.astimezone(ZoneInfo(zone)).date() <= days.end
    ]


def accounts_of(unit_ids: list[int]) -> list[AccountRow]:
    rows = db.session.execute(
        sa.select(
            SocialAccount.id, SocialAccount.unit_id, SocialAccount.platform, SocialAccount.status
        ).where(SocialAccount.unit_id.in_(unit_ids), SocialAccount.status != AccountStatus.DITUTUP)
    ).all()
    return [
        AccountRow(account_id, unit_id, str(platform), status == AccountStatus.AKTIF)
        for account_id, unit_id, platform, status in rows
    ]


def follower_counts(unit_ids: list[int], first: date, last: date) -> list[CountRow]:
    """The counts the figures read, of the units' accounts, from LOOKBACK_DAYS before the period
    to `last`: for each account only its latest count before the period, its latest within it up
    to the day before `last`, and its count on `last` — all that performance.figures reads for a
    day scored of `last` or the day before (units in other zones), so the rows stay few."""
    group = sa.case(
        (FollowerCount.measured_on < first, 0), (FollowerCount.measured_on < last, 1), else_=2
    )
    # the day of each account's latest count in each group, then that count: an aggregate over
    # the unique (account, day) index rather than a window numbering every count (7 -> 2 ms)
    latest = (
        sa.select(
            FollowerCount.account_id, sa.func.max(FollowerCount.measured_on).label("measured_on")
        )
        .join(SocialAccount, SocialAccount.id == FollowerCount.account_id)
        .where(
            SocialAccount.unit_id.in_(unit_ids),
            FollowerCount.measured_on >= first - timedelta(days=LOOKBACK_DAYS),
            FollowerCount.measured_on <= last,
        )
        .group_by(FollowerCount.account_id, group)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            FollowerCount.account_id, FollowerCount.measured_on, FollowerCount.followers
        ).join(
            latest,
            sa.and_(
                FollowerCount.account_id == latest.c.account_id,
                FollowerCount.measured_on == latest.c.measured_on,
            ),
        )
    ).all()
    return [CountRow(*row) for row in rows]


CAPTION_OPENING = 160  # characters of a measured post's caption read (a unit's page shows 140)


def metric_rows(unit_ids: list[int], days: DateRange) -> list[MetricRow]:
    """The measured posts of these units published on a day of the range (their own zone)."""
    low, high = days.utc_bounds()
    rows = db.session.execute(
        sa.select(
            SocialAccount.unit_id,
            PostMetric.item_id,
            ContentItem.title,
            # its opening only: pages show 140 characters of a caption that runs to 2,200
            sa.func.substr(ContentItem.caption, 1, CAPTION_OPENING).label("caption"),
            PostMetric.published_at,
            SocialAccount.platform,
            PostMetric.views,
            PostMetric.reach,
            PostMetric.likes,
            PostMetric.comments,
            PostMetric.shares,
            PostMetric.saves,
            Unit.timezone,
        )
        .join(SocialAccount, SocialAccount.id == PostMetric.account_id)
        .join(Unit, Unit.id == SocialAccount.unit_id)
        .outerjoin(ContentItem, ContentItem.id == PostMetric.item_id)
        .where(
            SocialAccount.unit_id.in_(unit_ids),
            PostMetric.published_at >= low,
            PostMetric.published_at < high,
        )
    ).all()
    found = []
    # the columns unpacked in order: reading a row's fields by name cost 4 of a month's 12 ms
    for (
        unit_id,
        item_id,
        title,
        caption,
        published_at,
        platform,
        views,
        reach,
        *counts,
        zone,
    ) in rows:
        day = published_at.astimezone(ZoneInfo(zone)).date()
        if days.start <= day <= days.end:
            interactions = sum(n for n in counts if n)  # likes, comments, shares, saves
            found.append(
                MetricRow(unit_id, item_id, title or "", caption or "", day, str(platform),
                          views, reach, interactions)
            )  # fmt: skip
    return found


def _asked(unit_ids: list[int], days: DateRange) -> list[AskedRow]:
    """The requests to amplify due on a day of the range (in some zone), each with the times
    its platforms were answered: one query."""
    low, high = days.utc_bounds()
    rows = db.session.execute(
        sa.select(
            AmplificationTarget.id,
            AmplificationTarget.unit_id,
            AmplificationRequest.deadline_at,
            AmplificationRequest.platforms,
            AmplificationAnswer.answered_at,
        )
        .join(AmplificationTarget.request)
        .outerjoin(AmplificationAnswer, AmplificationAnswer.target_id == AmplificationTarget.id)
        .where(
            AmplificationTarget.unit_id.in_(unit_ids),
            AmplificationRequest.deadline_at >= low,
            AmplificationRequest.deadline_at < high,
            AmplificationRequest.paused_at.is_(None),  # paused for an election: not asked
        )
    ).all()
    found: dict[int, tuple] = {}
    for target_id, unit_id, deadline, platforms, answered_at in rows:
        _unit, _deadline, _platforms, times = found.setdefault(
            target_id, (unit_id, deadline, len(platforms.split(",")), [])
        )
        if answered_at is not None:
            times.append(answered_at)
    return [AskedRow(u, d, p, tuple(times)) for u, d, p, times in found.values()]


def _today_of(units: list[f.UnitRow]) -> date:
    return min(today(u.timezone) for u in units)


def _in_review(unit_ids: list[int]) -> list[f.ItemRow]:
    """The units' items in review now, dated (their planned day tells whether it has passed)."""
    rows = db.session.execute(
        sa.select(ContentItem.unit_id, ContentItem.planned_at, ContentItem.planned_date).where(
            ContentItem.unit_id.in_(unit_ids),
            ContentItem.status == Status.DITINJAU,
            sa.or_(ContentItem.planned_at.is_not(None), ContentItem.planned_date.is_not(None)),
        )
    ).all()
    return [
        f.ItemRow(unit_id, False, False, planned_at, planned_date, None, None, False, False)
        for unit_id, planned_at, planned_date in rows
    ]


def read_inputs(units: list[f.UnitRow], period: f.Period, followers: bool = True) -> f.Inputs:
    """Every row the figures of these units need, for the period and the week after today;
    without the accounts' followers if not `followers`."""
    ids = [u.id for u in units]
    if not ids:
        return f.Inputs(units=[])
    latest = max(period.as_of(today(u.timezone)) for u in units)
    next_week_end = monday_of(latest) + timedelta(days=13)
    window = DateRange(period.days.start, max(period.days.end, next_week_end))
    # a month is scored as it stood on its last day (for the current month, that is ahead)
    until = period.days.end if period.month is not None else None
    return f.Inputs(
        units=units,
        items=_items(ids, window),
        last_posted=_last_posted(ids, until),
        pillars=_pillars(ids),
        open_actions=_open_actions(ids, until),
        coverage=_coverage(ids, period.days),
        accounts=accounts_of(ids) if followers else [],
        follower_counts=follower_counts(ids, period.days.start, latest) if followers else [],
        metrics=metric_rows(ids, period.days),
        # whether an item is in review is known for today only: a past month has no such flag
        in_review=_in_review(ids) if period.as_of(latest) == latest >= _today_of(units) else [],
        asked=_asked(ids, DateRange(period.days.start, latest)),
    )


@dataclass
class Scorecard:
    period: f.Period
    rows: list[f.UnitFigures]  # the units this viewer may see
    region: dict[str, float | None]  # the region's medians
    region_units: int
    all_units: bool  # the viewer sees every unit (coordinator, Prokopim)
    # the measured posts of the period the figures were read from (every unit scored): the
    # monthly report picks its best posts from them instead of reading them again
    metrics: list[MetricRow]

    def flagged(self, flag: str) -> list[f.UnitFigures]:
        return [r for r in self.rows if flag in r.flags]


def scorecard(
    viewer: User, period: f.Period, kind: UnitKind | None = None, followers: bool = True
) -> Scorecard:
    """Every unit for coordinators and Prokopim; a member gets their own units and the median.
    Without `followers`, the accounts' followers are not read: no follower figures, nor the
    flags on them (the monthly report's month before, whose totals do not read them)."""
    # a unit created after the period's end did not exist then
    units = [u for u in unit_rows(kind) if u.first_day() <= period.days.end]
    inputs = read_inputs(units, period, followers)
    computed = f.compute(inputs, period, today, silent_days())
    everything = monitors_region(viewer)
    visible = [row for row in computed if everything or role_in(viewer, row.unit.id) is not None]
    medians = ranking.medians(computed)
    return Scorecard(period, visible, medians, len(computed), everything, inputs.metrics)
