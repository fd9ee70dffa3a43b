"""Figures of a unit's official accounts: followers over time (entered or imported)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..content.models import ContentItem
from ..content.platforms import URL_MAX
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import Timestamps, enum_column
from ..socialaccounts.models import SocialAccount
from ..timeutil import UTCDateTime


class FigureSource(StrEnum):
    MANUAL = "manual"  # typed in by the unit's admin or a coordinator
    IMPORT = "import"  # from a platform's export
    API = "api"  # from the optional connector

    @property
    def label(self) -> str:
        return str(FIGURE_SOURCE_LABELS[self])


FIGURE_SOURCE_LABELS = {
    FigureSource.MANUAL: _l("entered"),
    FigureSource.IMPORT: _l("imported"),
    FigureSource.API: _l("read from the platform"),
}


# What each post figure is called (Bahasa Indonesia: Tayangan, Jangkauan, Suka ...)
METRIC_LABELS = {
    "views": _l("Views"),
    "reach": _l("Reach"),
    "likes": _l("Likes"),
    "comments": _l("Comments"),
    "shares": _l("Shares"),
    "saves": _l("Saves"),
    "follows": _l("Follows"),
}
# ... and an account's daily figures (TikTok Studio's overview) besides
FIGURE_LABELS = {**METRIC_LABELS, "profile_views": _l("Profile views")}


class FollowerCount(Timestamps, db.Model):
    """How many followers an account had on a day: one figure per account and day (a second
    entry for the same day corrects the first)."""

    __tablename__ = "follower_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="CASCADE"), index=True
    )
    measured_on: Mapped[date]
    followers: Mapped[int]
    source: Mapped[FigureSource] = mapped_column(enum_column(FigureSource, "source"))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # a screenshot as proof (PNG or JPEG, checked by its first bytes), kept in the database so
    # every app server can show it
    proof_type: Mapped[str | None] = mapped_column(sa.String(20))
    proof: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    account: Mapped[SocialAccount] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("account_id", "measured_on"),
        sa.CheckConstraint("followers >= 0", name="followers_not_negative"),
    )


class PostMetric(Timestamps, db.Model):
    """What one post on an official account did, as its platform's export said on a day: one
    row per account and post (importing again updates it)."""

    __tablename__ = "post_metric"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="CASCADE"), index=True
    )
    # the platform's post id, else the permalink without its query, in lower case
    post_key: Mapped[str] = mapped_column(sa.String(URL_MAX))
    permalink: Mapped[str] = mapped_column(sa.String(URL_MAX), default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="SET NULL"), index=True
    )
    measured_on: Mapped[date]  # the day of the import: the figures as they stood then
    views: Mapped[int | None]
    reach: Mapped[int | None]
    likes: Mapped[int | None]
    comments: Mapped[int | None]
    shares: Mapped[int | None]
    saves: Mapped[int | None]
    follows: Mapped[int | None]

    account: Mapped[SocialAccount] = relationship()
    item: Mapped[ContentItem | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("account_id", "post_key"),)

    @property
    def interactions(self) -> int:
        return sum(v or 0 for v in (self.likes, self.comments, self.shares, self.saves))


class PerformanceImport(db.Model):
    """An uploaded export, kept between its preview and its confirmation (any app server may
    answer either), and afterwards as the record of what was imported."""

    __tablename__ = "performance_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="CASCADE"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    summary: Mapped[str] = mapped_column(sa.String(300), default="")

    account: Mapped[SocialAccount] = relationship()
    uploaded_by: Mapped[User | None] = relationship()


class AccountDay(db.Model):
    """An account's figures for one day, as a platform's daily overview gives them (TikTok
    Studio's Overview): importing the same days again updates them."""

    __tablename__ = "account_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date]
    views: Mapped[int | None]
    profile_views: Mapped[int | None]
    likes: Mapped[int | None]
    comments: Mapped[int | None]
    shares: Mapped[int | None]

    __table_args__ = (sa.UniqueConstraint("account_id", "day"),)


class ColumnAlias(db.Model):
    """A column header the region taught once (the mapping step of an import whose headers were
    unknown): every later file with that header is read the same way."""

    __tablename__ = "column_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    header: Mapped[str] = mapped_column(sa.String(100), unique=True)  # platform_files.header_key
    field: Mapped[str] = mapped_column(sa.String(20))
    taught_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    taught_by: Mapped[User | None] = relationship()


class AccountSync(db.Model):
    """What the connector (flask accounts-sync) last found reading an account from its platform:
    when it tried, when it last read it, and what went wrong ("" when nothing did)."""

    __tablename__ = "account_sync"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("social_account.id", ondelete="CASCADE"), unique=True
    )
    tried_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str] = mapped_column(sa.String(300), default="")
