"""Footer marks shown versus declared (INDICATORS §9f) and 找错 entries drawn by a local relay or by
a click handler."""

import datetime as dt
import gzip
from pathlib import Path

from govinspect.checks.base import CheckContext
from govinspect.checks.norms import check_footer_marks, check_jiucuo_site_code
from govinspect.extract.footer import extract_footer, footer_script_urls, jiucuo_from_script
from govinspect.fetch import decode_html
from govinspect.model import FooterMarks, Page, SiteModel
from govinspect.rules import load_rubric

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "realpages" / "gne_gov"
CTX = CheckContext(as_of=dt.date(2026, 11, 22), rubric=load_rubric("gov-2019"))
HOME = "http://www.xx.gov.cn/"

# 大汉/TRS-style footer: the code only in the head, the 找错 image calls a function of a script file.
META_ONLY = """<html><head><meta name="SiteIDCode" content="3301000001">
<script src="/js/jquery.min.js"></script><script src="/js/footer.js"></script></head>
<body><div class="footer"><p>主办：某某市人民政府办公厅 浙ICP备05000001号</p>
<span id="_span_jiucuo"><img src="/images/jiucuo.png" onclick="Link('3301000001')" style="cursor:pointer"></span>
</div></body></html>"""
FOOTER_JS = """function Link(site_code) {
  var url = encodeURIComponent(window.location.href);
  window.open("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=" + site_code + "&url=" + url);
}"""


def _site(html: str, footer: FooterMarks) -> SiteModel:
    page = Page(url=HOME, final_url=HOME, status=200, content_type="text/html", text=html)
    return SiteModel(url=HOME, host="www.xx.gov.cn", home=page, footer=footer)


def test_code_only_in_meta_is_declared_not_shown():
    marks = extract_footer(META_ONLY)
    assert marks.site_code is None
    assert marks.site_code_declared == "3301000001"
    findings = check_footer_marks(_site(META_ONLY, marks), CTX)
    missing = [f for f in findings if f.check == "norms.site_code_missing"]
    assert len(missing) == 1
    assert missing[0].evidence["declared"] == "3301000001"
    assert "3301000001" in missing[0].message


def test_code_in_hidden_div_is_not_shown():
    html = '<div style="display:none">网站标识码：3301000001</div><p>版权所有</p>'
    assert extract_footer(html).site_code is None
    assert extract_footer("<p>网站标识码：3301000001</p>").site_code == "3301000001"


def test_code_written_by_script_counts_as_shown():
    html = "<script>document.write('<span>网站标识码：3301000001</span>');</script>"
    assert extract_footer(html).site_code == "3301000001"


def test_handler_in_script_file_is_recognised_and_resolved():
    # Without the script: the 找错 image handing over a site code is an entry.
    marks = extract_footer(META_ONLY)
    assert marks.jiucuo == "javascript:Link('3301000001')"
    assert marks.jiucuo_site_code == "3301000001"
    # The crawl fetches the site's own script files (not the library) and passes their text.
    assert footer_script_urls(META_ONLY, HOME + "index.html") == [HOME + "js/footer.js"]
    resolved = extract_footer(META_ONLY, scripts=[FOOTER_JS])
    assert resolved.jiucuo == "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3301000001"
    assert resolved.jiucuo_site_code == "3301000001"


def test_handler_without_jiucuo_word_needs_its_script():
    html = "<img src='/images/jc.png' onclick=\"Link('3301000001')\"><script src='/js/ft.js'></script>"
    assert extract_footer(html).jiucuo is None
    assert footer_script_urls(html, HOME) == [HOME + "js/ft.js"]
    assert extract_footer(html, scripts=[FOOTER_JS]).jiucuo_site_code == "3301000001"
    # A page that defines the handler inline needs no script file.
    inline = html + f"<script>{FOOTER_JS}</script>"
    assert footer_script_urls(inline, HOME) == []
    assert extract_footer(inline).jiucuo.startswith("https://zfwzgl.www.gov.cn/exposure/jiucuo.html")


def test_jiucuo_from_script():
    assert jiucuo_from_script(FOOTER_JS) == (
        "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=",
        None,
    )
    legacy = "document.write('<a href=\"http://121.43.68.40/exposure/jiucuo.html?site_code=bm07000001\">')"
    assert jiucuo_from_script(legacy)[1] == "bm07000001"
    assert jiucuo_from_script("var a = 1;") == (None, None)


def test_local_relay_link_with_site_code():
    html = '<a href="/zfwzjc/jiucuo.html?site_code=3301000002" target="_blank"><img src="/img/zc.png" alt="我为政府网站找错"></a>'
    marks = extract_footer(html)
    assert marks.jiucuo == "/zfwzjc/jiucuo.html?site_code=3301000002"
    assert marks.jiucuo_site_code == "3301000002"
    # A site_code link that is not a 找错 entry is not one.
    assert extract_footer('<a href="/search.jsp?sitecode=3301000002">搜索</a>').jiucuo is None


def test_declared_code_is_compared_with_the_jiucuo_code():
    marks = FooterMarks(
        site_code=None, site_code_declared="3301000001", jiucuo="x", jiucuo_site_code="3301000009"
    )
    findings = check_jiucuo_site_code(_site("<p>x</p>", marks), CTX)
    assert [f.check for f in findings] == ["norms.jiucuo_site_code_mismatch"]
    assert findings[0].evidence["site_code_declared"] == "3301000001"
    same = FooterMarks(site_code_declared="3301000001", jiucuo="x", jiucuo_site_code="3301000001")
    assert check_jiucuo_site_code(_site("<p>x</p>", same), CTX) == []


def test_real_government_page_shows_and_declares_its_code():
    html = decode_html(gzip.decompress((REAL / "tests__shanxi__1.html.gz").read_bytes()))[0]
    marks = extract_footer(html)
    assert marks.site_code == "1400000045"
    assert marks.site_code_declared == "1400000045"
    # gzggw: an empty SiteIDCode meta declares nothing; the code is shown in the footer.
    html = decode_html(gzip.decompress((REAL / "tests__gzggw__1.html.gz").read_bytes()))[0]
    marks = extract_footer(html)
    assert (marks.site_code, marks.site_code_declared) == ("3300000020", None)
