"""The leader's agenda and the coverage Prokopim asks of contributors in other units."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..content.models import ContentFormat, ContentItem
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import CreatedOnce, Timestamps, Versioned, enum_column
from ..timeutil import UTCDateTime, local
from .workflow import CoverageStatus


class Leader(StrEnum):
    BUPATI = "bupati"
    WAKIL_BUPATI = "wakil_bupati"
    SEKDA = "sekda"
    LAINNYA = "lainnya"

    @property
    def label(self) -> str:
        return str(LEADER_LABELS[self])


LEADER_LABELS = {
    Leader.BUPATI: _l("Regent (Bupati)"),
    Leader.WAKIL_BUPATI: _l("Vice regent (Wakil Bupati)"),
    Leader.SEKDA: _l("Regional secretary (Sekda)"),
    Leader.LAINNYA: _l("Other official"),
}


class Visibility(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"

    @property
    def label(self) -> str:
        return str(VISIBILITY_LABELS[self])


VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Public: everyone in the app"),
    Visibility.INTERNAL: _l("Internal: Prokopim, coordinators and those asked to cover"),
    Visibility.RESTRICTED: _l("Restricted: only Prokopim and invited people see the details"),
}


class Deliverable(StrEnum):
    FOTO = "foto"
    VIDEO = "video"
    BERITA = "berita"
    SIARAN_LANGSUNG = "siaran_langsung"

    @property
    def label(self) -> str:
        return str(DELIVERABLE_LABELS[self])

    @property
    def content_format(self) -> ContentFormat:
        return DELIVERABLE_FORMATS[self]


DELIVERABLE_LABELS = {
    Deliverable.FOTO: _l("Photos"),
    Deliverable.VIDEO: _l("Video"),
    Deliverable.BERITA: _l("News text / press release"),
    Deliverable.SIARAN_LANGSUNG: _l("Live broadcast"),
}

DELIVERABLE_FORMATS = {
    Deliverable.FOTO: ContentFormat.FOTO,
    Deliverable.VIDEO: ContentFormat.VIDEO_PENDEK,
    Deliverable.BERITA: ContentFormat.ARTIKEL,
    Deliverable.SIARAN_LANGSUNG: ContentFormat.SIARAN_LANGSUNG,
}


agenda_invitee = sa.Table(
    "agenda_invitee",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("agenda_event.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "user_id",
        sa.ForeignKey("user_account.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class AgendaEvent(Versioned, CreatedOnce, Timestamps, db.Model):
    """One event of the leader's agenda, kept by a Prokopim unit.

    `day` is the event's day in its own zone; the times are empty while "waktu menyusul".
    """

    __tablename__ = "agenda_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    leader: Mapped[Leader] = mapped_column(enum_column(Leader, "leader"))
    title: Mapped[str] = mapped_column(sa.String(200))
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64))
    day: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "visibility"), default=Visibility.INTERNAL
    )
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    cancelled: Mapped[bool] = mapped_column(default=False)
    # The UID of the calendar event it was imported from: importing again updates, never doubles.
    source_uid: Mapped[str | None] = mapped_column(sa.String(255))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship()
    invitees: Mapped[list[User]] = relationship(secondary=agenda_invitee, order_by="User.name")
    requests: Mapped[list[CoverageRequest]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="CoverageRequest.id"
    )

    __table_args__ = (
        sa.CheckConstraint(
            "(starts_at IS NULL AND ends_at IS NULL) OR "
            "(starts_at IS NOT NULL AND ends_at IS NOT NULL AND starts_at < ends_at)",
            name="times",
        ),
        sa.UniqueConstraint("unit_id", "source_uid"),
    )

    @property
    def time_tbc(self) -> bool:
        """Waktu menyusul: the day is known, the hours are not yet."""
        return self.starts_at is None

    def local_start(self) -> datetime | None:
        return local(self.starts_at, self.timezone) if self.starts_at else None

    def local_end(self) -> datetime | None:
        return local(self.ends_at, self.timezone) if self.ends_at else None

    @property
    def open_requests(self) -> list[CoverageRequest]:
        return [r for r in self.requests if r.status not in CoverageStatus.closed()]

    @property
    def covered(self) -> bool:
        """Someone has said yes: a request is accepted, delivered or done."""
        return any(r.status in CoverageStatus.committed() for r in self.requests)


class CoverageRequest(Versioned, CreatedOnce, Timestamps, db.Model):
    """Prokopim asks a unit, or one person in it, for a deliverable from one agenda event."""

    __tablename__ = "coverage_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_event.id", ondelete="CASCADE"), index=True
    )
    deliverable: Mapped[Deliverable] = mapped_column(enum_column(Deliverable, "deliverable"))
    # The unit asked; the person once someone (Prokopim or the unit's admin) picked them.
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[CoverageStatus] = mapped_column(
        enum_column(CoverageStatus, "status"), default=CoverageStatus.DIMINTA
    )
    delivered_links: Mapped[str] = mapped_column(sa.Text, default="")
    delivery_note: Mapped[str] = mapped_column(sa.Text, default="")
    content_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="SET NULL"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    event: Mapped[AgendaEvent] = relationship(back_populates="requests")
    unit: Mapped[Unit] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    content_item: Mapped[ContentItem | None] = relationship()
    history: Mapped[list[CoverageChange]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="CoverageChange.id"
    )

    @property
    def links(self) -> list[str]:
        return [line for line in self.delivered_links.splitlines() if line.strip()]


class CoverageChange(db.Model):
    """One step of a request's history: who, when, from where to where, and why."""

    __tablename__ = "coverage_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("coverage_request.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    from_status: Mapped[CoverageStatus | None] = mapped_column(
        enum_column(CoverageStatus, "from_status")
    )
    to_status: Mapped[CoverageStatus] = mapped_column(enum_column(CoverageStatus, "to_status"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    request: Mapped[CoverageRequest] = relationship(back_populates="history")
    user: Mapped[User | None] = relationship()
