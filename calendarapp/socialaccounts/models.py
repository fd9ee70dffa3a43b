"""A unit's official social-media accounts: who holds them and how they are protected.

Never a password, a recovery code or a two-step secret: only whether two-step verification is on,
which official address recovers the account, and when the password last changed.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..content.platforms import Platform
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import Timestamps, Versioned, enum_column
from ..timeutil import UTCDateTime


class AccountStatus(StrEnum):
    AKTIF = "aktif"
    DORMAN = "dorman"
    DIAMBIL_ALIH = "diambil_alih"
    DITUTUP = "ditutup"

    @property
    def label(self) -> str:
        return str(ACCOUNT_STATUS_LABELS[self])


ACCOUNT_STATUS_LABELS = {
    AccountStatus.AKTIF: _l("Active"),
    AccountStatus.DORMAN: _l("Dormant"),
    AccountStatus.DIAMBIL_ALIH: _l("Taken over / in trouble"),
    AccountStatus.DITUTUP: _l("Closed"),
}


class TwoStep(StrEnum):
    ON = "aktif"
    OFF = "tidak"
    UNKNOWN = "tidak_diketahui"

    @property
    def label(self) -> str:
        return str(TWO_STEP_LABELS[self])


TWO_STEP_LABELS = {
    TwoStep.ON: _l("On"),
    TwoStep.OFF: _l("Off"),
    TwoStep.UNKNOWN: _l("Unknown"),
}


class SocialAccount(Versioned, Timestamps, db.Model):
    """One official account of a unit on one platform."""

    __tablename__ = "social_account"
    # Tugas Saya (kept like the calendar's grids) names an open handover's account.

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    platform: Mapped[Platform] = mapped_column(enum_column(Platform, "platform"))
    handle: Mapped[str] = mapped_column(sa.String(100))
    # the handle as it is compared: lower case, without "@" (one account per handle and platform)
    handle_key: Mapped[str] = mapped_column(sa.String(100))
    url: Mapped[str] = mapped_column(sa.String(300))
    display_name: Mapped[str] = mapped_column(sa.String(120), default="")
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus, "status"), default=AccountStatus.AKTIF
    )
    public: Mapped[bool] = mapped_column(default=True)
    pic_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    backup_pic_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    two_step: Mapped[TwoStep] = mapped_column(
        enum_column(TwoStep, "two_step"), default=TwoStep.UNKNOWN
    )
    two_step_checked_on: Mapped[date | None]
    recovery_kind: Mapped[str] = mapped_column(sa.String(80), default="")
    recovery_owner: Mapped[str] = mapped_column(sa.String(120), default="")
    password_changed_on: Mapped[date | None]

    unit: Mapped[Unit] = relationship()
    pic: Mapped[User | None] = relationship(foreign_keys=[pic_id])
    backup_pic: Mapped[User | None] = relationship(foreign_keys=[backup_pic_id])
    handovers: Mapped[list[Handover]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="Handover.id"
    )

    @property
    def open_handovers(self) -> list[Handover]:
        return [h for h in self.handovers if h.closed_at is None]

    __table_args__ = (sa.UniqueConstraint("platform", "handle_key"),)


class HandoverReason(StrEnum):
    PIC_LEFT = "pic_left"
    PIC_CHANGED = "pic_changed"
    LEADER_CHANGED = "leader_changed"

    @property
    def label(self) -> str:
        return str(HANDOVER_REASON_LABELS[self])


HANDOVER_REASON_LABELS = {
    HandoverReason.PIC_LEFT: _l("The PIC left the unit"),
    HandoverReason.PIC_CHANGED: _l("A new PIC"),
    HandoverReason.LEADER_CHANGED: _l("A new head of the unit"),
}


class HandoverStep(StrEnum):
    PASSWORD = "password"  # noqa: S105 (the step "change the password", not one)
    TWO_STEP = "two_step"
    RECOVERY = "recovery"
    BUSINESS_ROLES = "business_roles"
    CONFIRM_PIC = "confirm_pic"
    BIO = "bio"
    PICTURE = "picture"
    PINNED = "pinned"

    @property
    def label(self) -> str:
        return str(HANDOVER_STEP_LABELS[self])


HANDOVER_STEP_LABELS = {
    HandoverStep.PASSWORD: _l("Change the account's password"),
    HandoverStep.TWO_STEP: _l("Move two-step verification to the new PIC's phone"),
    HandoverStep.RECOVERY: _l("Update the recovery e-mail and phone number"),
    HandoverStep.BUSINESS_ROLES: _l("Remove the person's roles in the platform's business tools"),
    HandoverStep.CONFIRM_PIC: _l("Confirm the new PIC"),
    HandoverStep.BIO: _l("Review the bio"),
    HandoverStep.PICTURE: _l("Review the profile picture"),
    HandoverStep.PINNED: _l("Review the pinned posts"),
}
STEPS_FOR = {
    HandoverReason.PIC_LEFT: [
        HandoverStep.PASSWORD, HandoverStep.TWO_STEP, HandoverStep.RECOVERY,
        HandoverStep.BUSINESS_ROLES, HandoverStep.CONFIRM_PIC,
    ],
    HandoverReason.PIC_CHANGED: [
        HandoverStep.PASSWORD, HandoverStep.TWO_STEP, HandoverStep.RECOVERY,
        HandoverStep.BUSINESS_ROLES, HandoverStep.CONFIRM_PIC,
    ],
    HandoverReason.LEADER_CHANGED: [HandoverStep.BIO, HandoverStep.PICTURE, HandoverStep.PINNED],
}  # fmt: skip


class Handover(db.Model):
    """A checklist opened when an account's holder changes (or the unit's head does)."""

    __tablename__ = "account_handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[HandoverReason] = mapped_column(enum_column(HandoverReason, "reason"))
    outgoing_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    opened_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_on: Mapped[date] = mapped_column(index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    account: Mapped[SocialAccount] = relationship(back_populates="handovers")
    outgoing: Mapped[User | None] = relationship(foreign_keys=[outgoing_id])
    steps: Mapped[list[HandoverTick]] = relationship(
        back_populates="handover", cascade="all, delete-orphan", order_by="HandoverTick.id"
    )

    @property
    def done(self) -> bool:
        return all(step.done_at is not None for step in self.steps)


class HandoverTick(db.Model):
    """One step of a handover: done by whom, and when."""

    __tablename__ = "handover_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(
        sa.ForeignKey("account_handover.id", ondelete="CASCADE"), index=True
    )
    step: Mapped[HandoverStep] = mapped_column(enum_column(HandoverStep, "step"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    handover: Mapped[Handover] = relationship(back_populates="steps")
    done_by: Mapped[User | None] = relationship()
