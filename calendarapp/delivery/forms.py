"""A person's notification settings: each kind × phone / e-mail, quiet hours, shortcuts."""

from __future__ import annotations

from datetime import time

from wtforms.validators import Optional

from ..forms_i18n import BooleanField, Form, SelectField, TimeField
from ..i18n import lazy_phrase as _l
from ..notifications.models import NotificationKind as K
from ..timeutil import ZONE_LABELS
from . import choices

ZONE_CHOICES = [(zone, f"{label} ({zone})") for zone, label in ZONE_LABELS.items()]
# What each kind of notice is called on the settings page, in the order it is shown.
KIND_LABELS = {
    K.ASSIGNED: _l("You are assigned to a post"),
    K.REVIEW_REQUESTED: _l("A post waits for your review"),
    K.REVIEW_WAITING: _l("A post has waited a day for your review"),
    K.REVIEW_STUCK: _l("A post of your unit has waited two days for its review"),
    K.REVIEW_OVERDUE: _l("A post's planned time passed while in review"),
    K.REVISION_REQUESTED: _l("A revision is asked of your post"),
    K.APPROVED: _l("Your post is approved"),
    K.HEAD_DECIDED: _l("The unit's head decided on a post"),
    K.HEAD_WAITING: _l("The head has not decided on your link for a day"),
    K.COMMENT: _l("A comment on your post"),
    K.MEMBER_LEFT: _l("Someone left your unit"),
    K.COVERAGE_REQUESTED: _l("You are asked to cover an event"),
    K.COVERAGE_ACCEPTED: _l("A coverage you asked for is accepted"),
    K.COVERAGE_DECLINED: _l("A coverage you asked for is declined"),
    K.COVERAGE_DELIVERED: _l("A coverage you asked for is delivered"),
    K.COVERAGE_RETURNED: _l("More is asked of your coverage"),
    K.COVERAGE_DONE: _l("Your coverage is done"),
    K.COVERAGE_DUE_SOON: _l("Your coverage is due within a day"),
    K.COVERAGE_OVERDUE: _l("Your coverage is overdue"),
    K.COVERAGE_CANCELLED: _l("A coverage request is cancelled"),
    K.AMPLIFY_REQUESTED: _l("Your unit is asked to amplify a key message"),
    K.AMPLIFY_DUE_SOON: _l("Your unit still owes an amplification, near its deadline"),
    K.AMPLIFY_PAUSED: _l("A request to amplify is paused for an election period"),
    K.MENTORING_NOTE: _l("A mentoring note for your unit"),
    K.RTL_ASSIGNED: _l("A follow-up action (RTL) is given to you"),
    K.RTL_OVERDUE: _l("A follow-up action is overdue"),
    K.RTL_FINISHED: _l("A follow-up action is finished"),
    K.MONITORING_DIGEST: _l("The weekly monitoring digest"),
    K.FOLLOWERS_DUE: _l("Month's end: record the followers"),
}


class SettingsForm(Form):
    """The kinds travel as checkboxes named push-<kind> and email-<kind> (read by `chosen`)."""

    quiet = BooleanField(_l("Quiet hours: notices that can wait are held until they end"))
    quiet_start = TimeField(_l("From"), validators=[Optional()], default=time(21, 0))
    quiet_end = TimeField(_l("Until"), validators=[Optional()], default=time(6, 0))
    timezone = SelectField(_l("Your time zone"), choices=ZONE_CHOICES, default="Asia/Jakarta")
    only_urgent = BooleanField(_l("Only urgent notices on my phone and by e-mail"))
    email_digest = BooleanField(_l("E-mail: one daily digest at 07.00 instead of single e-mails"))

    def fill(self, chosen: choices.Choices) -> None:
        self.quiet.data = chosen.quiet is not None
        if chosen.quiet is not None:
            self.quiet_start.data, self.quiet_end.data = chosen.quiet
        self.timezone.data = chosen.zone
        self.only_urgent.data = chosen.only_urgent
        self.email_digest.data = chosen.email_digest

    def validate(self, extra_validators=None) -> bool:
        """Quiet hours need both times, and two different ones (an end before the start runs
        past midnight)."""
        valid = super().validate(extra_validators)
        if not self.quiet.data or self.quiet_start.errors or self.quiet_end.errors:
            return valid
        problem = None
        if self.quiet_start.data is None or self.quiet_end.data is None:
            problem = _l("Give both times of the quiet hours.")
        elif self.quiet_start.data == self.quiet_end.data:
            problem = _l("Quiet hours start and end at different times.")
        if problem is not None:
            self.quiet_end.errors = [*self.quiet_end.errors, str(problem)]
            return False
        return valid


def chosen_kinds(form_data, channel: str) -> frozenset[K]:
    """The kinds ticked for a channel (unknown names are ignored)."""
    return frozenset(k for k in KIND_LABELS if form_data.get(f"{channel}-{k.value}") == "on")
