"""Akun resmi: a unit's accounts (its admins), the region's register (coordinators) and the
public directory citizens use to check an account is genuine (no sign-in)."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, ngettext
from flask_login import current_user, login_required
from openpyxl import Workbook

from .. import parts
from ..accounts.models import Unit, User
from ..accounts.permissions import admin_unit_ids, coordinator_required, is_coordinator
from ..clock import now
from ..content.models import Platform
from ..extensions import db
from ..forms_i18n import Form
from ..i18n import phrase as _
from ..timeutil import today
from ..web import attempt, download, form_error, mark_session_unused, render, safe_text, save
from . import services
from .forms import AccountForm
from .models import AccountStatus, Handover, HandoverStep, SocialAccount, TwoStep
from .permissions import keeps_accounts

bp = Blueprint("socialaccounts", __name__)


# The register's orders; the first tap on flags or the last post shows the worst first.
REGISTER_SORTS = {
    "unit": lambda row: (row.account.unit.name.lower(), row.account.platform.value),
    "platform": lambda row: (row.account.platform.value, row.account.handle_key),
    "status": lambda row: (row.account.status.value, row.account.unit.name.lower()),
    "last_post": lambda row: (row.last_post is not None, row.last_post or 0),
    "flags": lambda row: (-len(row.flags), row.account.unit.name.lower()),
}


def _unit(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id) if unit_id <= 2**31 - 1 else None
    if unit is None or not keeps_accounts(current_user, unit):
        abort(404)
    return unit


def _fields(form: AccountForm, people: dict[int, User]) -> services.AccountFields:
    return services.AccountFields(
        platform=Platform(form.platform.data),
        handle=form.handle.data or "",
        url=form.url.data or "",
        display_name=form.display_name.data or "",
        status=AccountStatus(form.status.data),
        public=bool(form.public.data),
        pic=people.get(form.pic.data) if form.pic.data else None,
        backup_pic=people.get(form.backup_pic.data) if form.backup_pic.data else None,
        two_step=TwoStep(form.two_step.data),
        two_step_checked_on=form.two_step_checked_on.data,
        recovery_kind=form.recovery_kind.data or "",
        recovery_owner=form.recovery_owner.data or "",
        password_changed_on=form.password_changed_on.data,
    )


def _save(unit: Unit, form: AccountForm, account: SocialAccount | None) -> int | None:
    """Validate and save; answers None when saved, else the status of the refusal."""
    people = {user.id: user for user in services.members(unit)}
    if not form.validate():
        return 422
    chosen = [form.pic.data, form.backup_pic.data]
    if any(person is not None and person not in people for person in chosen):
        form_error(form, services.AccountRefused(_("Choose a person of this unit."), "pic"))
        return 422
    saved = save(
        form,
        services.save_account,
        unit,
        _fields(form, people),
        account,
        form.version.data,
        opened_by=current_user,
        today=_today(),
        now=now(),
    )
    return None if saved else form.http_status


@bp.route("/units/<int:unit_id>/accounts", methods=["GET", "POST"])
@login_required
def unit_accounts(unit_id: int) -> ResponseReturnValue:
    unit = _unit(unit_id)
    form = AccountForm() if request.method == "POST" else AccountForm(formdata=None)
    form.set_people(services.members(unit))
    status = 200
    if request.method == "POST":
        status = _save(unit, form, None)
        if status is None:
            return redirect(url_for(".unit_accounts", unit_id=unit.id), code=303)
    accounts = services.of_unit(unit)
    return render(
        "socialaccounts/unit.html",
        "socialaccounts/_unit.html",
        status,
        unit=unit,
        accounts=accounts,
        **parts.UNIT_ACCOUNTS.read(accounts, today(unit.timezone)),  # followers, syncs
        form=form,
        action_form=Form(),
        region_today=_today(),
    )


@bp.route("/units/<int:unit_id>/accounts/<int:account_id>", methods=["GET", "POST"])
@login_required
def edit_account(unit_id: int, account_id: int) -> ResponseReturnValue:
    unit = _unit(unit_id)
    account = db.session.get(SocialAccount, account_id) if account_id <= 2**31 - 1 else None
    if account is None or account.unit_id != unit.id:
        abort(404)  # another unit's account answers as if it did not exist
    form = AccountForm() if request.method == "POST" else AccountForm(formdata=None)
    form.set_people(services.members(unit))
    status = 200
    if request.method == "POST":
        status = _save(unit, form, account)
        if status is None:
            return redirect(url_for(".unit_accounts", unit_id=unit.id), code=303)
        if status == 409:
            db.session.refresh(account)
    else:
        form.load(account)
    return render(
        "socialaccounts/edit.html",
        "socialaccounts/edit.html",
        status,
        unit=unit,
        account=account,
        form=form,
    )


def _today():
    return today(current_app.config["REGION_TIMEZONE"])


@bp.post("/units/<int:unit_id>/accounts/handovers/<int:handover_id>")
@login_required
def tick_step(unit_id: int, handover_id: int) -> ResponseReturnValue:
    """One step of a handover done (the step travels in the form)."""
    unit = _unit(unit_id)
    handover = db.session.get(Handover, handover_id) if handover_id <= 2**31 - 1 else None
    if handover is None or handover.account.unit_id != unit.id:
        abort(404)
    if not Form().validate_on_submit():
        abort(400)
    steps = {step.value: step for step in HandoverStep}
    step = steps.get(request.form.get("step", ""))
    _done, refused = (
        (None, None)
        if step is None
        else attempt(services.tick, handover, step, current_user, now())
    )
    if step is None or refused is not None:
        message = refused.message if refused else _("This step is not part of an open handover.")
        flash(str(message), "error")
    return redirect(
        url_for(".unit_accounts", unit_id=unit.id) + f"#account-{handover.account_id}", code=303
    )


@bp.post("/units/<int:unit_id>/accounts/leader-change")
@login_required
def leader_change(unit_id: int) -> ResponseReturnValue:
    """A new head of the unit: open the review of every live account."""
    unit = _unit(unit_id)
    if not Form().validate_on_submit():
        abort(400)
    opened = services.leader_changed(unit, current_user, _today(), now())
    db.session.commit()
    flash(
        ngettext("%(num)d checklist opened.", "%(num)d checklists opened.", opened)
        if opened
        else _("Every account already has this checklist open."),
        "success",
    )
    return redirect(url_for(".unit_accounts", unit_id=unit.id), code=303)


def _admin_units() -> list[Unit]:
    """The active units this person administers, by name."""
    ids = admin_unit_ids(current_user)
    units = [m.unit for m in current_user.memberships if m.unit_id in ids and m.unit.active]
    return sorted(units, key=lambda unit: unit.name)


@bp.get("/accounts")
@login_required
def register() -> ResponseReturnValue:
    """Coordinators: every account with its flags. A unit admin: their unit's accounts."""
    if not is_coordinator(current_user):
        units = _admin_units() or abort(404)
        return redirect(url_for(".unit_accounts", unit_id=units[0].id), code=303)
    view = RegisterView.parse(request.args)
    rows = _register_rows()
    return render(
        "socialaccounts/register.html",
        "socialaccounts/_register.html",
        rows=view.shown(rows),
        **parts.ACCOUNTS_REGISTER.read([row.account for row in rows]),  # syncs
        total=len(rows),
        flags=services.FLAGS,
        counts={key: sum(key in row.flags for row in rows) for key in services.FLAGS},
        view=view,
    )


