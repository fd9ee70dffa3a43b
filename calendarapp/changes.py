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
seen exactly when the data is, and the slot it moves is locked only for the commit. A statement that
may write where it cannot tell the table (`WITH ...`, `MERGE`, `TRUNCATE`) counts as calendar
data. A reader takes the number before it reads the data:
keeping an older number than its data only costs one more look, never a stale answer.
(tests/unit/test_serial.py walks every table.)

No single row that every writer must lock: the serial is the sum of `SLOTS` rows, and a commit
moves one that no other commit holds (PostgreSQL's `FOR UPDATE SKIP LOCKED`; only when every
slot is held does it wait for one). Each commit adds exactly one, so the sum counts the commits
a reader can see, and two different pictures of the data never share a number. SQLite lets one
writer in at a time whatever the rows, so there the first slot moves.
"""

from __future__ import annotations

import random
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
SLOTS = 16  # rows of the serial (the migration seeds ids 1 to 16); more than commits at once
_BUMP = "UPDATE calendar_change SET serial = serial + 1 WHERE id = %d"
# a slot no other transaction holds, or none when every one is held
_BUMP_FREE = (
    "UPDATE calendar_change SET serial = serial + 1 WHERE id = "
    "(SELECT id FROM calendar_change ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED)"
)
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
# what else may write rows, table unknown (a statement starting otherwise reads, or is DDL)
_MAYBE = re.compile(r"^\s*(?:WITH|MERGE|REPLACE|INSERT|UPDATE|DELETE|TRUNCATE|COPY)\b", re.I)


class CalendarChange(db.Model):
    """One slot of the calendar serial (ids 1 to SLOTS, seeded by the migrations): the serial
    is their sum."""

    __tablename__ = "calendar_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[int] = mapped_column(sa.BigInteger, default=0)


# the serial as a column: the sum of its slots (an integer on PostgreSQL too, not a numeric);
# NULL without them, and then nothing may be answered from it
SERIAL = sa.select(sa.cast(sa.func.sum(CalendarChange.serial), sa.BigInteger)).scalar_subquery()
_READ_SERIAL = sa.select(SERIAL)  # one statement object: keyed once, not on every page


def serial() -> int | None:
    """The serial now; None where its rows are missing."""
    return db.session.scalar(_READ_SERIAL)


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
    exactly when the data is, one slot locked for the commit only, a slot no other commit
    holds — a writer waits neither for another's transaction nor for its commit. (A write
    undone by a rolled-back savepoint still moves it: one more look, never a stale answer.)"""
    if conn.info.pop(WROTE, None) and not conn.info.get(SKIP):
        cursor = conn.connection.cursor()
        try:
            if conn.dialect.name == "postgresql":
                cursor.execute(_BUMP_FREE)
                if cursor.rowcount == 1:
                    return
                # every slot is held by a commit: wait for one (it moves all the same)
                cursor.execute(_BUMP % random.randint(1, SLOTS))
            else:
                cursor.execute(_BUMP % 1)
        finally:
            cursor.close()


@sa.event.listens_for(Engine, "begin")
@sa.event.listens_for(Engine, "rollback")
def _end(conn: Connection, *_) -> None:
    conn.info.pop(WROTE, None)
