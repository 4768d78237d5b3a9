"""The markup each text block of a page sits in: a passage pasted in from elsewhere keeps its own
fonts and styles (security.content_injection reads these, so no check parses HTML)."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from govinspect.extract.html import parse


def block_signatures(html: str | LexborHTMLParser) -> dict[str, str]:
    """Paragraph text (first 16 characters) -> the markup it sits in (tag, class, style): a passage
    pasted from elsewhere keeps its own fonts and styles. Takes the HTML or its parsed tree (read
    only: the tree is not changed)."""
    tree = parse(html) if isinstance(html, str) else html
    last = {}  # text key -> the last block with it: deeper nodes come later and win (innermost)
    for node in tree.css("p, section, div, td, li, font, span"):
        text = (node.text(deep=True) or "").strip()
        if len(text) >= 8:
            last[text[:16]] = node
    out: dict[str, str] = {}
    for key, node in last.items():
        inner = [node] + [n for n in node.css("span, font, strong, b") if len((n.text() or "").strip()) >= 8]
        out[key] = "|".join(
            f"{n.tag}.{n.attributes.get('class') or ''}.{_style(n.attributes.get('style') or '')}"
            f".{n.attributes.get('face') or ''}"
            for n in inner[:3]
        )
    return out


def _style(style: str) -> str:
    keep = []
    for part in style.lower().replace(" ", "").split(";"):
        if part.startswith(("font-family", "font-size", "color", "background", "line-height")):
            keep.append(part)
    return ";".join(sorted(keep))
