"""The extractors on small pages of the three layouts the demo farm and real sites use."""

import datetime as dt
from pathlib import Path

from govinspect.extract import (
    classify_column,
    empty_column_text,
    extract_article_date,
    extract_home_items,
    extract_list_items,
    find_column_links,
    find_next_pages,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"
REF = dt.date(2026, 11, 22)
MODERN = "http://www.slx.gov.cn/"
PORTAL = "http://www.sfs.gov.cn/"
TABLE = "http://www.gcz.gov.cn/"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def names(html, base):
    return [(c.name, c.url) for c in find_column_links(html, base)]


# ---- columns ------------------------------------------------------------------------------------


def test_modern_columns_from_nav_and_more_links():
    found = names(load("modern_home.html"), MODERN)
    assert found == [
        ("政务动态", MODERN + "xwdt/"),
        ("通知公告", MODERN + "tzgg/"),
        ("政策文件", MODERN + "zcwj/"),
        ("规范性文件", MODERN + "zcwj/gfxwj/"),
        ("政策解读", MODERN + "zcwj/zcjd/"),
        ("人事信息", MODERN + "rsxx/"),
        ("互动交流", MODERN + "hdjl/"),
        ("便民服务", MODERN + "bmfw/"),  # from the block's "more>>" link and its title
    ]


def test_portal_columns_keep_same_registered_domain_and_drop_utility_links():
    found = dict((u, n) for n, u in names(load("portal_home.html"), PORTAL))
    assert found == {
        PORTAL + "xwdt/": "新闻动态",
        PORTAL + "zwgk/": "政务公开",
        "http://xxgk.sfs.gov.cn/tzgg/": "通知公告",
        PORTAL + "bsfw/": "办事服务",
        PORTAL + "hdjl/": "互动交流",
        PORTAL + "tpxw/": "图片新闻",  # "更多" given as an image
        PORTAL + "bmdt/index.html": "部门动态",
    }


def test_table_columns_from_a_td_menu():
    found = names(load("table_home.html"), TABLE)
    assert found == [
        ("镇务动态", TABLE + "list.asp?id=1"),
        ("通知公告", TABLE + "list.asp?id=3"),
        ("领导信箱", TABLE + "list.asp?id=5"),
        ("办事指南", TABLE + "list.asp?id=7"),
        ("规划计划", TABLE + "list.asp?id=9"),
    ]


def test_menu_without_markup_is_found_from_a_bar_of_short_links():
    html = (
        "<table><tr><td><a href='/'>首页</a> <a href='/a/'>工作动态</a> <a href='/b/'>通知公告</a>"
        " <a href='/c/'>政策法规</a> <a href='/d/'>办事指南</a></td></tr></table>"
        "<div><a href='/x/show.asp?id=3'>关于开展冬季安全生产大检查的通知</a> 2026-11-02</div>"
    )
    assert [c.name for c in find_column_links(html, "http://x.gov.cn/")] == [
        "工作动态",
        "通知公告",
        "政策法规",
        "办事指南",
    ]


def test_articles_in_navigation_are_not_columns():
    html = (
        "<nav><a href='/xwdt/'>新闻动态</a><a href='/xwdt/202611/t20261120_1.html'>要闻</a>"
        "<a href='/x/'>关于进一步加强全县安全生产工作的实施意见全文</a>"
        "<span><a href='/y/'>县长讲话</a> 2026-11-20</span></nav>"
    )
    assert [c.name for c in find_column_links(html, "http://x.gov.cn/")] == ["新闻动态"]


def test_column_links_are_deduplicated_by_url():
    html = "<nav><a href='/xwdt/'>新闻</a><a href='/xwdt/index.html'>新闻动态</a><a href='/xwdt/#top'>x动态</a></nav>"
    assert find_column_links(html, "http://x.gov.cn/") == find_column_links(html, "http://x.gov.cn/")[:1]


def test_classify_column():
    assert classify_column("政务动态") == "dynamic"
    assert classify_column("要闻") == "dynamic"
    assert classify_column("图片新闻") == "dynamic"
    assert classify_column("通知公告") == "policy"
    assert classify_column("公示公告") == "policy"
    assert classify_column("规范性文件") == "policy"
    assert classify_column("人事信息") == "long"
    assert classify_column("规划计划") == "long"
    assert classify_column("领导信箱") == "interact"
    assert classify_column("咨询投诉") == "interact"
    assert classify_column("网上留言") == "interact"
    assert classify_column("办事指南") == "service"
    assert classify_column("服务指南") == "service"
    assert classify_column("机构职能") == "other"
    assert classify_column("信息公开") == "other"


# ---- list pages ---------------------------------------------------------------------------------


def test_modern_list_ignores_sidebar_and_uses_full_titles():
    items = extract_list_items(load("modern_list.html"), MODERN + "xwdt/", REF)
    assert [i.date for i in items] == [
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 18),
        dt.date(2026, 11, 15),
        dt.date(2026, 11, 2),
        dt.date(2026, 10, 28),
    ]
    assert items[0].url == MODERN + "xwdt/202611/t20261120_901.html"
    assert items[2].title == "示例县开展秋冬季森林防火宣传教育活动"  # title attribute, not the cut text
    assert items[3].title == "2026年1-10月全县固定资产投资运行情况"
    assert not any("/zt/" in i.url for i in items)


