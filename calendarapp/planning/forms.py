from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms_i18n import Form


class ThemeForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    color = StringField(
        _l("Colour"),
        default="#2563eb",
        validators=[DataRequired(), Length(max=7)],
        render_kw={"type": "color"},
    )
    description = TextAreaField(
        _l("Description / brief"), validators=[Length(max=2000)], render_kw={"rows": 3}
    )
    hashtags = StringField(_l("Official hashtags"), validators=[Length(max=300)])
    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("Until"), validators=[Optional()])
    intended_share = IntegerField(
        _l("Intended share of posts (%)"), validators=[Optional(), NumberRange(min=0, max=100)]
    )
