"""Reading content items as objects over a range of days: the week plan puts them beside its
slots. The calendar's views read theirs as plain rows (calendar/picks.py). And an item's
comments as its page shows them: the latest, the rest on request."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, load_only

from ..accounts.models import Unit
from ..extensions import db
from ..timeutil import DateRange
from .models import Comment, ContentItem

# What the week plan reads of the items it loads as objects (`items_between`); reading any
# other field of such an item fails loudly.
CHIP_FIELDS = (
    ContentItem.id,
    ContentItem.unit_id,
    ContentItem.theme_id,
    ContentItem.title,
    ContentItem.status,
    ContentItem.format,
    ContentItem.planned_at,
    ContentItem.planned_date,
    ContentItem.version,
)


def items_query(unit_ids: list[int] | sa.BindParameter) -> sa.Select:
    """Items of these (active) units, as objects with their `CHIP_FIELDS`, unit and theme
    loaded."""
    return (
        sa.select(ContentItem)
        .join(ContentItem.unit)
        .options(
            load_only(*CHIP_FIELDS, raiseload=True),
            contains_eager(ContentItem.unit),
            joinedload(ContentItem.theme),
        )
        .where(ContentItem.unit_id.in_(unit_ids), Unit.active.is_(True))
    )


def planned_between(low, high, first, last) -> sa.ColumnElement[bool]:
    """Planned at an instant from `low` to `high`, or for a whole day from `first` to `last`."""
    return sa.or_(
        ContentItem.planned_at.between(low, high),
        ContentItem.planned_date.between(first, last),
    )


def _items_between() -> sa.Select:
    """The statement of `items_between`: the units and the range's bounds bound at each run."""
    bounds = [sa.bindparam(name) for name in ("low", "high", "first", "last")]
    units = sa.bindparam("units", expanding=True)
    return items_query(units).where(planned_between(*bounds))


def items_between(unit_ids: list[int], days: DateRange) -> list[ContentItem]:
    """The items of these units planned in these days (at an instant or for a whole day)."""
    if not unit_ids:
        return []
    low, high = days.utc_bounds()
    bound = {"units": unit_ids, "low": low, "high": high, "first": days.start, "last": days.end}
    return list(db.session.scalars(_items_between(), bound).unique())


COMMENTS_SHOWN = 20  # the latest comments an item's page shows; a long thread's rest on request


class Thread(NamedTuple):
    comments: list[Comment]  # oldest first
    earlier: int  # the older comments not shown


def thread(item_id: int, everything: bool = False) -> Thread:
    """The item's latest COMMENTS_SHOWN comments (or all of them), with their authors and the
    steps they were written with: a long thread costs a page no more than a short one."""
    query = (
        sa.select(Comment)
        .where(Comment.item_id == item_id)
        .options(joinedload(Comment.author), joinedload(Comment.status_change))
        .order_by(Comment.id.desc())
    )
    if not everything:
        query = query.limit(COMMENTS_SHOWN + 1)
    latest = list(db.session.scalars(query))
    earlier = 0
    if len(latest) > COMMENTS_SHOWN and not everything:
        count = sa.select(sa.func.count()).where(Comment.item_id == item_id)
        earlier = db.session.scalar(count) - COMMENTS_SHOWN
        latest = latest[:COMMENTS_SHOWN]
    return Thread(latest[::-1], earlier)
