"""Keeping the leader's agenda (Prokopim): new events, corrections, cancellations and the
import of an aide's calendar. The board, an event's page and its coverage are in views.py."""

from __future__ import annotations

import json
import secrets

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    redirect,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.models import Unit, User
from ..accounts.permissions import (
    FULL,
    agenda_units,
    keeps_agenda,
)
from ..extensions import db
from ..feeds.importer import IcsRefused
from ..parsing import digits
from ..timeutil import parse_day
from ..web import fail, form_error, id_or_404, render
from . import services
from .forms import (
    AgendaImportForm,
    CancelEventForm,
    EventForm,
)
from .importer import import_agenda
from .models import Leader, Visibility
from .services import CoverageError, EventFields
from .views import event_page, load_event

bp = Blueprint("agenda", __name__)
MAX_UPLOAD = 1_000_000  # an aide's calendar export


def _prepare_event_form(form: EventForm, units: list[Unit]) -> dict[int, User]:
    form.unit.choices = [(u.id, u.short_name) for u in units]
    # picking another unit picks its time zone too, unless the person chose a zone themselves
    form.unit.render_kw = {
        "data-zones": json.dumps({str(u.id): u.timezone for u in units}),
        "data-zone-field": form.timezone.id,
    }
    people = db.session.scalars(
        sa.select(User).where(User.active.is_(True)).order_by(User.name)
    ).all()
    form.invitees.choices = [(u.id, u.name) for u in people]
    return {u.id: u for u in people}


def _event_fields(form: EventForm, people: dict[int, User]) -> EventFields:
    return EventFields(
        leader=Leader(form.leader.data),
        title=form.title.data or "",
        day=form.day.data,
        timezone=form.timezone.data,
        place=form.place.data or "",
        start=form.start.data,
        end=form.end.data,
        visibility=Visibility(form.visibility.data),
        notes=form.notes.data or "",
        invitees=[people[i] for i in form.invitees.data or [] if i in people],
    )


@bp.route("/agenda/new", methods=["GET", "POST"])
@login_required
def new_event():
    units = agenda_units(current_user)
    if not units:
        abort(404)
    form = EventForm()
    people = _prepare_event_form(form, units)
    status = 200
    if request.method == "GET":
        chosen = units[0]
        if "unit" in request.args:  # /agenda/new?unit=ID: another unit's id answers 404
            raw = request.args["unit"]
            wanted = id_or_404(int(raw)) if digits(raw) else abort(404)
            chosen = next((u for u in units if u.id == wanted), None) or abort(404)
        form.unit.data = chosen.id
        form.timezone.data = chosen.timezone
        form.creation_token.data = secrets.token_urlsafe(24)
        raw = request.args.get("date", "")
        try:
            form.day.data = parse_day(raw) if raw else None
        except ValueError:
            fail(400, _("The date in the address must look like 2026-11-23."))
    else:
        status = 422
        unit = next((u for u in units if u.id == form.unit.data), None)
        if form.unit.data is not None and unit is None:
            abort(404)  # another unit's id
        if form.validate():
            try:
                event = services.create_event(
                    unit or units[0],
                    current_user,
                    _event_fields(form, people),
                    creation_token=form.creation_token.data or None,
                )
            except CoverageError as error:
                db.session.rollback()
                form_error(form, error)
            else:
                db.session.commit()
                return redirect(url_for("coverage.event", event_id=event.id), code=303)
    return render("coverage/event_form.html", "coverage/_event_form.html", status, form=form)


@bp.route("/agenda/import", methods=["GET", "POST"])
@login_required
def import_events():
    """An aide's calendar export (.ics) becomes the leader's agenda; importing again updates."""
    units = agenda_units(current_user)
    if not units:
        abort(404)
    form = AgendaImportForm()
    form.unit.choices = [(u.id, u.short_name) for u in units]
    status, message = 200, None
    if request.method == "POST":
        status = 422
        unit = next((u for u in units if u.id == form.unit.data), None)
        if form.unit.data is not None and unit is None:
            abort(404)
        if form.validate():
            try:
                result = import_agenda(
                    unit or units[0],
                    current_user,
                    Leader(form.leader.data),
                    Visibility(form.visibility.data),
                    form.file.data.read(MAX_UPLOAD + 1),
                )
            except (IcsRefused, CoverageError) as error:
                db.session.rollback()
                form.file.errors = [str(error.message)]
            else:
                db.session.commit()
                status = 200
                message = _(
                    "Imported: %(created)d new events, %(updated)d updated.",
                    created=result.created,
                    updated=result.updated,
                )
    return render(
        "coverage/import.html", "coverage/_import.html", status, form=form, message=message
    )


@bp.route("/agenda/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int):
    event, access = load_event(event_id)
    if access != FULL or not keeps_agenda(current_user, event.unit) or event.cancelled:
        abort(404)
    form = EventForm() if request.method == "POST" else EventForm(formdata=None)
    people = _prepare_event_form(form, [event.unit])
    status = 200
    if request.method == "GET":
        form.unit.data = event.unit_id
        form.leader.data = event.leader.value
        form.title.data, form.place.data = event.title, event.place
        form.day.data, form.timezone.data = event.day, event.timezone
        start, end = event.local_start(), event.local_end()
        form.start.data = start.time() if start else None
        form.end.data = end.time() if end else None
        form.visibility.data = event.visibility.value
        form.invitees.data = [u.id for u in event.invitees]
        form.notes.data = event.notes
        form.version.data = str(event.version)
    else:
        status = 422
        version = form.version.data or ""
        if not digits(version):
            fail(400, _("The form was incomplete."))
        if form.validate():
            try:
                services.update_event(
                    event, current_user, int(version), _event_fields(form, people)
                )
            except CoverageError as error:
                db.session.rollback()
                form_error(form, error)
                if isinstance(error, services.StaleRequest):
                    status = 409
                    event, access = load_event(event_id)
            else:
                db.session.commit()
                return redirect(url_for("coverage.event", event_id=event.id), code=303)
    return render(
        "coverage/event_form.html", "coverage/_event_form.html", status, form=form, event=event
    )


@bp.post("/agenda/<int:event_id>/cancel")
@login_required
def cancel_event(event_id: int):
    event, access = load_event(event_id)
    if access != FULL or not keeps_agenda(current_user, event.unit):
        abort(404)
    form = CancelEventForm()
    if not form.validate():
        return event_page(event, access, 422, error=_("Please give a reason."))
    try:
        services.cancel_event(event, current_user, form.version.data, form.note.data)
    except CoverageError as error:
        db.session.rollback()
        event, access = load_event(event_id)
        return event_page(event, access, 409, error=str(error.message))
    db.session.commit()
    return redirect(url_for("coverage.event", event_id=event_id), code=303)
