"""The calendar's own read side: the filters of its address, and the items each view shows —
on their local days (month, week), by status (board), in order (list), undated (the backlog) —
picked in SQL, a fixed number of queries whatever the number of items."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa

from ..accounts.models import Unit
from ..content.models import (
    Assignment,
    ContentFormat,
    ContentItem,
    ContentItemPlatform,
    Platform,
    Theme,
)
from ..content.reads import planned_between
from ..content.story import has_story
from ..content.workflow import ORDER, Status
from ..extensions import db
from ..parsing import digits
from ..timeutil import DateRange, local
from .day_sql import IN_DAY, PLACED, POSTED, SORTS, placed_keys

Q_MAX = 100


class FilterError(ValueError):
    """A filter in the address that cannot be read; the view answers 400."""


@dataclass(frozen=True)
class Filters:
    """The filter bar: it travels in the address as query parameters."""

    theme: int | None = None
    status: Status | None = None
    format: ContentFormat | None = None
    platform: Platform | None = None
    assignee: int | None = None
    q: str = ""
    story: str | None = None  # "no": published posts without a story (content/story.py)

    @classmethod
    def parse(cls, args) -> Filters:
        def number(name: str) -> int | None:
            raw = args.get(name, "").strip()
            if not raw:
                return None
            if not digits(raw) or len(raw) > 9:
                raise FilterError(name)
            return int(raw)

        def choice(name: str, enum):
            raw = args.get(name, "").strip()
            if not raw:
                return None
            try:
                return enum(raw)
            except ValueError:
                raise FilterError(name) from None

        q = args.get("q", "").strip()
        if len(q) > Q_MAX:
            raise FilterError("q")
        story = args.get("story", "").strip() or None
        if story not in (None, "yes", "no"):
            raise FilterError("story")
        return cls(
            theme=number("theme"),
            status=choice("status", Status),
            format=choice("format", ContentFormat),
            platform=choice("platform", Platform),
            assignee=number("assignee"),
            q=q,
            story=story,
        )

    def args(self) -> dict[str, str]:
        """The non-empty filters as query parameters, to keep them in every link."""
        values = {
            "theme": self.theme,
            "status": self.status,
            "format": self.format,
            "platform": self.platform,
            "assignee": self.assignee,
            "q": self.q,
            "story": self.story,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    @property
    def active(self) -> bool:
        return bool(self.args())

    def clauses(self) -> list:
        where = []
        if self.theme is not None:
            where.append(ContentItem.theme_id == self.theme)
        if self.status is not None:
            where.append(ContentItem.status == self.status)
        if self.format is not None:
            where.append(ContentItem.format == self.format)
        if self.platform is not None:
            where.append(
                ContentItem.id.in_(
                    sa.select(ContentItemPlatform.item_id).where(
                        ContentItemPlatform.platform == self.platform
                    )
                )
            )
        if self.assignee is not None:
            where.append(
                ContentItem.id.in_(
                    sa.select(Assignment.item_id).where(Assignment.user_id == self.assignee)
                )
            )
        if self.story is not None:
            with_story = has_story()
            where.append(ContentItem.status == Status.TAYANG)
            where.append(with_story if self.story == "yes" else ~with_story)
        if self.q:
            where.append(
                sa.or_(
                    *(
                        column.icontains(self.q, autoescape=True)
                        for column in (
                            ContentItem.title,
                            ContentItem.brief,
                            ContentItem.caption,
                            ContentItem.hashtags,
                        )
                    )
                )
            )
        return where


NO_FILTERS = Filters()


class ItemChip(NamedTuple):
    """What a chip, a card or a list row shows of an item, read as a plain row: the calendar's
    views and the backlog show hundreds, and ORM objects with their unit and theme cost more
    than the page around them (a caption, 2,200 characters, is never read)."""

    id: int
    unit_id: int
    title: str
    status: Status
    format: ContentFormat
    version: int
    planned_at: datetime | None
    unit_name: str  # the unit's short name
    unit_color: str
    timezone: str  # the unit's zone
    theme_id: int | None
    theme_name: str | None
    theme_color: str | None

    @property
    def color(self) -> str:
        """The chip's colour: its theme's, else its unit's."""
        return self.theme_color if self.theme_id is not None else self.unit_color


