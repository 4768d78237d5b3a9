"""What a visitor sees: text hidden by CSS (inline style, the hidden attribute, simple <style> rules)
is not on the page for a person, so no date or label may be read from it."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*([.#])([\w-]+)\s*$")


def _hiding_selectors(tree: LexborHTMLParser) -> list[str]:
    selectors = []
    for style in tree.css("style"):
        for rule in _CSS_RULE.finditer(style.text() or ""):
            if not _HIDING.search(rule.group(2)):
                continue
            for selector in rule.group(1).split(","):
                m = _SIMPLE_SELECTOR.match(selector)
                if m:
                    selectors.append(f"[class~='{m[2]}']" if m[1] == "." else f"[id='{m[2]}']")
    return selectors


def remove_hidden(tree: LexborHTMLParser) -> LexborHTMLParser:
    """Drop the elements CSS hides from the tree (mutates and returns it)."""
    doomed = [n for n in tree.css("[style], [hidden]") if "hidden" in n.attributes]
    doomed += [n for n in tree.css("[style]") if _HIDING.search(n.attributes.get("style") or "")]
    for selector in _hiding_selectors(tree):
        try:
            doomed += tree.css(selector)
        except Exception:  # noqa: BLE001 - a selector lexbor cannot parse
            continue
    ids = {n.mem_id for n in doomed}
    for node in {n.mem_id: n for n in doomed}.values():
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:  # outermost: its hidden descendants go with it
            node.decompose()
    return tree
