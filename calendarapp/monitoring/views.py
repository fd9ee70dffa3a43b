"""Pantauan: the scorecard of every unit, one unit's trend, exports and the monthly report."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from ..accounts.models import Unit, UnitKind
from ..accounts.permissions import can_monitor_unit, monitors_region
from ..content import story
from ..content.platforms import Platform
from ..extensions import db, htmx
from ..i18n import phrase as _
from ..mentoring.permissions import can_read_mentoring
from ..parsing import digits
from ..performance import services as performance
from ..timeutil import add_months, format_month, parse_month, today
from ..web import download, fail, id_or_404, public_url, render, wants_fragment
from . import digest, exports, figures, one_unit, ranking, report, services
from .cells import with_cells
from .pdf import render_report

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

WEEK_CHOICES = (4, 8, 12, 26)
MAX_WEEKS = 52
TREND_WEEKS = 12
BEST_OF_UNIT = 3


def _region_today():
    return today(current_app.config["REGION_TIMEZONE"])


def _number(name: str, low: int, high: int, message: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not (digits(raw) and len(raw) <= 4 and low <= int(raw) <= high):
        fail(400, message)
    return int(raw)


def _period() -> figures.Period:
    """`?month=YYYY-MM`, else `?weeks=N` (the last N whole weeks, default 4)."""
    weeks = _number(
        "weeks",
        1,
        MAX_WEEKS,
        _("The number of weeks must be between 1 and %(max)d.", max=MAX_WEEKS),
    )
    raw_month = request.args.get("month", "").strip()
    if raw_month:
        return figures.month_period(_month(raw_month))
    return figures.last_weeks(_region_today(), weeks or 4)


def _month(raw: str):
    try:
        first = parse_month(raw)
    except ValueError:
        fail(400, _("The month in the address must look like 2026-11."))
    if first.year < 2000 or first > _region_today():
        fail(400, _("Choose a month from 2000 up to this month."))
    return first


def _kind() -> UnitKind | None:
    raw = request.args.get("kind", "").strip()
    if not raw:
        return None
    try:
        return UnitKind(raw)
    except ValueError:
        fail(400, _("This kind of unit does not exist."))


def _sort() -> tuple[str, bool]:
    key = request.args.get("sort", "cadence")
    direction = request.args.get("dir", "asc")
    if key not in ranking.COLUMNS or direction not in ("asc", "desc"):
        fail(400, _("The scorecard cannot be sorted that way."))
    return key, direction == "desc"


def _period_args(period: figures.Period) -> dict[str, str]:
    if period.month is not None:
        return {"month": format_month(period.month)}
    return {"weeks": str(period.weeks)}


def _flag() -> str | None:
    raw = request.args.get("flag", "").strip()
    if raw and raw not in figures.FLAGS:
        fail(400, _("This flag does not exist."))
    return raw or None


# The columns the overview shows; a coordinator's table of every figure opens by itself when
# sorted by another one, or when asked for (`columns=all`).
OVERVIEW_COLUMNS = ("unit", "cadence", "last", "followers", "flags")
EVERY_FIGURE = "all-columns-body"  # what an htmx request for the table alone targets


def _every_column() -> bool:
    raw = request.args.get("columns", "").strip()
    if raw not in ("", "all"):
        fail(400, _("The scorecard has no such set of columns."))
    return raw == "all"


def _scorecard_context():
    period, kind, flag, every_column = _period(), _kind(), _flag(), _every_column()
    key, descending = _sort()
    card = services.scorecard(current_user, period, kind)
    counts = {name: len(card.flagged(name)) for name in figures.FLAGS}
    card.rows = ranking.sort_figures(card.flagged(flag) if flag else card.rows, key, descending)
    args = _period_args(period)
    if kind is not None:
        args["kind"] = kind.value
    if flag is not None:
        args["flag"] = flag
    if every_column:
        args["columns"] = "all"
    return {
        "flag_counts": counts,
        "shown_flag": flag,
        # a member's few rows come whole; a coordinator's 85 rows of 19 figures only when asked
        "every_figure": not card.all_units or every_column or key not in OVERVIEW_COLUMNS,
        "column_count": len(ranking.COLUMNS),
        "card": card,
        "period": period,
        "kind": kind,
        "sort": key,
        "descending": descending,
        "args": args,
        "kinds": list(UnitKind),
        "week_choices": WEEK_CHOICES,
        "silent_days": services.silent_days(),
        "months": [add_months(_region_today().replace(day=1), -n) for n in range(12)],
    }


@bp.context_processor
def figures_context() -> dict:
    return {
        "flag_labels": {flag: str(label) for flag, label in report.FLAG_LABELS.items()},
        "ceil_expected": figures.ceil_expected,
        "story_words": story.min_words(),
        "percent": report.percent,
        "days_ago": report.days_ago,
        "follower_text": report.follower_text,
        "engagement_text": report.engagement_text,
        "rate": report.rate,
        "signed": report.signed,
        "platform_label": lambda name: Platform(name).label,
    }


@bp.app_template_global("digest_flags")
def digest_flags(detail: str) -> list[tuple[str, str, int]]:
    """A weekly digest's flags as the bell shows them (flag, its words, how many units): the
    bell's page renders a notice this area sent without importing this area."""
    return [(flag, report.flag_label(flag), count) for flag, count in digest.decode(detail)]


