"""Service guides (办事指南): which of the ten elements a guide shows, and its attachments.

A guide states its elements as label/value pairs: table rows (th|td, td|td), definition lists, or
"label：value" lines. Each element is present (a value; "无" counts), empty ("", 暂无, -) or
missing (no label at all).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from selectolax.lexbor import LexborHTMLParser

from govinspect.extract.article_body import page_title
from govinspect.extract.html import (
    absolute_url,
    anchor_text,
    base_href,
    clean_text,
    never_raise,
    node_text,
    parse,
)
from govinspect.model import Guide

# Element -> the labels sites use for it (first is the canonical name): extract/lexicons/guides.yaml.
# Read by path, not through the checks package, which imports this module.
_LEXICON = Path(__file__).resolve().parent / "lexicons" / "guides.yaml"
GUIDE_ELEMENTS: dict[str, tuple[str, ...]] = {
    name: tuple(str(label) for label in labels)
    for name, labels in yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))["elements"].items()
}
_LABEL_TO_ELEMENT = {label: name for name, labels in GUIDE_ELEMENTS.items() for label in labels}
# Headings in their usual forms: 事项名称：…, 一、事项名称, （一）事项名称, 1.事项名称, 【事项名称】….
# Longest labels first so 收费依据及标准 wins over 收费依据.
_LABEL_RE = re.compile(
    r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）]?\s*[、.．:：]?\s*)?[【\[]?("
    + "|".join(sorted(map(re.escape, _LABEL_TO_ELEMENT), key=len, reverse=True))
    + r")[】\]]?\s*[:：]?\s*(.*)$",
    re.S,
)
# Values that say nothing: the element counts as empty. "无" is a real value (e.g. 无收费).
_EMPTY_VALUES = {
    "",
    "-",
    "--",
    "—",
    "——",
    "/",
    "／",
    "暂无",
    "暂无内容",
    "暂无信息",
    "待定",
    "详见",
    "null",
    "none",
}
_ATTACHMENT_RE = re.compile(r"\.(?:docx?|xlsx?|pdf|zip|rar|7z|wps|et|ofd)(?:$|\?)", re.I)
_MAX_LABEL_CELL = 14


def is_empty_value(value: str | None) -> bool:
    text = clean_text(value).strip("：: 。.")
    return text.lower() in _EMPTY_VALUES


def labelled_fields(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """(label, value) pairs of a detail page: table rows, dt/dd and "label：value" text lines."""
    pairs: list[tuple[str, str]] = []
    for row in tree.css("tr"):
        cells = [c for c in row.iter() if c.tag in ("th", "td")]
        # Rows of two cells, or of four (two pairs side by side).
        for i in range(0, len(cells) - 1, 2):
            label, value = node_text(cells[i]), node_text(cells[i + 1])
            if label and len(label) <= _MAX_LABEL_CELL:
                pairs.append((label.rstrip("：:"), value))
    for dt_node in tree.css("dt"):
        dd = dt_node.next
        while dd is not None and dd.tag not in ("dd", "dt"):
            dd = dd.next
        if dd is not None and dd.tag == "dd":
            pairs.append((node_text(dt_node).rstrip("：:"), node_text(dd)))
    for node in tree.css("p, li, div, span, h3, h4, strong, b"):
        # Leaf-ish nodes only: their own text is one "label：value" line.
        if any(n.mem_id != node.mem_id for n in node.css("p, li, div, table, tr")):
            continue
        text = node_text(node)
        if 0 < len(text) <= 2000 and ("：" in text or ":" in text):
            label, _, value = re.split(r"([:：])", text, maxsplit=1)
            if label and len(label) <= _MAX_LABEL_CELL:
                pairs.append((label.strip(), value.strip()))
    return pairs


def _element_of(label: str) -> tuple[str, str] | None:
    m = _LABEL_RE.match(label)
    if not m:
        return None
    return _LABEL_TO_ELEMENT[m.group(1)], m.group(2)


def _heading_element(node) -> str | None:
    """The element a node names when its whole text is a heading ("一、办理流程", "【办理时限】")."""
    text = node_text(node)
    if not text or len(text) > _MAX_LABEL_CELL + 4:
        return None
    found = _element_of(text)
    return found[0] if found and not clean_text(found[1]) else None


def _headed_values(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Guides laid out as a heading per element followed by its block (<h4>一、办理流程</h4><p>…</p>,
    <p><strong>【办理时限】</strong></p><p>…</p>): the heading's next sibling is the value."""
    pairs = []
    for head in tree.css("h2, h3, h4, h5, h6, dt, .title, strong, b, p, div, span"):
        name = _heading_element(head)
        if name is None:
            continue
        sibling = head.next
        while sibling is not None and (sibling.tag == "-text" and not clean_text(sibling.text())):
            sibling = sibling.next
        if sibling is None and head.parent is not None and head.parent.tag in ("p", "div", "span", "li"):
            # <p><strong>事项名称</strong>某某许可</p>: the rest of the paragraph.
            rest = node_text(head.parent).replace(node_text(head), "", 1)
            pairs.append((GUIDE_ELEMENTS[name][0], rest))
            continue
        value = ""
        if sibling is not None and _heading_element(sibling) is None:
            value = node_text(sibling) if sibling.tag != "-text" else clean_text(sibling.text())
        pairs.append((GUIDE_ELEMENTS[name][0], value))
    return pairs


