"""Filters and globals the templates share."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import get_locale

from .i18n import format_day, format_day_pattern, format_local_time
from .timeutil import format_week, local, zone_label


def register_templating(app: Flask) -> None:
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["day_pattern"] = format_day_pattern
    app.jinja_env.filters["zone_label"] = zone_label
    app.jinja_env.filters["iso_week"] = format_week
    app.jinja_env.filters["local_day"] = lambda instant, zone_name: local(instant, zone_name).date()
    app.jinja_env.globals["local_time"] = format_local_time

    @app.context_processor
    def shared_context():
        return {
            "current_locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "region_name": current_app.config["REGION_NAME"],
            "region_zone": current_app.config["REGION_TIMEZONE"],
            "here": request.full_path.rstrip("?") if request else "/",
        }
