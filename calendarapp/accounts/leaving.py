"""Someone leaves units (taken out of one, or deactivated): what the areas built on people do
about it — content ends their parts on the units' open items and asks the admins to give them
to someone else; the official accounts they held get a handover checklist. Each area registers
its step when the app is made (`calendarapp.register_sources`), so people's views import none
of those areas."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask import current_app

from .. import clock
from ..timeutil import today
from .models import User

# (the person, the units they left, who did it, the region's today, now): flushes, never commits
Step = Callable[[User, list[int], User, date, datetime], object]
steps: list[Step] = []


def register(*found: Step) -> None:
    """Called when the app is made; registering the same step again is a no-op."""
    steps.extend(step for step in found if step not in steps)


def person_left(person: User, unit_ids: list[int], by: User) -> None:
    """Every area's step for someone who left these units, in the order they registered."""
    region_today = today(current_app.config["REGION_TIMEZONE"])
    now = clock.now()
    for step in steps:
        step(person, unit_ids, by, region_today, now)
