"""Entries of list pages and of the home page, pagination, and the "暂无信息" of empty columns.

An entry ("row") is a link with a title-like text and the date shown beside it. Rows are grouped
by the element that repeats them (the <ul> of <li>, the table of <tr>, the <div> of a flat list);
the main list of a column page is the group with the most dated rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.extract.dates import date_from_url, iter_dates
from govinspect.extract.html import (
    absolute_url,
    anchor_text,
    base_href,
    class_id,
    clean_text,
    never_raise,
    node_text,
    parse,
    registered_domain,
    visible_text,
)
from govinspect.model import Item

MIN_TITLE = 5  # characters; shorter links are menus, "更多", page numbers, [栏目名] labels
_BRACKETS_RE = re.compile(r"[\[\]【】()（）<>《》「」\s]")
_ELLIPSIS = ("...", "…", "..")
_SIDE_RE = re.compile(r"side|hot|rank|tuijian|recommend|foot|bottom|friend|related|xiangguan|aside|nav|menu")
_SIDE_TAGS = ("aside", "footer", "nav", "header")
_STOP_TAGS = ("body", "html")
_PAIRED_TAGS = ("dt", "dd", "td", "th", "span", "div", "p")


@dataclass
class _Row:
    title: str
    url: str
    date: dt.date | None
    visible: bool  # the date is shown on the page (not only in the URL)
    order: int
    anchor: LexborNode | None = None  # the link itself, for the blocks around it


@dataclass
class _Group:
    node: LexborNode
    rows: list[_Row] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(1.0 if r.visible else 0.5 for r in self.rows if r.date)


def _title_of(a: LexborNode) -> str:
    """The link text, or the full title attribute when the text is cut ("…") or absent."""
    text = anchor_text(a)
    title = clean_text(a.attributes.get("title"))
    if title and len(title) >= len(text):
        stem = text.rstrip(".…")
        if not text or text.endswith(_ELLIPSIS) or title.startswith(stem[:4]):
            return title
    return text


def _substantive(a: LexborNode, title: str | None = None) -> bool:
    return len(_BRACKETS_RE.sub("", title if title is not None else _title_of(a))) >= MIN_TITLE


def _anchor_counts(anchors: list[LexborNode]) -> dict[int, int]:
    """How many substantive links each element contains."""
    counts: dict[int, int] = {}
    for a in anchors:
        node = a.parent
        while node is not None:
            counts[node.mem_id] = counts.get(node.mem_id, 0) + 1
            node = node.parent
    return counts


def _sibling_text(node: LexborNode, counts: dict[int, int], forward: bool) -> str:
    """Text beside a link in a flat list, up to the neighbouring entry's link."""
    parts: list[str] = []
    size = 0
    sibling = node.next if forward else node.prev
    while sibling is not None and size < 120:
        if sibling.tag == "a" and _substantive(sibling):
            break
        if counts.get(sibling.mem_id, 0):
            break
        text = sibling.text(deep=True) if sibling.tag not in ("script", "style") else ""
        parts.append(text)
        size += len(text)
        sibling = sibling.next if forward else sibling.prev
    return clean_text(" ".join(parts if forward else reversed(parts)))


def _first_date(text: str, reference: dt.date) -> dt.date | None:
    for value, _, _ in iter_dates(text, reference):
        return value
    return None


def _edge_date(text: str, reference: dt.date) -> tuple[dt.date | None, str]:
    """A date written inside the link text at its start or end: (date, title without it)."""
    for value, start, end in iter_dates(text, reference):
        if end >= len(text) - 1 or start <= 1:
            rest = clean_text(text[:start] + " " + text[end:])
            if len(rest) >= MIN_TITLE - 1:
                return value, rest
    return None, text


# ---- data islands -------------------------------------------------------------------------------

# 大汉 JCMS writes a column's records into a non-executed island that a script renders:
# <script type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]></record>…
_ISLAND_RE = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?text/xml[\"']?[^>]*>(.*?)</script\s*>|<datastore\b.*?</datastore\s*>",
    re.I | re.S,
)
_RECORD_RE = re.compile(r"<record\b[^>]*>\s*<!\[CDATA\[(.*?)\]\]>\s*</record\s*>", re.I | re.S)


