"""Column discovery beyond the navigation bar: hub pages and the 网站地图."""

from govinspect.extract.links import find_more_links, find_sitemap_url, hub_sub_columns, sitemap_columns

BASE = "http://www.xx.gov.cn/zwgk/index.html"
NAV = '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/index.html">政务公开</a></li></ul></div>'


def block(name: str, slug: str) -> str:
    rows = "".join(
        f'<li><a href="../{slug}/202611/t2026110{i}_1{i}.html">关于{name}第{i}期工作的情况通报</a><span>2026-11-0{i}</span></li>'
        for i in range(1, 5)
    )
    return (
        f'<div class="lmbk"><div class="lmbt"><span class="lmmc">{name}</span>'
        f'<a class="more" href="../{slug}/">更多 &gt;</a></div><ul>{rows}</ul></div>'
    )


def test_a_channel_page_with_preview_blocks_is_a_hub_of_its_sub_columns():
    html = f"<html><body>{NAV}<div class='lmnr'>{block('人事信息', 'rsxx')}{block('规划计划', 'ghjh')}</div></body></html>"
    subs = hub_sub_columns(html, BASE)
    assert [(c.name, c.url) for c in subs] == [
        ("人事信息", "http://www.xx.gov.cn/rsxx/"),
        ("规划计划", "http://www.xx.gov.cn/ghjh/"),
    ]


def test_a_list_page_with_one_side_block_is_not_a_hub():
    rows = "".join(
        f'<li><a href="/tzgg/202611/t2026110{i}_{i}.html">关于开展第{i}批专项检查的通知</a><span>2026-11-0{i}</span></li>'
        for i in range(1, 9)
    )
    html = f"<html><body>{NAV}<ul class='list'>{rows}</ul>{block('热点专题', 'ztzl')}</body></html>"
    assert hub_sub_columns(html, "http://www.xx.gov.cn/tzgg/index.html") == []


def test_more_links_of_the_navigation_are_not_blocks():
    nav_more = '<nav><a href="/a/">更多</a><a href="/b/">更多</a></nav>'
    assert find_more_links(f"<html><body>{nav_more}</body></html>", BASE) == []


def test_the_sitemap_page_is_found_by_its_link_text_or_title():
    home = '<html><body><div class="top"><a href="/wzdt/">网站地图</a></div></body></html>'
    assert find_sitemap_url(home, "http://www.xx.gov.cn/") == "http://www.xx.gov.cn/wzdt/"
    titled = '<html><body><a href="/map.html" title="站点地图"><img src="/i/map.png"></a></body></html>'
    assert find_sitemap_url(titled, "http://www.xx.gov.cn/") == "http://www.xx.gov.cn/map.html"
    assert (
        find_sitemap_url("<html><body><a href='/a/'>新闻</a></body></html>", "http://www.xx.gov.cn/") is None
    )


def test_sitemap_columns_leave_out_the_navigation_home_and_articles():
    html = (
        "<html><body><nav><a href='/xwdt/'>新闻动态</a><a href='/zwgk/'>政务公开</a></nav>"
        "<div class='sitemap'><h2>网站地图</h2><ul><li><a href='/'>首页</a></li>"
        "<li><a href='/xzdt/'>乡镇动态</a></li><li><a href='/rsxx/'>人事信息</a></li>"
        "<li><a href='/xzdt/202611/t20261101_1.html'>某镇召开冬季防火工作部署会议</a></li>"
        "<li><a href='http://www.other.cn/'>其他网站</a></li></ul></div></body></html>"
    )
    found = [(c.name, c.url) for c in sitemap_columns(html, "http://www.xx.gov.cn/wzdt/")]
    assert found == [("乡镇动态", "http://www.xx.gov.cn/xzdt/"), ("人事信息", "http://www.xx.gov.cn/rsxx/")]
