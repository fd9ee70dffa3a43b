"""Items: create (page or dialog), detail, edits with versions, steps, checklist, comments."""

from __future__ import annotations

import functools
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import HTTPException

from .. import parts
from ..accounts.models import Membership, Unit
from ..errors import Stale
from ..extensions import db, htmx
from ..i18n import lazy_phrase as _l
from ..i18n import phrase as _
from ..parsing import ascii_int, digits
from ..timeutil import format_week, parse_day
from ..web import (
    attempt,
    fail,
    id_or_404,
    keeping_loaded,
    render,
    save,
    triggering,
    wants_fragment,
)
from . import head, reads, services
from .checklist import active_checklist, set_tick
from .forms import CommentForm, ItemForm, MoveForm, TickForm, TransitionForm
from .models import (
    Assignment,
    ChecklistEntry,
    ContentItem,
    ContentItemPlatform,
    Platform,
    StatusChange,
)
from .permissions import can_comment, can_edit_item, can_view_item, creatable_units, item_actors
from .story import item_has_story, min_words
from .workflow import EDITOR, Status, edges_for

bp = Blueprint("content", __name__, url_prefix="/items")
CHANGED = "itemsChanged"  # the event other regions listen to, to refresh themselves


def load_item(item_id: int) -> ContentItem:
    """The item, or 404 — also when it belongs to a unit the user may not see."""
    id_or_404(item_id)
    item = db.session.scalar(_item_query(), {"item": item_id})
    if item is None or not can_view_item(current_user, item):
        abort(404)
    return item


@functools.cache
def _item_query() -> sa.Select:
    """One item (`item`) with everything its page shows: built once (0.7 ms saved on each look
    at an item, measured: its eight loader options are costly to build and to key)."""
    return (
        sa.select(ContentItem)
        .where(ContentItem.id == sa.bindparam("item"))
        .options(
            joinedload(ContentItem.unit).selectinload(Unit.memberships).joinedload(Membership.user),
            joinedload(ContentItem.theme),
            joinedload(ContentItem.reviewer),
            joinedload(ContentItem.updated_by),
            selectinload(ContentItem.platforms).joinedload(ContentItemPlatform.account),
            selectinload(ContentItem.ticks),
            selectinload(ContentItem.assignments).joinedload(Assignment.user),
            # joined, not a statement of its own: 0.5 ms less a look (measured), its few rows
            # each repeating the item's columns
            joinedload(ContentItem.history).joinedload(StatusChange.user),
        )
    )


def _changed(response, status: int = 200):
    response.status_code = status
    return triggering(response, CHANGED)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    units = creatable_units(current_user)
    if not units:
        abort(404)
    unit = _unit_for_new(units)
    form = ItemForm.for_unit(unit, units)
    if request.method == "GET":
        form.start_new(unit, _day_asked())
    elif form.validate() and (
        item := save(
            form,
            services.create_item,
            unit,
            data=form.fields(unit.timezone),
            created_by=current_user,
            creation_token=form.creation_token.data or None,
        )
    ):
        if htmx:  # the dialog closes and the calendar refreshes itself
            return _changed(make_response(render_template("content/_saved.html", item=item)))
        return redirect(url_for(".detail", item_id=item.id), code=303)
    return render("content/new.html", "content/_new.html", form.http_status, form=form, unit=unit)


def _unit_for_new(units: list[Unit]) -> Unit:
    """The unit asked for (`unit`: in the form when sent, in the address when opened); a unit
    this person does not plan for is 404 when sent, the first of theirs when opened."""
    sent = request.method == "POST"
    wanted = (
        request.form.get("unit", type=ascii_int)
        if sent
        else request.args.get("unit", type=ascii_int)
    )
    unit = next((u for u in units if u.id == wanted), None)
    if unit is None and wanted is not None and sent:
        abort(404)
    return unit or units[0]


def _day_asked():
    raw = request.args.get("date") or request.args.get("planned_date") or ""
    try:
        return parse_day(raw) if raw else None
    except ValueError:
        fail(400, _("The date in the address must look like 2026-11-23."))


# The pages an item is opened from that its page leads back to (`?back=` their address).
WAYS_BACK = {
    "calendar.listing": _l("Back to the list"),
    "calendar.board": _l("Back to the board"),
    "calendar.month": _l("Back to the month"),
    "calendar.week": _l("Back to the week"),
    "tasks.my_work": _l("Back to my tasks"),
}


