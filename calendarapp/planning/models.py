"""Recurring slots of a unit's week, and what became of each occurrence."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum

import sqlalchemy as sa
from dateutil import rrule
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import Unit, User
from ..content.models import AssigneeRole, ContentFormat, ContentItem, Theme
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..models_base import Timestamps, Versioned, enum_column
from ..timeutil import UTCDateTime


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"

    @property
    def label(self) -> str:
        return str(FREQUENCY_LABELS[self])


FREQUENCY_LABELS = {
    Frequency.WEEKLY: _l("Every week"),
    Frequency.BIWEEKLY: _l("Every other week"),
    Frequency.MONTHLY: _l("Monthly (the first such weekday)"),
}

# RFC 5545 day codes, Monday first, as the calendar's weeks.
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Slot(Versioned, Timestamps, db.Model):
    """A recurring place in a unit's week: "Senin 09.00, Info Layanan, foto, Instagram".

    The recurrence is an RFC 5545 RRULE, expanded by python-dateutil in the unit's local dates.
    """

    __tablename__ = "slot"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    pillar_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="SET NULL"), index=True
    )
    format: Mapped[ContentFormat] = mapped_column(enum_column(ContentFormat, "format"))
    platforms: Mapped[str] = mapped_column(sa.String(100), default="")  # comma-separated
    weekdays: Mapped[str] = mapped_column(sa.String(30))  # "MO,WE"
    at: Mapped[time | None]
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "frequency"))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)
    # who usually makes it: filling the slot assigns them, while they are still in the unit
    assignee_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    assignee_role: Mapped[AssigneeRole | None] = mapped_column(
        enum_column(AssigneeRole, "assignee_role")
    )
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # the slot this one took over from when its days or rhythm changed (copy-last-week follows it)
    follows_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("slot.id", ondelete="SET NULL"), index=True
    )

    unit: Mapped[Unit] = relationship()
    pillar: Mapped[Theme | None] = relationship()
    assignee: Mapped[User | None] = relationship()
    follows: Mapped[Slot | None] = relationship(remote_side=[id])

    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR starts_on <= ends_on", name="date_order"),
    )

    def ended(self, today: date) -> bool:
        """Retired, or past its last day: it no longer recurs, and the weeks it ran keep it."""
        return not self.active or (self.ends_on is not None and self.ends_on < today)

    @property
    def days(self) -> list[str]:
        return [d for d in self.weekdays.split(",") if d]

    @property
    def rule(self) -> str:
        """The RRULE, as RFC 5545 writes it."""
        byday = (
            ",".join(f"1{d}" for d in self.days)
            if self.frequency == Frequency.MONTHLY
            else (",".join(self.days))
        )
        parts = {
            Frequency.WEEKLY: "FREQ=WEEKLY",
            Frequency.BIWEEKLY: "FREQ=WEEKLY;INTERVAL=2",
            Frequency.MONTHLY: "FREQ=MONTHLY",
        }[self.frequency]
        rule = f"{parts};WKST=MO;BYDAY={byday}"
        if self.ends_on is not None:
            rule += f";UNTIL={self.ends_on:%Y%m%d}T235959"
        return rule

    def days_between(self, first: date, last: date) -> list[date]:
        """The local dates of its occurrences from first to last, both included.

        The expansion starts near `first`, never from a first day long ago: a whole number of
        the slot's periods (two weeks, or a month) later, so its rhythm is the same.
        """
        start = datetime.combine(self._start_near(first), time())
        expanded = rrule.rrulestr(self.rule, dtstart=start)
        low, high = datetime.combine(first, time()), datetime.combine(last, time(23, 59))
        return [moment.date() for moment in expanded.between(low, high, inc=True)]

    def _start_near(self, first: date) -> date:
        if first <= self.starts_on:
            return self.starts_on
        if self.frequency == Frequency.MONTHLY:
            months = (first.year - self.starts_on.year) * 12 + first.month - self.starts_on.month
            months = max(0, months - 1)
            year, month = divmod(self.starts_on.month - 1 + months, 12)
            return max(self.starts_on, date(self.starts_on.year + year, month + 1, 1))
        period = 14 if self.frequency == Frequency.BIWEEKLY else 7
        # whole periods from the slot's Monday keep the week parity of every-other-week slots
        monday = self.starts_on - timedelta(days=self.starts_on.weekday())
        periods = max(0, (first - monday).days // period - 1)
        return max(self.starts_on, monday + timedelta(days=period * periods))


class SlotFill(db.Model):
    """One occurrence of a slot that was filled with an item, or skipped on purpose."""

    __tablename__ = "slot_fill"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slot.id", ondelete="CASCADE"))
    day: Mapped[date]
    item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_item.id", ondelete="SET NULL"), index=True
    )
    skipped: Mapped[bool] = mapped_column(default=False)
    by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    slot: Mapped[Slot] = relationship()
    item: Mapped[ContentItem | None] = relationship()
    by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("slot_id", "day"),)
