"""The report's PDF tables draw their cells themselves (`ReportPDF._cell`): the text at the
places fpdf2's `cell(border=1)` and `multi_cell` put it, in a border as high as the row."""

import io

from fpdf.enums import XPos, YPos
from pypdf import PdfReader
from pypdf.generic import ContentStream

from calendarapp.monitoring.pdf import LINE, ReportPDF

WIDTHS = (12, 50, 30, 20)
ROWS = [
    ["3", "Dinas Kominfo", "12 / 20", ""],  # one line
    ["4", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten", "Di bawah target, Belum ada", "7"],
]


def drawn(draw) -> list[tuple[str, list]]:
    """The page's rectangles (as x, bottom, width, height), text positions and strings."""
    pdf = ReportPDF("Uji")
    pdf.add_page()
    draw(pdf)
    page = PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0]
    stream = ContentStream(page.get_contents(), page.pdf)
    ops = []
    for operands, op in stream.operations:
        if op == b"re":
            x, y, width, height = (float(v) for v in operands)
            ops.append(("re", [round(v, 2) for v in (x, min(y, y + height), width, abs(height))]))
        elif op == b"Td":
            ops.append(("Td", [round(float(v), 2) for v in operands]))
        elif op == b"Tj":
            ops.append(("Tj", [str(operands[0])]))
    return ops


def with_fpdf2(pdf):
    """The rows as the report drew them with fpdf2's own cells."""
    for values in ROWS:
        pdf.set_font("Helvetica", "", 9)
        wide = [
            pdf.get_string_width(v) > w - 2 * pdf.c_margin
            for v, w in zip(values, WIDTHS, strict=True)
        ]
        lines = [
            len(pdf.multi_cell(w, LINE, v, dry_run=True, output="LINES")) if too else 1
            for v, w, too in zip(values, WIDTHS, wide, strict=True)
        ]
        height = LINE * max(lines)
        for value, width, too in zip(values, WIDTHS, wide, strict=True):
            if too:
                pdf.multi_cell(
                    width, height, value, border=1, new_x=XPos.RIGHT, new_y=YPos.TOP,
                    max_line_height=LINE,
                )  # fmt: skip
            else:
                pdf.cell(width, height, value, border=1, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.ln(height)


def with_report(pdf):
    for values in ROWS:
        pdf._table_row(pdf._cells(values, WIDTHS), WIDTHS)


def test_a_table_row_draws_what_fpdf2s_cells_drew():
    expected = drawn(with_fpdf2)
    # the first row's texts and the second's, long ones in two lines, then the page's footer
    assert [args[0] for op, args in expected if op == "Tj"] == [
        "3", "Dinas Kominfo", "12 / 20",
        "4", "Dinas Kependudukan dan", "Pencatatan Sipil Kabupaten", "Di bawah target,",
        "Belum ada", "7", "Uji · 1",
    ]  # fmt: skip
    assert sum(1 for op, _ in expected if op == "re") == 2 * len(WIDTHS)
    assert drawn(with_report) == expected


def test_a_table_cell_has_a_border_as_high_as_its_row():
    points = 72 / 25.4
    rects = [args for op, args in drawn(with_report) if op == "re"]
    assert [round(h / points, 1) for *_, h in rects] == [LINE] * 4 + [2 * LINE] * 4
    assert [round(w / points, 1) for _, _, w, _ in rects] == list(WIDTHS) * 2
