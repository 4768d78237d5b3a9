"""Links of a page and the 栏目 (columns) of a site, found from its home page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.extract.dates import parse_date
from govinspect.extract.html import (
    absolute_url,
    anchor_text,
    base_href,
    clean_text,
    nav_anchor_ids,
    never_raise,
    node_text,
    parse,
    registered_domain,
)
from govinspect.model import ColumnKind


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # absolute, without fragment
    text: str
    in_nav: bool = False


@dataclass(frozen=True, slots=True)
class ColumnLink:
    name: str
    url: str


@never_raise(list)
def extract_links(html: str, base_url: str, *, nav: bool = True) -> list[Link]:
    """Every http(s) link of the page (a and area), in document order. `nav=False` leaves
    `in_nav` False: finding the menus is half the cost, and the crawler does not need them."""
    tree = parse(html)
    base = base_href(tree, base_url)
    in_nav = nav_anchor_ids(tree) if nav else set()
    links = []
    for node in tree.css("a[href], area[href]"):
        url = absolute_url(node.attributes.get("href"), base)
        if url:
            links.append(Link(url=url, text=anchor_text(node), in_nav=node.mem_id in in_nav))
    return links


# ---- column kinds -------------------------------------------------------------------------------


def _kind_rules() -> list[tuple[ColumnKind, re.Pattern]]:
    """(kind, words) in order, from extract/lexicons/column_kinds.yaml."""
    data = yaml.safe_load(
        (Path(__file__).resolve().parent / "lexicons" / "column_kinds.yaml").read_text("utf-8")
    )
    return [
        (kind, re.compile("|".join(re.escape(str(w)) for w in words)))
        for kind, words in data["kinds"].items()
    ]


_KIND_RULES = _kind_rules()


def classify_column(name: str) -> ColumnKind:
    """The kind of a column by its name (it decides which staleness window applies)."""
    name = clean_text(name)
    for kind, pattern in _KIND_RULES:
        if pattern.search(name):
            return kind
    return "other"


# ---- columns from the home page -----------------------------------------------------------------

_EXCLUDED_NAME_RE = re.compile(
    r"首页|主页|网站地图|站点地图|联系我们|english|英文|^en$|无障碍|适老|长者|关怀|登录|登陆|注册|rss|繁體|繁体|简体|"
    r"手机版|移动版|设为|收藏|关于我们|网站声明|免责|隐私|版权|帮助|^搜索$|高级搜索|上一页|下一页|退出|用户中心|"
    r"个人中心|法人中心|读屏|语音|^更多|^more$",
    re.I,
)
_ARTICLE_URL_RE = re.compile(
    r"(?<![a-z0-9])t(?:19|20)\d{6}_\d+|content_\d+|/art/\d{4}/|art_\d+_\d+|/(?:19|20)\d{2}-?\d{2}/\d{2}/"
    r"|(?:show|detail|view|article|content)(?!\w*(?:class|list|sort|type|lanmu|column))\w*\.(?:asp|aspx|jsp|php|do|action)\?",
    re.I,
)
_FILE_URL_RE = re.compile(
    r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|jpe?g|png|gif|bmp|mp[34]|swf|flv|exe|apk|wps)$", re.I
)
_HOME_PATH_RE = re.compile(r"^/?(?:(?:index|default|main|home)\.(?:s?html?|aspx?|jsp|php))?$", re.I)
_INDEX_SUFFIX_RE = re.compile(r"(?<=/)(?:index|default)\.(?:s?html?|aspx?|jsp|php)$", re.I)
_NAME_JUNK_RE = re.compile(r"更多|查看|more|[>»›+\[\]【】|｜■●◆▶►·•※…]", re.I)
_MORE_RE = re.compile(r"^(?:更多|查看更多|更多内容|更多信息|more|)$", re.I)
_HEADING_SELECTOR = "h1, h2, h3, h4, h5, h6"
_TITLE_SELECTOR = '[class*="tit" i], [class*="head" i], [class~="hd" i], [class*="name" i], strong, b'
MAX_COLUMN_NAME = 15


def column_key(url: str) -> str:
    """URL identity of a column: /xwdt/ and /xwdt/index.html are the same list."""
    return _INDEX_SUFFIX_RE.sub("", url)


def _clean_name(text: str) -> str:
    return clean_text(_NAME_JUNK_RE.sub(" ", text)).strip(" :：-_|")


def _is_more(node: LexborNode) -> bool:
    raw = node_text(node)
    text = re.sub(r"[\s>»›+.。…\-_]|&gt;", "", raw)
    if raw and _MORE_RE.match(text):
        return True
    if not raw:
        img = node.css_first("img")
        if img is not None:
            attrs = img.attributes
            src_alt = f"{attrs.get('src') or ''} {attrs.get('alt') or ''}".lower()
            return "more" in src_alt or "更多" in src_alt
    return False


def _first_short_text(nodes) -> str:
    for node in nodes:
        name = _clean_name(node_text(node))
        if 2 <= len(name) <= MAX_COLUMN_NAME:
            return name.split(" ")[0]
    return ""


def _block_name(more: LexborNode) -> str:
    """The heading of the home-page block a "更多" link belongs to."""
    title = _clean_name(more.attributes.get("title") or "")
    if 2 <= len(title) <= MAX_COLUMN_NAME:
        return title
    node = more
    for _ in range(4):
        node = node.parent
        if node is None or node.tag in ("body", "html"):
            return ""
        own = _clean_name(node_text(node))
        if 2 <= len(own) <= MAX_COLUMN_NAME:
            return own.split(" ")[0]
        name = _first_short_text(node.css(_HEADING_SELECTOR)) or _first_short_text(node.css(_TITLE_SELECTOR))
        if name:
            return name
    return ""


_FAR_FUTURE = dt.date(2100, 1, 1)


def _row_has_date(node: LexborNode) -> bool:
    """An entry of a dated list (an article), not a menu item: a date right beside the link."""
    parent = node.parent
    if parent is not None and len(parent.css("a")) == 1:
        beside = node_text(parent).replace(node_text(node), " ", 1)
    else:
        parts = []
        sibling = node.next
        while sibling is not None and len(parts) < 4:
            if sibling.tag == "a" or (sibling.is_element_node and sibling.css_first("a") is not None):
                break
            parts.append(sibling.text(deep=True) or "")
            sibling = sibling.next
        beside = clean_text(" ".join(parts))
    return len(beside) < 80 and parse_date(beside, _FAR_FUTURE) is not None


class _ColumnCollector:
    def __init__(self, base: str, page_url: str):
        self.base = base
        self.page_key = column_key(page_url)
        self.domain = registered_domain(urlsplit(page_url).netloc)
        self.found: dict[str, ColumnLink] = {}

    def add(self, node: LexborNode, name: str) -> None:
        url = absolute_url(node.attributes.get("href"), self.base)
        name = _clean_name(name)
        if not url or not name or len(name) > MAX_COLUMN_NAME or _EXCLUDED_NAME_RE.search(name):
            return
        parts = urlsplit(url)
        if registered_domain(parts.netloc) != self.domain:
            return
        key = column_key(url)
        if key in self.found or key == self.page_key:
            return
        if (_HOME_PATH_RE.match(parts.path) and not parts.query) or _FILE_URL_RE.search(parts.path):
            return
        if _ARTICLE_URL_RE.search(url) or _row_has_date(node):
            return
        self.found[key] = ColumnLink(name=name, url=url)


def _menu_bars(tree: LexborHTMLParser) -> list[list[LexborNode]]:
    """Fallback for pages without a marked-up menu: runs of ≥ 4 short links sharing a container."""
    groups: dict[int, list[LexborNode]] = {}
    order: list[int] = []
    for a in tree.css("a[href]"):
        text = node_text(a)
        if not 2 <= len(text) <= 8:
            continue
        parent = a.parent
        if (
            parent is not None
            and parent.tag in ("li", "td", "span", "dd", "dt", "p")
            and parent.parent is not None
        ):
            parent = parent.parent
            if parent.tag == "tr" and parent.parent is not None:
                parent = parent.parent
        if parent is None:
            continue
        if parent.mem_id not in groups:
            groups[parent.mem_id] = []
            order.append(parent.mem_id)
        groups[parent.mem_id].append(a)
    return [groups[k] for k in order if len(groups[k]) >= 4]


@never_raise(list)
def find_column_links(home_html: str, base_url: str) -> list[ColumnLink]:
    """The site's 栏目: navigation menus first, then the headings and "更多" links of home blocks."""
    tree = parse(home_html)
    collector = _ColumnCollector(base_href(tree, base_url), base_url)
    nav_ids = nav_anchor_ids(tree)
    anchors = tree.css("a[href]")
    for a in anchors:
        if a.mem_id in nav_ids:
            collector.add(a, anchor_text(a))
    from_nav = len(collector.found)
    for a in anchors:
        if a.mem_id in nav_ids:
            continue
        if _is_more(a):
            collector.add(a, _block_name(a))
    for heading in tree.css(_HEADING_SELECTOR):
        for a in heading.css("a[href]"):
            if not _is_more(a):
                collector.add(a, anchor_text(a))
    if from_nav < 2:
        for bar in _menu_bars(tree)[:1]:
            for a in bar:
                collector.add(a, anchor_text(a))
    return list(collector.found.values())


