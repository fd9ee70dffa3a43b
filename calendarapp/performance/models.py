"""Figures of a unit's official accounts: followers over time (entered or imported)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..models_base import Timestamps, enum_column
from ..socialaccounts.models import SocialAccount


class FigureSource(StrEnum):
    MANUAL = "manual"  # typed in by the unit's admin or a coordinator
    IMPORT = "import"  # from a platform's export
    API = "api"  # from the optional connector

    @property
    def label(self) -> str:
        return str(FIGURE_SOURCE_LABELS[self])


FIGURE_SOURCE_LABELS = {
    FigureSource.MANUAL: _l("entered"),
    FigureSource.IMPORT: _l("imported"),
    FigureSource.API: _l("read from the platform"),
}


class FollowerCount(Timestamps, db.Model):
    """How many followers an account had on a day: one figure per account and day (a second
    entry for the same day corrects the first)."""

    __tablename__ = "follower_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date]
    followers: Mapped[int]
    source: Mapped[FigureSource] = mapped_column(enum_column(FigureSource, "source"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # a screenshot as proof (PNG or JPEG, checked by its first bytes), kept in the database so
    # every app server can show it
    proof_type: Mapped[str | None] = mapped_column(sa.String(20))
    proof: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    account: Mapped[SocialAccount] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("account_id", "measured_on"),
        sa.CheckConstraint("followers >= 0", name="followers_not_negative"),
    )
