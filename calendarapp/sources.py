"""Calendar sources: every area that puts something on a calendar offers it through here.

Two small protocols and one registry:

- a `DaySource` places its kind on the days of the month and week views, as the viewer may see
  them (the leader's agenda, trainings, a unit's empty slots, amplification deadlines), each as
  a `DayChip` that says what to show; content items are the calendar's own (`calendar/`);
- a `FeedSource` gives a phone's feed its events of one kind: a cheap fingerprint of what it
  shows, the events (each with the fingerprint its cached text is kept under) and each event's
  iCalendar text. The content items' source also rebuilds incrementally (`ItemFeedSource`).

Each area keeps its source in its own package (`<area>/calendar_source.py`) and registers it
when the app is made (`calendarapp.register_sources`). `calendar/` and `feeds/` read the
registry and import no area's models.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from .accounts.models import User
    from .timeutil import DateRange

UID_DOMAIN = "kalender-konten"
GRACE = timedelta(days=14)  # a cancelled event stays this long in feeds as CANCELLED, then goes


# ---- the month and week views -----------------------------------------------------------------


@dataclass(frozen=True)
class Looking:
    """Who looks at which days, in which units, through which filters (see calendar/views)."""

    viewer: User
    days: DateRange
    unit_ids: list[int]
    filters: Any  # the content filters of the address (calendar.picks.Filters)
    agenda: str = ""  # "" every leader's agenda, "none" hidden, or one leader


@dataclass(frozen=True)
class DayChip:
    """One thing an area puts on a day of the month and week views, in the words the calendar
    shows: the calendar renders every kind alike and asks no area what its fields mean."""

    kind: str  # its style and its list on the day: chip-<kind>, <kind>-chips, badge-<kind>
    ref: tuple[str, int]  # what scripts and tests find it by: ("agenda-id", 12)
    time: str  # "09.00 WIB", "Sepanjang hari"
    title: str
    tooltip: str = ""
    href: str | None = None  # None: a closed block, not a link
    badge: str | None = None  # its small label: "Agenda Pimpinan", "FGD", "1 dari 3 unit menjawab"
    color: str | None = None  # --chip-color
    flags: tuple[str, ...] = ()  # more of its style: chip-<flag>
    note: str | None = None  # what the week's longer chip adds after the badge


class ChipGroup(NamedTuple):
    """A day's chips of one kind, in their source's order."""

    kind: str
    chips: list[DayChip]


class DaySource(Protocol):
    kind: str  # the `DayChip.kind` of what it places

    def place(self, looking: Looking) -> dict[date, list[DayChip]]:
        """What falls on each day, as the viewer may see it (a day without any is left out)."""


# ---- feeds ------------------------------------------------------------------------------------


class FeedView(Protocol):
    """What a source may ask of a feed (feeds.contents.Feed)."""

    token: Any  # the FeedToken: scope, user, unit_id, include_drafts
    base_url: str
    today: date

    @property
    def window(self) -> tuple[datetime, datetime]: ...

    @property
    def cache_prefix(self) -> str: ...


@dataclass
class Pending:
    """An event of a feed before its text is known: its key in the shared text cache, the
    fingerprint that text is kept under, where it sits in time, and what renders it."""

    key: str
    fingerprint: str
    start: datetime
    item_id: int | None
    kind: str  # publish, draft, theme, agenda, coverage, training, follow-up, rtl
    zone: str | None
    subject: Any = field(default=None, compare=False, repr=False)  # the row(s) it is made from

    @cached_property
    def epoch(self) -> float:
        """The start as seconds: the order of the feed, and what the manifest keeps."""
        return self.start.timestamp()


class Kept(NamedTuple):
    """An item event carried over from the last feed's manifest (thousands are: a tuple is cheap).

    `row` is its manifest line without the final "chosen" flag, written back as it was read.
    """

    key: str
    epoch: float
    item_id: int
    zone: str | None
    row: str


def pending(
    feed: FeedView,
    name: str,
    base: str,
    start: datetime,
    kind: str,
    *,
    item_id: int | None = None,
    zone: str | None = None,
    subject: Any = None,
) -> Pending:
    """An event named `name` (its UID without the domain), whose text depends on `base`."""
    return Pending(
        key=f"{feed.cache_prefix}{name}@{UID_DOMAIN}",
        fingerprint=hashlib.sha256(f"{kind}|{base}".encode()).hexdigest(),
        start=start if start.tzinfo is UTC else start.astimezone(UTC),
        item_id=item_id,
        kind=kind,
        zone=zone,
        subject=subject,
    )


def uid_of(feed: FeedView, p: Pending) -> str:
    return p.key.removeprefix(feed.cache_prefix)


@dataclass(frozen=True)
class Print:
    """A source's share of a feed's fingerprint: values that change whenever what it shows
    does, and the newest change among them (the feed's Last-Modified)."""

    parts: tuple = ()
    changes: tuple[datetime, ...] = ()


class FeedSource(Protocol):
    kinds: tuple[str, ...]  # the Pending kinds it renders

    def shows(self, feed: FeedView) -> bool: ...

    def fingerprint(self, feed: FeedView) -> Print: ...

    def events(self, feed: FeedView) -> list[Pending]:
        """Every event of this kind in the feed, each with its `subject` for `render`."""

    def render(self, feed: FeedView, events: list[Pending]) -> dict[str, bytes]:
        """The text of these events, by key."""


@dataclass(frozen=True)
class ItemPrint:
    """The content items' share of a fingerprint, with what an incremental rebuild checks."""

    rows: tuple[int, int, int, int]  # count, sum of versions, sum of ids, sum of squared ids
    watermark: datetime | None  # the newest change among the rows
    shared: str  # what every item event's text depends on beyond its row (unit, theme names)
    changes: tuple[datetime, ...]  # the newest changes of everything above
    parts: tuple = ()  # anything else the fingerprint follows


class ItemFeedSource(Protocol):
    """Content items: thousands per feed, so a feed is rebuilt from the rows changed since."""

    kinds: tuple[str, ...]

    def flags(self, feed: FeedView) -> tuple[str, ...]:
        """What, besides its rows, decides which item events the feed holds."""

    def fingerprint(self, feed: FeedView) -> ItemPrint: ...

    def events(
        self, feed: FeedView, shared: str, only: list[int] | None = None
    ) -> tuple[list[Pending], dict[int, int]]:
        """The item events (of these items only), and the version of every row read."""

    def changed_since(self, watermark: datetime, limit: int) -> list[int]: ...

    def render(self, feed: FeedView, events: list[Pending]) -> dict[str, bytes]: ...


# ---- the registry -----------------------------------------------------------------------------


@dataclass
class Registry:
    days: list[DaySource] = field(default_factory=list)
    feeds: list[FeedSource] = field(default_factory=list)
    items: ItemFeedSource | None = None

    def on_days(self, looking: Looking) -> dict[date, list[ChipGroup]]:
        """Each day's chips, a group per source in the order the sources were registered."""
        placed: dict[date, list[ChipGroup]] = {}
        for source in self.days:
            for day, chips in source.place(looking).items():
                if chips:
                    placed.setdefault(day, []).append(ChipGroup(source.kind, chips))
        return placed

    def feed_sources(self, feed: FeedView) -> Iterable[FeedSource]:
        return [source for source in self.feeds if source.shows(feed)]

    def renderer(self, kind: str) -> FeedSource | ItemFeedSource:
        for source in (*self.feeds, self.items):
            if source is not None and kind in source.kinds:
                return source
        raise LookupError(kind)


registry = Registry()


def register(
    *,
    days: Iterable[DaySource] = (),
    feeds: Iterable[FeedSource] = (),
    items: ItemFeedSource | None = None,
) -> None:
    """Called once per area when the app is made; registering the same source again is a no-op."""
    for source in days:
        if source not in registry.days:
            registry.days.append(source)
    for source in feeds:
        if source not in registry.feeds:
            registry.feeds.append(source)
    if items is not None:
        registry.items = items
