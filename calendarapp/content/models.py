from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..extensions import db
from ..models_base import Timestamps, enum_column
from ..timeutil import UTCDateTime, local
from .workflow import Status


class ContentFormat(StrEnum):
    FOTO = "foto"
    VIDEO_PENDEK = "video_pendek"
    INFOGRAFIS = "infografis"
    CAROUSEL = "carousel"
    ARTIKEL = "artikel"
    SIARAN_LANGSUNG = "siaran_langsung"

    @property
    def label(self) -> str:
        return str(FORMAT_LABELS[self])


FORMAT_LABELS = {
    ContentFormat.FOTO: _l("Photo"),
    ContentFormat.VIDEO_PENDEK: _l("Short video"),
    ContentFormat.INFOGRAFIS: _l("Infographic"),
    ContentFormat.CAROUSEL: _l("Carousel"),
    ContentFormat.ARTIKEL: _l("Article / news"),
    ContentFormat.SIARAN_LANGSUNG: _l("Live broadcast"),
}


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    WEBSITE = "website"

    @property
    def label(self) -> str:
        return str(PLATFORM_LABELS[self])


PLATFORM_LABELS = {
    Platform.INSTAGRAM: "Instagram",
    Platform.FACEBOOK: "Facebook",
    Platform.TIKTOK: "TikTok",
    Platform.YOUTUBE: "YouTube",
    Platform.X: "X",
    Platform.WEBSITE: _l("Website"),
}


class Theme(Timestamps, db.Model):
    """A region-wide campaign (no unit, a date range) or a unit's content pillar."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    color: Mapped[str] = mapped_column(sa.String(7), default="#64748b")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    archived: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on", name="date_order"
        ),
    )

    @property
    def is_region_wide(self) -> bool:
        return self.unit_id is None


class ContentItem(Timestamps, db.Model):
    """One planned post of a unit."""

    __tablename__ = "content_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="SET NULL"), index=True
    )
    format: Mapped[ContentFormat] = mapped_column(enum_column(ContentFormat, "format"))
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"), default=Status.IDE)
    # Exactly one of the two: a planned instant (UTC) or a whole day in the unit's zone.
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    planned_date: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    unit: Mapped[Unit] = relationship()
    theme: Mapped[Theme | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    platforms: Mapped[list[ContentItemPlatform]] = relationship(
        cascade="all, delete-orphan", order_by="ContentItemPlatform.platform"
    )
    history: Mapped[list[StatusChange]] = relationship(
        cascade="all, delete-orphan", order_by="StatusChange.id", back_populates="item"
    )

    __table_args__ = (
        sa.CheckConstraint(
            "(planned_at IS NULL) <> (planned_date IS NULL)", name="planned_at_or_date"
        ),
        sa.Index("ix_content_item_unit_planned_at", "unit_id", "planned_at"),
        sa.Index("ix_content_item_unit_planned_date", "unit_id", "planned_date"),
    )

    def local_day(self) -> date:
        """The calendar day the item belongs to: its planned day in its unit's zone."""
        if self.planned_at is not None:
            return local(self.planned_at, self.unit.timezone).date()
        return self.planned_date

    @property
    def platform_list(self) -> list[Platform]:
        return [p.platform for p in self.platforms]


class ContentItemPlatform(db.Model):
    __tablename__ = "content_item_platform"

    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[Platform] = mapped_column(enum_column(Platform, "platform"), primary_key=True)


class StatusChange(db.Model):
    """One step of an item's workflow history: who moved it, when, from where to where, and why."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    from_status: Mapped[Status | None] = mapped_column(enum_column(Status, "from_status"))
    to_status: Mapped[Status] = mapped_column(enum_column(Status, "to_status"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    item: Mapped[ContentItem] = relationship(back_populates="history")
    user: Mapped[User | None] = relationship()
