"""Amplifikasi: the requests (`/amplification`), asking (`/amplification/new`), one request's
tracking or a unit's answers (`/amplification/<id>`)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..accounts.permissions import role_in
from ..content.platforms import Platform
from ..i18n import format_day, format_local_time
from ..i18n import phrase as _
from ..timeutil import today
from ..web import id_or_404, public_url, render, save
from . import elections, services
from .forms import AnswerForm, CandidateForm, PeriodForm, RequestForm
from .models import AmplificationRequest, AmplificationTarget, PeriodKind
from .reach import reach_of

bp = Blueprint("amplification", __name__, url_prefix="/amplification")


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    requests = services.visible_requests(current_user)
    states = {t.id: services.state_of(t, r.platform_list) for r in requests for t in r.targets}
    return render(
        "amplification/index.html",
        "amplification/index.html",
        requests=requests,
        asks=services.may_ask(current_user),
        states=states,
        answered_ids={i for i, s in states.items() if s.state != services.OWING},
        mine={m.unit_id for m in current_user.memberships},
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    if not services.may_ask(current_user):
        abort(404)
    zone = current_app.config["REGION_TIMEZONE"]
    form = RequestForm.make(zone, request.method == "POST")
    if request.method == "POST" and form.validate():
        made = save(form, services.create_request, current_user, form.fields())
        if made:
            flash(_("The units were asked to amplify."), "success")
            return redirect(url_for(".detail", amplification_id=made.id), 303)
    periods = elections.periods_from(today(zone))  # the rule and its dates, where one asks
    page = "amplification/new.html"
    return render(page, page, form.http_status, form=form, periods=periods)


def _load(amplification_id: int) -> AmplificationRequest:
    """The request, for an asker or a member of a unit it asks; anyone else: 404."""
    found = services.load_request(id_or_404(amplification_id))
    if found is None:
        abort(404)
    if not services.may_ask(current_user) and not _my_targets(found):
        abort(404)
    return found


def _my_targets(found: AmplificationRequest) -> list[AmplificationTarget]:
    return [t for t in found.targets if role_in(current_user, t.unit_id) is not None]


@bp.get("/<int:amplification_id>")
@login_required
def detail(amplification_id: int) -> ResponseReturnValue:
    return _detail(_load(amplification_id))


def _detail(found: AmplificationRequest, status: int = 200, form: AnswerForm | None = None):
    zone = current_app.config["REGION_TIMEZONE"]
    local = found.deadline_at.astimezone(ZoneInfo(zone))
    deadline = f"{format_day(local.date(), 'medium')} {format_local_time(found.deadline_at, zone)}"
    asks = services.may_ask(current_user)
    text = services.owing_text(found, deadline, public_url(".detail", amplification_id=found.id))
    return render(
        "amplification/detail.html",
        "amplification/detail.html",
        status,
        req=found,
        deadline=deadline,
        tracking=services.tracking(found) if asks else None,
        reach=reach_of([found])[found.id],
        mine=[services.state_of(t, found.platform_list) for t in _my_targets(found)],
        answering=lambda t: services.answers_for(current_user, t.unit),
        form=form or AnswerForm(formdata=None),
        whatsapp=f"https://wa.me/?text={quote(text)}" if asks else None,
        owing_text=text if asks else None,
    )


@bp.post("/<int:amplification_id>/targets/<int:target_id>/answer")
@login_required
def answer(amplification_id: int, target_id: int) -> ResponseReturnValue:
    found = _load(amplification_id)
    target = next((t for t in found.targets if t.id == id_or_404(target_id)), None)
    if target is None or not services.answers_for(current_user, target.unit):
        abort(404)
    form = AnswerForm()
    if form.validate() and save(
        form, services.answer, current_user, target, Platform(form.platform.data),
        form.done.data == "yes", form.link.data or "", form.reason.data or "",
    ):  # fmt: skip
        flash(_("Your answer was saved."), "success")
        return redirect(url_for(".detail", amplification_id=found.id), 303)
    return _detail(services.load_request(found.id), form.http_status, form)


# ---- election periods and candidates (coordinators) ----------------------------------------------


@bp.get("/elections")
@login_required
def elections_page() -> ResponseReturnValue:
    return _elections()


def _elections(status: int = 200, period_form=None, candidate_form=None):
    if not current_user.is_coordinator:
        abort(404)
    zone = current_app.config["REGION_TIMEZONE"]
    return render(
        "amplification/elections.html",
        "amplification/elections.html",
        status,
        periods=elections.periods_from(today(zone) - timedelta(days=366)),
        candidates=elections.candidates(),
        period_form=period_form or PeriodForm(formdata=None),
        candidate_form=candidate_form or CandidateForm.make(False),
    )


@bp.post("/elections/periods")
@login_required
def add_period() -> ResponseReturnValue:
    form = PeriodForm()
    if form.validate() and save(
        form, elections.record_period, current_user, form.name.data, PeriodKind(form.kind.data),
        form.starts_on.data, form.ends_on.data,
    ):  # fmt: skip
        flash(_("The election period was recorded."), "success")
        return redirect(url_for(".elections_page"), 303)
    return _elections(form.http_status, period_form=form)


@bp.post("/elections/candidates")
@login_required
def add_candidate() -> ResponseReturnValue:
    form = CandidateForm.make(True)
    if form.validate():
        user, account = form.chosen()
        if save(form, elections.add_candidate, current_user, form.name.data, user, account,
                form.handles.data or ""):  # fmt: skip
            flash(_("The candidate was recorded."), "success")
            return redirect(url_for(".elections_page"), 303)
    return _elections(form.http_status, candidate_form=form)
