"""An item's local day in its unit's zone and its place in that day, as SQL: the month, the
board and the list number and count their items in the database (`picks.pick`) instead
of reading every item of the month."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..accounts.models import Unit
from ..content.models import ContentItem
from ..content.workflow import ORDER
from ..timeutil import ZONE_OFFSETS


class _shifted(FunctionElement):
    """A stored UTC instant moved by a number of seconds: the wall-clock time of a zone."""

    inherit_cache = True
    type = sa.String()


@compiles(_shifted, "sqlite")
def _shifted_sqlite(element, compiler, **kw) -> str:
    instant, seconds = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('%Y-%m-%d %H:%M:%f', {instant}, ({seconds}) || ' seconds')"


@compiles(_shifted)
def _shifted_default(element, compiler, **kw) -> str:
    instant, seconds = (compiler.process(c, **kw) for c in element.clauses)
    return f"({instant} + ({seconds}) * INTERVAL '1 second')"


class _day_of(FunctionElement):
    """The calendar day of a wall-clock time made by `_shifted` (on SQLite, its first ten
    characters: `strftime` writes YYYY-MM-DD first)."""

    inherit_cache = True
    type = sa.Date()


@compiles(_day_of, "sqlite")
def _day_of_sqlite(element, compiler, **kw) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


@compiles(_day_of)
def _day_of_default(element, compiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


class _folded(FunctionElement):
    """Lower case, compared by code point on both engines as Python compares `str.lower()`
    (SQLite's lower() folds ASCII letters only: titles that differ in a capital beyond ASCII
    may take turns differently than in the week, which sorts in Python)."""

    inherit_cache = True
    type = sa.String()


@compiles(_folded, "postgresql")
def _folded_postgresql(element, compiler, **kw) -> str:
    return f'lower({compiler.process(element.clauses, **kw)}) COLLATE "C"'


@compiles(_folded)
def _folded_default(element, compiler, **kw) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


# Every unit's zone is one of these (a CHECK on `unit.timezone`), each with one fixed offset.
_OFFSET = sa.case(ZONE_OFFSETS, value=Unit.timezone)

# What numbering an item needs, worked out once per item in a materialised CTE (SQLite would
# otherwise work the local time out again for every place it is used).
PLACED = {
    "id": ContentItem.id,
    "planned_date": ContentItem.planned_date,
    "wall": _shifted(ContentItem.planned_at, _OFFSET),  # local time; NULL for a whole day
    "title": _folded(ContentItem.title),
    "status": sa.case(
        {status: place for place, status in enumerate(ORDER)}, value=ContentItem.status
    ),
    "unit": _folded(Unit.short_name),
}
# Published posts placed on the day they went out (the story filter: Pantauan counts posts by
# their publication day).
POSTED = {
    **PLACED,
    "planned_date": sa.cast(sa.null(), sa.Date),
    "wall": _shifted(ContentItem.posted_at, _OFFSET),
}
# As `CalendarEntry.sort_key`: whole-day items first, then by local time, then by title.
IN_DAY = ("timed", "wall", "title", "id")
# The list's orders.
SORTS = {
    "date": ("day", *IN_DAY),
    "title": ("title", "id"),
    "status": ("status", "day", *IN_DAY),
    "unit": ("unit", "day", *IN_DAY),
}


def placed_keys(placed: sa.CTE) -> dict[str, sa.ColumnElement]:
    """The keys an item is grouped and ordered by, from the columns of `PLACED`."""
    local_day = sa.case(
        (placed.c.wall.is_(None), placed.c.planned_date), else_=_day_of(placed.c.wall)
    )
    return {**placed.c, "day": local_day, "timed": placed.c.wall.is_not(None)}
