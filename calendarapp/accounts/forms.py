from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..forms_i18n import Form


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
