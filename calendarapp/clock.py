"""The one clock. Domain code asks it for the time; tests fix it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_fixed: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    if _fixed is not None:
        return _fixed
    return datetime.now(UTC)


@contextmanager
def frozen(at: datetime) -> Iterator[datetime]:
    """Fix the clock at an aware instant for the duration of a block."""
    global _fixed
    if at.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    previous, _fixed = _fixed, at.astimezone(UTC)
    try:
        yield _fixed
    finally:
        _fixed = previous
