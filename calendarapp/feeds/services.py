"""Feed tokens, and the feeds themselves: which events, their fingerprints, their cached text.

A request first asks the database for a cheap fingerprint of everything a feed shows (one
aggregate query). The same fingerprint answers 304, or the bytes kept from the last build.
Otherwise the feed is rebuilt from per-event text cached in the database, rendering only the
events whose rows changed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from .. import clock
from ..accounts.models import Membership, Unit, User
from ..accounts.permissions import (
    FULL,
    agenda_access,
    can_view_training,
    can_view_unit,
    in_prokopim,
)
from ..content.models import Assignment, ContentItem, Theme
from ..content.workflow import Status
from ..coverage.models import AgendaEvent, CoverageRequest
from ..coverage.services import event_bounds, events_query
from ..coverage.workflow import CoverageStatus
from ..extensions import db
from ..mentoring import services as mentoring
from ..mentoring.models import ActionItem, ActionStatus, MentoringNote, Training
from . import ical
from .models import FeedEventCache, FeedScope, FeedToken, token_hash

BACK, AHEAD = timedelta(days=60), timedelta(days=365)
GRACE = timedelta(days=14)  # a cancelled item stays this long as STATUS:CANCELLED, then goes
MAX_BYTES = 900_000  # Google drops feeds over 1 MB
UID_DOMAIN = "kalender-konten"
SLOT = timedelta(minutes=30)
DEADLINE = timedelta(minutes=15)
WRITING = (Status.IDE, Status.DRAF, Status.PERLU_REVISI)
WRITING_VALUES = {s.value for s in WRITING}
PUBLISHED_SIDE = (Status.DISETUJUI, Status.TERJADWAL, Status.TAYANG)


# ---- tokens ---------------------------------------------------------------------------------


def find_token(raw: str) -> FeedToken | None:
    """The active token for this secret, or None; unknown and revoked look the same."""
    if not raw or len(raw) > 100:
        return None
    token = db.session.scalar(
        sa.select(FeedToken)
        .options(joinedload(FeedToken.user), joinedload(FeedToken.unit))
        .where(FeedToken.token_sha256 == token_hash(raw))
    )
    return token if token is not None and token.active else None


def still_allowed(token: FeedToken) -> bool:
    """The owner's rights now, not when the link was made."""
    user = token.user
    if not user.is_active:
        return False
    if token.scope == FeedScope.UNIT:
        return token.unit is not None and can_view_unit(user, token.unit)
    if token.scope == FeedScope.REGION:
        return user.is_coordinator
    if token.scope == FeedScope.AGENDA:
        return sees_agenda(user)
    return True  # personal and trainings feeds: each shows what its owner may see today


def sees_agenda(user: User) -> bool:
    """The agenda feed is for Prokopim and the coordinators; contributors get their coverage
    in their personal feed."""
    return user.is_coordinator or any(
        m.unit.active and in_prokopim(user, m.unit) for m in user.memberships
    )


def available(user: User) -> list[tuple[FeedScope, Unit | None]]:
    """Every feed this person may subscribe to."""
    feeds: list[tuple[FeedScope, Unit | None]] = [(FeedScope.PERSONAL, None)]
    units = sorted((m.unit for m in user.memberships if m.unit.active), key=lambda u: u.name)
    feeds += [(FeedScope.UNIT, unit) for unit in units]
    if user.is_coordinator:
        feeds.append((FeedScope.REGION, None))
    if sees_agenda(user):
        feeds.append((FeedScope.AGENDA, None))
    feeds.append((FeedScope.TRAININGS, None))
    return feeds


def tokens_of(user: User) -> list[FeedToken]:
    return list(
        db.session.scalars(
            sa.select(FeedToken).where(FeedToken.user_id == user.id, FeedToken.revoked_at.is_(None))
        )
    )


def issue(
    user: User, scope: FeedScope, unit: Unit | None = None, include_drafts: bool = False
) -> tuple[FeedToken, str]:
    """A new secret link for this feed; an earlier one for the same feed stops working."""
    if (scope, unit) not in available(user):
        raise PermissionError(scope)
    for old in tokens_of(user):
        if old.scope == scope and old.unit_id == (unit.id if unit else None):
            old.revoked_at = clock.now()
    raw = secrets.token_urlsafe(32)  # 256 bits
    token = FeedToken(
        user=user,
        scope=scope,
        unit=unit,
        include_drafts=include_drafts if scope == FeedScope.UNIT else False,
        token_sha256=token_hash(raw),
        created_at=clock.now(),
    )
    db.session.add(token)
    db.session.flush()
    return token, raw


