"""Reminders of items waiting in review (run by the worker, `calendarapp/jobs.py`): after a day its
reviewer hears of it (or those who approve in the unit), after two days the unit's admins, and
when its planned time passes while still in review, its writers and admins. Each once per round of
review: a new request for review starts a new round. In a unit whose head approves by link, the
editor who sent the link hears after a day without a decision, to send the head a fresh one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import Membership, Unit
from ..accounts.permissions import admins_of
from ..extensions import db
from ..notifications.models import Notification
from ..notifications.models import NotificationKind as K
from ..notifications.services import notify
from .models import ContentItem, HeadApproval, StatusChange
from .services import approvers
from .workflow import Status

WAITING = timedelta(hours=24)
STUCK = timedelta(hours=48)


def in_review(now: datetime) -> list[tuple[ContentItem, datetime]]:
    """Items in review in active units, with the moment their current round began."""
    began = (
        sa.select(StatusChange.item_id, sa.func.max(StatusChange.created_at).label("at"))
        .where(StatusChange.to_status == Status.DITINJAU)
        .group_by(StatusChange.item_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(ContentItem, began.c.at)
        .join(began, began.c.item_id == ContentItem.id)
        .join(ContentItem.unit)
        .where(ContentItem.status == Status.DITINJAU, Unit.active.is_(True))
        .options(
            selectinload(ContentItem.unit)
            .selectinload(Unit.memberships)
            .selectinload(Membership.user),
            selectinload(ContentItem.assignments),
        )
        .order_by(ContentItem.id)
    ).all()
    return [(item, at) for item, at in rows if at is not None]


def planned_passed(item: ContentItem, now: datetime) -> bool:
    """Its planned time (or the end of its planned day, in its zone) is behind us."""
    if item.planned_at is not None:
        return item.planned_at <= now
    if item.planned_date is not None:
        return item.planned_date < now.astimezone(ZoneInfo(item.unit.timezone)).date()
    return False


def _open_head_links(items: list[ContentItem]) -> dict[int, HeadApproval]:
    """The latest link of each item of a head-approving unit, when still open: one query."""
    ids = [item.id for item in items if item.unit.requires_head_approval]
    if not ids:
        return {}
    latest: dict[int, HeadApproval] = {}
    for link in db.session.scalars(
        sa.select(HeadApproval)
        .where(HeadApproval.item_id.in_(ids))
        .order_by(HeadApproval.id)
        .options(joinedload(HeadApproval.requested_by))
    ):
        latest[link.item_id] = link
    return {
        item_id: link
        for item_id, link in latest.items()
        if link.decided_at is None and link.voided_at is None
    }


def send_review_reminders(now: datetime) -> int:
    waiting = in_review(now)
    if not waiting:
        return 0
    told = {
        (n.item_id, n.kind): n.created_at
        for n in db.session.scalars(
            sa.select(Notification).where(
                Notification.item_id.in_([item.id for item, _at in waiting]),
                Notification.kind.in_(
                    [K.REVIEW_WAITING, K.REVIEW_STUCK, K.REVIEW_OVERDUE, K.HEAD_WAITING]
                ),
            )
        )
    }

    def fresh(item: ContentItem, kind: K, began: datetime) -> bool:
        last = told.get((item.id, kind))
        return last is None or last < began

    links = _open_head_links([item for item, _at in waiting])
    sent = 0
    for item, began in waiting:
        link = links.get(item.id)
        if (
            link is not None
            and now - link.created_at >= WAITING
            and fresh(item, K.HEAD_WAITING, link.created_at)
        ):
            sent += notify([link.requested_by], K.HEAD_WAITING, None, item=item)
        if now - began >= WAITING and fresh(item, K.REVIEW_WAITING, began):
            reviewers = [item.reviewer] if item.reviewer is not None else approvers(item)
            sent += notify(reviewers, K.REVIEW_WAITING, None, item=item)
        if now - began >= STUCK and fresh(item, K.REVIEW_STUCK, began):
            sent += notify(admins_of(item.unit), K.REVIEW_STUCK, None, item=item)
        if planned_passed(item, now) and fresh(item, K.REVIEW_OVERDUE, began):
            writers = [a.user for a in item.assignments] + [item.created_by, *admins_of(item.unit)]
            sent += notify(writers, K.REVIEW_OVERDUE, None, item=item)
    return sent
