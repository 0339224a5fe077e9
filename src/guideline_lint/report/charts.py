"""Inline SVG charts for the HTML report, drawn here so the report needs no script and no request.

Every chart carries its numbers as text (labels on the chart, a title and description for screen readers)
and the HTML report puts a data table next to it, so neither colour nor shape is the only carrier.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

INK = "#1a1a1a"  # text: 17:1 on white
GRID = "#767676"  # lines: 4.5:1 on white
SCORE = "#1f5fa8"  # score area and bars: 6.6:1 on white
THRESHOLD = "#8a4500"  # threshold marks, also drawn dashed: 6.3:1 on white


@dataclass(frozen=True, slots=True)
class Axis:
    """One principle on a chart: its short label, its score (None = not assessed) and its threshold."""

    number: int
    label: str
    score: float | None
    threshold: float | None = None


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _points(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _score_text(score: float | None, not_assessed: str) -> str:
    return not_assessed if score is None else f"{score:.1f}"


def radar(axes: list[Axis], *, chart_id: str, title: str, description: str, not_assessed: str,
          legend_score: str, legend_threshold: str) -> str:
    """A radar chart with one spoke per principle, rings every 20 points and the threshold drawn dashed."""
    # Wider than tall: the labels left and right of the spokes need room.
    width, height, cx, cy, radius = 640, 520, 320.0, 255.0, 170.0
    n = len(axes)

    def point(i: int, value: float) -> tuple[float, float]:
        """Where ``value`` (0–100, more for labels outside the rim) lies on spoke ``i``."""
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, value) / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def clamp(value: float | None) -> float:
        return max(0.0, min(value or 0.0, 100.0))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart radar" viewBox="0 0 {width} {height + 40}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<g fill="none" stroke="{GRID}" stroke-width="1">',
    ]
    for ring in (20, 40, 60, 80, 100):
        parts.append(f'<polygon points="{_points(point(i, ring) for i in range(n))}"/>')
    for i in range(n):
        x, y = point(i, 100)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}"/>')
    parts.append("</g>")
    # Ring values sit just left of the first spoke, below the label at its tip.
    parts.append(f'<g fill="{INK}" font-size="13" text-anchor="end">')
    for ring in (20, 40, 60, 80, 100):
        _, y = point(0, ring)
        parts.append(f'<text x="{cx - 4}" y="{y + 12:.1f}">{ring}</text>')
    parts.append("</g>")

    if any(a.threshold is not None for a in axes):
        pts = _points(point(i, clamp(a.threshold)) for i, a in enumerate(axes))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="{THRESHOLD}" stroke-width="2" '
                     f'stroke-dasharray="6 4"/>')
    pts = _points(point(i, clamp(a.score)) for i, a in enumerate(axes))
    parts.append(f'<polygon points="{pts}" fill="{SCORE}" fill-opacity="0.18" stroke="{SCORE}" '
                 'stroke-width="2.5"/>')
    for i, a in enumerate(axes):
        if a.score is not None:
            x, y = point(i, clamp(a.score))
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{SCORE}"/>')

    parts.append(f'<g fill="{INK}" font-size="14">')
    for i, a in enumerate(axes):
        x, y = point(i, 124)
        anchor = "middle" if abs(x - cx) < 20 else ("start" if x > cx else "end")
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">'
            f'<tspan font-weight="bold">{escape(a.label)}</tspan>'
            f'<tspan x="{x:.1f}" dy="16">{escape(_score_text(a.score, not_assessed))}</tspan></text>'
        )
    parts.append("</g>")
    # Legend: solid line for the score, dashed for the threshold, each with its words.
    ly = height + 20
    parts += [
        f'<line x1="40" y1="{ly}" x2="80" y2="{ly}" stroke="{SCORE}" stroke-width="3"/>',
        f'<text x="88" y="{ly + 5}" fill="{INK}" font-size="14">{escape(legend_score)}</text>',
        f'<line x1="260" y1="{ly}" x2="300" y2="{ly}" stroke="{THRESHOLD}" stroke-width="2" '
        f'stroke-dasharray="6 4"/>',
        f'<text x="308" y="{ly + 5}" fill="{INK}" font-size="14">{escape(legend_threshold)}</text>',
        "</svg>",
    ]
    return "\n".join(parts)


def bars(axes: list[Axis], *, chart_id: str, title: str, description: str, not_assessed: str,
         below_label: str) -> str:
    """Horizontal score bars (0–100) with the value written at the end and the threshold as a dashed tick."""
    label_w, bar_w, value_w, row_h, top = 250, 300, 200, 30, 10
    width = label_w + bar_w + value_w
    height = top * 2 + row_h * len(axes) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, a in enumerate(axes):
        y = top + i * row_h
        mid = y + row_h / 2
        parts.append(f'<text x="{label_w - 10}" y="{mid + 5:.1f}" text-anchor="end" fill="{INK}" '
                     f'font-size="14">{escape(a.label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 6}" width="{bar_w}" height="{row_h - 12}" fill="none" '
                     f'stroke="{GRID}"/>')
        if a.score is not None:
            parts.append(f'<rect x="{label_w}" y="{y + 6}" width="{bar_w * min(a.score, 100) / 100:.1f}" '
                         f'height="{row_h - 12}" fill="{SCORE}"/>')
        if a.threshold is not None:
            tx = label_w + bar_w * min(a.threshold, 100) / 100
            parts.append(f'<line x1="{tx:.1f}" y1="{y + 2}" x2="{tx:.1f}" y2="{y + row_h - 2}" '
                         f'stroke="{THRESHOLD}" stroke-width="2" stroke-dasharray="4 3"/>')
        value = _score_text(a.score, not_assessed)
        if a.score is not None and a.threshold is not None and a.score < a.threshold:
            value += f" ({below_label} {_fmt(a.threshold)})"
        parts.append(f'<text x="{label_w + bar_w + 10}" y="{mid + 5:.1f}" fill="{INK}" font-size="14">'
                     f'{escape(value)}</text>')
    axis_y = top + row_h * len(axes) + 14
    for tick in (0, 50, 100):
        parts.append(f'<text x="{label_w + bar_w * tick / 100:.1f}" y="{axis_y}" text-anchor="middle" '
                     f'fill="{INK}" font-size="13">{tick}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
