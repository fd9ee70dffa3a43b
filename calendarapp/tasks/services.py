"""My work: the items waiting for me, grouped by when they are due."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from .. import clock
from ..accounts.models import Membership, Unit, User
from ..accounts.permissions import approver_unit_ids
from ..content.models import AssigneeRole, Assignment, ContentItem
from ..content.workflow import EDITABLE, Status
from ..extensions import db

SOON = timedelta(days=7)
# Before these states the draft deadline counts; from review on, the publication time does.
WRITING = (Status.IDE, Status.DRAF, Status.PERLU_REVISI)


@dataclass
class Task:
    item: ContentItem
    due: datetime | None
    why: str  # "assigned", "review"
    roles: list[AssigneeRole] = field(default_factory=list)  # mine on this item


@dataclass
class TaskList:
    overdue: list[Task] = field(default_factory=list)
    soon: list[Task] = field(default_factory=list)
    later: list[Task] = field(default_factory=list)
    undated: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.soon) + len(self.later) + len(self.undated)


def _due(item: ContentItem) -> datetime | None:
    if item.status in WRITING and item.draft_due_at is not None:
        return item.draft_due_at
    if item.planned_at is not None:
        return item.planned_at
    if item.planned_date is not None:
        return datetime.combine(item.planned_date, time(23, 59), ZoneInfo(item.unit.timezone))
    return None


@functools.cache
def _waiting_query() -> sa.Select:
    """Items assigned to a person, or waiting for their review: built once, the person (`user`)
    and the units where they approve (`approves`) bound at each run."""
    mine = sa.select(Assignment.item_id).where(Assignment.user_id == sa.bindparam("user"))
    my_units = sa.select(Membership.unit_id).where(Membership.user_id == sa.bindparam("user"))
    waiting_review = ContentItem.status == Status.DITINJAU
    return (
        sa.select(ContentItem)
        .join(ContentItem.unit)
        .options(contains_eager(ContentItem.unit), joinedload(ContentItem.theme))
        .where(
            Unit.active.is_(True),
            ContentItem.status.in_(EDITABLE),
            ContentItem.unit_id.in_(my_units),  # access follows current membership
        )
        .where(
            sa.or_(
                ContentItem.id.in_(mine),
                sa.and_(waiting_review, ContentItem.reviewer_id == sa.bindparam("user")),
                sa.and_(
                    waiting_review,
                    ContentItem.unit_id.in_(sa.bindparam("approves", expanding=True)),
                ),
            )
        )
    )


def my_tasks(user: User) -> TaskList:
    """Items assigned to me, and items waiting for my review: two queries whatever their number
    (the items; my roles on them)."""
    rows = list(
        db.session.scalars(
            _waiting_query(), {"user": user.id, "approves": approver_unit_ids(user)}
        ).unique()
    )
    roles: dict[int, list[AssigneeRole]] = {}
    for item_id, role in db.session.execute(
        sa.select(Assignment.item_id, Assignment.role)
        .where(Assignment.user_id == user.id)
        .order_by(Assignment.id)
    ):
        roles.setdefault(item_id, []).append(role)
    now = clock.now()
    tasks = TaskList()
    for item in sorted(rows, key=lambda i: (_due(i) is None, _due(i) or now, i.id)):
        due = _due(item)
        why = "review" if item.status == Status.DITINJAU and item.id not in roles else "assigned"
        task = Task(item, due, why, roles.get(item.id, []))
        if due is None:
            tasks.undated.append(task)
        elif due < now:
            tasks.overdue.append(task)
        elif due < now + SOON:
            tasks.soon.append(task)
        else:
            tasks.later.append(task)
    return tasks
