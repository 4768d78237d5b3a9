"""Is a column's list page empty, or did we just fail to read it?

A column is 空白栏目 only on positive evidence: the page says so (暂无信息, 暂无数据,
没有相关信息 … — `empty_column_text`), or it shows the list's container with no record in it (an
empty `<ul class="list">`, a JCMS data island with no <record>, a TRS pager over 0 records). A page
that yielded no item and shows neither is *unreadable*: a person has to look (column.unreadable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from govinspect.extract.html import class_id, never_raise, node_text, parse
from govinspect.extract.lists import empty_column_text
from govinspect.model import Item

ListState = Literal["items", "empty", "unreadable"]

# A list's own container, by its class or id: list, news list, 列表 (lb), 信息列表 (xxlb) ...
_LIST_CONTAINER_RE = re.compile(
    r"(?:^|[\s_-])(?:[a-z]*list[a-z]*|lb|xxlb|lbxx|newslist|news_list|article_?list|info_?list|datalist)(?:$|[\s_\d-])",
    re.I,
)
# Not <div>: templates leave empty divs everywhere; an empty <ul>/<table> of a list is deliberate.
_CONTAINER_TAGS = ("ul", "ol", "dl", "table", "tbody")
_OUTSIDE_MAIN = ("header", "footer", "nav", "aside")
# Lists that are not a column's records: search suggestions, share buttons, related posts, tabs.
_NOT_RECORDS_RE = re.compile(
    r"suggest|autocomplete|share|related|hot|tab|scroll|drop|select|menu|nav|side|friend|link", re.I
)
# Title-like links outside the page frame: a page showing several has records we could not read.
MIN_TITLE_CHARS = 8
MAX_TITLES_IF_EMPTY = 2
# A script that may fill an empty container after load: then the container proves nothing.
_FILLS_LATER_RE = re.compile(
    r"\$\.(?:ajax|get|post|getJSON)|\.load\(|XMLHttpRequest|\bfetch\(|axios|new\s+Vue|createApp|innerHTML",
    re.I,
)
# JCMS (大汉) data island: <datastore> … <recordset> with its <record>s.
_DATASTORE_RE = re.compile(r"<datastore\b.*?</datastore>", re.I | re.S)
_RECORD_RE = re.compile(r"<record\b", re.I)
_TOTAL_ZERO_RE = re.compile(r"<totalrecord>\s*0\s*</totalrecord>|totalRecord\s*[:=]\s*['\"]?0\b", re.I)
# "共0条" / "共 0 条记录" printed by a pager.
_ZERO_RECORDS_RE = re.compile(r"共\s*0\s*条")


@dataclass(frozen=True)
class ListReading:
    """What the list page of a column shows: items, positive evidence of none, or neither."""

    state: ListState
    evidence: str | None = None  # Chinese: the note shown, or what shows the list is empty


def _empty_data_island(html: str) -> str | None:
    islands = _DATASTORE_RE.findall(html)
    if islands and not any(_RECORD_RE.search(island) for island in islands):
        return "列表数据（datastore）中无任何记录"
    if islands and any(_TOTAL_ZERO_RE.search(island) for island in islands):
        return "列表数据（datastore）记录总数为0"
    return None


def _outside_main(node) -> bool:
    current = node.parent
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in _OUTSIDE_MAIN:
            return True
        current = current.parent
    return False


def _content_titles(tree) -> int:
    """Links with a title-like text outside the header, footer and navigation."""
    return sum(
        1 for a in tree.css("a[href]") if len(node_text(a)) >= MIN_TITLE_CHARS and not _outside_main(a)
    )


@never_raise(lambda: None)
def empty_list_container(html: str) -> str | None:
    """A list container (by class/id) with no record in it, on a page no script fills later."""
    if _FILLS_LATER_RE.search(html):
        return None
    tree = parse(html)
    if _content_titles(tree) > MAX_TITLES_IF_EMPTY:
        return None  # records are there, in a form we did not read: not an empty column
    for node in tree.css(",".join(_CONTAINER_TAGS)):
        names = class_id(node)
        if not _LIST_CONTAINER_RE.search(names) or _NOT_RECORDS_RE.search(names):
            continue
        records = node.css("li, tr, dd, dt, a[href]")
        if not records and not node_text(node) and not _outside_main(node):
            return f"列表区域（{node.tag}.{class_id(node).strip()}）中无任何信息条目"
    return None


def read_list_state(html: str, items: list[Item]) -> ListReading:
    """How to judge a column list page: `items` are what the extractor read from `html`."""
    if items:
        return ListReading("items")
    titles = _content_titles(parse(html))
    note = empty_column_text(html)
    # "没有相关信息" beside a page full of titles is a side block's note (相关文章), not the list's.
    if note and titles <= MAX_TITLES_IF_EMPTY:
        return ListReading("empty", note)
    if titles > MAX_TITLES_IF_EMPTY:
        return ListReading("unreadable", f"页面上有{titles}条信息标题，但未能读出栏目列表")
    evidence = _empty_data_island(html) or empty_list_container(html)
    if evidence is None and _ZERO_RECORDS_RE.search(html):
        evidence = "列表显示共0条"
    if evidence:
        return ListReading("empty", evidence)
    return ListReading("unreadable", "未能从栏目页面读出信息条目，也未见“暂无信息”等提示")