def way_back(item: ContentItem) -> tuple[str, str] | None:
    """Where the person came from (`back`: a path of this site to one of WAYS_BACK), else the
    item's week."""
    raw = request.args.get("back", "")
    plain = raw.isprintable() and "\\" not in raw and len(raw) <= 2000
    if plain and raw.startswith("/") and not raw.startswith("//"):
        try:
            endpoint, _args = current_app.url_map.bind("").match(urlsplit(raw).path, method="GET")
        except HTTPException:
            endpoint = None
        if endpoint in WAYS_BACK:
            return request.script_root + raw, str(WAYS_BACK[endpoint])
    if item.local_day():
        week = url_for("calendar.week", week=format_week(item.local_day()), unit=item.unit_id)
        return week, _("Back to the week")
    return None


@bp.get("/<int:item_id>")
@login_required
def detail(item_id: int) -> ResponseReturnValue:
    item = load_item(item_id)
    if wants_fragment() and htmx.target == f"comments-{item.id}":  # the whole thread, asked for
        return _section("content/_comments.html", **_comments(item))
    return _detail(item)


def _whole_thread() -> bool:
    """`comments=all`: every comment of the item, not only the latest."""
    raw = request.args.get("comments", "")
    if raw not in ("", "all"):
        fail(400, _("The item's comments can only be shown all at once (comments=all)."))
    return raw == "all"


def _detail(
    item: ContentItem,
    status: int = 200,
    form: ItemForm | None = None,
    step_error: str | None = None,
    comment_form: CommentForm | None = None,
):
    editable = can_edit_item(current_user, item)
    if form is None and editable:
        form = ItemForm.of_item(item)
    checks = _checks(item)
    return render(
        "content/detail.html",
        "content/_detail.html",
        status,
        **{**checks, **_comments(item, comment_form)},
        form=form if editable else None,
        step_error=step_error,
        move_form=MoveForm(formdata=None, date=item.local_day(), version=item.version),
        has_story=item_has_story(item, {e.id for e in checks["checklist"] if e.is_story}),
        story_words=min_words(),
        way_back=way_back(item),
        **parts.ITEM_PAGE.read(
            current_user, item
        ),  # other areas' parts: coverage, figures, mentoring
    )


def _checks(item: ContentItem) -> dict:
    """What the checklist and the next steps show (content/_ticks.html, content/_steps.html)."""
    actors = item_actors(current_user, item)
    checklist = active_checklist()
    ticked = {t.entry_id for t in item.ticks}
    return {
        "item": item,
        "editable": can_edit_item(current_user, item),
        "planning": EDITOR in actors,
        "steps": edges_for(item.status, actors, item.unit.requires_head_approval),
        "asks_head": item.unit.requires_head_approval
        and item.status == Status.DITINJAU
        and EDITOR in actors,
        "head_link": head.latest_link(item)
        if item.unit.requires_head_approval and item.status == Status.DITINJAU
        else None,
        "platforms": list(Platform),
        # the steps' fields (links, note) render from the form that reads them, limits and all
        "step_form": TransitionForm(formdata=None),
        "checklist": checklist,
        "ticked": ticked,
        "missing_required": [e for e in checklist if e.required and e.id not in ticked],
        "missing_recommended": [e for e in checklist if not e.required and e.id not in ticked],
    }


def _comments(item: ContentItem, form: CommentForm | None = None) -> dict:
    return {
        "item": item,
        "thread": reads.thread(item.id, request.method == "GET" and _whole_thread()),
        "can_comment": can_comment(current_user, item),
        "comment_form": form or CommentForm(formdata=None),
    }


def _section(template: str, status: int = 200, **context):
    """One part of the item page that renders itself (hx-target="this"), for an htmx swap."""
    return _section_body(render_template(template, **context), status)


def _section_body(body: str, status: int):
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def _after_change(item: ContentItem):
    """After a change committed once (by `web.attempt` / `web.save` within `keeping_loaded`):
    for htmx the detail (and a refresh event) from the item as loaded and changed — not loaded
    again — or a 303."""
    if htmx:
        return _changed(_detail(item))
    return redirect(url_for(".detail", item_id=item.id), code=303)


