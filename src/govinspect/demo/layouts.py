"""The three markup layouts of the demo farm: "modern", "portal" (TRS-like CMS) and "table" (old ASP).

A layout decides URLs, date formats and markup; the text comes from `content`. Every function
returns `str`; the farm encodes the pages in the site's charset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

from govinspect.demo.content import GUIDE_ELEMENTS, ColumnData, Entry, Place

PER_PAGE = 20


@dataclass
class SiteFrame:
    """What every page of a site shares."""

    place: Place
    host: str
    charset_label: str  # as written in <meta>, e.g. "utf-8", "gbk", "gb2312"
    site_code: str | None
    columns: list[ColumnData]
    footer: str  # inner HTML of the footer
    show_site_code_meta: bool = True
    friend_links: list[tuple[str, str]] = field(default_factory=list)  # (text, href)
    special_links: list[tuple[str, str]] = field(default_factory=list)  # home-page 专题专栏 (text, href)
    # CMS-family layouts: columns left out of the navigation bar (reached through a hub or the
    # 网站地图 only), columns left out of the 网站地图, and hub pages (name, path) in the navigation.
    nav_hidden: frozenset[str] = frozenset()
    sitemap_hidden: frozenset[str] = frozenset()
    hubs: list[tuple[str, str]] = field(default_factory=list)


def pages_of(col: ColumnData) -> list[list[Entry]]:
    entries = col.entries
    return [entries[i : i + PER_PAGE] for i in range(0, len(entries), PER_PAGE)] or [[]]


def ymd(d: dt.date, sep: str = "-") -> str:
    return f"{d.year}{sep}{d.month:02d}{sep}{d.day:02d}"


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


class Layout:
    name = ""
    home_label = "首页"

    def __init__(self, frame: SiteFrame):
        self.f = frame

    # --- URLs -------------------------------------------------------------------------------
    def col_path(self, col: ColumnData) -> str:
        return f"/{col.slug}/"

    def list_path(self, col: ColumnData, n: int) -> str:  # n is 1-based
        raise NotImplementedError

    def list_aliases(self, col: ColumnData) -> list[str]:
        return [self.list_path(col, 1)]

    def item_path(self, col: ColumnData, e: Entry) -> str:
        raise NotImplementedError

    def attachment_path(self, col: ColumnData, e: Entry, i: int, ext: str) -> str:
        if e.date is None:  # service-guide forms
            return f"/uploads/bgxz/{e.id}{i}.{ext}"
        return f"/uploads/{e.date:%Y%m}/{e.id}{i}.{ext}"

    def write_path(self, col: ColumnData) -> str:
        return f"/{col.slug}/write.html"

    def href(self, path: str, base: str) -> str:
        """How a link to `path` is written on the page at `base` (absolute path by default)."""
        return path

    def extra_paths(self) -> dict[str, str]:
        """Other site-local pages: path -> kind ("sitemap", "contact", "search", "write:<slug>")."""
        return {"/wzdt/": "sitemap", "/lxwm/": "contact", "/search/": "search"}

    # --- dates ------------------------------------------------------------------------------
    def list_date(self, d: dt.date) -> str:
        return ymd(d)

    def home_date(self, d: dt.date) -> str:
        return ymd(d)

    # --- markup -----------------------------------------------------------------------------
    def page(self, title: str, content: str, column: ColumnData | None = None, meta: str = "") -> str:
        raise NotImplementedError

    def item_list(self, col: ColumnData, entries: list[Entry], base: str) -> str:
        raise NotImplementedError

    def pagination(self, col: ColumnData, n: int, total: int, count: int, base: str) -> str:
        raise NotImplementedError

    def empty_list(self, col: ColumnData) -> str:
        text = "暂无信息" if col.cid % 2 else "本栏目暂无内容"
        return f'<div class="no-data">{text}</div>'

    def home_block(self, col: ColumnData, entries: list[Entry]) -> str:
        raise NotImplementedError

    def home(self, blocks: list[tuple[ColumnData, list[Entry]]], headline: tuple[str, str] | None) -> str:
        raise NotImplementedError

    # --- shared bodies ----------------------------------------------------------------------
    def crumb(self, col: ColumnData | None, base: str) -> str:
        parts = [f'<a href="{self.href("/", base)}">{self.home_label}</a>']
        if col is not None:
            parts.append(f'<a href="{self.href(self.col_path(col), base)}">{col.name}</a>')
        return '<div class="crumb">当前位置：' + " &gt; ".join(parts) + "</div>"

    def list_content(self, col: ColumnData, n: int) -> str:
        base = self.list_path(col, n)
        chunks = pages_of(col)
        entries = chunks[n - 1]
        if not entries:
            body = self.empty_list(col)
        elif col.kind == "interact":
            body = self.message_list(col, entries, base)
        elif col.kind == "service":
            body = self.guide_list(col, entries, base)
        else:
            body = self.item_list(col, entries, base)
        pager = self.pagination(col, n, len(chunks), len(col.entries), base) if len(chunks) > 1 else ""
        return f'{self.crumb(col, base)}<div class="list-box"><h2 class="list-title">{col.name}</h2>{body}{pager}</div>'

    def message_list(self, col: ColumnData, entries: list[Entry], base: str) -> str:
        rows = "".join(
            f'<tr><td class="title"><a href="{self.href(self.item_path(col, e), base)}" target="_blank">'
            f"{escape(e.title)}</a></td><td>{self.list_date(e.date)}</td><td>{'已回复' if e.replied else '待回复'}</td></tr>"
            for e in entries
            if e.date
        )
        write = self.href(self.write_path(col), base)
        return (
            f'<div class="mail-tools"><a class="btn-write" href="{write}">我要写信</a></div>'
            '<table class="mail-list" width="100%" border="0" cellspacing="0" cellpadding="0">'
            f"<tr><th>留言标题</th><th>留言时间</th><th>办理状态</th></tr>{rows}</table>"
        )

    def guide_list(self, col: ColumnData, entries: list[Entry], base: str) -> str:
        rows = "".join(
            f'<li><a href="{self.href(self.item_path(col, e), base)}" target="_blank">{escape(e.title)}</a>'
            f'<span class="dept">{escape(e.elements.get("办理机构", ""))}</span></li>'
            for e in entries
        )
        return f'<ul class="guide-list">{rows}</ul>'

    def attachments_html(self, col: ColumnData, e: Entry, label: str = "附件") -> str:
        if not e.attachments:
            return ""
        base = self.item_path(col, e)
        links = "".join(
            f'<p><a href="{self.href(self.attachment_path(col, e, i, ext), base)}">{escape(name)}.{ext}</a></p>'
            for i, (name, ext) in enumerate(e.attachments, 1)
        )
        return f'<div class="attachments"><span>{label}：</span>{links}</div>'

    def article_content(self, col: ColumnData, e: Entry) -> str:
        assert e.date is not None
        base = self.item_path(col, e)
        doc_no = f'<p class="doc-no">文号：{e.doc_no}</p>' if e.doc_no else ""
        paras = "".join(f"<p>{escape(p)}</p>" for p in e.paragraphs)
        info = f"发布时间：{ymd(e.page_date or e.date)} {e.time}&nbsp;&nbsp;来源：{escape(e.source)}"
        return (
            f'{self.crumb(col, base)}<div class="article"><h1 class="article-title">{escape(e.title)}</h1>'
            f'<div class="article-info">{info}</div>{doc_no}<div class="article-content">{paras}</div>'
            f"{self.attachments_html(col, e)}</div>"
        )

    def message_content(self, col: ColumnData, e: Entry) -> str:
        assert e.date is not None
        rows = [
            ("留言标题", escape(e.title)),
            ("留言人", e.asker),
            ("留言时间", f"{ymd(e.date)} {e.time}"),
            ("留言内容", escape(e.question)),
        ]
        if e.replied is None:  # an unanswered message shows its state, not a reply
            rows.append(("办理状态", "待回复"))
        else:
            rows += [
                ("回复单位", escape(e.replier)),
                ("回复内容", escape(e.reply)),
                ("回复时间", ymd(e.replied)),
            ]
        body = "".join(f'<tr><th width="120">{k}</th><td>{v}</td></tr>' for k, v in rows)
        return (
            f'{self.crumb(col, self.item_path(col, e))}<div class="mail-detail">'
            f'<h1>{escape(e.title)}</h1><table width="100%" border="1" cellspacing="0" cellpadding="6">{body}</table></div>'
        )

    def guide_content(self, col: ColumnData, e: Entry) -> str:
        rows = "".join(
            f'<tr><th width="120">{k}</th><td>{escape(e.elements[k])}</td></tr>'
            for k in GUIDE_ELEMENTS
            if k in e.elements  # an incomplete guide leaves rows out
        )
        return (
            f'{self.crumb(col, self.item_path(col, e))}<div class="guide"><h1>{escape(e.title)}办事指南</h1>'
            f'<table class="guide-table" width="100%" border="1" cellspacing="0" cellpadding="6">{rows}</table>'
            f"{self.attachments_html(col, e, '表格下载')}</div>"
        )

    def static_content(self, col: ColumnData) -> str:
        paras = "".join(f"<p>{escape(p)}</p>" for p in col.static_paragraphs)
        return (
            f'{self.crumb(col, self.col_path(col))}<div class="static-page"><h2>{col.name}</h2>{paras}</div>'
        )

    def sitemap_content(self) -> str:
        items = "".join(
            f'<li><a href="{self.href(self.col_path(c), "/wzdt/")}">{c.name}</a></li>'
            for c in self.f.columns
            if c.name not in self.f.sitemap_hidden
        )
        return f'{self.crumb(None, "/wzdt/")}<div class="sitemap"><h2>网站地图</h2><ul>{items}</ul></div>'

    def contact_content(self) -> str:
        p = self.f.place
        return (
            f'{self.crumb(None, "/lxwm/")}<div class="contact"><h2>联系我们</h2>'
            f"<p>主办单位：{p.name}办公室</p><p>联系电话：{p.phone}</p>"
            f"<p>电子邮箱：zfb@{self.f.host.removeprefix('www.')}</p></div>"
        )

    def search_content(self) -> str:
        return f'{self.crumb(None, "/search/")}<div class="search-result"><p>请输入检索关键词。</p></div>'

    def write_content(self, col: ColumnData) -> str:
        return (
            f'{self.crumb(col, self.write_path(col))}<div class="mail-write"><h2>我要写信</h2>'
            '<form method="post"><p>姓名：<input name="name"></p><p>联系电话：<input name="phone"></p>'
            '<p>标题：<input name="title"></p><p>内容：<textarea name="content"></textarea></p>'
            '<p><button type="submit">提交</button></p></form></div>'
        )

    def unreadable_list(self, col: ColumnData, data_path: str) -> str:
        """A list filled by a script from JSON after load: nothing a reader of the HTML can see."""
        return (
            f'{self.crumb(col, self.col_path(col))}<div class="list-box"><h2 class="list-title">{col.name}</h2>'
            '<ul id="infolist"></ul></div>'
            f'<script>$.getJSON("{data_path}", function(d){{var h="";$.each(d.rows,function(i,r){{'
            'h+="<li><a href=\\""+r.url+"\\">"+r.title+"</a><span>"+r.date+"</span></li>";});'
            '$("#infolist").html(h);});</script>'
        )

    def hub_content(self, name: str, path: str, subs: list[tuple[ColumnData, list[Entry]]]) -> str:
        """A 开普云-style channel page: one preview block per sub-column, each with its 更多."""
        blocks = "".join(
            f'<div class="lmbk"><div class="lmbt"><span class="lmmc">{c.name}</span>'
            f'<a class="more" href="{self.href(self.col_path(c), path)}" target="_blank">更多 &gt;</a></div>'
            "<ul>"
            + "".join(
                f'<li><a href="{self.href(self.item_path(c, e), path)}" target="_blank">{escape(e.title)}</a>'
                f"<span>{ymd(e.date)}</span></li>"
                for e in entries
                if e.date
            )
            + "</ul></div>"
            for c, entries in subs
        )
        return f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; {name}</div><div class="lmnr">{blocks}</div>'

    def nav_targets(self) -> list[tuple[str, str]]:
        """(name, path) of the navigation bar: the columns not hidden from it, then the hubs."""
        shown = [(c.name, self.col_path(c)) for c in self.f.columns if c.name not in self.f.nav_hidden]
        return shown + list(self.f.hubs)

    def nav_columns(self, base: str) -> list[tuple[str, str]]:
        return [(name, self.href(path, base)) for name, path in self.nav_targets()]

    def head_meta(self, column: ColumnData | None) -> str:
        f = self.f
        metas = [
            f'<meta name="SiteName" content="{f.place.name}">',
            f'<meta name="SiteDomain" content="{f.host}">',
        ]
        if f.site_code and f.show_site_code_meta:
            metas.append(f'<meta name="SiteIDCode" content="{f.site_code}">')
        if column is not None:
            metas.append(f'<meta name="ColumnName" content="{column.name}">')
        return "\n".join(metas)


class ModernLayout(Layout):
    """HTML5 with div/ul/li and <nav>."""

    name = "modern"

    def list_path(self, col: ColumnData, n: int) -> str:
        return f"/{col.slug}/" if n == 1 else f"/{col.slug}/list_{n}.html"

    def item_path(self, col: ColumnData, e: Entry) -> str:
        if e.date is None:
            return f"/{col.slug}/content_{e.id}.html"
        return f"/{col.slug}/{e.date:%Y-%m}/{e.date:%d}/content_{e.id}.html"

    def home_date(self, d: dt.date) -> str:
        return ymd(d, "/")

    def page(self, title: str, content: str, column: ColumnData | None = None, meta: str = "") -> str:
        f = self.f
        nav = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in self.nav_columns(""))
        return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{f.charset_label}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
{self.head_meta(column)}{meta}
<link rel="stylesheet" href="/static/css/main.css">
</head>
<body>
<div class="topbar"><div class="container"><span>欢迎访问{f.place.name}门户网站</span><a href="/wzdt/">网站地图</a><a href="/lxwm/">联系我们</a></div></div>
<header class="header"><div class="container"><a class="logo" href="/"><h1>{f.place.name}</h1></a>
<form class="search" action="/search/" method="get"><input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button></form></div></header>
<nav class="main-nav"><ul><li class="home"><a href="/">首页</a></li>{nav}</ul></nav>
<main class="container">
{content}
</main>
<footer class="footer"><div class="container">
{f.footer}
</div></footer>
</body>
</html>
"""

    def item_list(self, col: ColumnData, entries: list[Entry], base: str) -> str:
        lis = "".join(
            f'<li><a href="{self.item_path(col, e)}" target="_blank" title="{escape(e.title)}">{escape(e.title)}</a>'
            f'<span class="date">{self.list_date(e.date)}</span></li>'
            for e in entries
            if e.date
        )
        return f'<ul class="news-list">\n{lis}\n</ul>'

    def pagination(self, col: ColumnData, n: int, total: int, count: int, base: str) -> str:
        parts = [f'<span class="total">共{count}条 {total}页</span>']
        if n > 1:
            parts.append(f'<a href="{self.list_path(col, 1)}">首页</a>')
            parts.append(f'<a class="prev" href="{self.list_path(col, n - 1)}">上一页</a>')
        for i in range(1, total + 1):
            parts.append(
                f'<span class="current">{i}</span>'
                if i == n
                else f'<a href="{self.list_path(col, i)}">{i}</a>'
            )
        if n < total:
            parts.append(f'<a class="next" href="{self.list_path(col, n + 1)}">下一页</a>')
            parts.append(f'<a href="{self.list_path(col, total)}">尾页</a>')
        return '<div class="pagination">' + "".join(parts) + "</div>"

    def home_block(self, col: ColumnData, entries: list[Entry]) -> str:
        lis = "".join(
            f'<li><a href="{self.item_path(col, e)}" target="_blank" title="{escape(e.title)}">{escape(e.title)}</a>'
            f'<span class="date">{self.home_date(e.date)}</span></li>'
            for e in entries
            if e.date
        )
        return (
            f'<section class="block"><div class="block-hd"><h2>{col.name}</h2>'
            f'<a class="more" href="{self.col_path(col)}">更多</a></div><ul class="news-list">{lis}</ul></section>'
        )

    def home(self, blocks: list[tuple[ColumnData, list[Entry]]], headline: tuple[str, str] | None) -> str:
        f = self.f
        head = (
            f'<section class="headline"><h2><a href="{headline[1]}">{escape(headline[0])}</a></h2></section>'
            if headline
            else ""
        )
        quick = "".join(
            f'<a href="{self.col_path(c)}">{c.name}</a>'
            for c in f.columns
            if c.kind in ("service", "interact")
        )
        special = "".join(f'<li><a href="{h}">{escape(t)}</a></li>' for t, h in f.special_links)
        special_html = (
            f'<section class="special"><h3>专题专栏</h3><ul>{special}</ul></section>' if special else ""
        )
        friends = "".join(f'<a href="{h}" target="_blank">{escape(t)}</a>' for t, h in f.friend_links)
        return (
            f'{head}<div class="home-blocks">{"".join(self.home_block(c, es) for c, es in blocks)}</div>'
            f'<section class="quick-links"><h3>政民互动与办事服务</h3>{quick}</section>{special_html}'
            f'<section class="friend-links"><h3>友情链接</h3>{friends}</section>'
        )


