"""The calendar serial: one number that moves whenever calendar data is written.

A feed keeps the serial it was last checked at; while the number has not moved (and the day is
the same), a phone's repeat fetch is answered from what was kept, with one indexed lookup and no
aggregate query; the calendar's views, the week plan and Tugas Saya answer a repeat look from
the grid they kept (calendarapp/kept.py).

Right by construction: **every table is calendar data** except the few on `EXEMPT` (sign-ins,
notices and their delivery, caches, histories). Nothing is marked and nothing is remembered: the
database connection itself looks at every statement it sends — ORM flushes, Core statements on
association tables, bulk statements, `text()` — and a transaction that wrote to any other
table moves the serial just before it commits, in the same transaction, so the new number is
seen exactly when the data is, and its one row is locked only for the commit. A statement that
may write where it cannot tell the table (`WITH ...`, `MERGE`, `TRUNCATE`) counts as calendar
data. A reader takes the number before it reads the data:
keeping an older number than its data only costs one more look, never a stale answer.
(tests/unit/test_serial.py walks every table.) Still one row: two commits of calendar data
queue for it for the instant of a commit, not for each other's whole transaction.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db

# Tables no calendar view, grid or feed shows, written on reads or beside the data they follow.
EXEMPT = frozenset(
    {
        "calendar_change",  # the serial itself
        "alembic_version",
        # sign-ins and their throttling
        "login_session",
        "login_attempt",
        "sign_in",
        # notices and their delivery (the bell is outside every kept grid)
        "notification",
        "delivery",
        "push_device",
        "notice_settings",
        "job_lock",
        # caches: what a feed last answered, and its events' text
        "feed_token",
        "feed_event_cache",
        # comments: shown on their item's own page only, which is never kept (tested)
        "comment",
        # histories, written beside the rows they record
        "status_change",
        "coverage_change",
        "mentoring_change",
        "membership_change",
    }
)
SKIP = "calendar_serial_skip"  # Connection.info: migrations write before the serial exists
WROTE = "calendar_data_written"  # Connection.info: this transaction wrote calendar data
_BUMP = "UPDATE calendar_change SET serial = serial + 1 WHERE id = 1"
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
# what else may write rows, table unknown (a statement starting otherwise reads, or is DDL)
_MAYBE = re.compile(r"^\s*(?:WITH|MERGE|REPLACE|INSERT|UPDATE|DELETE|TRUNCATE|COPY)\b", re.I)


class CalendarChange(db.Model):
    """One row (id 1): the calendar serial. Seeded by its migration."""

    __tablename__ = "calendar_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[int] = mapped_column(sa.BigInteger, default=0)


def serial() -> int | None:
    """The serial now; None where its row is missing (then nothing may be answered from it)."""
    return db.session.scalar(sa.select(CalendarChange.serial).where(CalendarChange.id == 1))


def written_table(statement: str, context) -> str | None:
    """The table a statement writes ("" when it writes but which is not clear), or None."""
    if context is not None and getattr(context, "isddl", False):
        return None
    compiled = getattr(context, "compiled", None)
    dml = getattr(compiled, "statement", None)
    if isinstance(dml, sa.sql.dml.UpdateBase) and isinstance(dml.table, sa.Table):
        return dml.table.name
    found = _WRITE.match(statement)
    if found:
        return found[1].lower()
    return "" if _MAYBE.match(statement) else None


@sa.event.listens_for(Engine, "before_cursor_execute")
def _before(conn: Connection, _cursor, statement, _parameters, context, _many) -> None:
    info = conn.info
    if info.get(WROTE) or info.get(SKIP):
        return
    table = written_table(statement, context)
    if table is not None and table not in EXEMPT:
        info[WROTE] = True


@sa.event.listens_for(Engine, "commit")
def _commit(conn: Connection) -> None:
    """Just before a transaction that wrote calendar data commits, the serial moves in it: seen
    exactly when the data is, its row locked for the commit only — a writer does not wait for
    another's whole transaction. (A write undone by a rolled-back savepoint still moves it: one
    more look, never a stale answer.)"""
    if conn.info.pop(WROTE, None) and not conn.info.get(SKIP):
        cursor = conn.connection.cursor()
        try:
            cursor.execute(_BUMP)
        finally:
            cursor.close()


@sa.event.listens_for(Engine, "begin")
@sa.event.listens_for(Engine, "rollback")
def _end(conn: Connection, *_) -> None:
    conn.info.pop(WROTE, None)
