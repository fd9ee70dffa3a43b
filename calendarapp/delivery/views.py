"""A person's notification settings (`/account/notifications`): each kind × phone / e-mail,
quiet hours, shortcuts, their phones; and, for coordinators, who cannot be reached."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..accounts.permissions import is_coordinator
from ..extensions import db
from ..forms_i18n import Form
from ..i18n import phrase as _
from ..web import attempt, id_or_404, render, save
from . import outbox, push, services
from .forms import KIND_LABELS, SettingsForm, chosen_kinds
from .models import NoticeSettings

bp = Blueprint("delivery", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    kept = db.session.get(NoticeSettings, current_user.id)
    chosen = outbox.choices_of(current_user, kept)
    form = SettingsForm() if request.method == "POST" else SettingsForm(formdata=None)
    if request.method == "GET":
        form.fill(chosen)
    elif form.validate() and save(form, _save, form):
        flash(_("Your notification settings were saved."), "success")
        return redirect(url_for(".settings"), 303)
    else:
        chosen = _posted(form, chosen)
    return render(
        "delivery/settings.html",
        "delivery/_settings.html",
        form.http_status,
        **dict(form=form, chosen=chosen, kinds=KIND_LABELS, remove_form=Form()),
        **_channels(),
    )


def _posted(form: SettingsForm, before):
    """What the person ticked, to show again with the form's errors."""
    return before.__class__(
        push=chosen_kinds(request.form, "push"),
        email=chosen_kinds(request.form, "email"),
        quiet=before.quiet,
        zone=form.timezone.data or before.zone,
    )


def _channels() -> dict:
    return {
        "devices": services.devices_of(current_user),
        "failures": services.failures_of(current_user),
        "email_ready": outbox.email_ready(),
        "vapid_key": push.public_key(),
    }


def _save(form: SettingsForm):
    quiet = (form.quiet_start.data, form.quiet_end.data) if form.quiet.data else None
    return services.save_settings(
        current_user,
        chosen_kinds(request.form, "push"),
        chosen_kinds(request.form, "email"),
        quiet,
        form.timezone.data,
        bool(form.only_urgent.data),
        bool(form.email_digest.data),
    )


@bp.post("/account/notifications/devices")
@login_required
def add_device() -> ResponseReturnValue:
    """This browser's push subscription, as JSON (the CSRF token in X-CSRFToken)."""
    subscription = request.get_json(silent=True)
    label = services.device_label(request.headers.get("User-Agent", ""))
    device, refused = attempt(services.add_device, current_user, subscription, label)
    if refused is not None:
        return jsonify(error=str(refused.message)), 422
    return jsonify(id=device.id, message=_("Notifications are on for this device.")), 201


@bp.post("/account/notifications/devices/<int:device_id>/remove")
@login_required
def remove_device(device_id: int) -> ResponseReturnValue:
    if not Form().validate():
        abort(400)
    removed, _refused = attempt(services.remove_device, current_user, id_or_404(device_id))
    if not removed:
        abort(404)
    flash(_("The device no longer gets notifications."), "success")
    return redirect(url_for(".settings"), 303)


@bp.get("/account/notifications/reach")
@login_required
def reach() -> ResponseReturnValue:
    if not is_coordinator(current_user):
        abort(404)
    return render(
        "delivery/reach.html",
        "delivery/_reach.html",
        people=services.reach(outbox.email_ready()),
        email_ready=outbox.email_ready(),
    )
