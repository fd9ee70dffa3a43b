"""Reading trainings, notes and RTL, and whether posting improved after a training. Nothing
here writes."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..accounts.models import Unit, User
from ..content.models import ChecklistEntry, ChecklistTick, ContentItem
from ..content.workflow import Status, on_time
from ..extensions import db
from ..timeutil import local
from .models import (
    ActionItem,
    ActionStatus,
    MentoringChange,
    MentoringNote,
    Training,
    TrainingKind,
    training_unit,
)
from .permissions import can_read_mentoring, training_binds, trainings_clause

# ---- reading -------------------------------------------------------------------------------


def trainings_query() -> sa.Select:
    return sa.select(Training).options(
        selectinload(Training.units),
        selectinload(Training.participants),
        joinedload(Training.organiser),
    )


def note_status(training: Training) -> list[tuple[Unit, list[MentoringNote]]]:
    """Each participating unit with the notes written for it after this training."""
    notes = defaultdict(list)
    for note in training.notes:
        notes[note.unit_id].append(note)
    return [(unit, notes.get(unit.id, [])) for unit in training.units]


def notes_query() -> sa.Select:
    return (
        sa.select(MentoringNote)
        .options(
            joinedload(MentoringNote.author),
            joinedload(MentoringNote.training),
            selectinload(MentoringNote.items),
            selectinload(MentoringNote.actions).options(
                joinedload(ActionItem.owner), joinedload(ActionItem.checked_by)
            ),
            selectinload(MentoringNote.changes).joinedload(MentoringChange.user),
        )
        .order_by(MentoringNote.noted_on.desc(), MentoringNote.id.desc())
    )


def unit_notes(unit: Unit) -> list[MentoringNote]:
    return list(db.session.scalars(notes_query().where(MentoringNote.unit_id == unit.id)))


def notes_for_item(item: ContentItem) -> list[MentoringNote]:
    return list(
        db.session.scalars(
            sa.select(MentoringNote)
            .join(MentoringNote.items)
            .where(ContentItem.id == item.id)
            .options(joinedload(MentoringNote.author))
            .order_by(MentoringNote.id)
        )
    )


def item_part(viewer: User, item: ContentItem) -> dict:
    """On an item's page (calendarapp/parts.py): the mentoring feedback on it, for those
    who may read the unit's notes."""
    shown = can_read_mentoring(viewer, item.unit)
    return {"mentoring_notes": notes_for_item(item) if shown else []}


def actions_in(statuses) -> list[ActionItem]:
    """Every RTL in these states across active units, the earliest due first: one query."""
    return list(
        db.session.scalars(
            sa.select(ActionItem)
            .join(ActionItem.note)
            .join(MentoringNote.unit)
            .where(ActionItem.status.in_(statuses), Unit.active.is_(True))
            .options(
                contains_eager(ActionItem.note).contains_eager(MentoringNote.unit),
                joinedload(ActionItem.owner),
            )
            .order_by(ActionItem.due_on, Unit.name, ActionItem.id)
        )
    )


def open_actions() -> list[ActionItem]:
    """Every open RTL across active units, the most overdue first."""
    return actions_in(ActionStatus.open())


# ---- did posting improve? --------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    offset: int  # -N..-1 before the training, 1..N after
    start: date
    posted: int
    planned: int  # posted items that had a planned date or time
    on_time: int
    checked: int  # posted items with every required check ticked

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.planned if self.planned else None

    @property
    def pass_rate(self) -> float | None:
        return self.checked / self.posted if self.posted else None


@dataclass(frozen=True)
class Effect:
    before: list[Week]
    after: list[Week]

    @staticmethod
    def _mean(weeks: list[Week], top: str, bottom: str) -> float | None:
        total = sum(getattr(w, bottom) for w in weeks)
        return sum(getattr(w, top) for w in weeks) / total if total else None

    def posts_per_week(self, side: str) -> float:
        weeks = getattr(self, side)
        return sum(w.posted for w in weeks) / len(weeks) if weeks else 0.0

    def on_time_rate(self, side: str) -> float | None:
        return self._mean(getattr(self, side), "on_time", "planned")

    def pass_rate(self, side: str) -> float | None:
        return self._mean(getattr(self, side), "checked", "posted")


def _on_time(item: ContentItem, zone: ZoneInfo) -> bool | None:
    """None when the post had no planned day; else Pantauan's rule (monitoring/figures.py)."""
    if item.planned_at is not None:
        planned = item.planned_at.astimezone(zone).date()
    elif item.planned_date is not None:
        planned = item.planned_date
    else:
        return None
    return on_time(item.posted_at.astimezone(zone).date(), planned)


