"""One-time links to set one's own password (a new person, or a forgotten password), and the
unit admins' part in people coming and going: they add editors and contributors to their own
unit, change their roles and take them out; coordinators keep every unit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import quote

import segno
import sqlalchemy as sa
from markupsafe import Markup

from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..i18n import phrase as _
from . import services
from .models import Invitation, InvitationPurpose, Membership, Role, Unit, User
from .permissions import role_in, roles_given_by

LIFETIME = timedelta(hours=72)


def sharing(link: str) -> dict:
    """What the page that shows a link once needs: the link, its QR code and a WhatsApp message."""
    text = _("Open this link to set your password for the Content Calendar: %(link)s", link=link)
    return {
        "link": link,
        "qr": Markup(segno.make(link, error="m").svg_inline(scale=4, dark="#0f172a")),  # noqa: S704
        "whatsapp": "https://wa.me/?text=" + quote(text),
    }


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(user: User, by: User, purpose: InvitationPurpose, now: datetime) -> str:
    """A new link for this person (earlier unused links stop); answers the raw token once."""
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
        .values(expires_at=now)
    )
    raw = secrets.token_urlsafe(32)
    db.session.add(
        Invitation(
            user=user,
            token_hash=token_hash(raw),
            purpose=purpose,
            created_by_id=by.id,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    db.session.flush()
    return raw


def find(raw: str) -> Invitation | None:
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(sa.select(Invitation).where(Invitation.token_hash == token_hash(raw)))


def accept(invitation: Invitation, password: str, repeat: str, now: datetime) -> User:
    """Set the person's own password through the link; the link is then used up."""
    if invitation.used_at is not None or invitation.expires_at <= now:
        raise services.PeopleError(_l("This link has expired or was already used."))
    if len(password or "") < services.MIN_PASSWORD_LENGTH:
        raise services.PeopleError(
            _l(
                "The new password needs at least %(least)d characters.",
                least=services.MIN_PASSWORD_LENGTH,
            ),
            "new",
        )
    if len(password) > services.PASSWORD_MAX:
        raise services.PeopleError(
            _l(
                "The new password is too long (at most %(limit)d characters).",
                limit=services.PASSWORD_MAX,
            ),
            "new",
        )
    if password != repeat:
        raise services.PeopleError(_l("The two new passwords differ."), "repeat")
    user = invitation.user
    if not user.active:
        raise services.PeopleError(_l("This link has expired or was already used."))
    user.set_password(password)
    services.end_all_sessions(user)
    invitation.used_at = now
    db.session.flush()
    return user


# ---- the unit admin's people -------------------------------------------------------------


def add_to_unit(by: User, unit: Unit, email: str, name: str, role: Role) -> tuple[User, bool]:
    """Put a person in the unit; a new person gets an account without a usable password (the
    invitation sets it). Answers the person and whether the account is new."""
    if role not in roles_given_by(by, unit):
        raise services.PeopleError(_l("You cannot give this role."), "role")
    email = User.normalize_email(email or "")
    if len(email) > 254 or not services.EMAIL_RE.match(email):
        raise services.PeopleError(_l("Enter an email address such as nama@dinas.go.id."), "email")
    person = services.find_user_by_email(email)
    created = person is None
    if person is None:
        person = services.create_user(email, services.clean_name(name), secrets.token_urlsafe(32))
    elif not person.active:
        raise services.PeopleError(
            _l("This person's account is switched off; ask a coordinator."), "email"
        )
    if role_in(person, unit.id) is not None:
        raise services.PeopleError(_l("This person is already in the unit."), "email")
    services.add_membership(person, unit, role)
    services.record_membership_change(unit, person, by, None, role)
    db.session.flush()
    return person, created


def change_role(by: User, unit: Unit, person: User, role: Role | None) -> None:
    """Another role in the unit, or (None) out of it. An admin's own place is a coordinator's."""
    allowed = roles_given_by(by, unit)
    current = role_in(person, unit.id)
    if not allowed or current is None:
        raise services.PeopleError(_l("This person is not in the unit."))
    if current == Role.ADMIN and Role.ADMIN not in allowed:
        raise services.PeopleError(_l("Only coordinators change a unit admin's place."))
    if role is not None and role not in allowed:
        raise services.PeopleError(_l("You cannot give this role."), "role")
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == person.id, Membership.unit_id == unit.id)
    )
    services.record_membership_change(unit, person, by, current, role)
    if role is None:
        db.session.delete(membership)
        person.memberships = [m for m in person.memberships if m.unit_id != unit.id]
    else:
        membership.role = role
    db.session.flush()