# ---- hubs and the sitemap -----------------------------------------------------

_SITEMAP_NAME_RE = re.compile(r"网站地图|站点地图|网站导航|sitemap", re.I)
_OUTSIDE_MAIN_TAGS = ("header", "footer", "nav")
MIN_HUB_BLOCKS = 2  # a page previewing at least this many sub-columns, each with its 更多


def _in_tags(node: LexborNode, tags: tuple[str, ...]) -> bool:
    current = node.parent
    while current is not None and current.tag not in ("body", "html"):
        if current.tag in tags:
            return True
        current = current.parent
    return False


@never_raise(list)
def find_more_links(html: str, base_url: str) -> list[ColumnLink]:
    """The "更多" links of a page's content blocks (not of its navigation), named by their block."""
    tree = parse(html)
    collector = _ColumnCollector(base_href(tree, base_url), base_url)
    nav_ids = nav_anchor_ids(tree)
    for a in tree.css("a[href]"):
        if a.mem_id not in nav_ids and not _in_tags(a, _OUTSIDE_MAIN_TAGS) and _is_more(a):
            collector.add(a, _block_name(a))
    return list(collector.found.values())


def hub_sub_columns(html: str, base_url: str) -> list[ColumnLink]:
    """The sub-columns a channel page (政务公开, 互动交流 …) previews, or [] when it is not a hub.

    A hub shows several blocks, each a preview of another column with its own "更多" link: the
    real columns are behind those links, and the hub page itself is never judged.
    """
    more = find_more_links(html, base_url)
    return more if len(more) >= MIN_HUB_BLOCKS else []


@never_raise(lambda: None)
def find_sitemap_url(html: str, base_url: str) -> str | None:
    """The site's 网站地图 page linked from `html` (usually the home page), or None."""
    tree = parse(html)
    base = base_href(tree, base_url)
    for a in tree.css("a[href]"):
        label = f"{anchor_text(a)} {a.attributes.get('title') or ''}"
        if _SITEMAP_NAME_RE.search(label):
            url = absolute_url(a.attributes.get("href"), base)
            if url:
                return url
    return None


@never_raise(list)
def sitemap_columns(html: str, base_url: str) -> list[ColumnLink]:
    """Column links listed in the content of a 网站地图 page (its navigation bar left out)."""
    tree = parse(html)
    collector = _ColumnCollector(base_href(tree, base_url), base_url)
    nav_ids = nav_anchor_ids(tree)
    for a in tree.css("a[href]"):
        if a.mem_id not in nav_ids and not _in_tags(a, _OUTSIDE_MAIN_TAGS) and not _is_more(a):
            collector.add(a, anchor_text(a))
    return list(collector.found.values())
