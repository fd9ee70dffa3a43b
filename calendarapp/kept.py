"""Calendar views kept while nothing on calendars moved.

The month, week, list and board, a unit's week plan and Tugas Saya render the same grid again
for every repeat look (paging back and forth, the htmx refresh after a failed move, a phone
coming back to the tab). While the calendar serial (calendarapp/changes.py) stands, nothing
those grids show can have changed, so each worker process keeps the last grids it rendered and
answers a repeat look from them with one indexed lookup: the serial.

A kept grid belongs to one viewer, one language, one address (path and filters) and one
quarter of an hour, so "today" moves on with the clock in every zone (their midnights fall on
quarter hours) and nobody sees another's rights; a grid that shows instants against the clock
(a task turning overdue) also says when it runs out (`KEEP_UNTIL`). The key holds the serial
itself: a write anywhere makes every older grid unreachable, and the least recently used ones
make room. Each process keeps its own; several app hosts stay right because the serial lives in
the shared database.

A grid swapped in by htmx (the month's arrows, the views' tabs, the refresh after a change) is
also answered with a validator: its ETag is a digest of the same key, of the sign-in it was
sent to (its forms carry that sign-in's CSRF token) and of the release (`release_tag`: the
code, templates and catalogues that rendered it). The browser keeps the grid (`private,
no-cache`: never shown without asking) and asks again with `If-None-Match`; whichever worker or
host answers finds the same tag from the serial and says 304, without the grid in hand. A grid
that will show time differently before the quarter hour ends (`KEEP_UNTIL`) gets no tag. Whole
pages get none: the bell and the menu around the grid are not in the key.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from pathlib import Path

from flask import Flask, Response, current_app, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from . import changes, clock
from .i18n import language
from .web import wants_fragment

QUARTER_HOUR = 15 * 60
# A form in a kept grid must carry the csrf token of the request that shows it (each sign-in
# has its own), not of the one that rendered it: grids render this mark in its place, unknown
# outside the process, and each answer puts its own token there.
_CSRF_MARK = "kept-csrf-" + secrets.token_hex(16)


# A kept grid: its HTML, what the page around it reads, and the instant its picture of time runs
# out (a task turning overdue) if before the quarter hour does.
Kept = tuple[str, dict, datetime | None]
# `build()` may give this: the first instant at which the grid would show time differently.
KEEP_UNTIL = "keep_until"


class KeptGrids:
    """A bounded, least-recently-used store of rendered grids, safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._grids: OrderedDict[Hashable, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Kept | None:
        with self._lock:
            found = self._grids.get(key)
            if found is not None:
                self._grids.move_to_end(key)
            return found

    def put(self, key: Hashable, grid: Kept) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._grids[key] = grid
            self._grids.move_to_end(key)
            while len(self._grids) > self.size:
                self._grids.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._grids.clear()

    def __len__(self) -> int:
        return len(self._grids)


def register_kept(app: Flask) -> None:
    app.extensions["kept_grids"] = KeptGrids(app.config["KEPT_GRIDS"])
    app.extensions["release_tag"] = release_tag(Path(app.root_path), Path(app.template_folder))


def release_tag(package: Path, templates: Path) -> str:
    """A digest of what renders a grid: the package's code and catalogues and the templates.
    Every worker and host of one release computes the same, wherever it is installed; a new
    release, another."""
    digest = hashlib.sha256()
    for root, patterns in ((package, ("*.py", "*.mo")), (templates, ("*.html",))):
        for path in sorted(p for pattern in patterns for p in root.rglob(pattern)):
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _key() -> Hashable | None:
    serial = changes.serial()
    if serial is None:
        return None
    quarter = int(clock.now().timestamp()) // QUARTER_HOUR
    return (serial, current_user.id, language(), request.full_path, quarter)


def kept_view(page: str, grid: str, build: Callable[[], dict], *page_names: str) -> Response:
    """The page (or, for htmx, the grid alone) whose grid `build()`'s context renders; the grid
    is rendered once per serial, viewer, language, address and quarter hour (and rendered again
    from the context's `KEEP_UNTIL` on, if it gives one). A `build` that refuses the address
    (400, 404) keeps nothing. `page_names`: what the page around the grid reads from the
    context (its title)."""
    store: KeptGrids = current_app.extensions["kept_grids"]
    key = _key()
    tag = _tag(key) if key is not None and wants_fragment() else None
    kept_copy = _asked_with(tag) if tag is not None else None
    if kept_copy is not None:
        # a tag only goes out with a grid that stays as it is until its quarter hour ends
        return _validated(make_response("", 304), kept_copy)
    found = store.get(key) if key is not None else None
    if found is None or (found[2] is not None and clock.now() >= found[2]):
        context = build()
        html = render_template(grid, **context, csrf_token=lambda: _CSRF_MARK)
        found = (html, {name: context[name] for name in page_names}, context.get(KEEP_UNTIL))
        if key is not None:
            store.put(key, found)
    html, page_context, until = found
    if _CSRF_MARK in html:
        html = html.replace(_CSRF_MARK, generate_csrf())
    if wants_fragment():
        response = make_response(html)
        if tag is not None and (until is None or until.timestamp() >= _quarter_end(key)):
            return _validated(response, tag)
    else:
        response = make_response(render_template(page, grid=Markup(html), **page_context))  # noqa: S704 (our own rendered, autoescaped template)
    response.vary.add("HX-Request")
    return response


def _quarter_end(key: tuple) -> int:
    return (key[-1] + 1) * QUARTER_HOUR


def _tag(key: Hashable) -> str:
    """The grid's validator: its key, the sign-in its forms' tokens belong to, the release."""
    seen = repr((key, current_user.login_key, current_app.extensions["release_tag"]))
    return hashlib.sha256(seen.encode()).hexdigest()[:32]


def _asked_with(tag: str) -> str | None:
    """The tag of the browser's copy, if it is this grid's: as sent, or as compression sent it
    (flask-compress adds the encoding, "…:br"), so a compressed grid is not rendered to be
    compared."""
    for seen in request.if_none_match.as_set():
        if seen == tag or seen.startswith(tag + ":"):
            return seen
    return None


def _validated(response: Response, tag: str) -> Response:
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("HX-Request")
    return response
