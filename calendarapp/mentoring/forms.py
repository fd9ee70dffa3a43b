from __future__ import annotations

import secrets
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_wtf.file import FileField
from wtforms import FieldList, FormField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..accounts.models import Membership, Unit, User
from ..content.models import ContentItem
from ..content.services import members_of
from ..content.workflow import Status
from ..coverage.forms import ZONE_CHOICES
from ..extensions import db
from ..forms_i18n import (
    CheckboxList,
    DateField,
    Form,
    HiddenField,
    HiddenInput,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    optional_int,
)
from ..i18n import lazy_phrase as _l
from ..i18n import phrase as _
from ..parsing import MAX_ID, digits
from ..performance.services import described_by_item
from .models import ACTION_STATUS_LABELS, TRAINING_KIND_LABELS, ActionItem, Training, TrainingKind
from .services import (
    ACTION_MAX,
    FILE_MAX,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    ActionFields,
    NoteFields,
    TrainingFields,
)

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

    @classmethod
    def with_choices(cls) -> TrainingForm:
        """The form with every active unit and person as its choices."""
        form = cls()
        form.units_by_id = {
            u.id: u
            for u in db.session.scalars(
                sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
            )
        }
        form.people_by_id = {
            u.id: u
            for u in db.session.scalars(
                sa.select(User).where(User.active.is_(True)).order_by(User.name)
            )
        }
        units = form.units_by_id.values()
        form.units.choices = [(u.id, u.short_name) for u in units]
        form.organiser.choices = [(None, "–")] + [(u.id, u.short_name) for u in units]
        form.participants.choices = [(u.id, u.name) for u in form.people_by_id.values()]
        return form

    def start_new(self, zone: str) -> None:
        self.creation_token.data = secrets.token_urlsafe(24)
        self.timezone.data = zone

    def check(self) -> bool:
        """Valid; an unknown unit or person id in the form is not a choice: 404, nothing saved."""
        for raw, known in (
            (self.units.raw_data, self.units_by_id),
            (self.participants.raw_data, self.people_by_id),
        ):
            if any(not digits(str(i)) or int(i) not in known for i in raw or []):
                abort(404)
        return self.validate()

    def load(self, training: Training) -> None:
        self.kind.data = training.kind.value
        self.title.data, self.place.data = training.title, training.place
        self.day.data = training.day
        self.start.data = training.local_start().time()
        self.end.data = training.local_end().time()
        self.timezone.data = training.timezone
        self.organiser.data = training.organiser_id
        self.units.data = [u.id for u in training.units]
        self.participants.data = [u.id for u in training.participants]
        self.summary.data = training.summary
        for row, speaker in zip(self.speakers, training.speakers, strict=False):
            row.form.name.data = speaker.name
            row.form.affiliation.data = speaker.affiliation
            row.form.topic.data = speaker.topic
        for speaker in training.speakers[len(self.speakers) :]:
            self.speakers.append_entry(
                {"name": speaker.name, "affiliation": speaker.affiliation, "topic": speaker.topic}
            )
        self.version.data = str(training.version)

    def fields(self) -> TrainingFields:
        units, people = self.units_by_id, self.people_by_id
        return TrainingFields(
            kind=TrainingKind(self.kind.data),
            title=self.title.data or "",
            day=self.day.data,
            start=self.start.data,
            end=self.end.data,
            timezone=self.timezone.data,
            place=self.place.data or "",
            organiser=units.get(self.organiser.data),
            summary=self.summary.data or "",
            units=[units[i] for i in self.units.data or [] if i in units],
            participants=[people[i] for i in self.participants.data or [] if i in people],
            speakers=[
                (r.form.name.data or "", r.form.affiliation.data or "", r.form.topic.data or "")
                for r in self.speakers
            ],
        )


