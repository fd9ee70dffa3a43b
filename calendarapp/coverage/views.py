"""Papan Liputan and the leader's agenda: events, coverage requests and their steps."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from .. import clock
from ..accounts.models import User
from ..accounts.permissions import agenda_units, in_unit_or_coordinator, keeps_agenda
from ..extensions import db, htmx
from ..i18n import phrase as _
from ..parsing import digits
from ..timeutil import DateRange, monday_of, parse_day, today, week_range
from ..web import attempt, fail, hx_redirect, id_or_404, render, save, triggering
from . import reads, services
from .forms import (
    AssignForm,
    CancelEventForm,
    RequestForm,
    StepForm,
    Targets,
    ToItemForm,
)
from .models import AgendaEvent, CoverageChange, CoverageRequest, Leader
from .permissions import BUSY, FULL, agenda_access, coverage_actors
from .roster import roster_text
from .workflow import REQUESTER, UNIT_ADMIN, CoverageStatus, edges_for

bp = Blueprint("coverage", __name__)
CHANGED = "coverageChanged"
BOARD_DAYS = 7
MAX_DAYS = 31


@bp.context_processor
def item_access() -> dict:
    """A card names the post a delivery became only to those who may open that post: the
    coordinators and that unit's members (no query per card: memberships are loaded once)."""
    return {"can_open_item": lambda item: in_unit_or_coordinator(current_user, item.unit_id)}


def _region_today() -> date:
    return today(current_app.config["REGION_TIMEZONE"])


def load_event(event_id: int) -> tuple[AgendaEvent, str]:
    """The event and how much of it this person sees; 404 when they may not see it at all."""
    id_or_404(event_id)
    event = db.session.scalar(
        reads.events_query(with_people=True)
        .where(AgendaEvent.id == event_id)
        .options(
            selectinload(AgendaEvent.requests)
            .selectinload(CoverageRequest.history)
            .joinedload(CoverageChange.user)
        )
    )
    access = agenda_access(current_user, event) if event is not None else None
    if access is None:
        abort(404)
    return event, access


def load_request(request_id: int) -> CoverageRequest:
    coverage = db.session.get(CoverageRequest, id_or_404(request_id))
    if coverage is None:
        abort(404)
    _event, access = load_event(coverage.event_id)
    if access != FULL:
        abort(404)
    return coverage


# ---- choices ---------------------------------------------------------------------------------


def _people_for(coverage: CoverageRequest, user: User) -> list[tuple[int, str]]:
    """Whom this person may pick for the request: members of the unit asked."""
    if not coverage_actors(user, coverage) & {REQUESTER, UNIT_ADMIN}:
        return []
    return [
        (m.user.id, m.user.name)
        for m in sorted(coverage.unit.memberships, key=lambda m: m.user.name.lower())
        if m.user.active
    ]


def _card_context(event: AgendaEvent, access: str, targets: Targets | None, **extra) -> dict:
    manages = access == FULL and keeps_agenda(current_user, event.unit) and not event.cancelled
    return {
        "entry": reads.AgendaEntry(event, access, event.covered),
        "manages": manages,
        "request_form": extra.pop("request_form", None)
        or (RequestForm.for_event(event, targets) if manages and targets else None),
        "people_for": lambda r: _people_for(r, current_user),
        "steps_for": lambda r: edges_for(r.status, coverage_actors(current_user, r)),
        "item_units": lambda r: services.item_units(r, current_user),
        "token": secrets.token_urlsafe(12),
        "now": clock.now(),
        "note_max": services.NOTE_MAX,  # a step's note, as the service checks it
        **extra,
    }


# ---- Papan Liputan ---------------------------------------------------------------------------


def _board_range() -> tuple[date, int]:
    raw_start = request.args.get("start", "").strip()
    raw_days = request.args.get("days", "").strip()
    try:
        start = parse_day(raw_start) if raw_start else _region_today()
    except ValueError:
        fail(400, _("The date in the address must look like 2026-11-23."))
    if raw_days and (not digits(raw_days) or not 1 <= int(raw_days) <= MAX_DAYS):
        fail(400, _("The number of days must be between 1 and %(limit)d.", limit=MAX_DAYS))
    return start, int(raw_days) if raw_days else BOARD_DAYS


