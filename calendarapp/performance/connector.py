"""The optional Instagram connector (`flask accounts-sync`): for a region with a Meta app, one
Instagram professional account's token (Diskominfo's, META_IG_USER_ID and META_ACCESS_TOKEN)
reads every unit's registered Instagram professional account through the Graph API's Business
Discovery — its followers, and its recent posts with their likes and comments — and feeds the
same reconciliation as an import (imports.compare, imports.save_posts).

Business Discovery gives public figures only (no reach, no saves, no views). A doubtful match
waits for a person (an import's preview); a post nobody planned becomes *di luar rencana*, as in
an import. What went wrong is kept per account (AccountSync) and shown in the register; an
expired token or a rate limit stops the run. Nothing here runs while a page is served.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import sqlalchemy as sa
from flask import current_app

from ..accounts.models import Unit
from ..content.platforms import Platform
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..socialaccounts.models import AccountStatus, SocialAccount
from . import imports
from .models import AccountSync, FigureSource
from .platform_files import CAPTION_MAX, PlatformFile, PostRow, platform_of
from .services import set_count

MEDIA_LIMIT = 50  # the latest posts read per account
RECENT_DAYS = 31  # posts older than this are left to the exports
FIELDS = (
    "business_discovery.username({username}){{followers_count,media_count,media.limit("
    + str(MEDIA_LIMIT)
    + "){{id,caption,comments_count,like_count,media_type,permalink,timestamp}}}}"
)
TOKEN_CODES = {190}  # the token expired or was revoked
RATE_CODES = {4, 17, 32, 613}  # application, user or page rate limits
TIMEOUT = 20.0


class ConnectorOff(Exception):
    """The region has no Meta app configured."""


# Why an account was not read, kept as its code (the reason is shown in the reader's language).
REASONS = {
    "token": _l("the access token expired or was revoked: make a new one"),
    "rate": _l("the platform's rate limit was reached: it is read again next time"),
    "unreachable": _l("the platform could not be reached"),
    "unreadable": _l("the platform answered something unreadable"),
    "missing": _l("the platform did not return this account"),
    "account": _l("is it a professional (business or creator) account?"),
}


class AccountUnread(Exception):
    """This account could not be read (not a professional account, renamed ...): `code` is a
    key of REASONS, `detail` what the platform said."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code, self.detail = code, detail[:200]

    @property
    def kept(self) -> str:
        """As AccountSync.error keeps it."""
        return f"{self.code}: {self.detail}" if self.detail else self.code


def reason(error: str) -> str:
    """A kept AccountSync.error in the reader's language, with what the platform said."""
    code, _sep, detail = error.partition(": ")
    known = str(REASONS.get(code, REASONS["unreadable"]))
    return f"{known} ({detail})" if detail else known


class RunStopped(AccountUnread):
    """Nothing more can be read this run (the token, a rate limit)."""


@dataclass(frozen=True)
class Settings:
    graph_url: str
    ig_user_id: str
    token: str

    @classmethod
    def from_app(cls) -> Settings:
        config = current_app.config
        ig_user_id, token = config.get("META_IG_USER_ID"), config.get("META_ACCESS_TOKEN")
        if not ig_user_id or not token:
            raise ConnectorOff(
                "The Instagram connector is off: set META_IG_USER_ID and META_ACCESS_TOKEN "
                "(see the README). Without them, figures come from the platforms' exports."
            )
        return cls(config["META_GRAPH_URL"], ig_user_id, token)


@dataclass(frozen=True)
class Synced:
    account: SocialAccount
    followers: int | None = None
    matched: int = 0
    unplanned: int = 0
    waiting: int = 0  # doubtful matches left for a person
    error: str = ""
    stop: bool = False


def accounts_to_read() -> list[SocialAccount]:
    """Every live Instagram account of an active unit, with its unit: one query."""
    return list(
        db.session.scalars(
            sa.select(SocialAccount)
            .join(SocialAccount.unit)
            .where(
                SocialAccount.platform == Platform.INSTAGRAM,
                SocialAccount.status.in_([AccountStatus.AKTIF, AccountStatus.DORMAN]),
                Unit.active.is_(True),
            )
            .order_by(SocialAccount.id)
        )
    )


