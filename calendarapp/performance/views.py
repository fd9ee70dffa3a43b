"""An account's followers (its year as a chart with the numbers, recording a new count) and
importing a platform's export (upload, preview, apply)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..accounts.models import Unit
from ..accounts.permissions import can_monitor_unit
from ..extensions import db
from ..forms_i18n import Form
from ..i18n import phrase as _
from ..parsing import digits
from ..socialaccounts import services as socialaccounts
from ..socialaccounts.models import AccountStatus, SocialAccount
from ..socialaccounts.permissions import keeps_accounts
from ..timeutil import today
from ..web import id_or_404, render, save
from . import columns, connector, imports, services
from .chart import month_bars
from .forms import FollowersForm, ImportForm
from .models import FIGURE_LABELS, FollowerCount, PerformanceImport
from .platform_files import FIELD_LABELS, HEADER_OF

bp = Blueprint("performance", __name__)


@bp.context_processor
def words() -> dict:
    return {"metric_labels": FIGURE_LABELS}


@bp.app_template_global("sync_reason")
def sync_reason(error: str) -> str:
    """Why the Instagram connector could not read an account, in the reader's language: for
    the accounts' pages, which show what this area's connector last found."""
    return connector.reason(error)


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
        form.http_status,
        account=account,
        trend=trend,
        chart=month_bars(trend),
        history=services.history(account),
        daily=services.daily_by_month(account, day),
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


# ---- importing a platform's export --------------------------------------------------------------


def _unit_to_import(unit_id: int) -> Unit:
    id_or_404(unit_id)
    unit = db.session.get(Unit, unit_id)
    if unit is None or not keeps_accounts(current_user, unit):
        abort(404)
    return unit


@bp.route("/units/<int:unit_id>/performance/import", methods=["GET", "POST"])
@login_required
def import_file(unit_id: int) -> ResponseReturnValue:
    unit = _unit_to_import(unit_id)
    form = ImportForm() if request.method == "POST" else ImportForm(formdata=None)
    accounts = [a for a in socialaccounts.of_unit(unit) if a.status != AccountStatus.DITUTUP]
    form.set_accounts(accounts)
    if request.method == "POST" and form.validate() and (staged := _stage(unit, accounts, form)):
        return redirect(url_for(".preview", unit_id=unit.id, import_id=staged.id), 303)
    return render(
        "performance/import.html",
        "performance/_import.html",
        form.http_status,
        unit=unit,
        form=form,
        accounts=accounts,
    )


def _stage(unit: Unit, accounts: list[SocialAccount], form: ImportForm):
    account = next(a for a in accounts if a.id == form.account.data)
    data, filename = form.upload()
    return save(form, imports.stage, unit, account, current_user, data, filename, _today(unit))


def _upload(unit: Unit, import_id: int) -> PerformanceImport:
    id_or_404(import_id)
    upload = db.session.get(PerformanceImport, import_id)
    if upload is None or upload.unit_id != unit.id:
        abort(404)
    return upload


@bp.route("/units/<int:unit_id>/performance/imports/<int:import_id>", methods=["GET", "POST"])
@login_required
def preview(unit_id: int, import_id: int) -> ResponseReturnValue:
    unit = _unit_to_import(unit_id)
    upload = _upload(unit, import_id)
    if upload.applied_at is None and imports.unknown_columns(upload, _today(unit)) is not None:
        return redirect(url_for(".import_columns", unit_id=unit.id, import_id=upload.id), 303)
    form = Form()
    if request.method == "POST" and form.validate():
        rows = {int(r) for r in request.form.getlist("confirm") if digits(r) and len(r) < 7}
        done = save(form, imports.apply, upload, current_user, rows, _today(unit))
        if done:  # the page then says what was imported
            return redirect(url_for(".preview", unit_id=unit.id, import_id=upload.id), 303)
    look = None if upload.applied_at else imports.look(upload, _today(unit))
    return render(
        "performance/preview.html",
        "performance/_preview.html",
        form.http_status,
        unit=unit,
        upload=upload,
        form=form,
        result=look if isinstance(look, imports.Preview) else None,
        refused=None if isinstance(look, imports.Preview) else look,
        done=imports.counts(upload.summary) if upload.applied_at else None,
    )


@bp.route(
    "/units/<int:unit_id>/performance/imports/<int:import_id>/columns", methods=["GET", "POST"]
)
@login_required
def import_columns(unit_id: int, import_id: int) -> ResponseReturnValue:
    unit = _unit_to_import(unit_id)
    upload = _upload(unit, import_id)
    unknown = None if upload.applied_at else imports.unknown_columns(upload, _today(unit))
    if unknown is None:  # nothing to ask (any more)
        return redirect(url_for(".preview", unit_id=unit.id, import_id=upload.id), 303)
    form = Form()
    chosen = _chosen_columns(unknown.headers)
    teach = request.method == "POST" and form.validate()
    if teach and save(form, imports.teach_columns, upload, chosen, current_user, _today(unit)):
        return redirect(url_for(".preview", unit_id=unit.id, import_id=upload.id), 303)
    return render(
        "performance/columns.html",
        "performance/_columns.html",
        form.http_status,
        **dict(unit=unit, upload=upload, form=form, unknown=unknown, chosen=chosen),
        field_labels=FIELD_LABELS,
    )


def _chosen_columns(headers: list[str]) -> dict[int, str]:
    """What the person chose for each column (`column-N`); at first, what the headers the app
    knows already mean."""
    if request.method == "POST":
        return {n: request.form.get(f"column-{n}", "")[:20] for n in range(len(headers))}
    known = HEADER_OF | columns.learned()
    return {n: known.get(header, "") for n, header in enumerate(headers)}


def _today(unit: Unit):
    return today(unit.timezone)
