"""Trainings, mentoring notes and their RTL; the before/after figures. They flush, never commit.

Every refusal raises MentoringError with a message for the user and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .. import clock
from ..accounts.models import Unit, User
from ..accounts.permissions import planners_of, role_in
from ..content.models import ContentItem
from ..content.posted import valid_url
from ..errors import Refused, Stale
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..notifications.models import NotificationKind
from ..notifications.services import notify
from ..timeutil import ZONE_LABELS
from .models import (
    ActionItem,
    ActionStatus,
    Material,
    MentoringNote,
    Speaker,
    Training,
    TrainingKind,
)
from .permissions import can_update_action, runs_trainings

TITLE_MAX = 200
PLACE_MAX = 200
TEXT_MAX = 5000
ACTION_MAX = 500
SPEAKERS_MAX = 20
FILE_MAX = 5 * 1024 * 1024
# What a material may be, by extension, with the bytes such a file starts with.
FILE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


class MentoringError(Refused):
    """A change to a training, a note or an RTL we refuse."""


class StaleChange(MentoringError, Stale):
    def __init__(self) -> None:
        super().__init__(
            _l("Someone changed this in the meantime. Look at the current state and try again.")
        )


def _text(value: str, limit: int, name: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise MentoringError(
            _l("This text is too long (at most %(limit)d characters).", limit=limit), name
        )
    return value


# ---- trainings -----------------------------------------------------------------------------


@dataclass
class TrainingFields:
    kind: TrainingKind
    title: str
    day: date
    start: time
    end: time
    timezone: str
    place: str = ""
    organiser: Unit | None = None
    summary: str = ""
    units: list[Unit] = field(default_factory=list)
    participants: list[User] = field(default_factory=list)
    speakers: list[tuple[str, str, str]] = field(default_factory=list)  # name, affiliation, topic


def _check_training(data: TrainingFields) -> tuple[datetime, datetime]:
    data.title = _text(data.title, TITLE_MAX, "title")
    if not data.title:
        raise MentoringError(_l("A title is needed."), "title")
    data.place = _text(data.place, PLACE_MAX, "place")
    data.summary = _text(data.summary, TEXT_MAX, "summary")
    if data.timezone not in ZONE_LABELS:
        raise MentoringError(_l("Choose WIB, WITA or WIT."), "timezone")
    zone = ZoneInfo(data.timezone)
    starts = datetime.combine(data.day, data.start, zone)
    ends = datetime.combine(data.day, data.end, zone)
    if ends <= starts:
        raise MentoringError(_l("The training must end after it starts."), "end")
    if any(not unit.active for unit in data.units):
        raise MentoringError(_l("This unit is no longer active."), "units")
    speakers = [
        (name.strip(), affiliation.strip(), topic.strip())
        for name, affiliation, topic in data.speakers
    ]
    speakers = [s for s in speakers if any(s)]
    if len(speakers) > SPEAKERS_MAX:
        raise MentoringError(_l("At most %(limit)d speakers.", limit=SPEAKERS_MAX), "speakers")
    for name, affiliation, topic in speakers:
        if not name:
            raise MentoringError(_l("Every speaker needs a name."), "speakers")
        if len(name) > 120 or len(affiliation) > 160 or len(topic) > 200:
            raise MentoringError(_l("A speaker's details are too long."), "speakers")
    data.speakers = speakers
    return starts, ends


def _apply_training(training: Training, data: TrainingFields, starts, ends) -> None:
    training.kind = data.kind
    training.title, training.place, training.summary = data.title, data.place, data.summary
    training.timezone, training.starts_at, training.ends_at = data.timezone, starts, ends
    training.organiser = data.organiser
    training.units = list({u.id: u for u in data.units}.values())
    training.participants = list({u.id: u for u in data.participants}.values())
    training.speakers = [
        Speaker(name=n, affiliation=a, topic=t, position=i)
        for i, (n, a, t) in enumerate(data.speakers)
    ]
    # the unit list lives in its own table: touch the row so its version sees the change
    training.updated_at = clock.now()


def create_training(by: User, data: TrainingFields, creation_token: str | None = None) -> Training:
    if not runs_trainings(by):
        raise MentoringError(_l("Only coordinators plan trainings."))
    if made := Training.made_with(creation_token, MentoringError, created_by_id=by.id):
        return made
    starts, ends = _check_training(data)
    training = Training(created_by_id=by.id, creation_token=creation_token or None)
    _apply_training(training, data, starts, ends)
    db.session.add(training)
    db.session.flush()
    return training


def update_training(training: Training, by: User, version: int, data: TrainingFields) -> None:
    if not runs_trainings(by):
        raise MentoringError(_l("Only coordinators plan trainings."))
    if version != training.version:
        raise StaleChange()
    starts, ends = _check_training(data)
    _apply_training(training, data, starts, ends)
    db.session.flush()


def add_link(training: Training, by: User, title: str, url: str) -> Material:
    if not runs_trainings(by):
        raise MentoringError(_l("Only coordinators plan trainings."))
    title = _text(title, TITLE_MAX, "title")
    url = (url or "").strip()
    if not valid_url(url):
        raise MentoringError(_l("Give a web address starting with http:// or https://."), "url")
    material = Material(title=title or url[:TITLE_MAX], url=url, created_at=clock.now())
    training.materials.append(material)
    db.session.flush()
    return material


def add_file(training: Training, by: User, title: str, filename: str, data: bytes) -> Material:
    """A file of an allowed type, checked by its first bytes as well as its name."""
    if not runs_trainings(by):
        raise MentoringError(_l("Only coordinators plan trainings."))
    title = _text(title, TITLE_MAX, "title")
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_TYPES:
        raise MentoringError(
            _l("Only PDF, PowerPoint, Word, Excel, JPEG or PNG files can be attached."), "file"
        )
    if len(data) > FILE_MAX:
        raise MentoringError(
            _l("The file is too large (at most %(mb)d MB).", mb=FILE_MAX // 2**20), "file"
        )
    if not data:
        raise MentoringError(_l("The file is empty."), "file")
    content_type, signatures = FILE_TYPES[extension]
    if not data.startswith(signatures):
        raise MentoringError(
            _l("The file's contents do not match its type (.%(ext)s).", ext=extension), "file"
        )
    material = Material(
        title=title or name,
        filename=name,
        content_type=content_type,
        size=len(data),
        data=data,
        created_at=clock.now(),
    )
    training.materials.append(material)
    db.session.flush()
    return material


# ---- notes and their RTL -------------------------------------------------------------------


@dataclass
class ActionFields:
    text: str
    owner: User | None
    due_on: date | None


@dataclass
class NoteFields:
    unit: Unit
    noted_on: date
    training: Training | None = None
    went_well: str = ""
    to_improve: str = ""
    recommendations: str = ""
    next_follow_up: date | None = None
    items: list[ContentItem] = field(default_factory=list)
    actions: list[ActionFields] = field(default_factory=list)


def write_note(by: User, data: NoteFields, creation_token: str | None = None) -> MentoringNote:
    """A coordinator's note for a unit, with its RTL; checked whole before anything is written."""
    if not runs_trainings(by):
        raise MentoringError(_l("Only coordinators write mentoring notes."))
    if made := MentoringNote.made_with(
        creation_token, MentoringError, unit_id=data.unit.id, author_id=by.id
    ):
        return made
    unit, training = data.unit, data.training
    if not unit.active:
        raise MentoringError(_l("This unit is no longer active."), "unit")
    if training is not None and all(u.id != unit.id for u in training.units):
        raise MentoringError(
            _l(
                "%(unit)s did not take part in this training: write it as a standalone visit.",
                unit=unit.short_name,
            ),
            "unit",
        )
    start = training.day if training is not None else data.noted_on
    if training is not None and data.noted_on < training.day:
        raise MentoringError(_l("The note cannot be dated before the training."), "noted_on")
    texts = {
        name: _text(getattr(data, name), TEXT_MAX, name)
        for name in ("went_well", "to_improve", "recommendations")
    }
    if not any(texts.values()):
        raise MentoringError(_l("Write at least one observation or recommendation."), "to_improve")
    if data.next_follow_up is not None and data.next_follow_up < data.noted_on:
        raise MentoringError(
            _l("The next follow-up cannot be before the note's date."), "next_follow_up"
        )
    for item in data.items:
        if item.unit_id != unit.id:
            raise MentoringError(_l("Only this unit's posts can be pointed at."), "items")
    actions = []
    for action in data.actions:
        text = _text(action.text, ACTION_MAX, "actions")
        if not text and action.owner is None and action.due_on is None:
            continue  # an empty row of the form
        if not text:
            raise MentoringError(_l("Every action needs a description."), "actions")
        if (
            action.owner is None
            or not action.owner.active
            or role_in(action.owner, unit.id) is None
        ):
            raise MentoringError(
                _l(
                    "The owner of an action must be an active member of %(unit)s.",
                    unit=unit.short_name,
                ),
                "actions",
            )
        if action.due_on is None:
            raise MentoringError(_l("Every action needs a due date."), "actions")
        if action.due_on < start:
            raise MentoringError(
                _l("An action cannot be due before the training or visit."), "actions"
            )
        actions.append(ActionItem(text=text, owner=action.owner, due_on=action.due_on))
    note = MentoringNote(
        unit=unit,
        training=training,
        author=by,
        noted_on=data.noted_on,
        next_follow_up=data.next_follow_up,
        items=list({i.id: i for i in data.items}.values()),
        actions=actions,
        creation_token=creation_token or None,
        **texts,
    )
    db.session.add(note)
    db.session.flush()
    notify(planners_of(unit), NotificationKind.MENTORING_NOTE, by, note=note)
    for action in note.actions:
        notify([action.owner], NotificationKind.RTL_ASSIGNED, by, action=action)
    return note