@dataclass(frozen=True)
class RegisterView:
    """The register's flag filter and order, from the address (anything else answers 404)."""

    flag: str
    sort: str
    direction: str

    @classmethod
    def parse(cls, args) -> RegisterView:
        view = cls(args.get("flag", ""), args.get("sort", "unit"), args.get("dir", "asc"))
        if (view.flag and view.flag not in services.FLAGS) or view.sort not in REGISTER_SORTS:
            abort(404)
        if view.direction not in ("asc", "desc"):
            abort(404)
        return view

    def shown(self, rows: list) -> list:
        kept = (row for row in rows if not self.flag or self.flag in row.flags)
        return sorted(kept, key=REGISTER_SORTS[self.sort], reverse=self.direction == "desc")

    def sort_url(self, key: str) -> str:
        turn = "desc" if key == self.sort and self.direction == "asc" else "asc"
        return url_for(
            ".register", **({"flag": self.flag} if self.flag else {}), sort=key, dir=turn
        )


def _register_rows():
    zone = current_app.config["REGION_TIMEZONE"]
    return services.register(today(zone), now(), current_app.config.get("SILENT_DAYS", 14))


def _export_rows() -> list[list]:
    rows = [
        [_("Unit"), _("Platform"), _("Handle"), _("Profile address"), _("Status"),
         _("Person in charge (PIC)"), _("Backup PIC"), _("Two-step verification"),
         _("Password last changed on"), _("Last published post"), _("Flags")]
    ]  # fmt: skip
    for row in _register_rows():
        a = row.account
        rows.append(
            [safe_text(a.unit.name), a.platform.label, safe_text(a.handle), safe_text(a.url),
             a.status.label, safe_text(a.pic.name) if a.pic else "",
             safe_text(a.backup_pic.name) if a.backup_pic else "", a.two_step.label,
             a.password_changed_on, row.last_post.date() if row.last_post else None,
             "; ".join(str(services.FLAGS[f]) for f in row.flags)]
        )  # fmt: skip
    return rows


@bp.get("/accounts.csv", defaults={"kind": "csv"})
@bp.get("/accounts.xlsx", defaults={"kind": "xlsx"})
@coordinator_required
def register_export(kind: str) -> ResponseReturnValue:
    rows = _export_rows()
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(["" if v is None else str(v) for v in row])
        body = ("\ufeff" + out.getvalue()).encode("utf-8")
        return download(body, "text/csv", "akun-resmi.csv")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Official accounts"))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return download(
        out.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "akun-resmi.xlsx",
    )


@bp.get("/akun-resmi")
def directory() -> ResponseReturnValue:
    """The public directory: no sign-in, nothing about people or security; cacheable."""
    languages = current_app.config["LANGUAGES"]
    lang = request.args.get("lang", "")
    # the language comes from the address alone, never from a session: a shared cache may keep it
    with force_locale(lang if lang in languages else current_app.config["BABEL_DEFAULT_LOCALE"]):
        response = make_response(
            render_template("socialaccounts/directory.html", by_unit=services.directory())
        )
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.set_etag(hashlib.sha256(response.get_data()).hexdigest())
    mark_session_unused()  # one cached copy for everybody: no "Vary: Cookie"
    return response.make_conditional(request)
