"""Themes: region-wide campaigns (coordinators) and a unit's content pillars (its admins).

Archived, never deleted, so old items keep their colours.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from ..accounts.models import Unit, User
from ..accounts.permissions import is_coordinator
from ..content.models import ContentItem, Theme
from ..content.workflow import Status
from ..errors import Refused
from ..extensions import db
from ..i18n import lazy_phrase as _l
from ..timeutil import FIRST_YEAR, LAST_YEAR
from .permissions import can_keep_themes

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
NAME_MAX, TEXT_MAX, HASHTAGS_MAX = 120, 2000, 300


class PlanningError(Refused):
    """A change to a theme we refuse."""


@dataclass
class ThemeFields:
    name: str
    color: str
    description: str = ""
    hashtags: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    intended_share: int | None = None


def themes_for(user: User) -> tuple[list[Theme], dict[Unit, list[Theme]]]:
    """The region's campaigns, and the pillars of each unit the user belongs to (or all, for
    coordinators), archived last."""
    order = (Theme.archived, Theme.starts_on.desc().nulls_last(), Theme.name)
    region = list(
        db.session.scalars(sa.select(Theme).where(Theme.unit_id.is_(None)).order_by(*order))
    )
    query = sa.select(Theme).where(Theme.unit_id.is_not(None)).order_by(*order)
    if not is_coordinator(user):
        query = query.where(Theme.unit_id.in_([m.unit_id for m in user.memberships]))
    pillars: dict[Unit, list[Theme]] = {}
    for theme in db.session.scalars(query.options(sa.orm.joinedload(Theme.unit))):
        pillars.setdefault(theme.unit, []).append(theme)
    return region, dict(sorted(pillars.items(), key=lambda kv: kv[0].name))


def _others(unit_id: int, except_theme: int | None) -> list[Theme]:
    """The unit's other active pillars that have an intended share."""
    return list(
        db.session.scalars(
            sa.select(Theme)
            .where(
                Theme.unit_id == unit_id,
                Theme.archived.is_(False),
                Theme.intended_share.is_not(None),
                Theme.id != (except_theme if except_theme is not None else -1),
            )
            .order_by(Theme.intended_share.desc(), Theme.name)
        )
    )


def _check_total(unit_id: int, except_theme: int | None, share: int, field: str | None) -> None:
    """At most 100 % together; the refusal names the pillars one could lower."""
    others = _others(unit_id, except_theme)
    total = share + sum(p.intended_share for p in others)
    if total > 100:
        raise PlanningError(
            _l(
                "The pillars' shares would add up to %(total)d %%; at most 100 %%. "
                "Lower this one or one of: %(pillars)s.",
                total=total,
                pillars=", ".join(f"{p.name} ({p.intended_share} %)" for p in others),
            ),
            field,
        )


# Colours a new pillar is offered, in order: the first one the unit does not use yet.
PALETTE = ("#2563eb", "#16a34a", "#f97316", "#9333ea", "#db2777", "#0d9488", "#ca8a04", "#475569")


def free_colour(unit: Unit | None) -> str:
    if unit is None:
        return PALETTE[0]
    used = set(
        db.session.scalars(
            sa.select(sa.func.lower(Theme.color)).where(
                Theme.unit_id == unit.id, Theme.archived.is_(False)
            )
        )
    )
    return next((c for c in PALETTE if c not in used), PALETTE[0])


def save_theme(theme: Theme | None, unit: Unit | None, data: ThemeFields) -> Theme:
    """Create or change a theme, or refuse with the reason and change nothing."""
    data.name = data.name.strip()
    if not data.name or len(data.name) > NAME_MAX:
        raise PlanningError(
            _l("A theme needs a name of 1 to %(limit)d characters.", limit=NAME_MAX), "name"
        )
    if not COLOR.match(data.color or ""):
        raise PlanningError(_l("Choose a colour such as #1d4ed8."), "color")
    if len(data.description) > TEXT_MAX:
        raise PlanningError(
            _l("The description is too long (at most %(limit)d characters).", limit=TEXT_MAX),
            "description",
        )
    tags = data.hashtags.split()
    if len(data.hashtags) > HASHTAGS_MAX or any(not t.startswith("#") or len(t) < 2 for t in tags):
        raise PlanningError(
            _l("Write hashtags like #SukamajuSehat, separated by spaces."), "hashtags"
        )
    if unit is None:
        if data.starts_on is None or data.ends_on is None:
            raise PlanningError(_l("A region campaign needs a start and an end date."), "starts_on")
        data.intended_share = None
    for name in ("starts_on", "ends_on"):
        day = getattr(data, name)
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise PlanningError(_l("Choose a date between the years 2000 and 2100."), name)
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise PlanningError(_l("The end date is before the start date."), "ends_on")
    if unit is not None and data.intended_share is not None:
        if not 0 <= data.intended_share <= 100:
            raise PlanningError(_l("A share is between 0 and 100 %."), "intended_share")
        _check_total(
            unit.id, theme.id if theme is not None else None, data.intended_share, "intended_share"
        )
    if theme is None:
        theme = Theme(unit=unit)
        db.session.add(theme)
    theme.name, theme.color, theme.description = data.name, data.color.lower(), data.description
    theme.hashtags = " ".join(tags)
    theme.starts_on, theme.ends_on = data.starts_on, data.ends_on
    theme.intended_share = data.intended_share
    db.session.flush()
    return theme


