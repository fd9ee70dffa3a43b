"""Trainings, follow-up visits and RTL due dates on calendars (calendarapp/sources.py): the
trainings on the days of the month and week views; all three in the trainings feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import contains_eager, selectinload

from ..accounts.models import Unit
from ..extensions import db
from ..feeds import ical
from ..feeds.models import FeedScope
from ..i18n import format_local_time
from ..i18n import phrase as _  # the same words on every chip: looked up once
from ..sources import DayChip, FeedView, Looking, Pending, Print, pending, uid_of
from .models import ActionItem, ActionStatus, MentoringNote, Training
from .permissions import can_view_training
from .reads import DayTraining, trainings_by_day, trainings_query


class TrainingDays:
    kind = "training"

    def place(self, looking: Looking) -> dict[date, list[DayChip]]:
        found = trainings_by_day(looking.viewer, looking.days)
        return {day: [_chip(t) for t in trainings] for day, trainings in found.items()}


def _chip(training: DayTraining) -> DayChip:
    kind = training.kind.label
    return DayChip(
        "training",
        ("training-id", training.id),
        format_local_time(training.starts_at, training.timezone),
        training.title,
        " · ".join(part for part in (training.title, kind, training.place) if part),
        href=url_for("mentoring.training", training_id=training.id),
        badge=kind,
    )


class MentoringFeed:
    """Trainings the owner may see; and follow-up visits and open RTL due dates of the notes
    the owner wrote (a mentor) or of the owner's units."""

    kinds = ("training", "follow-up", "rtl")

    def shows(self, feed: FeedView) -> bool:
        return feed.token.scope == FeedScope.TRAININGS

    def fingerprint(self, feed: FeedView) -> Print:
        """The owner's units, and the trainings, notes and RTL."""
        user = feed.token.user
        parts: list = [
            ",".join(sorted(f"{m.unit_id}:{m.role}" for m in user.memberships)),
            str(user.is_coordinator),
        ]
        for model in (Training, MentoringNote, ActionItem):
            parts += db.session.execute(
                sa.select(
                    sa.func.count(model.id),
                    sa.func.sum(model.version),
                    sa.func.max(model.updated_at),
                )
            ).one()
        return Print(tuple(parts), tuple(value for value in parts[4::3] if value is not None))

    def events(self, feed: FeedView) -> list[Pending]:
        return [*self._trainings(feed), *self._follow_ups(feed)]

    def _trainings(self, feed: FeedView) -> list[Pending]:
        low, high = feed.window
        trainings = db.session.scalars(
            trainings_query().where(Training.starts_at.between(low, high))
        ).all()
        return [
            pending(
                feed,
                f"training-{training.id}",
                f"{training.id}|{training.version}|{training.updated_at.isoformat()}",
                training.starts_at,
                "training",
                zone=training.timezone,
                subject=training,
            )
            for training in trainings
            if can_view_training(feed.token.user, training)
        ]

    def _follow_ups(self, feed: FeedView) -> list[Pending]:
        low, high = feed.window
        user = feed.token.user
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
        found = []
        for note in notes:
            zone = ZoneInfo(note.unit.timezone)
            if note.next_follow_up and low.date() <= note.next_follow_up <= high.date():
                base = f"{note.id}|{note.version}|{note.updated_at.isoformat()}"
                start = datetime.combine(note.next_follow_up, time(), zone)
                name = f"follow-up-{note.id}"
                found.append(pending(feed, name, base, start, "follow-up", subject=note))
            for action in note.actions:
                if (
                    action.status in ActionStatus.open()
                    and low.date() <= action.due_on <= high.date()
                ):
                    base = f"{action.id}|{action.version}|{action.updated_at.isoformat()}"
                    start = datetime.combine(action.due_on, time(), zone)
                    found.append(
                        pending(feed, f"rtl-{action.id}", base, start, "rtl", subject=action)
                    )
        return found

    def render(self, feed: FeedView, events: list[Pending]) -> dict[str, bytes]:
        draw = {"training": _training, "follow-up": _follow_up, "rtl": _action}
        return {p.key: draw[p.kind](feed, p, p.subject) for p in events}


def _training(feed: FeedView, p: Pending, training: Training) -> bytes:
    zone = ZoneInfo(training.timezone)
    url = f"{feed.base_url}/trainings/{training.id}"
    lines = [training.kind.label]
    if training.summary.strip():
        lines.append(training.summary.strip())
    lines.append(url)
    return ical.event(
        uid=uid_of(feed, p),
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


def _follow_up(feed: FeedView, p: Pending, note: MentoringNote) -> bytes:
    url = f"{feed.base_url}/units/{note.unit_id}/mentoring#note-{note.id}"
    return ical.event(
        uid=uid_of(feed, p),
        summary=_("Follow-up visit: %(unit)s", unit=note.unit.short_name),
        start=note.next_follow_up,
        end=note.next_follow_up + timedelta(days=1),
        stamp=note.updated_at.astimezone(UTC),
        created=note.created_at.astimezone(UTC),
        sequence=note.version,
        description="\n".join(x for x in (note.recommendations.strip(), url) if x),
        url=url,
    )


def _action(feed: FeedView, p: Pending, action: ActionItem) -> bytes:
    note = action.note
    url = f"{feed.base_url}/units/{note.unit_id}/mentoring#action-{action.id}"
    owner = action.owner.name if action.owner else "–"
    return ical.event(
        uid=uid_of(feed, p),
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


TRAINING_DAYS = TrainingDays()
FEED = MentoringFeed()
