"""Loading the demo kabupaten into an empty database."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from .. import clock
from ..accounts import services as accounts
from ..accounts.models import Role, Unit, User
from ..content.checklist import active_checklist
from ..content.models import (
    Theme,
)
from ..extensions import db
from ..monitoring.digest import send_weekly_digest
from ..timeutil import add_months, today
from .amplification import requests as amplification_requests
from .data import MARKER_UNIT, PEOPLE, PILLAR_SHARES, PILLARS, REGION_THEMES, UNIT_ZONES, UNITS
from .delivery import choices_of_people, heads
from .items import _items_for_unit, _near_midnight_items
from .performance import follower_history, post_figures
from .region import _agenda, _official_accounts, _slots, _trainings


def state() -> str:
    """'present' when the demo kabupaten is loaded, 'empty', or 'other-data'."""
    if db.session.scalar(sa.select(Unit.id).where(Unit.name == MARKER_UNIT)) is not None:
        return "present"
    has_rows = db.session.scalar(sa.select(sa.func.count(Unit.id))) or db.session.scalar(
        sa.select(sa.func.count(User.id))
    )
    return "other-data" if has_rows else "empty"


def load(password: str) -> dict[str, int]:
    """Create the demo kabupaten. The caller commits."""
    zone_name = current_app.config["REGION_TIMEZONE"]
    units: dict[str, Unit] = {}
    for key, name, short, kind, parent, color, target, approval, coverage in UNITS:
        units[key] = Unit(
            name=name,
            short_name=short,
            kind=kind,
            parent=units.get(parent) if parent else None,
            timezone=UNIT_ZONES.get(key, zone_name),
            color=color,
            weekly_target=target,
            requires_approval=approval,
            coordinates_coverage=coverage,
            # the units have existed for a while: Pantauan scores the weeks before today
            created_at=clock.now() - timedelta(days=365),
        )
        db.session.add(units[key])
    db.session.flush()

    admins: dict[str, User] = {}
    people: dict[str, User] = {}
    hashed = None  # everyone's password is the same: hashed once
    for email, name, coordinator, memberships in PEOPLE:
        user = accounts.create_user(
            email, name, password, is_coordinator=coordinator, hashed=hashed
        )
        hashed = user.password_hash
        people[email] = user
        for key, role in memberships:
            accounts.add_membership(user, units[key], role)
            if role == Role.ADMIN:
                admins.setdefault(key, user)

    first = today(zone_name).replace(day=1)
    for name, color, month_offset in REGION_THEMES:
        start = add_months(first, month_offset)
        db.session.add(
            Theme(
                name=name, color=color, starts_on=start, ends_on=add_months(start, 1) - timedelta(1)
            )
        )
    db.session.flush()

    checks = active_checklist()
    count = 0
    for key, unit in units.items():
        pillars = [
            Theme(unit=unit, name=name, color=color, intended_share=share)
            for (name, color, _), share in zip(
                PILLARS.get(key, PILLARS["default"]), PILLAR_SHARES, strict=True
            )
        ]
        db.session.add_all(pillars)
        db.session.flush()
        count += _items_for_unit(
            unit, pillars, PILLARS.get(key, PILLARS["default"]), admins.get(key), checks
        )
    _near_midnight_items(units["kominfo"], admins["kominfo"])
    events = _agenda(units, admins)
    _trainings(units, admins)
    _slots(units["satpolpp"], admins["satpolpp"])
    _official_accounts(units, admins)
    db.session.flush()
    heads(units, admins)
    amplification_requests(units, admins)
    choices_of_people(people)
    follower_history(units, today("Asia/Jakarta"))
    post_figures(today("Asia/Jakarta"))
    send_weekly_digest()  # as Monday's cron would have: the bell shows this week's flags
    return {"units": len(units), "items": count + 2, "events": events}