@bp.post("/<int:item_id>")
@login_required
def update(item_id: int) -> ResponseReturnValue:
    item = load_item(item_id)
    if not can_edit_item(current_user, item):
        return _detail(item, 403, step_error=_("You cannot edit this item in its current state."))
    form = ItemForm.for_unit(item.unit, [item.unit])
    form.unit.data = item.unit_id
    if not form.validate():
        return _detail(item, 422, form=form)
    if not digits(form.version.data or ""):
        return _detail(item, 422, form=form, step_error=_("The form is missing its version."))
    version = int(form.version.data)
    with keeping_loaded():
        saved = save(
            form, services.update_item, item, current_user, version, form.fields(item.unit.timezone)
        )
    if saved:
        return _after_change(item)
    if isinstance(form.refusal, Stale):
        return _conflict(item_id, form)
    return _detail(load_item(item_id), 422, form=form)


def _conflict(item_id: int, mine: ItemForm):
    """409: show what the other person saved beside what this person typed, to re-apply."""
    db.session.expire_all()
    item = load_item(item_id)
    saved = ItemForm.of_item(item)
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
def change_status(item_id: int) -> ResponseReturnValue:
    item = load_item(item_id)
    form = TransitionForm()
    if not form.validate():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return _detail(item, 422, step_error=errors)
    if form.target.data not in {s.value for s in Status}:
        return _detail(item, 422, step_error=_("Unknown status."))
    target, note = Status(form.target.data), form.note.data or ""
    return _step(
        item,
        services.transition,
        item,
        target,
        current_user,
        note=note,
        version=form.version.data,
        posted_links=form.links(),
    )


def _step(item: ContentItem, change, *args, **kwargs):
    """A step on the item (a status, a move, a tick): then its fresh page. A refusal changes
    nothing and says why above the steps; 409, with who changed it, when someone was first."""
    with keeping_loaded():
        _done, refused = attempt(change, *args, **kwargs)
    if refused is None:
        return _after_change(item)
    db.session.expire_all()
    item = load_item(item.id)
    if not isinstance(refused, Stale):
        return _detail(item, refused.status, step_error=str(refused.message))
    who = item.updated_by.name if item.updated_by else "?"
    message = _(
        "%(name)s changed this item in the meantime; it is now “%(status)s”. Check it and "
        "try again.",
        name=who,
        status=item.status.label,
    )
    return _detail(item, 409, step_error=message)


@bp.post("/<int:item_id>/move")
@login_required
def move(item_id: int) -> ResponseReturnValue:
    item = load_item(item_id)
    form = MoveForm()
    if not form.validate():
        return _detail(item, 422, step_error=_("Choose a valid date."))
    return _step(item, services.move_item, item, current_user, form.version.data, form.date.data)


@bp.post("/<int:item_id>/checklist")
@login_required
def tick(item_id: int) -> ResponseReturnValue:
    item = load_item(item_id)
    form = TickForm()
    entry = db.session.get(ChecklistEntry, form.entry.data) if form.validate() else None
    if entry is None:
        error = _("Unknown check.")
        return _ticks(item, error) if wants_fragment() else _detail(item, 422, step_error=error)
    if not wants_fragment():
        return _step(item, set_tick, item, entry, current_user, form.checked.data)
    refused = attempt(set_tick, item, entry, current_user, form.checked.data)[1]
    return _ticks(item, str(refused.message) if refused else None)


def _ticks(item: ContentItem, error: str | None = None):
    """The checklist as saved (with why not, if refused), and out of band the steps it opens."""
    checks = _checks(item)  # the rollback or the commit reloads the ticks as saved
    ticks = render_template("content/_ticks.html", **checks, tick_error=error)
    steps = render_template("content/_steps.html", **checks, oob=True)
    return _section_body(ticks + steps, 422 if error else 200)


@bp.post("/<int:item_id>/comments")
@login_required
def comment(item_id: int) -> ResponseReturnValue:
    item = load_item(item_id)
    if not can_comment(current_user, item):
        abort(404)
    form = CommentForm()
    failed = not form.validate()
    with keeping_loaded():
        refused = (
            None if failed else attempt(services.add_comment, item, current_user, form.body.data)[1]
        )
    if refused:
        form.body.errors, failed = [str(refused.message)], True
    if wants_fragment():  # the comments swap themselves; a sent comment leaves an empty form
        shown = _comments(item, form if failed else None)  # as saved (a refusal reloads them)
        return _section("content/_comments.html", 422 if failed else 200, **shown)
    if failed:
        return _detail(load_item(item_id), 422, comment_form=form)
    return _after_change(item)
