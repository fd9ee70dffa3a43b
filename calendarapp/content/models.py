from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..accounts.models import Unit, User
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import CreatedOnce, Timestamps, Versioned, enum_column
from ..timeutil import UTCDateTime, local
from .platforms import URL_MAX, Platform
from .words import count_words
from .workflow import Status

if TYPE_CHECKING:
    from ..socialaccounts.models import SocialAccount


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
    hashtags: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    # A pillar's intended share of the unit's posts, in percent (e.g. 60 layanan publik).
    intended_share: Mapped[int | None]
    # The UID of the calendar event it was imported from: importing again updates, never doubles.
    source_uid: Mapped[str | None] = mapped_column(sa.String(255), unique=True)

    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on", name="date_order"
        ),
    )

    @property
    def is_region_wide(self) -> bool:
        return self.unit_id is None


class AssigneeRole(StrEnum):
    PENULIS = "penulis"
    FOTOGRAFER = "fotografer"
    VIDEOGRAFER = "videografer"
    DESAINER = "desainer"

    @property
    def label(self) -> str:
        return str(ASSIGNEE_ROLE_LABELS[self])


ASSIGNEE_ROLE_LABELS = {
    AssigneeRole.PENULIS: _l("Writer"),
    AssigneeRole.FOTOGRAFER: _l("Photographer"),
    AssigneeRole.VIDEOGRAFER: _l("Videographer"),
    AssigneeRole.DESAINER: _l("Designer"),
}


class ContentItem(Versioned, CreatedOnce, Timestamps, db.Model):
    """One planned post of a unit."""

    __tablename__ = "content_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    brief: Mapped[str] = mapped_column(sa.Text, default="")
    caption: Mapped[str] = mapped_column(sa.Text, default="")
    # Kept with the caption so "posts with a story" can be counted in SQL (see content/story.py).
    caption_words: Mapped[int] = mapped_column(default=0, server_default="0")
    hashtags: Mapped[str] = mapped_column(sa.String(500), default="")
    narasi_tunggal: Mapped[bool] = mapped_column(default=False)
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="SET NULL"), index=True
    )
    format: Mapped[ContentFormat] = mapped_column(enum_column(ContentFormat, "format"))
    status: Mapped[Status] = mapped_column(enum_column(Status, "status"), default=Status.IDE)
    # At most one of the two: a planned instant (UTC) or a whole day in the unit's zone.
    # Neither: an undated idea in the backlog.
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    planned_date: Mapped[date | None]
    draft_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # went out without being planned: found in a platform's export (di luar rencana)
    unplanned: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Grows with every saved change; an edit form that carries an older one is refused (409).
    # The hidden token of the form that created the item: a second submit finds the first item.
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    unit: Mapped[Unit] = relationship()
    theme: Mapped[Theme | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    platforms: Mapped[list[ContentItemPlatform]] = relationship(
        cascade="all, delete-orphan", order_by="ContentItemPlatform.platform"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        cascade="all, delete-orphan", order_by="Assignment.id", back_populates="item"
    )
    history: Mapped[list[StatusChange]] = relationship(
        cascade="all, delete-orphan", order_by="StatusChange.id", back_populates="item"
    )
    comments: Mapped[list[Comment]] = relationship(
        cascade="all, delete-orphan", order_by="Comment.id", back_populates="item"
    )
    ticks: Mapped[list[ChecklistTick]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        sa.CheckConstraint("planned_at IS NULL OR planned_date IS NULL", name="planned_at_or_date"),
        sa.Index("ix_content_item_unit_planned_at", "unit_id", "planned_at"),
        # also the backlog's undated ideas: unit, no date, no time
        sa.Index("ix_content_item_unit_planned_date", "unit_id", "planned_date", "planned_at"),
        sa.Index("ix_content_item_unit_posted_at", "unit_id", "posted_at"),
        # a unit's last post, and what waits in review (Pantauan): one seek per unit
        sa.Index("ix_content_item_unit_status_posted_at", "unit_id", "status", "posted_at"),
    )

    @validates("caption")
    def _count_caption_words(self, key: str, caption: str | None) -> str | None:
        self.caption_words = count_words(caption or "")
        return caption

    def local_day(self) -> date | None:
        """The item's day on the calendar, in its unit's zone; None for an undated idea."""
        if self.planned_at is not None:
            return local(self.planned_at, self.unit.timezone).date()
        return self.planned_date

    @property
    def posted_links(self) -> dict[Platform, str]:
        return {p.platform: p.posted_url for p in self.platforms if p.posted_url}

    @property
    def platform_list(self) -> list[Platform]:
        return [p.platform for p in self.platforms]


class ContentItemPlatform(db.Model):
    __tablename__ = "content_item_platform"

    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[Platform] = mapped_column(enum_column(Platform, "platform"), primary_key=True)
    posted_url: Mapped[str | None] = mapped_column(sa.String(URL_MAX))
    # the unit's official account it goes out on, once the unit has registered one there
    account_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="SET NULL"), index=True
    )

    account: Mapped[SocialAccount | None] = relationship()


class Assignment(db.Model):
    """A person working on an item, in a role: writer, photographer, videographer, designer."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[AssigneeRole] = mapped_column(enum_column(AssigneeRole, "role"))

    item: Mapped[ContentItem] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("item_id", "user_id", "role"),)


class ChecklistEntry(Timestamps, db.Model):
    """One quality check of the region's list: required ones block approval."""

    __tablename__ = "checklist_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(sa.String(200))
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # The region's "story" check: a published post has a story when it is ticked and the
    # caption is long enough (content/story.py).
    is_story: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class ChecklistTick(db.Model):
    """An entry of the checklist ticked for one item, by whom and when."""

    __tablename__ = "checklist_tick"

    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), primary_key=True
    )
    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("checklist_entry.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()


class Comment(db.Model):
    """Feedback on an item; one may accompany a status change."""

    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text)
    status_change_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("status_change.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    item: Mapped[ContentItem] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship()
    status_change: Mapped[StatusChange | None] = relationship()


class StatusChange(db.Model):
    """One step of an item's workflow history: who moved it, when, from where to where, and why."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    from_status: Mapped[Status | None] = mapped_column(enum_column(Status, "from_status"))
    to_status: Mapped[Status] = mapped_column(enum_column(Status, "to_status"))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    item: Mapped[ContentItem] = relationship(back_populates="history")
    user: Mapped[User | None] = relationship()


class HeadApproval(db.Model):
    """A one-time link for the unit's head to approve an item, or ask for a revision, as it
    stands at one version. Only the token's SHA-256 is kept. The link dies when it is used, when
    it expires (72 hours, or the planned time if sooner), when a newer link is made, or when the
    item changes (another version)."""

    __tablename__ = "head_approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="CASCADE"), index=True
    )
    item_version: Mapped[int]
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision: Mapped[str] = mapped_column(sa.String(10), default="")  # approve | revise
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    head_name: Mapped[str] = mapped_column(sa.String(250), default="")  # who, as named then

    item: Mapped[ContentItem] = relationship()
    requested_by: Mapped[User | None] = relationship()
