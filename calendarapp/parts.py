"""What other areas show on a page that belongs to one area. Each kind of page is a `Parts`;
each area built on the page's owner registers a reader for it when the app is made
(`calendarapp.register_sources`), and the page's view reads them all. So the owner imports none
of the areas built on it — as the calendar reads its day sources. Readers give the names the
page's template reads, already narrowed to what the viewer may see.

- `ITEM_PAGE`, reader(viewer, item), for `content/_detail.html`: the coverage an item came from
  (Prokopim), how its posts did (the platforms' exports), the mentoring feedback on it;
- `UNIT_ACCOUNTS`, reader(accounts, today), for `socialaccounts/_unit.html`: each account's
  followers over the months and what the Instagram connector last found;
- `ACCOUNTS_REGISTER`, reader(accounts), for `socialaccounts/_register.html`: what the connector
  last found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Readers take the page's subjects (a User, a ContentItem, SocialAccounts, a date): the registry
# stays below the areas it serves, so it names their types in words only.
Reader = Callable[..., dict[str, Any]]


class Parts:
    def __init__(self) -> None:
        self.readers: list[Reader] = []

    def register(self, *found: Reader) -> None:
        """Called when the app is made; registering the same reader again is a no-op."""
        self.readers.extend(reader for reader in found if reader not in self.readers)

    def read(self, *subjects: Any) -> dict[str, Any]:
        """Every registered part's names for this page; two parts never give the same name (a
        later one would hide the earlier one's silently)."""
        names: dict[str, Any] = {}
        for reader in self.readers:
            part = reader(*subjects)
            if clash := names.keys() & part.keys():
                raise ValueError(f"{reader.__qualname__} gives names already given: {clash}")
            names.update(part)
        return names


ITEM_PAGE = Parts()
UNIT_ACCOUNTS = Parts()
ACCOUNTS_REGISTER = Parts()
