"""What a visitor cannot see on a page: CSS-hidden blocks, script-written text, links off the site.

Read at crawl time into `PageFacts` (extract/page_facts.py); security.spam_injection matches its
lexicons against these texts and reads no HTML.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.extract.html import absolute_url, clean_text, node_text, parse, registered_domain
from govinspect.model import TextBlock

_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*[01](?:\.\d+)?(?:px|pt|em)?\s*(?:;|$|!)"
    r"|(?:left|top|right|text-indent|margin-left|margin-top)\s*:\s*-\s*\d{3,}"
    r"|(?:^|[;\s])(?:width|height)\s*:\s*[01]px.*overflow\s*:\s*hidden|overflow\s*:\s*hidden.*(?:^|[;\s])(?:width|height)\s*:\s*[01]px"
    r"|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)|clip\s*:\s*rect\(\s*0",
    re.I | re.S,
)
_COLOR = re.compile(r"(?<![-\w])color\s*:\s*([#\w]+)", re.I)
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([#\w]+)", re.I)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*([.#])([\w-]+)\s*$")
_DOC_WRITE = re.compile(r"document\.write(?:ln)?\s*\(|\.innerHTML\s*=|insertAdjacentHTML", re.I)
_JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", re.S)
_JS_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|%u([0-9a-fA-F]{4})")


def _same_colour(style: str) -> bool:
    colour, background = _COLOR.search(style), _BACKGROUND.search(style)
    return bool(colour and background and colour.group(1).lower() == background.group(1).lower())


def _hiding_selectors(tree: LexborHTMLParser) -> list[str]:
    """.class and #id selectors that <style> blocks hide (the usual spam wrapper)."""
    selectors = []
    for style in tree.css("style"):
        for rule in _CSS_RULE.finditer(style.text() or ""):
            body = rule.group(2)
            if not (_HIDING_STYLE.search(body) or _same_colour(body)):
                continue
            for selector in rule.group(1).split(","):
                m = _SIMPLE_SELECTOR.match(selector)
                if m:
                    selectors.append(f"[class~='{m[2]}']" if m[1] == "." else f"[id='{m[2]}']")
    return selectors


def hidden_nodes(tree: LexborHTMLParser) -> list[LexborNode]:
    """Outermost elements a visitor cannot see."""
    found: dict[int, LexborNode] = {}
    for node in tree.css("[style], [hidden], marquee"):
        style = node.attributes.get("style") or ""
        if "hidden" in node.attributes or _HIDING_STYLE.search(style) or _same_colour(style):
            found[node.mem_id] = node
        elif node.tag == "marquee":
            size = f"{node.attributes.get('width', '')} {node.attributes.get('height', '')}"
            if re.search(r"(?<!\d)[01](?:px)?(?!\d)", size):
                found[node.mem_id] = node
    for selector in _hiding_selectors(tree):
        try:
            for node in tree.css(selector):
                found[node.mem_id] = node
        except Exception:  # noqa: BLE001 - a selector lexbor cannot parse
            continue
    outermost = []
    for node in found.values():
        parent, nested = node.parent, False
        while parent is not None:
            if parent.mem_id in found:
                nested = True
                break
            parent = parent.parent
        if not nested:
            outermost.append(node)
    return outermost


@functools.lru_cache(maxsize=8192)
def _domain_of(url: str) -> tuple[str, bool]:
    """(registered domain, whether a government host) of an absolute URL."""
    host = urlsplit(url).hostname or ""
    return registered_domain(host), host.endswith((".gov.cn", ".gov"))


def _is_outside(url: str, own_domain: str) -> bool:
    domain, government = _domain_of(url)
    return domain != own_domain and not government


def _outside_links(html_or_node, base: str, own_domain: str) -> Iterator[str]:
    """Links to hosts outside the site and outside government domains, in document order."""
    base_outside = _is_outside(base, own_domain)
    for a in html_or_node.css("a[href]"):
        href = a.attributes.get("href")
        if not base_outside and href and ":" not in href:
            bare = href.replace("\t", "").replace("\n", "").replace("\r", "").strip()
            if not bare.startswith("//"):
                continue  # a relative link stays on the page's own host: never outside
        url = absolute_url(href, base)
        if not url:
            continue
        if _is_outside(url, own_domain):
            yield url


def _any_outside_link(html_or_node, base: str, own_domain: str) -> bool:
    return next(_outside_links(html_or_node, base, own_domain), None) is not None


def _script_html(tree: LexborHTMLParser) -> str:
    """What inline scripts write into the page (document.write, innerHTML), escapes decoded."""
    parts = []
    for script in tree.css("script"):
        if script.attributes.get("src"):
            continue
        code = script.text() or ""
        if not _DOC_WRITE.search(code):
            continue
        for m in _JS_STRING.finditer(code):
            parts.append(m.group(1) if m.group(1) is not None else m.group(2) or "")
    text = "".join(parts)
    text = _JS_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2) or m.group(3), 16)), text)
    return unquote(text) if "%" in text else text


def hidden_blocks(tree: LexborHTMLParser, base: str, own_domain: str) -> list[TextBlock]:
    """The text (with its links' titles) of every outermost hidden element."""
    blocks = []
    for node in hidden_nodes(tree):
        text = node_text(node) + " " + " ".join(a.attributes.get("title") or "" for a in node.css("a"))
        blocks.append(TextBlock(text=text, outside_links=_any_outside_link(node, base, own_domain)))
    return blocks


def script_written(tree: LexborHTMLParser, base: str, own_domain: str) -> TextBlock | None:
    """The text inline scripts write into the page, or None when they write nothing."""
    written = _script_html(tree)
    if not written:
        return None
    script_tree = parse(written)
    text = clean_text(script_tree.body.text(deep=True, separator=" ") if script_tree.body else written)
    return TextBlock(text=text, outside_links=_any_outside_link(script_tree, base, own_domain))


def has_outside_links(tree: LexborHTMLParser, base: str, own_domain: str) -> bool:
    return _any_outside_link(tree, base, own_domain)


def link_titles(tree: LexborHTMLParser) -> str:
    return " ".join((a.attributes.get("title") or "") for a in tree.css("a[title]"))
