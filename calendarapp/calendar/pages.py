"""What the calendar's views show, as typed view models: `Scope` (whose calendar, through which
filters: the toolbar and every grid read it) and one page per view (`MonthPage`, `WeekPage`,
`ListPage`, `BoardPage`). A grid template reads `scope` and `cal` and nothing else of the view:
each field is declared here once, and the links it repeats are methods, not lambdas merged into
a dictionary."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import url_for

from ..accounts.permissions import UnitRef
from ..content.models import ContentFormat
from ..content.platforms import PLATFORM_LABELS
from ..content.workflow import ORDER, Status
from ..coverage.models import Leader
from ..i18n import day_in, local_time_in
from ..i18n import phrase as _
from ..sources import ChipGroup
from ..timeutil import DateRange, format_month, format_week
from ..web import url_maker
from .picks import Q_MAX, CalendarEntry, Filters, ItemChip

# A moved item keeps its day only while it can still go out: these never move.
SETTLED = (Status.TAYANG, Status.DIBATALKAN)


@dataclass(frozen=True, kw_only=True)
class Scope:
    """Whose calendar, through which filters, for whom."""

    units: list[UnitRef]  # every unit the viewer may see
    unit: UnitRef | None  # the one picked in the address
    shown_unit: UnitRef | None  # the one unit shown: picked, or a member's only unit
    today: date  # in the shown unit's zone, else the region's
    filters: Filters
    agenda_filter: str  # "" every leader, "none" hidden, or one leader
    keep: dict[str, str]  # the unit and filters of the address, kept in every link
    can_create: bool
    planning: frozenset[int]  # the units whose items the viewer plans, and so may move
    theme_choices: list[tuple[int, str]]
    assignee_choices: list[tuple[int, str]]
    language: str  # of the grid: its words and times
    status_labels: dict[Status, str]  # translated once per grid, read by every chip
    format_labels: dict[ContentFormat, str]  # and by every row of the list
    status_choices: tuple[Status, ...] = ORDER
    platform_choices: dict = field(default_factory=lambda: PLATFORM_LABELS)
    leader_choices: tuple[Leader, ...] = tuple(Leader)

    @property
    def q_max(self) -> int:
        """The search box's limit, as the filters read it."""
        return Q_MAX

    @property
    def unit_id(self) -> int | None:
        return self.unit.id if self.unit else None

    @property
    def unit_ids(self) -> list[int]:
        return [self.unit.id] if self.unit else [u.id for u in self.units]

    @property
    def unit_choices(self) -> list[tuple[int, str]]:
        return [(u.id, u.short_name) for u in self.units]

    def link(self, endpoint: str, **period: str) -> str:
        """The address of a view and period, with this scope's unit and filters."""
        return url_for(endpoint, **period, **self.keep)

    def can_move(self, item: ItemChip) -> bool:
        return item.unit_id in self.planning and item.status not in SETTLED

    @functools.cached_property
    def _item_url(self) -> Callable[[object], str]:
        return url_maker("content.detail", "item_id")

    def chips(self, entries: list[CalendarEntry], with_day: bool = False) -> list[Chip]:
        """The entries as their chips show them (with their day first on the board)."""
        all_day = _("All day")
        made = []
        for entry in entries:
            item = entry.item
            if entry.local_time is None:
                time = all_day
            else:
                time = local_time_in(self.language, item.planned_at, item.timezone)
            if with_day:
                time = f"{day_in(self.language, entry.day, 'EEE d MMM')} · {time}"
            made.append(self.chip(item, time))
        return made

    def chip(self, item: ItemChip, time: str = "") -> Chip:
        return Chip(
            id=item.id,
            version=item.version,
            href=self._item_url(item.id),
            status=item.status.value,
            status_label=self.status_labels[item.status],
            color=item.color,
            title=item.title,
            unit_name=item.unit_name,
            theme_name=item.theme_name,
            time=time,
            movable=self.can_move(item),
        )


@dataclass(frozen=True, slots=True)
class Chip:
    """An item as its chip shows it, worked out in Python once: a chip's template read each
    of these through a call, a property or a filter (the kabupaten's board, 249 chips,
    rendered in 5.4 ms that way, 3.5 ms now, measured)."""

    id: int
    version: int
    href: str
    status: str  # its value: the chip's class and its badge's
    status_label: str
    color: str
    title: str
    unit_name: str
    theme_name: str | None
    time: str  # "09.00 WIB", "Sepanjang hari"; on the board after its day
    movable: bool