def revoke(token: FeedToken) -> None:
    token.revoked_at = clock.now()
    token.cached_body = None
    token.cached_fingerprint = None
    db.session.flush()


def touch(token: FeedToken) -> None:
    """Remember when a phone last fetched, without a write on every poll."""
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=10):
        token.last_used_at = now


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
        "v2",
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


# ---- building ---------------------------------------------------------------------------------


@dataclass
class Pending:
    """An event of the feed before its text is known."""

    key: str
    fingerprint: str
    start: datetime
    item_id: int | None
    kind: str  # publish, draft, theme
    zone: str | None

    @cached_property
    def epoch(self) -> float:
        """The start as seconds: the order of the feed, and what the manifest keeps."""
        return self.start.timestamp()


class Kept(NamedTuple):
    """An item event carried over from the last feed's manifest (thousands are: a tuple is cheap).

    `row` is its manifest line without the final "chosen" flag, written back as it was read.
    """

    key: str
    epoch: float
    item_id: int
    zone: str | None
    row: str


def _item_events(
    feed: Feed, stamp: str, only: list[int] | None = None
) -> tuple[list[Pending], dict[int, int]]:
    """The item events of the feed (or of these items only), and the version of every row read."""
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
        .where(*feed.item_filter())
    )
    if only is not None:
        query = query.where(ContentItem.id.in_(only))
    rows = db.session.execute(query).all()
    events = []
    versions = {}
    deadlines = feed.deadlines
    for item_id, version, updated, status, raw_planned, planned_date, raw_due, zone in rows:
        versions[item_id] = version
        base = f"{item_id}|{version}|{updated}|{stamp}"
        planned_at, due = _utc(raw_planned), _utc(raw_due)
        if planned_at is not None and low <= planned_at <= high:
            start, timed = planned_at, zone
        elif planned_date is not None and low.date() <= planned_date <= high.date():
            start, timed = datetime.combine(planned_date, time(), ZoneInfo(zone)), None
        else:
            start = None
        if start is not None:
            events.append(_pending(feed, f"item-{item_id}-publish", base, start, item_id, timed))
        if deadlines and due is not None and status in WRITING_VALUES and low <= due <= high:
            events.append(
                _pending(feed, f"item-{item_id}-draft", base, due, item_id, zone, "draft")
            )
    return events, versions


def _utc(value: str | datetime | None) -> datetime | None:
    """A stored naive-UTC instant as an aware one: SQLite hands back text, PostgreSQL a datetime.

    Parsing it here with fromisoformat is several times faster than the type's own conversion,
    which matters when a feed reads thousands of rows.
    """
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC)


def _pending(feed, name, base, start, item_id, zone, kind="publish") -> Pending:
    return Pending(
        key=f"{feed.cache_prefix}{name}@{UID_DOMAIN}",
        fingerprint=hashlib.sha256(f"{kind}|{base}".encode()).hexdigest(),
        start=start if start.tzinfo is UTC else start.astimezone(UTC),
        item_id=item_id,
        kind=kind,
        zone=zone,
    )


def _theme_events(feed: Feed) -> list[tuple[Pending, Theme]]:
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
    events = []
    for theme in themes:
        start = datetime.combine(theme.starts_on, time(), UTC)
        base = f"{theme.id}|{theme.updated_at.isoformat()}"
        events.append(
            (_pending(feed, f"theme-{theme.id}", base, start, None, None, "theme"), theme)
        )
    return events


def _agenda_events(feed: Feed) -> list[tuple[Pending, AgendaEvent, str]]:
    """The leader's events as the feed's owner may see them: every detail or a closed block."""
    events = db.session.scalars(events_query().where(*feed.agenda_filter())).unique()
    found = []
    for event in events:
        access = agenda_access(feed.token.user, event)
        if access is None:
            continue
        asked = ",".join(
            f"{r.id}:{r.version}:{r.assignee_id}:{r.updated_at.isoformat()}" for r in event.requests
        )
        base = f"{event.id}|{event.version}|{event.updated_at.isoformat()}|{access}|{asked}"
        start, _end = event_bounds(event)
        zone = event.timezone if event.starts_at else None
        found.append(
            (_pending(feed, f"agenda-{event.id}", base, start, None, zone, "agenda"), event, access)
        )
    return found