def island_records(html: str) -> list[str]:
    """The HTML of every record kept in the page's data islands, in order."""
    if "<record" not in html and "<RECORD" not in html:
        return []
    records = []
    for island in _ISLAND_RE.finditer(html):
        records.extend(m.group(1) for m in _RECORD_RE.finditer(island.group(0)))
    return records


def expand_data_islands(html: str) -> str:
    """The page with each data island replaced by its records as ordinary markup, so the list
    heuristics read them as a browser shows them once the script has run."""
    if "<record" not in html and "<RECORD" not in html:
        return html

    def records(m: re.Match) -> str:
        found = [r.group(1) for r in _RECORD_RE.finditer(m.group(0))]
        if not found:
            return m.group(0)
        return '<div class="data-island">' + "".join(found) + "</div>"

    return _ISLAND_RE.sub(records, html)


def _rows(tree: LexborHTMLParser, base_url: str, reference: dt.date) -> list[tuple[LexborNode, _Row]]:
    """Every substantive link with its date and the element that groups it with its siblings."""
    tree.strip_tags(["script", "style", "noscript", "template"])
    base = base_href(tree, base_url)
    titled = [(a, _title_of(a)) for a in tree.css("a[href]")]
    titled = [(a, title) for a, title in titled if _substantive(a, title)]
    counts = _anchor_counts([a for a, _ in titled])
    rows = []
    for order, (a, title) in enumerate(titled):
        url = absolute_url(a.attributes.get("href"), base)
        if not url:
            continue
        link_text = anchor_text(a)
        row = a
        for _ in range(6):
            parent = row.parent
            if parent is None or parent.tag in _STOP_TAGS or counts.get(parent.mem_id, 0) > 1:
                break
            row = parent
        if row is a:
            # Flat list: the date sits between this link and the next one.
            group = a.parent
            beside = _sibling_text(a, counts, True)
            date = _first_date(beside, reference) if beside else None
            if date is None:
                before = _sibling_text(a, counts, False)
                date = _first_date(before[-40:], reference) if before else None
        else:
            group = row.parent
            rest = node_text(row).replace(link_text, " ", 1)
            date = _first_date(rest[:400], reference)
            if date is None and row.tag in _PAIRED_TAGS:
                # <dt>title</dt><dd>date</dd>, <td>title</td><td>date</td>: the date is the next sibling.
                beside = _sibling_text(row, counts, True)
                date = _first_date(beside[:60], reference) if beside else None
        visible = date is not None
        if date is None:
            date, stripped = _edge_date(link_text, reference)
            visible = date is not None
            if visible and title == link_text:
                title = stripped
        if date is None:
            date = date_from_url(url, reference)
        if group is None:
            continue
        rows.append((group, _Row(title=title, url=url, date=date, visible=visible, order=order, anchor=a)))
    return rows


def _groups(rows: list[tuple[LexborNode, _Row]]) -> list[_Group]:
    groups: dict[int, _Group] = {}
    for node, row in rows:
        groups.setdefault(node.mem_id, _Group(node)).rows.append(row)
    return list(groups.values())


def _is_side(node: LexborNode) -> bool:
    """Sidebars, footers and menus: lists there belong to other columns."""
    current: LexborNode | None = node
    for _ in range(8):
        if current is None or current.tag in _STOP_TAGS:
            return False
        if current.tag in _SIDE_TAGS or _SIDE_RE.search(class_id(current)):
            return True
        current = current.parent
    return False


def _on_site(url: str, domain: str) -> bool:
    try:
        return registered_domain(urlsplit(url).netloc) == domain
    except ValueError:
        return False


def _signature(node: LexborNode) -> tuple[str | None, str]:
    return node.tag, (node.attributes.get("class") or "").strip()


def _items(rows: list[_Row]) -> list[Item]:
    seen: set[str] = set()
    items = []
    for row in sorted(rows, key=lambda r: r.order):
        if row.url in seen:
            continue
        seen.add(row.url)
        source = ("list" if row.visible else "url") if row.date else ""
        items.append(Item(title=row.title, url=row.url, date=row.date, date_source=source))
    return items


