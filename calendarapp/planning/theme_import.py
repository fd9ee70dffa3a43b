"""An .ics file (national days, a campaign calendar) imported as region themes.

Re-importing the same file updates the themes it made (matched by UID) instead of doubling them.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..content.models import Theme
from ..extensions import db
from ..feeds.importer import Imported, read

DEFAULT_COLOR = "#64748b"


def import_themes(data: bytes) -> Imported:
    """Create or update region themes from the file; flushes, the caller commits."""
    rows = read(data)
    existing = {
        t.source_uid: t
        for t in db.session.scalars(
            sa.select(Theme).where(Theme.source_uid.in_([r.uid for r in rows]))
        )
    }
    created = updated = 0
    for row in rows:
        theme = existing.get(row.uid)
        if theme is None:
            theme = Theme(unit_id=None, source_uid=row.uid, color=DEFAULT_COLOR)
            db.session.add(theme)
            created += 1
        else:
            updated += 1
        theme.name, theme.description = row.name, row.description
        theme.starts_on, theme.ends_on = row.starts_on, row.ends_on
    db.session.flush()
    return Imported(created, updated)
