"""What other areas show on a content item's page: the coverage it came from (Prokopim), how
its posts did (the platforms' exports), the mentoring feedback on it.

Each area registers a reader when the app is made (`calendarapp.register_sources`): given the
viewer and the item, the names its part of the page reads (`templates/content/_detail.html`),
already narrowed to what this viewer may see. `content/` reads the registry and imports none of
those areas — as the calendar reads its day sources.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (the viewer: a User, the item: a ContentItem) -> the names its part of the page reads; the
# registry stays below the areas it serves, so it names their types in words only
Reader = Callable[[Any, Any], dict[str, Any]]
readers: list[Reader] = []


def register(*found: Reader) -> None:
    """Called when the app is made; registering the same reader again is a no-op."""
    readers.extend(reader for reader in found if reader not in readers)


def read(viewer: Any, item: Any) -> dict[str, Any]:
    """Every registered part's names for this item's page, as this viewer may see them."""
    parts: dict[str, Any] = {}
    for reader in readers:
        parts.update(reader(viewer, item))
    return parts
