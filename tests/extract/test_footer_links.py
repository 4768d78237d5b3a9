"""Footer marks, site names and the link list."""

from pathlib import Path

from govinspect.extract import Link, extract_footer, extract_links, extract_site_name
from govinspect.model import FooterMarks

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "extract"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_modern_footer_with_scripts():
    marks = extract_footer(load("modern_home.html"))
    assert marks.site_code == "3601230001"
    assert marks.icp == "赣ICP备05001234号-1"
    assert marks.psb == "赣公网安备 36012302000123号"
    assert marks.conac == "https://dcs.conac.cn/js/14/000/0000/40000000/CA140000000400000000001.js"
    assert marks.jiucuo == "https://zfwzgl.www.gov.cn/exposure/jiucuo.js"


def test_portal_footer_with_links_and_tags_between_label_and_value():
    marks = extract_footer(load("portal_home.html"))
    assert marks.site_code == "4401000001"
    assert marks.icp == "粤ICP备12345678号"
    assert marks.psb == "粤公网安备 44010402001234号"
    assert marks.conac == "https://bszs.conac.cn/sitename?method=show&id=0123456789ABCDEF0123456789ABCDEF"
    assert marks.jiucuo.startswith("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4401000001&url=")


def test_old_footer_with_legacy_jiucuo_host_and_missing_marks():
    marks = extract_footer(load("table_home.html"))
    assert marks.site_code == "3607210012"
    assert marks.icp == "赣ICP备09008765号"
    assert marks.psb is None and marks.conac is None
    assert (
        marks.jiucuo
        == "http://121.43.68.40/exposure/jiucuo.html?site_code=3607210012&url=http://www.gcz.gov.cn/"
    )


def test_site_code_formats():
    assert extract_footer("<p>网站标识码：bm07000001</p>").site_code == "bm07000001"
    assert extract_footer("<p>网站标识码 : 41000000012</p>").site_code is None  # 11 digits
    assert extract_footer("<p>网站标识码：41000</p>").site_code is None
    # Declared in the head is not shown (INDICATORS §9f): kept apart for the 找错 comparison.
    declared = extract_footer('<meta name="SiteIDCode" content="1304000009">')
    assert declared.site_code is None
    assert declared.site_code_declared == "1304000009"
    assert extract_footer('<meta name="SiteIDCode" content="xx">').site_code is None
    assert (
        extract_footer("<script>document.write('网站标识码：5109040003');</script>").site_code == "5109040003"
    )


def test_marks_in_comments_do_not_count():
    html = '<!-- <script src="https://dcs.conac.cn/js/1/2/3/4/CA1.js"></script> 京ICP备1234567号 -->'
    assert extract_footer(html) == FooterMarks()


def test_other_psb_and_conac_forms():
    html = (
        '<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11010502030143">备案</a>'
        '<span id="_ideConac"></span>'
    )
    marks = extract_footer(html)
    assert marks.psb == "11010502030143"
    assert marks.conac == "_ideConac"
    assert extract_footer("京ICP备19014889号-1").icp == "京ICP备19014889号-1"


def test_nothing_found():
    assert extract_footer("") == FooterMarks()
    assert extract_footer("<html><body><p>版权所有</p></body></html>") == FooterMarks()


def test_site_name():
    assert extract_site_name(load("modern_home.html")) == "示例县人民政府"
    assert extract_site_name(load("portal_home.html")) == "示范市人民政府门户网站"
    assert extract_site_name(load("table_home.html")) == "古城镇人民政府网"
    assert extract_site_name("<title> 首页 | 某某市生态环境局 </title>") == "某某市生态环境局"
    assert extract_site_name("<title>Welcome</title>") == "Welcome"
    assert extract_site_name("") == ""


def test_extract_links():
    html = (
        '<base href="http://x.gov.cn/sub/"><nav><a href="a.html#top">栏目</a></nav>'
        '<a href="javascript:void(0)">js</a><a href="mailto:a@b.cn">mail</a><a href="tel:123">tel</a>'
        '<a href="data:text/html,hi">data</a><a href="#x">anchor</a>'
        '<a href=" /b.html\n">B</a><a href="http://[bad">bad</a>'
        '<a href="//other.cn/c"><img alt="图片链接"></a><map><area href="d.html"></map>'
    )
    assert extract_links(html, "http://x.gov.cn/index.html") == [
        Link("http://x.gov.cn/sub/a.html", "栏目", True),
        Link("http://x.gov.cn/b.html", "B", False),
        Link("http://other.cn/c", "图片链接", False),
        Link("http://x.gov.cn/sub/d.html", "", False),
    ]
    # Without the menu search (the crawler's call): the same links, none marked as navigation.
    assert extract_links(html, "http://x.gov.cn/index.html", nav=False) == [
        Link("http://x.gov.cn/sub/a.html", "栏目", False),
        Link("http://x.gov.cn/b.html", "B", False),
        Link("http://other.cn/c", "图片链接", False),
        Link("http://x.gov.cn/sub/d.html", "", False),
    ]
