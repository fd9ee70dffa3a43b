"""Operations on accounts. They flush; the caller commits."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from .. import clock
from ..extensions import db
from .models import Membership, Role, Unit, User

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


def record_login(user: User) -> None:
    user.last_login_at = clock.now()
    db.session.flush()


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_user(
    email: str, name: str, password: str, *, is_coordinator: bool = False, locale: str | None = None
) -> User:
    email = User.normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError("invalid email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_user_by_email(email) is not None:
        raise AccountError("email already registered")
    user = User(email=email, name=name.strip(), is_coordinator=is_coordinator, locale=locale)
    user.set_password(password)
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