CHIP_COLUMNS = (
    ContentItem.id,
    ContentItem.unit_id,
    ContentItem.title,
    ContentItem.status,
    ContentItem.format,
    ContentItem.version,
    ContentItem.planned_at,
    Unit.short_name,
    Unit.color,
    Unit.timezone,
    ContentItem.theme_id,
    Theme.name,
    Theme.color,
)
CHIPS = len(CHIP_COLUMNS)


def _chips_from(query: sa.Select) -> sa.Select:
    """`query` (over content items joined to their unit) with theme joined for `CHIP_COLUMNS`."""
    return query.outerjoin(Theme, Theme.id == ContentItem.theme_id)


@dataclass(frozen=True)
class CalendarEntry:
    """An item on the calendar: its local day in its unit's zone and, if timed, its local time."""

    item: ItemChip
    day: date
    local_time: datetime | None


EVERY = 1_000_000  # "all the places": more items than a day, a week or a region ever holds


@dataclass(frozen=True)
class Picked:
    entry: CalendarEntry
    total: int  # how many items its day, its status or the whole list holds


def pick(
    unit_ids: list[int],
    days: DateRange,
    filters: Filters,
    order: tuple[str, ...],
    places: range,
    group: str | None = None,
    descending: bool = False,
) -> list[Picked]:
    """The items of these units on a local day of the range, numbered by the keys of `order`
    (`day_sql.placed_keys`) within each `group` (or all together): those whose number is in
    `places`, with their group's size. One statement: only the items shown leave the database."""
    if not unit_ids:
        return []
    if filters.active:
        # the story filter lists published posts, each on the day it went out
        by_posted = filters.story is not None
        query = _pick_query(order, group, descending, tuple(filters.clauses()), by_posted)
    else:
        query = _unfiltered_pick_query(order, group, descending)
    low, high = days.utc_bounds()
    bound = {"units": unit_ids, "low": low, "high": high, "first": days.start, "last": days.end}
    bound.update(page_size=len(places), skipped=places.start - 1)
    picked = []
    for row in db.session.execute(query, bound):
        chip = ItemChip._make(row[:CHIPS])
        picked.append(Picked(CalendarEntry(chip, row.day, _moment(chip)), row.total))
    return picked


@functools.cache
def _unfiltered_pick_query(order: tuple[str, ...], group: str | None, descending: bool):
    """Built once per way of picking: 0.8 ms saved on each month, board and list look (measured;
    about what running it costs)."""
    return _pick_query(order, group, descending, ())


def _pick_query(
    order: tuple[str, ...],
    group: str | None,
    descending: bool,
    clauses: tuple,
    by_posted: bool = False,
):
    """`pick`'s statement; the units, the range and the places are bound at each run. With
    `by_posted`, items are placed on their publication day instead of their planned one."""
    needed = {"id", "planned_date", "wall", *order, group}
    bounds = [sa.bindparam(name) for name in ("low", "high", "first", "last")]
    placing, between = PLACED, planned_between(*bounds)
    if by_posted:
        placing, between = POSTED, ContentItem.posted_at.between(*bounds[:2])
    placed = (
        sa.select(*(expr.label(name) for name, expr in placing.items() if name in needed))
        .join(ContentItem.unit)
        .where(
            ContentItem.unit_id.in_(sa.bindparam("units", expanding=True)),
            Unit.active.is_(True),
            *clauses,
        )
        .where(between)
        .cte("placed")
        .prefix_with("MATERIALIZED")
    )
    key = placed_keys(placed)
    if group is None:
        return _page_query(placed, key, order, descending)
    if group == "status":
        return _columns_query(placed, key, order, descending)
    ordering = [key[name].desc() if descending else key[name] for name in order]
    within = {"partition_by": key[group]}
    numbered = (
        sa.select(
            placed.c.id,
            key["day"].label("day"),
            sa.func.row_number().over(order_by=ordering, **within).label("place"),
            sa.func.count().over(**within).label("total"),
        )
        .where(key["day"].between(sa.bindparam("first"), sa.bindparam("last")))
        .subquery()
    )
    return (
        _chips_from(
            sa.select(*CHIP_COLUMNS, numbered.c.day, numbered.c.total)
            .join(numbered, numbered.c.id == ContentItem.id)
            .join(ContentItem.unit)
        )
        .where(numbered.c.place > sa.bindparam("skipped", type_=sa.Integer))
        .where(numbered.c.place - sa.bindparam("skipped") <= sa.bindparam("page_size"))
        .order_by(numbered.c.place)
    )


