"""A unit's official social-media accounts: who holds them and how they are protected.

Never a password, a recovery code or a two-step secret: only whether two-step verification is on,
which official address recovers the account, and when the password last changed.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..content.models import Platform
from ..extensions import db
from ..models_base import Timestamps, enum_column


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


class SocialAccount(Timestamps, db.Model):
    """One official account of a unit on one platform."""

    __tablename__ = "social_account"

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
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship()
    pic: Mapped[User | None] = relationship(foreign_keys=[pic_id])
    backup_pic: Mapped[User | None] = relationship(foreign_keys=[backup_pic_id])

    __table_args__ = (sa.UniqueConstraint("platform", "handle_key"),)
    __mapper_args__ = {"version_id_col": version}
