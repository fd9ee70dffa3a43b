"""A coverage request's life as data: the states, their words, the edges and who may take each.

Actors are what a person is *for one request*: `requester` (an admin or editor of the Prokopim
unit that keeps the event), `unit_admin` (an admin of the unit asked) and `assignee` (the person
picked to cover). A request to a unit stays Diminta until someone is picked (see services.assign).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..i18n import lazy_phrase as _l


class CoverageStatus(StrEnum):
    DIMINTA = "diminta"
    DITERIMA = "diterima"
    DITOLAK = "ditolak"
    DISERAHKAN = "diserahkan"
    SELESAI = "selesai"
    DIBATALKAN = "dibatalkan"

    @property
    def label(self) -> str:
        return str(COVERAGE_STATUS_LABELS[self])

    @classmethod
    def closed(cls) -> frozenset[CoverageStatus]:
        return frozenset({cls.DITOLAK, cls.SELESAI, cls.DIBATALKAN})

    @classmethod
    def committed(cls) -> frozenset[CoverageStatus]:
        """Someone said yes: the event counts as covered."""
        return frozenset({cls.DITERIMA, cls.DISERAHKAN, cls.SELESAI})


COVERAGE_STATUS_LABELS = {
    CoverageStatus.DIMINTA: _l("Requested"),
    CoverageStatus.DITERIMA: _l("Accepted"),
    CoverageStatus.DITOLAK: _l("Declined"),
    CoverageStatus.DISERAHKAN: _l("Delivered"),
    CoverageStatus.SELESAI: _l("Done"),
    CoverageStatus.DIBATALKAN: _l("Cancelled"),
}

REQUESTER, UNIT_ADMIN, ASSIGNEE = "requester", "unit_admin", "assignee"


@dataclass(frozen=True)
class Edge:
    source: CoverageStatus
    target: CoverageStatus
    actors: frozenset[str]
    action: object  # a lazy string: the button's words
    needs_note: bool = False
    needs_links: bool = False


def _edge(source, target, actors, action, needs_note=False, needs_links=False) -> Edge:
    return Edge(source, target, frozenset(actors), action, needs_note, needs_links)


S = CoverageStatus
EDGES: tuple[Edge, ...] = (
    _edge(S.DIMINTA, S.DITERIMA, {ASSIGNEE}, _l("Accept")),
    _edge(S.DIMINTA, S.DITOLAK, {ASSIGNEE, UNIT_ADMIN}, _l("Decline"), needs_note=True),
    _edge(S.DITERIMA, S.DISERAHKAN, {ASSIGNEE}, _l("Deliver"), needs_links=True),
    _edge(S.DISERAHKAN, S.SELESAI, {REQUESTER}, _l("Mark as done")),
    _edge(S.DISERAHKAN, S.DITERIMA, {REQUESTER}, _l("Ask for more"), needs_note=True),
    *(
        _edge(source, S.DIBATALKAN, {REQUESTER}, _l("Cancel request"), needs_note=True)
        for source in (S.DIMINTA, S.DITERIMA, S.DISERAHKAN)
    ),
)


def edge(source: CoverageStatus, target: CoverageStatus) -> Edge | None:
    return next((e for e in EDGES if e.source == source and e.target == target), None)


def edges_for(current: CoverageStatus, actors: set[str]) -> list[Edge]:
    return [e for e in EDGES if e.source == current and e.actors & actors]