def test_portal_list_split_in_two_uls_is_one_list():
    items = extract_list_items(load("portal_list.html"), PORTAL + "bmdt/index.html", REF)
    assert len(items) == 5
    assert items[0].date == dt.date(2026, 11, 18) and items[-1].date == dt.date(2026, 10, 21)
    assert items[1].title == "市生态环境局开展大气污染防治专项检查"


def test_table_list_with_chinese_dates():
    items = extract_list_items(load("table_list.html"), TABLE + "list.asp?id=1", REF)
    assert [(i.url.rsplit("=", 1)[1], i.date) for i in items] == [
        ("123", dt.date(2026, 11, 18)),
        ("122", dt.date(2026, 11, 5)),
        ("119", dt.date(2026, 10, 20)),
        ("117", dt.date(2026, 9, 3)),
    ]


def test_flat_list_dates_belong_to_their_own_link():
    html = (
        "<div class='list'><a href='a.html'>第一条信息的标题文字</a> (2026-11-20)<br>"
        "<a href='b.html'>第二条信息的标题文字</a> (2026-11-02)<br>"
        "<a href='c.html'>第三条信息的标题文字</a> (2026-10-01)<br></div>"
    )
    items = extract_list_items(html, "http://x.gov.cn/l/", REF)
    assert [i.date for i in items] == [dt.date(2026, 11, 20), dt.date(2026, 11, 2), dt.date(2026, 10, 1)]


def test_date_inside_the_link_and_url_date_fallback():
    html = (
        "<ul><li><a href='a.html'>县政府召开常务会议 2026-11-19</a></li>"
        "<li><a href='b.html'>[11-18] 县长接待来访群众</a></li>"
        "<li><a href='./202611/t20261117_9.html'>全县冬季征兵工作启动</a></li></ul>"
    )
    items = extract_list_items(html, "http://x.gov.cn/l/", REF)
    assert [(i.title, i.date) for i in items] == [
        ("县政府召开常务会议", dt.date(2026, 11, 19)),
        ("县长接待来访群众", dt.date(2026, 11, 18)),
        ("全县冬季征兵工作启动", dt.date(2026, 11, 17)),
    ]


def test_visible_date_wins_over_url_date():
    html = "<ul><li><a href='./202601/t20260105_1.html'>旧链接里的日期不算数</a><span>2026-11-03</span></li></ul>"
    assert extract_list_items(html, "http://x.gov.cn/l/", REF)[0].date == dt.date(2026, 11, 3)


def test_undated_list_is_still_a_list():
    rows = "".join(f"<li><a href='g{i}.html'>居民身份证换领办事指南第{i}项</a></li>" for i in range(4))
    html = f"<nav><a href='/'>首页</a></nav><ul class='guide-list'>{rows}</ul>"
    items = extract_list_items(html, "http://x.gov.cn/bszn/", REF)
    assert len(items) == 4 and all(i.date is None for i in items)


def test_empty_lists():
    for name, base in (
        ("modern_empty.html", MODERN),
        ("portal_empty.html", PORTAL),
        ("table_empty.html", TABLE),
    ):
        assert extract_list_items(load(name), base, REF) == []
    assert empty_column_text(load("modern_empty.html")) == "本栏目暂无信息！"
    assert empty_column_text(load("portal_empty.html")) == "暂无内容"
    assert empty_column_text(load("table_empty.html")) == "没有记录"
    for name in ("modern_list.html", "portal_list.html", "table_list.html", "modern_home.html"):
        assert empty_column_text(load(name)) is None


