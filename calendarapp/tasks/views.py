from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user, login_required

from .. import clock
from ..coverage import services as coverage
from ..extensions import db
from ..forms_i18n import Form
from ..mentoring import follow_through
from ..monitoring.digest import decode
from ..monitoring.report import FLAG_LABELS
from ..web import render
from . import services

bp = Blueprint("tasks", __name__)


@bp.get("/tasks")
@login_required
def my_work():
    return render(
        "tasks/tasks.html",
        "tasks/_tasks.html",
        tasks=services.my_tasks(current_user),
        coverage=coverage.my_requests(current_user),
        actions=follow_through.my_actions(current_user),
        now=clock.now(),
    )


@bp.get("/notifications")
@login_required
def notifications():
    return render(
        "tasks/notifications.html",
        "tasks/_notifications.html",
        notifications=services.notifications(current_user),
        form=Form(),
        digest_flags=decode,
        flag_labels=FLAG_LABELS,
    )


@bp.get("/notifications/badge")
@login_required
def badge():
    return render(
        "tasks/_badge.html", "tasks/_badge.html", unread=services.unread_count(current_user)
    )


@bp.post("/notifications/read")
@login_required
def mark_read():
    if not Form().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for(".notifications"), code=303)
