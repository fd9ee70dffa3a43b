"""The content workflow as data: the states, their words, and the edges between them.

Who may take each edge is decided with the content-workflow capability; the edges are here so that
there is one table of them from the start.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


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

# from -> the states it may move to.
TRANSITIONS: dict[Status, tuple[Status, ...]] = {
    Status.IDE: (Status.DRAF, Status.DIBATALKAN),
    Status.DRAF: (Status.DITINJAU, Status.DIBATALKAN),
    Status.DITINJAU: (Status.PERLU_REVISI, Status.DISETUJUI, Status.DIBATALKAN),
    Status.PERLU_REVISI: (Status.DRAF, Status.DIBATALKAN),
    Status.DISETUJUI: (Status.TERJADWAL, Status.DIBATALKAN),
    Status.TERJADWAL: (Status.TAYANG, Status.DIBATALKAN),
    Status.TAYANG: (Status.DRAF,),
    Status.DIBATALKAN: (),
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


def can_move(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]
