"""The region's quality checklist, edited by the coordinators (Diskominfo)."""

from flask import Blueprint, abort, redirect, url_for
from flask.typing import ResponseReturnValue

from ..accounts.permissions import coordinator_required
from ..extensions import db
from ..web import attempt, render
from . import checklist
from .forms import ChecklistEntryForm
from .models import ChecklistEntry

bp = Blueprint("checklist", __name__, url_prefix="/settings/checklist")


def _page(form: ChecklistEntryForm | None = None, status: int = 200, editing: int | None = None):
    entries = db.session.scalars(
        db.select(ChecklistEntry).order_by(
            ChecklistEntry.active.desc(), ChecklistEntry.position, ChecklistEntry.id
        )
    ).all()
    return render(
        "content/checklist.html",
        "content/_checklist.html",
        status,
        entries=entries,
        form=form or ChecklistEntryForm(formdata=None, position=len(entries)),
        editing=editing,
        entry_form=lambda e: ChecklistEntryForm(
            formdata=None,
            text=e.text,
            required=e.required,
            position=e.position,
            is_story=e.is_story,
        ),
    )


@bp.get("")
@coordinator_required
def index() -> ResponseReturnValue:
    return _page()


@bp.post("")
@coordinator_required
def create() -> ResponseReturnValue:
    form = ChecklistEntryForm()
    if not form.validate():
        return _page(form, 422)
    _done, refused = attempt(
        checklist.save_checklist_entry,
        None,
        form.text.data,
        form.required.data,
        form.position.data or 0,
        form.is_story.data,
    )
    if refused is not None:
        form.text.errors = [str(refused.message)]
        return _page(form, 422)
    return redirect(url_for(".index"), code=303)


@bp.post("/<int:entry_id>")
@coordinator_required
def update(entry_id: int) -> ResponseReturnValue:
    entry = db.session.get(ChecklistEntry, entry_id) if entry_id < 2**31 else None
    if entry is None:
        abort(404)
    form = ChecklistEntryForm()
    if not form.validate():
        return _page(status=422, editing=entry.id)
    checklist.save_checklist_entry(
        entry, form.text.data, form.required.data, form.position.data or 0, form.is_story.data
    )
    db.session.commit()
    return redirect(url_for(".index"), code=303)


@bp.post("/<int:entry_id>/active")
@coordinator_required
def toggle(entry_id: int) -> ResponseReturnValue:
    """Retire a check (or bring it back); ticks already given stay in the items' history."""
    entry = db.session.get(ChecklistEntry, entry_id) if entry_id < 2**31 else None
    if entry is None:
        abort(404)
    entry.active = not entry.active
    db.session.commit()
    return redirect(url_for(".index"), code=303)