def test_empty_text_ignores_scripts_and_ordinary_words():
    assert empty_column_text("<script>var s='暂无信息';</script><p>项目建设中心</p>") is None
    assert empty_column_text("<p>该栏目正在建设中</p>") == "该栏目正在建设中"


# ---- home pages ---------------------------------------------------------------------------------


def test_home_items_from_every_block():
    items = extract_home_items(load("modern_home.html"), MODERN, REF)
    assert len(items) == 6
    assert max(i.date for i in items) == dt.date(2026, 11, 20)
    assert {i.date for i in items} >= {dt.date(2026, 9, 12), dt.date(2026, 10, 30)}
    assert all(i.date for i in items)


def test_home_items_include_image_news_and_url_dated_entries():
    items = extract_home_items(load("portal_home.html"), PORTAL, REF)
    by_title = {i.title: i.date for i in items}
    assert by_title["市领导检查冬季供暖准备工作"] == dt.date(2026, 11, 19)  # image alt + TRS URL
    assert by_title["市生态环境局开展大气污染防治专项检查"] == dt.date(2026, 11, 16)
    assert by_title["一图读懂示范市促进民营经济发展若干措施"] == dt.date(2026, 11, 17)


def test_table_home_items_with_yearless_dates():
    items = extract_home_items(load("table_home.html"), TABLE, REF)
    assert [(i.title, i.date) for i in items] == [
        ("古城镇召开冬季安全生产工作会议", dt.date(2026, 11, 18)),
        ("古城镇开展农村人居环境整治检查", dt.date(2026, 11, 5)),
        ("关于做好冬季取暖安全工作的通知", dt.date(2026, 11, 2)),
    ]


# ---- pagination ---------------------------------------------------------------------------------


def test_pagination_links():
    assert find_next_pages(load("modern_list.html"), MODERN + "xwdt/index.html") == [
        MODERN + "xwdt/index_1.html",
        MODERN + "xwdt/index_2.html",
    ]
    assert find_next_pages(load("table_list.html"), TABLE + "list.asp?id=1") == [
        TABLE + "list.asp?id=1&page=2"
    ]


def test_trs_create_page_html_with_variables():
    assert find_next_pages(load("portal_list.html"), PORTAL + "bmdt/") == [
        PORTAL + f"bmdt/index_{n}.html" for n in range(1, 5)
    ]


def test_trs_create_page_html_literal_args_from_a_later_page():
    html = '<script>createPageHTML(3, 1, "index", "shtml");</script>'
    assert find_next_pages(html, "http://x.gov.cn/a/index_1.shtml") == [
        "http://x.gov.cn/a/index.shtml",
        "http://x.gov.cn/a/index_2.shtml",
    ]


def test_single_page_has_no_next_pages():
    assert find_next_pages(load("portal_empty.html"), PORTAL + "zcjd/") == []
    assert find_next_pages("<p>日历 <a href='?d=1'>1</a> <a href='?d=2'>2</a></p>", "http://x.gov.cn/") == []


# ---- article dates ------------------------------------------------------------------------------


def test_article_dates():
    assert extract_article_date(load("modern_article.html"), REF) == dt.date(2026, 11, 20)
    # 发布日期, not 成文日期 nor the 公文 date at the end.
    assert extract_article_date(load("portal_article.html"), REF) == dt.date(2026, 11, 18)
    assert extract_article_date(load("table_article.html"), REF) == dt.date(2026, 11, 2)


def test_article_date_from_meta_then_text():
    assert extract_article_date(
        '<meta name="PubDate" content="2026-10-01 08:00"><p>正文</p>', REF
    ) == dt.date(2026, 10, 1)
    html = "<div>今天是2026年11月22日</div><h1>某某会议召开</h1><p>2026年11月3日 县政府办</p>"
    assert extract_article_date(html, REF) == dt.date(2026, 11, 3)
    assert extract_article_date("<p>没有日期</p>", REF) is None


def test_undated_block_of_links_to_other_sites_is_not_a_list():
    rows = "".join(
        f"<li><a href='http://www.dept{i}.gov.cn/'>国务院某某部门网站第{i}个</a></li>" for i in range(6)
    )
    assert extract_list_items(f"<ul>{rows}</ul>", "http://www.x.gov.cn/a/", REF) == []
