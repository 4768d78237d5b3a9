"""Batch charts: score distribution and findings by indicator family.

SVG for the HTML summary (generated here: no script, no external asset, text escaped) and PNG for
Word (Pillow). No fonts are downloaded: the PNG uses a CJK font from the system when one is
installed (Debian: fonts-wqy-microhei, fonts-noto-cjk) and falls back to numbered labels.
"""

from __future__ import annotations

import io
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

from govinspect.report.labels import FAMILIES, family_of

# Score bands as supervisors read them: vetoed and below-60 sites fail.
SCORE_BANDS: tuple[str, ...] = ("单项否决", "60分以下", "60-69", "70-79", "80-89", "90-100", "无法检查")

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def score_band(report: dict[str, Any]) -> str:
    if report.get("verdict") == "error":
        return "无法检查"
    if report.get("vetoes"):
        return "单项否决"
    score = float(report.get("score") or 0)
    if score < 60:
        return "60分以下"
    if score >= 90:
        return "90-100"
    low = int(score // 10 * 10)
    return f"{low}-{low + 9}"


def chart_data(reports: list[dict[str, Any]]) -> dict[str, list[tuple[str, int]]]:
    """{"scores": [(band, sites)], "families": [(family, findings)]}: every band and family, in order."""
    bands = Counter(score_band(r) for r in reports)
    families = Counter(family_of(f.get("check", "")) for r in reports for f in r.get("findings") or [])
    return {
        "scores": [(b, bands.get(b, 0)) for b in SCORE_BANDS],
        "families": [(f, families.get(f, 0)) for f in FAMILIES],
    }


# -- SVG -----------------------------------------------------------------------------------------

_BAR_COLOURS = {"单项否决": "#b42318", "60分以下": "#d92d20", "无法检查": "#b54708"}


def _svg_bars(title: str, rows: list[tuple[str, int]], colour: str) -> str:
    width, bar_h, gap, label_w, top = 520, 20, 8, 90, 30
    height = top + len(rows) * (bar_h + gap) + 10
    peak = max([n for _, n in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="chart"><title>{escape(title)}</title>',
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, n) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = round((width - label_w - 50) * n / peak)
        fill = _BAR_COLOURS.get(label, colour)
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{fill}"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 15}" font-size="12">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def charts_svg(reports: list[dict[str, Any]]) -> list[str]:
    """Two inline SVG charts (markup, safe to embed unescaped: every label is escaped here)."""
    data = chart_data(reports)
    return [
        _svg_bars("得分分布（网站数）", data["scores"], "#067647"),
        _svg_bars("各指标问题数", data["families"], "#1d4ed8"),
    ]


# -- PNG -----------------------------------------------------------------------------------------


def cjk_font_path() -> str | None:
    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return None


def charts_png(reports: list[dict[str, Any]], font_path: str | None = None) -> bytes:
    """Both charts side by side as one PNG (for Word). Without a CJK font, labels become numbers."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = font_path if font_path is not None else cjk_font_path()
    if font_path:
        font = ImageFont.truetype(font_path, 22)
        title_font = ImageFont.truetype(font_path, 26)
    else:
        font = title_font = ImageFont.load_default()
    data = chart_data(reports)
    panels = [
        ("得分分布（网站数）", data["scores"], "#067647"),
        ("各指标问题数", data["families"], "#1d4ed8"),
    ]
    panel_w, bar_h, gap, label_w, top = 760, 34, 14, 150, 60
    rows = max(len(p[1]) for p in panels)
    height = top + rows * (bar_h + gap) + 20
    image = Image.new("RGB", (panel_w * 2, height), "white")
    draw = ImageDraw.Draw(image)
    for p, (title, series, colour) in enumerate(panels):
        x0 = p * panel_w + 20
        draw.text((x0, 12), title if font_path else f"Chart {p + 1}", fill="black", font=title_font)
        peak = max([n for _, n in series] + [1])
        for i, (label, n) in enumerate(series):
            y = top + i * (bar_h + gap)
            w = round((panel_w - label_w - 90) * n / peak)
            draw.text((x0, y + 4), label if font_path else f"{i + 1}", fill="black", font=font)
            draw.rectangle(
                [x0 + label_w, y, x0 + label_w + w, y + bar_h], fill=_BAR_COLOURS.get(label, colour)
            )
            draw.text((x0 + label_w + w + 8, y + 4), str(n), fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
