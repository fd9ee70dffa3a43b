"""The events a feed holds, kind by kind (items, themes, agenda, coverage, trainings and
follow-ups), each with the version its cached text is kept under."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cached_property
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..accounts.models import Unit
from ..accounts.permissions import (
    agenda_access,
    can_view_training,
)
from ..content.models import ContentItem, Theme
from ..coverage.models import AgendaEvent, CoverageRequest
from ..coverage.reads import events_query
from ..coverage.services import event_bounds
from ..extensions import db
from ..mentoring import services as mentoring
from ..mentoring.models import ActionItem, ActionStatus, MentoringNote, Training
from .contents import UID_DOMAIN, WRITING_VALUES, Feed

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


def item_events(
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


def other_events(feed: Feed) -> tuple[list[Pending], dict, dict]:
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
