"""The demo's posts: three months of items per unit around today, in every state."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from .. import clock
from ..accounts.models import Role, Unit, User
from ..content import services as content
from ..content.models import (
    AssigneeRole,
    Assignment,
    ChecklistTick,
    Comment,
    ContentFormat,
    Platform,
    Theme,
)
from ..content.workflow import Status
from ..timeutil import today
from .data import (
    ACTIVITY,
    CANCEL_NOTES,
    IDEAS,
    POSTED_URL,
    REVISION_NOTES,
    SHORT_CAPTIONS,
    SILENT,
    STORY_CAPTIONS,
    STORY_SHARE,
    SUBJECTS,
    UNITS,
    account_handle,
)


def _items_for_unit(
    unit: Unit, pillars: list[Theme], spec, author: User | None, checks: list
) -> int:
    """About the unit's weekly target of items a week, from 12 weeks back to 45 days ahead:
    Pantauan's twelve-week trend and last month's report have something to show."""
    rng = random.Random(unit.name)  # the same demo every time for a given today
    zone = ZoneInfo(unit.timezone)
    start = today(unit.timezone) - timedelta(days=84)
    key = next(k for k, name, *_ in UNITS if name == unit.name)
    silent_since = today(unit.timezone) - timedelta(days=SILENT[key]) if key in SILENT else None
    count = 0
    for offset in range(84 + 46):
        day = start + timedelta(days=offset)
        if rng.random() > ACTIVITY.get(key, 1.0) * unit.weekly_target / 7:
            continue
        if silent_since is not None and day >= silent_since:
            continue
        pillar_index = rng.randrange(len(pillars))
        title = rng.choice(spec[pillar_index][2]).format(x=rng.choice(SUBJECTS))
        timed = rng.random() < 0.8
        planned_at = (
            datetime.combine(day, time(rng.randrange(7, 21), rng.choice((0, 15, 30))), zone)
            if timed
            else None
        )
        item = content.create_item(
            unit,
            title,
            format=rng.choice(list(ContentFormat)),
            planned_at=planned_at,
            planned_date=None if timed else day,
            theme=pillars[pillar_index],
            platforms=rng.sample(list(Platform)[:3], rng.randrange(1, 4)),
            created_by=author,
        )
        story = rng.random() < STORY_SHARE.get(key, 0.8)
        item.caption = rng.choice(STORY_CAPTIONS if story else SHORT_CAPTIONS).format(
            x=rng.choice(SUBJECTS)
        )
        _work_on(item, _status_for(day - today(unit.timezone), rng), author, rng, checks)
        count += 1
    for title in rng.sample(IDEAS, 2):  # undated ideas wait in the backlog
        content.create_item(unit, title, format=ContentFormat.FOTO, created_by=author)
        count += 1
    return count


def _work_on(item, status: Status, author, rng: random.Random, checks) -> None:
    """Assign the unit's people, tick the checks, write the notes and links the status implies."""
    people = [m.user for m in item.unit.memberships if m.role != Role.ADMIN]
    if people and rng.random() < 0.6:
        item.assignments.append(
            Assignment(user=rng.choice(people), role=rng.choice(list(AssigneeRole)))
        )
    if status in (Status.DISETUJUI, Status.TERJADWAL, Status.TAYANG):
        item.ticks.extend(
            ChecklistTick(entry_id=entry.id, user=author, created_at=clock.now())
            for entry in checks
            if entry.required or rng.random() < 0.5
        )
    content.walk_to(item, status, author)
    if status in (Status.PERLU_REVISI, Status.DIBATALKAN):
        note = rng.choice(REVISION_NOTES if status == Status.PERLU_REVISI else CANCEL_NOTES)
        item.history[-1].note = note
        item.comments.append(
            Comment(
                author=author, body=note, status_change=item.history[-1], created_at=clock.now()
            )
        )
    if status == Status.TAYANG:
        for entry in item.platforms:
            entry.posted_url = POSTED_URL[entry.platform].format(
                handle=account_handle(item.unit), n=rng.randrange(10_000, 99_999)
            )
        planned = item.planned_at or datetime.combine(
            item.planned_date, time(12), ZoneInfo(item.unit.timezone)
        )
        # one post in eight goes out a day or two late
        late = timedelta(days=rng.choice((1, 2))) if rng.random() < 0.125 else timedelta(0)
        item.posted_at = min(planned + late, clock.now())


def _status_for(delta: timedelta, rng: random.Random) -> Status:
    """Past items are mostly published; the coming week is in review or scheduled; later, ideas."""
    days = delta.days
    roll = rng.random()
    if days < 0:
        return Status.DIBATALKAN if roll < 0.08 else Status.TAYANG
    if days <= 2:
        return Status.TERJADWAL if roll < 0.6 else Status.DISETUJUI
    if days <= 9:
        return [Status.DITINJAU, Status.PERLU_REVISI, Status.DISETUJUI, Status.DRAF][int(roll * 4)]
    return Status.IDE if roll < 0.55 else Status.DRAF


def _near_midnight_items(unit: Unit, author: User) -> None:
    """Two posts either side of midnight, so the calendar shows they belong to different days."""
    zone = ZoneInfo(unit.timezone)
    day = today(unit.timezone) + timedelta(days=1)
    for moment, title in (
        (datetime.combine(day, time(23, 30), zone), "Rekap berita hari ini"),
        (datetime.combine(day + timedelta(days=1), time(0, 15), zone), "Ucapan selamat pagi"),
    ):
        item = content.create_item(
            unit,
            title,
            format=ContentFormat.FOTO,
            planned_at=moment,
            platforms=[Platform.INSTAGRAM],
            created_by=author,
        )
        content.walk_to(item, Status.DISETUJUI, author)


# (day offset, leader, title, place, start, end or None for "waktu menyusul", visibility)
