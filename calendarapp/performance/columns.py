"""The mapping step: a file whose headers are unknown (a new platform language, a renamed
column) is read once its uploader says what its columns are. The answer is kept for the region
(ColumnAlias): every later file with those headers is read the same way, by anyone.
"""

from __future__ import annotations

import sqlalchemy as sa

from .. import clock
from ..accounts.models import User
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from .models import ColumnAlias
from .platform_files import FIELD_LABELS, kind_of


class MappingRefused(Refused):
    """A mapping we refuse, with the reason; nothing is kept."""


def learned() -> dict[str, str]:
    """Every header the region taught: header_key → field (one query)."""
    return dict(db.session.execute(sa.select(ColumnAlias.header, ColumnAlias.field)).all())


def teach(headers: list[str], chosen: dict[int, str], by: User) -> None:
    """Keep what the person said the columns are (`chosen`: column → field, "" to leave a
    column out). Refused whole: a field chosen for two columns, a column without a header, or
    choices that do not make a file we can read (a publish time and a link or post id; or a
    date and followers or daily figures)."""
    picked = {column: name for column, name in chosen.items() if name}
    if any(name not in FIELD_LABELS for name in picked.values()):
        raise MappingRefused(_l("Choose what each column is from the list."))
    if any(column >= len(headers) or not headers[column] for column in picked):
        raise MappingRefused(_l("A column without a header cannot be read; leave it out."))
    names = list(picked.values())
    for name in set(names):
        if names.count(name) > 1:
            raise MappingRefused(
                _l("“%(field)s” is chosen for two columns.", field=FIELD_LABELS[name])
            )
    if kind_of(set(names)) is None:
        raise MappingRefused(
            _l(
                "Say which column is the publish time and which the link or the post id; or, "
                "for daily figures, which is the date and which the followers or the views."
            )
        )
    kept = {
        alias.header: alias
        for alias in db.session.scalars(
            sa.select(ColumnAlias).where(ColumnAlias.header.in_([headers[c] for c in picked]))
        )
    }
    for column, name in picked.items():
        alias = kept.get(headers[column])
        if alias is None:
            alias = ColumnAlias(header=headers[column], created_at=clock.now())
            db.session.add(alias)
        alias.field, alias.taught_by = name, by
    db.session.flush()
