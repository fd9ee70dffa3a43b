from __future__ import annotations

import json
import secrets

import sqlalchemy as sa
from flask import abort
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

from ..accounts.models import Unit, User
from ..content.forms import CheckboxList
from ..extensions import db
from ..forms_i18n import DateField, Form, IntegerField, optional_int
from ..timeutil import ZONE_LABELS
from .models import (
    DELIVERABLE_LABELS,
    LEADER_LABELS,
    VISIBILITY_LABELS,
    AgendaEvent,
    Leader,
    Visibility,
)
from .services import NOTE_MAX, PLACE_MAX, TEXT_MAX, TITLE_MAX, EventFields

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

    @classmethod
    def for_units(cls, units: list[Unit]) -> EventForm:
        """The form for events kept by these units, with every active person to invite."""
        form = cls()
        form.units = units
        form.unit.choices = [(u.id, u.short_name) for u in units]
        # picking another unit picks its time zone too, unless the person chose a zone themselves
        form.unit.render_kw = {
            "data-zones": json.dumps({str(u.id): u.timezone for u in units}),
            "data-zone-field": form.timezone.id,
        }
        form.people = {
            u.id: u
            for u in db.session.scalars(
                sa.select(User).where(User.active.is_(True)).order_by(User.name)
            )
        }
        form.invitees.choices = [(u.id, u.name) for u in form.people.values()]
        return form

    def start_new(self, unit: Unit, day) -> None:
        self.unit.data, self.timezone.data = unit.id, unit.timezone
        self.creation_token.data = secrets.token_urlsafe(24)
        self.day.data = day

    def keeper(self) -> Unit:
        """The unit picked to keep the event; another unit's id answers 404."""
        unit = next((u for u in self.units if u.id == self.unit.data), None)
        if self.unit.data is not None and unit is None:
            abort(404)
        return unit or self.units[0]

    def load(self, event: AgendaEvent) -> None:
        self.unit.data = event.unit_id
        self.leader.data = event.leader.value
        self.title.data, self.place.data = event.title, event.place
        self.day.data, self.timezone.data = event.day, event.timezone
        start, end = event.local_start(), event.local_end()
        self.start.data = start.time() if start else None
        self.end.data = end.time() if end else None
        self.visibility.data = event.visibility.value
        self.invitees.data = [u.id for u in event.invitees]
        self.notes.data = event.notes
        self.version.data = str(event.version)

    def fields(self) -> EventFields:
        return EventFields(
            leader=Leader(self.leader.data),
            title=self.title.data or "",
            day=self.day.data,
            timezone=self.timezone.data,
            place=self.place.data or "",
            start=self.start.data,
            end=self.end.data,
            visibility=Visibility(self.visibility.data),
            notes=self.notes.data or "",
            invitees=[self.people[i] for i in self.invitees.data or [] if i in self.people],
        )


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
