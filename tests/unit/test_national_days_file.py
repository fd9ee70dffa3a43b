"""The shipped national days agree with python-holidays, a well-kept independent source."""

from __future__ import annotations

from datetime import timedelta

import holidays
import pytest

from calendarapp.planning import services

YEARS = sorted({first.year for first, _last, _kind, _name in services.national_days()})


def _shipped(year: int, kind: str) -> set:
    days = set()
    for first, last, k, _name in services.national_days():
        if k == kind and first.year == year:
            days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return days


def test_the_file_covers_this_year_and_the_next():
    assert YEARS == [2026, 2027]


@pytest.mark.parametrize("year", YEARS)
def test_every_national_holiday_of_the_year_is_shipped_and_no_other(year):
    library = holidays.country_holidays("ID", years=year, categories=("public",))
    assert _shipped(year, "libur") == set(library)


@pytest.mark.parametrize("year", YEARS)
def test_every_collective_leave_day_of_the_year_is_shipped_and_no_other(year):
    library = holidays.country_holidays("ID", years=year, categories=("government",))
    assert _shipped(year, "cuti") == set(library)
    assert len(library) >= 7  # the SKB of each year sets at least this many