@bp.get("")
@login_required
def scorecard() -> ResponseReturnValue:
    ctx = _scorecard_context()
    rows = with_cells(ctx["card"].rows, ctx["every_figure"])  # the texts the page shows
    if wants_fragment() and htmx.target == EVERY_FIGURE and ctx["every_figure"]:  # opened
        return render_template("monitoring/_figures.html", rows=rows, **ctx)
    return render("monitoring/scorecard.html", "monitoring/_scorecard.html", rows=rows, **ctx)


@bp.get("/scorecard.<any(csv, xlsx):extension>")
@login_required
def export(extension: str) -> ResponseReturnValue:
    ctx = _scorecard_context()
    card, period = ctx["card"], ctx["period"]
    name = f"pantauan-{exports.period_slug(period)}.{extension}"
    if extension == "csv":
        body, mimetype = exports.scorecard_csv(card), "text/csv"
    else:
        body = exports.scorecard_xlsx(card)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return download(body, mimetype, name)


def load_unit(unit_id: int) -> Unit:
    id_or_404(unit_id)
    unit = db.session.get(Unit, unit_id)
    if unit is None or not can_monitor_unit(current_user, unit):
        fail(404, _("The page does not exist, or you do not have access to it."))
    return unit


@bp.get("/units/<int:unit_id>")
@login_required
def unit(unit_id: int) -> ResponseReturnValue:
    unit = load_unit(unit_id)
    period = figures.last_weeks(today(unit.timezone), TREND_WEEKS)
    fig = one_unit.unit_figures(unit, period)
    return render(
        "monitoring/unit.html",
        "monitoring/_unit.html",
        unit=unit,
        fig=fig,
        period=period,
        chart=report.trend_chart(fig.weeks),
        followers=performance.unit_trends(unit, today(unit.timezone)),
        best=one_unit.best_posts_of([unit.id], period, BEST_OF_UNIT),
        detail=one_unit.unit_detail(unit, period),
        # a unit's notes and RTL are for its members and the coordinators (not for Prokopim)
        reads_mentoring=can_read_mentoring(current_user, unit),
        silent_days=services.silent_days(),
    )


def _report_month():
    raw = request.args.get("month", "").strip()
    if not raw:  # the last whole month
        return add_months(_region_today().replace(day=1), -1)
    return _month(raw)


def _report():
    if not monitors_region(current_user):
        fail(404, _("The page does not exist, or you do not have access to it."))
    return report.monthly(current_user, _report_month())


@bp.get("/report")
@login_required
def monthly_report() -> ResponseReturnValue:
    data = _report()
    return render(
        "monitoring/report.html",
        "monitoring/report.html",
        data=data,
        prev_month=format_month(add_months(data.month, -1)),
        next_month=format_month(add_months(data.month, 1))
        if add_months(data.month, 1) <= _region_today()
        else None,
    )


@bp.get("/report.pdf")
@login_required
def report_pdf() -> ResponseReturnValue:
    data = _report()
    return download(
        render_report(data), "application/pdf", f"laporan-pantauan-{format_month(data.month)}.pdf"
    )


@bp.get("/report/whatsapp")
@login_required
def report_whatsapp() -> ResponseReturnValue:
    data = _report()
    text = report.whatsapp_text(data, public_url(".monthly_report", month=format_month(data.month)))
    return render(
        "monitoring/whatsapp.html",
        "monitoring/_whatsapp.html",
        data=data,
        text=text,
        wa_url="https://wa.me/?text=" + quote(text),
    )
