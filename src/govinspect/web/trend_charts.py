"""SVG charts of the 总览 and the site page, drawn on the server like web/charts.py: 合格率 by month
and uptime by day. No script, no CDN; every label is escaped."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 180, 34
UPTIME_WARN = 97.0  # below: amber; the veto is 5% failures (95%)
UPTIME_VETO = 95.0


def _y(percent: float) -> float:
    return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * max(0.0, min(100.0, percent)) / 100, 1)


def _frame(label: str) -> list[str]:
    return [
        f'<svg class="chart" role="img" aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{PAD}" y1="{_y(0)}" x2="{WIDTH - PAD}" y2="{_y(0)}" stroke="#bbb"/>',
        f'<text x="2" y="{_y(100) + 4}" font-size="11" fill="#555">100%</text>',
        f'<text x="14" y="{_y(0) + 4}" font-size="11" fill="#555">0</text>',
    ]


def pass_rate_svg(months: Sequence) -> Markup:
    """合格率 per month (objects with month 'YYYY-MM', rate, passed, inspected); months without any
    judged inspection leave a gap. Empty Markup when no month has data."""
    if not any(m.rate is not None for m in months):
        return Markup("")
    step = (WIDTH - 2 * PAD) / max(1, len(months) - 1)
    parts = _frame("合格率变化")
    segment: list[str] = []
    segments = []
    for i, m in enumerate(months):
        x = round(PAD + i * step, 1)
        parts.append(
            f'<text x="{x}" y="{HEIGHT - 8}" font-size="10" fill="#555" text-anchor="middle">{escape(m.month[2:])}</text>'
        )
        if m.rate is None:
            segments.append(segment)
            segment = []
            continue
        segment.append(f"{x},{_y(m.rate)}")
    segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="#1565c0" stroke-width="2"/>'
            )
    for i, m in enumerate(months):
        if m.rate is not None:
            x = round(PAD + i * step, 1)
            title = escape(f"{m.month} 合格率 {m.rate:g}%（{m.passed}/{m.inspected}）")
            parts.append(
                f'<circle cx="{x}" cy="{_y(m.rate)}" r="4" fill="#1565c0"><title>{title}</title></circle>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def uptime_svg(days: Sequence) -> Markup:
    """Uptime per day as bars (objects with day, probes, failures, uptime); grey when not probed."""
    if not any(d.probes for d in days):
        return Markup("")
    slot = (WIDTH - 2 * PAD) / max(1, len(days))
    parts = _frame("每日首页可用率")
    parts.append(
        f'<line x1="{PAD}" y1="{_y(UPTIME_VETO)}" x2="{WIDTH - PAD}" y2="{_y(UPTIME_VETO)}" '
        'stroke="#c62828" stroke-dasharray="4 4"/>'
    )
    for i, d in enumerate(days):
        x = round(PAD + i * slot + slot * 0.15, 1)
        w = round(slot * 0.7, 1)
        label = escape(f"{d.day:%m-%d}")
        parts.append(
            f'<text x="{round(x + w / 2, 1)}" y="{HEIGHT - 8}" font-size="10" fill="#555" text-anchor="middle">{label}</text>'
        )
        if d.uptime is None:
            parts.append(
                f'<rect x="{x}" y="{_y(100)}" width="{w}" height="{round(_y(0) - _y(100), 1)}" fill="#eceff1">'
                f"<title>{label} 无监测数据</title></rect>"
            )
            continue
        colour = "#2e7d32" if d.uptime >= UPTIME_WARN else "#f9a825" if d.uptime >= UPTIME_VETO else "#c62828"
        top = _y(d.uptime)
        title = escape(f"{d.day} 可用率 {d.uptime:g}%（{d.probes}次监测，失败{d.failures}次）")
        parts.append(
            f'<rect x="{x}" y="{top}" width="{w}" height="{round(_y(0) - top, 1)}" fill="{colour}"><title>{title}</title></rect>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
