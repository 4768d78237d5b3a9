"""Layouts of the CMS families the first farm lacked: 大汉 JCMS and TRS with script paging.

- "jcms" (大汉 JCMS): /col/colNNNN/index.html columns whose list records sit in a non-executed
  data island (`<script type="text/xml"><datastore><recordset><record><![CDATA[<li>…</li>]]>`);
  article pages carry a meta PubDate that is the page's regeneration time, not its publication;
  service guides use numbered headings ("一、事项名称").
- "trs" (TRS WCM): relative links, list pages paged only by `createPageHTML(n, i, "index", "html")`,
  a channel (hub) page previewing its sub-columns with 更多 links (开普云-style), and a friend-links
  block with fresh dates on the home page.

Everything a page shows is this module's own specification (labels, headings, dates); nothing is
taken from the extractor's constants.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape

from govinspect.demo.content import ColumnData, Entry
from govinspect.demo.layouts import ModernLayout, PortalLayout, ymd

# The 10 elements of a 办事指南 as these sites head them, in their order (the farm's own list).
NUMBERED_GUIDE_HEADINGS = (
    ("一", "事项名称"),
    ("二", "设定依据"),
    ("三", "申请条件"),
    ("四", "办理材料"),
    ("五", "办理地点"),
    ("六", "办理机构"),
    ("七", "收费标准"),
    ("八", "办理时间"),
    ("九", "联系电话"),
    ("十", "办理流程"),
)
# When the JCMS pages were last regenerated (the CMS writes it into meta PubDate and the footer).
REGENERATED_DAYS_AGO = 1


def column_number(col: ColumnData) -> int:
    return 1000 + col.cid


class JcmsLayout(ModernLayout):
    """大汉 JCMS: data-island lists, /art/Y/M/D/art_C_N.html articles, regeneration stamps."""

    name = "jcms"
    as_of: dt.date = dt.date.today()  # set by the farm: the regeneration stamp is relative to it

    def col_path(self, col: ColumnData) -> str:
        return f"/col/col{column_number(col)}/index.html"

    def list_path(self, col: ColumnData, n: int) -> str:
        # The data island carries every record: page n exists only for the pager's script.
        return self.col_path(col) if n == 1 else f"/col/col{column_number(col)}/index.html?uid=1&pageNum={n}"

    def list_aliases(self, col: ColumnData) -> list[str]:
        return [self.col_path(col)]

    def item_path(self, col: ColumnData, e: Entry) -> str:
        if e.date is None:
            return f"/art/bszn/art_{column_number(col)}_{e.id}.html"
        return f"/art/{e.date.year}/{e.date.month}/{e.date.day}/art_{column_number(col)}_{e.id}.html"

    def regenerated(self, e: Entry | None = None) -> str:
        """When the CMS last wrote the page: the bulk regeneration of yesterday night, or the
        article's own publication when it is newer (a page is written when it is published)."""
        stamp = self.as_of - dt.timedelta(days=REGENERATED_DAYS_AGO)
        if e is not None and e.date is not None and e.date > stamp:
            return f"{ymd(e.date)} {e.time or '08:00'}:00"
        return f"{ymd(stamp)} 03:12:45"

    def list_content(self, col: ColumnData, n: int) -> str:
        if col.kind in ("interact", "service") or not col.entries:
            return super().list_content(col, n)
        base = self.list_path(col, n)
        # Every record of the column in one island; the page's script shows 15 at a time.
        return (
            f'{self.crumb(col, base)}<div class="list-box"><h2 class="list-title">{col.name}</h2>'
            f"{self.item_list(col, col.entries, base)}</div>"
        )

    def item_list(self, col: ColumnData, entries: list[Entry], base: str) -> str:
        records = "".join(
            f'<record><![CDATA[\n<li><a href="{self.item_path(col, e)}" target="_blank" '
            f'title="{escape(e.title)}">{escape(e.title)}</a><span class="bt-data-time">{ymd(e.date)}</span></li>]]></record>\n'
            for e in entries
            if e.date
        )
        count = sum(1 for e in entries if e.date)
        return (
            f'<div id="{column_number(col)}5"><script type="text/xml"><datastore>'
            f"<nextgroup><![CDATA[]]></nextgroup><totalrecord>{count}</totalrecord>"
            f"<recordset>\n{records}</recordset></datastore></script></div>"
            f'<script language="javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>'
            f'<script>$(function(){{$("#{column_number(col)}5").jpage({{dataStore: true, perPage: 15}});}});</script>'
        )

    def empty_list(self, col: ColumnData) -> str:
        # An empty JCMS column: the data island is there, with no record.
        return (
            f'<div id="{column_number(col)}5"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
            "<totalrecord>0</totalrecord><recordset></recordset></datastore></script></div>"
        )

    def article_content(self, col: ColumnData, e: Entry) -> str:
        body = super().article_content(col, e)
        stamp = self.regenerated(e)
        # The stamp goes to the page's <meta name="PubDate"> too (see page()).
        return body + f'<div class="scsj" style="color:#999">页面生成时间：{stamp}</div>'

    def page(self, title: str, content: str, column: ColumnData | None = None, meta: str = "") -> str:
        stamp = re.search(r"页面生成时间：([\d\- :]+)<", content)
        if stamp:
            meta += f'\n<meta name="PubDate" content="{stamp.group(1)}">'
        return super().page(title, content, column, meta)

    def guide_content(self, col: ColumnData, e: Entry) -> str:
        parts = "".join(
            f'<p class="bt"><strong>{number}、{label}</strong></p><p>{escape(e.elements[label])}</p>'
            for number, label in NUMBERED_GUIDE_HEADINGS
            if label in e.elements
        )
        return (
            f'{self.crumb(col, self.item_path(col, e))}<div class="guide"><h1>{escape(e.title)}</h1>'
            f'<div class="guide-body">{parts}</div>{self.attachments_html(col, e, "表格下载")}</div>'
        )


