"""Service guides (办事指南): which of the ten elements a guide shows, and its attachments.

A guide states its elements as label/value pairs: table rows (th|td, td|td), definition lists, or
"label：value" lines. Each element is present (a value; "无" counts), empty ("", 暂无, -) or
missing (no label at all).
"""

from __future__ import annotations

import re

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

# Element -> the labels sites use for it (first is the canonical name).
GUIDE_ELEMENTS: dict[str, tuple[str, ...]] = {
    "事项名称": ("事项名称", "项目名称", "服务事项", "事项名"),
    "设定依据": ("设定依据", "法律依据", "办理依据", "政策依据", "实施依据", "法定依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件", "申办条件", "申报条件"),
    "办理材料": ("办理材料", "申请材料", "所需材料", "提交材料", "申报材料", "材料清单", "申请资料"),
    "办理地点": ("办理地点", "受理地点", "办理地址", "办公地址", "受理地址", "窗口地址"),
    "办理机构": ("办理机构", "实施机构", "受理机构", "实施主体", "责任部门", "办理部门", "受理部门"),
    "收费标准": ("收费标准", "收费依据及标准", "是否收费", "收费情况", "收费依据"),
    "办理时间": ("办理时间", "受理时间", "办公时间", "工作时间"),
    "联系电话": ("联系电话", "咨询电话", "咨询方式", "联系方式", "咨询途径"),
    "办理流程": ("办理流程", "办理程序", "办事流程", "办理步骤", "办件流程"),
}
_LABEL_TO_ELEMENT = {label: name for name, labels in GUIDE_ELEMENTS.items() for label in labels}
# Longest labels first so 收费依据及标准 wins over 收费依据.
_LABEL_RE = re.compile(
    r"^\s*[一二三四五六七八九十\d]{0,2}[、.．）)]?\s*【?("
    + "|".join(sorted(map(re.escape, _LABEL_TO_ELEMENT), key=len, reverse=True))
    + r")】?\s*[:：]?\s*(.*)$",
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


def _headed_values(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Guides laid out as a heading per element followed by its text (h3/h4/strong + next block)."""
    pairs = []
    for head in tree.css("h2, h3, h4, h5, dt, .title, strong"):
        label = node_text(head).rstrip("：:")
        if label not in _LABEL_TO_ELEMENT:
            continue
        sibling = head.next
        while sibling is not None and sibling.tag == "-text" and not clean_text(sibling.text()):
            sibling = sibling.next
        pairs.append((label, node_text(sibling) if sibling is not None else ""))
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
    for label, value in labelled_fields(tree) + _headed_values(tree):
        found = _element_of(label)
        if found is None:
            continue
        name, rest = found
        value = value or rest
        value = "" if is_empty_value(value) else clean_text(value)
        # The first non-empty statement of an element wins.
        if elements[name] is None or (elements[name] == "" and value):
            elements[name] = value
    title = elements["事项名称"] or page_title(parse(html))
    return Guide(url=url, title=title, elements=elements, attachments=_attachments(tree, url))


def guide_labels_found(guide: Guide) -> int:
    """How many elements the page labels at all (present or empty): a guide page shows several."""
    return sum(1 for v in guide.elements.values() if v is not None)
