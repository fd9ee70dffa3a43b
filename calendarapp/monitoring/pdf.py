"""The monthly report as an A4 PDF, made on the server with fpdf2 (pure Python, no system fonts)."""

from __future__ import annotations

import unicodedata

from flask import current_app
from flask_babel import format_decimal
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from ..content.platforms import Platform
from ..i18n import format_day
from ..i18n import phrase as _
from . import figures as f
from . import ranking
from .report import MonthlyReport, flag_label, month_name, percent, rate, signed

LINE = 5.5  # mm: a table's line

# fpdf2's built-in Helvetica covers Latin-1 only: other characters get their nearest form.
_PLAIN = str.maketrans({"–": "-", "—": "-", "−": "-", "“": '"', "”": '"', "‘": "'", "’": "'"})


def _latin1(text: str) -> str:
    text = str(text).translate(_PLAIN)
    if all(ord(c) < 256 for c in text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 256 and not unicodedata.combining(c))


class ReportPDF(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, _latin1(f"{self.report_title} · {self.page_no()}"), align="C")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 7, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font("Helvetica", "", 10)

    def line_of(self, text: str) -> None:
        self.multi_cell(0, 5.5, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rows(self, header: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        """A table (widths in mm): its header in bold, again at the top of every page it runs
        onto, then a line per row; a cell too long for its width wraps and the row grows, and a
        row is never cut by a page. Drawn cell by cell: fpdf2's `table()` took 180 of the
        report's 290 ms for 85 units."""
        self.set_auto_page_break(False, margin=self.b_margin)  # the rows decide where pages end
        try:
            head = self._cells(header, widths, bold=True)
            self._table_row(head, widths, bold=True, with_next=True)
            for values in rows:
                cells = self._cells(values, widths)
                if not self._fits(_height(cells)):
                    self.add_page()
                    self._table_row(head, widths, bold=True)
                self._table_row(cells, widths)
        finally:
            self.set_auto_page_break(True, margin=self.b_margin)
        self.set_font("Helvetica", "", 10)

    def _fits(self, height: float) -> bool:
        return self.y + height <= self.page_break_trigger

    def _cells(self, values: list[str], widths: tuple[int, ...], bold: bool = False) -> list:
        """Each cell's lines: its text, or the lines fpdf2's `multi_cell` breaks it into when it
        is too wide for the cell (measured once per row: breaking lines costs)."""
        self.set_font("Helvetica", "B" if bold else "", 9)
        cells = []
        for value, width in zip(values, widths, strict=True):
            text = _latin1(value)
            if self.get_string_width(text) > width - 2 * self.c_margin:
                cells.append(
                    self.multi_cell(width, LINE, text, dry_run=True, output=MethodReturnValue.LINES)
                )
            else:
                cells.append([text])
        return cells

    def _table_row(
        self, cells: list, widths: tuple[int, ...], bold: bool = False, with_next: bool = False
    ) -> None:
        height = _height(cells)
        if with_next and not self._fits(2 * height):  # a header never ends a page alone
            self.add_page()
        self.set_font("Helvetica", "B" if bold else "", 9)
        for lines, width in zip(cells, widths, strict=True):
            self._cell(width, height, lines)
        self.ln(height)

    def _cell(self, width: float, height: float, lines: list[str]) -> None:
        """A table's cell as fpdf2's `cell(border=1)` and `multi_cell` place it: its border the
        row's height, its lines left-aligned, one line centred in the height, several from
        the top. Drawn with `rect` and `text`: `cell` took 27 ms for 600 cells, these 4, and
        `multi_cell` broke each long text a second time (measured)."""
        self.rect(self.x, self.y, width, height)
        step = height if len(lines) == 1 else LINE
        for n, line in enumerate(lines):
            if line:
                baseline = self.y + (n + 0.5) * step + 0.3 * self.font_size
                self.text(self.x + self.c_margin, baseline, line)
        self.x += width


def _height(cells: list[list[str]]) -> float:
    """A table row's height: as many lines as its longest cell."""
    return LINE * max(len(lines) for lines in cells)


def _unit_rows(rows: list[f.UnitFigures]) -> list[list[str]]:
    return [
        [
            str(n),
            r.unit.name,
            f"{r.published} / {f.ceil_expected(r.expected)}",
            percent(r.cadence),
            percent(r.story_rate),
        ]
        for n, r in enumerate(rows, 1)
    ]


def render_report(data: MonthlyReport) -> bytes:
    region = current_app.config["REGION_NAME"]
    title = _("Social media monitoring — %(month)s", month=month_name(data.month))
    pdf = ReportPDF(title)
    pdf.set_title(_latin1(title))
    pdf.set_author(_latin1(region))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, _latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    pdf.line_of(
        f"{region} · {format_day(data.month, 'long')} – {format_day(data.last_day, 'long')}"
    )

    now, before = data.now, data.before
    pdf.heading(_("Region totals"))
    pdf.rows(
        [_("Figure"), month_name(data.month), _("Previous month")],
        [
            [_("Units"), str(now.units), str(before.units)],
            [_("Published posts"), str(now.published), str(before.published)],
            [_("Cadence against targets"), percent(now.cadence), percent(before.cadence)],
            [_("Units on target"), str(now.met_target), str(before.met_target)],
            [_("Posts with a story"), percent(now.story_rate), percent(before.story_rate)],
            [_("Silent units"), str(now.silent), str(before.silent)],
        ],
        (70, 55, 55),
    )
    header = ["#", _("Unit"), _("Published / expected"), _("Cadence"), _("With a story")]
    pdf.heading(_("Best units"))
    pdf.rows(header, _unit_rows(data.best), (8, 82, 35, 25, 30))
    pdf.heading(_("Lowest units"))
    pdf.rows(header, _unit_rows(data.lowest), (8, 82, 35, 25, 30))

    pdf.heading(_("Silent units (%(num)d)", num=len(data.silent)))
    if data.silent:
        pdf.rows(
            [_("Unit"), _("Days since the last post")],
            [
                [r.unit.name, "–" if r.days_since_last is None else str(r.days_since_last)]
                for r in data.silent
            ],
            (120, 60),
        )
    else:
        pdf.line_of(_("No unit was silent."))

    pdf.heading(_("Followers"))
    if data.platforms:
        pdf.rows(
            [_("Platform"), _("Followers"), _("Followers gained"), _("Follower growth in percent")],
            [
                [
                    Platform(name).label,
                    "–" if fig.now is None else format_decimal(fig.now),
                    "–" if fig.gained is None else signed(fig.gained),
                    "–" if fig.growth_percent is None else f"{signed(fig.growth_percent)} %",
                ]
                for name, fig in data.platforms.items()
            ],
            (50, 45, 45, 40),
        )
    else:
        pdf.line_of(_("No official account has a follower count yet."))
    pdf.line_of(
        _(
            "Followers fell: %(units)s",
            units=", ".join(r.unit.short_name for r in data.fell) or "–",
        )
    )
    pdf.line_of(data.amplify_line)
    if data.amplified:
        pdf.rows(
            [_("Request to amplify"), _("On time"), _("Views"), _("Interactions")],
            [
                [
                    a.request.title[:70],
                    f"{a.on_time}/{a.asked}",
                    format_decimal(a.reach.views) if a.reach.any else "–",
                    format_decimal(a.reach.interactions) if a.reach.any else "–",
                ]
                for a in data.amplified
            ],
            (100, 25, 30, 25),
        )

    pdf.line_of(
        _("Reach of measured posts: %(num)s", num=format_decimal(now.reach))
        + f" ({_('previous month')} {format_decimal(before.reach)})"
    )
    pdf.line_of(
        _("Engagement rate: %(rate)s", rate=rate(now.engagement))
        + f" ({_('previous month')} {rate(before.engagement)})"
    )
    pdf.heading(_("Best posts"))
    if data.top_posts:
        pdf.rows(
            ["#", _("Unit"), _("Post"), _("Interactions")],
            [
                [str(n), unit, post.title[:60], format_decimal(post.interactions)]
                for n, (unit, post) in enumerate(data.top_posts, 1)
            ],
            (8, 40, 102, 30),
        )
    else:
        pdf.line_of(_("No post was measured this month: import the platforms' exports."))

    ft = data.follow_through
    pdf.heading(_("Mentoring follow-through"))
    pdf.line_of(
        _(
            "%(trainings)d trainings, %(notes)d mentoring notes written.",
            trainings=ft.trainings,
            notes=ft.notes,
        )
    )
    pdf.line_of(
        _(
            "RTL due this month: %(done)d done, %(open)d open, %(late)d overdue",
            done=ft.rtl_done,
            open=ft.rtl_open,
            late=ft.rtl_overdue,
        )
    )
    ag = data.agenda
    pdf.heading(_("Coverage of the leader's agenda"))
    pdf.line_of(
        _(
            "Leader's agenda: %(events)d events, %(asked)d with coverage requested, "
            "%(delivered)d delivered",
            events=ag.events,
            asked=ag.asked,
            delivered=ag.delivered,
        )
    )
    pdf.line_of(
        _(
            "%(num)d coverage requests, %(on_time)d delivered on time.",
            num=ag.requests,
            on_time=ag.on_time,
        )
    )

    pdf.heading(_("Every unit"))
    pdf.rows(
        [_("Unit"), _("Published / expected"), _("Cadence"), _("Flags")],
        [
            [
                r.unit.name,
                f"{r.published} / {f.ceil_expected(r.expected)}",
                percent(r.cadence),
                ", ".join(flag_label(x) for x in r.flags) or "–",
            ]
            for r in ranking.sort_figures(data.card.rows, "unit", False)
        ],
        (75, 35, 22, 48),
    )
    return bytes(pdf.output())