class MaterialForm(Form):
    title = StringField(_l("Title"), validators=[Length(max=TITLE_MAX)])
    url = StringField(_l("Link"), validators=[Optional(), Length(max=500)])
    file = FileField(
        _l(
            "Or a file (PDF, PowerPoint, Word, Excel, JPEG, PNG; at most %(mb)d MB)",
            mb=FILE_MAX // 2**20,
        )
    )


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

    @classmethod
    def for_unit(cls, unit: Unit, training: Training | None) -> NoteForm:
        """The form with the unit's active members as owners and its latest posts as choices."""
        form = cls()
        form.unit, form.training = unit, training
        form.members = {
            u.id: u
            for u in db.session.scalars(
                sa.select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.unit_id == unit.id, User.active.is_(True))
                .order_by(User.name)
            )
        }
        for row in form.actions:
            row.form.owner.choices = [(None, "–")] + [(u.id, u.name) for u in form.members.values()]
        form.recent = {
            i.id: i
            for i in db.session.scalars(
                sa.select(ContentItem)
                .where(ContentItem.unit_id == unit.id, ContentItem.status == Status.TAYANG)
                .order_by(ContentItem.posted_at.desc().nulls_last(), ContentItem.id.desc())
                .limit(30)
            )
        }
        figures = described_by_item(list(form.recent))
        form.items.choices = [
            (i.id, f"{i.title} ({figures[i.id]})" if i.id in figures else i.title)
            for i in form.recent.values()
        ]
        return form

    def start_new(self, today: date) -> None:
        self.creation_token.data = secrets.token_urlsafe(24)
        self.noted_on.data = max(self.training.day, today) if self.training else today

    def check(self) -> bool:
        """Valid; a post of another unit, or one not offered, is not a choice: 404."""
        offered = {str(k) for k in self.recent}
        if any(str(i) not in offered for i in self.items.raw_data or []):
            abort(404)
        return self.validate()

    def fields(self) -> NoteFields:
        return NoteFields(
            unit=self.unit,
            training=self.training,
            noted_on=self.noted_on.data,
            went_well=self.went_well.data or "",
            to_improve=self.to_improve.data or "",
            recommendations=self.recommendations.data or "",
            next_follow_up=self.next_follow_up.data,
            items=[self.recent[i] for i in self.items.data or []],
            actions=[
                ActionFields(
                    text=row.form.text.data or "",
                    owner=self._person(row.form.owner.data),
                    due_on=row.form.due_on.data,
                )
                for row in self.actions
            ],
        )

    def _person(self, user_id: int | None) -> User | None:
        """The chosen owner; someone outside the unit is loaded too, so the service can say why."""
        if user_id is None or user_id > MAX_ID:
            return None
        return self.members.get(user_id) or db.session.get(User, user_id)


REASON_MAX = 2000  # why an RTL is not pursued


class ActionStatusForm(Form):
    status = SelectField(
        _l("Status"), choices=[(k.value, v) for k, v in ACTION_STATUS_LABELS.items()]
    )
    reason = TextAreaField(
        _l("Reason (when not pursued)"),
        validators=[Length(max=REASON_MAX)],
        render_kw={"rows": 2},
    )
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class CheckForm(Form):
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class NoteCorrectionForm(NoteTexts):
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())

    def texts(self) -> dict:
        return {
            "went_well": self.went_well.data or "",
            "to_improve": self.to_improve.data or "",
            "recommendations": self.recommendations.data or "",
            "next_follow_up": self.next_follow_up.data,
        }


class ActionCorrectionForm(Form):
    text = StringField(_l("Action"), validators=[InputRequired(), Length(max=ACTION_MAX)])
    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False)
    due_on = DateField(_l("Due"), validators=[InputRequired()])
    version = IntegerField(validators=[InputRequired()], widget=HiddenInput())

    @classmethod
    def of_action(cls, action: ActionItem) -> ActionCorrectionForm:
        """The RTL as it is, with the members of its unit as owners."""
        form = cls(obj=action, owner=action.owner_id)
        form.members = {m.user.id: m.user for m in members_of(action.note.unit)}
        form.owner.choices = [(uid, user.name) for uid, user in form.members.items()]
        return form

    def check(self) -> bool:
        valid = self.validate()
        if valid and self.owner.data not in self.members:
            self.owner.errors = [_("Choose a member of the unit.")]
            return False
        return valid

    def changes(self) -> dict:
        return {
            "text": self.text.data,
            "owner": self.members[self.owner.data],
            "due_on": self.due_on.data,
        }
