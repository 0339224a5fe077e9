"""Small line charts of scores and KPIs over time, for the dashboard (the report has no time axis).

The radar is the report's (:mod:`guideline_lint.report.charts`), and so are the colours. No script and
no external requests. Each chart is ``role="img"`` with a title and a description; the dashboard
prints the same numbers in a table next to it, so nothing depends on seeing colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from guideline_lint.report.charts import GRID, INK, SCORE
from guideline_lint.tracker.html import Markup, el, join


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))

@dataclass
class Series:
    label: str
    points: list[tuple[datetime, float]]
    colour: str = SCORE
    dashed: bool = False


def line_chart(series: Sequence[Series], title: str, desc: str, chart_id: str, *,
               y_min: float | None = None, y_max: float | None = None, width: int = 320,
               height: int = 170, empty: str = "データなし") -> Markup:
    """Values over time; dates on x, a few ticks on y. A dashed series is told apart by its dashes too."""
    left, right, top, bottom = 52, 14, 12, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for _, v in s.points]
    times = [t for s in series for t, _ in s.points]
    parts: list[Markup] = [el("title", title, id=f"{chart_id}-title"), el("desc", desc, id=f"{chart_id}-desc")]
    if not values:
        parts.append(el("text", empty, x=str(width // 2), y=str(height // 2),
                        text_anchor="middle", font_size="12", fill=INK))
        return _svg(parts, width, height, chart_id)
    low = min(values) if y_min is None else y_min
    high = max(values) if y_max is None else y_max
    if high == low:
        low, high = low - 1, high + 1
    first, last = min(times), max(times)
    span = (last - first).total_seconds() or 1.0

    def xy(t: datetime, v: float) -> tuple[float, float]:
        x = left + plot_w * ((t - first).total_seconds() / span if last != first else 0.5)
        y = top + plot_h * (1 - (v - low) / (high - low))
        return x, y

    for step in range(5):
        v = low + (high - low) * step / 4
        _, y = xy(first, v)
        parts.append(el("line", x1=str(left), x2=str(width - right), y1=f"{y:.1f}", y2=f"{y:.1f}",
                        stroke=GRID, stroke_width="0.4"))
        parts.append(el("text", _fmt(round(v, 2)), x=str(left - 4), y=f"{y + 4:.1f}", text_anchor="end",
                        font_size="12", fill=INK))
    parts.append(el("text", first.strftime("%Y-%m-%d"), x=str(left), y=str(height - 8), font_size="12", fill=INK))
    if last != first:
        parts.append(el("text", last.strftime("%Y-%m-%d"), x=str(width - right), y=str(height - 8),
                        text_anchor="end", font_size="12", fill=INK))
    for line in series:
        if not line.points:
            continue
        coords = [xy(t, v) for t, v in sorted(line.points)]
        dash = "6 4" if line.dashed else None
        if len(coords) > 1:
            parts.append(el("polyline", points=" ".join(f"{x:.1f},{y:.1f}" for x, y in coords), fill="none",
                            stroke=line.colour, stroke_width="2", stroke_dasharray=dash))
        for (t, v), (x, y) in zip(sorted(line.points), coords, strict=True):
            marker = el("title", f"{line.label} {t:%Y-%m-%d}: {_fmt(round(v, 3))}")
            if line.dashed:
                parts.append(el("rect", marker, x=f"{x - 3:.1f}", y=f"{y - 3:.1f}", width="6", height="6",
                                fill=line.colour))
            else:
                parts.append(el("circle", marker, cx=f"{x:.1f}", cy=f"{y:.1f}", r="3", fill=line.colour))
    return _svg(parts, width, height, chart_id)


def _svg(parts: list[Markup], width: int, height: int, chart_id: str) -> Markup:
    return el("svg", join(*parts), xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {width} {height}",
              width=str(width), height=str(height), role="img",
              aria_labelledby=f"{chart_id}-title {chart_id}-desc", class_="chart line")
