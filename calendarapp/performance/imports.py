"""Importing a platform's export for one official account: checked and kept, shown as a preview,
then applied whole or not at all.

Each post of the file is reconciled with the unit's calendar: by its link (the proof link of a
Tayang item), else by its time (within MATCH_HOURS in the unit's zone) and its caption's likeness
to the item's; a post found on neither becomes a Tayang item marked *di luar rencana*. Importing
the same file again, or an overlapping one, updates figures and never adds a row twice.
"""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import clock
from ..accounts.models import Unit, User
from ..content.models import ContentFormat, ContentItem, ContentItemPlatform, StatusChange
from ..content.services import record_status
from ..content.workflow import Status
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..socialaccounts.models import SocialAccount
from ..socialaccounts.permissions import keeps_accounts
from . import columns
from .models import AccountDay, FigureSource, PerformanceImport, PostMetric
from .platform_files import ColumnsUnknown, FileRefused, PlatformFile, PostRow, post_key, read
from .services import counts_on, set_count

MATCH_HOURS = 6
LIKENESS = 0.6  # a caption at least this alike makes a match by time a sure one
TITLE_MAX = 80
FORMATS = {"reel": ContentFormat.VIDEO_PENDEK, "video": ContentFormat.VIDEO_PENDEK,
           "carousel": ContentFormat.CAROUSEL, "album": ContentFormat.CAROUSEL,
           "live": ContentFormat.SIARAN_LANGSUNG}  # fmt: skip


class ImportRefused(Refused):
    """An import we refuse as a whole, with the reason."""


def _refs_of(account: SocialAccount) -> set[str]:
    """What a file may call this account: its handle, or an id in its profile address."""
    parts = {p.lstrip("@").lower() for p in account.url.split("/") if p}
    return {account.handle_key.lower()} | parts


def _check_account(found: PlatformFile, account: SocialAccount) -> None:
    """The file must be this account's: its platform and, where it names one, its account."""
    if found.platform is not None and found.platform != account.platform:
        raise ImportRefused(
            _l(
                "This is a %(file)s export, but @%(handle)s is on %(platform)s.",
                file=found.platform.label,
                handle=account.handle,
                platform=account.platform.label,
            ),
            "file",
        )
    if not found.account_refs or found.account_refs & _refs_of(account):
        return
    others = db.session.scalars(
        sa.select(SocialAccount).where(
            SocialAccount.platform == account.platform,
            SocialAccount.handle_key.in_(sorted(found.account_refs)),
        )
    ).all()
    if any(other.unit_id != account.unit_id for other in others):
        raise ImportRefused(_l("This file is of an account of another unit."), "file")
    names = sorted(r for r in found.account_refs if not r.isdigit())  # usernames before ids
    named = ", ".join("@" + n for n in names) or ", ".join(sorted(found.account_refs))
    raise ImportRefused(
        _l("This file is of %(named)s, not of @%(handle)s.", named=named, handle=account.handle),
        "file",
    )


