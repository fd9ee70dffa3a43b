"""A mentor corrects a note or an RTL after saving; the change is kept in the note's history."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..accounts.permissions import requires
from ..errors import Stale
from ..extensions import db
from ..web import id_or_404, render, save
from .follow_through import correct_action, correct_note
from .forms import ActionCorrectionForm, NoteCorrectionForm
from .models import ActionItem, MentoringNote
from .permissions import runs_trainings

bp = Blueprint("mentoring_corrections", __name__)


def _back(note: MentoringNote, anchor: str):
    return redirect(url_for("mentoring.unit_mentoring", unit_id=note.unit_id) + anchor, code=303)


@bp.route("/mentoring/notes/<int:note_id>/edit", methods=["GET", "POST"])
@requires(runs_trainings)
def edit_note(note_id: int) -> ResponseReturnValue:
    note = db.session.get(MentoringNote, id_or_404(note_id)) or abort(404)
    form = NoteCorrectionForm(obj=note)
    if (
        form.is_submitted()
        and form.validate()
        and save(form, correct_note, note, current_user, form.version.data, **form.texts())
    ):
        return _back(note, f"#note-{note.id}")
    if isinstance(form.refusal, Stale):  # show what is saved now beside what was typed
        form.version.data = note.version  # the rollback reloads the note as it is now
    page = "mentoring/note_edit.html", "mentoring/_note_edit.html"
    return render(*page, form.http_status, note=note, form=form)


@bp.route("/mentoring/actions/<int:action_id>/edit", methods=["GET", "POST"])
@requires(runs_trainings)
def edit_action(action_id: int) -> ResponseReturnValue:
    action = db.session.get(
        ActionItem, id_or_404(action_id), options=[joinedload(ActionItem.note)]
    ) or abort(404)
    form = ActionCorrectionForm.of_action(action)
    if (
        form.is_submitted()
        and form.check()
        and save(form, correct_action, action, current_user, form.version.data, **form.changes())
    ):
        return _back(action.note, f"#action-{action.id}")
    if isinstance(form.refusal, Stale):
        form.version.data = action.version
    return render(
        "mentoring/action_edit.html",
        "mentoring/_action_edit.html",
        form.http_status,
        action=action,
        form=form,
    )
