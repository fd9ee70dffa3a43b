"""Recurring slots: define them, expand them over a week, fill or skip an occurrence, copy last
week's plan, and the week's figures. Plain functions that flush, never commit."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from .. import clock
from ..accounts.models import Unit, User
from ..accounts.permissions import role_in
from ..content import services as content
from ..content.models import AssigneeRole, ContentFormat, ContentItem, Platform, Theme
from ..content.permissions import plans_in_unit
from ..content.workflow import Status
from ..errors import Refused, Stale
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..timeutil import FIRST_YEAR, LAST_YEAR, DateRange, today
from .models import WEEKDAYS, Frequency, Slot, SlotFill

TITLE_MAX = 200


class SlotError(Refused):
    """A slot, or a fill or skip of one, we refuse."""


class StaleSlot(SlotError, Stale):
    """The form was made from an older version of the slot than the one saved now."""

    def __init__(self) -> None:
        super().__init__(
            _l("Someone changed this slot in the meantime. Look at it again and save once more.")
        )


@dataclass
class SlotFields:
    title: str
    format: ContentFormat
    weekdays: list[str]
    frequency: Frequency
    starts_on: date
    at: time | None = None
    pillar: Theme | None = None
    platforms: list[Platform] = field(default_factory=list)
    ends_on: date | None = None
    assignee: User | None = None
    assignee_role: AssigneeRole | None = None


# the role a slot's usual maker takes when the form leaves it open
ROLE_FOR_FORMAT = {
    ContentFormat.FOTO: AssigneeRole.FOTOGRAFER,
    ContentFormat.VIDEO_PENDEK: AssigneeRole.VIDEOGRAFER,
    ContentFormat.SIARAN_LANGSUNG: AssigneeRole.VIDEOGRAFER,
    ContentFormat.INFOGRAFIS: AssigneeRole.DESAINER,
    ContentFormat.CAROUSEL: AssigneeRole.DESAINER,
    ContentFormat.ARTIKEL: AssigneeRole.PENULIS,
}


def _in_unit(person: User | None, unit: Unit) -> bool:
    return person is not None and person.active and role_in(person, unit.id) is not None


def _check(unit: Unit, by: User, data: SlotFields) -> None:
    if not unit.active or not plans_in_unit(by, unit.id):
        raise SlotError(_l("Only the unit's admins and editors plan its slots."))
    data.title = (data.title or "").strip() or (data.pillar.name if data.pillar else "")
    if not data.title:
        raise SlotError(_l("A title is needed."), "title")
    if len(data.title) > TITLE_MAX:
        raise SlotError(
            _l("The title is too long (at most %(limit)d characters).", limit=TITLE_MAX), "title"
        )
    if not data.weekdays or any(d not in WEEKDAYS for d in data.weekdays):
        raise SlotError(_l("Choose at least one weekday."), "weekdays")
    if data.pillar is not None and (data.pillar.unit_id != unit.id or data.pillar.archived):
        raise SlotError(_l("Choose one of this unit's pillars."), "pillar")
    for name in ("starts_on", "ends_on"):
        day = getattr(data, name)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise SlotError(_l("Choose a date between the years 2000 and 2100."), name)
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise SlotError(_l("The last day cannot be before the first."), "ends_on")
    if data.assignee is None:
        data.assignee_role = None
    elif not _in_unit(data.assignee, unit):
        raise SlotError(_l("Only members of this unit can be assigned."), "assignee")
    else:
        data.assignee_role = data.assignee_role or ROLE_FOR_FORMAT[data.format]


def _apply(slot: Slot, data: SlotFields) -> None:
    slot.title, slot.pillar, slot.format = data.title, data.pillar, data.format
    slot.platforms = ",".join(p.value for p in data.platforms)
    slot.weekdays = ",".join(d for d in WEEKDAYS if d in data.weekdays)
    slot.at, slot.frequency = data.at, data.frequency
    slot.starts_on, slot.ends_on = data.starts_on, data.ends_on
    slot.assignee, slot.assignee_role = data.assignee, data.assignee_role


def save_slot(unit: Unit, by: User, data: SlotFields) -> Slot:
    _check(unit, by, data)
    slot = Slot(unit=unit, active=True)
    _apply(slot, data)
    db.session.add(slot)
    db.session.flush()
    return slot


def edit_slot(slot: Slot, by: User, version: int, data: SlotFields) -> tuple[Slot, date | None]:
    """Change a slot: answers the slot that now recurs and, when that is a successor, its first day.

    New weekdays, a new rhythm or a later first day apply from today: a slot that already ran ends
    yesterday and a successor takes over with the fills from its first day on, so the weeks before
    keep their plan.
    """
    if not plans_in_unit(by, slot.unit_id):
        raise SlotError(_l("Only the unit's admins and editors plan its slots."))
    if version != slot.version:
        raise StaleSlot()
    local_today = today(slot.unit.timezone)
    if slot.ended(local_today):
        raise SlotError(_l("This slot has ended; make a new one instead."))
    rhythm = [d for d in WEEKDAYS if d in data.weekdays] != slot.days or (
        data.frequency != slot.frequency or data.starts_on > slot.starts_on
    )
    if not (rhythm and slot.starts_on < local_today):
        _check(slot.unit, by, data)
        _apply(slot, data)
        db.session.flush()
        return slot, None
    data.starts_on = max(data.starts_on, local_today)
    _check(slot.unit, by, data)
    successor = Slot(unit=slot.unit, follows=slot, active=True)
    _apply(successor, data)
    db.session.add(successor)
    slot.ends_on = local_today - timedelta(days=1)
    db.session.flush()
    db.session.execute(
        sa.update(SlotFill)
        .where(SlotFill.slot_id == slot.id, SlotFill.day >= data.starts_on)
        .values(slot_id=successor.id)
    )
    return successor, data.starts_on


def retire_slot(slot: Slot, by: User) -> None:
    """A slot no longer used stops recurring from today; the weeks it ran keep it, and its items."""
    if not plans_in_unit(by, slot.unit_id):
        raise SlotError(_l("Only the unit's admins and editors plan its slots."))
    local_today = today(slot.unit.timezone)
    if slot.ended(local_today):
        return
    if slot.starts_on < local_today:
        slot.ends_on = local_today - timedelta(days=1)
    else:
        slot.active = False  # it never ran: nothing to keep
    db.session.flush()


# ---- occurrences ---------------------------------------------------------------------------


@dataclass
class Occurrence:
    slot: Slot
    day: date
    fill: SlotFill | None

    @property
    def empty(self) -> bool:
        return self.fill is None

    @property
    def skipped(self) -> bool:
        return self.fill is not None and self.fill.skipped

    @property
    def moved_to(self) -> date | None:
        """The day its item was moved to, when it no longer falls on this occurrence's day."""
        item = self.fill.item if self.fill is not None else None
        if item is None or item.local_day() in (None, self.day):
            return None
        return item.local_day()

    @property
    def sort_key(self) -> tuple:
        return (self.day, self.slot.at is not None, self.slot.at or time(), self.slot.title)