def _coverage_events(feed: Feed) -> list[tuple[Pending, CoverageRequest]]:
    """The coverage the feed's owner accepted, at the time of the event."""
    requests = db.session.scalars(
        sa.select(CoverageRequest)
        .join(CoverageRequest.event)
        .where(*feed.coverage_filter())
        .options(joinedload(CoverageRequest.event), joinedload(CoverageRequest.unit))
    ).unique()
    found = []
    for request in requests:
        event = request.event
        base = (
            f"{request.id}|{request.version}|{request.updated_at.isoformat()}|"
            f"{event.version}|{event.updated_at.isoformat()}"
        )
        start, _end = event_bounds(event)
        zone = event.timezone if event.starts_at else None
        found.append(
            (_pending(feed, f"coverage-{request.id}", base, start, None, zone, "coverage"), request)
        )
    return found


def _training_events(feed: Feed) -> list[tuple[Pending, object]]:
    """Trainings the owner may see; and follow-up visits and open RTL due dates of the notes
    the owner wrote (a mentor) or of the owner's units."""
    low, high = feed.window
    user = feed.token.user
    found: list[tuple[Pending, object]] = []
    trainings = db.session.scalars(
        mentoring.trainings_query().where(Training.starts_at.between(low, high))
    ).all()
    for training in trainings:
        if not can_view_training(user, training):
            continue
        base = f"{training.id}|{training.version}|{training.updated_at.isoformat()}"
        found.append(
            (
                _pending(
                    feed,
                    f"training-{training.id}",
                    base,
                    training.starts_at,
                    None,
                    training.timezone,
                    "training",
                ),
                training,
            )
        )
    units = [m.unit_id for m in user.memberships if m.unit.active]
    mine = sa.or_(MentoringNote.author_id == user.id, MentoringNote.unit_id.in_(units))
    notes = db.session.scalars(
        sa.select(MentoringNote)
        .join(MentoringNote.unit)
        .where(mine, Unit.active.is_(True))
        .where(
            sa.or_(
                MentoringNote.next_follow_up.between(low.date(), high.date()),
                MentoringNote.id.in_(
                    sa.select(ActionItem.note_id).where(
                        ActionItem.due_on.between(low.date(), high.date()),
                        ActionItem.status.in_(ActionStatus.open()),
                    )
                ),
            )
        )
        .options(
            contains_eager(MentoringNote.unit),
            selectinload(MentoringNote.actions).joinedload(ActionItem.owner),
        )
    ).unique()
    for note in notes:
        zone = ZoneInfo(note.unit.timezone)
        if note.next_follow_up and low.date() <= note.next_follow_up <= high.date():
            base = f"{note.id}|{note.version}|{note.updated_at.isoformat()}"
            start = datetime.combine(note.next_follow_up, time(), zone)
            found.append(
                (_pending(feed, f"follow-up-{note.id}", base, start, None, None, "follow-up"), note)
            )
        for action in note.actions:
            if action.status in ActionStatus.open() and low.date() <= action.due_on <= high.date():
                base = f"{action.id}|{action.version}|{action.updated_at.isoformat()}"
                start = datetime.combine(action.due_on, time(), zone)
                found.append(
                    (_pending(feed, f"rtl-{action.id}", base, start, None, None, "rtl"), action)
                )
    return found


def _other_events(feed: Feed) -> tuple[list[Pending], dict, dict]:
    """The events that are not content items: themes, agenda, coverage, trainings. They are few,
    so every rebuild reads them whole; returns them, their themes and their other objects."""
    theme_events = _theme_events(feed) if feed.themes else []
    agenda = _agenda_events(feed) if feed.agenda else []
    coverage = _coverage_events(feed) if feed.coverage else []
    follow_ups = _training_events(feed) if feed.trainings else []
    pending = [p for p, _theme in theme_events]
    pending += [p for p, _event, _access in agenda]
    pending += [p for p, _request in coverage]
    pending += [p for p, _thing in follow_ups]
    others = {p.key: (event, access) for p, event, access in agenda}
    others.update({p.key: request for p, request in coverage})
    others.update({p.key: thing for p, thing in follow_ups})
    return pending, {p.key: theme for p, theme in theme_events}, others