class PortalLayout(Layout):
    """TRS-like CMS: relative links, index.html / index_1.html pagination, t20261118_123456.html items."""

    name = "portal"

    def list_path(self, col: ColumnData, n: int) -> str:
        return f"/{col.slug}/index.html" if n == 1 else f"/{col.slug}/index_{n - 1}.html"

    def list_aliases(self, col: ColumnData) -> list[str]:
        return [self.col_path(col), self.list_path(col, 1)]

    def item_path(self, col: ColumnData, e: Entry) -> str:
        if e.date is None:
            return f"/{col.slug}/bsznxq/t_{e.id}.html"
        return f"/{col.slug}/{e.date:%Y%m}/t{e.date:%Y%m%d}_{e.id}.html"

    def attachment_path(self, col: ColumnData, e: Entry, i: int, ext: str) -> str:
        folder = self.item_path(col, e).rsplit("/", 1)[0]
        stamp = f"{e.date:%Y%m%d}" if e.date else "00"
        return f"{folder}/P0{stamp}{e.id}{i:02d}.{ext}"

    def href(self, path: str, base: str) -> str:
        """TRS writes links relative to the page: ./202611/t..., ../, ./xwdt/."""
        base_dir = base.rsplit("/", 1)[0] + "/"
        if path.startswith(base_dir):
            return "./" + path[len(base_dir) :]
        parent = base_dir.rstrip("/").rsplit("/", 1)[0] + "/"
        if base_dir != "/" and path.startswith(parent):
            return "../" + path[len(parent) :]
        return path

    def home_date(self, d: dt.date) -> str:
        return cn_date(d)

    def page(self, title: str, content: str, column: ColumnData | None = None, meta: str = "") -> str:
        f = self.f
        nav = "".join(f'<li><a href="{path}">{name}</a></li>' for name, path in self.nav_targets())
        return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={f.charset_label}" />
