from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ..content.forms import CheckboxList
from ..coverage.forms import ZONE_CHOICES
from ..forms_i18n import DateField, Form, IntegerField, optional_int
from .models import ACTION_STATUS_LABELS, TRAINING_KIND_LABELS
from .services import ACTION_MAX, PLACE_MAX, TEXT_MAX, TITLE_MAX

SPEAKER_ROWS = 4
ACTION_ROWS = 4


class SpeakerRow(Form):
    class Meta:
        csrf = False

    name = StringField(_l("Name"), validators=[Length(max=120)])
    affiliation = StringField(_l("Affiliation"), validators=[Length(max=160)])
    topic = StringField(_l("Topic"), validators=[Length(max=200)])


class TrainingForm(Form):
    kind = SelectField(
        _l("Kind"), choices=[(k.value, v) for k, v in TRAINING_KIND_LABELS.items()], default="fgd"
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=TITLE_MAX)],
        render_kw={"maxlength": TITLE_MAX},
    )
    day = DateField(_l("Day"), validators=[InputRequired()])
    start = TimeField(_l("Starts"), validators=[InputRequired()])
    end = TimeField(_l("Ends"), validators=[InputRequired()])
    timezone = SelectField(_l("Time zone"), choices=ZONE_CHOICES, default="Asia/Jakarta")
    place = StringField(_l("Place"), validators=[Length(max=PLACE_MAX)])
    organiser = SelectField(_l("Organised by"), coerce=optional_int, validate_choice=False)
    units = CheckboxList(_l("Participating units"), coerce=int)
    participants = CheckboxList(_l("Participants"), coerce=int)
    summary = TextAreaField(_l("Summary"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 4})
    speakers = FieldList(FormField(SpeakerRow), min_entries=SPEAKER_ROWS, max_entries=20)
    version = HiddenField()
    creation_token = HiddenField()


class MaterialForm(Form):
    title = StringField(_l("Title"), validators=[Length(max=TITLE_MAX)])
    url = StringField(_l("Link"), validators=[Optional(), Length(max=500)])
    file = FileField(_l("Or a file (PDF, PowerPoint, Word, Excel, JPEG, PNG; at most 5 MB)"))


class ActionRow(Form):
    class Meta:
        csrf = False

    text = StringField(_l("Action"), validators=[Length(max=ACTION_MAX)])
    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    due_on = DateField(_l("Due"), validators=[Optional()])


class NoteTexts(Form):
    """What a mentor writes in a note: the same fields when writing it and when correcting it."""

    went_well = TextAreaField(
        _l("What went well"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 3}
    )
    to_improve = TextAreaField(
        _l("What to improve"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 3}
    )
    recommendations = TextAreaField(
        _l("Recommendations"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 3}
    )
    next_follow_up = DateField(_l("Next follow-up visit"), validators=[Optional()])


class NoteForm(NoteTexts):
    noted_on = DateField(_l("Date"), validators=[InputRequired()])
    items = CheckboxList(_l("Posts this note comments on"), coerce=int)
    actions = FieldList(FormField(ActionRow), min_entries=ACTION_ROWS, max_entries=12)
    creation_token = HiddenField()


class ActionStatusForm(Form):
    status = SelectField(
        _l("Status"), choices=[(k.value, v) for k, v in ACTION_STATUS_LABELS.items()]
    )
    reason = TextAreaField(
        _l("Reason (when not pursued)"), validators=[Length(max=2000)], render_kw={"rows": 2}
    )
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class CheckForm(Form):
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class NoteCorrectionForm(NoteTexts):
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class ActionCorrectionForm(Form):
    text = StringField(_l("Action"), validators=[InputRequired(), Length(max=ACTION_MAX)])
    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    due_on = DateField(_l("Due"), validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())