def set_archived(theme: Theme, archived: bool) -> None:
    if not archived and theme.unit is not None and theme.intended_share:
        _check_total(theme.unit_id, theme.id, theme.intended_share, None)
    theme.archived = archived
    db.session.flush()


@dataclass
class Uptake:
    unit: Unit
    planned: int
    published: int


def uptake(theme: Theme) -> list[Uptake]:
    """For a region campaign: how many items each active unit planned and published for it."""
    counts = {
        unit_id: (planned, published)
        for unit_id, planned, published in db.session.execute(
            sa.select(
                ContentItem.unit_id,
                sa.func.count(ContentItem.id),
                sa.func.count(ContentItem.id).filter(ContentItem.status == Status.TAYANG),
            )
            .where(ContentItem.theme_id == theme.id, ContentItem.status != Status.DIBATALKAN)
            .group_by(ContentItem.unit_id)
        )
    }
    units = db.session.scalars(sa.select(Unit).where(Unit.active.is_(True)).order_by(Unit.name))
    rows = [Uptake(unit, *counts.get(unit.id, (0, 0))) for unit in units]
    return sorted(rows, key=lambda r: (r.planned == 0, -r.published, -r.planned, r.unit.name))


# ---- national days -------------------------------------------------------------------------

NATIONAL_DAYS = Path(__file__).parent / "data" / "national_days.csv"
NATIONAL_COLORS = {"libur": "#dc2626", "cuti": "#f97316", "peringatan": "#0d9488"}
NATIONAL_KINDS = {
    "libur": _l("National holiday"),
    "cuti": _l("Collective leave"),
    "peringatan": _l("Commemoration day"),
}


@functools.cache
def national_days() -> tuple[tuple[date, date, str, str], ...]:
    """The shipped list (see its header for the sources): first day, last day, kind, name.

    Read once per process: the file ships with the code and changes only with a release."""
    rows = []
    with NATIONAL_DAYS.open(encoding="utf-8") as f:
        for row in csv.reader(line for line in f if not line.startswith("#")):
            first = date.fromisoformat(row[0])
            rows.append((first, date.fromisoformat(row[1]) if row[1] else first, row[2], row[3]))
    return tuple(rows)


def national_day_years() -> str:
    """The years the shipped list covers, as the import button names them: "2026–2027"."""
    years = sorted({first.year for first, _last, _kind, _name in national_days()})
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def import_national_days(by: User) -> tuple[int, int]:
    """The national days as region themes, matched by a stable source id: answers (new, updated)."""
    if not can_keep_themes(by, None):
        raise PlanningError(_l("Only coordinators keep the region's themes."))
    rows = national_days()
    uids = {
        f"national-day:{first.isoformat()}:{name}": (first, last, kind, name)
        for first, last, kind, name in rows
    }
    existing = {
        t.source_uid: t
        for t in db.session.scalars(sa.select(Theme).where(Theme.source_uid.in_(list(uids))))
    }
    created = 0
    for uid, (first, last, kind, name) in uids.items():
        theme = existing.get(uid)
        if theme is None:
            theme = Theme(unit_id=None, source_uid=uid)
            db.session.add(theme)
            created += 1
        theme.name, theme.color = name[:NAME_MAX], NATIONAL_COLORS[kind]
        theme.description = str(NATIONAL_KINDS[kind])
        theme.starts_on, theme.ends_on = first, last
    db.session.flush()
    return created, len(uids) - created
