"""The account form: what the unit knows about one official account — and no secrets."""

from __future__ import annotations

from wtforms.validators import DataRequired, Length, Optional

from ..content.models import Platform
from ..forms_i18n import (
    BooleanField,
    DateField,
    Form,
    HiddenInput,
    IntegerField,
    SelectField,
    StringField,
    optional_int,
)
from ..i18n import lazy_phrase as _l
from .models import AccountStatus, TwoStep


class AccountForm(Form):
    platform = SelectField(
        _l("Platform"), choices=[(p.value, p.label) for p in Platform], validators=[DataRequired()]
    )
    handle = StringField(_l("Handle (without @)"), validators=[DataRequired(), Length(max=100)])
    url = StringField(_l("Profile address"), validators=[DataRequired(), Length(max=300)])
    display_name = StringField(_l("Name shown on the account"), validators=[Length(max=120)])
    status = SelectField(
        _l("Status"), choices=[(s.value, s.label) for s in AccountStatus], default="aktif"
    )
    public = BooleanField(_l("Show in the public directory of official accounts"), default=True)
    pic = SelectField(_l("Person in charge (PIC)"), coerce=optional_int, validate_choice=False)
    backup_pic = SelectField(_l("Backup PIC"), coerce=optional_int, validate_choice=False)
    two_step = SelectField(
        _l("Two-step verification"),
        choices=[(t.value, t.label) for t in TwoStep],
        default="tidak_diketahui",
    )
    two_step_checked_on = DateField(_l("Two-step checked on"), validators=[Optional()])
    recovery_kind = StringField(
        _l("Recovered through (e.g. the office e-mail, the office phone number)"),
        validators=[Length(max=80)],
    )
    recovery_owner = StringField(
        _l("Who holds that address or number (a role, e.g. Admin unit)"),
        validators=[Length(max=120)],
    )
    password_changed_on = DateField(_l("Password last changed on"), validators=[Optional()])
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def set_people(self, people) -> None:
        choices = [(None, "–")] + [(p.id, p.name) for p in people]
        self.pic.choices = choices
        self.backup_pic.choices = choices

    def load(self, account) -> None:
        for name in ("handle", "url", "display_name", "public", "recovery_kind", "recovery_owner"):
            getattr(self, name).data = getattr(account, name)
        self.platform.data = account.platform.value
        self.status.data = account.status.value
        self.two_step.data = account.two_step.value
        self.pic.data, self.backup_pic.data = account.pic_id, account.backup_pic_id
        self.two_step_checked_on.data = account.two_step_checked_on
        self.password_changed_on.data = account.password_changed_on
        self.version.data = account.version