def _selected_items(
    html: str, base_url: str, reference: dt.date, selector: str, date_selector: str | None
) -> list[Item]:
    """Entries chosen by a per-site CSS selector (registry overrides): one element per entry; a
    single matched container of several links stands for its child elements."""
    tree = parse(html)
    tree.strip_tags(["script", "style", "noscript", "template"])
    base = base_href(tree, base_url)
    nodes = tree.css(selector)
    if len(nodes) == 1 and len(nodes[0].css("a[href]")) > 1:
        nodes = [child for child in nodes[0].iter() if child.tag == "a" or child.css_first("a[href]")]
    rows = []
    for order, node in enumerate(nodes):
        a = node if node.tag == "a" else node.css_first("a[href]")
        url = absolute_url(a.attributes.get("href"), base) if a is not None else None
        if a is None or not url:
            continue
        title, link_text = _title_of(a), anchor_text(a)
        date_node = node.css_first(date_selector) if date_selector else None
        if date_node is not None:
            date = _first_date(node_text(date_node), reference)
        else:
            date = _first_date(node_text(node).replace(link_text, " ", 1)[:400], reference)
        if date is None:
            date, stripped = _edge_date(link_text, reference)
            title = stripped if date is not None and title == link_text else title
        visible = date is not None
        rows.append(
            _Row(
                title=title, url=url, date=date or date_from_url(url, reference), visible=visible, order=order
            )
        )
    return _items(rows)


# Item pages as CMS families name them (大汉 art_…, TRS t2026…_…, content_…, detail/show/view pages).
_ITEM_URL_RE = re.compile(
    r"(?<![a-z0-9])t(?:19|20)\d{6}_\d+|content_\d+|/art/|art_\d+_\d+|/(?:19|20)\d{2}-?\d{2}/\d{2}/"
    r"|(?:show|detail|view|article|content|info)\w*\.(?:asp|aspx|jsp|php|do|action)\?",
    re.I,
)
_MENU_TAGS = ("nav", "header", "footer", "aside")


def _average_title(group: _Group) -> float:
    return sum(len(r.title) for r in group.rows) / len(group.rows)


def _undated_item_list(group: _Group) -> bool:
    """An undated block of short titles that is a list of items: most entries link to item pages
    and the block is not inside navigation, a header, a footer or a side bar."""
    if _average_title(group) < MIN_TITLE or _not_news(group.node):
        return False
    current: LexborNode | None = group.node
    while current is not None and current.tag not in _STOP_TAGS:
        if current.tag in _MENU_TAGS:
            return False
        current = current.parent
    return sum(bool(_ITEM_URL_RE.search(r.url)) for r in group.rows) >= 0.8 * len(group.rows)


@never_raise(list)
def extract_list_items(
    html: str,
    base_url: str,
    reference: dt.date,
    *,
    selector: str | None = None,
    date_selector: str | None = None,
) -> list[Item]:
    """The entries of a column's list page: the largest repeated block of dated links.

    `selector` (a per-site override) names the entries directly, `date_selector` the date inside
    each; when the selector finds nothing (the site changed) the heuristics still run."""
    if selector:
        try:
            items = _selected_items(html, base_url, reference, selector, date_selector)
        except Exception:  # noqa: BLE001 - a selector lexbor cannot parse: the heuristics decide
            items = []
        if items:
            return items
    groups = _groups(_rows(parse(expand_data_islands(html)), base_url, reference))
    if not groups:
        return []

    def weight(g: _Group) -> float:
        return g.score * (0.5 if _is_side(g.node) else 1.0)

    best = max(groups, key=lambda g: (weight(g), len(g.rows)))
    if best.score == 0:
        # No dates anywhere: a block of undated entries is still not an empty column.
        domain = registered_domain(urlsplit(base_url).netloc)
        plain = [g for g in groups if len(g.rows) >= 3 and not _is_side(g.node)]
        # Long titles, or entries that link to item pages from the page's content (a 办事指南 list
        # of short 事项名称 like 食品经营许可): not a menu of section names.
        plain = [g for g in plain if _average_title(g) >= 8 or _undated_item_list(g)]
        # Blocks of links to other sites (友情链接, 部门网站) are not the column's entries.
        plain = [g for g in plain if sum(_on_site(r.url, domain) for r in g.rows) >= 0.8 * len(g.rows)]
        if not plain:
            return []
        best = max(plain, key=lambda g: len(g.rows))
        return _items(best.rows)
    # A list split into several <ul> of the same container and style is one list.
    chosen = [best]
    parent = best.node.parent
    if parent is not None:
        for g in groups:
            sibling = g is not best and g.score and g.node.parent is not None
            if (
                sibling
                and g.node.parent.mem_id == parent.mem_id
                and _signature(g.node) == _signature(best.node)
            ):
                chosen.append(g)
    return _items([r for g in chosen for r in g.rows])


