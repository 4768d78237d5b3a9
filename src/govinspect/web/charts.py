"""The score history chart as inline SVG drawn on the server: no script, no CDN, readable without JS."""

from __future__ import annotations

from markupsafe import Markup, escape

from govinspect.store import InspectionRow

WIDTH, HEIGHT, PAD = 640, 180, 30
COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "error": "#9e9e9e"}


def score_history_svg(history: list[InspectionRow]) -> Markup:
    """Scores (0–100) of the inspections, oldest first; an empty Markup without inspections."""
    if not history:
        return Markup("")
    step = (WIDTH - 2 * PAD) / max(1, len(history) - 1)

    def y(score: float) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * max(0.0, min(100.0, score)) / 100, 1)

    points = [(round(PAD + i * step, 1), y(r.score), r) for i, r in enumerate(history)]
    parts = [
        f'<svg class="chart" role="img" aria-label="得分变化" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{PAD}" y1="{y(60)}" x2="{WIDTH - PAD}" y2="{y(60)}" stroke="#bbb" stroke-dasharray="4 4"/>',
        f'<text x="2" y="{y(100) + 4}" font-size="11" fill="#555">100</text>',
        f'<text x="8" y="{y(0) + 4}" font-size="11" fill="#555">0</text>',
    ]
    if len(points) > 1:
        line = " ".join(f"{x},{yy}" for x, yy, _ in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1565c0" stroke-width="2"/>')
    for x, yy, r in points:
        colour = COLOURS.get(r.verdict, "#555")
        title = escape(f"{r.as_of} 得分 {r.score:g}")
        parts.append(f'<circle cx="{x}" cy="{yy}" r="4" fill="{colour}"><title>{title}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))