def _bodies(feed: Feed, pending: list[Pending], themes: dict, others: dict) -> dict[str, bytes]:
    """The text of these events: from the shared cache, rendering (and storing) the stale ones."""
    if not pending:
        return {}
    # plain rows, not ORM objects: thousands of them are read on a full rebuild
    cached = {
        key: (fingerprint, body)
        for key, fingerprint, body in db.session.execute(
            sa.select(FeedEventCache.key, FeedEventCache.fingerprint, FeedEventCache.body).where(
                FeedEventCache.key.in_([p.key for p in pending])
            )
        )
    }
    stale = [p for p in pending if cached.get(p.key, ("",))[0] != p.fingerprint]
    stale_keys = {p.key for p in stale}
    bodies = {p.key: cached[p.key][1].encode() for p in pending if p.key not in stale_keys}
    if stale:
        items = _load_items({p.item_id for p in stale if p.item_id is not None})
        for p in stale:
            if p.kind == "agenda":
                bodies[p.key] = _render_agenda(feed, p, *others[p.key])
            elif p.kind == "coverage":
                bodies[p.key] = _render_coverage(feed, p, others[p.key])
            elif p.kind in ("training", "follow-up", "rtl"):
                bodies[p.key] = _render_mentoring(feed, p, others[p.key])
            else:
                bodies[p.key] = _render(feed, p, items.get(p.item_id), themes.get(p.key))
        _store(stale, cached, bodies)
    return bodies


@dataclass
class Built:
    body: bytes
    manifest: str


def build(feed: Feed, current: Fingerprint) -> Built:
    """The whole feed from every row: cached event text where a row is unchanged."""
    items, versions = _item_events(feed, current.shared)
    others, themes, objects = _other_events(feed)
    pending = items + others
    bodies = _bodies(feed, pending, themes, objects)
    lengths = {key: len(text) for key, text in bodies.items()}
    return _assemble(feed, current, pending, versions, lengths, lambda p: bodies[p.key])


# An incremental rebuild reads at most this many changed rows; more, and the whole feed is rebuilt.
CHANGED_MAX = 200


def _incremental(feed: Feed, current: Fingerprint, manifest: str | None, previous: bytes | None):
    """The feed rebuilt from the last one: only item rows changed since are read and rendered.

    It checks itself: the item rows it ends with must have the count, version sum and id sums
    the fingerprint query found, or it gives up (None) and the whole feed is rebuilt. Rows that
    leave or join the feed without a change of their own (an assignment, the cancellation grace
    running out) are caught that way.
    """
    if not manifest or previous is None or current.watermark is None:
        return None
    head, _, rows = manifest.partition("\n")
    meta = json.loads(head)
    if meta.get("v") != MANIFEST_VERSION or meta["static"] != current.static:
        return None
    watermark = datetime.fromisoformat(meta["watermark"])
    changed = list(
        db.session.scalars(
            sa.select(ContentItem.id)
            .where(ContentItem.updated_at > watermark)
            .limit(CHANGED_MAX + 1)
        )
    )
    if len(changed) > CHANGED_MAX:
        return None
    gone = set(changed)
    versions = {}
    for pair in meta["items"].split(",") if meta["items"] else ():
        item_id, version = pair.split(":")
        if int(item_id) not in gone:
            versions[int(item_id)] = int(version)
    fresh, fresh_versions = (
        _item_events(feed, current.shared, only=changed) if changed else ([], {})
    )
    versions.update(fresh_versions)
    ids = versions.keys()
    totals = (len(versions), sum(versions.values()), sum(ids), sum(i * i for i in ids))
    if totals != tuple(int(v) for v in current.items):
        return None
    # the chosen events come first, in the order of the bytes: their offsets follow from lengths
    position = meta["start"]
    kept, lengths, offsets = [], {}, {}
    for row in rows.split("\n") if rows else ():
        key, item_id, epoch, zone, length, chosen = row.split("\t")
        length = int(length)
        if chosen == "1":
            offset, position = position, position + length
        else:
            offset = -1
        if not item_id or int(item_id) in gone:
            continue  # other kinds are read again whole; changed items come back as `fresh`
        kept.append(Kept(key, float(epoch), int(item_id), zone or None, row[:-2]))
        lengths[key], offsets[key] = length, offset
    others, themes, objects = _other_events(feed)
    new_bodies = _bodies(feed, fresh + others, themes, objects)
    lengths.update({k: len(b) for k, b in new_bodies.items()})
    pending = kept + fresh + others

    def body_of(p) -> bytes:
        if p.key in new_bodies:
            return new_bodies[p.key]
        offset = offsets[p.key]
        return previous[offset : offset + lengths[p.key]]

    # an event left out of the last feed by the size cap may come in now: read its text
    chosen_now = _within_size(feed, pending, lengths)
    missing = [p for p in chosen_now if p.key not in new_bodies and offsets.get(p.key, -1) < 0]
    if missing:
        new_bodies.update(
            {
                key: body.encode()
                for key, body in db.session.execute(
                    sa.select(FeedEventCache.key, FeedEventCache.body).where(
                        FeedEventCache.key.in_([p.key for p in missing])
                    )
                )
            }
        )
        if any(p.key not in new_bodies for p in missing):
            return None
    return _assemble(feed, current, pending, versions, lengths, body_of, chosen_now)