# Blocks of a home page that are not dated news even when a date shows (or a URL carries one):
# navigation, footers, friend links (友情链接), banners and sliders, share bars, agency directories.
_NOT_NEWS_RE = re.compile(
    r"nav|menu|daohang|foot|copyright|friend|yqlj|youqing|flink|link-?list|banner|share|fenxiang"
    r"|jgsz|zfjg|bmwz|site-?list|gov-?list",
    re.I,
)
_NOT_NEWS_HEADING_RE = re.compile(
    r"友情链接|相关链接|网站导航|政府网站导航|部门网站|区县网站|市县网站|机构设置|分享到"
)


def _not_news(node: LexborNode) -> bool:
    """The row sits in a block that is not a news or notice list."""
    current: LexborNode | None = node
    for level in range(10):
        if current is None or current.tag in _STOP_TAGS:
            return False
        if current.tag in ("nav", "footer", "header", "select") or _NOT_NEWS_RE.search(class_id(current)):
            return True
        heading = current.prev
        while heading is not None and heading.tag == "-text":
            heading = heading.prev
        # A short block heading right before the list (<h3>友情链接</h3><ul>…), close to the rows only.
        if level < 3 and heading is not None:
            title = node_text(heading)
            if len(title) <= 12 and _NOT_NEWS_HEADING_RE.search(title):
                return True
        current = current.parent
    return False


@never_raise(list)
def extract_home_items(html: str, base_url: str, reference: dt.date) -> list[Item]:
    """The dated news and notice entries of the home page, from all its blocks, in document order.

    Not news: entries in navigation, footers, friend-link and agency blocks, banners, share bars;
    links to other sites dated only by their URL (a directory of agencies, not this site's news)."""
    domain = registered_domain(urlsplit(base_url).netloc)
    rows = [
        row
        for _, row in _rows(parse(expand_data_islands(html)), base_url, reference)
        if row.date and not _not_news(row.anchor) and (row.visible or _on_site(row.url, domain))
    ]
    # The printed date wins when the same URL appears twice.
    rows.sort(key=lambda r: (not r.visible, r.order))
    seen: set[str] = set()
    kept = []
    for row in rows:
        if row.url not in seen:
            seen.add(row.url)
            kept.append(row)
    return _items(kept)


def newest_item(items: list[Item], as_of: dt.date | None = None) -> Item | None:
    """The entry a person would call the newest: the latest printed date (not after `as_of`); an entry
    dated only by its URL counts only when no entry shows a printed date."""
    dated = [i for i in items if i.date and (as_of is None or i.date <= as_of)]
    printed = [i for i in dated if i.date_source != "url"]
    pool = printed or dated
    return max(pool, key=lambda i: i.date) if pool else None


# ---- pagination ---------------------------------------------------------------------------------

_CREATE_PAGE_RE = re.compile(r"createPageHTML\s*\(([^)]{0,300})\)", re.I)
_VAR_RE = r"(?:var\s+|let\s+|const\s+)?{name}\s*=\s*['\"]?(\d+)"
_NEXT_RE = re.compile(r"^(?:下一页|下页|下一頁|后页|后一页|next|next\s*page|>|›|»|>>)$", re.I)
_LAST_RE = re.compile(r"^(?:尾页|末页|最后一页|last|>>\|)$", re.I)
_PAGER_RE = re.compile(r"page|pag|fenye|fy\b|pn", re.I)
_INDEX_RE = re.compile(r"(?<=/)(?:index|default)\.(?:s?html?|aspx?|jsp|php)$", re.I)
MAX_PAGES = 1000


def _same_page(a: str, b: str) -> bool:
    return _INDEX_RE.sub("", a) == _INDEX_RE.sub("", b)


def _script_args(args: str, script: str) -> tuple[list[int], list[str]]:
    numbers: list[int] = []
    strings: list[str] = []
    for raw in args.split(","):
        arg = raw.strip()
        if not arg:
            continue
        if arg[0] in "'\"":
            strings.append(arg.strip("'\" "))
        elif arg.isdigit():
            numbers.append(int(arg))
        elif re.fullmatch(r"[A-Za-z_$][\w$]*", arg):
            m = re.search(_VAR_RE.format(name=re.escape(arg)), script)
            if m:
                numbers.append(int(m.group(1)))
    return numbers, strings


