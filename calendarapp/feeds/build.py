"""Building a feed: from per-event text cached in the database, rendering only the events
whose rows changed, and splicing the previous bytes when only a few did."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .. import clock
from ..changes import SERIAL
from ..extensions import db
from ..sources import Kept, Pending, registry
from . import ical
from .contents import MAX_BYTES, Feed, Fingerprint, describe, fingerprint
from .models import FeedEventCache, FeedToken, token_hash


def _bodies(feed: Feed, pending: list[Pending]) -> dict[str, bytes]:
    """The text of these events: from the shared cache, rendering (and storing) the stale ones."""
    if not pending:
        return {}
    # plain rows, not ORM objects: thousands of them are read on a full rebuild
    cached = {
        key: (fingerprint, body)
        for key, fingerprint, body in db.session.execute(
            sa.select(FeedEventCache.key, FeedEventCache.fingerprint, FeedEventCache.body).where(
                FeedEventCache.key.in_([p.key for p in pending])
            )
        )
    }
    stale = [p for p in pending if cached.get(p.key, ("",))[0] != p.fingerprint]
    stale_keys = {p.key for p in stale}
    bodies = {p.key: cached[p.key][1].encode() for p in pending if p.key not in stale_keys}
    if stale:
        by_source: dict = {}
        for p in stale:
            by_source.setdefault(registry.renderer(p.kind), []).append(p)
        for source, events in by_source.items():
            bodies.update(source.render(feed, events))
        _store(stale, cached, bodies)
    return bodies


def _other_events(feed: Feed) -> list[Pending]:
    """The events that are not content items (themes, agenda, coverage, trainings): they are
    few, so every rebuild reads them whole."""
    return [p for source in registry.feed_sources(feed) for p in source.events(feed)]


@dataclass
class Built:
    body: bytes
    manifest: str


def build(feed: Feed, current: Fingerprint) -> Built:
    """The whole feed from every row: cached event text where a row is unchanged. Only the
    events the size cap keeps are rendered (and the first it leaves out)."""
    items, versions = registry.items.events(feed, current.shared)
    pending = items + _other_events(feed)
    chosen, bodies = _rendered_within_size(feed, pending)
    lengths = {key: len(text) for key, text in bodies.items()}
    return _assemble(feed, current, pending, versions, lengths, lambda p: bodies[p.key], chosen)


# An incremental rebuild reads at most this many changed rows; more, and the whole feed is rebuilt.
CHANGED_MAX = 200


def _incremental(feed: Feed, current: Fingerprint, manifest: str | None, previous: bytes | None):
    """The feed rebuilt from the last one: only item rows changed since are read and rendered.

    It checks itself: the item rows it ends with must have the count, version sum and id sums
    the fingerprint query found, or it gives up (None) and the whole feed is rebuilt. Rows that
    leave or join the feed without a change of their own (an assignment, the cancellation grace
    running out) are caught that way.
    """
    if not manifest or previous is None or current.watermark is None:
        return None
    head, _, rows = manifest.partition("\n")
    meta = json.loads(head)
    if meta.get("v") != MANIFEST_VERSION or meta["static"] != current.static:
        return None
    watermark = datetime.fromisoformat(meta["watermark"])
    changed = registry.items.changed_since(watermark, CHANGED_MAX + 1)
    if len(changed) > CHANGED_MAX:
        return None
    gone = set(changed)
    versions = {}
    for pair in meta["items"].split(",") if meta["items"] else ():
        item_id, version = pair.split(":")
        if int(item_id) not in gone:
            versions[int(item_id)] = int(version)
    fresh, fresh_versions = (
        registry.items.events(feed, current.shared, only=changed) if changed else ([], {})
    )
    versions.update(fresh_versions)
    ids = versions.keys()
    totals = (len(versions), sum(versions.values()), sum(ids), sum(i * i for i in ids))
    if totals != tuple(int(v) for v in current.items):
        return None
    # the chosen events come first, in the order of the bytes: their offsets follow from lengths
    position = meta["start"]
    kept, lengths, offsets = [], {}, {}
    for row in rows.split("\n") if rows else ():
        key, item_id, epoch, zone, length, chosen = row.split("\t")
        if chosen == "1":
            offset, position = position, position + int(length)
        else:
            offset = -1
        if not item_id or int(item_id) in gone:
            continue  # other kinds are read again whole; changed items come back as `fresh`
        kept.append(Kept(key, float(epoch), int(item_id), zone or None, row[:-2]))
        offsets[key] = offset
        if length:  # none: left out by the cap and never rendered
            lengths[key] = int(length)
    others = _other_events(feed)
    new_bodies = _bodies(feed, fresh + others)
    lengths.update({k: len(b) for k, b in new_bodies.items()})
    pending = kept + fresh + others

    def body_of(p) -> bytes:
        if p.key in new_bodies:
            return new_bodies[p.key]
        offset = offsets[p.key]
        return previous[offset : offset + lengths[p.key]]

    # an event left out of the last feed by the size cap may come in now: read its text
    chosen_now = _known_within_size(feed, pending, lengths)
    if chosen_now is None:
        return None
    missing = [p for p in chosen_now if p.key not in new_bodies and offsets.get(p.key, -1) < 0]
    if missing:
        new_bodies.update(
            {
                key: body.encode()
                for key, body in db.session.execute(
                    sa.select(FeedEventCache.key, FeedEventCache.body).where(
                        FeedEventCache.key.in_([p.key for p in missing])
                    )
                )
            }
        )
        if any(p.key not in new_bodies for p in missing):
            return None
    return _assemble(feed, current, pending, versions, lengths, body_of, chosen_now)


MANIFEST_VERSION = 4


def _assemble(feed, current, pending, versions, lengths, body_of, chosen) -> Built:
    """The bytes, and the manifest the next incremental rebuild starts from.

    The manifest is a line of JSON (what the feed was built from) and a line per event: the
    events in the bytes first, in their order, then those the size cap left out (with no
    length if their text was never rendered).
    """
    zones = sorted({p.zone for p in chosen if p.zone})
    header = ical.calendar_header(feed.name, feed.description, feed.color)
    events = [body_of(p) for p in chosen]
    body = ical.assemble(header, zones, events)
    head = {
        "v": MANIFEST_VERSION,
        "static": current.static,
        "watermark": current.watermark.isoformat() if current.watermark else None,
        "items": ",".join(f"{i}:{v}" for i, v in versions.items()),
        "start": len(header) + sum(len(ical.vtimezone(z)) for z in zones),
    }
    in_body = {p.key for p in chosen}

    def length_of(p) -> int | str:
        return lengths.get(p.key, "")

    left_out = [p for p in pending if p.key not in in_body]
    rows = [
        (
            p.row
            if isinstance(p, Kept)
            else f"{p.key}\t{p.item_id or ''}\t{p.epoch!r}\t{p.zone or ''}\t{length_of(p)}"
        )
        + ("\t1" if p.key in in_body else "\t0")
        for p in (*chosen, *left_out)
    ]
    return Built(body, "\n".join([json.dumps(head, separators=(",", ":")), *rows]))


# Room in the bytes for events: the size cap less the header and time zones.
BUDGET = MAX_BYTES - 20_000


def _nearest_first(feed: Feed, pending: list) -> list:
    """The order in which the size cap keeps events: those nearest today first."""
    middle = datetime.combine(feed.today, time(), UTC).timestamp()
    return sorted(pending, key=lambda p: (abs(p.epoch - middle), p.key))


def _in_time_order(events: list) -> list:
    return sorted(events, key=lambda p: (p.epoch, p.key))


def _rendered_within_size(feed: Feed, pending: list[Pending]) -> tuple[list, dict[str, bytes]]:
    """The events the size cap keeps, in time order, and their text: every event if all fit,
    else those nearest today until the next would not fit.

    Rendered nearest first, a batch at a time, each batch as large as the room left seems to
    need: a capped feed renders about the events it keeps instead of every event of its window
    (a cold 5,000-item feed renders 1,800 of 4,700, measured in bench/feeds.py).
    """
    order = _nearest_first(feed, pending)
    bodies: dict[str, bytes] = {}
    chosen, used, start = [], 0, 0
    while start < len(order):
        size = max(64, int((BUDGET - used) * len(chosen) / used) + 16) if chosen else 256
        batch = order[start : start + size]
        start += size
        bodies.update(_bodies(feed, batch))
        for p in batch:
            used += len(bodies[p.key])
            if used > BUDGET:
                return _in_time_order(chosen), bodies
            chosen.append(p)
    return _in_time_order(chosen), bodies


def _known_within_size(feed: Feed, pending: list, lengths: dict[str, int]) -> list | None:
    """As `_rendered_within_size`, from the lengths known: None if it comes to an event whose
    text was never rendered before the cap is reached (only a whole build can tell)."""
    known = [lengths.get(p.key) for p in pending]
    if None not in known and sum(known) <= BUDGET:  # the common case: every event fits
        return _in_time_order(pending)
    chosen, used = [], 0
    for p in _nearest_first(feed, pending):
        length = lengths.get(p.key)
        if length is None:
            return None
        used += length
        if used > BUDGET:
            break
        chosen.append(p)
    return _in_time_order(chosen)


def _store(stale: list[Pending], cached: dict, bodies: dict[str, bytes]) -> None:
    new = [p for p in stale if p.key not in cached]
    if new:
        # two workers building the same new feed at once store the same text: the first stays
        insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
        db.session.execute(
            insert(FeedEventCache).on_conflict_do_nothing(index_elements=["key"]),
            [
                {"key": p.key, "fingerprint": p.fingerprint, "body": bodies[p.key].decode()}
                for p in new
            ],
        )
    for p in stale:
        if p.key in cached:
            db.session.execute(
                sa.update(FeedEventCache)
                .where(FeedEventCache.key == p.key)
                .values(fingerprint=p.fingerprint, body=bodies[p.key].decode())
            )


def feed_bytes(feed: Feed, current: Fingerprint) -> bytes:
    """The bytes for this fingerprint: kept from the last build, rebuilt from the last build
    and the rows changed since, or built whole; then kept."""
    token = feed.token
    if token.cached_fingerprint == current.value and token.cached_body is not None:
        return token.cached_body
    built = _incremental(feed, current, token.cached_manifest, token.cached_body)
    if built is None:
        built = build(feed, current)
    token.cached_fingerprint = current.value
    token.cached_body = built.body
    token.cached_manifest = built.manifest
    token.cached_last_modified = current.last_modified
    db.session.flush()
    return built.body


def build_ahead(token: FeedToken, site: str, day: date, serial: int | None) -> None:
    """Build a new link's feed now, so that the phone's first fetch is a kept answer: the
    first build renders every event the size cap keeps (a fifth of a second for 1,800), which a
    person waiting on the subscribe page can bear better than a phone's background fetch.
    `serial` is taken before any data is read."""
    feed = describe(token, site, day)
    current = fingerprint(feed)
    feed_bytes(feed, current)
    keep_seen(token, current, seen_key(serial, day, site))


def seen_key(serial: int | None, day, site: str) -> str | None:
    """What a kept feed was last found good at: the calendar serial, the day, the site."""
    if serial is None:
        return None
    site_hash = hashlib.sha256(site.encode()).hexdigest()[:8]
    return f"{serial}|{day.isoformat()}|{site_hash}"


def keep_seen(token: FeedToken, current: Fingerprint, seen: str | None) -> None:
    """The kept bytes answer for this fingerprint: mark them good until the serial moves."""
    if token.cached_fingerprint == current.value:
        token.cached_seen = seen
        token.cached_last_modified = current.last_modified


class KeptFeed(NamedTuple):
    token_id: int
    fingerprint: str
    last_modified: datetime
    last_used_at: datetime | None


# Built once: the kept answer's lookup is the one statement of most feed requests.
_KEPT = sa.select(
    FeedToken.id,
    FeedToken.cached_seen,
    FeedToken.cached_fingerprint,
    FeedToken.cached_last_modified,
    FeedToken.last_used_at,
    SERIAL,
).where(FeedToken.token_sha256 == sa.bindparam("sha"), FeedToken.revoked_at.is_(None))


def kept_feed(raw: str, day, site: str) -> KeptFeed | None:
    """The kept answer of an active link whose feed nothing has moved since it was last found
    good (same calendar serial, day and site): one indexed lookup, no ORM objects. None sends
    the request the whole way (rights, fingerprint, build)."""
    if not raw or len(raw) > 100:
        return None
    row = db.session.connection().execute(_KEPT, {"sha": token_hash(raw)}).first()
    if row is None or row[1] is None or row[1] != seen_key(row[5], day, site):
        return None
    return KeptFeed(row[0], row[2], row[3], row[4])


def kept_body(kept: KeptFeed) -> bytes | None:
    return db.session.scalar(sa.select(FeedToken.cached_body).where(FeedToken.id == kept.token_id))


def touch_kept(kept: KeptFeed) -> bool:
    """As touch(), for a kept answer: one UPDATE at most every ten minutes."""
    now = clock.now()
    if kept.last_used_at is not None and now - kept.last_used_at <= timedelta(minutes=10):
        return False
    db.session.execute(
        sa.update(FeedToken).where(FeedToken.id == kept.token_id).values(last_used_at=now)
    )
    return True
