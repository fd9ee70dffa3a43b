"""An item's local day in its unit's zone and its place in that day, as SQL expressions: the
month, the board and the list number and count their items with them in the database
(`calendar_days.pick`) instead of reading every item of the month."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from ..accounts.models import Unit
from ..timeutil import ZONE_OFFSETS
from .models import ContentItem
from .workflow import ORDER


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
    """The calendar day of a wall-clock time made by `_shifted`."""

    inherit_cache = True
    type = sa.Date()


@compiles(_day_of, "sqlite")
def _day_of_sqlite(element, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(_day_of)
def _day_of_default(element, compiler, **kw) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS DATE)"


class _folded(FunctionElement):
    """Lower case, compared by code point on every engine (as Python compares `str.lower()`)."""

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
_WALL_CLOCK = _shifted(ContentItem.planned_at, _OFFSET)
LOCAL_DAY = sa.case(
    (ContentItem.planned_at.is_(None), ContentItem.planned_date), else_=_day_of(_WALL_CLOCK)
)
# As `CalendarEntry.sort_key`: whole-day items first, then by local time, then by title.
IN_DAY = (
    ContentItem.planned_at.is_not(None),
    _WALL_CLOCK,
    _folded(ContentItem.title),
    ContentItem.id,
)
_STATUS_PLACE = sa.case(
    {status: place for place, status in enumerate(ORDER)}, value=ContentItem.status
)

# The list's orders.
SORTS = {
    "date": (LOCAL_DAY, *IN_DAY),
    "title": (_folded(ContentItem.title), ContentItem.id),
    "status": (_STATUS_PLACE, LOCAL_DAY, *IN_DAY),
    "unit": (_folded(Unit.short_name), LOCAL_DAY, *IN_DAY),
}