<title>{escape(title)}</title>
{self.head_meta(column)}{meta}
<link href="/images/style.css" rel="stylesheet" type="text/css" />
</head>
<body>
<div class="top"><div class="w1000"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{f.place.name}" /></a></div>
<div class="search"><form action="/search/" method="get" target="_blank"><input type="text" name="searchword" class="input" /><input type="submit" value="搜索" /></form></div></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li>{nav}<li><a href="/wzdt/">网站地图</a></li></ul></div>
<div class="w1000 main">
{content}
</div>
<div class="footer"><div class="w1000"><p><a href="/lxwm/">联系我们</a> | <a href="/wzdt/">网站地图</a></p>
{f.footer}
</div></div>
</body>
</html>
"""

    def item_list(self, col: ColumnData, entries: list[Entry], base: str) -> str:
        lis = "".join(
            f'<li><a href="{self.href(self.item_path(col, e), base)}" target="_blank" title="{escape(e.title)}">'
            f"{escape(e.title)}</a><span>{self.list_date(e.date)}</span></li>\n"
            for e in entries
            if e.date
        )
        return f'<div class="list"><ul>\n{lis}</ul></div>'

    def empty_list(self, col: ColumnData) -> str:
        text = "暂无信息" if col.cid % 2 else "本栏目暂无内容"
        return f'<div class="list"><ul><li class="nodata">{text}</li></ul></div>'

    def pagination(self, col: ColumnData, n: int, total: int, count: int, base: str) -> str:
        def link(i: int) -> str:
            return self.list_path(col, i).rsplit("/", 1)[1]

        parts = [f'<a href="{link(1)}">首页</a>']
        if n > 1:
            parts.append(f'<a href="{link(n - 1)}">上一页</a>')
        if n < total:
            parts.append(f'<a href="{link(n + 1)}">下一页</a>')
        parts.append(f'<a href="{link(total)}">尾页</a>')
        return f'<div class="page">{"&nbsp;".join(parts)}&nbsp;当前第{n}页&nbsp;共{total}页</div>'

    def home_block(self, col: ColumnData, entries: list[Entry]) -> str:
        lis = "".join(
            f'<li><a href="{self.href(self.item_path(col, e), "/")}" target="_blank" title="{escape(e.title)}">'
            f'{escape(e.title)}</a><span class="time">{self.home_date(e.date)}</span></li>'
            for e in entries
            if e.date
        )
        return (
            f'<div class="tab_box"><div class="tab_hd"><h3>{col.name}</h3>'
            f'<a href="{self.href(self.col_path(col), "/")}" class="more" target="_blank">更多&gt;&gt;</a></div>'
            f'<ul class="tab_list">{lis}</ul></div>'
        )

    def home(self, blocks: list[tuple[ColumnData, list[Entry]]], headline: tuple[str, str] | None) -> str:
        f = self.f
        head = (
            f'<div class="toutiao"><a href="{headline[1]}" target="_blank">{escape(headline[0])}</a></div>'
            if headline
            else ""
        )
        quick = "".join(
            f'<li><a href="{self.href(self.col_path(c), "/")}">{c.name}</a></li>'
            for c in f.columns
            if c.kind in ("service", "interact")
        )
        friends = "".join(f'<option value="{h}">{escape(t)}</option>' for t, h in f.friend_links)
        friend_links = "".join(f'<a href="{h}" target="_blank">{escape(t)}</a>' for t, h in f.friend_links)
        return (
            f'{head}<div class="index_news">{"".join(self.home_block(c, es) for c, es in blocks)}</div>'
            f'<div class="hdjl"><ul>{quick}</ul></div>'
            f'<div class="yqlj"><select onchange="window.open(this.value)"><option>--友情链接--</option>{friends}</select>'
            f"{friend_links}</div>"
        )


class TableLayout(Layout):
    """Old table-based ASP site (动易-like): GBK, font tags, year-less [11-18] dates on lists."""

    name = "table"
    home_label = "网站首页"

    def col_path(self, col: ColumnData) -> str:
        if col.kind == "other":
            return f"/about/{col.slug}.htm"
        return f"/Article/ShowClass.asp?ClassID={col.cid}"

    def item_path(self, col: ColumnData, e: Entry) -> str:
        return f"/Article/ShowArticle.asp?ArticleID={e.id}"

    def attachment_path(self, col: ColumnData, e: Entry, i: int, ext: str) -> str:
        if e.date is None:
            return f"/UploadFiles/bgxz/{e.id}{i}.{ext}"
        return f"/UploadFiles/{e.date:%Y%m}/{e.date:%Y%m%d}{e.id}{i}.{ext}"

    def extra_paths(self) -> dict[str, str]:
        return {
            "/about/sitemap.htm": "sitemap",
            "/about/contact.htm": "contact",
            "/Article/Search.asp": "search",
        }

    def write_path(self, col: ColumnData) -> str:
        return f"/Guestbook/Write.asp?ClassID={col.cid}"

    def list_date(self, d: dt.date) -> str:
        return f"[{d.month:02d}-{d.day:02d}]"

    def home_date(self, d: dt.date) -> str:
        return f"({ymd(d)})"

    def page(self, title: str, content: str, column: ColumnData | None = None, meta: str = "") -> str:
        f = self.f
        cells = [f'<td align="center" class="menu"><a href="/">{self.home_label}</a></td>']
        cells += [
            f'<td align="center" class="menu"><a href="{self.col_path(c)}">{c.name}</a></td>'
            for c in f.columns
        ]
        return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={f.charset_label}">
<title>{escape(title)}</title>{meta}
<link href="/Skin/style.css" rel="stylesheet" type="text/css">
</head>
<body topmargin="0" leftmargin="0" bgcolor="#FFFFFF">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="90" bgcolor="#B40000"><font size="6" color="#FFFFFF"><b>{f.place.name}</b></font></td>
<td align="right" bgcolor="#B40000"><a href="/about/sitemap.htm"><font color="#FFFFFF">网站地图</font></a> <a href="/about/contact.htm"><font color="#FFFFFF">联系我们</font></a></td></tr>
</table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#F2F2F2"><tr>
{"".join(cells)}
</tr></table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr><td valign="top">
{content}
</td></tr></table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom"><tr><td align="center">
{f.footer}
</td></tr></table>
</body>
</html>
"""

    def crumb(self, col: ColumnData | None, base: str) -> str:
        inner = f'<a href="/">{self.home_label}</a>'
        if col is not None:
            inner += f' &gt;&gt; <a href="{self.col_path(col)}">{col.name}</a>'
        return f'<table width="100%"><tr><td height="28">您现在的位置：{inner}</td></tr></table>'

    def item_list(self, col: ColumnData, entries: list[Entry], base: str) -> str:
        rows = "".join(
            f'<tr><td width="15" height="26"><img src="/Skin/dot.gif" width="5" height="5"></td>'
            f'<td><a href="{self.item_path(col, e)}" target="_blank" title="{escape(e.title)}">{escape(e.title)}</a></td>'
            f'<td width="80" align="right"><font color="#999999">{self.list_date(e.date)}</font></td></tr>\n'
            for e in entries
            if e.date
        )
        return f'<table width="100%" border="0" cellspacing="0" cellpadding="0" class="list">\n{rows}</table>'

    def empty_list(self, col: ColumnData) -> str:
        text = "暂无信息" if col.cid % 2 else "本栏目暂无内容"
        return f'<table width="100%"><tr><td align="center" height="60">{text}</td></tr></table>'

    def list_path(self, col: ColumnData, n: int) -> str:
        return self.col_path(col) if n == 1 else f"{self.col_path(col)}&page={n}"

    def pagination(self, col: ColumnData, n: int, total: int, count: int, base: str) -> str:
        return self._pagination(col, n, total, count).replace("&page=", "&amp;page=")

    def _pagination(self, col: ColumnData, n: int, total: int, count: int) -> str:
        parts = [f"共 <b>{count}</b> 篇文章&nbsp;&nbsp;"]
        parts.append(f'<a href="{self.list_path(col, 1)}">首页</a> ' if n > 1 else "首页 ")
        parts.append(f'<a href="{self.list_path(col, n - 1)}">上一页</a> ' if n > 1 else "上一页 ")
        parts.append(f'<a href="{self.list_path(col, n + 1)}">下一页</a> ' if n < total else "下一页 ")
        parts.append(f'<a href="{self.list_path(col, total)}">尾页</a>' if n < total else "尾页")
        parts.append(f'&nbsp;页次：<strong><font color="red">{n}</font>/{total}</strong>页')
        return f'<div align="center" class="showpage">{"".join(parts)}</div>'

    def home_block(self, col: ColumnData, entries: list[Entry]) -> str:
        rows = "".join(
            f'<tr><td height="24">·<a href="{self.item_path(col, e)}" target="_blank" title="{escape(e.title)}">'
            f'{escape(e.title)}</a></td><td width="95" align="right"><font color="#666666">{self.home_date(e.date)}</font></td></tr>'
            for e in entries
            if e.date
        )
        return (
            '<table width="100%" border="0" cellspacing="0" cellpadding="0" class="block">'
            f'<tr><td height="30" bgcolor="#B40000"><font color="#FFFFFF"><b>{col.name}</b></font></td>'
            f'<td align="right" bgcolor="#B40000"><a href="{self.col_path(col)}"><font color="#FFFFFF">更多&gt;&gt;</font></a></td></tr>'
            f'<tr><td colspan="2"><table width="100%" border="0" cellspacing="0" cellpadding="0">{rows}</table></td></tr></table>'
        )

    def home(self, blocks: list[tuple[ColumnData, list[Entry]]], headline: tuple[str, str] | None) -> str:
        f = self.f
        cells = "".join(f'<td width="50%" valign="top">{self.home_block(c, es)}</td>' for c, es in blocks)
        rows = "".join(
            "<tr>"
            + "".join(
                f'<td width="50%" valign="top">{self.home_block(c, es)}</td>' for c, es in blocks[i : i + 2]
            )
            + "</tr>"
            for i in range(0, len(blocks), 2)
        )
        del cells
        quick = " | ".join(
            f'<a href="{self.col_path(c)}">{c.name}</a>'
            for c in f.columns
            if c.kind in ("service", "interact")
        )
        friends = " ".join(f'<a href="{h}" target="_blank">{escape(t)}</a>' for t, h in f.friend_links)
        head = (
            f'<tr><td colspan="2" align="center" height="40"><a href="{headline[1]}"><font size="4" color="#B40000"><b>{escape(headline[0])}</b></font></a></td></tr>'
            if headline
            else ""
        )
        return (
            f'<table width="100%" border="0" cellspacing="4" cellpadding="0">{head}{rows}</table>'
            f'<table width="100%"><tr><td height="30">{quick}</td></tr><tr><td>友情链接：{friends}</td></tr></table>'
        )

    def sitemap_content(self) -> str:
        items = "".join(
            f'<tr><td><a href="{self.col_path(c)}">{c.name}</a></td></tr>' for c in self.f.columns
        )
        return f'{self.crumb(None, "")}<table width="100%"><tr><td><b>网站地图</b></td></tr>{items}</table>'


LAYOUTS: dict[str, type[Layout]] = {"modern": ModernLayout, "portal": PortalLayout, "table": TableLayout}