@dataclass(frozen=True, kw_only=True)
class CalendarPage:
    """What every view shows around its grid: the toolbar's links and the other views."""

    scope: Scope
    view: str  # month, week, list or board
    prev_url: str
    next_url: str
    today_url: str
    view_urls: dict[str, str]  # the four views of the same period and filters
    period_args: dict[str, str]  # the period in the address, kept by the filter form


@dataclass(frozen=True, slots=True)
class GridDay:
    """A day's cell in the month or the week: what it shows, and the words and addresses it
    repeats, worked out here once. Each call a template makes costs more than the HTML it
    writes: the month's 42 days, without items, took 1.5 ms to render with these worked out in
    the template, 0.4 ms as they are now (measured on a quiet machine; a unit's whole month
    grid 2.7 → 1.5 ms)."""

    date: date
    iso: str  # its `data-date` and drop target
    label: str  # weekday, day, month and year: read aloud
    name: str  # weekday, day and month: shown
    week_url: str  # the week it lies in ("" in the week itself)
    add_url: str  # the new-item form on this day; "" when the viewer creates nowhere
    add_label: str
    entries: list[Chip]  # the items shown (the month shows the first few)
    count: int  # how many items the day has in all
    chips: list[ChipGroup]
    today: bool
    outside: bool  # a day of the month before or after, in the month's grid

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


def grid_days(
    scope: Scope,
    days: list[date],
    entries: dict[date, list[CalendarEntry]],
    chips: dict[date, list[ChipGroup]],
    counts: dict[date, int] | None = None,
    month: date | None = None,
) -> list[GridDay]:
    """The cells of `days`. The month passes each day's `counts` (it shows a few of each day's
    entries) and its `month` (its first day: the days around it are set apart); the week shows
    every entry of its days and links no week."""
    language = scope.language
    new_item = url_maker("content.new", "date", unit=scope.unit_id) if scope.can_create else None
    week_of = url_maker(".week", "week", **scope.keep) if month else None
    add_label = _("New item on %(day)s")
    cells = []
    for day in days:
        iso = day.isoformat()
        shown = entries.get(day, [])
        cells.append(
            GridDay(
                date=day,
                iso=iso,
                label=day_in(language, day, "EEEE, d MMMM y"),
                name=day_in(language, day, "EEEE, d MMMM"),
                week_url=week_of(format_week(day)) if week_of else "",
                add_url=new_item(iso) if new_item else "",
                add_label=add_label % {"day": day_in(language, day, "full")},
                entries=scope.chips(shown),
                count=counts.get(day, 0) if counts is not None else len(shown),
                chips=chips.get(day, []),
                today=day == scope.today,
                outside=month is not None and day.month != month.month,
            )
        )
    return cells


@dataclass(frozen=True, kw_only=True)
class MonthPage(CalendarPage):
    first: date
    weeks: list[list[GridDay]]
    ideas: list[Chip]

    @property
    def month_param(self) -> str:
        return format_month(self.first)


@dataclass(frozen=True, kw_only=True)
class WeekPage(CalendarPage):
    monday: date
    days: list[GridDay]
    ideas: list[Chip]

    @property
    def week_param(self) -> str:
        return format_week(self.monday)


@dataclass(frozen=True, kw_only=True)
class ListPage(CalendarPage):
    first: date  # the month its navigation starts from
    days: DateRange
    entries: list[CalendarEntry]
    total: int
    page: int
    pages: int
    sort: str
    direction: str  # asc or desc

    @property
    def month_param(self) -> str:
        return format_month(self.first)

    def sort_url(self, key: str) -> str:
        again = key == self.sort and self.direction == "asc"
        return self.scope.link(
            ".listing", **self.period_args, sort=key, dir="desc" if again else "asc"
        )

    def page_url(self, n: int) -> str:
        return self.scope.link(
            ".listing", **self.period_args, sort=self.sort, dir=self.direction, page=n
        )


@dataclass(frozen=True, kw_only=True)
class BoardPage(CalendarPage):
    first: date
    columns: dict[Status, list[Chip]]  # the first cards of each status
    column_totals: dict[Status, int]

    @property
    def month_param(self) -> str:
        return format_month(self.first)

    def rest_url(self, status: Status) -> str:
        """Every item of a column: the list of that status in this month."""
        # the column's status replaces a status filter of the address
        args = {**self.scope.keep, "month": self.month_param, "status": status.value}
        return url_for(".listing", **args)
