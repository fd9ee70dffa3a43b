"""Notifications: something that happened to a person's work, under the bell until read.

Every area tells people through `services.notify()`; this area imports the models it points at
only for type checking, so no area's models import another's for its sake.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..extensions import db
from ..models_base import enum_column
from ..timeutil import UTCDateTime

if TYPE_CHECKING:
    from ..amplification.models import AmplificationRequest
    from ..content.models import ContentItem
    from ..coverage.models import CoverageRequest
    from ..mentoring.models import ActionItem, MentoringNote


class NotificationKind(StrEnum):
    ASSIGNED = "assigned"
    REVIEW_REQUESTED = "review_requested"
    REVISION_REQUESTED = "revision_requested"
    APPROVED = "approved"
    COMMENT = "comment"
    COVERAGE_REQUESTED = "coverage_requested"
    COVERAGE_ACCEPTED = "coverage_accepted"
    COVERAGE_DECLINED = "coverage_declined"
    COVERAGE_DELIVERED = "coverage_delivered"
    COVERAGE_RETURNED = "coverage_returned"
    COVERAGE_DONE = "coverage_done"
    COVERAGE_CANCELLED = "coverage_cancelled"
    COVERAGE_DUE_SOON = "coverage_due_soon"
    COVERAGE_OVERDUE = "coverage_overdue"
    MENTORING_NOTE = "mentoring_note"
    RTL_ASSIGNED = "rtl_assigned"
    RTL_OVERDUE = "rtl_overdue"
    RTL_FINISHED = "rtl_finished"
    MONITORING_DIGEST = "monitoring_digest"
    MEMBER_LEFT = "member_left"
    FOLLOWERS_DUE = "followers_due"
    REVIEW_WAITING = "review_waiting"  # an item has waited a day for its reviewer
    REVIEW_STUCK = "review_stuck"  # ... two days: its unit's admins hear of it
    REVIEW_OVERDUE = "review_overdue"  # its planned time passed while still in review
    HEAD_DECIDED = "head_decided"  # the unit's head approved, or asked for a revision, by link
    HEAD_WAITING = "head_waiting"  # the head's link has waited a day: send the head a fresh one
    AMPLIFY_REQUESTED = "amplify_requested"  # a unit is asked to amplify a key message
    AMPLIFY_DUE_SOON = "amplify_due_soon"  # ... and still owes it hours before the deadline
    AMPLIFY_PAUSED = "amplify_paused"  # ... paused: its source is a candidate's, in an election


NOTIFICATION_SUBJECTS = (
    "item_id",
    "coverage_request_id",
    "note_id",
    "action_id",
    "unit_id",
    "amplification_id",
)
_SUBJECTS = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in NOTIFICATION_SUBJECTS)
# One subject each; only the region's weekly digest (to coordinators) is about no single thing.
ABOUT_ONE_THING = f"({_SUBJECTS}) = 1 OR (kind = 'monitoring_digest' AND ({_SUBJECTS}) = 0)"


class Notification(db.Model):
    """Something that happened to a person's work, shown under the bell until read.

    It is about exactly one thing: a content item, a coverage request, a mentoring note, an RTL,
    a request to amplify, or a unit (its weekly monitoring digest, whose flags travel in
    `detail`); the region's digest to the coordinators is about no single thing.
    """

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), index=True
    )
    coverage_request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("coverage_request.id", ondelete="CASCADE"), index=True
    )
    note_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("mentoring_note.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("action_item.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    amplification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("amplification_request.id", ondelete="CASCADE"), index=True
    )
    detail: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind, "kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    item: Mapped[ContentItem | None] = relationship()
    coverage_request: Mapped[CoverageRequest | None] = relationship()
    note: Mapped[MentoringNote | None] = relationship()
    action: Mapped[ActionItem | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    amplification: Mapped[AmplificationRequest | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    __table_args__ = (
        sa.Index("ix_notification_user_unread", "user_id", "read_at"),
        sa.CheckConstraint(ABOUT_ONE_THING, name="about_one_thing"),
    )
