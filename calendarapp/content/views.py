"""Items: create (page or dialog), detail, edits with versions, steps, checklist, comments."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import Membership, Unit
from ..accounts.permissions import (
    can_comment,
    can_edit_item,
    can_read_mentoring,
    can_view_item,
    creatable_units,
    item_actors,
)
from ..coverage import reads as coverage
from ..extensions import db, htmx
from ..mentoring import services as mentoring
from ..timeutil import parse_day
from ..web import fail, form_error, id_or_404, render, triggering
from . import services
from .forms import ASSIGNEE_FIELDS, CommentForm, ItemForm, MoveForm, TickForm, TransitionForm
from .models import (
    Assignment,
    ChecklistEntry,
    Comment,
    ContentFormat,
    ContentItem,
    ContentItemPlatform,
    Platform,
    StatusChange,
    Theme,
)
from .services import ContentError, ItemFields, StaleVersion
from .story import item_has_story, min_words
from .workflow import EDITOR, Status, edges_for

bp = Blueprint("content", __name__, url_prefix="/items")
CHANGED = "itemsChanged"  # the event other regions listen to, to refresh themselves


def load_item(item_id: int) -> ContentItem:
    """The item, or 404 — also when it belongs to a unit the user may not see."""
    id_or_404(item_id)
    item = db.session.get(
        ContentItem,
        item_id,
        options=[
            joinedload(ContentItem.unit).selectinload(Unit.memberships).joinedload(Membership.user),
            joinedload(ContentItem.theme),
            joinedload(ContentItem.reviewer),
            joinedload(ContentItem.updated_by),
            selectinload(ContentItem.platforms).joinedload(ContentItemPlatform.account),
            selectinload(ContentItem.ticks),
            selectinload(ContentItem.assignments).joinedload(Assignment.user),
            selectinload(ContentItem.history).joinedload(StatusChange.user),
            selectinload(ContentItem.comments).joinedload(Comment.author),
        ],
    )
    if item is None or not can_view_item(current_user, item):
        abort(404)
    return item


# ---- the item form --------------------------------------------------------------------------


def _themes_for(unit: Unit) -> list[Theme]:
    return list(
        db.session.scalars(
            sa.select(Theme)
            .where(sa.or_(Theme.unit_id.is_(None), Theme.unit_id == unit.id))
            .where(Theme.archived.is_(False))
            .order_by(Theme.unit_id.is_(None), Theme.name)
        )
    )


def _prepare(form: ItemForm, unit: Unit, units: list[Unit]) -> None:
    """Fill the choices that depend on the unit: themes, reviewers, members to assign."""
    form.unit.choices = [(u.id, u.short_name) for u in units]
    themes = _themes_for(unit)
    form.theme.choices = [(None, "–")] + [
        (t.id, t.name if t.unit_id else _("%(name)s (region)", name=t.name)) for t in themes
    ]
    members = services.members_of(unit)
    form.reviewer.choices = [(None, "–")] + [
        (m.user.id, m.user.name) for m in members if m.role in ("admin", "editor")
    ]
    for name in ASSIGNEE_FIELDS.values():
        getattr(form, name).choices = [(m.user.id, m.user.name) for m in members]
    form.themes_by_id = {t.id: t for t in themes}
    form.members_by_id = {m.user.id: m.user for m in members}


def _fields_from(form: ItemForm, zone: str) -> ItemFields:
    due = form.draft_due.data
    return ItemFields(
        title=form.title.data or "",
        format=ContentFormat(form.format.data),
        brief=form.brief.data or "",
        caption=form.caption.data or "",
        hashtags=(form.hashtags.data or "").strip(),
        narasi_tunggal=form.narasi_tunggal.data,
        theme=form.themes_by_id.get(form.theme.data),
        platforms=[Platform(p) for p in form.platforms.data or []],
        planned_day=form.planned_date.data,
        planned_time=form.planned_time.data,
        draft_due_at=due.replace(tzinfo=ZoneInfo(zone)) if due else None,
        reviewer=form.members_by_id.get(form.reviewer.data),
        assignments=[
            (form.members_by_id[user_id], role)
            for role, name in ASSIGNEE_FIELDS.items()
            for user_id in getattr(form, name).data or []
        ],
    )


def _load_form(form: ItemForm, item: ContentItem) -> None:
    """An edit form showing the item as it is saved now."""
    zone = ZoneInfo(item.unit.timezone)
    form.unit.data = item.unit_id
    form.title.data = item.title
    form.format.data = item.format.value
    form.platforms.data = [p.platform.value for p in item.platforms]
    local_at = item.planned_at.astimezone(zone) if item.planned_at else None
    form.planned_date.data = local_at.date() if local_at else item.planned_date
    form.planned_time.data = local_at.time() if local_at else None
    due = item.draft_due_at.astimezone(zone) if item.draft_due_at else None
    form.draft_due.data = due.replace(tzinfo=None) if due else None
    form.theme.data = item.theme_id
    form.brief.data, form.caption.data = item.brief, item.caption
    form.hashtags.data, form.narasi_tunggal.data = item.hashtags, item.narasi_tunggal
    form.reviewer.data = item.reviewer_id
    for role, name in ASSIGNEE_FIELDS.items():
        getattr(form, name).data = [a.user_id for a in item.assignments if a.role == role]
    form.version.data = str(item.version)


def _changed(response, status: int = 200):
    response.status_code = status
    return triggering(response, CHANGED)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    units = creatable_units(current_user)
    if not units:
        abort(404)
    form = ItemForm()
    wanted = form.unit.data if request.method == "POST" else request.args.get("unit", type=int)
    unit = next((u for u in units if u.id == wanted), None)
    if unit is None:
        if wanted is not None and request.method == "POST":
            abort(404)  # another unit's id: not a unit this person plans for
        unit = units[0]
    _prepare(form, unit, units)
    if request.method == "GET":
        form.unit.data = unit.id
        form.creation_token.data = secrets.token_urlsafe(24)
        raw = request.args.get("date") or request.args.get("planned_date") or ""
        try:
            form.planned_date.data = parse_day(raw) if raw else None
        except ValueError:
            fail(400, _("The date in the address must look like 2026-11-23."))
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                item = services.create_item(
                    unit,
                    data=_fields_from(form, unit.timezone),
                    created_by=current_user,
                    creation_token=form.creation_token.data or None,
                )
            except ContentError as error:
                db.session.rollback()
                form_error(form, error)
            else:
                db.session.commit()
                target = url_for(".detail", item_id=item.id)
                if htmx:  # the dialog closes and the calendar refreshes itself
                    return _changed(
                        make_response(render_template("content/_saved.html", item=item))
                    )
                return redirect(target, code=303)
    return render("content/new.html", "content/_new.html", status, form=form, unit=unit)


@bp.get("/<int:item_id>")
@login_required
def detail(item_id: int):
    item = load_item(item_id)
    return _detail(item)


def _detail(
    item: ContentItem,
    status: int = 200,
    form: ItemForm | None = None,
    step_error: str | None = None,
    comment_form: CommentForm | None = None,
):
    editable = can_edit_item(current_user, item)
    if form is None and editable:
        form = ItemForm(formdata=None)
        _prepare(form, item.unit, [item.unit])
        _load_form(form, item)
    actors = item_actors(current_user, item)
    checklist = services.active_checklist()
    ticked = {t.entry_id for t in item.ticks}
    response = render(
        "content/detail.html",
        "content/_detail.html",
        status,
        item=item,
        form=form if editable else None,
        planning=EDITOR in actors,
        steps=edges_for(item.status, actors),
        step_error=step_error,
        checklist=checklist,
        ticked=ticked,
        missing_required=[e for e in checklist if e.required and e.id not in ticked],
        missing_recommended=[e for e in checklist if not e.required and e.id not in ticked],
        can_comment=can_comment(current_user, item),
        comment_form=comment_form or CommentForm(formdata=None),
        transition_form=TransitionForm(formdata=None),
        move_form=MoveForm(formdata=None),
        platforms=list(Platform),
        coverage_sources=coverage.requests_for_item(item),
        has_story=item_has_story(item, {e.id for e in checklist if e.is_story}),
        story_words=min_words(),
        mentoring_notes=(
            mentoring.notes_for_item(item) if can_read_mentoring(current_user, item.unit) else []
        ),
    )
    return response


def _after_change(item: ContentItem):
    """Commit, then answer: the fresh detail for htmx (and a refresh event), a 303 otherwise."""
    db.session.commit()
    if htmx:
        db.session.expire_all()
        return _changed(_detail(load_item(item.id)))
    return redirect(url_for(".detail", item_id=item.id), code=303)


@bp.post("/<int:item_id>")
@login_required
def update(item_id: int):
    item = load_item(item_id)
    if not can_edit_item(current_user, item):
        return _detail(item, 403, step_error=_("You cannot edit this item in its current state."))
    form = ItemForm()
    _prepare(form, item.unit, [item.unit])
    form.unit.data = item.unit_id
    if not form.validate():
        return _detail(item, 422, form=form)
    try:
        version = int(form.version.data or "")
    except ValueError:
        return _detail(item, 422, form=form, step_error=_("The form is missing its version."))
    try:
        services.update_item(item, current_user, version, _fields_from(form, item.unit.timezone))
    except StaleVersion:
        db.session.rollback()
        return _conflict(item_id, form)
    except ContentError as error:
        db.session.rollback()
        form_error(form, error)
        return _detail(load_item(item_id), 422, form=form)
    return _after_change(item)


def _conflict(item_id: int, mine: ItemForm):
    """409: show what the other person saved beside what this person typed, to re-apply."""
    db.session.expire_all()
    item = load_item(item_id)
    saved = ItemForm(formdata=None)
    _prepare(saved, item.unit, [item.unit])
    _load_form(saved, item)
    differences = [
        (field.label.text, _display(saved[name]), _display(field))
        for name, field in mine._fields.items()
        if name not in ("csrf_token", "version", "creation_token", "unit")
        and _display(saved[name]) != _display(field)
    ]
    mine.version.data = str(item.version)  # submitting again applies these values knowingly
    return render(
        "content/conflict.html",
        "content/_conflict.html",
        409,
        item=item,
        form=mine,
        differences=differences,
        planning=EDITOR in item_actors(current_user, item),
    )


def _display(field) -> str:
    """A field's value as a person reads it, to compare two versions."""
    data = field.data
    choices = dict(field.choices) if getattr(field, "choices", None) else None
    if isinstance(data, list):
        return ", ".join(str(choices.get(v, v)) if choices else str(v) for v in data) or "–"
    if choices is not None and data in choices:
        return str(choices[data])
    if data in (None, ""):
        return "–"
    if isinstance(data, bool):
        return _("yes") if data else _("no")
    if isinstance(data, datetime):
        return data.strftime("%Y-%m-%d %H:%M")
    return str(data)


