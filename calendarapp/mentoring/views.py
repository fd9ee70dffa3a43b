"""Trainings, a unit's mentoring page, notes with RTL, and the coordinator's open-RTL list."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from .. import clock
from ..accounts.models import Unit
from ..extensions import db, htmx
from ..i18n import phrase as _
from ..parsing import ascii_int, digits
from ..performance.services import described_by_item
from ..timeutil import today
from ..web import attachment, attempt, fail, id_or_404, render, save, version_of
from . import follow_through, reads, services
from .follow_through import CHANGED_FIELDS
from .forms import (
    REASON_MAX,
    ActionStatusForm,
    CheckForm,
    MaterialForm,
    NoteForm,
    TrainingForm,
)
from .models import (
    ActionItem,
    ActionStatus,
    Material,
    MentoringNote,
    Training,
)
from .permissions import (
    can_read_mentoring,
    can_update_action,
    can_view_training,
    runs_trainings,
    trainings_one_may_see,
)
from .services import MentoringError

bp = Blueprint("mentoring", __name__)
WEEKS = (2, 4, 6, 8, 12)
DEFAULT_WEEKS = 6


def load_training(training_id: int) -> Training:
    training = db.session.scalar(
        reads.trainings_query()
        .where(Training.id == id_or_404(training_id))
        .options(
            selectinload(Training.speakers),
            selectinload(Training.materials),
            selectinload(Training.notes).selectinload(MentoringNote.actions),
        )
    )
    if training is None or not can_view_training(current_user, training):
        abort(404)
    return training


def _region_today() -> date:
    return today(current_app.config["REGION_TIMEZONE"])


# ---- trainings -------------------------------------------------------------------------------


@bp.get("/trainings")
@login_required
def trainings() -> ResponseReturnValue:
    query = reads.trainings_query().options(selectinload(Training.notes))
    may_see = trainings_one_may_see(current_user)  # exactly the rule (a test holds them equal)
    if may_see is not None:
        query = query.where(may_see)
    newest_first = query.order_by(Training.starts_at.desc(), Training.id.desc())
    visible = db.session.scalars(newest_first).all()
    now = clock.now()
    return render(
        "mentoring/trainings.html",
        "mentoring/_trainings.html",
        my_units=sorted(
            (m.unit for m in current_user.memberships if m.unit.active), key=lambda u: u.name
        ),
        upcoming=sorted((t for t in visible if t.ends_at >= now), key=lambda t: t.starts_at),
        past=[t for t in visible if t.ends_at < now],
        can_plan=runs_trainings(current_user),
    )


@bp.route("/trainings/new", methods=["GET", "POST"])
@login_required
def new_training() -> ResponseReturnValue:
    if not runs_trainings(current_user):
        abort(404)
    form = TrainingForm.with_choices()
    if request.method == "GET":
        form.start_new(current_app.config["REGION_TIMEZONE"])
    elif form.check() and (
        training := save(
            form,
            services.create_training,
            current_user,
            form.fields(),
            creation_token=form.creation_token.data or None,
        )
    ):
        return redirect(url_for(".training", training_id=training.id), code=303)
    return render(
        "mentoring/training_form.html", "mentoring/_training_form.html", form.http_status, form=form
    )


@bp.route("/trainings/<int:training_id>/edit", methods=["GET", "POST"])
@login_required
def edit_training(training_id: int) -> ResponseReturnValue:
    if not runs_trainings(current_user):
        abort(404)
    training = load_training(training_id)
    form = TrainingForm.with_choices()
    if request.method == "GET":
        form.load(training)
    else:
        version = version_of(form)
        if form.check() and save(
            form, services.update_training, training, current_user, version, form.fields()
        ):
            return redirect(url_for(".training", training_id=training_id), code=303)
    return render(
        "mentoring/training_form.html",
        "mentoring/_training_form.html",
        form.http_status,
        form=form,
        training=training,
    )


@bp.get("/trainings/<int:training_id>")
@login_required
def training(training_id: int) -> ResponseReturnValue:
    training = load_training(training_id)
    return _training_page(training)


def _training_page(training: Training, status: int = 200, material_form=None):
    return render(
        "mentoring/training.html",
        "mentoring/_training.html",
        status,
        training=training,
        units=reads.note_status(training),
        progress={p.unit.id: p for p in follow_through.training_progress(training)},
        can_plan=runs_trainings(current_user),
        can_read=lambda unit: can_read_mentoring(current_user, unit),
        material_form=material_form or MaterialForm(formdata=None),
    )


@bp.post("/trainings/<int:training_id>/materials")
@login_required
def add_material(training_id: int) -> ResponseReturnValue:
    if not runs_trainings(current_user):
        abort(404)
    training = load_training(training_id)
    form = MaterialForm()
    if save(form, _add_material, training, form):
        return redirect(url_for(".training", training_id=training_id) + "#materials", code=303)
    return _training_page(load_training(training_id), 422, material_form=form)


def _add_material(training: Training, form: MaterialForm) -> None:
    """A file, or else a link; a form with neither is refused by its link field."""
    upload = form.file.data
    if not form.validate():
        raise MentoringError(_("The form was incomplete."))
    if upload is not None and getattr(upload, "filename", ""):
        data = upload.read(services.FILE_MAX + 1)
        services.add_file(training, current_user, form.title.data, upload.filename, data)
    elif form.url.data:
        services.add_link(training, current_user, form.title.data, form.url.data)
    else:
        raise MentoringError(_("Give a link or choose a file."), "url")


@bp.get("/materials/<int:material_id>")
@login_required
def material(material_id: int) -> ResponseReturnValue:
    item = db.session.get(Material, id_or_404(material_id))
    if item is None or item.filename is None:
        abort(404)
    load_training(item.training_id)  # 404 unless this person may see the training
    response = Response(item.data, mimetype=item.content_type)
    response.headers["Content-Disposition"] = attachment(item.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


# ---- notes -----------------------------------------------------------------------------------


@bp.route("/mentoring/notes/new", methods=["GET", "POST"])
@login_required
def new_note() -> ResponseReturnValue:
    if not runs_trainings(current_user):
        abort(404)
    unit_id = request.args.get("unit", type=ascii_int)
    training_id = request.args.get("training", type=ascii_int)
    unit = db.session.get(Unit, id_or_404(unit_id)) if unit_id else None
    if unit is None or not unit.active:
        abort(404)
    form = NoteForm.for_unit(unit, load_training(training_id) if training_id else None)
    if request.method == "GET":
        form.start_new(_region_today())
    elif form.check() and save(
        form, services.write_note, current_user, form.fields(), form.creation_token.data or None
    ):
        return redirect(url_for(".unit_mentoring", unit_id=unit.id), code=303)
    return render(
        "mentoring/note_form.html",
        "mentoring/_note_form.html",
        form.http_status,
        form=form,
        unit=unit,
        training=form.training,
    )


# ---- a unit's mentoring page -------------------------------------------------------------------


@bp.get("/units/<int:unit_id>/mentoring")
@login_required
def unit_mentoring(unit_id: int) -> ResponseReturnValue:
    unit = db.session.get(Unit, id_or_404(unit_id))
    if unit is None or not can_read_mentoring(current_user, unit):
        abort(404)
    trainings = reads.trainings_of(unit)
    weeks, chosen = _weeks(), _chosen(trainings)
    effect = reads.effect(unit, chosen.day, chosen.local_end().date(), weeks) if chosen else None
    notes = reads.unit_notes(unit)
    cited = described_by_item([i.id for note in notes for i in note.items])
    return render(
        "mentoring/unit.html",
        "mentoring/_unit.html",
        **dict(unit=unit, notes=notes, cited=cited),
        trainings=trainings,
        chosen=chosen,
        weeks=weeks,
        week_choices=WEEKS,
        effect=effect,
        chart=_chart(effect) if effect else None,
        **_action_tools(),
        status_form=ActionStatusForm(formdata=None),
        check_form=CheckForm(formdata=None),
        change_list=follow_through.change_list,
        field_labels=CHANGED_FIELDS,
    )


def _weeks() -> int:
    """How many weeks before and after a training its effect compares (`weeks`)."""
    weeks = request.args.get("weeks", str(DEFAULT_WEEKS))
    if not digits(weeks) or int(weeks) not in WEEKS:
        fail(400, _("Choose 2, 4, 6, 8 or 12 weeks."))
    return int(weeks)


def _chosen(trainings: list[Training]) -> Training | None:
    """The training asked for (`training`), else the latest that took place (a future one has
    no "after" yet), else the next."""
    raw = request.args.get("training", "")
    if not raw:
        now = clock.now()
        return next(
            (t for t in trainings if t.starts_at <= now), trainings[0] if trainings else None
        )
    if not digits(raw):
        fail(400, _("A filter in the address is not valid."))
    chosen = next((t for t in trainings if t.id == int(raw)), None)
    if chosen is None:
        abort(404)
    return chosen


def _action_tools() -> dict:
    """What an RTL row needs to show who may change it, and how."""
    return {
        "today": _region_today(),
        "can_write": runs_trainings(current_user),
        "can_update": lambda action: can_update_action(current_user, action),
        "statuses": list(ActionStatus),
        "reason_max": REASON_MAX,
    }


def _chart(effect: reads.Effect) -> dict:
    """Bar positions for the small SVG chart of posts per week, before and after."""
    weeks = effect.before + effect.after
    top = max([w.posted for w in weeks] + [1])
    width, height, gap = 24, 80, 6
    bars = []
    for index, week in enumerate(weeks):
        x = index * (width + gap) + (gap * 2 if week.offset > 0 else 0)
        h = round(height * week.posted / top)
        bars.append({"x": x, "y": height - h, "h": h, "week": week, "after": week.offset > 0})
    return {
        "bars": bars,
        "width": len(weeks) * (width + gap) + gap * 2,
        "height": height,
        "bar": width,
        "divider": len(effect.before) * (width + gap) + gap // 2,
        "top": top,
    }


def _load_action(action_id: int) -> ActionItem:
    action = db.session.get(
        ActionItem,
        id_or_404(action_id),
        options=[joinedload(ActionItem.note).joinedload(MentoringNote.unit)],
    )
    if action is None or not can_read_mentoring(current_user, action.note.unit):
        abort(404)
    return action


def _act(change, action: ActionItem, *args):
    """A change to an RTL row, then the row as it is now (with why not, if refused)."""
    _done, refused = attempt(change, action, *args)
    if refused is not None:
        return _after_action(action, refused.status, str(refused.message))
    return _after_action(action)


def _after_action(action: ActionItem, status: int = 200, error: str | None = None):
    if htmx:
        db.session.expire_all()
        action = _load_action(action.id)
        return render(
            "mentoring/_action.html",
            "mentoring/_action.html",
            status,
            action=action,
            error=error,
            **_action_tools(),
        )
    if error:
        fail(status, error)
    return redirect(
        url_for(".unit_mentoring", unit_id=action.note.unit_id) + f"#action-{action.id}", code=303
    )


@bp.post("/mentoring/actions/<int:action_id>/status")
@login_required
def action_status(action_id: int) -> ResponseReturnValue:
    action = _load_action(action_id)
    form = ActionStatusForm()
    if not form.validate():
        return _after_action(action, 422, _("The form was incomplete."))
    status = ActionStatus(form.status.data)
    return _act(
        services.set_action_status,
        action,
        current_user,
        status,
        form.version.data,
        form.reason.data,
    )


@bp.post("/mentoring/actions/<int:action_id>/check")
@login_required
def check_action(action_id: int) -> ResponseReturnValue:
    action = _load_action(action_id)
    form = CheckForm()
    if not form.validate():
        return _after_action(action, 422, _("The form was incomplete."))
    return _act(services.check_action, action, current_user, form.version.data)


@bp.get("/mentoring/actions")
@login_required
def open_actions() -> ResponseReturnValue:
    if not runs_trainings(current_user):
        abort(404)
    shown = request.args.get("status", "open")
    if shown not in ACTION_FILTERS:
        fail(400, _("A filter in the address is not valid."))
    actions = reads.actions_in(ACTION_FILTERS[shown])
    now = _region_today()
    return render(
        "mentoring/actions.html",
        "mentoring/_actions.html",
        shown=shown,
        overdue=[a for a in actions if a.status in ActionStatus.open() and a.due_on < now],
        upcoming=[a for a in actions if a.status in ActionStatus.open() and a.due_on >= now],
        finished=[a for a in actions if a.status not in ActionStatus.open()],
        today=now,
    )


# `/mentoring/actions?status=`: the open RTL (default), the finished ones, or all
ACTION_FILTERS = {
    "open": ActionStatus.open(),
    "finished": (ActionStatus.SELESAI, ActionStatus.TIDAK_DILANJUTKAN),
    "all": tuple(ActionStatus),
}
