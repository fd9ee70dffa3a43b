"""Mentoring that is not merely ceremonial: RTL reach their owners, overdue ones are chased,
each training shows its units' progress, and a mentor corrects a note with its history kept.

Operations flush, never commit; refusals raise MentoringError and change nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from .. import clock
from ..accounts.models import Unit, User
from ..accounts.permissions import admins_of, role_in
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..notifications.models import Notification, NotificationKind
from ..notifications.services import notify
from ..timeutil import today
from .models import ActionItem, ActionStatus, MentoringChange, MentoringNote, Training
from .permissions import runs_trainings
from .services import ACTION_MAX, TEXT_MAX, MentoringError, StaleChange, _text

# ---- Tugas Saya and reminders ---------------------------------------------------------------


def _owned_query() -> sa.Select:
    """The statement; the owner (`user`) bound at each run."""
    return (
        sa.select(ActionItem)
        .join(ActionItem.note)
        .join(MentoringNote.unit)
        .where(
            ActionItem.owner_id == sa.bindparam("user"),
            ActionItem.status.in_(ActionStatus.open()),
            Unit.active.is_(True),
        )
        .options(contains_eager(ActionItem.note).contains_eager(MentoringNote.unit))
        .order_by(ActionItem.due_on, ActionItem.id)
    )


def my_actions(user: User) -> list[ActionItem]:
    """The open RTL this person owns, in active units, the earliest due first: one query."""
    return list(db.session.scalars(_owned_query(), {"user": user.id}))


def is_overdue(action: ActionItem) -> bool:
    """Past its due day in its unit's zone and still open."""
    return action.status in ActionStatus.open() and action.due_on < today(action.note.unit.timezone)


def send_overdue_reminders() -> int:
    """Each open RTL past its due day, once: its owner and the unit's admins hear of it."""
    already = sa.select(Notification.action_id).where(
        Notification.kind == NotificationKind.RTL_OVERDUE, Notification.action_id.is_not(None)
    )
    candidates = db.session.scalars(
        sa.select(ActionItem)
        .join(ActionItem.note)
        .join(MentoringNote.unit)
        .where(
            ActionItem.status.in_(ActionStatus.open()),
            Unit.active.is_(True),
            ActionItem.due_on < clock.now().date(),  # every zone's today is at least this
            ActionItem.id.not_in(already),
        )
        .options(
            contains_eager(ActionItem.note).contains_eager(MentoringNote.unit),
            joinedload(ActionItem.owner),
        )
    ).unique()
    sent = 0
    for action in candidates:
        if is_overdue(action):
            people = [action.owner, *admins_of(action.note.unit)]
            sent += notify(people, NotificationKind.RTL_OVERDUE, None, action=action)
    return sent


# ---- progress per training ------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    unit: Unit
    notes: int
    done: int
    open: int
    overdue: int
    dropped: int


def training_progress(training: Training) -> list[Progress]:
    """Each participating unit: notes written after the training and their RTL's state."""
    rows = []
    for unit in training.units:
        notes = [n for n in training.notes if n.unit_id == unit.id]
        actions = [a for n in notes for a in n.actions]
        rows.append(
            Progress(
                unit=unit,
                notes=len(notes),
                done=sum(1 for a in actions if a.status == ActionStatus.SELESAI),
                open=sum(1 for a in actions if a.status in ActionStatus.open()),
                overdue=sum(1 for a in actions if is_overdue(a)),
                dropped=sum(1 for a in actions if a.status == ActionStatus.TIDAK_DILANJUTKAN),
            )
        )
    return rows


# ---- corrections, kept in the note's history ------------------------------------------------

# The words for each corrected field in the note's history.
CHANGED_FIELDS = {
    "went_well": _l("What went well"),
    "to_improve": _l("What to improve"),
    "recommendations": _l("Recommendations"),
    "next_follow_up": _l("Next follow-up visit"),
    "text": _l("Action"),
    "owner": _l("Owner"),
    "due_on": _l("Due"),
}


def _record(note: MentoringNote, by: User, changes: list, action: ActionItem | None = None):
    if changes:
        note.changes.append(
            MentoringChange(
                action=action,
                user=by,
                created_at=clock.now(),
                changes=json.dumps(changes, ensure_ascii=False),
            )
        )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def correct_note(
    note: MentoringNote,
    by: User,
    version: int,
    *,
    went_well: str,
    to_improve: str,
    recommendations: str,
    next_follow_up: date | None,
) -> None:
    """The mentor fixes a note's text or follow-up date; what it said before stays visible."""
    if not runs_trainings(by):
        raise MentoringError(_l("Only coordinators correct mentoring notes."))
    if version != note.version:
        raise StaleChange()
    texts = {
        "went_well": _text(went_well, TEXT_MAX, "went_well"),
        "to_improve": _text(to_improve, TEXT_MAX, "to_improve"),
        "recommendations": _text(recommendations, TEXT_MAX, "recommendations"),
    }
    if not any(texts.values()):
        raise MentoringError(_l("Write at least one observation or recommendation."), "to_improve")
    if next_follow_up is not None and next_follow_up < note.noted_on:
        raise MentoringError(
            _l("The next follow-up cannot be before the note's date."), "next_follow_up"
        )
    changes = [[k, getattr(note, k), v] for k, v in texts.items() if getattr(note, k) != v]
    if note.next_follow_up != next_follow_up:
        changes.append(["next_follow_up", _day(note.next_follow_up), _day(next_follow_up)])
    if not changes:
        return
    for name, value in texts.items():
        setattr(note, name, value)
    note.next_follow_up = next_follow_up
    _record(note, by, changes)
    db.session.flush()


def correct_action(
    action: ActionItem, by: User, version: int, *, text: str, owner: User | None, due_on: date
) -> None:
    """The mentor fixes an RTL's words, owner or due date; a new owner is told."""
    if not runs_trainings(by):
        raise MentoringError(_l("Only coordinators correct follow-up actions."))
    if version != action.version:
        raise StaleChange()
    note = action.note
    text = _text(text, ACTION_MAX, "text")
    if not text:
        raise MentoringError(_l("Every action needs a description."), "text")
    if owner is None or not owner.active or role_in(owner, note.unit_id) is None:
        raise MentoringError(
            _l(
                "The owner of an action must be an active member of %(unit)s.",
                unit=note.unit.short_name,
            ),
            "owner",
        )
    start = note.training.day if note.training is not None else note.noted_on
    if due_on < start:
        raise MentoringError(_l("An action cannot be due before the training or visit."), "due_on")
    changes = []
    if action.text != text:
        changes.append(["text", action.text, text])
    if action.owner_id != owner.id:
        changes.append(["owner", action.owner.name if action.owner else None, owner.name])
    if action.due_on != due_on:
        changes.append(["due_on", _day(action.due_on), _day(due_on)])
    if not changes:
        return
    new_owner = action.owner_id != owner.id
    action.text, action.owner, action.due_on = text, owner, due_on
    _record(note, by, changes, action)
    db.session.flush()
    if new_owner:
        notify([owner], NotificationKind.RTL_ASSIGNED, by, action=action)


def change_list(change: MentoringChange) -> list[tuple[str, str | None, str | None]]:
    return [tuple(c) for c in json.loads(change.changes)]