def _leader_filter() -> Leader | None:
    raw = request.args.get("leader", "").strip()
    if not raw:
        return None
    try:
        return Leader(raw)
    except ValueError:
        fail(400, _("A filter in the address is not valid."))


@bp.get("/coverage")
@login_required
def board() -> ResponseReturnValue:
    start, count = _board_range()
    leader = _leader_filter()
    days = DateRange(start, start + timedelta(days=count - 1))
    managing = agenda_units(current_user)
    entries = reads.agenda_in(current_user, days, leader, with_people=True)
    by_day: dict[date, list] = {}
    for entry in entries:
        by_day.setdefault(entry.event.day, []).append(entry)
    return render(
        "coverage/board.html",
        "coverage/_board.html",
        **_board_nav(start, count, leader),
        days=days.days,
        by_day=by_day,
        # the "who covers" choices can run to hundreds of people: a card loads them when opened
        cards={e.event.id: _card_context(e.event, e.access, None) for e in entries},
        uncovered=sum(1 for e in entries if e.full and not e.covered),
        pool=reads.contributor_pool(week_range(monday_of(start))) if managing else [],
        managing=managing,
    )


def _board_nav(start: date, count: int, leader: Leader | None) -> dict:
    keep = {"leader": leader.value} if leader else {}
    return {
        "leader": leader,
        "leaders": list(Leader),
        "start": start,
        "count": count,
        "prev_url": url_for(".board", start=(start - timedelta(days=count)).isoformat(), **keep),
        "next_url": url_for(".board", start=(start + timedelta(days=count)).isoformat(), **keep),
        "today_url": url_for(".board", **keep),
    }


@bp.get("/coverage/roster")
@login_required
def roster() -> ResponseReturnValue:
    raw = request.args.get("day", "").strip()
    try:
        day = parse_day(raw) if raw else _region_today()
    except ValueError:
        fail(400, _("The date in the address must look like 2026-11-23."))
    entries = reads.agenda_in(current_user, DateRange(day, day))
    text, left_out = roster_text(day, entries)
    return render(
        "coverage/roster.html",
        "coverage/_roster.html",
        day=day,
        text=text,
        left_out=left_out,
        wa_url="https://wa.me/?text=" + quote(text),
        prev_url=url_for(".roster", day=(day - timedelta(days=1)).isoformat()),
        next_url=url_for(".roster", day=(day + timedelta(days=1)).isoformat()),
    )


# ---- one agenda event's page ----------------------------------------------------------------


@bp.get("/agenda/<int:event_id>")
@login_required
def event(event_id: int) -> ResponseReturnValue:
    event, access = load_event(event_id)
    return event_page(event, access)


def event_page(event: AgendaEvent, access: str, status: int = 200, **extra):
    if access == BUSY:
        return render("coverage/closed.html", "coverage/_closed.html", status, event=event)
    manages = keeps_agenda(current_user, event.unit) and not event.cancelled
    targets = Targets(week_range(monday_of(event.day))) if manages else None
    cancel_form = CancelEventForm(formdata=None)
    cancel_form.version.data = event.version
    return render(
        "coverage/event.html",
        "coverage/_event.html",
        status,
        event=event,
        cancel_form=cancel_form,
        card=_card_context(event, access, targets, **extra),
    )


# ---- coverage requests -----------------------------------------------------------------------


def _answer(event_id: int, status: int = 200, **extra):
    """After a change: the event's card for the board, its page otherwise (303 when it worked)."""
    db.session.expire_all()
    event, access = load_event(event_id)
    if htmx and (htmx.target or "").startswith("event-"):
        response = make_response(render_card(event, access, None, **extra), status)
        return triggering(response, CHANGED) if status == 200 else response
    if status == 200:
        return redirect(url_for(".event", event_id=event_id), code=303)
    return event_page(event, access, status, **extra)


