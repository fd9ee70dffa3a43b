from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from .. import clock
from ..accounts.permissions import admin_unit_ids
from ..coverage import reads as coverage
from ..mentoring import follow_through
from ..socialaccounts import services as social
from ..web import render
from . import services

bp = Blueprint("tasks", __name__)


@bp.get("/tasks")
@login_required
def my_work() -> ResponseReturnValue:
    return render(
        "tasks/tasks.html",
        "tasks/_tasks.html",
        tasks=services.my_tasks(current_user),
        coverage=coverage.my_requests(current_user),
        actions=follow_through.my_actions(current_user),
        handovers=social.open_handovers(admin_unit_ids(current_user)),
        now=clock.now(),
    )
