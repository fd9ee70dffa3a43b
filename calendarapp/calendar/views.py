"""The read side: month, week, list and board over the same filters, and drag-to-reschedule."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, current_app, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..accounts.models import Membership, User
from ..accounts.permissions import UnitRef, can_view_unit, visible_unit_refs
from ..content import services as content
from ..content.models import FORMAT_LABELS, ContentItem, Theme
from ..content.permissions import creatable_units, plans_in_unit
from ..content.workflow import ORDER
from ..coverage.calendar_source import HIDDEN as AGENDA_HIDDEN
from ..coverage.models import Leader
from ..extensions import db
from ..i18n import language
from ..i18n import phrase as _
from ..kept import kept_view
from ..parsing import digits
from ..sources import Looking, registry
from ..timeutil import (
    DateRange,
    add_months,
    format_month,
    format_week,
    monday_of,
    month_grid,
    parse_day,
    parse_month,
    parse_week,
    today,
    week_range,
)
from ..web import attempt, fail, triggering
from .day_sql import SORTS as LIST_SORTS
from .pages import BoardPage, ListPage, MonthPage, Scope, WeekPage, grid_days
from .picks import (
    FilterError,
    Filters,
    backlog,
    board_columns,
    list_page,
    month_entries,
    week_entries,
)

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
PAGE_SIZE = 50

# A board column shows this many cards; the rest are a link to the list of that status.
BOARD_COLUMN_MAX = 40


def _selected_unit(units: list[UnitRef]) -> UnitRef | None:
    """The `unit` parameter: None for every visible unit; 400 if unreadable, 404 if not among
    the `units` the viewer may see."""
    raw = request.args.get("unit", "").strip()
    if not raw:
        return None
    if not digits(raw) or len(raw) > 12:
        fail(400, _("The unit in the address is not valid."))
    unit = next((u for u in units if u.id == int(raw)), None)
    if unit is None:
        fail(404, _("This unit does not exist, or you do not have access to it."))
    return unit


def _scope() -> Scope:
    """Whose calendar and which filters: visible units, the one picked, today in its zone."""
    units = visible_unit_refs(current_user)
    unit = _selected_unit(units)
    try:
        filters = Filters.parse(request.args)
    except FilterError:
        fail(400, _("A filter in the address is not valid."))
    # A member of one unit sees that unit, with or without the parameter.
    shown = unit or (units[0] if len(units) == 1 else None)
    zone_name = shown.timezone if shown else current_app.config["REGION_TIMEZONE"]
    unit_ids = [unit.id] if unit else [u.id for u in units]
    agenda = _agenda_filter()
    keep = {"unit": str(unit.id)} if unit else {}
    keep.update(filters.args())
    if agenda:
        keep["agenda"] = agenda
    memberships = current_user.memberships
    return Scope(
        units=units,
        unit=unit,
        shown_unit=shown,
        today=today(zone_name),
        filters=filters,
        agenda_filter=agenda,
        keep=keep,
        can_create=bool(creatable_units(current_user)),
        planning=frozenset(
            m.unit_id for m in memberships if plans_in_unit(current_user, m.unit_id)
        ),
        theme_choices=_theme_choices(unit_ids, filters.theme),
        assignee_choices=_assignee_choices(unit_ids),
        language=language(),
        status_labels={status: status.label for status in ORDER},
        format_labels={kind: str(label) for kind, label in FORMAT_LABELS.items()},
    )


def _agenda_filter() -> str:
    """The `agenda` parameter: empty for every leader's agenda, "none" to hide it, or one leader."""
    raw = request.args.get("agenda", "").strip()
    if raw and raw != AGENDA_HIDDEN and raw not in {leader.value for leader in Leader}:
        fail(400, _("A filter in the address is not valid."))
    return raw


def _chips(scope: Scope, days: DateRange) -> dict:
    """What every other calendar source puts on these days (agenda, trainings, empty slots,
    amplification deadlines)."""
    looking = Looking(current_user, days, scope.unit_ids, scope.filters, scope.agenda_filter)
    return registry.on_days(looking)


# The theme filter lists the units' pillars beside the region's themes while the calendar shows
# this many units at most: a region's calendar would list hundreds (292 for a kabupaten), and a
# pillar belongs to one unit, one pick of the unit away.
PILLARS_FOR_UNITS = 5


def _theme_choices(unit_ids: list[int], theme_id: int | None) -> list[tuple[int, str]]:
    pillars = unit_ids if len(unit_ids) <= PILLARS_FOR_UNITS else []
    binds = {"pillars": pillars, "theme": theme_id, "units": unit_ids}
    return [tuple(row) for row in db.session.execute(_theme_choices_query(), binds)]


