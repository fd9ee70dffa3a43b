from __future__ import annotations

import sqlalchemy as sa
from flask import request
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange

from ..extensions import db
from ..forms_i18n import (
    BooleanField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    optional_int,
)
from ..i18n import lazy_phrase as _l
from ..i18n import phrase as _
from ..timeutil import ZONE_LABELS
from .models import ROLE_LABELS, UNIT_KIND_LABELS, Role, Unit, UnitKind
from .services import (
    MIN_PASSWORD_LENGTH,
    NAME_MAX,
    SHORT_NAME_MAX,
    UNIT_NAME_MAX,
    WEEKLY_TARGET_MAX,
    UnitFields,
)


def all_units() -> list[Unit]:
    """Every unit, the active ones first."""
    return db.session.scalars(sa.select(Unit).order_by(Unit.active.desc(), Unit.name)).all()


class LoginForm(Form):
    email = StringField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username", "inputmode": "email", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=512)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class LocaleForm(Form):
    locale = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class LogoutForm(Form):
    pass


class PersonForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    email = StringField(
        _l("Email"), validators=[DataRequired(), Length(max=254)], render_kw={"inputmode": "email"}
    )
    is_coordinator = BooleanField(_l("Coordinator (Diskominfo): sees and keeps every unit"))
    active = BooleanField(_l("Active: may sign in"), default=True)
    unit = SelectField(_l("Unit"), coerce=optional_int, validate_choice=False)
    role = SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])

    @classmethod
    def for_new(cls, unit_id: int | None) -> PersonForm:
        """A new person, in one of the active units (the one asked for, when opened)."""
        form = cls()
        form.units = {u.id: u for u in all_units() if u.active}
        form.unit.choices = [(None, "–")] + [(u.id, u.name) for u in form.units.values()]
        if not form.is_submitted():
            form.unit.data, form.role.data = unit_id, Role.CONTRIBUTOR.value
        return form

    def check(self) -> bool:
        if self.unit.data is not None and self.unit.data not in self.units:
            self.unit.errors = [_("Choose one of the active units.")]
            return False
        return self.validate()


class MembershipForm(Form):
    unit = SelectField(_l("Unit"), coerce=optional_int, validate_choice=False)
    role = SelectField(
        _l("Role"),
        default="contributor",
        choices=[("", _l("(take out of the unit)"))]
        + [(r.value, label) for r, label in ROLE_LABELS.items()],
    )


class SetPasswordForm(Form):
    """A new password, twice: through a one-time link, or (with the current one) one's own."""

    new = PasswordField(
        _l("New password (at least %(least)d characters)", least=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(), Length(max=512)],
        render_kw={"autocomplete": "new-password", "minlength": 10},
    )
    repeat = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", _l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordChangeForm(SetPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=512)],
        render_kw={"autocomplete": "current-password"},
    )


class UnitForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=UNIT_NAME_MAX)])
    short_name = StringField(
        _l("Short name"), validators=[DataRequired(), Length(max=SHORT_NAME_MAX)]
    )
    kind = SelectField(_l("Kind"), choices=[(k.value, v) for k, v in UNIT_KIND_LABELS.items()])
    parent = SelectField(_l("Under"), coerce=optional_int, validate_choice=False)
    timezone = SelectField(
        _l("Time zone"), choices=[(z, f"{z} ({label})") for z, label in ZONE_LABELS.items()]
    )
    color = StringField(
        _l("Colour"),
        default="#2563eb",
        validators=[DataRequired(), Length(max=7)],
        render_kw={"type": "color"},
    )
    weekly_target = IntegerField(
        _l("Posts a week (target)"),
        default=3,
        validators=[InputRequired(), NumberRange(0, WEEKLY_TARGET_MAX)],
    )
    requires_approval = BooleanField(_l("Posts need an admin's approval"), default=True)
    coordinates_coverage = BooleanField(
        _l("Keeps the leader's agenda and asks for coverage (Prokopim)")
    )
    active = BooleanField(_l("Active"), default=True)
    head_name = StringField(_l("Name of the unit's head"), validators=[Length(max=120)])
    head_position = StringField(
        _l("Position (Kepala Dinas, Camat …)"), validators=[Length(max=120)]
    )
    head_whatsapp = StringField(
        _l("The head's WhatsApp number"), validators=[Length(max=20)], render_kw={"type": "tel"}
    )
    requires_head_approval = BooleanField(
        _l("Posts need the head's approval, by a link (no account needed)")
    )

    @classmethod
    def for_unit(cls, unit: Unit | None) -> UnitForm:
        """A new unit, or this one as it is; any other unit may be its parent."""
        form = cls() if request.method == "POST" else cls(obj=unit)
        form.parents = {u.id: u for u in all_units() if unit is None or u.id != unit.id}
        form.parent.choices = [(None, "–")] + [(u.id, u.name) for u in form.parents.values()]
        if unit is not None and not form.is_submitted():
            form.kind.data, form.parent.data = unit.kind.value, unit.parent_id
        return form

    def check(self) -> bool:
        if self.parent.data is not None and self.parent.data not in self.parents:
            self.parent.errors = [_("Choose another unit.")]
            return False
        return self.validate()

    def fields(self) -> UnitFields:
        return UnitFields(
            name=self.name.data,
            short_name=self.short_name.data,
            kind=UnitKind(self.kind.data),
            timezone=self.timezone.data,
            color=self.color.data,
            weekly_target=self.weekly_target.data,
            parent=self.parents.get(self.parent.data),
            requires_approval=self.requires_approval.data,
            coordinates_coverage=self.coordinates_coverage.data,
            active=self.active.data,
            head_name=self.head_name.data or "",
            head_position=self.head_position.data or "",
            head_whatsapp=self.head_whatsapp.data or "",
            requires_head_approval=self.requires_head_approval.data,
        )


class HeadForm(Form):
    """A unit's head, named by its admin (the same fields as on the coordinator's unit form)."""

    head_position = StringField(
        _l("Position (Kepala Dinas, Camat …)"), validators=[Length(max=120)]
    )
    head_name = StringField(_l("Name of the unit's head"), validators=[Length(max=120)])
    head_whatsapp = StringField(
        _l("The head's WhatsApp number"), validators=[Length(max=20)], render_kw={"type": "tel"}
    )
    requires_head_approval = BooleanField(
        _l("Posts need the head's approval, by a link (no account needed)")
    )


class UnitPersonForm(Form):
    """A unit admin adds a person to their unit (a new one gets an invitation link)."""

    email = StringField(
        _l("Email"), validators=[DataRequired(), Length(max=254)], render_kw={"type": "email"}
    )
    name = StringField(_l("Name (for a new person)"), validators=[Length(max=120)])
    role = SelectField(_l("Role"), validators=[DataRequired()])


class RoleForm(Form):
    role = SelectField(_l("Role"))
