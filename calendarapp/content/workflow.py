"""The content workflow as data: the states, their words, the edges and who may take each.

Actors are what a person is *for one item*: `editor` (an admin or editor of the item's unit),
`admin` (its unit admin), `assignee` (assigned to the item), `approver` (the unit admin; also
editors when the unit does not require approval, and the item's named reviewer if an editor).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..i18n import lazy_phrase as _l


class Status(StrEnum):
    IDE = "ide"
    DRAF = "draf"
    DITINJAU = "ditinjau"
    PERLU_REVISI = "perlu_revisi"
    DISETUJUI = "disetujui"
    TERJADWAL = "terjadwal"
    TAYANG = "tayang"
    DIBATALKAN = "dibatalkan"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.IDE: _l("Idea"),
    Status.DRAF: _l("Draft"),
    Status.DITINJAU: _l("In review"),
    Status.PERLU_REVISI: _l("Needs revision"),
    Status.DISETUJUI: _l("Approved"),
    Status.TERJADWAL: _l("Scheduled"),
    Status.TAYANG: _l("Published"),
    Status.DIBATALKAN: _l("Cancelled"),
}

# The order in which statuses are listed (board columns, filters, legends).
ORDER = tuple(Status)
# States in which the item's fields can still be edited.
EDITABLE = frozenset(ORDER) - {Status.TAYANG, Status.DIBATALKAN}

EDITOR, ADMIN, ASSIGNEE, APPROVER = "editor", "admin", "assignee", "approver"


@dataclass(frozen=True)
class Edge:
    source: Status
    target: Status
    actors: frozenset[str]
    action: object  # a lazy string: the button's words
    needs_note: bool = False


def _edge(source, target, actors, action, needs_note=False) -> Edge:
    return Edge(source, target, frozenset(actors), action, needs_note)


EDGES: tuple[Edge, ...] = (
    _edge(Status.IDE, Status.DRAF, {EDITOR, ASSIGNEE}, _l("Start the draft")),
    _edge(Status.DRAF, Status.DITINJAU, {EDITOR, ASSIGNEE}, _l("Send for review")),
    _edge(Status.DITINJAU, Status.PERLU_REVISI, {APPROVER}, _l("Ask for a revision"), True),
    _edge(Status.DITINJAU, Status.DISETUJUI, {APPROVER}, _l("Approve")),
    _edge(Status.PERLU_REVISI, Status.DRAF, {EDITOR, ASSIGNEE}, _l("Work on the revision")),
    _edge(Status.DISETUJUI, Status.TERJADWAL, {EDITOR}, _l("Schedule")),
    _edge(Status.TERJADWAL, Status.TAYANG, {EDITOR}, _l("Mark as published")),
    _edge(Status.TAYANG, Status.DRAF, {ADMIN}, _l("Reopen"), True),
    *(
        _edge(source, Status.DIBATALKAN, {EDITOR}, _l("Cancel"), True)
        for source in ORDER
        if source not in (Status.TAYANG, Status.DIBATALKAN)
    ),
)

TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    status: tuple(e.target for e in EDGES if e.source == status) for status in ORDER
}

# The usual road from an idea to a published post.
HAPPY_PATH = (
    Status.IDE,
    Status.DRAF,
    Status.DITINJAU,
    Status.DISETUJUI,
    Status.TERJADWAL,
    Status.TAYANG,
)


def edge(source: Status, target: Status) -> Edge | None:
    return next((e for e in EDGES if e.source == source and e.target == target), None)


def edges_for(current: Status, actors: set[str], head_approves: bool = False) -> list[Edge]:
    """The moves a person with these actor roles may offer from the current state. In a unit
    whose head approves posts, approval comes only through the head's link (content/head.py)."""
    return [
        e
        for e in EDGES
        if e.source == current
        and e.actors & actors
        and not (head_approves and e.target == Status.DISETUJUI)
    ]


def on_time(posted: date | None, planned: date | None) -> bool:
    """Published no later than its planned day (both in the unit's zone): Pantauan's figures
    and the mentoring's before/after figures use this one rule."""
    return planned is not None and posted is not None and posted <= planned
