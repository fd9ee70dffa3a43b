"""Column helpers shared by the area models."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Self

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from . import clock
from .errors import FORM_USED, Refused
from .extensions import db
from .timeutil import UTCDateTime


def enum_column(enum: type[StrEnum], name: str) -> sa.Enum:
    """A portable enum: a VARCHAR with a named CHECK constraint holding the values."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=clock.now, onupdate=clock.now
    )


class Versioned:
    """An optimistic version: every UPDATE of the row raises it (SQLAlchemy's version_id_col, so
    two saves racing from the same version cannot both land: the second fails in the database),
    and an edit form carries the version it was loaded at; the area's service refuses an edit
    from an older one with its errors.Stale refusal (409)."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


class CreatedOnce:
    """A row made from a form keeps the form's one-time token: a double submit finds the row
    the first made instead of making another."""

    creation_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    @classmethod
    def made_with(cls, token: str | None, refusal: type[Refused], **same) -> Self | None:
        """The row this token already made, if it was made in the same place by the same person
        (`same`: its attributes' values); a token used anywhere else is refused (FORM_USED)."""
        if not token:
            return None
        existing = db.session.scalar(sa.select(cls).where(cls.creation_token == token))
        if existing is None:
            return None
        if all(getattr(existing, name) == value for name, value in same.items()):
            return existing
        raise refusal(FORM_USED)
