"""Rencana Pekan Ini: a unit's week with its slots, items and gaps; and the slots themselves."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..accounts.models import Unit
from ..accounts.permissions import can_view_unit, visible_units
from ..content.permissions import plans_in_unit
from ..content.reads import items_between
from ..errors import Stale
from ..extensions import db
from ..i18n import format_day
from ..i18n import phrase as _
from ..kept import kept_view
from ..parsing import digits
from ..timeutil import (
    format_month,
    format_week,
    monday_of,
    parse_month,
    parse_week,
    today,
    week_range,
)
from ..web import attempt, download, fail, id_or_404, render, save, version_of
from . import bulk, slots
from .forms import DAY_NAMES, OccurrenceForm, SheetForm, SlotEditForm, SlotForm
from .models import Slot

bp = Blueprint("week_plan", __name__, url_prefix="/plan")


def _unit(units: list[Unit] | None = None) -> Unit:
    """The `unit` parameter, or the person's first unit; 404 for a unit they may not see.
    `units`: the person's visible units, when the caller has them already."""
    units = visible_units(current_user) if units is None else units
    raw = request.values.get("unit", "").strip()
    if not raw:
        mine = [m.unit for m in current_user.memberships if m.unit.active]
        if not mine:
            if units:
                return units[0]
            abort(404)
        return sorted(mine, key=lambda u: u.name)[0]
    if not digits(raw) or len(raw) > 9:
        fail(400, _("The unit in the address is not valid."))
    unit = next((u for u in units if u.id == int(raw)), None)
    if unit is None or not can_view_unit(current_user, unit):
        abort(404)
    return unit


@bp.get("/week")
@login_required
def week() -> ResponseReturnValue:
    return kept_view("planning/week.html", "planning/_week.html", _week_grid)


def _week_grid() -> dict:
    units = visible_units(current_user)
    unit = _unit(units)
    current = today(unit.timezone)
    raw = request.args.get("week", "").strip()
    try:
        monday = parse_week(raw) if raw else monday_of(current)
    except ValueError:
        fail(400, _("The week in the address must look like 2026-W48."))
    return _week_context(unit, monday, units=units)


def _week_page(unit: Unit, monday, status: int = 200, error: str | None = None):
    """The week after a refused change to it: never kept, with the refusal shown."""
    context = _week_context(unit, monday, error=error)
    return render("planning/week.html", "planning/_week.html", status, **context)


def _week_context(unit: Unit, monday, error: str | None = None, units=None) -> dict:
    days = week_range(monday)
    found = slots.occurrences([unit.id], days)
    items = items_between([unit.id], days)
    items_by_day: dict = {}
    # an item moved off its slot's day shows on its own day; the slot says where it went
    slot_items = {o.fill.item_id for o in found if o.fill and o.fill.item_id and not o.moved_to}
    for item in sorted(items, key=lambda i: (i.planned_at is not None, i.planned_at, i.title)):
        if item.id not in slot_items:
            items_by_day.setdefault(item.local_day(), []).append(item)
    themes, pillars = slots.week_themes(unit, days)
    keep = {"unit": unit.id}
    return dict(
        unit=unit,
        units=visible_units(current_user) if units is None else units,
        monday=monday,
        days=days.days,
        week_param=format_week(monday),
        occurrences=slots.by_day(found),
        items_by_day=items_by_day,
        figures=slots.week_figures(unit, items, found, pillars),
        themes=themes,
        plans=plans_in_unit(current_user, unit.id),
        error=error,
        prev_url=url_for(".week", week=format_week(monday - timedelta(days=7)), **keep),
        next_url=url_for(".week", week=format_week(monday + timedelta(days=7)), **keep),
        today_url=url_for(".week", **keep),
    )


def _occurrence_action(action):
    form = OccurrenceForm()
    unit = _unit()
    if not plans_in_unit(current_user, unit.id):
        abort(404)
    if not form.validate():
        fail(400, _("The form was incomplete."))
    slot = db.session.get(Slot, id_or_404(form.slot.data))
    if slot is None or slot.unit_id != unit.id:
        abort(404)
    result, refused = attempt(action, slot, form.day.data)
    if refused is not None:
        return _week_page(unit, monday_of(form.day.data), 422, str(refused.message))
    return result or redirect(
        url_for(".week", unit=unit.id, week=format_week(form.day.data)), code=303
    )


@bp.post("/fill")
@login_required
def fill() -> ResponseReturnValue:
    """One click: a new item for the occurrence, prefilled from the slot; then open it."""
    return _occurrence_action(
        lambda slot, day: redirect(
            url_for("content.detail", item_id=slots.fill(slot, day, current_user).id), code=303
        )
    )


@bp.post("/skip")
@login_required
def skip() -> ResponseReturnValue:
    return _occurrence_action(lambda slot, day: slots.skip(slot, day, current_user))


@bp.post("/copy-last-week")
@login_required
def copy_last_week() -> ResponseReturnValue:
    unit = _unit()
    if not plans_in_unit(current_user, unit.id):
        abort(404)
    raw = request.form.get("week", "")
    try:
        monday = parse_week(raw)
    except ValueError:
        fail(400, _("The week in the address must look like 2026-W48."))
    slots.copy_last_week(unit, monday, current_user)
    db.session.commit()
    return redirect(url_for(".week", unit=unit.id, week=format_week(monday)), code=303)


