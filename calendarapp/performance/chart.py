"""Followers month by month as bars of a small server-drawn SVG (the numbers stand beside it)."""

from __future__ import annotations

from dataclasses import dataclass

from .services import MonthFigure, Trend


@dataclass(frozen=True)
class MonthBar:
    x: float
    y: float
    h: float
    figure: MonthFigure


@dataclass(frozen=True)
class MonthBars:
    width: int
    height: int
    bar: int
    bars: list[MonthBar]


def month_bars(trend: Trend, height: int = 110, bar: int = 18, gap: int = 8) -> MonthBars:
    """A bar per month, as tall as its figure against the year's highest; a month without a
    figure has no bar (not a zero)."""
    scale = (height - 8) / trend.highest
    bars = [
        MonthBar(
            x=gap + n * (bar + gap),
            y=height - (m.followers or 0) * scale,
            h=(m.followers or 0) * scale,
            figure=m,
        )
        for n, m in enumerate(trend.months)
    ]
    return MonthBars(width=gap + len(bars) * (bar + gap), height=height, bar=bar, bars=bars)