def _page_query(placed: sa.CTE, key: dict, order: tuple[str, ...], descending: bool):
    """Places `skipped` + 1 on (`page_size` of them) of one order over every item (the list,
    the week): a sort with a LIMIT keeps only the page's rows as it goes, where numbering them
    all with a window sorted and kept the whole month (the list's first page on the
    kabupaten's month, 1,271 items: 2.7 ms instead of 5.3 in SQLite, measured). The same keys,
    so the same order."""
    shown = key["day"].between(sa.bindparam("first"), sa.bindparam("last"))
    total = sa.select(sa.func.count()).select_from(placed).where(shown).scalar_subquery()
    keys = [key[name].label(f"key_{name}") for name in order]
    page = (
        sa.select(placed.c.id, key["day"].label("day"), total.label("total"), *keys)
        .where(shown)
        .order_by(*(k.desc() if descending else k for k in keys))
        .limit(sa.bindparam("page_size"))
        .offset(sa.bindparam("skipped"))
        .subquery()
    )
    sorted_again = [page.c[k.name].desc() if descending else page.c[k.name] for k in keys]
    return _chips_from(
        sa.select(*CHIP_COLUMNS, page.c.day, page.c.total)
        .join(page, page.c.id == ContentItem.id)
        .join(ContentItem.unit)
    ).order_by(*sorted_again)


def _columns_query(placed: sa.CTE, key: dict, order: tuple[str, ...], descending: bool):
    """The board's columns: places `skipped` + 1 on (`page_size` of them) of each status, in
    one order, and each status's count. A status is one of `ORDER`'s eight, so each column is
    sorted with a LIMIT of its own, where a window numbered every item of the month (the
    kabupaten's month, 1,271 items: 3.9 ms instead of 5.3 in SQLite, measured)."""
    shown = key["day"].between(sa.bindparam("first"), sa.bindparam("last"))
    counted = (
        sa.select(key["status"].label("status"), sa.func.count().label("total"))
        .where(shown)
        .group_by(key["status"])
        .subquery("counted")
    )
    keys = [key[name].label(f"key_{name}") for name in order]
    columns = [
        # a subquery each: SQLite takes a member's own ORDER BY and LIMIT only inside one
        sa.select(placed.c.id, key["day"].label("day"), key["status"].label("status"), *keys)
        .where(shown, key["status"] == place)
        .order_by(*(k.desc() if descending else k for k in keys))
        .limit(sa.bindparam("page_size"))
        .offset(sa.bindparam("skipped"))
        .subquery()
        for place in range(len(ORDER))
    ]
    picked = sa.union_all(*(sa.select(column) for column in columns)).subquery("picked")
    sorted_again = [picked.c[k.name].desc() if descending else picked.c[k.name] for k in keys]
    return _chips_from(
        sa.select(*CHIP_COLUMNS, picked.c.day, counted.c.total)
        .join(picked, picked.c.id == ContentItem.id)
        .join(counted, counted.c.status == picked.c.status)
        .join(ContentItem.unit)
    ).order_by(picked.c.status, *sorted_again)


