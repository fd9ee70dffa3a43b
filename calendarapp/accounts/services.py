"""Operations on accounts. They flush; the caller commits."""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from .. import clock
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..parsing import whatsapp_number
from ..timeutil import ZONE_LABELS, monday_of, today
from .models import (
    LoginSession,
    Membership,
    MembershipChange,
    Role,
    SignIn,
    Unit,
    UnitKind,
    UnitTarget,
    User,
)
from .permissions import is_coordinator, role_in

MIN_PASSWORD_LENGTH = 10
# Compared against when the email is unknown, so both answers take as long.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request we refuse, with a message for the user."""


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == User.normalize_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The user whose email and password these are, active or not; None otherwise."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password):
        return None
    return user


def start_session(user: User) -> None:
    """A new sign-in of this person on one browser or phone; its key goes into the cookie."""
    login = LoginSession(user_id=user.id, created_at=clock.now())
    db.session.add(login)
    db.session.flush()
    user.login_key = login.key


@functools.cache
def _session_query() -> sa.Select:
    """Built once (every signed-in request runs it: 0.1 ms saved each, measured): the cookie's
    `token` and `key` bound at each run; every page asks the person's rights, so their
    memberships and units come along."""
    return (
        sa.select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(User.session_token == sa.bindparam("token"), LoginSession.key == sa.bindparam("key"))
        .options(joinedload(User.memberships).joinedload(Membership.unit))
    )


def find_session(value: str) -> User | None:
    """The active person whose cookie this is, if that sign-in has not ended."""
    token, _, key = (value or "").partition(".")
    if not token or not key:
        return None
    found = db.session.scalars(_session_query(), {"token": token, "key": key})
    user = found.unique().first()
    if user is None or not user.is_active:
        return None
    user.login_key = key
    return user


def end_session(user: User) -> None:
    """Sign out this browser: its cookie, even a copy, no longer works."""
    db.session.execute(sa.delete(LoginSession).where(LoginSession.key == user.login_key))


def end_all_sessions(user: User) -> None:
    """Every sign-in of the person ends (a new password, deactivation)."""
    user.session_token = secrets.token_urlsafe(32)
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))


