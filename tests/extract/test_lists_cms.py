"""Lists wherever the CMS puts them, and home-page items that are news."""

import datetime as dt
import gzip
from pathlib import Path

from govinspect.extract.lists import (
    expand_data_islands,
    extract_home_items,
    extract_list_items,
    find_next_pages,
    island_records,
    newest_item,
)
from govinspect.fetch import decode_html

REF = dt.date(2026, 11, 22)
BASE = "http://www.xx.gov.cn/col/col123/index.html"
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "realpages" / "gne_gov"

# 大汉 JCMS column page: the records sit in a non-executed XML island a script renders.
JCMS_LIST = """<html><body><div class="main"><div id="4422">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=123"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2026/11/20/art_123_9001.html" title="市政府召开第十次常务会议">市政府召开第十次常务会议</a><span>2026-11-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2026/11/12/art_123_9000.html" title="全市秋冬季森林防火工作部署会召开">全市秋冬季森林防火工作部署会召开</a><span>2026-11-12</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2026/10/30/art_123_8999.html" title="市领导督导检查安全生产工作">市领导督导检查安全生产工作</a><span>2026-10-30</span></li>]]></record>
</recordset></datastore></script>
<script language="javascript" src="/module/web/jpage/unitbuild.js"></script></div></div>
<div class="right"><ul><li><a href="/col/col9/index.html">政策文件解读专栏入口</a></li></ul></div>
</body></html>"""


def test_records_of_a_data_island_are_the_list():
    assert len(island_records(JCMS_LIST)) == 3
    items = extract_list_items(JCMS_LIST, BASE, REF)
    assert [i.date for i in items] == [dt.date(2026, 11, 20), dt.date(2026, 11, 12), dt.date(2026, 10, 30)]
    assert items[0].title == "市政府召开第十次常务会议"
    assert items[0].url == "http://www.xx.gov.cn/art/2026/11/20/art_123_9001.html"
    assert items[0].date_source == "list"
    # Markup without islands is left as it is.
    assert expand_data_islands("<ul><li>x</li></ul>") == "<ul><li>x</li></ul>"


def test_trs_script_paging():
    old = '<script>var currentPage = 0; var countPage = 4; createPageHTML(countPage, currentPage, "index", "html");</script>'
    assert find_next_pages(old, "http://www.xx.gov.cn/xwdt/index.html") == [
        "http://www.xx.gov.cn/xwdt/index_1.html",
        "http://www.xx.gov.cn/xwdt/index_2.html",
        "http://www.xx.gov.cn/xwdt/index_3.html",
    ]
    # The newer form names the pager element first and ends with the record count.
    new = "<div id='page-div'></div><script>createPageHTML('page-div', 3, 1, 'index', 'shtml', 45);</script>"
    assert find_next_pages(new, "http://www.xx.gov.cn/tzgg/index_1.shtml") == [
        "http://www.xx.gov.cn/tzgg/index.shtml",
        "http://www.xx.gov.cn/tzgg/index_2.shtml",
    ]


def _rows(template: str, n: int = 4) -> str:
    return "".join(template.format(i=i, d=20 - i) for i in range(n))


def test_table_rows_with_the_date_in_its_own_cell():
    # Old ASP table list: title cell, then a date cell in brackets.
    html = (
        "<table class='list'>"
        + _rows(
            "<tr><td>·</td><td><a href='/ShowArticle.asp?ArticleID={i}'>关于做好冬季供暖工作的通知{i}</a></td>"
            "<td align='right'><font color='#999999'>[11-{d}]</font></td></tr>"
        )
        + "</table>"
    )
    items = extract_list_items(html, BASE, REF)
    assert [i.date for i in items] == [dt.date(2026, 11, 20 - i) for i in range(4)]


def test_definition_list_rows():
    one_dl = (
        "<dl class='news'>"
        + _rows("<dt><a href='/a/{i}.html'>全县脱贫攻坚工作推进会召开{i}</a></dt><dd>2026-11-{d}</dd>")
        + "</dl>"
    )
    items = extract_list_items(one_dl, BASE, REF)
    assert [i.date for i in items] == [dt.date(2026, 11, 20 - i) for i in range(4)]
    many_dl = (
        "<div class='news'>"
        + _rows("<dl><dt><a href='/b/{i}.html'>乡村振兴项目建设现场会{i}</a></dt><dd>2026-11-{d}</dd></dl>")
        + "</div>"
    )
    assert len([i for i in extract_list_items(many_dl, BASE, REF) if i.date]) == 4