def of_unit(unit: Unit, local_today: date) -> list[Slot]:
    """The unit's slots: the recurring ones first, then those that ended."""
    found = db.session.scalars(
        sa.select(Slot)
        .join(Slot.unit)
        .where(Slot.unit_id == unit.id)
        .options(contains_eager(Slot.unit), joinedload(Slot.pillar), joinedload(Slot.assignee))
        .order_by(Slot.weekdays, Slot.at, Slot.id)
    ).all()
    found.sort(key=lambda s: s.ended(local_today))
    return found


@functools.cache
def _running_slots() -> sa.Select:
    """Built once (0.5 ms saved on each week plan and month look, measured): the active slots
    of some units (`units`) running between `first` and `last`."""
    return (
        sa.select(Slot)
        .where(
            Slot.unit_id.in_(sa.bindparam("units", expanding=True)),
            Slot.active.is_(True),
            Slot.starts_on <= sa.bindparam("last"),
        )
        .where(sa.or_(Slot.ends_on.is_(None), Slot.ends_on >= sa.bindparam("first")))
        .options(joinedload(Slot.pillar), joinedload(Slot.unit), joinedload(Slot.assignee))
    )


def occurrences(unit_ids: list[int], days: DateRange) -> list[Occurrence]:
    """Every occurrence of the units' active slots in these days, in two queries."""
    if not unit_ids:
        return []
    bound = {"units": unit_ids, "first": days.start, "last": days.end}
    slots = db.session.scalars(_running_slots(), bound).all()
    if not slots:
        return []
    fills = {
        (f.slot_id, f.day): f
        for f in db.session.scalars(
            sa.select(SlotFill)
            .where(SlotFill.slot_id.in_([s.id for s in slots]))
            .where(SlotFill.day.between(days.start, days.end))
            .options(joinedload(SlotFill.item).joinedload(ContentItem.unit))
        )
    }
    found = [
        Occurrence(slot, day, fills.get((slot.id, day)))
        for slot in slots
        for day in slot.days_between(days.start, days.end)
    ]
    return sorted(found, key=lambda o: o.sort_key)


def _occurrence(slot: Slot, day: date, by: User) -> SlotFill | None:
    if not slot.active or not plans_in_unit(by, slot.unit_id):
        raise SlotError(_l("Only the unit's admins and editors plan its slots."))
    if day not in slot.days_between(day, day):
        raise SlotError(_l("This slot does not fall on that day."))
    return db.session.scalar(
        sa.select(SlotFill).where(SlotFill.slot_id == slot.id, SlotFill.day == day)
    )


