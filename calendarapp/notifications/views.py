"""The bell: a person's notifications, the unread count in the header, marking them read."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..extensions import db
from ..forms_i18n import Form
from ..web import render
from . import services

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index() -> ResponseReturnValue:
    return render(
        "notifications/notifications.html",
        "notifications/_notifications.html",
        notifications=services.notifications(current_user),
        form=Form(),
    )


@bp.get("/notifications/badge")
@login_required
def badge() -> ResponseReturnValue:
    return render(
        "notifications/_badge.html",
        "notifications/_badge.html",
        unread=services.unread_count(current_user),
    )


@bp.post("/notifications/read")
@login_required
def mark_read() -> ResponseReturnValue:
    if not Form().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for(".index"), code=303)