def render_card(event: AgendaEvent, access: str, targets: Targets | None, **extra) -> str:
    card = _card_context(event, access, targets, **extra)
    return render_template("coverage/_card.html", card=card)


@bp.get("/agenda/<int:event_id>/request-form")
@login_required
def request_form(event_id: int) -> ResponseReturnValue:
    """The "request coverage" form of one card, loaded when the board's card opens it."""
    event, access = load_event(event_id)
    if access != FULL or not keeps_agenda(current_user, event.unit) or event.cancelled:
        abort(404)
    if not htmx:
        return redirect(url_for(".event", event_id=event_id) + "#request", code=303)
    form = RequestForm.for_event(event, Targets(week_range(monday_of(event.day))))
    return render_template("coverage/_request_form.html", event=event, f=form)


@bp.post("/agenda/<int:event_id>/requests")
@login_required
def add_request(event_id: int) -> ResponseReturnValue:
    event, access = load_event(event_id)
    if access != FULL or not keeps_agenda(current_user, event.unit):
        abort(404)
    form = RequestForm.for_event(event, Targets(week_range(monday_of(event.day))), sent=True)
    if form.check() and save(
        form,
        services.request_coverage,
        event,
        current_user,
        form.fields(event),
        creation_token=form.creation_token.data or None,
    ):
        return _answer(event_id)
    return _answer(event_id, 422, request_form=form)


@bp.post("/coverage/requests/<int:request_id>/assign")
@login_required
def assign(request_id: int) -> ResponseReturnValue:
    coverage = load_request(request_id)
    event_id = coverage.event_id
    form = AssignForm(prefix=f"r{coverage.id}")
    person = db.session.get(User, form.person.data) if form.person.data else None
    if not form.validate() or person is None:
        return _answer(event_id, 422, error=_("Choose who covers this."), error_for=request_id)
    # any refusal here is about who may pick whom, decided since the page was loaded: 409
    return _on_request(coverage, 409, services.assign, current_user, person, form.version.data)


@bp.post("/coverage/requests/<int:request_id>/step")
@login_required
def step(request_id: int) -> ResponseReturnValue:
    coverage = load_request(request_id)
    event_id = coverage.event_id
    form = StepForm()
    try:
        target = CoverageStatus(form.target.data or "")
    except ValueError:
        target = None
    if not form.validate() or target is None:
        return _answer(event_id, 422, error=_("The form was incomplete."), error_for=request_id)
    return _on_request(
        coverage,
        None,
        services.transition,
        target,
        current_user,
        version=form.version.data,
        note=form.note.data or "",
        links=form.links.data or "",
    )


def _on_request(coverage: CoverageRequest, status: int | None, change, *args, **kwargs):
    """A change to one request, then its event's card; a refusal changes nothing and says why
    beside the request (with `status`, else the refusal's own)."""
    event_id, request_id = coverage.event_id, coverage.id
    _done, refused = attempt(change, coverage, *args, **kwargs)
    if refused is None:
        return _answer(event_id)
    code = status or refused.status
    return _answer(event_id, code, error=str(refused.message), error_for=request_id)


@bp.post("/coverage/requests/<int:request_id>/item")
@login_required
def to_item(request_id: int) -> ResponseReturnValue:
    coverage = load_request(request_id)
    form = ToItemForm()
    units = {u.id: u for u in services.item_units(coverage, current_user)}
    unit = units.get(form.unit.data) if form.validate() else None
    if unit is None:
        if coverage.content_item_id is not None:
            return redirect(url_for("content.detail", item_id=coverage.content_item_id), code=303)
        return _answer(
            coverage.event_id,
            422,
            error=_("Choose the calendar the item goes on."),
            error_for=request_id,
        )
    event_id, token = coverage.event_id, form.creation_token.data or None
    item, refused = attempt(
        services.create_item_from_delivery, coverage, current_user, unit, creation_token=token
    )
    if refused is not None:
        return _answer(event_id, 422, error=str(refused.message), error_for=request_id)
    return hx_redirect(url_for("content.detail", item_id=item.id))
