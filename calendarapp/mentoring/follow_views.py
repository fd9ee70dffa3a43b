"""A mentor corrects a note or an RTL after saving; the change is kept in the note's history."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..accounts.permissions import requires, runs_trainings
from ..content.services import members_of
from ..extensions import db
from ..web import form_error, id_or_404, render
from . import follow_through
from .forms import ActionCorrectionForm, NoteCorrectionForm
from .models import ActionItem, MentoringNote
from .services import MentoringError, StaleChange

bp = Blueprint("mentoring_fix", __name__)


def _back(note: MentoringNote, anchor: str):
    return redirect(url_for("mentoring.unit_mentoring", unit_id=note.unit_id) + anchor, code=303)


@bp.route("/mentoring/notes/<int:note_id>/edit", methods=["GET", "POST"])
@requires(runs_trainings)
def edit_note(note_id: int):
    note = db.session.get(MentoringNote, id_or_404(note_id)) or abort(404)
    form = NoteCorrectionForm(obj=note)
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 422
        else:
            try:
                follow_through.correct_note(
                    note,
                    current_user,
                    form.version.data,
                    went_well=form.went_well.data or "",
                    to_improve=form.to_improve.data or "",
                    recommendations=form.recommendations.data or "",
                    next_follow_up=form.next_follow_up.data,
                )
            except MentoringError as error:
                db.session.rollback()
                status = 409 if isinstance(error, StaleChange) else 422
                form_error(form, error)
            else:
                db.session.commit()
                return _back(note, f"#note-{note.id}")
    if status == 409:  # show what is saved now beside what was typed
        db.session.refresh(note)
        form.version.data = note.version
    return render(
        "mentoring/note_edit.html", "mentoring/_note_edit.html", status, note=note, form=form
    )


@bp.route("/mentoring/actions/<int:action_id>/edit", methods=["GET", "POST"])
@requires(runs_trainings)
def edit_action(action_id: int):
    action = db.session.get(
        ActionItem, id_or_404(action_id), options=[joinedload(ActionItem.note)]
    ) or abort(404)
    members = {m.user.id: m.user for m in members_of(action.note.unit)}
    form = ActionCorrectionForm(obj=action, owner=action.owner_id)
    form.owner.choices = [(uid, user.name) for uid, user in members.items()]
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 422
        elif form.owner.data not in members:
            status = 422
            form.owner.errors = [_("Choose a member of the unit.")]
        else:
            try:
                follow_through.correct_action(
                    action,
                    current_user,
                    form.version.data,
                    text=form.text.data,
                    owner=members[form.owner.data],
                    due_on=form.due_on.data,
                )
            except MentoringError as error:
                db.session.rollback()
                status = 409 if isinstance(error, StaleChange) else 422
                form_error(form, error)
            else:
                db.session.commit()
                return _back(action.note, f"#action-{action.id}")
    if status == 409:
        db.session.refresh(action)
        form.version.data = action.version
    return render(
        "mentoring/action_edit.html",
        "mentoring/_action_edit.html",
        status,
        action=action,
        form=form,
    )