def _trs_pages(html: str, base: str) -> list[str]:
    """TRS WCM: createPageHTML(total, current, "index", "html") -> index.html, index_1.html, …"""
    m = _CREATE_PAGE_RE.search(html)
    if not m:
        return []
    numbers, strings = _script_args(m.group(1), html[max(0, m.start() - 3000) : m.start()])
    if len(numbers) < 2:
        return []
    total, current = numbers[0], numbers[1]
    name, ext = (strings[-2], strings[-1]) if len(strings) >= 2 else ("index", "html")
    if not re.fullmatch(r"[\w.-]{1,40}", name) or not re.fullmatch(r"[A-Za-z]{2,6}", ext):
        return []
    pages = []
    for number in range(min(total, MAX_PAGES)):
        if number == current:
            continue
        file = f"{name}.{ext}" if number == 0 else f"{name}_{number}.{ext}"
        pages.append(urljoin(base, file))
    return pages


def _page_number(text: str) -> int | None:
    text = text.strip("[]【】 ")
    return int(text) if text.isdigit() and len(text) <= 4 else None


@never_raise(list)
def find_next_pages(html: str, base_url: str) -> list[str]:
    """Further pages of a list page, in order, absolute, without the current one."""
    tree = parse(html)
    base = base_href(tree, base_url)
    current = base_url.split("#")[0]
    found: list[str] = []
    script_text = " ".join(s.text() for s in tree.css("script") if "createPageHTML" in (s.text() or ""))
    found.extend(_trs_pages(script_text, base))

    numbered: dict[str, int] = {}
    next_urls: list[str] = []
    last_urls: list[str] = []
    for a in tree.css("a[href]"):
        text = re.sub(r"\s+", "", node_text(a) or clean_text(a.attributes.get("title")))
        url = absolute_url(a.attributes.get("href"), base)
        if not url or not text:
            continue
        if _NEXT_RE.match(text):
            next_urls.append(url)
        elif _LAST_RE.match(text):
            last_urls.append(url)
        else:
            number = _page_number(text)
            if number is not None and _in_pager(a):
                numbered.setdefault(url, number)
    ordered = next_urls[:1] + sorted(numbered, key=numbered.get) + last_urls[:1]
    found.extend(ordered)

    result: list[str] = []
    for url in found:
        if _same_page(url, current) or any(_same_page(url, r) for r in result):
            continue
        if urlsplit(url).netloc != urlsplit(current).netloc:
            continue
        result.append(url)
    return result


def _in_pager(a: LexborNode) -> bool:
    """A number link is a page link inside a pager, not a calendar day or a footnote."""
    node = a.parent
    for _ in range(3):
        if node is None or node.tag in _STOP_TAGS:
            return False
        if _PAGER_RE.search(class_id(node)):
            return True
        text = node_text(node)
        if len(text) < 300 and re.search(
            r"下一页|上一页|尾页|首页|下页|上页|共\s*\d+\s*页|第\s*\d+\s*页", text
        ):
            return True
        node = node.parent
    return False


# ---- empty columns ------------------------------------------------------------------------------

_EMPTY_RE = re.compile(
    r"本栏目暂无[^\s，。,.!！]{0,12}|暂无(?:相关)?(?:信息|内容|数据|记录|文章|新闻|公告|文件|资料|结果)"
    r"|没有(?:任何|相关)?(?:记录|信息|内容|数据|文章)|无相关(?:信息|记录|内容)|(?:栏目|页面|网站)(?:正在)?建设中|正在建设中"
    r"|信息(?:正在)?更新中|查询结果为空|No\s+(?:records|data)"
)


@never_raise(lambda: None)
def empty_column_text(html: str) -> str | None:
    """The "暂无信息"-style note an empty list page shows, or None."""
    text = visible_text(parse(html))
    m = _EMPTY_RE.search(text)
    if not m:
        return None
    # Return the whole short line it sits in ("本栏目暂无信息！"), else the phrase itself.
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    line = clean_text(text[start : end if end >= 0 else len(text)])
    return line if len(line) <= 40 else clean_text(m.group(0))
