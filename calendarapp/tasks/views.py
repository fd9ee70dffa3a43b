from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from .. import clock
from ..accounts.permissions import admin_unit_ids
from ..amplification import services as amplification
from ..coverage import reads as coverage
from ..kept import KEEP_UNTIL, kept_view
from ..mentoring import follow_through
from ..socialaccounts import services as social
from . import services

bp = Blueprint("tasks", __name__)


@bp.get("/tasks")
@login_required
def my_work() -> ResponseReturnValue:
    return kept_view("tasks/tasks.html", "tasks/_tasks.html", _my_work)


def _my_work() -> dict:
    """Kept between looks like the calendar's grids (calendarapp/kept.py), until a task or a
    request turns due or overdue; days turn with the quarter hour."""
    now = clock.now()
    tasks = services.my_tasks(current_user)
    requests = coverage.my_requests(current_user)
    owed = amplification.owed_by(current_user, now)
    turns = [moment for r in requests if (moment := r.due_at) > now]
    turns += [s.target.request.deadline_at for s in owed if s.target.request.deadline_at > now]
    if (task_turn := tasks.next_move(now)) is not None:
        turns.append(task_turn)
    return {
        "tasks": tasks,
        "coverage": requests,
        "amplifications": owed,
        "actions": follow_through.my_actions(current_user),
        "handovers": social.open_handovers(admin_unit_ids(current_user)),
        "now": now,
        KEEP_UNTIL: min(turns, default=None),
    }
