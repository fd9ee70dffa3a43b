"""The day's coverage roster as plain text, ready to paste into a WhatsApp group."""

from __future__ import annotations

from datetime import date

from ..i18n import format_day, format_local_time
from ..i18n import phrase as _
from ..timeutil import local
from .models import Visibility
from .reads import AgendaEntry
from .workflow import CoverageStatus

# Requests still alive: declined and cancelled ones do not cover anything.
SHOWN = frozenset(CoverageStatus) - {CoverageStatus.DITOLAK, CoverageStatus.DIBATALKAN}


def _when(entry: AgendaEntry) -> str:
    event = entry.event
    if event.starts_at is None:
        return _("time to be confirmed")
    start = local(event.starts_at, event.timezone).strftime("%H.%M")
    return f"{start}–{format_local_time(event.ends_at, event.timezone)}"


def roster_text(day: date, entries: list[AgendaEntry]) -> tuple[str, int]:
    """The roster and how many events were left out (closed to this person, or restricted)."""
    # WhatsApp shows *text* in bold; nothing else in the roster is markup.
    lines = ["*" + _("Coverage roster, %(day)s", day=format_day(day)) + "*"]
    left_out = 0
    shown = 0
    for entry in entries:
        event = entry.event
        if not entry.full or event.visibility == Visibility.RESTRICTED:
            left_out += 1
            continue
        shown += 1
        lines += ["", f"{shown}. *{event.title}* ({event.leader.label})"]
        lines.append("   " + _when(entry) + (f" · {event.place}" if event.place else ""))
        covering = [r for r in event.requests if r.status in SHOWN]
        for request in covering:
            who = (
                f"{request.assignee.name} ({request.unit.short_name})"
                if request.assignee
                else _("%(unit)s (to be picked)", unit=request.unit.short_name)
            )
            lines.append(f"   - {request.deliverable.label}: {who} · {request.status.label}")
        if not covering:
            lines.append("   - " + _("nobody covers this yet"))
    if not shown:
        lines += ["", _("No events to cover on this day.")]
    return "\n".join(lines), left_out
