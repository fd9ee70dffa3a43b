"""People and units, kept by coordinators; and one's own password."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user
from sqlalchemy.orm import joinedload, selectinload, undefer

from .. import clock
from ..extensions import db
from ..forms_i18n import Form
from ..i18n import phrase as _
from ..parsing import ascii_int
from ..web import id_or_404, public_url, render, save
from . import invitations, leaving, services, throttle
from .forms import MembershipForm, PasswordChangeForm, PersonForm, UnitForm, all_units
from .models import InvitationPurpose, Membership, Role, Unit, User
from .permissions import coordinator_required

bp = Blueprint("people", __name__)
SEARCH_MAX = 100  # characters of a search for people by name or e-mail


def _person(user_id: int) -> User:
    person = db.session.scalar(
        sa.select(User)
        .where(User.id == id_or_404(user_id))
        .options(
            selectinload(User.memberships).joinedload(Membership.unit),
            undefer(User.last_login_at),
        )
    )
    if person is None:
        abort(404)
    return person


def _link_page(person: User, purpose: InvitationPurpose, status: int = 200):
    """A one-time link for the person to set their own password, shown once on this answer."""
    raw = invitations.issue(person, current_user, purpose, clock.now())
    db.session.commit()
    return _link_shown(person, raw, status)


def _link_shown(person: User, raw: str, status: int = 200):
    return render(
        "accounts/link_shown.html",
        "accounts/link_shown.html",
        status,
        person=person,
        **invitations.sharing(public_url("unit_people.invite", token=raw)),
    )


# ---- people ---------------------------------------------------------------------------------


@bp.get("/people")
@coordinator_required
def people() -> ResponseReturnValue:
    q = request.args.get("q", "").strip()[:SEARCH_MAX]
    query = (
        sa.select(User)
        .options(
            selectinload(User.memberships).joinedload(Membership.unit),
            undefer(User.last_login_at),
        )
        .order_by(User.active.desc(), sa.func.lower(User.name))
    )
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            sa.or_(sa.func.lower(User.name).like(pattern), sa.func.lower(User.email).like(pattern))
        )
    people = db.session.scalars(query).all()
    return render(
        "accounts/people.html",
        "accounts/_people.html",
        people=people,
        roles=_units_by_name(people),
        q=q,
        search_max=SEARCH_MAX,
    )


def _units_by_name(people: list[User]) -> dict[int, list[Membership]]:
    """Each person's units by name, as Jinja's `sort(attribute="unit.name")` ordered them: sorted
    here, 3 ms less of the 25 of a kabupaten's 250 people (measured)."""
    return {p.id: sorted(p.memberships, key=lambda m: m.unit.name.lower()) for p in people}


@bp.route("/people/new", methods=["GET", "POST"])
@coordinator_required
def new_person() -> ResponseReturnValue:
    form = PersonForm.for_new(request.args.get("unit", type=ascii_int))
    if form.is_submitted() and form.check() and (made := save(form, _add_person, form)):
        person, raw = made
        return _link_shown(person, raw, 201)
    return render(
        "accounts/person_form.html",
        "accounts/person_form.html",
        form.http_status,
        form=form,
        person=None,
    )


def _add_person(form: PersonForm) -> tuple[User, str]:
    """The person, and the one-time link with which they choose their password."""
    person = services.add_person(
        current_user,
        form.email.data,
        form.name.data,
        is_coordinator=form.is_coordinator.data,
        unit=form.units.get(form.unit.data),
        role=Role(form.role.data),
    )
    db.session.flush()
    return person, invitations.issue(person, current_user, InvitationPurpose.WELCOME, clock.now())


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@coordinator_required
def person(user_id: int) -> ResponseReturnValue:
    person = _person(user_id)
    form = PersonForm() if request.method == "POST" else PersonForm(formdata=None, obj=person)
    del form.unit, form.role, form.email  # the sign-in stays; a new address is a new account
    if form.is_submitted() and form.validate() and save(form, _update_person, person, form):
        flash(_("Saved."), "success")
        return redirect(url_for(".person", user_id=person.id), code=303)
    membership_form = MembershipForm(formdata=None)
    membership_form.unit.choices = [(u.id, u.name) for u in all_units() if u.active]
    return render(
        "accounts/person_form.html",
        "accounts/person_form.html",
        form.http_status,
        form=form,
        person=person,
        membership_form=membership_form,
    )


