"""Messages of WTForms and Flask-WTF, listed so that extraction puts them in our catalogue."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from .i18n import WTFormsTranslations

MESSAGES = (
    _l("This field is required."),
    _l("Field must be at least %(min)d character long."),
    _l("Field must be at least %(min)d characters long."),
    _l("Field cannot be longer than %(max)d character."),
    _l("Field cannot be longer than %(max)d characters."),
    _l("Field must be exactly %(max)d character long."),
    _l("Field must be exactly %(max)d characters long."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Not a valid choice."),
    _l("'%(value)s' is not a valid choice for this field."),
    _l("'%(value)s' are not valid choices for this field."),
    _l("Invalid URL."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Invalid email address."),
    _l("Invalid input."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF session token is missing."),
)


def optional_int(value) -> int | None:
    """A select's value as an id, or None for its empty choice ("–")."""
    return int(value) if value not in (None, "", "None") else None


class Form(FlaskForm):
    """Every form of the project: CSRF from Flask-WTF, messages from our catalogue."""

    class Meta:
        def get_translations(self, form):
            return WTFormsTranslations()
