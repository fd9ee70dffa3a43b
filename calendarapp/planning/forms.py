from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..content.forms import CheckboxList
from ..content.models import ASSIGNEE_ROLE_LABELS, FORMAT_LABELS
from ..content.platforms import PLATFORM_LABELS
from ..forms_i18n import DateField, Form, IntegerField, optional_int
from .models import FREQUENCY_LABELS


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


class SlotForm(Form):
    title = StringField(_l("Title (empty: the pillar's name)"), validators=[Length(max=200)])
    pillar = SelectField(_l("Pillar"), coerce=optional_int, validate_choice=False)
    weekdays = CheckboxList(_l("Weekdays"), choices=[])
    at = TimeField(_l("Time"), validators=[Optional()])
    format = SelectField(_l("Format"), choices=[(k.value, v) for k, v in FORMAT_LABELS.items()])
    platforms = CheckboxList(
        _l("Platforms"), choices=[(k.value, v) for k, v in PLATFORM_LABELS.items()]
    )
    frequency = SelectField(
        _l("Repeats"), choices=[(k.value, v) for k, v in FREQUENCY_LABELS.items()]
    )
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("Until"), validators=[Optional()])
    assignee = SelectField(_l("Usually made by"), coerce=optional_int, validate_choice=False)
    assignee_role = SelectField(
        _l("As"),
        default="",
        choices=[("", _l("(from the format)"))]
        + [(k.value, v) for k, v in ASSIGNEE_ROLE_LABELS.items()],
    )


class SlotEditForm(SlotForm):
    version = HiddenField()


class OccurrenceForm(Form):
    slot = IntegerField(validators=[InputRequired()])
    day = DateField(validators=[InputRequired()])


class SheetForm(Form):
    file = FileField(
        _l("Filled template (.xlsx or .csv)"),
        validators=[
            FileRequired(),
            FileAllowed(["xlsx", "csv"], _l("Choose an .xlsx or .csv file.")),
        ],
    )
