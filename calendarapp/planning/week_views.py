"""Rencana Pekan Ini: a unit's week with its slots, items and gaps; and the slots themselves."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager, joinedload

from ..accounts.models import Membership, Unit, User
from ..accounts.permissions import can_view_unit, plans_in_unit, visible_units
from ..content.calendar_days import in_range, items_query
from ..content.models import AssigneeRole, ContentFormat, Platform, Theme
from ..content.services import ContentError
from ..extensions import db
from ..i18n import format_day
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
from ..web import download, fail, form_error, id_or_404, render
from . import bulk, slots
from .forms import OccurrenceForm, SheetForm, SlotEditForm, SlotForm
from .models import WEEKDAYS, Frequency, Slot

bp = Blueprint("plan", __name__, url_prefix="/plan")
DAY_NAMES = {
    "MO": _l("Monday"),
    "TU": _l("Tuesday"),
    "WE": _l("Wednesday"),
    "TH": _l("Thursday"),
    "FR": _l("Friday"),
    "SA": _l("Saturday"),
    "SU": _l("Sunday"),
}


def _unit() -> Unit:
    """The `unit` parameter, or the person's first unit; 404 for a unit they may not see."""
    units = visible_units(current_user)
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
def week():
    unit = _unit()
    current = today(unit.timezone)
    raw = request.args.get("week", "").strip()
    try:
        monday = parse_week(raw) if raw else monday_of(current)
    except ValueError:
        fail(400, _("The week in the address must look like 2026-W48."))
    return _week_page(unit, monday)


def _week_page(unit: Unit, monday, status: int = 200, error: str | None = None):
    days = week_range(monday)
    found = slots.occurrences([unit.id], days)
    items = list(db.session.scalars(in_range(items_query([unit.id]), days)).unique())
    items_by_day: dict = {}
    # an item moved off its slot's day shows on its own day; the slot says where it went
    slot_items = {o.fill.item_id for o in found if o.fill and o.fill.item_id and not o.moved_to}
    for item in sorted(items, key=lambda i: (i.planned_at is not None, i.planned_at, i.title)):
        if item.id not in slot_items:
            items_by_day.setdefault(item.local_day(), []).append(item)
    low, high = days.start, days.end
    themes = db.session.scalars(
        sa.select(Theme)
        .where(Theme.unit_id.is_(None), Theme.archived.is_(False))
        .where(Theme.starts_on <= high, sa.or_(Theme.ends_on.is_(None), Theme.ends_on >= low))
        .order_by(Theme.starts_on)
    ).all()
    keep = {"unit": unit.id}
    return render(
        "planning/week.html",
        "planning/_week.html",
        status,
        unit=unit,
        units=visible_units(current_user),
        monday=monday,
        days=days.days,
        week_param=format_week(monday),
        occurrences=slots.by_day(found),
        items_by_day=items_by_day,
        figures=slots.week_figures(unit, items, found),
        themes=themes,
        plans=plans_in_unit(current_user, unit.id),
        error=error,
        form=OccurrenceForm(formdata=None),
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
    try:
        result = action(slot, form.day.data)
    except slots.SlotError as error:
        db.session.rollback()
        return _week_page(unit, monday_of(form.day.data), 422, str(error.message))
    db.session.commit()
    return result or redirect(
        url_for(".week", unit=unit.id, week=format_week(form.day.data)), code=303
    )


@bp.post("/fill")
@login_required
def fill():
    """One click: a new item for the occurrence, prefilled from the slot; then open it."""
    return _occurrence_action(
        lambda slot, day: redirect(
            url_for("content.detail", item_id=slots.fill(slot, day, current_user).id), code=303
        )
    )


@bp.post("/skip")
@login_required
def skip():
    return _occurrence_action(lambda slot, day: slots.skip(slot, day, current_user))


@bp.post("/copy-last-week")
@login_required
def copy_last_week():
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


def _prepare(form: SlotForm, unit: Unit) -> tuple[dict[int, Theme], dict[int, User]]:
    """The unit's pillars and active members, as the form's choices and by id."""
    pillars = db.session.scalars(
        sa.select(Theme)
        .where(Theme.unit_id == unit.id, Theme.archived.is_(False))
        .order_by(Theme.name)
    ).all()
    members = db.session.scalars(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.unit_id == unit.id, User.active.is_(True))
        .order_by(sa.func.lower(User.name))
    ).all()
    form.pillar.choices = [(None, "–")] + [(p.id, p.name) for p in pillars]
    form.assignee.choices = [(None, "–")] + [(u.id, u.name) for u in members]
    form.weekdays.choices = [(d, DAY_NAMES[d]) for d in WEEKDAYS]
    return {p.id: p for p in pillars}, {u.id: u for u in members}


def _valid(form: SlotForm, pillars: dict[int, Theme], members: dict[int, User]) -> bool:
    if form.pillar.data is not None and form.pillar.data not in pillars:
        abort(404)  # another unit's pillar
    valid = form.validate()
    if form.assignee.data is not None and form.assignee.data not in members:
        form.assignee.errors = [_("Only members of this unit can be assigned.")]
        return False
    return valid


def _fields(
    form: SlotForm, pillars: dict[int, Theme], members: dict[int, User]
) -> slots.SlotFields:
    return slots.SlotFields(
        title=form.title.data or "",
        format=ContentFormat(form.format.data),
        weekdays=form.weekdays.data or [],
        frequency=Frequency(form.frequency.data),
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        at=form.at.data,
        pillar=pillars.get(form.pillar.data),
        platforms=[Platform(p) for p in form.platforms.data or []],
        assignee=members.get(form.assignee.data),
        assignee_role=AssigneeRole(form.assignee_role.data) if form.assignee_role.data else None,
    )


