"""The calendar serial: one number that moves whenever a row that calendars show is written.

A feed keeps the serial it was last checked at; while the number has not moved (and the day is
the same), a phone's repeat fetch is answered from what was kept, with one indexed lookup and no
aggregate query; the calendar's views, the week plan and Tugas Saya answer a repeat look from
the grid they kept (calendarapp/kept.py). Every model marked `OnCalendars` moves it: row writes
through the session (after each flush) and bulk ORM statements alike, inside the same
transaction, so the new number is seen exactly when the data is. A reader takes the number
before it reads the data: keeping an older number than its data only costs one more look, never
a stale answer.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db
from .models_base import OnCalendars

BUMPED = "calendar_serial_moved"  # Session.info: moved once already in this transaction


class CalendarChange(db.Model):
    """One row (id 1): the calendar serial. Seeded by its migration."""

    __tablename__ = "calendar_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def serial() -> int | None:
    """The serial now; None where its row is missing (then nothing may be answered from it)."""
    return db.session.scalar(sa.select(CalendarChange.serial).where(CalendarChange.id == 1))


def _changed(obj) -> bool:
    """A changed row of a calendar model, in the columns that matter for calendars."""
    if not isinstance(obj, OnCalendars):
        return False
    fields = type(obj).calendar_fields
    state = sa.inspect(obj)
    return fields is None or any(state.attrs[name].history.has_changes() for name in fields)


def _move(session: Session) -> None:
    if session.info.get(BUMPED):
        return
    session.info[BUMPED] = True
    session.connection().execute(
        sa.update(CalendarChange)
        .where(CalendarChange.id == 1)
        .values(serial=CalendarChange.serial + 1)
    )


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    made_or_gone = (*session.new, *session.deleted)
    if any(isinstance(obj, OnCalendars) for obj in made_or_gone) or any(
        _changed(obj) for obj in session.dirty
    ):
        _move(session)


@sa.event.listens_for(Session, "do_orm_execute")
def _bulk(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, OnCalendars):
        _move(state.session)


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_soft_rollback")
def _end(session: Session, *_) -> None:
    session.info.pop(BUMPED, None)  # (a rolled-back savepoint may have taken the move with it)
