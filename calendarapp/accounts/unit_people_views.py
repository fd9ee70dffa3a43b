"""People come and go through the unit: its admin adds editors and contributors, changes roles,
takes people out, and hands a one-time link (WhatsApp, QR) instead of a password read aloud."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from .. import clock
from ..extensions import db
from ..forms_i18n import Form
from ..i18n import phrase as _
from ..web import attempt, public_url, render, save
from . import invitations, leaving, services
from .forms import HeadForm, RoleForm, SetPasswordForm, UnitPersonForm
from .models import InvitationPurpose, Membership, Role, Unit, User
from .permissions import (
    admin_unit_ids,
    is_coordinator,
    may_send_password_link,
    role_in,
    roles_given_by,
)

bp = Blueprint("unit_people", __name__)


def _unit(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id) if unit_id <= 2**31 - 1 else None
    if unit is None or not roles_given_by(current_user, unit):
        abort(404)
    return unit


def _member(unit: Unit, user_id: int) -> User:
    person = db.session.get(User, user_id) if user_id <= 2**31 - 1 else None
    if person is None or role_in(person, unit.id) is None:
        abort(404)
    return person


def _page(
    unit: Unit,
    form: UnitPersonForm,
    status: int = 200,
    link=None,
    for_person=None,
    head_form: HeadForm | None = None,
):
    members = db.session.scalars(
        sa.select(Membership)
        .where(Membership.unit_id == unit.id)
        .options(selectinload(Membership.user).selectinload(User.memberships))
        .join(Membership.user)
        .order_by(User.name)
    ).all()
    return render(
        "accounts/unit_people.html",
        "accounts/unit_people.html",
        status,
        unit=unit,
        members=members,
        form=form,
        roles=roles_given_by(current_user, unit),
        role_form=RoleForm(formdata=None),
        may_send_link=lambda person: may_send_password_link(current_user, person),
        link_person=for_person,
        **(invitations.sharing(link) if link else {"link": None}),
        history=services.membership_history(unit),
        head_form=head_form or HeadForm(formdata=None, obj=unit),
        names_head=current_user.is_coordinator or role_in(current_user, unit.id) == Role.ADMIN,
    )


def _link(person: User, purpose: InvitationPurpose) -> str:
    raw = invitations.issue(person, current_user, purpose, clock.now())
    return public_url("unit_people.invite", token=raw)


@bp.get("/unit-people")
@login_required
def mine() -> ResponseReturnValue:
    """The menu's way in: a coordinator's people, a unit admin's own unit."""
    if is_coordinator(current_user):
        return redirect(url_for("people.people"), code=303)
    units = admin_unit_ids(current_user)
    if not units:
        abort(404)
    return redirect(url_for(".unit_people", unit_id=units[0]), code=303)


@bp.route("/units/<int:unit_id>/people", methods=["GET", "POST"])
@login_required
def unit_people(unit_id: int) -> ResponseReturnValue:
    unit = _unit(unit_id)
    form = UnitPersonForm() if request.method == "POST" else UnitPersonForm(formdata=None)
    form.role.choices = [(r.value, r.label) for r in roles_given_by(current_user, unit)]
    if request.method == "GET":
        return _page(unit, form)
    if not form.validate():
        return _page(unit, form, 422)
    added = save(form, _add_to_unit, unit, form)
    if not added:
        return _page(unit, form, 422)
    person, link = added
    if link is None:
        flash(_("%(name)s is now in the unit.", name=person.name), "success")
        return redirect(url_for(".unit_people", unit_id=unit.id), code=303)
    # the link is shown once: the page answers directly instead of redirecting
    return _page(unit, UnitPersonForm(formdata=None), 201, link=link, for_person=person)


def _add_to_unit(unit: Unit, form: UnitPersonForm) -> tuple[User, dict | None]:
    """The person in the unit, and a one-time link when they are new here."""
    person, created = invitations.add_to_unit(
        current_user, unit, form.email.data, form.name.data or "", Role(form.role.data)
    )
    return person, _link(person, InvitationPurpose.WELCOME) if created else None


@bp.post("/units/<int:unit_id>/people/<int:user_id>/role")
@login_required
def change_role(unit_id: int, user_id: int) -> ResponseReturnValue:
    unit = _unit(unit_id)
    person = _member(unit, user_id)
    form = RoleForm()
    form.role.choices = [("", "")] + [(r.value, r.label) for r in Role]
    if not form.validate():
        abort(400)
    role = Role(form.role.data) if form.role.data else None
    _done, refused = attempt(_change_role, unit, person, role)
    if refused is not None:
        flash(str(refused.message), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for(".unit_people", unit_id=unit.id), code=303)


@bp.post("/units/<int:unit_id>/people/<int:user_id>/link")
@login_required
def password_link(unit_id: int, user_id: int) -> ResponseReturnValue:
    """A forgotten password: a one-time link instead of a password read aloud."""
    unit = _unit(unit_id)
    person = _member(unit, user_id)
    if not Form().validate_on_submit():
        abort(400)
    if not may_send_password_link(current_user, person):
        abort(404)  # someone who is also in other units, or a coordinator: a coordinator's job
    link = _link(person, InvitationPurpose.RESET)
    db.session.commit()
    return _page(unit, UnitPersonForm(formdata=None), 201, link=link, for_person=person)


@bp.post("/units/<int:unit_id>/head")
@login_required
def unit_head(unit_id: int) -> ResponseReturnValue:
    """The unit's admin names the head who approves its posts by link."""
    unit = _unit(unit_id)
    form = HeadForm()
    if form.validate() and save(
        form, services.name_head, current_user, unit, form.head_name.data,
        form.head_position.data, form.head_whatsapp.data, bool(form.requires_head_approval.data),
    ):  # fmt: skip
        flash(_("The unit's head was saved."), "success")
        return redirect(url_for(".unit_people", unit_id=unit.id) + "#unit-head", 303)
    return _page(unit, UnitPersonForm(formdata=None), form.http_status, head_form=form)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str) -> ResponseReturnValue:
    """The link's page: no sign-in; a used or expired link says so plainly."""
    invitation = invitations.find(token)
    now = clock.now()
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        return render("accounts/invite.html", "accounts/invite.html", 410, invitation=None)
    form = SetPasswordForm()
    if form.validate_on_submit() and save(
        form, invitations.accept, invitation, form.new.data, form.repeat.data, now
    ):
        flash(_("Your password is set. Sign in with your email and the new password."), "success")
        return redirect(url_for("accounts.login"), code=303)
    response = render(
        "accounts/invite.html",
        "accounts/invite.html",
        form.http_status,
        invitation=invitation,
        form=form,
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the token stays out of other sites' logs
    return response


def _change_role(unit: Unit, person: User, role: Role | None) -> None:
    invitations.change_role(current_user, unit, person, role)
    if role is None:  # out of the unit: their work and the accounts they held are handed on
        leaving.person_left(person, [unit.id], current_user)