def fill(slot: Slot, day: date, by: User, title: str | None = None) -> ContentItem:
    """A new item for this occurrence, prefilled from the slot and given to its usual maker;
    a second click finds the first."""
    existing = _occurrence(slot, day, by)
    if existing is not None:
        if existing.item is not None:
            return existing.item
        raise SlotError(_l("This occurrence was skipped."))
    item = content.create_item(
        slot.unit,
        data=content.ItemFields(
            title=(title or slot.title)[:TITLE_MAX],
            format=slot.format,
            theme=slot.pillar if slot.pillar and not slot.pillar.archived else None,
            platforms=[Platform(p) for p in slot.platforms.split(",") if p],
            planned_day=day,
            planned_time=slot.at,
            assignments=[(slot.assignee, slot.assignee_role)]
            if _in_unit(slot.assignee, slot.unit) and slot.assignee_role
            else [],
        ),
        created_by=by,
    )
    db.session.add(SlotFill(slot=slot, day=day, item=item, by=by, created_at=clock.now()))
    db.session.flush()
    return item


def skip(slot: Slot, day: date, by: User) -> None:
    """Leave this occurrence out on purpose; it is recorded, and no longer counts as a gap."""
    existing = _occurrence(slot, day, by)
    if existing is not None:
        if existing.skipped:
            return
        raise SlotError(_l("This occurrence already has an item."))
    db.session.add(SlotFill(slot=slot, day=day, skipped=True, by=by, created_at=clock.now()))
    db.session.flush()


def copy_last_week(unit: Unit, monday: date, by: User) -> int:
    """Fill this week's empty occurrences with ideas titled after last week's: answers how many.

    Running it twice changes nothing the second time.
    """
    this_week = DateRange(monday, monday + timedelta(days=6))
    last_week = DateRange(monday - timedelta(days=7), monday - timedelta(days=1))
    before: dict[int, list[str]] = {}
    for o in occurrences([unit.id], last_week):
        if o.fill is not None and o.fill.item is not None:
            before.setdefault(o.slot.id, []).append(o.fill.item.title)
    made = 0
    for o in occurrences([unit.id], this_week):
        # a slot changed since last week took over from the one it follows
        titles = before.get(o.slot.id) or before.get(o.slot.follows_id or 0)
        if o.empty and titles:
            fill(o.slot, o.day, by, title=titles.pop(0))
            made += 1
    return made


# ---- the week's figures ------------------------------------------------------------------------


@dataclass
class WeekFigures:
    target: int
    planned: int
    posted: int
    slots: int
    slots_filled: int
    mix: list[tuple[Theme | None, int, int | None]]  # pillar, items this week, intended share %


def _week_themes() -> sa.Select:
    """The statement: the region's themes running between `low` and `high`, and a unit's (`unit`)
    pillars — the week plan's two lists of themes in one statement."""
    running = sa.and_(
        Theme.unit_id.is_(None),
        Theme.starts_on <= sa.bindparam("high"),
        sa.or_(Theme.ends_on.is_(None), Theme.ends_on >= sa.bindparam("low")),
    )
    return sa.select(Theme).where(
        Theme.archived.is_(False), sa.or_(running, Theme.unit_id == sa.bindparam("unit"))
    )


def _pillar_order(pillar: Theme) -> tuple:
    """The largest intended share first, pillars without one last, then by name."""
    share = pillar.intended_share
    return (share is None, -(share or 0), pillar.name, pillar.id)


def week_themes(unit: Unit, days: DateRange) -> tuple[list[Theme], list[Theme]]:
    """The region's themes running in these days (the earliest first) and the unit's pillars."""
    bound = {"unit": unit.id, "low": days.start, "high": days.end}
    found = db.session.scalars(_week_themes(), bound).all()
    region = sorted((t for t in found if t.unit_id is None), key=lambda t: (t.starts_on, t.id))
    return region, sorted((t for t in found if t.unit_id == unit.id), key=_pillar_order)


def week_figures(
    unit: Unit, items: list[ContentItem], found: list[Occurrence], pillars: list[Theme]
) -> WeekFigures:
    """Target vs planned vs posted, slots filled, and the pillar mix vs the unit's intent
    (`pillars`: the unit's, from week_themes)."""
    live = [i for i in items if i.status != Status.DIBATALKAN]
    counts = Counter(i.theme_id for i in live if i.theme_id in {p.id for p in pillars})
    mix = [(p, counts.get(p.id, 0), p.intended_share) for p in pillars]
    others = len(live) - sum(counts.values())
    if others:
        mix.append((None, others, None))
    due = [o for o in found if not o.skipped]
    return WeekFigures(
        target=unit.weekly_target,
        planned=len(live),
        posted=sum(1 for i in live if i.status == Status.TAYANG),
        slots=len(due),
        slots_filled=sum(1 for o in due if not o.empty and o.moved_to is None),
        mix=mix,
    )


def by_day(found: list[Occurrence]) -> dict[date, list[Occurrence]]:
    days: dict[date, list[Occurrence]] = defaultdict(list)
    for o in found:
        days[o.day].append(o)
    return dict(days)
