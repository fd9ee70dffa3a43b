from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import enum_column
from ..timeutil import UTCDateTime


class FeedScope(StrEnum):
    PERSONAL = "personal"
    UNIT = "unit"
    REGION = "region"
    AGENDA = "agenda"
    TRAININGS = "trainings"

    @property
    def label(self) -> str:
        return str(SCOPE_LABELS[self])


SCOPE_LABELS = {
    FeedScope.PERSONAL: _l("My work"),
    FeedScope.UNIT: _l("Unit plan"),
    FeedScope.REGION: _l("Region: scheduled and published"),
    FeedScope.AGENDA: _l("Leader's agenda and coverage"),
    FeedScope.TRAININGS: _l("Trainings and mentoring follow-ups"),
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedToken(db.Model):
    """A secret feed address: only the SHA-256 of the token is kept."""

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[FeedScope] = mapped_column(enum_column(FeedScope, "scope"))
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    include_drafts: Mapped[bool] = mapped_column(default=False)
    token_sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last feed served: its fingerprint, and the bytes, loaded only when they are still good.
    cached_fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    cached_last_modified: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the feed's
    # The calendar serial, day and site that fingerprint was last found good at: while they hold,
    # a fetch is answered from what is kept without looking at the data (calendarapp/changes.py).
    cached_seen: Mapped[str | None] = mapped_column(sa.String(100))
    cached_body: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    # Each event of that feed with its place in the bytes: the next rebuild starts from it.
    cached_manifest: Mapped[str | None] = mapped_column(sa.Text, deferred=True)

    user: Mapped[User] = relationship()
    unit: Mapped[Unit | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class FeedEventCache(db.Model):
    """One event's rendered iCalendar text, shared by every worker and host through the database.

    `fingerprint` names everything the text was made from; a different one means render again.
    """

    __tablename__ = "feed_event_cache"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    body: Mapped[str] = mapped_column(sa.Text)