def discover(client: httpx.Client, settings: Settings, username: str) -> dict:
    """The account's public figures and latest media, as the Graph API answers."""
    try:
        answer = client.get(
            f"{settings.graph_url}/{settings.ig_user_id}",
            params={"fields": FIELDS.format(username=username)},
            headers={"Authorization": f"Bearer {settings.token}"},
        )
    except httpx.HTTPError as error:
        raise RunStopped("unreachable", type(error).__name__) from error
    try:
        body = answer.json()
    except ValueError as error:
        raise RunStopped("unreadable", f"HTTP {answer.status_code}") from error
    if not isinstance(body, dict):
        raise RunStopped("unreadable", f"HTTP {answer.status_code}")
    if answer.status_code != 200 or "error" in body:
        _refuse(body.get("error") if isinstance(body.get("error"), dict) else {})
    found = body.get("business_discovery")
    if not isinstance(found, dict):
        raise AccountUnread("missing")
    return found


def _refuse(error: dict) -> None:
    code, message = error.get("code"), str(error.get("message") or "")
    if code in TOKEN_CODES:
        raise RunStopped("token", message)
    if code in RATE_CODES:
        raise RunStopped("rate", message)
    raise AccountUnread("account", message)


def posts_of(found: dict, zone: ZoneInfo, since: date) -> PlatformFile:
    """The media Business Discovery gave, as the posts of an export (likes and comments only),
    published on or after `since` (in the unit's zone); media that make no sense are skipped."""
    media = found.get("media") if isinstance(found.get("media"), dict) else {}
    rows = media.get("data") if isinstance(media.get("data"), list) else []
    file = PlatformFile(kind="posts", columns=["post_id", "permalink", "published"], platform=None)
    for number, row in enumerate(rows, start=1):
        post = _post(row, number, zone)
        if post is not None and post.published.date() >= since:
            file.posts.append(post)
    file.platform = Platform.INSTAGRAM if file.posts else None
    return file


def _post(row, number: int, zone: ZoneInfo) -> PostRow | None:
    if not isinstance(row, dict):
        return None
    media_id, link = str(row.get("id") or "")[:100], str(row.get("permalink") or "")[:500]
    if not media_id or platform_of(link) != Platform.INSTAGRAM:
        return None
    try:
        published = datetime.strptime(str(row.get("timestamp")), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None
    metrics = {name: _whole(row.get(key)) for name, key in
               (("likes", "like_count"), ("comments", "comments_count"))}  # fmt: skip
    return PostRow(
        row=number, key=media_id, permalink=link, published=published.astimezone(zone),
        caption=str(row.get("caption") or "")[:CAPTION_MAX],
        post_type=str(row.get("media_type") or "")[:40], metrics=metrics,
    )  # fmt: skip


def _whole(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def sync_account(
    account: SocialAccount, client: httpx.Client, settings: Settings, now: datetime
) -> Synced:
    """Read one account and save what it says: today's followers, its recent posts' figures,
    reconciled with the calendar. What happened is kept in its AccountSync row."""
    zone = ZoneInfo(account.unit.timezone)
    today = now.astimezone(zone).date()
    since = max(today - timedelta(days=RECENT_DAYS), account.created_at.astimezone(zone).date())
    kept = db.session.scalar(sa.select(AccountSync).where(AccountSync.account_id == account.id))
    if kept is None:
        kept = AccountSync(account_id=account.id)
        db.session.add(kept)
    kept.tried_at = now
    try:
        found = discover(client, settings, account.handle.lstrip("@"))
    except AccountUnread as unread:
        kept.error = unread.kept[:300]
        return Synced(account, error=kept.error, stop=isinstance(unread, RunStopped))
    followers = _whole(found.get("followers_count"))
    if followers is not None:
        set_count(account, today, followers, FigureSource.API, None)
    result = imports.compare(account, posts_of(found, zone, since))
    matched, unplanned = imports.save_posts(result, account, None, today, None)
    kept.read_at, kept.error = now, ""
    return Synced(account, followers, matched, unplanned, len(result.of("unsure")))


def client() -> httpx.Client:
    return httpx.Client(timeout=TIMEOUT, headers={"User-Agent": "kalender-konten"})
