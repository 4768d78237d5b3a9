"""Article pages: title, own date, 来源 and the body text without navigation or footer.

The body is found by text density (a Readability-style heuristic on selectolax): every text block
with few links scores its length to its parent and half of it to its grandparent; the best-scored
container is the body.
"""

from __future__ import annotations

import datetime as dt
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.extract.article import _title_of, find_published_date
from govinspect.extract.html import NAV_SELECTOR, clean_text, never_raise, node_text, parse, visible_text
from govinspect.model import Article

_SOURCE_RE = re.compile(r"(?:来源|信息来源|稿源|文章来源)\s*[:：]\s*([^\s|｜/]{2,30})")
_BOILERPLATE_SELECTOR = ", ".join(
    ["script", "style", "noscript", "template", "header", "footer", "form", "select", "button", "iframe"]
    + [
        f'[{attr}*="{word}" i]'
        for attr in ("class", "id")
        for word in ("footer", "bottom", "crumb", "share", "copyright")
    ]
)
_BLOCK_TAGS = {
    "p",
    "div",
    "td",
    "li",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "h2",
    "h3",
    "h4",
    "span",
}
_MIN_BLOCK = 8
_MIN_HEADING = 7  # characters: shorter headings are block titles, not an article's


def _link_text_len(node: LexborNode) -> int:
    return sum(len(node_text(a)) for a in node.css("a"))


def _remove(tree: LexborHTMLParser, selector: str) -> None:
    for node in tree.css(selector):
        if node.parent is not None:
            node.decompose()


def _own_text(node: LexborNode) -> str:
    """The text of the node's direct text children and inline children (not of nested blocks)."""
    parts = []
    child = node.child
    while child is not None:
        if child.tag == "-text":
            parts.append(child.text() or "")
        elif child.tag in ("a", "b", "strong", "em", "i", "font", "u", "sup", "sub", "br", "img"):
            parts.append(child.text(deep=True) or "")
        child = child.next
    return clean_text("".join(parts))


def body_text(tree: LexborHTMLParser) -> str:
    """The main text of the page (mutates the tree)."""
    _remove(tree, _BOILERPLATE_SELECTOR)
    _remove(tree, NAV_SELECTOR)
    root = tree.body or tree.root
    if root is None:
        return ""
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for node in root.traverse():
        if node.tag not in _BLOCK_TAGS:
            continue
        text = _own_text(node)
        if len(text) < _MIN_BLOCK:
            continue
        links = sum(len(clean_text(a.text(deep=True))) for a in node.iter() if a.tag == "a")
        if links > 0.5 * len(text):
            continue
        weight = len(text) + 10 * text.count("，") + 10 * text.count("。")
        parent = node.parent
        for share in (1.0, 0.5):
            if parent is None:
                break
            scores[parent.mem_id] = scores.get(parent.mem_id, 0.0) + share * weight
            nodes[parent.mem_id] = parent
            parent = parent.parent
    if not scores:
        return clean_text(root.text(deep=True, separator=" "))
    best = nodes[max(scores, key=scores.get)]
    # Tolerate a few links (see-also) inside the body, drop blocks that are mostly links.
    blocks = []
    for node in best.traverse():
        if node.tag in _BLOCK_TAGS:
            text = _own_text(node)
            if text and _link_text_len(node) <= 0.5 * len(text):
                blocks.append(text)
    text = "\n".join(blocks)
    return text or node_text(best)


def page_title(tree: LexborHTMLParser) -> str:
    """The article's own heading: the longest h1-h3 outside links and headers that the <title>
    repeats, else the first such heading, else the shared guess of extract/article.py."""
    title_tag = node_text(tree.css_first("title"))
    headings = []
    for node in tree.css("h1, h2, h3"):
        text = node_text(node)
        inside = node.parent
        boxed = False
        while inside is not None:
            if inside.tag in ("a", "header") or "logo" in (inside.attributes.get("class") or "").lower():
                boxed = True
                break
            inside = inside.parent
        if len(text) >= 4 and not boxed:
            headings.append(text)
    in_title = [h for h in headings if h in title_tag]
    if in_title:
        return max(in_title, key=len)
    # Block headings (友情链接, 新闻中心) are short: the <title>'s first part names the article better.
    long_headings = [h for h in headings if len(h) >= _MIN_HEADING]
    if long_headings:
        return long_headings[0]
    segment = re.split(r"\s*(?:_|\||｜| - |—)\s*", title_tag)[0].strip()
    if len(segment) >= 4:
        return segment
    if headings:
        return headings[0]
    return _title_of(tree)


def _source(text: str) -> str:
    m = _SOURCE_RE.search(text)
    return m.group(1).strip() if m else ""


@never_raise(lambda: Article(url=""))
def extract_article(html: str, url: str, reference: dt.date) -> Article:
    tree = parse(html)  # shared by the readers; visible_text (it strips scripts) comes last
    title = page_title(tree)
    published = find_published_date(html, reference, url, tree=tree)
    source = _source(clean_text(visible_text(tree)))
    return Article(
        url=url,
        title=title,
        date=published.date,
        date_source=published.source,
        source=source,
        text=body_text(parse(html)),
    )
