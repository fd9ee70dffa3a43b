"""Feed tokens, and the feeds themselves: the area's operations in one place for its views.

A request first asks the database for a cheap fingerprint of everything a feed shows (one
aggregate query, `contents`). The same fingerprint answers 304, or the bytes kept from the last
build. Otherwise the feed is rebuilt (`build`) from per-event text cached in the database,
rendering (`render`) only the events (`events`) whose rows changed. Tokens live in `tokens`.
"""

from __future__ import annotations

from .build import (
    CHANGED_MAX,
    Built,
    KeptFeed,
    _incremental,
    build,
    build_ahead,
    feed_bytes,
    keep_seen,
    kept_body,
    kept_feed,
    seen_key,
    touch_kept,
)
from .contents import GRACE, MAX_BYTES, Feed, Fingerprint, describe, fingerprint
from .tokens import (
    available,
    find_token,
    issue,
    revoke,
    sees_agenda,
    still_allowed,
    tokens_of,
    touch,
)

__all__ = [
    "CHANGED_MAX", "GRACE", "MAX_BYTES", "Built", "Feed", "Fingerprint", "_incremental",
    "available", "build", "describe", "feed_bytes", "find_token", "fingerprint", "issue",
    "keep_seen", "seen_key", "build_ahead", "KeptFeed", "kept_feed", "kept_body", "touch_kept",
    "revoke", "sees_agenda", "still_allowed", "tokens_of", "touch",
]  # fmt: skip
