from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import Timestamps, enum_column
from ..timeutil import ZONE_LABELS, UTCDateTime


class UnitKind(StrEnum):
    DINAS = "dinas"
    BADAN = "badan"
    BAGIAN = "bagian"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    DESA = "desa"
    PUSKESMAS = "puskesmas"
    SEKOLAH = "sekolah"
    LAINNYA = "lainnya"

    @property
    def label(self) -> str:
        return str(UNIT_KIND_LABELS[self])


UNIT_KIND_LABELS = {
    UnitKind.DINAS: _l("Agency (dinas)"),
    UnitKind.BADAN: _l("Board (badan)"),
    UnitKind.BAGIAN: _l("Office section (bagian)"),
    UnitKind.KECAMATAN: _l("District (kecamatan)"),
    UnitKind.KELURAHAN: _l("Urban village (kelurahan)"),
    UnitKind.DESA: _l("Village (desa)"),
    UnitKind.PUSKESMAS: _l("Community health centre (puskesmas)"),
    UnitKind.SEKOLAH: _l("School"),
    UnitKind.LAINNYA: _l("Other"),
}


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    CONTRIBUTOR = "contributor"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMIN: _l("Unit admin"),
    Role.EDITOR: _l("Editor"),
    Role.CONTRIBUTOR: _l("Contributor"),
}


# A unit's zone is one the forms offer: SQL finds local days from their fixed offsets.
KNOWN_ZONE = "timezone IN ({})".format(", ".join(f"'{zone}'" for zone in ZONE_LABELS))


class Unit(Timestamps, db.Model):
    """An account-owning body: dinas, badan, bagian, kecamatan, kelurahan, puskesmas, sekolah."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind, "kind"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Asia/Jakarta")
    color: Mapped[str] = mapped_column(sa.String(7), default="#2563eb")
    weekly_target: Mapped[int] = mapped_column(default=3)
    requires_approval: Mapped[bool] = mapped_column(default=True)
    coordinates_coverage: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # the unit's head (Kepala Dinas, Camat …), who has no account: approves by a one-time link
    head_name: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    head_position: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    head_whatsapp: Mapped[str] = mapped_column(sa.String(20), default="", server_default="")
    requires_head_approval: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="unit", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("weekly_target >= 0 AND weekly_target <= 100", name="weekly_target"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # On SQLite two triggers hold the same rule (see its migration).
        sa.CheckConstraint(KNOWN_ZONE, name="known_zone").ddl_if(dialect="postgresql"),
    )

    def __repr__(self) -> str:
        return f"<Unit {self.short_name}>"


class UnitTarget(db.Model):
    """A unit's weekly target from one week on: the monitoring scores each week by its own."""

    __tablename__ = "unit_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date]  # a Monday, in the unit's zone
    weekly_target: Mapped[int]

    __table_args__ = (sa.UniqueConstraint("unit_id", "starts_on"),)


class User(UserMixin, Timestamps, db.Model):
    # feeds show people's names, follow their rights and speak their language

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    # Flask-Login remembers this, not the id: changing it ends every session of the user.
    session_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @staticmethod
    def normalize_email(email: str) -> str:
        return email.strip().lower()

    def set_password(self, password: str, hashed: str | None = None) -> None:
        """`hashed`: this password's hash, made already for another person with the same
        password (the demo's people share one; scrypt costs a tenth of a second a hash)."""
        self.password_hash = hashed or generate_password_hash(password)  # scrypt, werkzeug's
        self.session_token = secrets.token_urlsafe(32)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    # The sign-in this request belongs to (LoginSession.key), set at sign-in and by the loader;
    # a plain attribute of the loaded object, not a column.
    login_key = None

    def get_id(self) -> str:
        """What the session cookie holds: both keys must still be valid for it to work."""
        return f"{self.session_token}.{self.login_key}"

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class SignIn(db.Model):
    """When a person last signed in: kept apart from their row, so that signing in writes no
    calendar data (calendarapp/changes.py)."""

    __tablename__ = "sign_in"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())


# the people's list shows it: one indexed lookup per row, in the same statement
User.last_login_at = sa.orm.column_property(
    sa.select(SignIn.last_at).where(SignIn.user_id == User.id).scalar_subquery(), deferred=True
)


class LoginSession(db.Model):
    """One signed-in browser or phone: signing out deletes it, so a copied cookie stops working."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=lambda: secrets.token_urlsafe(32)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginAttempt(db.Model):
    """One try to sign in, right or wrong: the throttle counts them (accounts/throttle.py)."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        sa.Index("ix_login_attempt_email_created_at", "email", "created_at"),
        sa.Index("ix_login_attempt_address_created_at", "address", "created_at"),
    )


class Membership(db.Model):
    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))

    user: Mapped[User] = relationship(back_populates="memberships")
    unit: Mapped[Unit] = relationship(back_populates="memberships")

    __table_args__ = (sa.UniqueConstraint("user_id", "unit_id"),)


class InvitationPurpose(StrEnum):
    WELCOME = "welcome"
    RESET = "reset"


class Invitation(db.Model):
    """A one-time link to set one's own password: for a new person, or a forgotten password.

    Only the SHA-256 of the link's token is kept; it works once, for 72 hours.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    purpose: Mapped[InvitationPurpose] = mapped_column(enum_column(InvitationPurpose, "purpose"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class MembershipChange(db.Model):
    """Who came into a unit, changed role or left it, by whose hand: the unit's history."""

    __tablename__ = "membership_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    from_role: Mapped[Role | None] = mapped_column(enum_column(Role, "from_role"))
    to_role: Mapped[Role | None] = mapped_column(enum_column(Role, "to_role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    by: Mapped[User | None] = relationship(foreign_keys=[by_id])