@bp.post("/<int:item_id>/status")
@login_required
def change_status(item_id: int):
    item = load_item(item_id)
    form = TransitionForm()
    if not form.validate():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return _detail(item, 422, step_error=errors)
    try:
        target = Status(form.target.data)
    except ValueError:
        return _detail(item, 422, step_error=_("Unknown status."))
    links = {p: getattr(form, f"link_{p.value}").data or "" for p in Platform}
    try:
        services.transition(
            item,
            target,
            current_user,
            note=form.note.data or "",
            version=form.version.data,
            posted_links=links,
        )
    except StaleVersion:
        db.session.rollback()
        db.session.expire_all()
        item = load_item(item_id)
        who = item.updated_by.name if item.updated_by else "?"
        message = _(
            "%(name)s changed this item in the meantime; it is now “%(status)s”. Check it and "
            "try again.",
            name=who,
            status=item.status.label,
        )
        return _detail(item, 409, step_error=message)
    except ContentError as error:
        db.session.rollback()
        return _detail(load_item(item_id), 422, step_error=str(error.message))
    return _after_change(item)


@bp.post("/<int:item_id>/move")
@login_required
def move(item_id: int):
    item = load_item(item_id)
    form = MoveForm()
    if not form.validate():
        return _detail(item, 422, step_error=_("Choose a valid date."))
    try:
        services.move_item(item, current_user, form.version.data, form.date.data)
    except StaleVersion:
        db.session.rollback()
        return _detail(
            load_item(item_id), 409, step_error=_("Someone else changed this in the meantime.")
        )
    except ContentError as error:
        db.session.rollback()
        return _detail(load_item(item_id), 422, step_error=str(error.message))
    return _after_change(item)


@bp.post("/<int:item_id>/checklist")
@login_required
def tick(item_id: int):
    item = load_item(item_id)
    form = TickForm()
    entry = db.session.get(ChecklistEntry, form.entry.data) if form.validate() else None
    if entry is None:
        return _detail(item, 422, step_error=_("Unknown check."))
    try:
        services.set_tick(item, entry, current_user, form.checked.data)
    except ContentError as error:
        db.session.rollback()
        return _detail(load_item(item_id), 422, step_error=str(error.message))
    return _after_change(item)


@bp.post("/<int:item_id>/comments")
@login_required
def comment(item_id: int):
    item = load_item(item_id)
    if not can_comment(current_user, item):
        abort(404)
    form = CommentForm()
    if not form.validate():
        return _detail(item, 422, comment_form=form)
    try:
        services.add_comment(item, current_user, form.body.data)
    except ContentError as error:
        db.session.rollback()
        form.body.errors = [str(error.message)]
        return _detail(load_item(item_id), 422, comment_form=form)
    return _after_change(item)