def _header_tables(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Tables whose header row names the elements and whose next row gives the values. A header
    followed by several rows of the same width is a list of items (事项名称 | 办理时限 per row), not a guide."""
    pairs = []
    for table in tree.css("table"):
        rows = [[c for c in r.iter() if c.tag in ("th", "td")] for r in table.css("tr")]
        for i, (heads, cells) in enumerate(zip(rows, rows[1:], strict=False)):
            named = [_heading_element(c) for c in heads]
            if len(heads) < 2 or len(cells) != len(heads) or sum(n is not None for n in named) < 2:
                continue
            if sum(len(r) == len(heads) for r in rows[i + 2 :]):
                continue
            if any(_heading_element(c) for c in cells):
                continue  # two header rows, or label|value|label|value rows
            pairs += [(GUIDE_ELEMENTS[n][0], node_text(c)) for n, c in zip(named, cells, strict=True) if n]
    return pairs


def _bracketed_lines(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """ "【办理时限】5个工作日" and "一、事项名称 某某许可" written as one line without a colon."""
    pairs = []
    for node in tree.css("p, li, div, td"):
        if any(n.mem_id != node.mem_id for n in node.css("p, li, div, table")):
            continue
        text = node_text(node)
        if (
            not text
            or len(text) > 2000
            or not re.match(r"^\s*(?:[【\[]|[（(]?[一二三四五六七八九十\d]{1,3}[)）]?\s*[、.．])", text)
        ):
            continue
        found = _element_of(text)
        if found and clean_text(found[1]):
            pairs.append((GUIDE_ELEMENTS[found[0]][0], found[1]))
    return pairs


def _attachments(tree: LexborHTMLParser, page_url: str) -> list[str]:
    base = base_href(tree, page_url)
    found: list[str] = []
    for a in tree.css("a[href]"):
        href = a.attributes.get("href") or ""
        url = absolute_url(href, base)
        if not url:
            continue
        text = anchor_text(a)
        is_file = (
            _ATTACHMENT_RE.search(url) or _ATTACHMENT_RE.search(text) or ("下载" in text and "附件" in text)
        )
        if is_file and url not in found:
            found.append(url)
    return found


@never_raise(lambda: Guide(url=""))
def extract_guide(html: str, url: str) -> Guide:
    """The ten elements (value, "" when empty, None when missing), the title and attachments."""
    tree = parse(html)
    elements: dict[str, str | None] = dict.fromkeys(GUIDE_ELEMENTS)
    pairs = _header_tables(tree) + labelled_fields(tree) + _bracketed_lines(tree) + _headed_values(tree)
    for label, value in pairs:
        if _element_of(value or "") and not clean_text(_element_of(value)[1]):
            continue  # a header cell paired with the next header cell
        found = _element_of(label)
        if found is None:
            continue
        name, rest = found
        value = value or rest
        value = "" if is_empty_value(value) else clean_text(value)
        # The first non-empty statement of an element wins.
        if elements[name] is None or (elements[name] == "" and value):
            elements[name] = value
    title = elements["事项名称"] or page_title(tree)  # the readers above leave the tree as parsed
    return Guide(url=url, title=title, elements=elements, attachments=_attachments(tree, url))


def guide_labels_found(guide: Guide) -> int:
    """How many elements the page labels at all (present or empty): a guide page shows several."""
    return sum(1 for v in guide.elements.values() if v is not None)
