"""What content operations refuse: a ContentError with a message for the user, and StaleVersion
when someone else saved the item first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Refused, Stale
from ..i18n import lazy_phrase as _l

if TYPE_CHECKING:
    from .models import ContentItem


class ContentError(Refused):
    """A change to a content item we refuse."""


class StaleVersion(ContentError, Stale):
    """The form was made from an older version of the item than the one saved now."""

    def __init__(self, item: ContentItem) -> None:
        # no attribute of the item is read here: the session may be failing (see update_item)
        super().__init__(_l("Someone else changed this in the meantime."))
        self.item = item
