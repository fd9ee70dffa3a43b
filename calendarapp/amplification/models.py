"""Amplifikasi: the leader's and Diskominfo's key messages spread by the units' accounts. A
request (by Prokopim or a coordinator) names its source, what to do, on which platforms, for which
units and by when; each target unit answers per platform — done, with the link of its own post,
or not done, with a reason."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..content.models import ContentItem
from ..content.platforms import URL_MAX, Platform
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import CreatedOnce, enum_column
from ..timeutil import UTCDateTime


class AmplifyAction(StrEnum):
    SHARE_FEED = "share_feed"
    SHARE_STORY = "share_story"
    REPOST = "repost"
    HASHTAG = "hashtag"
    PIN = "pin"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    AmplifyAction.SHARE_FEED: _l("Share to the feed"),
    AmplifyAction.SHARE_STORY: _l("Share to the story"),
    AmplifyAction.REPOST: _l("Repost"),
    AmplifyAction.HASHTAG: _l("Use the hashtags"),
    AmplifyAction.PIN: _l("Pin it"),
}


class AmplificationRequest(CreatedOnce, db.Model):
    """A request to amplify: Tugas Saya lists what a unit still owes, by its deadline."""

    __tablename__ = "amplification_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(160))
    source_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="SET NULL"), index=True
    )
    source_url: Mapped[str] = mapped_column(sa.String(URL_MAX), default="")
    action: Mapped[AmplifyAction] = mapped_column(enum_column(AmplifyAction, "action"))
    platforms: Mapped[str] = mapped_column(sa.String(120))  # comma-separated Platform values
    caption: Mapped[str] = mapped_column(sa.Text, default="")  # a suggested caption to copy
    hashtags: Mapped[str] = mapped_column(sa.String(300), default="")
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # paused for an election period: its source is a candidate's content (elections.py)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paused_reason: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    source_item: Mapped[ContentItem | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    targets: Mapped[list[AmplificationTarget]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="AmplificationTarget.id"
    )

    @property
    def platform_list(self) -> list[Platform]:
        values = set(self.platforms.split(","))
        return [p for p in Platform if p.value in values]

    @property
    def source_link(self) -> str:
        """Where the units find what to spread: the outside link, or the item's first proof."""
        if self.source_url:
            return self.source_url
        links = self.source_item.posted_links if self.source_item is not None else {}
        return next(iter(links.values()), "")


class AmplificationTarget(db.Model):
    """One unit asked to amplify one request."""

    __tablename__ = "amplification_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("amplification_request.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    request: Mapped[AmplificationRequest] = relationship(back_populates="targets")
    unit: Mapped[Unit] = relationship()
    answers: Mapped[list[AmplificationAnswer]] = relationship(
        back_populates="target", cascade="all, delete-orphan", order_by="AmplificationAnswer.id"
    )

    __table_args__ = (sa.UniqueConstraint("request_id", "unit_id"),)


class AmplificationAnswer(db.Model):
    """A unit's answer on one platform: done with its post's link, or not done with a reason."""

    __tablename__ = "amplification_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(
        sa.ForeignKey("amplification_target.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[Platform] = mapped_column(enum_column(Platform, "platform"))
    done: Mapped[bool]
    link: Mapped[str] = mapped_column(sa.String(URL_MAX), default="")
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )

    target: Mapped[AmplificationTarget] = relationship(back_populates="answers")
    answered_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("target_id", "platform"),)


class PeriodKind(StrEnum):
    CAMPAIGN = "kampanye"
    QUIET = "masa_tenang"
    POLLING = "pemungutan"

    @property
    def label(self) -> str:
        return str(PERIOD_LABELS[self])


PERIOD_LABELS = {
    PeriodKind.CAMPAIGN: _l("Campaign"),
    PeriodKind.QUIET: _l("Quiet days"),
    PeriodKind.POLLING: _l("Polling"),
}


class ElectionPeriod(db.Model):
    """A period of an election (days in the region's zone) during which civil servants do not
    like, comment on or share a candidate's content (SKB 2/2022 on ASN neutrality)."""

    __tablename__ = "election_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[PeriodKind] = mapped_column(enum_column(PeriodKind, "kind"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)


class Candidate(db.Model):
    """A candidate: a person here, an official account, and/or other accounts by their handle
    (an incumbent leader's personal account, say)."""

    __tablename__ = "candidate"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="CASCADE"), index=True
    )
    handles: Mapped[str] = mapped_column(sa.String(300), default="")  # lower case, comma-separated
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship()

    @property
    def handle_set(self) -> set[str]:
        return {h for h in self.handles.split(",") if h}
