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
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime

from flask import Flask, Response, current_app, make_response, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from . import changes, clock
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


def _key() -> Hashable | None:
    serial = changes.serial()
    if serial is None:
        return None
    quarter = int(clock.now().timestamp()) // QUARTER_HOUR
    return (serial, current_user.id, str(get_locale()), request.full_path, quarter)


def kept_view(page: str, grid: str, build: Callable[[], dict], *page_names: str) -> Response:
    """The page (or, for htmx, the grid alone) whose grid `build()`'s context renders; the grid
    is rendered once per serial, viewer, language, address and quarter hour (and rendered again
    from the context's `KEEP_UNTIL` on, if it gives one). A `build` that refuses the address
    (400, 404) keeps nothing. `page_names`: what the page around the grid reads from the
    context (its title)."""
    store: KeptGrids = current_app.extensions["kept_grids"]
    key = _key()
    found = store.get(key) if key is not None else None
    if found is None or (found[2] is not None and clock.now() >= found[2]):
        context = build()
        html = render_template(grid, **context, csrf_token=lambda: _CSRF_MARK)
        found = (html, {name: context[name] for name in page_names}, context.get(KEEP_UNTIL))
        if key is not None:
            store.put(key, found)
    html, page_context, _ = found
    if _CSRF_MARK in html:
        html = html.replace(_CSRF_MARK, generate_csrf())
    if wants_fragment():
        response = make_response(html)
    else:
        response = make_response(render_template(page, grid=Markup(html), **page_context))  # noqa: S704 (our own rendered, autoescaped template)
    response.vary.add("HX-Request")
    return response
