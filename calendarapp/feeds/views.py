"""Langganan Kalender: the subscribe page, and the feeds themselves at /feeds/<token>.ics."""

from __future__ import annotations

import segno
from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.http import is_resource_modified

from .. import changes
from ..accounts.permissions import coordinator_required
from ..extensions import db
from ..i18n import phrase as _
from ..planning.theme_import import import_themes
from ..timeutil import today
from ..web import public_url, render, save, site_root
from . import services
from .forms import ImportForm, IssueForm
from .models import FeedScope, FeedToken

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
MAX_UPLOAD = 1_000_000


def _private(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _page(
    new: tuple[FeedToken, str] | None = None,
    status: int = 200,
    import_form: ImportForm | None = None,
    imported: str | None = None,
):
    tokens = {(t.scope, t.unit_id): t for t in services.tokens_of(current_user)}
    link = qr = None
    if new is not None:
        link = public_url("feeds.feed", token=new[1])
        qr = Markup(segno.make(link, error="m").svg_inline(scale=4, dark="#0f172a"))  # noqa: S704
    feeds = [
        (scope, unit, tokens.get((scope, unit.id if unit else None)))
        for scope, unit in services.available(current_user)
    ]
    return _private(
        render(
            "feeds/index.html",
            "feeds/_index.html",
            status,
            feeds=feeds,
            new_token=new[0] if new else None,
            link=link,
            webcal=link.replace("https://", "webcal://").replace("http://", "webcal://")
            if link
            else None,
            qr=qr,
            form=IssueForm(formdata=None),
            import_form=import_form or ImportForm(formdata=None),
            imported=imported,
        )
    )


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    return _page()


@bp.post("")
@login_required
def issue() -> ResponseReturnValue:
    """A new link for one feed (the old one, if any, stops working). Shown once: only its hash
    is kept."""
    form = IssueForm()
    if not form.validate():
        abort(400)
    try:
        scope = FeedScope(form.scope.data)
    except ValueError:
        abort(400)
    unit = None
    if scope == FeedScope.UNIT:
        unit = next(
            (u for s, u in services.available(current_user) if u and str(u.id) == form.unit.data),
            None,
        )
        if unit is None:
            abort(404)
    try:
        token, raw = services.issue(current_user, scope, unit, form.include_drafts.data)
    except PermissionError:
        abort(404)
    db.session.commit()
    _build_ahead(token)
    return _page((token, raw))


def _build_ahead(token: FeedToken) -> None:
    """The phone's first fetch of a new link is then a kept answer (see services.build_ahead)."""
    with force_locale(token.user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        services.build_ahead(token, site_root(), _today(), changes.serial())
    db.session.commit()


@bp.post("/import")
@coordinator_required
def import_ics() -> ResponseReturnValue:
    """Coordinators bring national days or a campaign calendar in as region themes."""
    form = ImportForm()
    if not form.validate() or not (
        result := save(form, import_themes, form.file.data.read(MAX_UPLOAD + 1))
    ):
        return _page(status=422, import_form=form)
    message = _(
        "Imported: %(created)d new themes, %(updated)d updated.",
        created=result.created,
        updated=result.updated,
    )
    return _page(imported=message)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    token = db.session.get(FeedToken, token_id) if token_id < 2**31 else None
    if token is None or token.user_id != current_user.id or not token.active:
        abort(404)
    services.revoke(token)
    db.session.commit()
    return redirect(url_for(".index"), code=303)


@bp.get("/<token>.ics")
def feed(token: str) -> ResponseReturnValue:
    """The feed: 404 without detail for an unknown, revoked or no longer allowed link."""
    kept = services.kept_feed(token, _today(), site_root())
    if kept is not None:  # nothing on calendars moved: rights and contents are as kept
        return _private(_kept(kept))
    found = services.find_token(token)
    if found is None:
        abort(404)
    if not services.still_allowed(found):
        # deactivated, or no longer in the unit: the link is revoked for good, not just paused
        services.revoke(found)
        db.session.commit()
        abort(404)
    # taken before any data is read: a serial older than the data only costs one more look
    seen = services.seen_key(changes.serial(), _today(), site_root())
    with force_locale(found.user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _private(_feed_response(found, seen))


def _today():
    return today(current_app.config["REGION_TIMEZONE"])


def _kept(kept: services.KeptFeed) -> Response:
    """304 or the kept bytes, from the token's row alone."""
    etag = kept.fingerprint[:40]
    if is_resource_modified(request.environ, etag=etag, last_modified=kept.last_modified):
        response = Response(services.kept_body(kept), content_type="text/calendar; charset=utf-8")
    else:
        response = Response(status=304)
    if services.touch_kept(kept):
        db.session.commit()
    return _validators(response, etag, kept.last_modified)


def _validators(response: Response, etag: str, last_modified) -> Response:
    response.set_etag(etag)
    response.last_modified = last_modified
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response


def _feed_response(token: FeedToken, seen: str | None) -> Response:
    """304 when the phone has these bytes already (by the feed's fingerprint), else the feed."""
    feed = services.describe(token, site_root(), _today())
    current = services.fingerprint(feed)
    services.touch(token)
    etag = current.value[:40]
    if not is_resource_modified(request.environ, etag=etag, last_modified=current.last_modified):
        response = Response(status=304)
    else:
        response = Response(
            services.feed_bytes(feed, current), content_type="text/calendar; charset=utf-8"
        )
    services.keep_seen(token, current, seen)
    db.session.commit()
    return _validators(response, etag, current.last_modified)
