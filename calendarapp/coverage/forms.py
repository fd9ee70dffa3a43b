from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ..content.forms import CheckboxList
from ..forms_i18n import DateField, Form, IntegerField, optional_int
from ..timeutil import ZONE_LABELS
from .models import DELIVERABLE_LABELS, LEADER_LABELS, VISIBILITY_LABELS
from .services import NOTE_MAX, PLACE_MAX, TEXT_MAX, TITLE_MAX

ZONE_CHOICES = [(zone, f"{label} ({zone})") for zone, label in ZONE_LABELS.items()]


class EventForm(Form):
    unit = SelectField(_l("Kept by"), coerce=optional_int, validators=[Optional()])
    leader = SelectField(
        _l("Leader"), choices=[(k.value, v) for k, v in LEADER_LABELS.items()], default="bupati"
    )
    title = StringField(
        _l("Event"),
        validators=[DataRequired(), Length(max=TITLE_MAX)],
        render_kw={"maxlength": TITLE_MAX},
    )
    place = StringField(
        _l("Place"), validators=[Length(max=PLACE_MAX)], render_kw={"maxlength": PLACE_MAX}
    )
    day = DateField(_l("Day"), validators=[InputRequired()])
    start = TimeField(_l("Starts"), validators=[Optional()])
    end = TimeField(_l("Ends"), validators=[Optional()])
    timezone = SelectField(_l("Time zone"), choices=ZONE_CHOICES, default="Asia/Jakarta")
    visibility = SelectField(
        _l("Who sees it"),
        choices=[(k.value, v) for k, v in VISIBILITY_LABELS.items()],
        default="internal",
    )
    invitees = CheckboxList(_l("Invited (for restricted events)"), coerce=int)
    notes = TextAreaField(
        _l("Notes for the team"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 3}
    )
    version = HiddenField()
    creation_token = HiddenField()


class RequestForm(Form):
    deliverable = SelectField(
        _l("Deliverable"), choices=[(k.value, v) for k, v in DELIVERABLE_LABELS.items()]
    )
    # "u-<unit id>" asks the unit (its admin picks); "p-<unit id>-<user id>" asks one person.
    target = SelectField(_l("Asked of"), validators=[DataRequired()], validate_choice=False)
    due = DateTimeLocalField(_l("Due"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    instructions = TextAreaField(
        _l("Instructions"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 2}
    )
    creation_token = HiddenField()


class AssignForm(Form):
    person = SelectField(_l("Covered by"), coerce=optional_int, validate_choice=False)
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class StepForm(Form):
    target = HiddenField(validators=[DataRequired()])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())
    note = TextAreaField(_l("Note"), validators=[Length(max=NOTE_MAX)], render_kw={"rows": 2})
    links = TextAreaField(
        _l("Links to what you deliver (one per line)"),
        validators=[Length(max=5500)],
        render_kw={"rows": 3},
    )


class CancelEventForm(Form):
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())
    note = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=NOTE_MAX)], render_kw={"rows": 2}
    )


class ToItemForm(Form):
    unit = SelectField(_l("On the calendar of"), coerce=optional_int, validate_choice=False)
    creation_token = HiddenField()


class AgendaImportForm(Form):
    unit = SelectField(_l("Kept by"), coerce=optional_int, validators=[Optional()])
    file = FileField(
        _l("Calendar file (.ics)"),
        validators=[FileRequired(), FileAllowed(["ics"], _l("Choose an .ics file."))],
    )
    leader = SelectField(
        _l("Leader"), choices=[(k.value, v) for k, v in LEADER_LABELS.items()], default="bupati"
    )
    visibility = SelectField(
        _l("Who sees it"),
        choices=[(k.value, v) for k, v in VISIBILITY_LABELS.items()],
        default="internal",
    )
