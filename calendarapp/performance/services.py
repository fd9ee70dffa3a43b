"""Followers over time: recording a figure, reading a year of them, and the month-end reminder.

Every figure is a day's count for one account. A month's figure is the last one measured in that
month (in the unit's zone, as every date here); growth compares two such figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import format_decimal
from sqlalchemy.orm import joinedload

from ..accounts.models import Membership, Role, Unit, User
from ..content.models import ContentItem
from ..content.workflow import Status
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..i18n import phrase as _
from ..notifications.models import Notification, NotificationKind
from ..notifications.services import notify
from ..parsing import MAX_ID
from ..socialaccounts.models import AccountStatus, SocialAccount
from ..socialaccounts.permissions import keeps_accounts
from ..timeutil import add_months
from .figures import ItemFigures, item_figures
from .models import (
    METRIC_LABELS,
    AccountDay,
    AccountSync,
    FigureSource,
    FollowerCount,
    PostMetric,
)
from .platform_files import DAILY_METRICS

PROOF_MAX = 2 * 1024 * 1024
# A screenshot is a PNG or a JPEG, known by its first bytes (never by its name).
PROOF_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MONTHS_SHOWN = 12
# The month-end reminder goes out on the last days of a month.
REMIND_DAYS = 3


class FiguresRefused(Refused):
    """A figure we refuse, with the reason."""


def proof_type(data: bytes) -> str:
    """The screenshot's type from its first bytes; refused when too large or not an image."""
    if len(data) > PROOF_MAX:
        raise FiguresRefused(
            _l("The screenshot is too large (at most %(mb)d MB).", mb=PROOF_MAX // 2**20), "proof"
        )
    for start, kind in PROOF_TYPES.items():
        if data.startswith(start):
            return kind
    raise FiguresRefused(_l("The screenshot must be a PNG or JPEG picture."), "proof")


def record_followers(
    account: SocialAccount,
    by: User,
    measured_on: date,
    followers: int,
    proof: bytes | None,
    today: date,
) -> FollowerCount:
    """The account's followers on a day (the unit's admins and the coordinators); a second
    figure for the same day corrects the first. Flushes; the caller commits."""
    if not keeps_accounts(by, account.unit):
        raise FiguresRefused(_l("Only the unit's admins and the coordinators record followers."))
    if measured_on > today:
        raise FiguresRefused(_l("This day has not come yet."), "measured_on")
    if not 0 <= followers <= MAX_ID:
        raise FiguresRefused(_l("Enter the number of followers as a whole number."), "followers")
    kind = proof_type(proof) if proof else None
    figure = set_count(account, measured_on, followers, FigureSource.MANUAL, by)
    if proof:
        figure.proof, figure.proof_type = proof, kind
    db.session.flush()
    return figure


def counts_on(account: SocialAccount, days: list[date]) -> dict[date, FollowerCount]:
    """The account's counts already kept for these days: one query."""
    return {
        figure.measured_on: figure
        for figure in db.session.scalars(
            sa.select(FollowerCount).where(
                FollowerCount.account_id == account.id, FollowerCount.measured_on.in_(days)
            )
        )
    }


def set_count(
    account: SocialAccount,
    day: date,
    followers: int,
    source: FigureSource,
    by: User,
    kept: dict[date, FollowerCount] | None = None,
) -> FollowerCount:
    """The account's count for a day, added or corrected (`kept`: the counts already read)."""
    figure = (kept if kept is not None else counts_on(account, [day])).get(day)
    if figure is None:
        figure = FollowerCount(account=account, measured_on=day)
        db.session.add(figure)
    figure.followers, figure.source, figure.recorded_by = followers, source, by
    return figure


# ---- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigure:
    month: date  # the first of the month
    followers: int | None  # the last figure measured in the month; None when there is none
    measured_on: date | None


@dataclass(frozen=True)
class Trend:
    """An account's followers month by month, oldest first, and what they say now."""

    months: list[MonthFigure]

    @property
    def latest(self) -> MonthFigure | None:
        known = [m for m in self.months if m.followers is not None]
        return known[-1] if known else None

    @property
    def change(self) -> int | None:
        """Followers gained (or lost) since the month before the latest figure's."""
        known = [m for m in self.months if m.followers is not None]
        if len(known) < 2 or known[-2].month != add_months(known[-1].month, -1):
            return None
        return known[-1].followers - known[-2].followers

    @property
    def change_percent(self) -> float | None:
        known = [m for m in self.months if m.followers is not None]
        if self.change is None or not known[-2].followers:
            return None
        return round(100 * self.change / known[-2].followers, 1)

    @property
    def highest(self) -> int:
        return max([m.followers or 0 for m in self.months] + [1])


def months_up_to(today: date, count: int = MONTHS_SHOWN) -> list[date]:
    first = today.replace(day=1)
    return [add_months(first, n - count + 1) for n in range(count)]


def trends(account_ids: list[int], today: date, count: int = MONTHS_SHOWN) -> dict[int, Trend]:
    """Each account's last `count` months of followers, this month last: one query."""
    months = months_up_to(today, count)
    last: dict[tuple[int, date], tuple[date, int]] = {}
    if account_ids:
        rows = db.session.execute(
            sa.select(FollowerCount.account_id, FollowerCount.measured_on, FollowerCount.followers)
            .where(
                FollowerCount.account_id.in_(account_ids),
                FollowerCount.measured_on >= months[0],
                FollowerCount.measured_on <= today,
            )
            .order_by(FollowerCount.measured_on)
        )
        for account_id, measured_on, followers in rows:
            last[(account_id, measured_on.replace(day=1))] = (measured_on, followers)

    def figure(account_id: int, month: date) -> MonthFigure:
        measured_on, followers = last.get((account_id, month), (None, None))
        return MonthFigure(month, followers, measured_on)

    return {
        account_id: Trend([figure(account_id, month) for month in months])
        for account_id in account_ids
    }


@dataclass(frozen=True)
class AccountTrend:
    account: SocialAccount
    trend: Trend


def unit_trends(unit: Unit, today: date) -> list[AccountTrend]:
    """The year of every official account of the unit still open: two queries."""
    accounts = db.session.scalars(
        sa.select(SocialAccount)
        .where(SocialAccount.unit_id == unit.id, SocialAccount.status != AccountStatus.DITUTUP)
        .order_by(SocialAccount.platform, SocialAccount.handle_key)
    ).all()
    found = trends([a.id for a in accounts], today)
    return [AccountTrend(a, found[a.id]) for a in accounts]


def metrics_of(item: ContentItem) -> list[PostMetric]:
    """The figures the platforms' exports gave for an item's posts (one per account)."""
    if item.status != Status.TAYANG:
        return []
    return list(
        db.session.scalars(
            sa.select(PostMetric)
            .where(PostMetric.item_id == item.id)
            .options(joinedload(PostMetric.account))
            .order_by(PostMetric.account_id)
        )
    )


def item_part(_viewer: User, item: ContentItem) -> dict:
    """On an item's page (calendarapp/parts.py): how its posts did, by the exports."""
    return {"post_metrics": metrics_of(item), "metric_labels": METRIC_LABELS}


def figures_by_item(item_ids) -> dict[int, ItemFigures]:
    """The figures of these items' posts, summed over their accounts: one query."""
    if not item_ids:
        return {}
    rows: dict[int, list[PostMetric]] = {}
    for metric in db.session.scalars(
        sa.select(PostMetric).where(PostMetric.item_id.in_(sorted(set(item_ids))))
    ):
        rows.setdefault(metric.item_id, []).append(metric)
    return {item_id: item_figures(metrics) for item_id, metrics in rows.items()}


def describe(figures: ItemFigures) -> str:
    """What a post did, in the reader's language: "1.234 tayangan · 56 interaksi"."""
    parts = []
    if figures.views is not None:
        parts.append(_("%(num)s views", num=format_decimal(figures.views)))
    if figures.reach is not None:
        parts.append(_("reach %(num)s", num=format_decimal(figures.reach)))
    parts.append(_("%(num)s interactions", num=format_decimal(figures.interactions)))
    return " · ".join(parts)


def described_by_item(item_ids) -> dict[int, str]:
    """What each of these items' posts did, as text (items without figures are left out)."""
    return {item_id: describe(f) for item_id, f in figures_by_item(item_ids).items()}


@dataclass(frozen=True)
class MonthOfDays:
    """An account's daily figures summed over a month (TikTok Studio's overview)."""

    month: date
    days: int
    totals: dict[str, int]


def daily_by_month(account: SocialAccount, today: date) -> list[MonthOfDays]:
    """The last MONTHS_SHOWN months that have daily figures, newest first: one query."""
    since = add_months(today.replace(day=1), 1 - MONTHS_SHOWN)
    months: dict[date, MonthOfDays] = {}
    for row in db.session.scalars(
        sa.select(AccountDay)
        .where(AccountDay.account_id == account.id, AccountDay.day >= since)
        .order_by(AccountDay.day)
    ):
        month = months.setdefault(
            row.day.replace(day=1), MonthOfDays(row.day.replace(day=1), 0, {})
        )
        months[month.month] = MonthOfDays(month.month, month.days + 1, month.totals)
        for name in DAILY_METRICS:
            if (value := getattr(row, name)) is not None:
                month.totals[name] = month.totals.get(name, 0) + value
    return sorted(months.values(), key=lambda m: m.month, reverse=True)


def syncs(account_ids) -> dict[int, AccountSync]:
    """What the connector last found for these accounts (flask accounts-sync): one query."""
    if not account_ids:
        return {}
    return {
        sync.account_id: sync
        for sync in db.session.scalars(
            sa.select(AccountSync).where(AccountSync.account_id.in_(sorted(set(account_ids))))
        )
    }


def unit_accounts_part(accounts: list[SocialAccount], today: date) -> dict:
    """On a unit's accounts page (calendarapp/parts.py): followers over the months and what
    the connector last found."""
    ids = [a.id for a in accounts]
    return {"followers": trends(ids, today), "syncs": syncs(ids)}


def register_part(accounts: list[SocialAccount]) -> dict:
    """On the accounts register (calendarapp/parts.py): what the connector last found."""
    return {"syncs": syncs([a.id for a in accounts])}


def history(account: SocialAccount, limit: int = 24) -> list[FollowerCount]:
    """The account's latest figures, newest first (the proof itself is not loaded)."""
    return list(
        db.session.scalars(
            sa.select(FollowerCount)
            .where(FollowerCount.account_id == account.id)
            .options(joinedload(FollowerCount.recorded_by))
            .order_by(FollowerCount.measured_on.desc())
            .limit(limit)
        )
    )


# ---- the month-end reminder --------------------------------------------------------------------


def _unit_today(unit: Unit, now: datetime) -> date:
    return now.astimezone(ZoneInfo(unit.timezone)).date()


def send_month_end_reminders(now: datetime) -> int:
    """On a month's last days, each unit's admins hear which live accounts have no follower
    figure this month yet: once per person, unit and month. Notifications sent."""
    accounts = db.session.execute(
        sa.select(SocialAccount.id, Unit)
        .join(Unit, Unit.id == SocialAccount.unit_id)
        .where(Unit.active.is_(True), SocialAccount.status == AccountStatus.AKTIF)
    ).all()
    due: dict[int, tuple[Unit, list[int]]] = {}
    for account_id, unit in accounts:
        today = _unit_today(unit, now)
        if (add_months(today.replace(day=1), 1) - today).days <= REMIND_DAYS:
            due.setdefault(unit.id, (unit, []))[1].append(account_id)
    if not due:
        return 0
    earliest = min(_unit_today(u, now).replace(day=1) for u, _ids in due.values())
    counted = {
        account_id
        for (account_id,) in db.session.execute(
            sa.select(FollowerCount.account_id).where(
                FollowerCount.account_id.in_([i for _u, ids in due.values() for i in ids]),
                FollowerCount.measured_on >= earliest,
            )
        )
    }
    since = datetime.combine(earliest - timedelta(days=1), time(), ZoneInfo("UTC"))
    told = set(
        db.session.execute(
            sa.select(Notification.user_id, Notification.unit_id).where(
                Notification.kind == NotificationKind.FOLLOWERS_DUE,
                Notification.created_at >= since,
            )
        ).all()
    )
    admins = db.session.execute(
        sa.select(Membership.unit_id, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.role == Role.ADMIN, Membership.unit_id.in_(list(due)))
    ).all()
    sent = 0
    for unit_id, (unit, ids) in due.items():
        missing = [i for i in ids if i not in counted]
        people = [u for uid, u in admins if uid == unit_id and (u.id, unit_id) not in told]
        if missing and people:
            detail = str(len(missing))
            sent += notify(people, NotificationKind.FOLLOWERS_DUE, None, unit=unit, detail=detail)
    return sent
