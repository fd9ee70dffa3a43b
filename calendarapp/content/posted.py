"""Proof of posting: the links of a published post, checked against the platform and the
unit's registered accounts, and which official account each platform went out on."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..socialaccounts.models import AccountStatus, SocialAccount
from .models import (
    ContentItem,
    ContentItemPlatform,
    Platform,
)
from .platforms import URL_MAX, on_platform, post_account
from .refusals import ContentError


def valid_url(text: str) -> bool:
    parts = urlsplit(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc) and len(text) <= URL_MAX


def set_posted_links(item: ContentItem, links: dict[Platform, str]) -> None:
    by_platform = {p.platform: p for p in item.platforms}
    for platform, url in links.items():
        url = url.strip()
        if not url:
            continue
        if not valid_url(url):
            raise ContentError(
                _l("“%(url)s” is not a web address (http:// or https://).", url=url[:80]),
                "posted_links",
            )
        if not on_platform(platform, url):
            raise ContentError(
                _l("The %(platform)s link “%(url)s” is not on %(platform)s.",
                   platform=platform.label, url=url[:80]),
                "posted_links",
            )  # fmt: skip
        _check_account(item, platform, url)
        if platform in by_platform:
            by_platform[platform].posted_url = url
        else:
            item.platforms.append(ContentItemPlatform(platform=platform, posted_url=url))
    _accounts_named_in_links(item)
    link_accounts(item)


def link_accounts(item: ContentItem) -> None:
    """Each platform of the item goes out on the unit's official account there, when the unit
    has registered exactly one open account on that platform (with several, the one chosen stays;
    with none, the platform alone, as before accounts were registered)."""
    unit_id = item.unit.id if item.unit is not None else item.unit_id
    with db.session.no_autoflush:  # mid-edit: a flush now would count the edit twice (version)
        accounts = db.session.execute(
            sa.select(SocialAccount.id, SocialAccount.platform).where(
                SocialAccount.unit_id == unit_id,
                SocialAccount.status != AccountStatus.DITUTUP,
            )
        ).all()
    by_platform: dict[Platform, list[int]] = {}
    for account_id, platform in accounts:
        by_platform.setdefault(platform, []).append(account_id)
    for row in item.platforms:
        choices = by_platform.get(row.platform, [])
        if row.account_id not in choices:
            row.account_id = choices[0] if len(choices) == 1 else None


def _accounts_named_in_links(item: ContentItem) -> None:
    """A proof link that names its account (a TikTok video, an X post) tells which of the unit's
    accounts the post went out on, also where the unit has several on that platform."""
    for row in item.platforms:
        named = post_account(row.platform, row.posted_url) if row.posted_url else None
        if named:
            with db.session.no_autoflush:
                row.account_id = db.session.scalar(
                    sa.select(SocialAccount.id).where(
                        SocialAccount.unit_id == item.unit_id,
                        SocialAccount.platform == row.platform,
                        SocialAccount.handle_key == named,
                    )
                )


def _check_account(item: ContentItem, platform: Platform, url: str) -> None:
    """A link that names its account (a TikTok video, an X post) must name one of the unit's
    registered accounts on that platform, when the unit has registered any."""
    named = post_account(platform, url)
    if named is None:
        return
    registered = set(
        db.session.scalars(
            sa.select(SocialAccount.handle_key).where(
                SocialAccount.unit_id == item.unit_id, SocialAccount.platform == platform
            )
        )
    )
    if registered and named not in registered:
        raise ContentError(
            _l("This %(platform)s link is on @%(named)s, not on the unit's account (%(ours)s).",
               platform=platform.label, named=named,
               ours=", ".join(f"@{h}" for h in sorted(registered))),
            "posted_links",
        )  # fmt: skip
