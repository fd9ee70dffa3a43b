"""The request to amplify, and a unit's answer on one platform."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload
from wtforms import RadioField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from .. import clock
from ..accounts.models import UNIT_KIND_LABELS, Unit, UnitKind, User
from ..content.models import ContentItem
from ..content.platforms import URL_MAX, Platform
from ..content.workflow import Status
from ..extensions import db
from ..forms_i18n import (
    CheckboxList,
    DateField,
    Form,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    optional_int,
)
from ..i18n import lazy_phrase as _l
from ..parsing import MAX_ID
from ..socialaccounts.models import SocialAccount
from .elections import NAME_MAX
from .models import ACTION_LABELS, PERIOD_LABELS, AmplifyAction
from .services import (
    CAPTION_MAX,
    DEFAULT_HOURS,
    HASHTAGS_MAX,
    REASON_MAX,
    TITLE_MAX,
    RequestFields,
)


class RequestForm(Form):
    title = StringField(_l("What to amplify"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    source_item = SelectField(
        _l("A published post here"), coerce=optional_int, validate_choice=False
    )
    source_url = StringField(_l("Or a link (https://…)"), validators=[Length(max=URL_MAX)])
    action = SelectField(_l("What to do"), choices=[(a.value, v) for a, v in ACTION_LABELS.items()])
    platforms = CheckboxList(
        _l("On which platforms"), choices=[(p.value, p.label) for p in Platform]
    )
    deadline_day = DateField(_l("Deadline"), validators=[InputRequired()])
    deadline_time = TimeField(_l("at"), validators=[InputRequired()])
    target = RadioField(
        _l("Which units"),
        choices=[("all", _l("Every unit")), ("kind", _l("Units of one kind")),
                 ("chosen", _l("Units I choose"))],
        default="all",
    )  # fmt: skip
    kind = SelectField(_l("Kind"), choices=[(k.value, v) for k, v in UNIT_KIND_LABELS.items()])
    units = CheckboxList(_l("Units"), coerce=int, validate_choice=False)
    caption = TextAreaField(_l("Suggested caption"), validators=[Length(max=CAPTION_MAX)],
                            render_kw={"rows": 4})  # fmt: skip
    hashtags = StringField(_l("Hashtags"), validators=[Length(max=HASHTAGS_MAX)])
    creation_token = HiddenField()

    @classmethod
    def make(cls, zone: str, posted: bool) -> RequestForm:
        """The form with the region's recent published posts and active units as choices."""
        form = cls() if posted else cls(formdata=None)
        form.zone = zone
        form.items = {
            i.id: i
            for i in db.session.scalars(
                sa.select(ContentItem)
                .options(joinedload(ContentItem.unit))  # each choice names its unit
                .where(ContentItem.status == Status.TAYANG)
                .order_by(ContentItem.posted_at.desc().nulls_last(), ContentItem.id.desc())
                .limit(40)
            )
        }
        form.source_item.choices = [(None, "–")] + [
            (i.id, f"{i.title} ({i.unit.short_name})") for i in form.items.values()
        ]
        form.active_units = {
            u.id: u
            for u in db.session.scalars(
                sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
            )
        }
        form.units.choices = [(u.id, u.name) for u in form.active_units.values()]
        if not posted:
            later = clock.now().astimezone(ZoneInfo(zone)) + timedelta(hours=DEFAULT_HOURS)
            form.deadline_day.data, form.deadline_time.data = later.date(), later.time()
            form.deadline_time.data = form.deadline_time.data.replace(second=0, microsecond=0)
            form.creation_token.data = secrets.token_urlsafe(24)
            form.platforms.data = [Platform.INSTAGRAM.value]
        return form

    def fields(self) -> RequestFields:
        """What was asked; a post or a unit that is not a choice here answers 404."""
        item_id = self.source_item.data
        if item_id is not None and item_id not in self.items:
            abort(404)
        chosen = self.units.data or []
        if any(not isinstance(u, int) or u > MAX_ID or u not in self.active_units for u in chosen):
            abort(404)
        deadline = datetime.combine(self.deadline_day.data, self.deadline_time.data,
                                    ZoneInfo(self.zone))  # fmt: skip
        return RequestFields(
            title=self.title.data or "",
            action=AmplifyAction(self.action.data),
            platforms=[p for p in Platform if p.value in (self.platforms.data or [])],
            deadline_at=deadline,
            source_item=self.items.get(item_id) if item_id is not None else None,
            source_url=self.source_url.data or "",
            caption=self.caption.data or "",
            hashtags=self.hashtags.data or "",
            target_all=self.target.data == "all",
            target_kind=UnitKind(self.kind.data) if self.target.data == "kind" else None,
            target_units=[self.active_units[u] for u in chosen]
            if self.target.data == "chosen"
            else [],
            creation_token=self.creation_token.data or None,
        )


class AnswerForm(Form):
    platform = SelectField(_l("Platform"), choices=[(p.value, p.label) for p in Platform])
    done = RadioField(
        _l("Done?"), choices=[("yes", _l("Done")), ("no", _l("Not done"))], default="yes"
    )
    link = StringField(_l("Link of your post"), validators=[Optional(), Length(max=URL_MAX)])
    reason = StringField(_l("Why not"), validators=[Optional(), Length(max=REASON_MAX)])


class PeriodForm(Form):
    name = StringField(_l("Name (e.g. Pilkada 2029: campaign)"),
                       validators=[DataRequired(), Length(max=NAME_MAX)])  # fmt: skip
    kind = SelectField(_l("Kind"), choices=[(k.value, v) for k, v in PERIOD_LABELS.items()])
    starts_on = DateField(_l("From"), validators=[InputRequired()])
    ends_on = DateField(_l("Until"), validators=[InputRequired()])


class CandidateForm(Form):
    name = StringField(_l("Candidate's name"), validators=[DataRequired(), Length(max=NAME_MAX)])
    user = SelectField(_l("A person here"), coerce=optional_int, validate_choice=False)
    account = SelectField(_l("An official account"), coerce=optional_int, validate_choice=False)
    handles = StringField(_l("Other accounts (handles, comma-separated)"),
                          validators=[Length(max=300)])  # fmt: skip

    @classmethod
    def make(cls, posted: bool) -> CandidateForm:
        form = cls() if posted else cls(formdata=None)
        form.people = {u.id: u for u in db.session.scalars(
            sa.select(User).where(User.active.is_(True)).order_by(User.name))}  # fmt: skip
        form.accounts = {a.id: a for a in db.session.scalars(
            sa.select(SocialAccount).order_by(SocialAccount.handle_key))}  # fmt: skip
        form.user.choices = [(None, "–")] + [(u.id, u.name) for u in form.people.values()]
        form.account.choices = [(None, "–")] + [
            (a.id, f"{a.platform.label} @{a.handle}") for a in form.accounts.values()
        ]
        return form

    def chosen(self):
        """The person and account chosen; one that is not a choice answers 404."""
        user_id, account_id = self.user.data, self.account.data
        if (user_id is not None and user_id not in self.people) or (
            account_id is not None and account_id not in self.accounts
        ):
            abort(404)
        return self.people.get(user_id), self.accounts.get(account_id)