def _update_person(person: User, form: PersonForm) -> None:
    was_active = person.active
    services.update_person(
        current_user,
        person,
        name=form.name.data,
        is_coordinator=form.is_coordinator.data,
        active=form.active.data,
    )
    if was_active and not person.active:  # their open work waits for someone else
        leaving.person_left(person, [m.unit_id for m in person.memberships], current_user)


@bp.post("/people/<int:user_id>/units")
@coordinator_required
def set_membership(user_id: int) -> ResponseReturnValue:
    person = _person(user_id)
    form = MembershipForm()
    units = {u.id: u for u in all_units()}
    form.unit.choices = [(u.id, u.name) for u in units.values()]
    unit = units.get(form.unit.data)
    if unit is None or not form.validate():
        flash(_("Choose a unit and a role."), "error")
    else:
        role = Role(form.role.data) if form.role.data else None
        services.set_membership(current_user, person, unit, role)
        if role is None:  # out of the unit: their open work there waits for someone else
            leaving.person_left(person, [unit.id], current_user)
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for(".person", user_id=person.id), code=303)


@bp.post("/people/<int:user_id>/password")
@coordinator_required
def reset_password(user_id: int) -> ResponseReturnValue:
    """A forgotten password: a one-time link; the old password works until the link is used."""
    return _link_page(_person(user_id), InvitationPurpose.RESET)


# ---- one's own password ------------------------------------------------------------------------


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = PasswordChangeForm()
    if form.validate_on_submit() and save(form, _change_password, form):
        login_user(current_user._get_current_object())
        flash(_("Your password has been changed; other devices are signed out."), "success")
        return redirect(url_for("calendar.month"), code=303)
    return render("accounts/password.html", "accounts/password.html", form.http_status, form=form)


def _change_password(form: PasswordChangeForm) -> None:
    me = current_user._get_current_object()
    services.change_own_password(me, form.current.data, form.new.data)
    services.start_session(me)  # this phone stays signed in, with the new token


# ---- units --------------------------------------------------------------------------------------


@bp.get("/units")
@coordinator_required
def units() -> ResponseReturnValue:
    rows = db.session.scalars(
        sa.select(Unit).options(joinedload(Unit.parent)).order_by(Unit.active.desc(), Unit.name)
    ).all()
    counts = dict(
        db.session.execute(
            sa.select(Membership.unit_id, sa.func.count(Membership.id))
            .join(User, User.id == Membership.user_id)
            .where(User.active.is_(True))
            .group_by(Membership.unit_id)
        ).all()
    )
    return render("accounts/units.html", "accounts/units.html", units=rows, counts=counts)


@bp.route("/units/new", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@coordinator_required
def unit_form(unit_id: int | None) -> ResponseReturnValue:
    unit = db.session.get(Unit, id_or_404(unit_id)) if unit_id is not None else None
    if unit_id is not None and unit is None:
        abort(404)
    form = UnitForm.for_unit(unit)
    if (
        form.is_submitted()
        and form.check()
        and (saved := save(form, services.save_unit, current_user, form.fields(), unit))
    ):
        flash(_("Saved."), "success")
        return redirect(url_for(".units", _anchor=f"unit-{saved.id}"), code=303)
    return render(
        "accounts/unit_form.html", "accounts/unit_form.html", form.http_status, form=form, unit=unit
    )


@bp.get("/people/locks")
@coordinator_required
def locks() -> ResponseReturnValue:
    """Accounts and addresses locked after too many wrong passwords; a coordinator lifts them."""
    return render(
        "accounts/locks.html",
        "accounts/locks.html",
        locks=throttle.current_locks(),
        form=Form(),
        zone=current_app.config["REGION_TIMEZONE"],
    )


@bp.post("/people/locks/lift")
@coordinator_required
def lift_lock() -> ResponseReturnValue:
    what, key = request.form.get("what", ""), request.form.get("key", "")[:254]
    if not Form().validate_on_submit() or what not in ("account", "address") or not key:
        abort(400)
    throttle.lift(what, key)
    db.session.commit()
    flash(_("The lock is lifted."), "success")
    return redirect(url_for(".locks"), code=303)