def record_login(user: User) -> None:
    found = db.session.get(SignIn, user.id)
    if found is None:
        db.session.add(SignIn(user_id=user.id, last_at=clock.now()))
    else:
        found.last_at = clock.now()
    db.session.flush()


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    email: str,
    name: str,
    password: str,
    *,
    is_coordinator: bool = False,
    locale: str | None = None,
    hashed: str | None = None,
) -> User:
    """`hashed`: the password's hash, when another person made with it has it (`set_password`)."""
    email = User.normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("invalid email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_user_by_email(email) is not None:
        raise AccountError("email already registered")
    user = User(email=email, name=name.strip(), is_coordinator=is_coordinator, locale=locale)
    user.set_password(password, hashed)
    db.session.add(user)
    db.session.flush()
    return user


def add_membership(user: User, unit: Unit, role: Role) -> Membership:
    membership = Membership(user=user, unit=unit, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


# ---- people and units, kept by coordinators ----------------------------------------------------

NAME_MAX = 120
UNIT_NAME_MAX, SHORT_NAME_MAX = 160, 40
WEEKLY_TARGET_MAX = 100
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
PASSWORD_MAX = 128


class PeopleError(Refused):
    """A change to people, memberships or units we refuse."""


def _coordinator(by: User) -> None:
    if not is_coordinator(by):
        raise PeopleError(_l("Only coordinators keep people and units."))


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise PeopleError(_l("A name is needed."), "name")
    if len(name) > NAME_MAX:
        raise PeopleError(
            _l("The name is too long (at most %(limit)d characters).", limit=NAME_MAX), "name"
        )
    return name


def add_person(
    by: User,
    email: str,
    name: str,
    *,
    is_coordinator: bool = False,
    unit: Unit | None = None,
    role: Role | None = None,
) -> User:
    """A new account without a usable password: the person sets their own through a link."""
    _coordinator(by)
    email = User.normalize_email(email or "")
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise PeopleError(_l("Enter an email address such as nama@dinas.go.id."), "email")
    if find_user_by_email(email) is not None:
        raise PeopleError(_l("Someone with this email already has an account."), "email")
    user = create_user(
        email, clean_name(name), secrets.token_urlsafe(32), is_coordinator=is_coordinator
    )
    if unit is not None:
        add_membership(user, unit, role or Role.CONTRIBUTOR)
        record_membership_change(unit, user, by, None, role or Role.CONTRIBUTOR)
    return user


def update_person(by: User, person: User, *, name: str, is_coordinator: bool, active: bool) -> None:
    """Name, coordinator rights and whether the account may sign in; deactivating ends sessions."""
    _coordinator(by)
    if person.id == by.id and not (active and is_coordinator):
        raise PeopleError(
            _l("You cannot deactivate yourself or give up your own coordinator rights.")
        )
    person.name = clean_name(name)
    person.is_coordinator = is_coordinator
    if person.active and not active:
        end_all_sessions(person)
    person.active = active
    db.session.flush()


def set_membership(by: User, person: User, unit: Unit, role: Role | None) -> None:
    """Put a person in a unit with a role, change the role, or (no role) take them out."""
    _coordinator(by)
    membership = next((m for m in person.memberships if m.unit_id == unit.id), None)
    record_membership_change(unit, person, by, membership.role if membership else None, role)
    if role is None:
        if membership is not None:
            person.memberships.remove(membership)
    elif membership is None:
        add_membership(person, unit, role)
    else:
        membership.role = role
    db.session.flush()


def record_membership_change(
    unit: Unit, person: User, by: User, before: Role | None, after: Role | None
) -> None:
    """One line of the unit's history of people (nothing when nothing changes)."""
    if before != after:
        db.session.add(
            MembershipChange(
                unit_id=unit.id,
                user_id=person.id,
                by_id=by.id,
                from_role=before,
                to_role=after,
                created_at=clock.now(),
            )
        )


def membership_history(unit: Unit, limit: int = 50) -> list[MembershipChange]:
    return list(
        db.session.scalars(
            sa.select(MembershipChange)
            .where(MembershipChange.unit_id == unit.id)
            .options(joinedload(MembershipChange.user), joinedload(MembershipChange.by))
            .order_by(MembershipChange.id.desc())
            .limit(limit)
        )
    )


def change_own_password(person: User, current: str, new: str) -> None:
    """The person's own new password; other sessions end (the view signs this one in again)."""
    if not person.check_password(current or ""):
        raise PeopleError(_l("The current password is not right."), "current")
    if len(new or "") < MIN_PASSWORD_LENGTH:
        raise PeopleError(
            _l("The new password needs at least %(least)d characters.", least=MIN_PASSWORD_LENGTH),
            "new",
        )
    if len(new) > PASSWORD_MAX:
        raise PeopleError(
            _l("The new password is too long (at most %(limit)d characters).", limit=PASSWORD_MAX),
            "new",
        )
    if new == current:
        raise PeopleError(_l("Choose a password different from the current one."), "new")
    person.set_password(new)
    end_all_sessions(person)
    db.session.flush()


@dataclass
class UnitFields:
    name: str
    short_name: str
    kind: UnitKind
    timezone: str
    color: str
    weekly_target: int
    parent: Unit | None = None
    requires_approval: bool = True
    coordinates_coverage: bool = False
    active: bool = True
    head_name: str = ""
    head_position: str = ""
    head_whatsapp: str = ""
    requires_head_approval: bool = False


def record_target(unit: Unit, target: int) -> None:
    """A new weekly target from this week on; earlier weeks keep the one they had."""
    monday = monday_of(today(unit.timezone))
    rows = {
        row.starts_on: row
        for row in db.session.scalars(sa.select(UnitTarget).where(UnitTarget.unit_id == unit.id))
    }
    if not rows:  # the first change: remember what the weeks before it were scored against
        db.session.add(
            UnitTarget(
                unit_id=unit.id, starts_on=date(2000, 1, 3), weekly_target=unit.weekly_target
            )
        )
    if monday in rows:
        rows[monday].weekly_target = target
    else:
        db.session.add(UnitTarget(unit_id=unit.id, starts_on=monday, weekly_target=target))


def save_unit(by: User, data: UnitFields, unit: Unit | None = None) -> Unit:
    _coordinator(by)
    name = " ".join((data.name or "").split())
    short_name = " ".join((data.short_name or "").split())
    if not name or len(name) > UNIT_NAME_MAX:
        raise PeopleError(
            _l("A name of at most %(limit)d characters is needed.", limit=UNIT_NAME_MAX), "name"
        )
    if not short_name or len(short_name) > SHORT_NAME_MAX:
        raise PeopleError(
            _l("A short name of at most %(limit)d characters is needed.", limit=SHORT_NAME_MAX),
            "short_name",
        )
    same = db.session.scalar(
        sa.select(Unit).where(
            sa.func.lower(Unit.name) == name.lower(), Unit.id != (unit.id if unit else 0)
        )
    )
    if same is not None:
        raise PeopleError(_l("Another unit already has this name."), "name")
    if data.timezone not in ZONE_LABELS:
        raise PeopleError(_l("Choose one of Indonesia's time zones."), "timezone")
    if not COLOR_RE.match(data.color or ""):
        raise PeopleError(_l("Choose a colour."), "color")
    if not 0 <= data.weekly_target <= WEEKLY_TARGET_MAX:
        raise PeopleError(
            _l("The weekly target is between 0 and %(limit)d posts.", limit=WEEKLY_TARGET_MAX),
            "weekly_target",
        )
    parent = data.parent
    while parent is not None and unit is not None:
        if parent.id == unit.id:
            raise PeopleError(_l("A unit cannot sit under itself."), "parent")
        parent = parent.parent
    if unit is None:
        unit = Unit()
        db.session.add(unit)
    elif unit.weekly_target != data.weekly_target:
        record_target(unit, data.weekly_target)
    unit.name, unit.short_name, unit.kind = name, short_name, data.kind
    unit.parent, unit.timezone, unit.color = data.parent, data.timezone, data.color.lower()
    unit.weekly_target, unit.requires_approval = data.weekly_target, data.requires_approval
    unit.coordinates_coverage, unit.active = data.coordinates_coverage, data.active
    set_head(
        unit, data.head_name, data.head_position, data.head_whatsapp, data.requires_head_approval
    )
    db.session.flush()
    return unit


def set_head(unit: Unit, name: str, position: str, whatsapp: str, requires: bool) -> None:
    """The unit's head (no account); approval by the head needs a name and a WhatsApp number.
    The caller checks who may (a coordinator, or the unit's admin: `name_head`)."""
    unit.head_name = " ".join((name or "").split())[:120]
    unit.head_position = " ".join((position or "").split())[:120]
    try:
        unit.head_whatsapp = whatsapp_number(whatsapp)
    except ValueError as error:
        raise PeopleError(
            _l("Write a WhatsApp number such as 0812 3456 7890."), "head_whatsapp"
        ) from error
    if requires and not (unit.head_name and unit.head_whatsapp):
        raise PeopleError(
            _l("Give the head's name and WhatsApp number to ask for the head's approval."),
            "head_whatsapp",
        )
    unit.requires_head_approval = requires


def name_head(by: User, unit: Unit, name: str, position: str, whatsapp: str, requires: bool):
    """A unit's admin (or a coordinator) names its head."""
    if not (by.is_coordinator or role_in(by, unit.id) == Role.ADMIN):
        raise PeopleError(_l("Only the unit's admins and the coordinators name its head."))
    set_head(unit, name, position, whatsapp, requires)
    db.session.flush()
    return unit
