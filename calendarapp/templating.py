"""Filters and globals the templates share."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, current_app, render_template, request, url_for
from flask_babel import format_decimal, get_translations
from flask_login import current_user
from markupsafe import Markup, escape

from .accounts.permissions import admin_unit_ids, is_coordinator
from .i18n import (
    format_day,
    format_day_pattern,
    format_local_time,
    language,
    template_gettext,
    template_ngettext,
)
from .timeutil import format_week, local, zone_label
from .web import url_maker


def site_nav() -> Markup:
    """The main menu (templates/_nav.html) for the signed-in person on this page: it depends on
    the language, the page and two rights only, so each worker renders each variant once."""
    args = {
        "endpoint": request.endpoint,
        "blueprint": request.blueprint,
        "coordinator": is_coordinator(current_user),
        "administers": bool(admin_unit_ids(current_user)),
    }
    key = (language(), request.script_root, *args.values())
    kept = current_app.extensions["site_nav"]
    if key not in kept:
        kept[key] = Markup(render_template("_nav.html", **args))  # noqa: S704 (our own autoescaped template)
    return kept[key]


def plain_url(endpoint: str, filename: str | None = None) -> str:
    """`url_for` of an address without parameters (or of a static file, with its content
    hash), kept per worker: the header of every page asks for the same dozen. A debug server
    looks again each time, so an edited file gets its new hash at once."""
    args = {"filename": filename} if filename else {}
    if current_app.debug:
        return url_for(endpoint, **args)
    kept = current_app.extensions["plain_urls"]
    key = (request.script_root, endpoint, filename)
    if key not in kept:
        kept[key] = url_for(endpoint, **args)
    return kept[key]


def register_templating(app: Flask) -> None:
    app.extensions["plain_urls"] = {}
    # (language, root, page, rights): the menu; a few hundred variants at most
    app.extensions["site_nav"] = {}
    # Flask-Babel's template callables, with `_()` and `ngettext()` answered from a per-language
    # memo
    app.jinja_env.install_gettext_callables(
        gettext=template_gettext,
        ngettext=template_ngettext,
        newstyle=True,
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["day_pattern"] = format_day_pattern
    app.jinja_env.filters["zone_label"] = zone_label
    app.jinja_env.filters["iso_week"] = format_week
    app.jinja_env.filters["number"] = format_decimal  # 12.400 in Indonesian, 12,400 in English
    app.jinja_env.filters["local_day"] = lambda instant, zone_name: local(instant, zone_name).date()
    app.jinja_env.globals["local_time"] = format_local_time
    app.jinja_env.globals["url_maker"] = url_maker
    app.jinja_env.globals["site_nav"] = site_nav
    app.jinja_env.globals["plain_url"] = plain_url
    app.jinja_env.globals["options"] = options

    @app.context_processor
    def shared_context():
        return {
            "current_locale": language(),
            "languages": current_app.config["LANGUAGES"],
            "region_name": current_app.config["REGION_NAME"],
            "region_zone": current_app.config["REGION_TIMEZONE"],
            "here": request.full_path.rstrip("?") if request else "/",
        }


def options(choices: Iterable[tuple[object, object]], selected: object = None) -> Markup:
    """The `<option>`s of a select from (value, label) pairs, the one whose value is `selected`
    selected: a region's lists (85 units, 250 people) render in one pass, not a template loop."""
    chosen = None if selected is None else str(selected)
    return Markup(  # noqa: S704 (every value and label escaped here)
        "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )
