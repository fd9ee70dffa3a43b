"""Themes: region campaigns and unit pillars. Another unit's pillar answers 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..accounts.models import Unit
from ..accounts.permissions import coordinator_required
from ..content.models import Theme
from ..extensions import db
from ..forms_i18n import Form
from ..i18n import phrase as _
from ..parsing import digits
from ..web import attempt, render, save
from . import services
from .forms import ThemeForm
from .permissions import can_keep_themes

bp = Blueprint("themes", __name__)


def _unit_param() -> Unit | None:
    raw = request.values.get("unit", "")
    if not raw:
        return None
    unit = db.session.get(Unit, int(raw)) if digits(raw) and len(raw) < 10 else None
    if unit is None:
        abort(404)
    return unit


def _editable(theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id) if theme_id < 2**31 else None
    if theme is None or not can_keep_themes(current_user, theme.unit):
        abort(404)
    return theme


@bp.get("/themes")
@login_required
def themes() -> ResponseReturnValue:
    region, pillars = services.themes_for(current_user)
    return render(
        "planning/themes.html",
        "planning/_themes.html",
        region=region,
        pillars=pillars,
        manageable=[
            m.unit for m in current_user.memberships if can_keep_themes(current_user, m.unit)
        ],
        can_manage=lambda unit: can_keep_themes(current_user, unit),
        national_years=services.national_day_years(),
        form=Form(),
    )


def _fields(form: ThemeForm) -> services.ThemeFields:
    return services.ThemeFields(
        name=form.name.data or "",
        color=form.color.data or "",
        description=form.description.data or "",
        hashtags=form.hashtags.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        intended_share=form.intended_share.data,
    )


def _form_page(form: ThemeForm, unit: Unit | None, theme: Theme | None, status: int = 200):
    return render(
        "planning/theme_form.html",
        "planning/theme_form.html",
        status,
        form=form,
        unit=unit,
        theme=theme,
    )


@bp.route("/themes/new", methods=["GET", "POST"])
@login_required
def new_theme() -> ResponseReturnValue:
    unit = _unit_param()
    if not can_keep_themes(current_user, unit):
        abort(404)
    form = ThemeForm()
    if request.method == "POST":
        if form.validate() and save(form, services.save_theme, None, unit, _fields(form)):
            return redirect(url_for(".themes"), code=303)
        return _form_page(form, unit, None, 422)
    form.color.data = services.free_colour(unit)  # a new pillar does not look like another
    return _form_page(form, unit, None)


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@login_required
def edit_theme(theme_id: int) -> ResponseReturnValue:
    theme = _editable(theme_id)
    form = ThemeForm(obj=theme) if request.method == "GET" else ThemeForm()
    if request.method == "POST":
        if form.validate() and save(form, services.save_theme, theme, theme.unit, _fields(form)):
            return redirect(url_for(".themes"), code=303)
        return _form_page(form, theme.unit, theme, 422)
    return _form_page(form, theme.unit, theme)


@bp.post("/themes/national-days")
@coordinator_required
def import_national_days() -> ResponseReturnValue:
    """Coordinators bring the shipped national days in as region themes (again: no doubles)."""
    if not Form().validate_on_submit():
        abort(400)
    created, updated = services.import_national_days(current_user)
    db.session.commit()
    flash(
        _(
            "National days: %(created)d new themes, %(updated)d updated.",
            created=created,
            updated=updated,
        ),
        "info",
    )
    return redirect(url_for(".themes"), code=303)


@bp.get("/themes/<int:theme_id>/uptake")
@coordinator_required
def uptake(theme_id: int) -> ResponseReturnValue:
    """Which units planned or published items for a region campaign, and which did not."""
    theme = db.session.get(Theme, theme_id) if theme_id < 2**31 else None
    if theme is None or theme.unit_id is not None:
        abort(404)
    rows = services.uptake(theme)
    return render(
        "planning/uptake.html",
        "planning/uptake.html",
        theme=theme,
        rows=rows,
        silent=[r for r in rows if r.planned == 0],
    )


@bp.post("/themes/<int:theme_id>/archive")
@login_required
def archive_theme(theme_id: int) -> ResponseReturnValue:
    theme = _editable(theme_id)
    _done, refused = attempt(services.set_archived, theme, not theme.archived)
    if refused is not None:
        flash(str(refused.message), "error")
    return redirect(url_for(".themes"), code=303)
