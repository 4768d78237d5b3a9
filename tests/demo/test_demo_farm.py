"""The demo farm's content and ground truth (no server)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from urllib.parse import urljoin

import pytest

from govinspect.demo import CHECK_IDS, DETECTOR_CHECK_IDS, THRESHOLDS, Expected, Farm, build_farm
from govinspect.demo.farm import broken_links, page_links
from govinspect.extract.guides import GUIDE_ELEMENTS

AS_OF = dt.date(2026, 11, 22)


@lru_cache(maxsize=4)
def farm(as_of: dt.date = AS_OF, include_bad: bool = False) -> Farm:
    return build_farm(as_of, include_bad=include_bad)


def digest(f: Farm) -> str:
    h = hashlib.sha256()
    for site in f.sites:
        for path in sorted(site.routes):
            r = site.routes[path]
            h.update(f"{site.host}{path}{r.status}{r.content_type}".encode() + r.body)
    return h.hexdigest()


# Sites of the detector checks: availability/update/norms truth of their own is only 石湾区's broken form.
DETECTOR_SITES = ("www.hongfeng.gov.cn", "www.shiwan.gov.cn", "www.liutang.gov.cn")
BROKEN_LINK_SITES = ("www.hexi.gov.cn", "www.nanhu.gov.cn", "www.shiwan.gov.cn")


def checks(host: str) -> list[str]:
    """The site-level checks (CHECK_IDS) expected on a site."""
    return sorted(e.check for e in farm().site(host).expected if e.check in CHECK_IDS)


@pytest.mark.slow
def test_same_as_of_gives_identical_bytes_and_another_date_differs():
    a = build_farm(AS_OF)
    b = build_farm(AS_OF)
    assert digest(a) == digest(b)
    assert [s.expected for s in a.sites] == [s.expected for s in b.sites]
    assert digest(build_farm(AS_OF + dt.timedelta(days=1))) != digest(a)


def test_sites_and_their_injected_problems():
    f = farm()
    assert [s.host for s in f.sites] == [
        "www.qingshan.gov.cn",
        "www.baishui.gov.cn",
        "www.lihe.gov.cn",
        "www.songlin.gov.cn",
        "www.hexi.gov.cn",
        "www.dongpo.gov.cn",
        "www.xiyuan-zf.com",
        "www.nanhu.gov.cn",
        *DETECTOR_SITES,
        # Sites built like other CMS families (大汉 JCMS, TRS with script paging).
        "www.qiaotou.gov.cn",
        "www.yunxi.gov.cn",
    ]
    assert [s.host for s in f.sites if s.new_layout] == ["www.qiaotou.gov.cn", "www.yunxi.gov.cn"]
    assert f.site("www.qingshan.gov.cn").healthy and f.site("www.baishui.gov.cn").healthy
    assert f.site("www.qingshan.gov.cn").name == "青山县人民政府"
    assert f.site("www.qingshan.gov.cn").url == "http://www.qingshan.gov.cn/"
    lihe = checks("www.lihe.gov.cn")
    assert lihe[0] == "column.stale_dynamic" and "home.stale" in lihe
    assert set(lihe) == {"home.stale", "column.stale_dynamic"}
    assert checks("www.songlin.gov.cn") == sorted(
        ["column.stale_dynamic"] * 3
        + ["column.stale_policy"] * 2
        + ["column.stale_long"] * 2
        + ["column.empty"] * 2
    )
    assert checks("www.hexi.gov.cn") == sorted(
        ["links.broken_home"] * 2 + ["links.broken_other"] * 3 + ["column.empty"] * 5
    )
    assert checks("www.dongpo.gov.cn") == [
        "norms.icp_missing",
        "norms.psb_missing",
        "norms.site_code_missing",
    ]
    assert checks("www.xiyuan-zf.com") == ["norms.conac_missing", "norms.domain", "norms.jiucuo_missing"]
    assert checks("www.nanhu.gov.cn") == ["site.unreachable"]
    assert checks("www.hongfeng.gov.cn") == checks("www.liutang.gov.cn") == []
    assert checks("www.shiwan.gov.cn") == ["links.broken_other"]
    songlin = farm().site("www.songlin.gov.cn")
    stale_long = {e.column for e in songlin.expected if e.check == "column.stale_long"}
    assert stale_long == {"人事信息", "规划计划"}


def test_every_expected_refers_to_a_real_column_or_url():
    f = farm()
    for site in f.sites:
        for e in site.expected:
            assert e.check in CHECK_IDS or e.check in DETECTOR_CHECK_IDS
            assert e.url.startswith("http://")
            if e.check in DETECTOR_CHECK_IDS:
                continue  # see test_detector_truth.py
            if e.column:
                col = site.column(e.column)
                assert e.url == urljoin(site.url, col.path)
                assert f.resolve(e.url).status == 200
            elif e.check.startswith("links."):
                # A broken link really is linked from the site and really fails.
                found = broken_links(site, f)
                assert e.url in found
                target = f.resolve(e.url)
                assert target is None or target.status >= 400
            else:
                assert e.url == site.url


def test_hexi_broken_links_are_the_injected_ones():
    hexi = farm().site("www.hexi.gov.cn")
    home = {e.url for e in hexi.expected if e.check == "links.broken_home"}
    assert home == {"http://www.hexi.gov.cn/ztzl/index.html", "http://www.hexiqu-old.gov.cn/"}
    other = {e.url for e in hexi.expected if e.check == "links.broken_other"}
    assert any("/zwdt/" in u and u.endswith(".html") for u in other)  # a list page's item
    assert sum(u.endswith(".doc") for u in other) == 2  # article attachment + guide form
    assert [e.check for e in hexi.secondary] == ["service.attachment_broken"]
    assert [e for e in hexi.expected if e.check not in CHECK_IDS] == hexi.secondary


def test_healthy_and_norm_sites_have_no_broken_links():
    f = farm()
    for site in f.sites:
        if site.host in BROKEN_LINK_SITES:
            continue
        assert broken_links(site, f) == {}, site.host
    shiwan = f.site("www.shiwan.gov.cn")
    forms = {e.url for e in shiwan.expected if e.check == "service.attachment_broken"}
    assert set(broken_links(shiwan, f)) == forms and len(forms) == 1


def test_staleness_keeps_a_margin_from_every_threshold():
    f = farm()
    for site in f.sites:
        future = future_columns(site)
        for col in site.columns:
            if col.kind in THRESHOLDS and col.newest is not None:
                age = (f.as_of - col.newest).days
                assert age >= 0 or col.name in future
                assert abs(age - THRESHOLDS[col.kind]) >= 5, (site.host, col)
                if site.healthy and col.kind == "dynamic":
                    assert age <= 10
        if site.home_items:
            newest_home = max(d for _, _, d in site.home_items)
            assert abs((f.as_of - newest_home).days - 14) >= 5
    lihe = f.site("www.lihe.gov.cn")
    ages = [(f.as_of - d).days for _, _, d in lihe.home_items]
    assert min(ages) > 14 and 20 <= min(ages) <= 40


def future_columns(site) -> set[str]:
    """Columns holding the injected content.fake_date article dated after as_of."""
    return {e.column for e in site.expected if e.check == "content.fake_date" and e.detail == "future"}


def test_no_future_dates_and_every_site_has_required_columns():
    f = farm()
    for site in f.sites:
        names = [c.name for c in site.columns]
        assert 8 <= len(names) <= 14
        assert "办事指南" in names
        # The site without a working interaction channel has no mailbox column (领导信箱, 局长信箱).
        mailbox = any(n.endswith("信箱") for n in names)
        assert mailbox != (site.host == "www.liutang.gov.cn")
        future = future_columns(site)
        for col in site.columns:
            assert col.newest is None or col.newest <= f.as_of or col.name in future
    assert future_columns(f.site("www.hongfeng.gov.cn")) == {"政策文件"}


def nav_and_home(host: str) -> str:
    site = farm().site(host)
    return site.routes["/"].body.decode(site.encoding)


def test_home_has_navigation_blocks_more_links_and_footer_marks():
    html = nav_and_home("www.qingshan.gov.cn")
    assert '<nav class="main-nav">' in html
    for label in ("首页", "网站地图", "联系我们"):
        assert f">{label}</a>" in html
    assert 3 <= html.count('class="more"') <= 4
    assert re.search(r"网站标识码：\d{10}", html)
    assert re.search(r'href="http://beian.miit.gov.cn/"[^>]*>赣ICP备\d{8}号</a>', html)
    assert re.search(r"recordcode=(\d{14})\".*赣公网安备 \1号", html)
    assert '<span id="_ideConac"></span><script type="text/javascript" src="http://dcs.conac.cn/js/' in html
    assert "zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=" in html
    dongpo = nav_and_home("www.dongpo.gov.cn")
    assert "网站标识码" not in dongpo and "ICP备" not in dongpo and "公网安备" not in dongpo
    assert "bszs.conac.cn/sitename?method=show" in dongpo and "exposure/jiucuo.html" in dongpo
    xiyuan = nav_and_home("www.xiyuan-zf.com")
    assert "conac" not in xiyuan and "jiucuo" not in xiyuan and "网站标识码" in xiyuan


def test_layout_markup_shapes():
    f = farm()
    qs = f.site("www.qingshan.gov.cn")
    page2 = qs.routes["/zwdt/list_2.html"].body.decode()
    assert page2.count('<span class="date">') == 20
    assert "下一页" in page2 and "上一页" in page2
    assert re.search(
        r'<li><a href="/zwdt/\d{4}-\d\d/\d\d/content_\d+\.html"[^>]*>[^<]+</a><span class="date">\d{4}-\d\d-\d\d</span></li>',
        page2,
    )

    songlin = f.site("www.songlin.gov.cn")
    index = songlin.routes["/gzdt/index.html"].body.decode("gb18030")
    assert re.search(
        r'<li><a href="\./\d{6}/t\d{8}_\d+\.html"[^>]*>[^<]+</a><span>\d{4}-\d\d-\d\d</span></li>', index
    )
    assert 'href="index_1.html">下一页</a>' in index
    assert songlin.routes["/gzdt/"].body == songlin.routes["/gzdt/index.html"].body
    empty = songlin.routes["/bmdt/index.html"].body.decode("gb18030")
    assert "暂无信息" in empty or "本栏目暂无内容" in empty

    baishui = f.site("www.baishui.gov.cn")
    first = baishui.column("工作动态").path
    table = baishui.routes[first].body.decode("gb18030")
    assert re.search(
        r'<td><a href="/Article/ShowArticle\.asp\?ArticleID=\d+"[^>]*>[^<]+</a></td><td[^>]*><font color="#999999">\[\d\d-\d\d\]</font></td>',
        table,
    )
    assert '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' in table
    assert "&amp;page=2" in table


def test_table_year_less_dates_stay_within_a_year():
    f = farm()
    for host in ("www.baishui.gov.cn", "www.dongpo.gov.cn"):
        site = f.site(host)
        for url, route in site.pages().items():
            text = route.body.decode("gb18030")
            for mm, dd in re.findall(r"\[(\d\d)-(\d\d)\]", text):
                d = dt.date(f.as_of.year, int(mm), int(dd))
                if d > f.as_of:
                    d = d.replace(year=d.year - 1)
                assert (f.as_of - d).days <= 330, url


def test_gbk_sites_decode_with_gb18030_and_carry_chinese():
    f = farm()
    for host in ("www.baishui.gov.cn", "www.songlin.gov.cn", "www.dongpo.gov.cn"):
        site = f.site(host)
        assert site.encoding == "gbk"
        body = site.routes["/"].body
        with_error = False
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            with_error = True
        assert with_error  # really GBK bytes, not UTF-8
        assert site.name in body.decode("gb18030")
    assert f.site("www.baishui.gov.cn").routes["/"].content_type == "text/html"
    assert f.site("www.songlin.gov.cn").routes["/"].content_type == "text/html; charset=GBK"


def test_article_guide_and_message_pages_have_the_real_fields():
    f = farm()
    qs = f.site("www.qingshan.gov.cn")
    article_url = urljoin(
        qs.url,
        re.search(r'href="(/zwdt/[^"]+content_\d+\.html)"', qs.routes["/zwdt/"].body.decode()).group(1),
    )
    article = f.resolve(article_url).body.decode()
    assert re.search(r"发布时间：\d{4}-\d\d-\d\d \d\d:\d\d&nbsp;&nbsp;来源：青山县", article)
    guide_list = f.resolve(urljoin(qs.url, qs.column("办事指南").path)).body.decode()
    guide_url = urljoin(qs.url, re.search(r'href="([^"]+content_\d+\.html)"', guide_list).group(1))
    guide = f.resolve(guide_url).body.decode()
    for element in GUIDE_ELEMENTS:  # the 10 elements of the 2019 indicators
        assert f'<th width="120">{element}</th>' in guide
    form = [u for u in page_links(qs, f.resolve(guide_url), guide_url) if u.endswith(".doc")]
    assert form and f.resolve(form[0]).content_type == "application/msword"
    mails = f.resolve(urljoin(qs.url, qs.column("领导信箱").path)).body.decode()
    mail_url = urljoin(qs.url, re.search(r'<td class="title"><a href="([^"]+)"', mails).group(1))
    mail = f.resolve(mail_url).body.decode()
    assert "留言时间" in mail and "回复内容" in mail and "回复时间" in mail


def test_include_bad_adds_the_error_sites_without_expectations():
    f = farm(AS_OF, True)
    manman, pdfhome = f.site("www.manman.gov.cn"), f.site("www.pdfhome.gov.cn")
    assert manman.expected == [] and pdfhome.expected == []
    assert manman.delay >= 60
    assert f.resolve(pdfhome.url).content_type == "application/pdf"
    assert len(farm().sites) == 13 and len([s for s in farm().sites if not s.new_layout]) == 11


def test_site_sizes_stay_crawlable():
    for site in farm().sites:
        assert 60 <= len(site.pages()) <= 200, (site.host, len(site.pages()))
        busy = [
            c
            for c in site.columns
            if sum(1 for p in site.routes if p.startswith(c.path.rstrip("/") + "/list_")) >= 1
        ]
        if site.layout == "modern" and site.host != "www.xiyuan-zf.com":
            assert busy  # at least one paginated column


def test_expected_is_hashable_and_frozen():
    e = Expected("column.empty", column="通知公告")
    assert e in {Expected("column.empty", column="通知公告")}


def test_ground_truth_shape_holds_for_other_dates():
    def shape(f: Farm) -> dict[str, list[str]]:
        return {s.host: sorted(e.check for e in s.expected) for s in f.sites}

    reference = shape(farm())
    for as_of in (dt.date(2026, 1, 2), dt.date(2028, 2, 29)):
        other = build_farm(as_of)
        assert shape(other) == reference, as_of
        for site in other.sites:
            if site.host not in BROKEN_LINK_SITES:
                assert broken_links(site, other) == {}
