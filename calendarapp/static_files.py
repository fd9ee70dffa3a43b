"""Static files that load once on a phone: every URL carries the file's content hash (`?v=`), so
the browser may keep it for a year; a changed file has a new URL."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from flask import Flask, request

YEAR = 365 * 24 * 3600


@functools.lru_cache(maxsize=256)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def version(app: Flask, filename: str) -> str | None:
    path = Path(app.static_folder or "") / filename
    try:
        return _digest(str(path), path.stat().st_mtime)
    except OSError:
        return None


def register_static_versions(app: Flask) -> None:
    @app.url_defaults
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            found = version(app, values["filename"])
            if found:
                values["v"] = found

    @app.after_request
    def cache_static(response):
        if request.endpoint == "static" and response.status_code in (200, 304):
            current = (
                version(app, request.view_args.get("filename", "")) if request.view_args else None
            )
            if current and request.args.get("v") == current:
                response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
            else:  # an old or missing version: ask again next time
                response.headers["Cache-Control"] = "no-cache"
        return response
