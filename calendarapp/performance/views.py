"""An account's followers: its year as a chart with the numbers, and recording a new figure."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import can_monitor_unit, keeps_accounts
from ..extensions import db
from ..socialaccounts.models import SocialAccount
from ..timeutil import today
from ..web import id_or_404, render, save
from . import services
from .chart import month_bars
from .forms import FollowersForm
from .models import FollowerCount

bp = Blueprint("performance", __name__)


def _account(unit_id: int, account_id: int) -> SocialAccount:
    """The account, for those who may see its unit's figures; anyone else: 404."""
    id_or_404(unit_id)
    id_or_404(account_id)
    account = db.session.get(SocialAccount, account_id)
    if account is None or account.unit_id != unit_id:
        abort(404)
    if not can_monitor_unit(current_user, account.unit):
        abort(404)
    return account


@bp.route("/units/<int:unit_id>/accounts/<int:account_id>/followers", methods=["GET", "POST"])
@login_required
def followers(unit_id: int, account_id: int) -> ResponseReturnValue:
    account = _account(unit_id, account_id)
    records = keeps_accounts(current_user, account.unit)
    form = FollowersForm() if request.method == "POST" else FollowersForm(formdata=None)
    day = today(account.unit.timezone)
    if request.method == "POST":
        if not records:
            abort(404)
        if form.validate() and save(form, _record, account, form, day):
            flash(_("The followers were recorded."), "success")
            return redirect(url_for(".followers", unit_id=unit_id, account_id=account_id), 303)
    elif form.measured_on.data is None:
        form.measured_on.data = day
    trend = services.trends([account.id], day)[account.id]
    return render(
        "performance/followers.html",
        "performance/_followers.html",
        form.http_status if request.method == "POST" else 200,
        account=account,
        trend=trend,
        chart=month_bars(trend),
        history=services.history(account),
        form=form if records else None,
    )


def _record(account: SocialAccount, form: FollowersForm, day) -> FollowerCount:
    return services.record_followers(
        account, current_user, form.measured_on.data, form.followers.data, form.proof_bytes(), day
    )


@bp.get("/units/<int:unit_id>/accounts/<int:account_id>/followers/<int:figure_id>/proof")
@login_required
def proof(unit_id: int, account_id: int, figure_id: int) -> ResponseReturnValue:
    account = _account(unit_id, account_id)
    id_or_404(figure_id)
    figure = db.session.get(FollowerCount, figure_id)
    if figure is None or figure.account_id != account.id or figure.proof is None:
        abort(404)
    response = make_response(figure.proof)
    response.headers["Content-Type"] = figure.proof_type
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "private, no-store"
    return response