@functools.cache
def _theme_choices_query() -> sa.Select:
    """The region's themes and the `pillars`' own, and the one filtered on (`theme`) among the
    `units`: built once (0.4 ms saved on each calendar look, measured)."""
    return (
        sa.select(Theme.id, Theme.name)
        .where(
            sa.or_(
                Theme.unit_id.is_(None),
                Theme.unit_id.in_(sa.bindparam("pillars", expanding=True)),
                # the one filtered on stays selected
                sa.and_(
                    Theme.id == sa.bindparam("theme"),
                    Theme.unit_id.in_(sa.bindparam("units", expanding=True)),
                ),
            )
        )
        .where(Theme.archived.is_(False))
        .order_by(Theme.unit_id.is_(None).desc(), Theme.name)
    )


def _assignee_choices(unit_ids: list[int]) -> list[tuple[int, str]]:
    rows = db.session.execute(_assignee_choices_query(), {"units": unit_ids})
    return [tuple(row) for row in rows]


@functools.cache
def _assignee_choices_query() -> sa.Select:
    """The active people of the `units`: built once (0.3 ms saved on each calendar look,
    measured)."""
    return (
        sa.select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.unit_id.in_(sa.bindparam("units", expanding=True)))
        .where(User.active.is_(True))
        .distinct()
        .order_by(User.name)
    )


def _period(name: str, parse: Callable[[str], date], default: date, message: str) -> date:
    """The month or week in the address; 400 with the expected form when it cannot be read."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse(raw)
    except ValueError:
        fail(400, message)


def _month(scope: Scope) -> date:
    return _period(
        "month",
        parse_month,
        scope.today.replace(day=1),
        _("The month in the address must look like 2026-11."),
    )


def _month_nav(scope: Scope, view: str, first: date, period: dict[str, str] | None = None) -> dict:
    """The toolbar of a month's view: the months before and after, this month, the views."""
    endpoint = f".{'listing' if view == 'list' else view}"
    return {
        "scope": scope,
        "view": view,
        "prev_url": scope.link(endpoint, month=format_month(add_months(first, -1))),
        "next_url": scope.link(endpoint, month=format_month(add_months(first, 1))),
        "today_url": scope.link(endpoint),
        "view_urls": _view_urls(scope, first, _week_to_open(first, scope.today)),
        "period_args": period or {"month": format_month(first)},
    }


@bp.get("/month")
@login_required
def month() -> ResponseReturnValue:
    return kept_view("calendar/month.html", "calendar/_month.html", _month_grid, "first")


def _month_grid() -> dict:
    scope = _scope()
    first = _month(scope)
    grid = month_grid(first)
    per_day = current_app.config["MONTH_CHIPS_PER_DAY"]
    entries, counts = month_entries(scope.unit_ids, grid, scope.filters, per_day)
    days = grid_days(scope, grid.days, entries, _chips(scope, grid), counts, first)
    page = MonthPage(
        **_month_nav(scope, "month", first),
        first=first,
        weeks=[days[i : i + 7] for i in range(0, len(days), 7)],
        ideas=[scope.chip(idea) for idea in backlog(scope.unit_ids, scope.filters)],
    )
    return {"cal": page, "scope": scope, "first": first}


def _week_to_open(first: date, current: date) -> date:
    """From a month to its weeks: this week when the month is the current one, else its first."""
    return current if (current.year, current.month) == (first.year, first.month) else first


def _view_urls(scope: Scope, first: date, day: date) -> dict[str, str]:
    """The four views of the same period and filters."""
    month_param = format_month(first)
    return {
        "month": scope.link(".month", month=month_param),
        "week": scope.link(".week", week=format_week(day)),
        "list": scope.link(".listing", month=month_param),
        "board": scope.link(".board", month=month_param),
    }


@bp.get("/week")
@login_required
def week() -> ResponseReturnValue:
    return kept_view("calendar/week.html", "calendar/_week.html", _week_grid, "week_param")


def _week_grid() -> dict:
    scope = _scope()
    monday = _period(
        "week",
        parse_week,
        monday_of(scope.today),
        _("The week in the address must look like 2026-W48."),
    )
    days = week_range(monday)
    first = (monday + timedelta(days=3)).replace(day=1)  # an ISO week is its Thursday's month's
    page = WeekPage(
        scope=scope,
        view="week",
        prev_url=scope.link(".week", week=format_week(monday - timedelta(days=7))),
        next_url=scope.link(".week", week=format_week(monday + timedelta(days=7))),
        today_url=scope.link(".week"),
        view_urls=_view_urls(scope, first, monday),
        period_args={"week": format_week(monday)},
        monday=monday,
        days=grid_days(
            scope, days.days, week_entries(scope.unit_ids, days, scope.filters), _chips(scope, days)
        ),
        ideas=[scope.chip(idea) for idea in backlog(scope.unit_ids, scope.filters)],
    )
    return {"cal": page, "scope": scope, "week_param": page.week_param}