def set_action_status(
    action: ActionItem, by: User, status: ActionStatus, version: int, reason: str = ""
) -> None:
    """The unit reports progress; a new status needs the mentor to check it again."""
    if not can_update_action(by, action):
        raise MentoringError(_l("Only the owner or the unit's admins and editors update this."))
    if version != action.version:
        raise StaleChange()
    reason = _text(reason, 2000, "reason")
    if status == ActionStatus.TIDAK_DILANJUTKAN and not reason:
        raise MentoringError(_l("Please say why it is not pursued."), "reason")
    if status == action.status and reason == action.reason:
        return
    was_open = action.status in ActionStatus.open()
    action.status, action.reason = status, reason
    action.checked_at = action.checked_by = None
    if status in ActionStatus.open():
        action.closed_at = None
    elif was_open:
        action.closed_at = clock.now()
    db.session.flush()
    if status not in ActionStatus.open():  # finished or dropped: the mentor checks it
        notify([action.note.author], NotificationKind.RTL_FINISHED, by, action=action)


def check_action(action: ActionItem, by: User, version: int) -> None:
    """The mentor confirms a finished (or dropped) action."""
    if not runs_trainings(by):
        raise MentoringError(_l("Only coordinators check actions."))
    if version != action.version:
        raise StaleChange()
    if action.status in ActionStatus.open():
        raise MentoringError(_l("Only a finished or dropped action can be checked."))
    action.checked_at, action.checked_by = clock.now(), by
    db.session.flush()