def _slot_of_my_unit(slot_id: int) -> Slot:
    """A slot of a unit the person plans in; 404 for anyone else's."""
    slot = db.session.get(Slot, id_or_404(slot_id))
    if slot is None or not plans_in_unit(current_user, slot.unit_id):
        abort(404)
    return slot


@bp.route("/slots", methods=["GET", "POST"])
@login_required
def slot_list():
    unit = _unit()
    plans = plans_in_unit(current_user, unit.id)
    form = SlotForm() if request.method == "POST" else SlotForm(formdata=None)
    pillars, members = _prepare(form, unit)
    status = 200
    if request.method == "POST":
        if not plans:
            abort(404)
        status = 422
        if _valid(form, pillars, members):
            try:
                slots.save_slot(unit, current_user, _fields(form, pillars, members))
            except slots.SlotError as error:
                db.session.rollback()
                form_error(form, error)
            else:
                db.session.commit()
                return redirect(url_for(".slot_list", unit=unit.id), code=303)
    local_today = today(unit.timezone)
    if request.method == "GET" and not form.starts_on.data:
        form.starts_on.data = monday_of(local_today)
    unit_slots = db.session.scalars(
        sa.select(Slot)
        .join(Slot.unit)
        .where(Slot.unit_id == unit.id)
        .options(contains_eager(Slot.unit), joinedload(Slot.pillar), joinedload(Slot.assignee))
        .order_by(Slot.weekdays, Slot.at, Slot.id)
    ).all()
    unit_slots.sort(key=lambda s: s.ended(local_today))  # the recurring ones first
    return render(
        "planning/slots.html",
        "planning/_slots.html",
        status,
        unit=unit,
        slots=unit_slots,
        form=form,
        plans=plans,
        day_names=DAY_NAMES,
        today=local_today,
    )


@bp.route("/slots/<int:slot_id>/edit", methods=["GET", "POST"])
@login_required
def edit_slot(slot_id: int):
    slot = _slot_of_my_unit(slot_id)
    unit = slot.unit
    if slot.ended(today(unit.timezone)):
        flash(_("This slot has ended; make a new one instead."), "error")
        return redirect(url_for(".slot_list", unit=unit.id), code=303)
    form = SlotEditForm() if request.method == "POST" else SlotEditForm(formdata=None)
    pillars, members = _prepare(form, unit)
    status, stale = 200, False
    if request.method == "GET":
        form.title.data, form.format.data = slot.title, slot.format.value
        form.pillar.data = slot.pillar_id if slot.pillar_id in pillars else None
        form.weekdays.data, form.frequency.data = slot.days, slot.frequency.value
        form.at.data, form.starts_on.data, form.ends_on.data = slot.at, slot.starts_on, slot.ends_on
        form.platforms.data = [p for p in slot.platforms.split(",") if p]
        form.assignee.data = slot.assignee_id if slot.assignee_id in members else None
        form.assignee_role.data = slot.assignee_role.value if slot.assignee_role else ""
        form.version.data = str(slot.version)
    else:
        status = 422
        version = form.version.data or ""
        if not digits(version) or len(version) > 9:
            fail(400, _("The form was incomplete."))
        if _valid(form, pillars, members):
            try:
                _recurring, from_day = slots.edit_slot(
                    slot, current_user, int(version), _fields(form, pillars, members)
                )
            except slots.SlotError as error:
                db.session.rollback()
                form_error(form, error)
                if isinstance(error, slots.StaleSlot):
                    status = 409  # the saved slot shows above the form; saving again keeps theirs
                    slot = _slot_of_my_unit(slot_id)
                    form.version.data = str(slot.version)
                    stale = True
            else:
                db.session.commit()
                if from_day is not None:
                    flash(
                        _(
                            "The slot changes from %(day)s; earlier weeks keep it as it was.",
                            day=format_day(from_day),
                        ),
                        "success",
                    )
                return redirect(url_for(".slot_list", unit=unit.id), code=303)
    return render(
        "planning/slot_form.html",
        "planning/_slot_form.html",
        status,
        form=form,
        slot=slot,
        unit=unit,
        stale=stale,
        day_names=DAY_NAMES,
    )


@bp.post("/slots/<int:slot_id>/retire")
@login_required
def retire(slot_id: int):
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
def bulk_import():
    """Download a month's template, fill it in a spreadsheet, upload it back as ideas."""
    unit = _unit()
    if not plans_in_unit(current_user, unit.id):
        abort(404)
    month = _month_param(unit)
    form = SheetForm()
    status, message, problems = 200, None, []
    if request.method == "POST":
        status = 422
        if form.validate():
            upload = form.file.data
            try:
                made = bulk.import_plan(
                    unit, current_user, upload.read(bulk.MAX_BYTES + 1), upload.filename or ""
                )
            except (bulk.SheetRefused, ContentError) as error:
                db.session.rollback()
                message = str(error.message)
                problems = getattr(error, "problems", [])
            else:
                db.session.commit()
                flash(_("%(count)d ideas added to the calendar.", count=made), "info")
                return redirect(url_for(".week", unit=unit.id, week=format_week(month)), code=303)
    return render(
        "planning/import.html",
        "planning/_import.html",
        status,
        unit=unit,
        month=month,
        month_param=format_month(month),
        form=form,
        message=message,
        problems=problems,
    )


@bp.get("/template.<kind>")
@login_required
def template(kind: str):
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
