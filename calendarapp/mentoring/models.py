"""Trainings (FGD, bimtek, workshop, visits), mentoring notes per unit and their RTL."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..content.models import ContentItem
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import CreatedOnce, Timestamps, Versioned, enum_column
from ..timeutil import UTCDateTime, local


class TrainingKind(StrEnum):
    FGD = "fgd"
    BIMTEK = "bimtek"
    WORKSHOP = "workshop"
    PENDAMPINGAN = "pendampingan"

    @property
    def label(self) -> str:
        return str(TRAINING_KIND_LABELS[self])


TRAINING_KIND_LABELS = {
    TrainingKind.FGD: _l("FGD (focus group discussion)"),
    TrainingKind.BIMTEK: _l("Bimtek (technical guidance)"),
    TrainingKind.WORKSHOP: _l("Workshop"),
    TrainingKind.PENDAMPINGAN: _l("Mentoring visit (pendampingan)"),
}

training_unit = sa.Table(
    "training_unit",
    db.metadata,
    sa.Column("training_id", sa.ForeignKey("training.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "unit_id",
        sa.ForeignKey("unit.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

training_participant = sa.Table(
    "training_participant",
    db.metadata,
    sa.Column("training_id", sa.ForeignKey("training.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "user_id",
        sa.ForeignKey("user_account.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Training(Versioned, CreatedOnce, Timestamps, db.Model):
    """An FGD, bimtek, workshop or visit run by Diskominfo for some units."""

    __tablename__ = "training"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TrainingKind] = mapped_column(enum_column(TrainingKind, "kind"))
    title: Mapped[str] = mapped_column(sa.String(200))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    organiser: Mapped[Unit | None] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=training_unit, order_by="Unit.name")
    participants: Mapped[list[User]] = relationship(
        secondary=training_participant, order_by="User.name"
    )
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="training", cascade="all, delete-orphan", order_by="Speaker.position"
    )
    materials: Mapped[list[Material]] = relationship(
        back_populates="training", cascade="all, delete-orphan", order_by="Material.id"
    )
    notes: Mapped[list[MentoringNote]] = relationship(back_populates="training")

    __table_args__ = (sa.CheckConstraint("starts_at < ends_at", name="times"),)

    def local_start(self) -> datetime:
        return local(self.starts_at, self.timezone)

    def local_end(self) -> datetime:
        return local(self.ends_at, self.timezone)

    @property
    def day(self) -> date:
        return self.local_start().date()


class Speaker(db.Model):
    __tablename__ = "training_speaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    affiliation: Mapped[str] = mapped_column(sa.String(160), default="")
    topic: Mapped[str] = mapped_column(sa.String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    training: Mapped[Training] = relationship(back_populates="speakers")


class Material(db.Model):
    """A link, or a file kept in the database so every app server can serve it."""

    __tablename__ = "training_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    url: Mapped[str | None] = mapped_column(sa.String(500))
    filename: Mapped[str | None] = mapped_column(sa.String(200))
    content_type: Mapped[str | None] = mapped_column(sa.String(100))
    size: Mapped[int | None]
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    training: Mapped[Training] = relationship(back_populates="materials")

    __table_args__ = (
        sa.CheckConstraint("(url IS NULL) <> (filename IS NULL)", name="link_or_file"),
    )


note_item = sa.Table(
    "mentoring_note_item",
    db.metadata,
    sa.Column("note_id", sa.ForeignKey("mentoring_note.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "item_id",
        sa.ForeignKey("content_item.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class MentoringNote(Versioned, CreatedOnce, Timestamps, db.Model):
    """A mentor's note for one unit, after a training or from a standalone visit."""

    __tablename__ = "mentoring_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    training_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("training.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    noted_on: Mapped[date]
    went_well: Mapped[str] = mapped_column(sa.Text, default="")
    to_improve: Mapped[str] = mapped_column(sa.Text, default="")
    recommendations: Mapped[str] = mapped_column(sa.Text, default="")
    next_follow_up: Mapped[date | None]

    unit: Mapped[Unit] = relationship()
    training: Mapped[Training | None] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()
    items: Mapped[list[ContentItem]] = relationship(secondary=note_item, order_by="ContentItem.id")
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="ActionItem.id"
    )
    changes: Mapped[list[MentoringChange]] = relationship(
        cascade="all, delete-orphan", order_by="MentoringChange.id"
    )


class ActionStatus(StrEnum):
    TERBUKA = "terbuka"
    DIKERJAKAN = "dikerjakan"
    SELESAI = "selesai"
    TIDAK_DILANJUTKAN = "tidak_dilanjutkan"

    @property
    def label(self) -> str:
        return str(ACTION_STATUS_LABELS[self])

    @classmethod
    def open(cls) -> tuple[ActionStatus, ...]:
        return (cls.TERBUKA, cls.DIKERJAKAN)


ACTION_STATUS_LABELS = {
    ActionStatus.TERBUKA: _l("Not started"),
    ActionStatus.DIKERJAKAN: _l("In progress"),
    ActionStatus.SELESAI: _l("Done"),
    ActionStatus.TIDAK_DILANJUTKAN: _l("Not pursued"),
}


class ActionItem(Versioned, Timestamps, db.Model):
    """One follow-up action (RTL) of a note: updated by the unit, checked by the mentor."""

    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_note.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.String(500))
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "status"), default=ActionStatus.TERBUKA
    )
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    # when it was finished or dropped (None while open): a past month's report counts what was
    # still open at the month's end
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    note: Mapped[MentoringNote] = relationship(back_populates="actions")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    checked_by: Mapped[User | None] = relationship(foreign_keys=[checked_by_id])


class MentoringChange(db.Model):
    """A correction of a note or of one of its RTL after saving: who, when, and what it was."""

    __tablename__ = "mentoring_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mentoring_note.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("action_item.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # [[field, before, after], ...] as JSON text: the same on SQLite and PostgreSQL
    changes: Mapped[str] = mapped_column(sa.Text)

    user: Mapped[User | None] = relationship()
    action: Mapped[ActionItem | None] = relationship()
