"""Where each platform's pages live, and the account a link is on: one place for the register of
official accounts and for the proof links of a published post."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit

from ..i18n import lazy_phrase as _l

URL_MAX = 500  # a link to a post: proof of posting, an answer to amplify, a measured post


class Platform(StrEnum):
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    WEBSITE = "website"

    @property
    def label(self) -> str:
        return str(PLATFORM_LABELS[self])


PLATFORM_LABELS = {
    Platform.INSTAGRAM: "Instagram",
    Platform.FACEBOOK: "Facebook",
    Platform.TIKTOK: "TikTok",
    Platform.YOUTUBE: "YouTube",
    Platform.X: "X",
    Platform.WEBSITE: _l("Website"),
}


# A platform's own domains; a website may be on any domain.
DOMAINS = {
    Platform.INSTAGRAM: ("instagram.com",),
    Platform.FACEBOOK: ("facebook.com", "fb.com", "fb.watch"),
    Platform.TIKTOK: ("tiktok.com",),
    Platform.YOUTUBE: ("youtube.com", "youtu.be"),
    Platform.X: ("x.com", "twitter.com"),
}
# Profile addresses that carry the handle in their path.
HANDLE_IN_PATH = (Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.X)


def on_platform(platform: Platform, url: str) -> bool:
    """Is this address on the platform's own domain (any domain for a website)?"""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return False
    domains = DOMAINS.get(platform)
    return domains is None or any(host == d or host.endswith("." + d) for d in domains)


def handle_in(url: str, handle: str) -> bool:
    """Does the address's path name this handle (as /handle or /@handle)?"""
    path = urlsplit(url.strip()).path.lower()
    return handle.lower() in [part.lstrip("@") for part in path.split("/")]


def post_account(platform: Platform, url: str) -> str | None:
    """The account a post's link names, where the platform puts it in the address: a TikTok
    video (/@handle/video/…) or an X post (/handle/status/…); None elsewhere (an Instagram or
    YouTube post's address names no account)."""
    parts = [p for p in urlsplit(url.strip()).path.split("/") if p]
    if platform == Platform.TIKTOK and parts and parts[0].startswith("@"):
        return parts[0][1:].lower()
    if platform == Platform.X and len(parts) >= 3 and parts[1] == "status":
        return parts[0].lower()
    return None
