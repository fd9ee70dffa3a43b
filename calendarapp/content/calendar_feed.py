"""Content items and region themes as feed events (calendarapp/sources.py): which items a feed
shows, their fingerprint, their events and their iCalendar text."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from .. import clock
from ..accounts.models import Membership, Unit, User
from ..extensions import db
from ..feeds import ical
from ..feeds.models import FeedScope
from ..i18n import lazy_phrase as _l
from ..i18n import phrase as _
from ..sources import GRACE, FeedView, ItemPrint, Pending, Print, pending, uid_of
from .models import AssigneeRole, Assignment, ContentFormat, ContentItem, Theme
from .workflow import Status

SLOT = timedelta(minutes=30)  # a timed post shows as half an hour
DEADLINE = timedelta(minutes=15)
WRITING_VALUES = {s.value for s in (Status.IDE, Status.DRAF, Status.PERLU_REVISI)}
PUBLISHED_SIDE = (Status.DISETUJUI, Status.TERJADWAL, Status.TAYANG)


def _deadlines(feed: FeedView) -> bool:
    """Draft deadlines show in one's own work and in a unit's plan with its drafts."""
    return feed.token.scope == FeedScope.PERSONAL or feed.token.include_drafts


def item_filter(feed: FeedView) -> list:
    """The items a feed shows: in its window, of its scope, cancelled ones for a grace period."""
    low, high = feed.window
    token, user = feed.token, feed.token.user
    where = [
        Unit.active.is_(True),
        sa.or_(
            ContentItem.planned_at.between(low, high),
            ContentItem.planned_date.between(low.date(), high.date()),
            ContentItem.draft_due_at.between(low, high),
        ),
        sa.or_(
            ContentItem.status != Status.DIBATALKAN, ContentItem.updated_at >= clock.now() - GRACE
        ),
    ]
    if token.scope in (FeedScope.AGENDA, FeedScope.TRAININGS):
        where.append(sa.false())  # these feeds show events, not content items
    elif token.scope == FeedScope.PERSONAL:
        where.append(
            sa.or_(
                ContentItem.id.in_(
                    sa.select(Assignment.item_id).where(Assignment.user_id == user.id)
                ),
                ContentItem.reviewer_id == user.id,
            )
        )
        # access follows current membership: work in a unit one has left is not one's own
        where.append(
            ContentItem.unit_id.in_(
                sa.select(Membership.unit_id).where(Membership.user_id == user.id)
            )
        )
    elif token.scope == FeedScope.UNIT:
        where.append(ContentItem.unit_id == token.unit_id)
        if not token.include_drafts:
            where.append(ContentItem.status.in_([*PUBLISHED_SIDE, Status.DIBATALKAN]))
    else:
        where.append(ContentItem.status.in_([Status.TERJADWAL, Status.TAYANG, Status.DIBATALKAN]))
    return where


def _utc(value: str | datetime | None) -> datetime | None:
    """A stored naive-UTC instant as an aware one: SQLite hands back text, PostgreSQL a datetime.

    Parsing it here with fromisoformat is several times faster than the type's own conversion,
    which matters when a feed reads thousands of rows.
    """
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC)


class Items:
    """Content items: a publish event per item, and its draft deadline where the feed shows them."""

    kinds = ("publish", "draft")

    def flags(self, feed: FeedView) -> tuple[str, ...]:
        return (str(_deadlines(feed)),)

    def fingerprint(self, feed: FeedView) -> ItemPrint:
        items = (
            sa.select(
                sa.func.count(ContentItem.id),
                sa.func.max(ContentItem.updated_at),
                sa.func.sum(ContentItem.version),
                sa.func.sum(ContentItem.id),
                sa.func.sum(ContentItem.id * ContentItem.id),
            )
            .join(ContentItem.unit)
            .where(*item_filter(feed))
        )
        count, newest, versions, ids, squares, units, themes, theme_count = db.session.execute(
            items.add_columns(
                sa.select(sa.func.max(Unit.updated_at)).scalar_subquery(),
                sa.select(sa.func.max(Theme.updated_at)).scalar_subquery(),
                sa.select(sa.func.count(Theme.id)).scalar_subquery(),
            )
        ).one()
        return ItemPrint(
            rows=(count, versions or 0, ids or 0, squares or 0),
            watermark=newest,
            shared=f"{units}|{themes}",
            changes=tuple(value for value in (newest, units, themes) if value is not None),
            parts=(theme_count,),
        )

    def changed_since(self, watermark: datetime, limit: int) -> list[int]:
        return list(
            db.session.scalars(
                sa.select(ContentItem.id).where(ContentItem.updated_at > watermark).limit(limit)
            )
        )

    def events(
        self, feed: FeedView, shared: str, only: list[int] | None = None
    ) -> tuple[list[Pending], dict[int, int]]:
        low, high = feed.window
        query = (
            sa.select(
                ContentItem.id,
                ContentItem.version,
                # only compared and hashed: read as text, skipping the datetime and enum conversions
                sa.type_coerce(ContentItem.updated_at, sa.String),
                sa.type_coerce(ContentItem.status, sa.String),
                sa.type_coerce(ContentItem.planned_at, sa.String),
                ContentItem.planned_date,
                sa.type_coerce(ContentItem.draft_due_at, sa.String),
                Unit.timezone,
            )
            .join(ContentItem.unit)
            .where(*item_filter(feed))
        )
        if only is not None:
            query = query.where(ContentItem.id.in_(only))
        events = []
        versions = {}
        deadlines = _deadlines(feed)
        for row in db.session.execute(query).all():
            item_id, version, updated, status, raw_planned, planned_date, raw_due, zone = row
            versions[item_id] = version
            base = f"{item_id}|{version}|{updated}|{shared}"
            planned_at, due = _utc(raw_planned), _utc(raw_due)
            if planned_at is not None and low <= planned_at <= high:
                start, timed = planned_at, zone
            elif planned_date is not None and low.date() <= planned_date <= high.date():
                start, timed = datetime.combine(planned_date, time(), ZoneInfo(zone)), None
            else:
                start = None
            if start is not None:
                name = f"item-{item_id}-publish"
                events.append(
                    pending(feed, name, base, start, "publish", item_id=item_id, zone=timed)
                )
            if deadlines and due is not None and status in WRITING_VALUES and low <= due <= high:
                name = f"item-{item_id}-draft"
                events.append(pending(feed, name, base, due, "draft", item_id=item_id, zone=zone))
        return events, versions

    def render(self, feed: FeedView, events: list[Pending]) -> dict[str, bytes]:
        items = _load({p.item_id for p in events})
        words = _Words.now()
        return {p.key: _render_item(feed, p, items[p.item_id], words) for p in events}


@dataclass(frozen=True)
class _Words:
    """The feed's words in the reader's language, translated once per build rather than several
    times per event (thousands of events: a third of a cold build's time, measured)."""

    assignments: str
    status: str
    draft_due: str
    cancelled: str
    statuses: dict
    formats: dict
    roles: dict

    @classmethod
    def now(cls) -> _Words:
        return cls(
            assignments=_("Assignments: %(people)s"),
            status=_("Status: %(status)s"),
            draft_due=_("Draft due: %(title)s · %(unit)s"),
            cancelled=_("CANCELLED: %(summary)s"),
            statuses={s: s.label for s in Status},
            formats={f: f.label for f in ContentFormat},
            roles={r: r.label for r in AssigneeRole},
        )


class _Item(NamedTuple):
    """What an item's event shows, as a plain row: thousands are read on a cold build, and ORM
    objects cost half of it (measured: 380 of 775 ms for 1,783 events)."""

    id: int
    title: str
    brief: str
    status: Status
    format: ContentFormat
    planned_at: datetime | None
    planned_date: date | None
    draft_due_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    timezone: str
    unit: str  # the unit's short name
    people: list[tuple[str, AssigneeRole]]


def _load(ids: set) -> dict[int, _Item]:
    if not ids:
        return {}
    people: dict[int, list[tuple[str, AssigneeRole]]] = defaultdict(list)
    for item_id, name, role in db.session.execute(
        sa.select(Assignment.item_id, User.name, Assignment.role)
        .join(Assignment.user)
        .where(Assignment.item_id.in_(ids))
        .order_by(Assignment.id)
    ):
        people[item_id].append((name, role))
    rows = db.session.execute(
        sa.select(
            ContentItem.id,
            ContentItem.title,
            ContentItem.brief,
            ContentItem.status,
            ContentItem.format,
            ContentItem.planned_at,
            ContentItem.planned_date,
            ContentItem.draft_due_at,
            ContentItem.created_at,
            ContentItem.updated_at,
            ContentItem.version,
            Unit.timezone,
            Unit.short_name,
        )  # fmt: skip
        .join(ContentItem.unit)
        .where(ContentItem.id.in_(ids))
    )
    return {row[0]: _Item(*row, people[row[0]]) for row in rows}


def _render_item(feed: FeedView, p: Pending, item: _Item, words: _Words) -> bytes:
    zone = ZoneInfo(item.timezone)
    url = f"{feed.base_url}/items/{item.id}"
    people = ", ".join(f"{name} ({words.roles[role]})" for name, role in item.people)
    lines = [item.brief.strip()] if item.brief.strip() else []
    if people:
        lines.append(words.assignments % {"people": people})
    status = words.statuses[item.status]
    lines.append(words.status % {"status": status})
    lines.append(url)
    cancelled = item.status == Status.DIBATALKAN
    if p.kind == "draft":
        due = item.draft_due_at.astimezone(zone)
        summary = words.draft_due % {"title": item.title, "unit": item.unit}
        start, end = due, due + DEADLINE
    else:
        if item.planned_at is not None:
            start = item.planned_at.astimezone(zone)
            end = start + SLOT
        else:
            start, end = item.planned_date, item.planned_date + timedelta(days=1)
        summary = f"[{status}] {item.title} · {item.unit}"
    if cancelled:
        summary = words.cancelled % {"summary": summary}
    return ical.event(
        uid=uid_of(feed, p),
        summary=summary,
        start=start,
        end=end,
        stamp=item.updated_at.astimezone(UTC),
        created=item.created_at.astimezone(UTC),
        sequence=item.version,
        description="\n".join(lines),
        url=url,
        status="CANCELLED"
        if cancelled
        else ("CONFIRMED" if item.status in PUBLISHED_SIDE else "TENTATIVE"),
        categories=[words.formats[item.format]],
    )


class RegionThemes:
    """Region-wide themes (campaigns, national days) as all-day events in the region's feed."""

    kinds = ("theme",)

    def shows(self, feed: FeedView) -> bool:
        return feed.token.scope == FeedScope.REGION

    def fingerprint(self, feed: FeedView) -> Print:
        # every theme's change already moves the items' shared part (see Items.fingerprint)
        return Print()

    def events(self, feed: FeedView) -> list[Pending]:
        low, high = feed.window
        themes = db.session.scalars(
            sa.select(Theme).where(
                Theme.unit_id.is_(None),
                Theme.archived.is_(False),
                Theme.starts_on.is_not(None),
                Theme.starts_on <= high.date(),
                sa.or_(Theme.ends_on.is_(None), Theme.ends_on >= low.date()),
            )
        ).all()
        return [
            pending(
                feed,
                f"theme-{theme.id}",
                f"{theme.id}|{theme.updated_at.isoformat()}",
                datetime.combine(theme.starts_on, time(), UTC),
                "theme",
                subject=theme,
            )
            for theme in themes
        ]

    def render(self, feed: FeedView, events: list[Pending]) -> dict[str, bytes]:
        return {p.key: _render_theme(feed, p, p.subject) for p in events}


def _render_theme(feed: FeedView, p: Pending, theme: Theme) -> bytes:
    last = theme.ends_on or theme.starts_on
    end = last + timedelta(days=1) if last < date.max else last  # exclusive end, if any
    return ical.event(
        uid=uid_of(feed, p),
        summary=_("Theme: %(name)s", name=theme.name),
        start=theme.starts_on,
        end=end,
        stamp=theme.updated_at.astimezone(UTC),
        created=theme.created_at.astimezone(UTC),
        sequence=0,
        description=theme.description,
        categories=[str(_l("Theme"))],
    )


ITEMS = Items()
THEMES = RegionThemes()
