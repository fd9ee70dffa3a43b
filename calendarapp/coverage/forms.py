from __future__ import annotations

import json
import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, request
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..accounts.models import Unit, User
from ..extensions import db
from ..forms_i18n import (
    CheckboxList,
    DateField,
    DateTimeLocalField,
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
from ..timeutil import ZONE_LABELS, DateRange, local
from . import reads
from .models import (
    DELIVERABLE_LABELS,
    LEADER_LABELS,
    VISIBILITY_LABELS,
    AgendaEvent,
    Deliverable,
    Leader,
    Visibility,
)
from .services import (
    NOTE_MAX,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    EventFields,
    RequestFields,
    event_bounds,
)

ZONE_CHOICES = [(zone, f"{label} ({zone})") for zone, label in ZONE_LABELS.items()]


MAX_UPLOAD = 1_000_000  # an aide's calendar export


class KeptBy:
    """A form whose `unit` picks which of the person's agenda units keeps the events."""

    units: list[Unit]

    def keeper(self) -> Unit:
        """The unit picked; another unit's id answers 404."""
        unit = next((u for u in self.units if u.id == self.unit.data), None)
        if self.unit.data is not None and unit is None:
            abort(404)
        return unit or self.units[0]


class EventForm(KeptBy, Form):
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

    @classmethod
    def for_event(cls, event: AgendaEvent, targets: Targets, sent: bool = False) -> RequestForm:
        """A request for this event (one form per event card: its fields carry the event's id)."""
        form = cls(formdata=request.form if sent else None, prefix=f"e{event.id}")
        form.targets = targets
        form.target.choices = targets.choices
        if not sent:
            _start, end = event_bounds(event)
            due = local(end, event.timezone) + timedelta(hours=3 if event.starts_at else -3)
            form.due.data = due.replace(tzinfo=None, second=0, microsecond=0)
            form.creation_token.data = secrets.token_urlsafe(24)
        return form

    def check(self) -> bool:
        if not self.validate():
            return False
        if self.targets.parse(self.target.data) is None:
            self.target.errors = [*self.target.errors, _("Choose a unit or a person.")]
            return False
        return True

    def fields(self, event: AgendaEvent) -> RequestFields:
        unit, person = self.targets.parse(self.target.data)
        return RequestFields(
            deliverable=Deliverable(self.deliverable.data),
            unit=unit,
            assignee=person,
            due_at=self.due.data.replace(tzinfo=ZoneInfo(event.timezone)),
            instructions=self.instructions.data or "",
        )


class Targets:
    """Who can be asked: every active unit, or one of its active members, with this week's load."""

    def __init__(self, week: DateRange) -> None:
        units = list(
            db.session.scalars(
                sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.short_name)
            )
        )
        self.units = {u.id: u for u in units}
        pairs = reads.people_of(units)
        self.people = {(unit.id, user.id): user for unit, user in pairs}
        load = {m.user.id: m.load for m in reads.contributor_pool(week, roles=None)}
        self.choices = [("", _("Choose…"))]
        self.choices += [
            (f"u-{u.id}", _("%(unit)s (its admin picks someone)", unit=u.short_name)) for u in units
        ]
        self.choices += [
            (
                f"p-{unit.id}-{user.id}",
                _(
                    "%(name)s · %(unit)s · %(count)d this week",
                    name=user.name,
                    unit=unit.short_name,
                    count=load.get(user.id, 0),
                ),
            )
            for unit, user in pairs
        ]

    def parse(self, raw: str) -> tuple[Unit, User | None] | None:
        parts = (raw or "").split("-")
        try:
            numbers = [int(p) for p in parts[1:]]
        except ValueError:
            return None
        if parts[0] == "u" and len(numbers) == 1 and numbers[0] in self.units:
            return self.units[numbers[0]], None
        if parts[0] == "p" and len(numbers) == 2 and tuple(numbers) in self.people:
            return self.units[numbers[0]], self.people[tuple(numbers)]
        return None


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


class AgendaImportForm(KeptBy, Form):
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

    @classmethod
    def for_units(cls, units: list[Unit]) -> AgendaImportForm:
        form = cls()
        form.units = units
        form.unit.choices = [(u.id, u.short_name) for u in units]
        return form

    def choices(self) -> tuple[Leader, Visibility]:
        return Leader(self.leader.data), Visibility(self.visibility.data)

    def upload(self) -> bytes:
        """The file's bytes, one more than allowed at most (the importer says it is too large)."""
        return self.file.data.read(MAX_UPLOAD + 1)
