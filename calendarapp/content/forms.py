from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from ..forms_i18n import DateField, Form, IntegerField, optional_int
from .models import FORMAT_LABELS, AssigneeRole
from .platforms import PLATFORM_LABELS
from .services import HASHTAGS_MAX, NOTE_MAX, TEXT_MAX, TITLE_MAX


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


# The form field that holds the members assigned in each role.
ASSIGNEE_FIELDS = {
    AssigneeRole.PENULIS: "writers",
    AssigneeRole.FOTOGRAFER: "photographers",
    AssigneeRole.VIDEOGRAFER: "videographers",
    AssigneeRole.DESAINER: "designers",
}


class ItemForm(Form):
    unit = SelectField(_l("Unit"), coerce=optional_int, validators=[Optional()])
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=TITLE_MAX)],
        render_kw={"maxlength": 200},
    )
    format = SelectField(
        _l("Format"), choices=[(k.value, v) for k, v in FORMAT_LABELS.items()], default="foto"
    )
    platforms = CheckboxList(
        _l("Platforms"), choices=[(k.value, v) for k, v in PLATFORM_LABELS.items()]
    )
    planned_date = DateField(_l("Publication date"), validators=[Optional()])
    planned_time = TimeField(_l("Time"), validators=[Optional()])
    draft_due = DateTimeLocalField(
        _l("Draft due"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    theme = SelectField(_l("Theme"), coerce=optional_int, validate_choice=True)
    brief = TextAreaField(
        _l("Brief (angle, 5W1H)"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 3}
    )
    caption = TextAreaField(
        _l("Caption draft"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 5}
    )
    hashtags = StringField(_l("Hashtags"), validators=[Length(max=HASHTAGS_MAX)])
    narasi_tunggal = BooleanField(_l("Carries the central government narrative (narasi tunggal)"))
    reviewer = SelectField(_l("Reviewer"), coerce=optional_int)
    writers = CheckboxList(_l("Writers"), coerce=int)
    photographers = CheckboxList(_l("Photographers"), coerce=int)
    videographers = CheckboxList(_l("Videographers"), coerce=int)
    designers = CheckboxList(_l("Designers"), coerce=int)
    version = HiddenField()
    creation_token = HiddenField()


class TransitionForm(Form):
    target = HiddenField(validators=[DataRequired()])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())
    note = TextAreaField(_l("Note"), validators=[Length(max=NOTE_MAX)], render_kw={"rows": 2})
    link_instagram = URLField("Instagram", validators=[Optional(), Length(max=500)])
    link_facebook = URLField("Facebook", validators=[Optional(), Length(max=500)])
    link_tiktok = URLField("TikTok", validators=[Optional(), Length(max=500)])
    link_youtube = URLField("YouTube", validators=[Optional(), Length(max=500)])
    link_x = URLField("X", validators=[Optional(), Length(max=500)])
    link_website = URLField(_l("Website"), validators=[Optional(), Length(max=500)])


class CommentForm(Form):
    body = TextAreaField(
        _l("Comment"), validators=[DataRequired(), Length(max=NOTE_MAX)], render_kw={"rows": 2}
    )


class TickForm(Form):
    entry = IntegerField(validators=[InputRequired()])
    checked = BooleanField()


class MoveForm(Form):
    date = DateField(_l("New date"), validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class ChecklistEntryForm(Form):
    text = StringField(_l("Check"), validators=[DataRequired(), Length(max=200)])
    required = BooleanField(_l("Required before approval"))
    is_story = BooleanField(_l("The story check: counted by Monitoring for posts with a story"))
    position = IntegerField(_l("Order"), default=0, validators=[Optional()])