# ---- the slots ---------------------------------------------------------------------------------


def _slot_of_my_unit(slot_id: int) -> Slot:
    """A slot of a unit the person plans in; 404 for anyone else's."""
    slot = db.session.get(Slot, id_or_404(slot_id))
    if slot is None or not plans_in_unit(current_user, slot.unit_id):
        abort(404)
    return slot


@bp.route("/slots", methods=["GET", "POST"])
@login_required
def slot_list() -> ResponseReturnValue:
    unit = _unit()
    plans = plans_in_unit(current_user, unit.id)
    form = SlotForm.for_unit(unit)
    if request.method == "POST":
        if not plans:
            abort(404)
        if form.check() and save(form, slots.save_slot, unit, current_user, form.fields()):
            return redirect(url_for(".slot_list", unit=unit.id), code=303)
    local_today = today(unit.timezone)
    if request.method == "GET" and not form.starts_on.data:
        form.starts_on.data = monday_of(local_today)
    return render(
        "planning/slots.html",
        "planning/_slots.html",
        form.http_status,
        unit=unit,
        slots=slots.of_unit(unit, local_today),
        form=form,
        plans=plans,
        day_names=DAY_NAMES,
        today=local_today,
    )


@bp.route("/slots/<int:slot_id>/edit", methods=["GET", "POST"])
@login_required
def edit_slot(slot_id: int) -> ResponseReturnValue:
    slot = _slot_of_my_unit(slot_id)
    if slot.ended(today(slot.unit.timezone)):
        flash(_("This slot has ended; make a new one instead."), "error")
        return redirect(url_for(".slot_list", unit=slot.unit_id), code=303)
    form = SlotEditForm.for_unit(slot.unit)
    if request.method == "GET":
        form.load(slot)
    elif changed := _save_edit(form, slot):
        _say_from_when(changed[1])
        return redirect(url_for(".slot_list", unit=slot.unit_id), code=303)
    elif isinstance(form.refusal, Stale):  # the saved slot shows above; saving again keeps theirs
        form.version.data = str(slot.version)  # the rollback reloads the slot as it is now
    return render(
        "planning/slot_form.html",
        "planning/_slot_form.html",
        form.http_status,
        form=form,
        slot=slot,
        unit=slot.unit,
        stale=isinstance(form.refusal, Stale),
        day_names=DAY_NAMES,
    )


def _save_edit(form: SlotEditForm, slot: Slot):
    version = version_of(form)
    if not form.check():
        return None
    return save(form, slots.edit_slot, slot, current_user, version, form.fields())


def _say_from_when(from_day) -> None:
    if from_day is not None:
        day = format_day(from_day)
        flash(
            _("The slot changes from %(day)s; earlier weeks keep it as it was.", day=day), "success"
        )


@bp.post("/slots/<int:slot_id>/retire")
@login_required
def retire(slot_id: int) -> ResponseReturnValue:
    slot = _slot_of_my_unit(slot_id)
    slots.retire_slot(slot, current_user)
    db.session.commit()
    return redirect(url_for(".slot_list", unit=slot.unit_id), code=303)


# ---- bulk planning from a spreadsheet ------------------------------------------------------------


def _month_param(unit: Unit):
    raw = request.values.get("month", "").strip()
    try:
        return parse_month(raw) if raw else today(unit.timezone).replace(day=1)
    except ValueError:
        fail(400, _("The month in the address must look like 2026-11."))


@bp.route("/import", methods=["GET", "POST"])
@login_required
def bulk_import() -> ResponseReturnValue:
    """Download a month's template, fill it in a spreadsheet, upload it back as ideas."""
    unit = _unit()
    if not plans_in_unit(current_user, unit.id):
        abort(404)
    month = _month_param(unit)
    form = SheetForm()
    if form.validate_on_submit() and (
        made := save(form, bulk.import_plan, unit, current_user, *form.upload())
    ):
        flash(_("%(count)d ideas added to the calendar.", count=made), "info")
        return redirect(url_for(".week", unit=unit.id, week=format_week(month)), code=303)
    return render(
        "planning/import.html",
        "planning/_import.html",
        form.http_status,
        unit=unit,
        month=month,
        month_param=format_month(month),
        form=form,
        message=str(form.refusal.message) if form.refusal else None,
        problems=getattr(form.refusal, "problems", []),
    )


@bp.get("/template.<kind>")
@login_required
def template(kind: str) -> ResponseReturnValue:
    unit = _unit()
    if not plans_in_unit(current_user, unit.id) or kind not in ("csv", "xlsx"):
        abort(404)
    month = _month_param(unit)
    if kind == "csv":
        body, mimetype = bulk.template_csv(month), "text/csv"
    else:
        body = bulk.template_xlsx(month)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"rencana-{unit.short_name.lower().replace(' ', '-')}-{format_month(month)}.{kind}"
    return download(body, mimetype, name)
