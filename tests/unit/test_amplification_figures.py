"""Amplification compliance on constructed rows with known answers, in the unit's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from calendarapp.amplification.figures import AskedRow, compliance

WITA = ZoneInfo("Asia/Makassar")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 time in WITA, as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=WITA).astimezone(UTC)


def test_answered_on_time_over_asked_and_behind_on_the_day_scored():
    rows = [
        AskedRow(1, at(10, 17), 2, (at(10, 9), at(10, 16, 59))),  # both by the deadline
        AskedRow(1, at(12, 17), 2, (at(12, 9), at(13, 8))),  # one late
        AskedRow(1, at(14, 17), 1, ()),  # never answered: behind
        AskedRow(1, at(20, 17), 1, ()),  # due on the day scored, unanswered: not scored yet
        AskedRow(1, at(2, 17), 1, (at(2, 9),)),  # before the period
    ]
    found = compliance(rows, WITA, date(2026, 11, 9), date(2026, 11, 20))
    assert (found.asked, found.on_time, found.behind, found.rate) == (3, 1, 1, 33.3)


def test_a_deadline_just_after_midnight_in_wita_belongs_to_that_day():
    # 00.30 WITA on the 21st is 16.30 UTC on the 20th: a day later than UTC says
    row = AskedRow(1, at(21, 0, 30), 1, (at(21, 0, 10),))
    assert compliance([row], WITA, date(2026, 11, 9), date(2026, 11, 20)).asked == 0
    found = compliance([row], WITA, date(2026, 11, 9), date(2026, 11, 21))
    assert (found.asked, found.on_time) == (1, 1)


def test_nothing_asked_has_no_rate():
    assert compliance([], WITA, date(2026, 11, 1), date(2026, 11, 30)).rate is None