@bp.get("/list")
@login_required
def listing() -> ResponseReturnValue:
    return kept_view("calendar/list.html", "calendar/_list.html", _list_grid, "first")


# A range in the list's address (`from`, `to`) spans at most this many days.
LIST_RANGE_MAX = 366


def _list_days(scope: Scope) -> tuple[DateRange, date, dict[str, str]]:
    """The list's days, the month its navigation starts from, and the address's period: `from`
    and `to` (Pantauan's links give its own period), else the month."""
    raw_from, raw_to = request.args.get("from", "").strip(), request.args.get("to", "").strip()
    if not (raw_from or raw_to):
        first = _month(scope)
        days = DateRange(first, add_months(first, 1) - timedelta(days=1))
        return days, first, {"month": format_month(first)}
    try:
        start, end = parse_day(raw_from), parse_day(raw_to)
    except ValueError:
        fail(400, _("The dates in the address must look like 2026-11-23."))
    if not 0 <= (end - start).days < LIST_RANGE_MAX:
        fail(400, _("The period must end on or after its start, within a year."))
    return DateRange(start, end), start.replace(day=1), {"from": raw_from, "to": raw_to}


def _list_grid() -> dict:
    scope = _scope()
    days, first, period = _list_days(scope)
    sort, direction, number = _list_order()
    places = range((number - 1) * PAGE_SIZE + 1, number * PAGE_SIZE + 1)
    entries, total = list_page(
        scope.unit_ids, days, scope.filters, sort, direction == "desc", places
    )
    if number > 1 and not entries:
        fail(404, _("This page of the list does not exist."))
    page = ListPage(
        **_month_nav(scope, "list", first, period),
        first=first,
        days=days,
        entries=entries,
        total=total,
        page=number,
        pages=max(1, -(-total // PAGE_SIZE)),
        sort=sort,
        direction=direction,
    )
    return {"cal": page, "scope": scope, "first": first}


def _list_order() -> tuple[str, str, int]:
    """The list's `sort`, `dir` and `page` parameters."""
    sort = request.args.get("sort", "date")
    direction = request.args.get("dir", "asc")
    if sort not in LIST_SORTS or direction not in ("asc", "desc"):
        fail(400, _("This list cannot be sorted that way."))
    page = request.args.get("page", "1")
    if not digits(page) or not 1 <= int(page) <= 10_000:
        fail(400, _("The page number in the address is not valid."))
    return sort, direction, int(page)


@bp.get("/board")
@login_required
def board() -> ResponseReturnValue:
    return kept_view("calendar/board.html", "calendar/_board.html", _board_grid, "first")


def _board_grid() -> dict:
    scope = _scope()
    first = _month(scope)
    days = DateRange(first, add_months(first, 1) - timedelta(days=1))
    columns, totals = board_columns(scope.unit_ids, days, scope.filters, BOARD_COLUMN_MAX)
    page = BoardPage(
        **_month_nav(scope, "board", first),
        first=first,
        columns={status: scope.chips(cards, with_day=True) for status, cards in columns.items()},
        column_totals=totals,
    )
    return {"cal": page, "scope": scope, "first": first}


@bp.post("/move")
@login_required
def move() -> ResponseReturnValue:
    """Drag and drop: put an item on another day; the calendar then refreshes itself."""
    item_id = request.form.get("item", "")
    raw_date = request.form.get("date", "")
    raw_version = request.form.get("version", "")
    if not (digits(item_id) and digits(raw_version)) or int(item_id) > 2**31 - 1:
        return _moved(_("This item cannot be moved."), 422)
    item = db.session.get(ContentItem, int(item_id))
    if item is None or not can_view_unit(current_user, item.unit):
        return _moved(_("This item cannot be moved."), 404)
    try:
        day = parse_day(raw_date)
    except ValueError:
        return _moved(_("Choose a valid date."), 422)
    _done, refused = attempt(content.move_item, item, current_user, int(raw_version), day)
    if refused is not None:
        return _moved(str(refused.message), refused.status)
    return _moved(_("Moved to %(day)s.", day=day.isoformat()), 200)


def _moved(message: str, status: int):
    response = make_response(render_template("calendar/_moved.html", message=message), status)
    return triggering(response, "itemsChanged")  # the calendar shows the true state again
