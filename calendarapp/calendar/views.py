from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import Blueprint, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Unit
from ..accounts.permissions import can_view_unit, creatable_units, visible_units
from ..timeutil import (
    add_months,
    format_month,
    format_week,
    monday_of,
    month_grid,
    parse_month,
    parse_week,
    today,
    week_range,
)
from ..web import fail, render
from .services import entries_by_day

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _selected_unit(units: list[Unit]) -> Unit | None:
    """The `unit` parameter: None for every visible unit; 400 if unreadable, 404 if not visible."""
    raw = request.args.get("unit", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        fail(400, _("The unit in the address is not valid."))
    unit = next((u for u in units if u.id == int(raw)), None)
    if unit is None or not can_view_unit(current_user, unit):
        fail(404, _("This unit does not exist, or you do not have access to it."))
    return unit


def _scope() -> dict:
    """Whose calendar: the visible units, the one picked (if any), and today in its zone."""
    units = visible_units(current_user)
    unit = _selected_unit(units)
    # A member of one unit sees that unit, with or without the parameter.
    shown = unit or (units[0] if len(units) == 1 else None)
    zone_name = shown.timezone if shown else current_app.config["REGION_TIMEZONE"]
    return {
        "units": units,
        "unit": unit,
        "unit_id": unit.id if unit else None,
        "shown_unit": shown,
        "unit_ids": [unit.id] if unit else [u.id for u in units],
        "today": today(zone_name),
        "can_create": bool(creatable_units(current_user)),
    }


def _period(name: str, parse: Callable[[str], date], default: date, message: str) -> date:
    """The month or week in the address; 400 with the expected form when it cannot be read."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse(raw)
    except ValueError:
        fail(400, message)


@bp.get("/month")
@login_required
def month():
    ctx = _scope()
    first = _period(
        "month",
        parse_month,
        ctx["today"].replace(day=1),
        _("The month in the address must look like 2026-11."),
    )
    grid = month_grid(first)
    unit_id = ctx["unit_id"]
    return render(
        "calendar/month.html",
        "calendar/_month.html",
        **ctx,
        first=first,
        weeks=[grid.days[i : i + 7] for i in range(0, len(grid.days), 7)],
        entries=entries_by_day(ctx["unit_ids"], grid),
        chips_per_day=current_app.config["MONTH_CHIPS_PER_DAY"],
        month_param=format_month(first),
        prev_url=url_for(".month", month=format_month(add_months(first, -1)), unit=unit_id),
        next_url=url_for(".month", month=format_month(add_months(first, 1)), unit=unit_id),
        today_url=url_for(".month", unit=unit_id),
        week_url=lambda day: url_for(".week", week=format_week(day), unit=unit_id),
        switch_url=url_for(
            ".week", week=format_week(_week_to_open(first, ctx["today"])), unit=unit_id
        ),
    )


def _week_to_open(first: date, current: date) -> date:
    """From a month to its weeks: this week when the month is the current one, else its first."""
    return current if (current.year, current.month) == (first.year, first.month) else first


@bp.get("/week")
@login_required
def week():
    ctx = _scope()
    monday = _period(
        "week",
        parse_week,
        monday_of(ctx["today"]),
        _("The week in the address must look like 2026-W48."),
    )
    days = week_range(monday)
    unit_id = ctx["unit_id"]
    return render(
        "calendar/week.html",
        "calendar/_week.html",
        **ctx,
        monday=monday,
        days=days.days,
        entries=entries_by_day(ctx["unit_ids"], days),
        week_param=format_week(monday),
        prev_url=url_for(".week", week=format_week(monday - timedelta(days=7)), unit=unit_id),
        next_url=url_for(".week", week=format_week(monday + timedelta(days=7)), unit=unit_id),
        today_url=url_for(".week", unit=unit_id),
        # An ISO week belongs to the month of its Thursday.
        switch_url=url_for(".month", month=format_month(monday + timedelta(days=3)), unit=unit_id),
    )
