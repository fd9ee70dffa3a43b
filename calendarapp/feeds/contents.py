"""What a feed shows: its scope, its window, the person's rights (`Feed`), and a cheap
fingerprint of everything in it (a few aggregate queries, one per kind of event, asked of the
calendar sources) that answers 304 or the kept bytes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from ..i18n import phrase as _
from ..sources import GRACE, registry
from .models import FeedScope, FeedToken

BACK, AHEAD = timedelta(days=60), timedelta(days=365)
MAX_BYTES = 900_000  # Google drops feeds over 1 MB
__all__ = ["GRACE", "MAX_BYTES", "Feed", "Fingerprint", "describe", "fingerprint"]


# ---- what a feed shows --------------------------------------------------------------------


@dataclass
class Feed:
    token: FeedToken
    name: str
    description: str
    color: str
    base_url: str
    locale: str
    today: date

    @property
    def window(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.today, time(), UTC)
        return start - BACK, start + AHEAD

    @cached_property
    def cache_prefix(self) -> str:
        """Event text differs by language and by site address (the links back)."""
        site = hashlib.sha256(self.base_url.encode()).hexdigest()[:8]
        return f"{self.locale}:{site}:"


def describe(token: FeedToken, base_url: str, today: date) -> Feed:
    user = token.user
    if token.scope == FeedScope.UNIT:
        name = _("Content plan %(unit)s", unit=token.unit.short_name)
        color = "steelblue"
    elif token.scope == FeedScope.REGION:
        name = _("Region content calendar")
        color = "darkgreen"
    elif token.scope == FeedScope.TRAININGS:
        name = _("Trainings and mentoring")
        color = "teal"
    elif token.scope == FeedScope.AGENDA:
        name = _("Leader's agenda")
        color = "rebeccapurple"
    else:
        name = _("My work: %(name)s", name=user.name)
        color = "darkorange"
    return Feed(
        token=token,
        name=name,
        description=_("Kalender Konten feed. Changes in the app appear here at the next refresh."),
        color=color,
        base_url=base_url.rstrip("/"),
        locale=user.locale or "id",
        today=today,
    )


@dataclass(frozen=True)
class Fingerprint:
    value: str  # the whole feed: equal values, equal bytes
    last_modified: datetime
    shared: str  # what every event's text depends on beyond its own row (unit and theme names)
    # what an incremental rebuild checks itself against (see _incremental)
    static: str = ""  # everything but the item rows: name, language, address, day, shared
    items: tuple = ()  # count, sum of versions, sum of ids, sum of squared ids of the item rows
    watermark: datetime | None = None  # the newest change among the item rows


def fingerprint(feed: Feed) -> Fingerprint:
    """A few cheap aggregate queries over everything the feed shows: equal fingerprints, equal
    bytes. Also answers the feed's Last-Modified: the newest change among its rows."""
    items = registry.items.fingerprint(feed)
    others = [source.fingerprint(feed) for source in registry.feed_sources(feed)]
    changes = [*items.changes, *(moment for part in others for moment in part.changes)]
    static = [
        "v4",  # the feed's format: v4 is the same bytes made through the calendar sources
        feed.name,
        feed.color,
        feed.base_url,
        feed.locale,
        feed.today.isoformat(),
        *registry.items.flags(feed),
        items.shared,
    ]
    parts = [
        *static,
        *(str(value) for value in (*items.rows, items.watermark, *items.parts)),
        *(str(value) for part in others for value in part.parts),
    ]
    return Fingerprint(
        value=hashlib.sha256("|".join(parts).encode()).hexdigest(),
        last_modified=max(changes, default=feed.token.created_at),
        shared=items.shared,
        static=hashlib.sha256("|".join(static).encode()).hexdigest(),
        items=items.rows,
        watermark=items.watermark,
    )