MANIFEST_VERSION = 3


def _assemble(feed, current, pending, versions, lengths, body_of, chosen=None) -> Built:
    """The bytes, and the manifest the next incremental rebuild starts from.

    The manifest is a line of JSON (what the feed was built from) and a line per event: the
    events in the bytes first, in their order, then those the size cap left out.
    """
    chosen = chosen if chosen is not None else _within_size(feed, pending, lengths)
    zones = sorted({p.zone for p in chosen if p.zone})
    header = ical.calendar_header(feed.name, feed.description, feed.color)
    events = [body_of(p) for p in chosen]
    body = ical.assemble(header, zones, events)
    head = {
        "v": MANIFEST_VERSION,
        "static": current.static,
        "watermark": current.watermark.isoformat() if current.watermark else None,
        "items": ",".join(f"{i}:{v}" for i, v in versions.items()),
        "start": len(header) + sum(len(ical.vtimezone(z)) for z in zones),
    }
    in_body = {p.key for p in chosen}
    left_out = [p for p in pending if p.key not in in_body]
    rows = [
        (
            p.row
            if isinstance(p, Kept)
            else f"{p.key}\t{p.item_id or ''}\t{p.epoch!r}\t{p.zone or ''}\t{lengths[p.key]}"
        )
        + ("\t1" if p.key in in_body else "\t0")
        for p in (*chosen, *left_out)
    ]
    return Built(body, "\n".join([json.dumps(head, separators=(",", ":")), *rows]))


def _within_size(feed: Feed, pending: list, lengths: dict[str, int]) -> list:
    """Every event in time order; past the size cap, the ones nearest today are kept."""
    budget = MAX_BYTES - 20_000  # room for the header and time zones
    if sum(lengths[p.key] for p in pending) <= budget:
        return sorted(pending, key=lambda p: (p.epoch, p.key))
    middle = datetime.combine(feed.today, time(), UTC).timestamp()
    kept, used = [], 0
    for p in sorted(pending, key=lambda p: (abs(p.epoch - middle), p.key)):
        if used + lengths[p.key] > budget:
            break
        kept.append(p)
        used += lengths[p.key]
    return sorted(kept, key=lambda p: (p.epoch, p.key))


def _load_items(ids: set[int]) -> dict[int, ContentItem]:
    if not ids:
        return {}
    items = db.session.scalars(
        sa.select(ContentItem)
        .where(ContentItem.id.in_(ids))
        .options(
            joinedload(ContentItem.unit),
            joinedload(ContentItem.theme),
            selectinload(ContentItem.assignments).joinedload(Assignment.user),
        )
    ).unique()
    return {item.id: item for item in items}