class TrsLayout(PortalLayout):
    """TRS WCM: lists paged only by createPageHTML(), hub pages, dated friend links on the home page."""

    name = "trs"
    as_of: dt.date = dt.date.today()

    def pagination(self, col: ColumnData, n: int, total: int, count: int, base: str) -> str:
        # No <a> pager: the script writes it (TRS createPageHTML(countPage, currentPage, name, ext)).
        return (
            '<div class="page"><script language="JavaScript">'
            f"var currentPage = {n - 1};var countPage = {total};"
            f'createPageHTML(countPage, currentPage, "index", "html");</script></div>'
        )

    def home_more_path(self, col: ColumnData) -> str:
        """The home page's 更多 reaches a column by another URL than the navigation does."""
        return f"{self.col_path(col)}index.html?from=sy"

    def list_aliases(self, col: ColumnData) -> list[str]:
        return [*super().list_aliases(col), self.home_more_path(col)]

    def home_block(self, col: ColumnData, entries: list[Entry]) -> str:
        return (
            super()
            .home_block(col, entries)
            .replace(
                f'href="{self.href(self.col_path(col), "/")}" class="more"',
                f'href="{self.home_more_path(col)}" class="more"',
            )
        )

    def friend_links_dated(self) -> str:
        """Links to other government sites, each with the date the link list was refreshed."""
        stamp = ymd(self.as_of - dt.timedelta(days=1))
        rows = "".join(
            f'<li><a href="{h}" target="_blank">{escape(t)}</a><span>{stamp}</span></li>'
            for t, h in self.f.friend_links
        )
        return f'<div class="yqlj-list"><h3>友情链接</h3><ul>{rows}</ul></div>'

    def home(self, blocks, headline) -> str:
        return super().home(blocks, headline) + self.friend_links_dated()