def stage(
    unit: Unit, account: SocialAccount, by: User, data: bytes, filename: str, today: date
) -> PerformanceImport:
    """Check the upload and keep it for its preview; refused whole when it cannot be read, is
    empty, is another platform's or another account's. A table whose headers are unknown is
    kept too: its preview first asks what the columns are (`teach_columns`)."""
    if not keeps_accounts(by, unit) or account.unit_id != unit.id:
        raise ImportRefused(_l("Only the unit's admins and the coordinators import figures."))
    with contextlib.suppress(ColumnsUnknown):  # its columns are asked for next
        _readable(data, unit, account, today)
    upload = PerformanceImport(
        unit_id=unit.id,
        account=account,
        uploaded_by=by,
        filename=(filename or "")[:200],
        data=data,
        created_at=clock.now(),
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def _readable(data: bytes, unit: Unit, account: SocialAccount, today: date) -> PlatformFile:
    found = read(data, unit.timezone, today, columns.learned())
    _check_account(found, account)
    if found.problems and not found.rows:
        raise FileRefused(_l("No row of this file could be read."))
    return found


def teach_columns(
    upload: PerformanceImport, chosen: dict[int, str], by: User, today: date
) -> PlatformFile:
    """The mapping step: keep what the person says the file's columns are, for the region, and
    read the file with it; refused whole (nothing kept) when the file still cannot be read."""
    unit = upload.account.unit
    if not keeps_accounts(by, unit):
        raise ImportRefused(_l("Only the unit's admins and the coordinators import figures."))
    headers = unknown_columns(upload, today)
    if headers is None:  # already readable (taught meanwhile, or a repeated submit)
        return _readable(upload.data, unit, upload.account, today)
    columns.teach(headers.headers, chosen, by)
    return _readable(upload.data, unit, upload.account, today)


def unknown_columns(upload: PerformanceImport, today: date) -> ColumnsUnknown | None:
    """The file's headers and first row when the region has not taught them yet, else None."""
    try:
        read(upload.data, upload.account.unit.timezone, today, columns.learned())
    except ColumnsUnknown as unknown:
        return unknown
    except FileRefused:
        return None  # its preview says why
    return None


# ---- the preview -------------------------------------------------------------------------------


@dataclass
class Match:
    post: PostRow
    item: ContentItem | None  # None: the post went out unplanned
    how: str  # "link", "time", "unsure" (by time, captions unlike) or "new"
    likeness: float = 0.0
    existing: PostMetric | None = None  # figures already imported for this post


@dataclass
class Preview:
    upload: PerformanceImport | None  # None: read from the platform (connector.py)
    file: PlatformFile
    matches: list[Match] = field(default_factory=list)
    followers_new: int = 0
    followers_updated: int = 0
    # marked Tayang on this platform on a day the file covers, yet not in the file: to check
    missing: list[ContentItem] = field(default_factory=list)

    def of(self, how: str) -> list[Match]:
        return [m for m in self.matches if m.how == how]


def _likeness(a: str, b: str) -> float:
    a, b = " ".join(a.lower().split())[:500], " ".join(b.lower().split())[:500]
    if not a or not b:
        return 0.0
    return round(difflib.SequenceMatcher(None, a, b).ratio(), 2)


def _candidates(unit: Unit, found: PlatformFile) -> list[ContentItem]:
    """The unit's items near the file's days (planned or posted), with their platforms."""
    days = found.days
    if days is None:
        return []
    low = datetime.combine(days[0], datetime.min.time(), UTC) - timedelta(days=2)
    high = datetime.combine(days[1], datetime.min.time(), UTC) + timedelta(days=3)
    return list(
        db.session.scalars(
            sa.select(ContentItem)
            .where(
                ContentItem.unit_id == unit.id,
                ContentItem.status != Status.DIBATALKAN,
                sa.or_(
                    ContentItem.planned_at.between(low, high),
                    ContentItem.posted_at.between(low, high),
                    ContentItem.planned_date.between(low.date(), high.date()),
                ),
            )
            .options(selectinload(ContentItem.platforms))
        )
    )


def _link_key(url: str | None) -> str:
    return post_key("", url or "")


def preview(upload: PerformanceImport, today: date) -> Preview:
    """What applying the upload would do, worked out afresh from its bytes."""
    account = upload.account
    return compare(account, _readable(upload.data, account.unit, account, today), upload)


def compare(
    account: SocialAccount, found: PlatformFile, upload: PerformanceImport | None = None
) -> Preview:
    """The account's posts (and follower counts) as found, matched to its unit's calendar."""
    unit = account.unit
    result = Preview(upload, found)
    items = _candidates(unit, found)
    by_link = {
        _link_key(p.posted_url): item
        for item in items
        for p in item.platforms
        if p.posted_url and p.platform == account.platform
    }
    existing = {
        m.post_key: m
        for m in db.session.scalars(
            sa.select(PostMetric).where(
                PostMetric.account_id == account.id,
                PostMetric.post_key.in_([p.key for p in found.posts] or [""]),
            )
        )
    }
    taken: set[int] = set()
    for post in found.posts:
        match = _match(post, by_link, items, taken, existing.get(post.key))
        if match.item is not None:
            taken.add(match.item.id)
        result.matches.append(match)
    if found.kind == "posts" and found.days:
        first, last = found.days
        zone = ZoneInfo(unit.timezone)
        result.missing = [
            item
            for item in items
            if item.status == Status.TAYANG
            and item.id not in taken
            and item.posted_at is not None
            and first <= item.posted_at.astimezone(zone).date() <= last
            and any(p.platform == account.platform for p in item.platforms)
        ]
    known = counts_on(account, [f.day for f in found.followers])
    result.followers_updated = sum(1 for f in found.followers if f.day in known)
    result.followers_new = len(found.followers) - result.followers_updated
    return result


def look(upload: PerformanceImport, today: date) -> Preview | Refused:
    """The preview, or why there is none (the file's columns changed meaning since, say)."""
    try:
        return preview(upload, today)
    except Refused as refused:
        return refused


def _match(
    post: PostRow,
    by_link: dict[str, ContentItem],
    items: list[ContentItem],
    taken: set[int],
    existing: PostMetric | None,
) -> Match:
    if existing is not None and existing.item_id is not None:
        item = next((i for i in items if i.id == existing.item_id), None)
        if item is not None:
            return Match(post, item, "link", 1.0, existing)
    item = by_link.get(_link_key(post.permalink)) if post.permalink else None
    if item is not None:
        return Match(post, item, "link", 1.0, existing)
    best, best_likeness = None, -1.0
    for candidate in items:
        if candidate.id in taken:
            continue
        when = candidate.posted_at or candidate.planned_at
        if when is None:  # planned for a whole day: that day
            near = candidate.planned_date == post.published.date()
        else:
            near = when is not None and abs(when - post.published) <= timedelta(hours=MATCH_HOURS)
        if not near:
            continue
        likeness = _likeness(candidate.caption or candidate.title, post.caption)
        if likeness > best_likeness:
            best, best_likeness = candidate, likeness
    if best is None:
        return Match(post, None, "new", 0.0, existing)
    return Match(
        post, best, "time" if best_likeness >= LIKENESS else "unsure", best_likeness, existing
    )


# ---- applying ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    matched: int
    unplanned: int
    followers: int
    days: int = 0


def apply(upload: PerformanceImport, by: User, confirmed: set[int], today: date) -> Applied:
    """Save what the preview showed: every figure, or none. A doubtful match (by time, captions
    unlike) counts only when its row is in `confirmed`; otherwise the post went out unplanned.
    Applying twice (a double submit) changes nothing the second time."""
    unit, account = upload.account.unit, upload.account
    if not keeps_accounts(by, unit):
        raise ImportRefused(_l("Only the unit's admins and the coordinators import figures."))
    if upload.applied_at is not None:
        return counts(upload.summary)
    result = preview(upload, today)
    matched, unplanned = save_posts(result, account, by, today, confirmed)
    kept = counts_on(account, [row.day for row in result.file.followers])
    for row in result.file.followers:
        kept[row.day] = set_count(account, row.day, row.followers, FigureSource.IMPORT, by, kept)
    _daily(account, result.file)
    upload.applied_at = clock.now()
    upload.summary = f"{matched};{unplanned};{len(result.file.followers)};{len(result.file.daily)}"
    db.session.flush()
    return counts(upload.summary)


def _daily(account: SocialAccount, found: PlatformFile) -> None:
    """An account's daily figures: a day imported again is updated, never doubled."""
    if not found.daily:
        return
    days = {
        row.day: row
        for row in db.session.scalars(
            sa.select(AccountDay).where(
                AccountDay.account_id == account.id,
                AccountDay.day.in_(sorted({d.day for d in found.daily})),
            )
        )
    }
    for figures in found.daily:
        row = days.get(figures.day)
        if row is None:
            row = days[figures.day] = AccountDay(account_id=account.id, day=figures.day)
            db.session.add(row)
        for name, value in figures.metrics.items():
            setattr(row, name, value)


def save_posts(
    result: Preview,
    account: SocialAccount,
    by: User | None,
    today: date,
    confirmed: set[int] | None,
) -> tuple[int, int]:
    """Each post's figures on its item (matched, unplanned). A doubtful match counts only when its
    row is `confirmed`; otherwise the post went out unplanned — or, when nobody can confirm
    (`confirmed` None: the connector), its figures wait on no item and nothing is added."""
    matched = unplanned = 0
    for match in result.matches:
        sure = match.how in ("link", "time") or (
            match.how == "unsure" and confirmed is not None and match.post.row in confirmed
        )
        item = match.item if sure else None
        if item is not None:
            _published(item, account, match.post, by)
            matched += 1
        elif match.how != "unsure" or confirmed is not None:
            item = _unplanned_item(account.unit, account, match.post, by)
            unplanned += 1
        # else a doubtful match nobody can confirm: its figures are kept, on no item
        metric = match.existing or PostMetric(account=account, post_key=match.post.key)
        if metric.id is None:
            db.session.add(metric)
        metric.permalink = match.post.permalink or metric.permalink or ""
        metric.published_at, metric.measured_on = match.post.published, today
        metric.item = item
        for name, value in match.post.metrics.items():
            setattr(metric, name, value)
    return matched, unplanned


def counts(summary: str) -> Applied:
    parts = [int(part) for part in summary.split(";")] + [0]  # older imports had no days
    return Applied(*parts[:4])


def _format(post_type: str) -> ContentFormat:
    kind = post_type.lower()
    return next((f for word, f in FORMATS.items() if word in kind), ContentFormat.FOTO)


def _unplanned_item(
    unit: Unit, account: SocialAccount, post: PostRow, by: User | None
) -> ContentItem:
    """A post that went out without being planned: Tayang, marked di luar rencana."""
    first_line = next((line.strip() for line in post.caption.splitlines() if line.strip()), "")
    title = first_line[:TITLE_MAX] or str(
        _l("Post on %(platform)s", platform=account.platform.label)
    )
    item = ContentItem(
        unit=unit,
        title=title,
        caption=post.caption,
        format=_format(post.post_type),
        status=Status.TAYANG,
        unplanned=True,
        planned_at=post.published,
        posted_at=post.published,
        created_by=by,
        updated_by=by,
    )
    item.platforms.append(
        ContentItemPlatform(
            platform=account.platform, posted_url=post.permalink or None, account_id=account.id
        )
    )
    item.history.append(
        StatusChange(
            user=by,
            from_status=None,
            to_status=Status.TAYANG,
            note=str(_l("Found in the platform's export: published without being planned.")),
            created_at=clock.now(),
        )
    )
    db.session.add(item)
    return item


def _published(item: ContentItem, account: SocialAccount, post: PostRow, by: User | None) -> None:
    """A planned item the export shows went out: Tayang with its link, if it was not yet."""
    row = next((p for p in item.platforms if p.platform == account.platform), None)
    if row is None:
        row = ContentItemPlatform(platform=account.platform, account_id=account.id)
        item.platforms.append(row)
    if not row.posted_url and post.permalink:
        row.posted_url = post.permalink
    if item.status != Status.TAYANG:
        record_status(
            item, Status.TAYANG, by, str(_l("Published, as the platform's export shows."))
        )
        item.posted_at = post.published
