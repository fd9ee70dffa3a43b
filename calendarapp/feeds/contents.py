"""What a feed shows: its scope, its window, the person's rights (`Feed`), and a cheap
fingerprint of everything in it (one aggregate query) that answers 304 or the kept bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import clock
from ..accounts.models import Membership, Unit
from ..content.models import Assignment, ContentItem, Theme
from ..content.workflow import Status
from ..coverage.models import AgendaEvent, CoverageRequest
from ..coverage.workflow import CoverageStatus
from ..extensions import db
from ..mentoring.models import ActionItem, MentoringNote, Training
from .models import FeedScope, FeedToken

BACK, AHEAD = timedelta(days=60), timedelta(days=365)
GRACE = timedelta(days=14)  # a cancelled item stays this long as STATUS:CANCELLED, then goes
MAX_BYTES = 900_000  # Google drops feeds over 1 MB
UID_DOMAIN = "kalender-konten"
SLOT = timedelta(minutes=30)
DEADLINE = timedelta(minutes=15)
WRITING = (Status.IDE, Status.DRAF, Status.PERLU_REVISI)
WRITING_VALUES = {s.value for s in WRITING}
PUBLISHED_SIDE = (Status.DISETUJUI, Status.TERJADWAL, Status.TAYANG)


# ---- what a feed shows --------------------------------------------------------------------


@dataclass
class Feed:
    token: FeedToken
    name: str
    description: str
    color: str
    base_url: str
    locale: str
    today: date

    @property
    def window(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.today, time(), UTC)
        return start - BACK, start + AHEAD

    def item_filter(self) -> list:
        low, high = self.window
        now = clock.now()
        token, user = self.token, self.token.user
        where = [
            Unit.active.is_(True),
            sa.or_(
                ContentItem.planned_at.between(low, high),
                ContentItem.planned_date.between(low.date(), high.date()),
                ContentItem.draft_due_at.between(low, high),
            ),
            sa.or_(ContentItem.status != Status.DIBATALKAN, ContentItem.updated_at >= now - GRACE),
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
            where.append(
                ContentItem.status.in_([Status.TERJADWAL, Status.TAYANG, Status.DIBATALKAN])
            )
        return where

    @cached_property
    def cache_prefix(self) -> str:
        """Event text differs by language and by site address (the links back)."""
        site = hashlib.sha256(self.base_url.encode()).hexdigest()[:8]
        return f"{self.locale}:{site}:"

    @property
    def deadlines(self) -> bool:
        return self.token.scope == FeedScope.PERSONAL or self.token.include_drafts

    @property
    def themes(self) -> bool:
        return self.token.scope == FeedScope.REGION

    @property
    def trainings(self) -> bool:
        return self.token.scope == FeedScope.TRAININGS

    @property
    def agenda(self) -> bool:
        return self.token.scope == FeedScope.AGENDA

    @property
    def coverage(self) -> bool:
        """A personal feed shows the coverage its owner accepted."""
        return self.token.scope == FeedScope.PERSONAL

    def coverage_filter(self) -> list:
        low, high = self.window
        return [
            CoverageRequest.assignee_id == self.token.user_id,
            CoverageRequest.status.in_(CoverageStatus.committed()),
            AgendaEvent.day.between(low.date(), high.date()),
            AgendaEvent.cancelled.is_(False),
        ]

    def agenda_filter(self) -> list:
        low, high = self.window
        return [
            AgendaEvent.day.between(low.date(), high.date()),
            sa.or_(AgendaEvent.cancelled.is_(False), AgendaEvent.updated_at >= clock.now() - GRACE),
        ]


def describe(token: FeedToken, base_url: str, today: date) -> Feed:
    user = token.user
    if token.scope == FeedScope.UNIT:
        name = _("Content plan %(unit)s", unit=token.unit.short_name)
        color = "steelblue"
    elif token.scope == FeedScope.REGION:
        name = _("Region content calendar")
        color = "darkgreen"
    elif token.scope == FeedScope.TRAININGS:
        name = _("Trainings and mentoring")
        color = "teal"
    elif token.scope == FeedScope.AGENDA:
        name = _("Leader's agenda")
        color = "rebeccapurple"
    else:
        name = _("My work: %(name)s", name=user.name)
        color = "darkorange"
    return Feed(
        token=token,
        name=name,
        description=_("Kalender Konten feed. Changes in the app appear here at the next refresh."),
        color=color,
        base_url=base_url.rstrip("/"),
        locale=user.locale or "id",
        today=today,
    )


@dataclass(frozen=True)
class Fingerprint:
    value: str  # the whole feed: equal values, equal bytes
    last_modified: datetime
    shared: str  # what every event's text depends on beyond its own row (unit and theme names)
    # what an incremental rebuild checks itself against (see _incremental)
    static: str = ""  # everything but the item rows: name, language, address, day, shared
    items: tuple = ()  # count, sum of versions, sum of ids, sum of squared ids of the item rows
    watermark: datetime | None = None  # the newest change among the item rows


def fingerprint(feed: Feed) -> Fingerprint:
    """One cheap aggregate query over everything the feed shows: equal fingerprints, equal bytes.

    Also answers the feed's Last-Modified: the newest change among its rows.
    """
    items = (
        sa.select(
            sa.func.count(ContentItem.id),
            sa.func.max(ContentItem.updated_at),
            sa.func.sum(ContentItem.version),
            sa.func.sum(ContentItem.id),
            sa.func.sum(ContentItem.id * ContentItem.id),
        )
        .join(ContentItem.unit)
        .where(*feed.item_filter())
    )
    row = db.session.execute(
        items.add_columns(
            sa.select(sa.func.max(Unit.updated_at)).scalar_subquery(),
            sa.select(sa.func.max(Theme.updated_at)).scalar_subquery(),
            sa.select(sa.func.count(Theme.id)).scalar_subquery(),
        )
    ).one()
    row = (*row[:4], *row[5:], row[4])  # the squared ids go last, out of the way of the indexes
    changes = [value for value in (row[1], row[4], row[5]) if value is not None]
    extra: tuple = ()
    if feed.agenda or feed.coverage:
        extra = _agenda_fingerprint(feed)
        changes += [value for value in extra[1::3] if value is not None]
    if feed.trainings:
        extra = _trainings_fingerprint(feed)
        changes += [value for value in extra[4::3] if value is not None]
    last_modified = max(changes, default=feed.token.created_at)
    static = [
        "v3",  # the feed's format: v3 dropped METHOD, so every kept feed is rebuilt once
        feed.name,
        feed.color,
        feed.base_url,
        feed.locale,
        feed.today.isoformat(),
        str(feed.deadlines),
        str(feed.themes),
        f"{row[4]}|{row[5]}",
    ]
    parts = [*static, *(str(value) for value in row), *(str(value) for value in extra)]
    return Fingerprint(
        value=hashlib.sha256("|".join(parts).encode()).hexdigest(),
        last_modified=last_modified,
        shared=f"{row[4]}|{row[5]}",
        static=hashlib.sha256("|".join(static).encode()).hexdigest(),
        items=(row[0], row[2] or 0, row[3] or 0, row[7] or 0),
        watermark=row[1],
    )


def _trainings_fingerprint(feed: Feed) -> tuple:
    """What the trainings feed is made of: the owner's units, and trainings, notes and RTL."""
    user = feed.token.user
    parts: list = [
        ",".join(sorted(f"{m.unit_id}:{m.role}" for m in user.memberships)),
        str(user.is_coordinator),
    ]
    for model in (Training, MentoringNote, ActionItem):
        parts += db.session.execute(
            sa.select(
                sa.func.count(model.id), sa.func.sum(model.version), sa.func.max(model.updated_at)
            )
        ).one()
    return tuple(parts)


def _agenda_fingerprint(feed: Feed) -> tuple:
    """Count, newest change and sum of versions of the events and of the coverage requests.

    Every event of the window is counted (who may see which is decided while building): any
    change to the agenda rebuilds these few feeds, and equal data still gives equal bytes.
    """
    events = sa.select(
        sa.func.count(AgendaEvent.id),
        sa.func.max(AgendaEvent.updated_at),
        sa.func.sum(AgendaEvent.version),
    )
    events = events.where(*(feed.agenda_filter() if feed.agenda else feed.coverage_filter()[2:]))
    requests = (
        sa.select(
            sa.func.count(CoverageRequest.id),
            sa.func.max(CoverageRequest.updated_at),
            sa.func.sum(CoverageRequest.version),
        )
        .join(CoverageRequest.event)
        .where(*feed.agenda_filter() if feed.agenda else feed.coverage_filter())
    )
    return (*db.session.execute(events).one(), *db.session.execute(requests).one())
