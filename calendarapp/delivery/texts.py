"""What a notice says outside the app (a phone's lock screen, an e-mail, the region's gateway):
what happened and where, with the page to open — never a draft's caption or a note's text, which
may not be for every eye near a phone. Called inside a request context in the person's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from ..i18n import phrase as _
from ..notifications.models import Notification
from ..notifications.models import NotificationKind as K


@dataclass(frozen=True)
class Notice:
    title: str  # what happened
    body: str  # about what, where
    path: str  # the page to open, on this site

    def as_dict(self) -> dict:
        return {"title": self.title, "body": self.body, "path": self.path}


ITEM_TITLES = {
    K.ASSIGNED: lambda who: _("%(who)s assigned you to a post", who=who),
    K.REVIEW_REQUESTED: lambda who: _("%(who)s asks for your review", who=who),
    K.REVISION_REQUESTED: lambda who: _("%(who)s asks for a revision", who=who),
    K.APPROVED: lambda who: _("%(who)s approved a post", who=who),
    K.COMMENT: lambda who: _("%(who)s commented on a post", who=who),
    K.MEMBER_LEFT: lambda who: _("Someone left the unit: give their part to someone else"),
    K.REVIEW_WAITING: lambda who: _("A post has waited a day for your review"),
    K.REVIEW_STUCK: lambda who: _("A post has waited two days for its review"),
    K.REVIEW_OVERDUE: lambda who: _("A post's planned time passed while it was in review"),
    K.HEAD_DECIDED: lambda who: _("The unit's head decided on a post"),
    K.HEAD_WAITING: lambda who: _("The head has not decided for a day: send a fresh link"),
}
COVERAGE_TITLES = {
    K.COVERAGE_REQUESTED: lambda who: _("%(who)s asks you to cover an event", who=who),
    K.COVERAGE_ACCEPTED: lambda who: _("%(who)s accepted to cover", who=who),
    K.COVERAGE_DECLINED: lambda who: _("%(who)s declined to cover", who=who),
    K.COVERAGE_DELIVERED: lambda who: _("%(who)s delivered a coverage", who=who),
    K.COVERAGE_RETURNED: lambda who: _("%(who)s asks for more on your coverage", who=who),
    K.COVERAGE_DONE: lambda who: _("%(who)s marked your coverage as done", who=who),
    K.COVERAGE_DUE_SOON: lambda who: _("Your coverage is due within a day"),
    K.COVERAGE_OVERDUE: lambda who: _("Your coverage is overdue"),
    K.COVERAGE_CANCELLED: lambda who: _("%(who)s cancelled a coverage request", who=who),
}


def notice(n: Notification) -> Notice:
    """The notice's words and page, in the current language."""
    who = n.actor.name if n.actor else _("Someone")
    if n.item is not None:
        title = ITEM_TITLES.get(n.kind, ITEM_TITLES[K.COMMENT])(who)
        if n.kind == K.HEAD_DECIDED and n.detail:
            title = _("The unit's head: %(decision)s", decision=n.detail)
        where = f"{n.item.title} · {n.item.unit.short_name}"
        return Notice(title, where, url_for("content.detail", item_id=n.item_id))
    if n.coverage_request is not None:
        request = n.coverage_request
        title = COVERAGE_TITLES.get(n.kind, COVERAGE_TITLES[K.COVERAGE_CANCELLED])(who)
        return Notice(
            title, request.event.title, url_for("coverage.event", event_id=request.event_id)
        )
    if n.amplification is not None:
        title = {
            K.AMPLIFY_DUE_SOON: _("Still owing, the deadline is near: amplify"),
            K.AMPLIFY_PAUSED: _("Paused for the election period, do not amplify:"),
        }.get(n.kind) or _("%(who)s asks your unit to amplify", who=who)
        path = url_for("amplification.detail", amplification_id=n.amplification_id)
        return Notice(title, n.amplification.title, path)
    if n.note is not None:
        return Notice(
            _("%(who)s wrote a mentoring note for %(unit)s", who=who, unit=n.note.unit.short_name),
            n.note.unit.name,
            url_for("mentoring.unit_mentoring", unit_id=n.note.unit_id) + f"#note-{n.note_id}",
        )
    if n.action is not None:
        action = n.action
        title = {
            K.RTL_ASSIGNED: _("%(who)s gave you a follow-up action", who=who),
            K.RTL_OVERDUE: _("A follow-up action is overdue"),
        }.get(n.kind, _("%(who)s finished a follow-up action", who=who))
        path = url_for("mentoring.unit_mentoring", unit_id=action.note.unit_id)
        return Notice(title, action.note.unit.name, f"{path}#action-{action.id}")
    if n.kind == K.FOLLOWERS_DUE and n.unit is not None:
        return Notice(
            _("Month's end: record your accounts' followers"),
            n.unit.name,
            url_for("socialaccounts.unit_accounts", unit_id=n.unit_id),
        )
    if n.unit is not None:
        return Notice(
            _("Monitoring this week for %(unit)s", unit=n.unit.short_name),
            n.unit.name,
            url_for("monitoring.unit", unit_id=n.unit_id),
        )
    return Notice(
        _("Monitoring this week"), _("The region's flags"), url_for("monitoring.scorecard", weeks=1)
    )
