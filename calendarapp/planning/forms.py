from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..accounts.models import Membership, Unit, User
from ..content.models import ASSIGNEE_ROLE_LABELS, FORMAT_LABELS, AssigneeRole, ContentFormat, Theme
from ..content.platforms import PLATFORM_LABELS, Platform
from ..extensions import db
from ..forms_i18n import (
    CheckboxList,
    DateField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    optional_int,
)
from ..i18n import lazy_phrase as _l
from ..i18n import phrase as _
from .bulk import MAX_BYTES
from .models import FREQUENCY_LABELS, WEEKDAYS, Frequency, Slot
from .services import HASHTAGS_MAX, NAME_MAX, TEXT_MAX
from .slots import TITLE_MAX, SlotFields

DAY_NAMES = {
    "MO": _l("Monday"),
    "TU": _l("Tuesday"),
    "WE": _l("Wednesday"),
    "TH": _l("Thursday"),
    "FR": _l("Friday"),
    "SA": _l("Saturday"),
    "SU": _l("Sunday"),
}


class ThemeForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    color = StringField(
        _l("Colour"),
        default="#2563eb",
        validators=[DataRequired(), Length(max=7)],
        render_kw={"type": "color"},
    )
    description = TextAreaField(
        _l("Description / brief"), validators=[Length(max=TEXT_MAX)], render_kw={"rows": 3}
    )
    hashtags = StringField(_l("Official hashtags"), validators=[Length(max=HASHTAGS_MAX)])
    starts_on = DateField(_l("From"), validators=[Optional()])
    ends_on = DateField(_l("Until"), validators=[Optional()])
    intended_share = IntegerField(
        _l("Intended share of posts (%)"), validators=[Optional(), NumberRange(min=0, max=100)]
    )


class SlotForm(Form):
    title = StringField(_l("Title (empty: the pillar's name)"), validators=[Length(max=TITLE_MAX)])
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

    @classmethod
    def for_unit(cls, unit: Unit) -> SlotForm:
        """The form with the unit's pillars and active members as its choices."""
        form = cls()
        form.pillars = {
            p.id: p
            for p in db.session.scalars(
                sa.select(Theme)
                .where(Theme.unit_id == unit.id, Theme.archived.is_(False))
                .order_by(Theme.name)
            )
        }
        form.members = {
            u.id: u
            for u in db.session.scalars(
                sa.select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.unit_id == unit.id, User.active.is_(True))
                .order_by(sa.func.lower(User.name))
            )
        }
        form.pillar.choices = [(None, "–")] + [(p.id, p.name) for p in form.pillars.values()]
        form.assignee.choices = [(None, "–")] + [(u.id, u.name) for u in form.members.values()]
        form.weekdays.choices = [(d, DAY_NAMES[d]) for d in WEEKDAYS]
        return form

    def check(self) -> bool:
        """Valid, with the unit's own pillar (another unit's: 404) and one of its members."""
        if self.pillar.data is not None and self.pillar.data not in self.pillars:
            abort(404)
        valid = self.validate()
        if self.assignee.data is not None and self.assignee.data not in self.members:
            self.assignee.errors = [_("Only members of this unit can be assigned.")]
            return False
        return valid

    def fields(self) -> SlotFields:
        return SlotFields(
            title=self.title.data or "",
            format=ContentFormat(self.format.data),
            weekdays=self.weekdays.data or [],
            frequency=Frequency(self.frequency.data),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            at=self.at.data,
            pillar=self.pillars.get(self.pillar.data),
            platforms=[Platform(p) for p in self.platforms.data or []],
            assignee=self.members.get(self.assignee.data),
            assignee_role=AssigneeRole(self.assignee_role.data)
            if self.assignee_role.data
            else None,
        )


class SlotEditForm(SlotForm):
    version = HiddenField()

    def load(self, slot: Slot) -> None:
        """What the slot holds now, to edit (its pillar and person only while still offered)."""
        self.title.data, self.format.data = slot.title, slot.format.value
        self.pillar.data = slot.pillar_id if slot.pillar_id in self.pillars else None
        self.weekdays.data, self.frequency.data = slot.days, slot.frequency.value
        self.at.data, self.starts_on.data, self.ends_on.data = slot.at, slot.starts_on, slot.ends_on
        self.platforms.data = [p for p in slot.platforms.split(",") if p]
        self.assignee.data = slot.assignee_id if slot.assignee_id in self.members else None
        self.assignee_role.data = slot.assignee_role.value if slot.assignee_role else ""
        self.version.data = str(slot.version)


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

    def upload(self) -> tuple[bytes, str]:
        """The file's bytes (one more than allowed at most: the importer says so) and name."""
        return self.file.data.read(MAX_BYTES + 1), self.file.data.filename or ""
