"""Installable and honest without a network: a service worker that shows an offline page.

The worker caches the offline page, the stylesheet and the icon, nothing else: a calendar page is
never served stale, and there is no offline data sync. When a page cannot be fetched, the worker
answers with the offline page at the same address, so "Coba lagi" is a plain link to that address.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, current_app, render_template
from flask.typing import ResponseReturnValue

from .static_files import version

bp = Blueprint("offline", __name__)


@bp.get("/sw.js")
def service_worker() -> ResponseReturnValue:
    # The worker's bytes change whenever what it caches changes, so browsers install the new one:
    # the files by their content, the offline page by the release that renders it (kept.py).
    parts = [version(current_app, name) or "" for name in ("css/app.css", "img/favicon.svg")]
    parts.append(current_app.extensions["release_tag"])
    cache_key = hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
    body = render_template("offline/sw.js", cache_key=cache_key)
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"  # browsers check for a new worker each visit
    return response


@bp.get("/offline")
def page() -> ResponseReturnValue:
    return render_template("offline/offline.html")
