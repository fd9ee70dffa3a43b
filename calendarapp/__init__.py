"""Kalender Konten: a shared editorial calendar for a local government's social-media teams."""

from __future__ import annotations

import gc
import logging
import mimetypes
from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .extensions import babel, compress, csrf, db, htmx, login_manager, migrate
from .parsing import AsciiIntConverter

ROOT = Path(__file__).resolve().parent.parent
mimetypes.add_type("application/manifest+json", ".webmanifest")  # the install manifest
# Scripts and styles only from our own static files; style attributes carry theme colours.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment, or the given mapping (tests)."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    # ids in paths are ASCII digits (before any blueprint adds its routes)
    app.url_map.converters["int"] = AsciiIntConverter
    app.config.from_object(config_module.BaseConfig)
    if config is None:
        app.config.update(config_module.from_environment(Path(app.instance_path)))
    else:
        app.config.update(config)

    if app.config.get("PROXY_COUNT"):
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    compress.init_app(app)
    htmx.init_app(app)
    from .i18n import select_locale

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"

    from . import models  # noqa: F401  (every model registered before the first query)
    from .accounts.people_views import bp as people_bp
    from .accounts.unit_people_views import bp as unit_people_bp
    from .accounts.views import bp as accounts_bp
    from .amplification.views import bp as amplification_bp
    from .calendar.views import bp as calendar_bp
    from .content.checklist_views import bp as checklist_bp
    from .content.head_views import bp as head_bp
    from .content.views import bp as content_bp
    from .coverage.agenda_views import bp as agenda_bp
    from .coverage.views import bp as coverage_bp
    from .delivery.views import bp as delivery_bp
    from .feeds.views import bp as feeds_bp
    from .mentoring.correction_views import bp as mentoring_corrections_bp
    from .mentoring.views import bp as mentoring_bp
    from .monitoring.views import bp as monitoring_bp
    from .notifications.views import bp as notifications_bp
    from .offline import bp as offline_bp
    from .performance.views import bp as performance_bp
    from .planning.theme_views import bp as themes_bp
    from .planning.week_views import bp as week_plan_bp
    from .socialaccounts.views import bp as socialaccounts_bp
    from .tasks.views import bp as tasks_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(unit_people_bp)
    app.register_blueprint(calendar_bp)
    app.register_blueprint(content_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(checklist_bp)
    app.register_blueprint(head_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(themes_bp)
    app.register_blueprint(week_plan_bp)
    app.register_blueprint(coverage_bp)
    app.register_blueprint(agenda_bp)
    app.register_blueprint(mentoring_bp)
    app.register_blueprint(mentoring_corrections_bp)
    app.register_blueprint(monitoring_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(delivery_bp)
    app.register_blueprint(amplification_bp)
    app.register_blueprint(offline_bp)
    app.register_blueprint(socialaccounts_bp)
    app.register_blueprint(performance_bp)

    register_sources()
    from .static_files import register_static_versions

    register_static_versions(app)
    from .cli import register_cli
    from .kept import register_kept
    from .templating import register_templating
    from .web import SessionInterface, register_error_pages, register_unauthorized

    app.session_interface = SessionInterface()
    register_templating(app)
    register_kept(app)
    register_error_pages(app)
    register_unauthorized(app)
    register_cli(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("HSTS_SECONDS"):  # behind HTTPS only: browsers then refuse plain HTTP
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={app.config['HSTS_SECONDS']}"
            )
        return response

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    from .logs import MaskFeedTokens

    logging.getLogger("werkzeug").addFilter(MaskFeedTokens())
    if not app.testing:
        settle_heap()
    return app


def settle_heap() -> None:
    """Move what starting made (modules, mappers, settings: about 240,000 objects, kept for the
    process's life) out of the garbage collector's sight (`gc.freeze`), so that its full
    collections walk only what requests made. On the kabupaten data a full collection walked
    them all: 130 ms, once every thirty or so looks at Pantauan (measured)."""
    gc.collect()
    gc.freeze()


def register_sources() -> None:
    """What each area puts on the calendar views and in the feeds (calendarapp/sources.py),
    and on the pages of the areas below them (calendarapp/parts.py)."""
    from . import parts
    from .accounts import leaving
    from .amplification import calendar_source as amplification
    from .content import calendar_feed
    from .content import services as content
    from .coverage import calendar_source as coverage
    from .coverage import reads as coverage_reads
    from .delivery import outbox
    from .mentoring import calendar_source as mentoring
    from .mentoring import reads as mentoring_reads
    from .notifications import services as notifications
    from .performance import services as performance
    from .planning import calendar_source as planning
    from .socialaccounts import services as socialaccounts
    from .sources import register

    # what other areas show on pages of the areas below them, in no order: each its own names
    parts.ITEM_PAGE.register(
        coverage_reads.item_part, performance.item_part, mentoring_reads.item_part
    )
    parts.UNIT_ACCOUNTS.register(performance.unit_accounts_part)
    parts.ACCOUNTS_REGISTER.register(performance.register_part)
    # someone leaves units: their open parts are handed on, their accounts get a handover
    leaving.register(content.released_on_leaving, socialaccounts.person_left)
    # a notice goes beyond the bell: into the outbox of the channels each person chose
    notifications.hand_on_to(outbox.enqueue)
    register(
        days=[  # each day lists their chips in this order
            mentoring.TRAINING_DAYS,
            amplification.AMPLIFY_DAYS,
            planning.GAP_DAYS,
            coverage.AGENDA_DAYS,
        ],
        feeds=[
            calendar_feed.THEMES,
            coverage.AGENDA,
            coverage.COVERAGE,
            mentoring.FEED,
            amplification.FEED,
        ],
        items=calendar_feed.ITEMS,
    )