def _store(stale: list[Pending], cached: dict, bodies: dict[str, bytes]) -> None:
    new = [p for p in stale if p.key not in cached]
    if new:
        db.session.execute(
            sa.insert(FeedEventCache),
            [
                {"key": p.key, "fingerprint": p.fingerprint, "body": bodies[p.key].decode()}
                for p in new
            ],
        )
    for p in stale:
        if p.key in cached:
            db.session.execute(
                sa.update(FeedEventCache)
                .where(FeedEventCache.key == p.key)
                .values(fingerprint=p.fingerprint, body=bodies[p.key].decode())
            )


def _render(feed: Feed, p: Pending, item: ContentItem | None, theme: Theme | None) -> bytes:
    uid = p.key.removeprefix(feed.cache_prefix)
    if theme is not None:
        last = theme.ends_on or theme.starts_on
        end = last + timedelta(days=1) if last < date.max else last  # exclusive end, if any
        return ical.event(
            uid=uid,
            summary=_("Theme: %(name)s", name=theme.name),
            start=theme.starts_on,
            end=end,
            stamp=theme.updated_at.astimezone(UTC),
            created=theme.created_at.astimezone(UTC),
            sequence=0,
            description=theme.description,
            categories=[str(_l("Theme"))],
        )
    assert item is not None
    zone = ZoneInfo(item.unit.timezone)
    url = f"{feed.base_url}/items/{item.id}"
    people = ", ".join(f"{a.user.name} ({a.role.label})" for a in item.assignments)
    lines = [item.brief.strip()] if item.brief.strip() else []
    if people:
        lines.append(_("Assignments: %(people)s", people=people))
    lines.append(_("Status: %(status)s", status=item.status.label))
    lines.append(url)
    cancelled = item.status == Status.DIBATALKAN
    if p.kind == "draft":
        due = item.draft_due_at.astimezone(zone)
        summary = _("Draft due: %(title)s · %(unit)s", title=item.title, unit=item.unit.short_name)
        start, end = due, due + DEADLINE
    else:
        if item.planned_at is not None:
            start = item.planned_at.astimezone(zone)
            end = start + SLOT
        else:
            start, end = item.planned_date, item.planned_date + timedelta(days=1)
        summary = f"[{item.status.label}] {item.title} · {item.unit.short_name}"
    if cancelled:
        summary = _("CANCELLED: %(summary)s", summary=summary)
    return ical.event(
        uid=uid,
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
        categories=[item.format.label],
    )


def _event_times(event: AgendaEvent) -> tuple[datetime | date, datetime | date]:
    """Timed in the event's zone, or the whole day while the time is to be confirmed."""
    if event.starts_at is None:
        return event.day, event.day + timedelta(days=1)
    zone = ZoneInfo(event.timezone)
    return event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)


def _render_agenda(feed: Feed, p: Pending, event: AgendaEvent, access: str) -> bytes:
    uid = p.key.removeprefix(feed.cache_prefix)
    start, end = _event_times(event)
    stamp = max([event.updated_at, *(r.updated_at for r in event.requests)]).astimezone(UTC)
    sequence = event.version + sum(r.version for r in event.requests)
    if access != FULL:
        return ical.event(
            uid=uid,
            summary=_("Closed agenda"),
            start=start,
            end=end,
            stamp=stamp,
            created=event.created_at.astimezone(UTC),
            sequence=sequence,
            categories=[event.leader.label],
        )
    url = f"{feed.base_url}/agenda/{event.id}"
    lines = [_("Place: %(place)s", place=event.place)] if event.place else []
    if event.starts_at is None:
        lines.append(_("Time to be confirmed"))
    if event.notes.strip():
        lines.append(event.notes.strip())
    for r in event.requests:
        if r.status in (CoverageStatus.DITOLAK, CoverageStatus.DIBATALKAN):
            continue
        who = (
            r.assignee.name if r.assignee else _("%(unit)s (to be picked)", unit=r.unit.short_name)
        )
        lines.append(f"{r.deliverable.label}: {who} · {r.status.label}")
    if not event.covered and not event.cancelled:
        lines.append(_("Nobody covers this yet"))
    lines.append(url)
    summary = f"{event.leader.label}: {event.title}"
    if event.cancelled:
        summary = _("CANCELLED: %(summary)s", summary=summary)
    return ical.event(
        uid=uid,
        summary=summary,
        start=start,
        end=end,
        stamp=stamp,
        created=event.created_at.astimezone(UTC),
        sequence=sequence,
        description="\n".join(lines),
        url=url,
        status="CANCELLED" if event.cancelled else "CONFIRMED",
        categories=[event.leader.label],
        location=event.place or None,
    )


