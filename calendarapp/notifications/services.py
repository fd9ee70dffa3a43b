"""notify(): every area tells people through this one function; and the bell's reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import clock
from ..accounts.models import Membership, User
from ..content.models import ContentItem
from ..coverage.models import CoverageRequest
from ..extensions import db
from ..mentoring.models import ActionItem, MentoringNote
from .models import Notification, NotificationKind

# What takes new notices beyond the bell: delivery/ registers its outbox when the app is made
# (`calendarapp.register_sources`), so this area below it imports none of the channels.
HandOn = Callable[[Sequence[Notification]], object]
handed_to: list[HandOn] = []


def hand_on_to(*found: HandOn) -> None:
    """Called when the app is made; registering the same one again is a no-op."""
    handed_to.extend(hand for hand in found if hand not in handed_to)


def notify(
    users: Iterable[User | None], kind: NotificationKind, actor: User | None, **about
) -> int:
    """Tell each active person once, never the one who did it; `about` names the one subject
    (item=, coverage_request=, note=, action=, amplification= or unit=, with detail= for a
    digest). Each notice
    is under the bell, and in the outbox for the channels the person chose (delivery/)."""
    seen: set[int] = set()
    notices = []
    for user in users:
        if user is None or not user.active or user.id in seen:
            continue
        if actor is not None and user.id == actor.id:
            continue
        seen.add(user.id)
        notices.append(
            Notification(user=user, actor=actor, kind=kind, created_at=clock.now(), **about)
        )
    db.session.add_all(notices)
    for hand in handed_to:
        hand(notices)
    return len(seen)


def notifications(user: User, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id)
            # access follows current membership: no titles from a unit one has left
            .where(
                sa.or_(
                    Notification.item_id.is_(None),
                    Notification.item_id.in_(
                        sa.select(ContentItem.id).where(
                            ContentItem.unit_id.in_(
                                sa.select(Membership.unit_id).where(Membership.user_id == user.id)
                            )
                        )
                    ),
                )
            )
            .options(
                joinedload(Notification.item),
                joinedload(Notification.actor),
                joinedload(Notification.coverage_request).joinedload(CoverageRequest.event),
                joinedload(Notification.note).joinedload(MentoringNote.unit),
                joinedload(Notification.action).joinedload(ActionItem.note),
                joinedload(Notification.unit),
                joinedload(Notification.amplification),
            )
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_all_read(user: User) -> int:
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    return result.rowcount