def effect(unit: Unit, first_day: date, last_day: date, weeks: int) -> Effect:
    """Posts per week, on-time rate and checklist pass rate, N weeks before and after.

    Weeks are 7-day blocks counted back from the day before the training and on from the day
    after it, in the unit's zone; a post counts in the week of its publication (posted_at).
    """
    zone = ZoneInfo(unit.timezone)
    low = datetime.combine(first_day - timedelta(days=7 * weeks), time(), zone)
    high = datetime.combine(last_day + timedelta(days=7 * weeks + 1), time(), zone)
    items = db.session.scalars(
        sa.select(ContentItem).where(
            ContentItem.unit_id == unit.id,
            ContentItem.status == Status.TAYANG,
            ContentItem.posted_at >= low,
            ContentItem.posted_at < high,
        )
    ).all()
    required = set(
        db.session.scalars(
            sa.select(ChecklistEntry.id).where(
                ChecklistEntry.required.is_(True), ChecklistEntry.active.is_(True)
            )
        )
    )
    ticks = defaultdict(set)
    if items:
        for item_id, entry_id in db.session.execute(
            sa.select(ChecklistTick.item_id, ChecklistTick.entry_id).where(
                ChecklistTick.item_id.in_([i.id for i in items])
            )
        ):
            ticks[item_id].add(entry_id)
    buckets: dict[int, list[ContentItem]] = defaultdict(list)
    for item in items:
        day = item.posted_at.astimezone(zone).date()
        if day < first_day:  # the day before is week -1, a week before that is -2 ...
            buckets[-(((first_day - day).days - 1) // 7 + 1)].append(item)
        elif day > last_day:  # the day after is week 1
            buckets[((day - last_day).days - 1) // 7 + 1].append(item)

    def week(offset: int) -> Week:
        if offset < 0:
            start = first_day + timedelta(days=7 * offset)
        else:
            start = last_day + timedelta(days=7 * (offset - 1) + 1)
        posts = buckets.get(offset, [])
        timings = [_on_time(i, zone) for i in posts]
        return Week(
            offset=offset,
            start=start,
            posted=len(posts),
            planned=sum(1 for t in timings if t is not None),
            on_time=sum(1 for t in timings if t),
            checked=sum(1 for i in posts if required <= ticks[i.id]),
        )

    return Effect(
        before=[week(-n) for n in range(weeks, 0, -1)],
        after=[week(n) for n in range(1, weeks + 1)],
    )


def trainings_of(unit: Unit) -> list[Training]:
    """The trainings the unit took part in, newest first."""
    took_part = sa.select(training_unit.c.training_id).where(training_unit.c.unit_id == unit.id)
    return list(
        db.session.scalars(
            trainings_query().where(Training.id.in_(took_part)).order_by(Training.starts_at.desc())
        )
    )


class DayTraining(NamedTuple):
    """A training as a calendar's day shows it (`trainings_by_day`): the columns its chip names."""

    id: int
    kind: TrainingKind
    title: str
    place: str
    timezone: str
    starts_at: datetime


def trainings_by_day(user: User, days) -> dict[date, list[DayTraining]]:
    """The trainings this person may see on each day of the range (in each training's zone):
    one statement, the rule in it (`trainings_clause`), the chips' columns only."""
    binds = {
        "low": datetime.combine(days.start - timedelta(days=1), time(), ZoneInfo("UTC")),
        "high": datetime.combine(days.end + timedelta(days=2), time(), ZoneInfo("UTC")),
        **training_binds(user),
    }
    found: dict[date, list[DayTraining]] = defaultdict(list)
    query = _day_trainings_query(user.is_active, user.is_coordinator)
    for row in db.session.execute(query, binds):
        training = DayTraining._make(row)
        day = local(training.starts_at, training.timezone).date()
        if days.start <= day <= days.end:
            found[day].append(training)
    return dict(found)


@functools.cache
def _day_trainings_query(active: bool, coordinator: bool) -> sa.Select:
    """`trainings_by_day`'s statement for each shape of the rule, built once (0.5 ms saved on
    each month and week look, measured); the range and the person bound at each run."""
    query = sa.select(*(getattr(Training, name) for name in DayTraining._fields)).where(
        Training.starts_at >= sa.bindparam("low"), Training.starts_at < sa.bindparam("high")
    )
    viewer, units = sa.bindparam("viewer"), sa.bindparam("viewer_units", expanding=True)
    may_see = trainings_clause(active, coordinator, viewer, units)
    if may_see is not None:
        query = query.where(may_see)
    return query.order_by(Training.starts_at, Training.id)