def test_date_before_the_title_and_in_brackets():
    before = (
        "<ul>"
        + _rows(
            "<li><span class='date'>2026-11-{d}</span><a href='/c/{i}.html'>某某镇开展环境整治行动{i}</a></li>"
        )
        + "</ul>"
    )
    assert [i.date for i in extract_list_items(before, BASE, REF)] == [
        dt.date(2026, 11, 20 - i) for i in range(4)
    ]
    bracket = (
        "<ul>"
        + _rows("<li><a href='/d/{i}.html'>某某局召开党组会议{i}</a>（2026年11月{d}日）</li>")
        + "</ul>"
    )
    assert [i.date for i in extract_list_items(bracket, BASE, REF)] == [
        dt.date(2026, 11, 20 - i) for i in range(4)
    ]


HOME = """<html><body>
<div class="nav"><a href="/col/col1/index.html">政务公开栏目导航入口</a></div>
<div class="banner"><a href="/art/2026/11/21/art_1_1.html"><img alt="全市重点项目建设观摩会召开"></a></div>
<div class="news"><h3>政务要闻</h3><ul>
<li><a href="/art/2026/11/18/art_2_1.html">市委常委会召开会议研究部署冬季工作</a><span>2026-11-18</span></li>
<li><a href="/art/2026/11/10/art_2_2.html">全市招商引资推进会召开</a><span>2026-11-10</span></li>
</ul></div>
<div class="box"><h3>部门网站</h3><ul>
<li><a href="http://www.gov.cn/guoqing/2026-11/20/content_1.htm">国务院组成部门机构介绍</a></li>
<li><a href="http://www.zj.gov.cn/art/2026/11/21/art_1.html">浙江省人民政府门户网站</a></li>
</ul></div>
<div class="yqlj"><a href="http://www.other.gov.cn/2026/11/22/index.html">友情链接其他政府网站</a></div>
<div class="share">分享到：<a href="http://share.example.com/2026/11/22/x">分享到微博微信朋友圈</a></div>
<div class="footer"><a href="/art/2026/11/22/art_9_1.html">网站地图和联系我们入口</a></div>
</body></html>"""


def test_home_items_are_news_not_links_and_banners():
    items = extract_home_items(HOME, "http://www.xx.gov.cn/", REF)
    titles = [i.title for i in items]
    assert titles == ["市委常委会召开会议研究部署冬季工作", "全市招商引资推进会召开"]
    assert newest_item(items).title == "市委常委会召开会议研究部署冬季工作"


def test_newest_item_prefers_a_printed_date():
    html = """<ul class='news'>
    <li><a href='/xwdt/202611/t20261121_1.html'>图片新闻：全县冬季征兵工作启动</a></li>
    <li><a href='/xwdt/202611/t20261105_2.html'>县政府召开第十五次常务会议</a><span>2026-11-05</span></li>
    </ul>"""
    items = extract_home_items(html, "http://www.xx.gov.cn/", REF)
    assert {i.date_source for i in items} == {"url", "list"}
    assert newest_item(items).date == dt.date(2026, 11, 5)
    assert newest_item([i for i in items if i.date_source == "url"]).date == dt.date(2026, 11, 21)


def test_real_government_page_friend_links_are_not_news():
    # shanxi: the article page lists 国务院部门 links whose URLs carry dates (gov.cn/guoqing/2018-05/03/…).
    html = decode_html(gzip.decompress((REAL / "tests__shanxi__1.html.gz").read_bytes()))[0]
    items = extract_home_items(html, "http://www.shanxi.gov.cn/yw/sxyw/201909/t20190918_1.shtml", REF)
    assert not [i for i in items if "gov.cn/guoqing" in i.url]


def test_undated_list_of_short_item_names_is_read():
    # A 办事指南 list: short 事项名称 without dates, each linking to its item page (TRS content_ URLs).
    rows = "".join(
        f'<li><a href="/bsfw/bszn/content_{700 + i}.html">{name}</a><span>县{dept}</span></li>'
        for i, (name, dept) in enumerate(
            [("食品经营许可", "市场监管局"), ("居民身份证申领", "公安局"), ("出生医学证明签发", "卫健委")]
        )
    )
    html = (
        f'<html><body><div class="main"><h2>办事指南</h2><ul class="zn-list">{rows}</ul></div></body></html>'
    )
    items = extract_list_items(html, "http://www.a.gov.cn/bsfw/bszn/", dt.date(2026, 12, 1))
    assert [i.title for i in items] == ["食品经营许可", "居民身份证申领", "出生医学证明签发"]


def test_undated_short_links_in_navigation_or_to_sections_are_not_items():
    nav = "".join(
        f'<li><a href="/art/{i}/">{n}</a></li>' for i, n in enumerate(["政务公开", "政务服务", "互动交流"])
    )
    sections = "".join(
        f'<li><a href="/{p}/">{n}</a></li>'
        for p, n in [("zwgk", "政府信息公开"), ("bsfw", "办事服务大厅"), ("hdjl", "政民互动交流")]
    )
    html = f"<html><body><nav><ul>{nav}</ul></nav><div class='main'><ul>{sections}</ul></div></body></html>"
    assert extract_list_items(html, "http://www.a.gov.cn/zwgk/", dt.date(2026, 12, 1)) == []
