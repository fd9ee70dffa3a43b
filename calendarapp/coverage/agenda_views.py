"""Keeping the leader's agenda (Prokopim): new events, corrections, cancellations and the
import of an aide's calendar. The board, an event's page and its coverage are in views.py."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..accounts.models import Unit
from ..accounts.permissions import agenda_units, keeps_agenda
from ..i18n import phrase as _
from ..parsing import digits
from ..timeutil import parse_day
from ..web import attempt, fail, id_or_404, render, save, version_of
from . import services
from .forms import (
    AgendaImportForm,
    CancelEventForm,
    EventForm,
)
from .importer import import_agenda
from .permissions import FULL
from .views import event_page, load_event

bp = Blueprint("agenda", __name__)


@bp.route("/agenda/new", methods=["GET", "POST"])
@login_required
def new_event() -> ResponseReturnValue:
    units = agenda_units(current_user)
    if not units:
        abort(404)
    form = EventForm.for_units(units)
    if request.method == "GET":
        form.start_new(_unit_asked(units), _day_asked())
    else:
        unit, token = form.keeper(), form.creation_token.data or None
        if form.validate() and (
            event := save(form, services.create_event, unit, current_user, form.fields(), token)
        ):
            return redirect(url_for("coverage.event", event_id=event.id), code=303)
    page = "coverage/event_form.html", "coverage/_event_form.html"
    return render(*page, form.http_status, form=form)


def _unit_asked(units: list[Unit]) -> Unit:
    """/agenda/new?unit=ID picks the keeper: another unit's id answers 404."""
    if "unit" not in request.args:
        return units[0]
    raw = request.args["unit"]
    wanted = id_or_404(int(raw)) if digits(raw) else abort(404)
    return next((u for u in units if u.id == wanted), None) or abort(404)


def _day_asked():
    raw = request.args.get("date", "")
    try:
        return parse_day(raw) if raw else None
    except ValueError:
        fail(400, _("The date in the address must look like 2026-11-23."))


@bp.route("/agenda/import", methods=["GET", "POST"])
@login_required
def import_events() -> ResponseReturnValue:
    """An aide's calendar export (.ics) becomes the leader's agenda; importing again updates."""
    units = agenda_units(current_user)
    if not units:
        abort(404)
    form = AgendaImportForm.for_units(units)
    message = None
    if form.is_submitted() and (unit := form.keeper()) and form.validate():
        result = save(form, import_agenda, unit, current_user, *form.choices(), form.upload())
        if result:
            message = _(
                "Imported: %(created)d new events, %(updated)d updated.",
                created=result.created,
                updated=result.updated,
            )
    status = 200 if message else form.http_status
    return render(
        "coverage/import.html", "coverage/_import.html", status, form=form, message=message
    )


@bp.route("/agenda/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int) -> ResponseReturnValue:
    event, access = load_event(event_id)
    if access != FULL or not keeps_agenda(current_user, event.unit) or event.cancelled:
        abort(404)
    form = EventForm.for_units([event.unit])
    if request.method == "GET":
        form.load(event)
    else:
        version = version_of(form)
        if form.validate() and save(
            form, services.update_event, event, current_user, version, form.fields()
        ):
            return redirect(url_for("coverage.event", event_id=event.id), code=303)
    page = "coverage/event_form.html", "coverage/_event_form.html"
    return render(*page, form.http_status, form=form, event=event)


@bp.post("/agenda/<int:event_id>/cancel")
@login_required
def cancel_event(event_id: int) -> ResponseReturnValue:
    event, access = load_event(event_id)
    if access != FULL or not keeps_agenda(current_user, event.unit):
        abort(404)
    form = CancelEventForm()
    if not form.validate():
        return event_page(event, access, 422, error=_("Please give a reason."))
    _done, refused = attempt(
        services.cancel_event, event, current_user, form.version.data, form.note.data
    )
    if refused is not None:  # someone changed or cancelled it first
        event, access = load_event(event_id)
        return event_page(event, access, 409, error=str(refused.message))
    return redirect(url_for("coverage.event", event_id=event_id), code=303)
