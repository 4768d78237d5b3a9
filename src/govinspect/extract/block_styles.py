"""The markup each text block of a page sits in: a passage pasted in from elsewhere keeps its own
fonts and styles (security.content_injection reads these, so no check parses HTML)."""

from __future__ import annotations

from govinspect.extract.html import parse


def block_signatures(html: str) -> dict[str, str]:
    """Paragraph text (first 16 characters) -> the markup it sits in (tag, class, style): a passage
    pasted from elsewhere keeps its own fonts and styles."""
    tree = parse(html)
    out: dict[str, str] = {}
    for node in tree.css("p, section, div, td, li, font, span"):
        text = (node.text(deep=True) or "").strip()
        if len(text) < 8:
            continue
        inner = [node] + [n for n in node.css("span, font, strong, b") if len((n.text() or "").strip()) >= 8]
        sig = "|".join(
            f"{n.tag}.{n.attributes.get('class') or ''}.{_style(n.attributes.get('style') or '')}"
            f".{n.attributes.get('face') or ''}"
            for n in inner[:3]
        )
        out[text[:16]] = sig  # deeper nodes come later and win: the innermost block
    return out


def _style(style: str) -> str:
    keep = []
    for part in style.lower().replace(" ", "").split(";"):
        if part.startswith(("font-family", "font-size", "color", "background", "line-height")):
            keep.append(part)
    return ";".join(sorted(keep))