def _render_coverage(feed: Feed, p: Pending, request: CoverageRequest) -> bytes:
    uid = p.key.removeprefix(feed.cache_prefix)
    event = request.event
    start, end = _event_times(event)
    zone = event.timezone
    url = f"{feed.base_url}/agenda/{event.id}"
    due = request.due_at.astimezone(ZoneInfo(zone))
    lines = [
        _("Deliver: %(what)s", what=request.deliverable.label),
        _("Due: %(when)s", when=due.strftime("%Y-%m-%d %H.%M")),
    ]
    if request.instructions.strip():
        lines.append(request.instructions.strip())
    lines += [_("Status: %(status)s", status=request.status.label), url]
    stamp = max(request.updated_at, event.updated_at).astimezone(UTC)
    return ical.event(
        uid=uid,
        summary=_(
            "Coverage: %(title)s (%(what)s)", title=event.title, what=request.deliverable.label
        ),
        start=start,
        end=end,
        stamp=stamp,
        created=request.created_at.astimezone(UTC),
        sequence=request.version + event.version,
        description="\n".join(lines),
        url=url,
        categories=[request.deliverable.label],
        location=event.place or None,
    )


def _render_mentoring(feed: Feed, p: Pending, thing) -> bytes:
    uid = p.key.removeprefix(feed.cache_prefix)
    if p.kind == "training":
        training = thing
        zone = ZoneInfo(training.timezone)
        url = f"{feed.base_url}/trainings/{training.id}"
        lines = [training.kind.label]
        if training.summary.strip():
            lines.append(training.summary.strip())
        lines.append(url)
        return ical.event(
            uid=uid,
            summary=f"{training.kind.label}: {training.title}",
            start=training.starts_at.astimezone(zone),
            end=training.ends_at.astimezone(zone),
            stamp=training.updated_at.astimezone(UTC),
            created=training.created_at.astimezone(UTC),
            sequence=training.version,
            description="\n".join(lines),
            url=url,
            categories=[training.kind.label],
            location=training.place or None,
        )
    if p.kind == "follow-up":
        note = thing
        url = f"{feed.base_url}/units/{note.unit_id}/mentoring#note-{note.id}"
        return ical.event(
            uid=uid,
            summary=_("Follow-up visit: %(unit)s", unit=note.unit.short_name),
            start=note.next_follow_up,
            end=note.next_follow_up + timedelta(days=1),
            stamp=note.updated_at.astimezone(UTC),
            created=note.created_at.astimezone(UTC),
            sequence=note.version,
            description="\n".join(x for x in (note.recommendations.strip(), url) if x),
            url=url,
        )
    action = thing
    note = action.note
    url = f"{feed.base_url}/units/{note.unit_id}/mentoring#action-{action.id}"
    owner = action.owner.name if action.owner else "–"
    return ical.event(
        uid=uid,
        summary=_("RTL due: %(text)s · %(unit)s", text=action.text, unit=note.unit.short_name),
        start=action.due_on,
        end=action.due_on + timedelta(days=1),
        stamp=action.updated_at.astimezone(UTC),
        created=action.created_at.astimezone(UTC),
        sequence=action.version,
        description="\n".join(
            [
                _("Owner: %(name)s", name=owner),
                _("Status: %(status)s", status=action.status.label),
                url,
            ]
        ),
        url=url,
    )


def feed_bytes(feed: Feed, current: Fingerprint) -> bytes:
    """The bytes for this fingerprint: kept from the last build, rebuilt from the last build
    and the rows changed since, or built whole; then kept."""
    token = feed.token
    if token.cached_fingerprint == current.value and token.cached_body is not None:
        return token.cached_body
    built = _incremental(feed, current, token.cached_manifest, token.cached_body)
    if built is None:
        built = build(feed, current)
    token.cached_fingerprint = current.value
    token.cached_body = built.body
    token.cached_manifest = built.manifest
    token.cached_last_modified = clock.now()
    try:
        db.session.flush()
    except IntegrityError:  # another worker stored the same event text first: theirs is as good
        db.session.rollback()
    return built.body