def _moment(chip: ItemChip) -> datetime | None:
    return local(chip.planned_at, chip.timezone) if chip.planned_at else None


def month_entries(
    unit_ids: list[int], days: DateRange, filters: Filters, per_day: int
) -> tuple[dict[date, list[CalendarEntry]], dict[date, int]]:
    """The first `per_day` entries of each day, and how many each day has in all: a region's
    month holds thousands of items but shows three a day."""
    entries: dict[date, list[CalendarEntry]] = defaultdict(list)
    counts: dict[date, int] = {}
    # One a day at least, to learn the day's count.
    for picked in pick(unit_ids, days, filters, IN_DAY, range(1, max(per_day, 1) + 1), "day"):
        counts[picked.entry.day] = picked.total
        if per_day:
            entries[picked.entry.day].append(picked.entry)
    return dict(entries), counts


def board_columns(
    unit_ids: list[int], days: DateRange, filters: Filters, per_column: int
) -> tuple[dict[Status, list[CalendarEntry]], dict[Status, int]]:
    """The items of these days by status: the first `per_column` of each, and how many in all."""
    columns: dict[Status, list[CalendarEntry]] = {status: [] for status in ORDER}
    totals: dict[Status, int] = dict.fromkeys(ORDER, 0)
    places = range(1, max(per_column, 1) + 1)
    for picked in pick(unit_ids, days, filters, SORTS["date"], places, "status"):
        status = picked.entry.item.status
        totals[status] = picked.total
        if per_column:
            columns[status].append(picked.entry)
    return columns, totals


def list_page(
    unit_ids: list[int], days: DateRange, filters: Filters, sort: str, descending: bool, page: range
) -> tuple[list[CalendarEntry], int]:
    """The items at these places of the list's order, and how many the list holds (0 when the
    page lies past its end)."""
    found = pick(unit_ids, days, filters, SORTS[sort], page, descending=descending)
    return [picked.entry for picked in found], found[0].total if found else 0


def backlog(unit_ids: list[int], filters: Filters) -> list[ItemChip]:
    """Undated ideas, newest first: the bank of ideas beside the calendar."""
    if not unit_ids:
        return []
    clauses = tuple(filters.clauses())
    query = _backlog_query(clauses) if clauses else _unfiltered_backlog_query()
    return [ItemChip._make(row) for row in db.session.execute(query, {"units": unit_ids})]


BACKLOG_SIZE = 30


@functools.cache
def _unfiltered_backlog_query() -> sa.Select:
    """Built once (0.6 ms saved on each month and week look, measured); the units bound at each
    run."""
    return _backlog_query(())


def _backlog_query(clauses: tuple) -> sa.Select:
    return (
        _chips_from(sa.select(*CHIP_COLUMNS).join(ContentItem.unit))
        .where(ContentItem.unit_id.in_(sa.bindparam("units", expanding=True)))
        .where(Unit.active.is_(True), *clauses)
        .where(ContentItem.planned_at.is_(None), ContentItem.planned_date.is_(None))
        .where(ContentItem.status.not_in([Status.DIBATALKAN, Status.TAYANG]))
        .order_by(ContentItem.created_at.desc(), ContentItem.id.desc())
        .limit(BACKLOG_SIZE)
    )


def week_entries(
    unit_ids: list[int], days: DateRange, filters: Filters
) -> dict[date, list[CalendarEntry]]:
    """Every entry of each day, placed and ordered as the month, the board and the list place
    and order them (one way, in SQL: `pick`): in the list's order by date, which is by day and
    then as within a day, and needs no numbering of each day's items."""
    entries: dict[date, list[CalendarEntry]] = defaultdict(list)
    for picked in pick(unit_ids, days, filters, SORTS["date"], range(1, EVERY + 1)):
        entries[picked.entry.day].append(picked.entry)
    return dict(entries)
