"""Article dates as CMS templates print them: the publication label wins over
meta regeneration stamps, 成文日期, 更新时间 and hidden CMS stamps; the source comes with the date."""

import datetime as dt

from govinspect.checks.base import CheckContext
from govinspect.checks.content import check_fake_date
from govinspect.extract.article import find_published_date
from govinspect.extract.article_body import extract_article
from govinspect.model import Article, SiteModel
from govinspect.rules import load_rubric

REF = dt.date(2026, 11, 22)
CTX = CheckContext(as_of=REF, rubric=load_rubric("gov-2019"))

# TRS WCM detail page: the meta PubDate is rewritten whenever the page is regenerated.
TRS = """<html><head><meta name="ArticleTitle" content="县政府召开常务会议">
<meta name="PubDate" content="2026-11-21 17:02"><title>县政府召开常务会议_某某县人民政府</title></head>
<body><div class="detail"><h1>县政府召开常务会议</h1>
<div class="info"><span>发布时间：2026-11-03 09:30</span><span>来源：县政府办</span></div>
<div class="TRS_Editor"><p>11月2日，县政府召开常务会议。</p></div></div></body></html>"""

# 政府信息公开 detail: 成文日期 comes first in the table, 发布日期 after it.
XXGK = """<html><head><title>关于印发某某办法的通知</title></head><body>
<table class="xxgk-head"><tr><td>索引号：</td><td>001-2026-00123</td><td>发文机关：</td><td>县政府办</td></tr>
<tr><td>成文日期：</td><td>2026年10月20日</td><td>发布日期：</td><td>2026年11月02日</td></tr></table>
<h1>关于印发某某办法的通知</h1><p>各乡镇人民政府……</p><p>二〇二六年十月二十日</p></body></html>"""

# 大汉 JCMS: a plain 时间 label under the title, a 页面生成时间 stamp and a hidden publishdate stamp.
JCMS = """<html><head><title>全市安全生产工作会议召开</title></head><body>
<h2 class="title">全市安全生产工作会议召开</h2><div class="bt_info">时间：2026-11-05&nbsp;&nbsp;浏览次数：123</div>
<div id="zoom"><p>会议要求……</p></div>
<div class="foot">页面生成时间：2026-11-22 08:00:01</div>
<div style="display:none">Produced By 大汉网络 大汉版通发布系统 publishdate:2026-11-21 23:59:59</div>
</body></html>"""


def test_publication_label_beats_meta_regeneration_stamp():
    found = find_published_date(TRS, REF)
    assert (found.date, found.source) == (dt.date(2026, 11, 3), "label")
    assert "发布时间" in found.text
    assert found.is_publication


def test_drafting_date_never_counts():
    found = find_published_date(XXGK, REF)
    assert (found.date, found.source) == (dt.date(2026, 11, 2), "label")
    # Only a 成文日期: the meta tag is next, not the drafting date.
    only_drafted = '<meta name="PubDate" content="2026-11-09"><h1>某某通知</h1><p>成文日期：2026-10-20</p>'
    assert find_published_date(only_drafted, REF).date == dt.date(2026, 11, 9)
    assert find_published_date(only_drafted, REF).source == "meta"


def test_plain_label_next_to_title_beats_cms_stamps():
    found = find_published_date(JCMS, REF)
    assert (found.date, found.source) == (dt.date(2026, 11, 5), "label")


def test_update_time_and_ascii_words_are_not_labels():
    # "update:" is not the label "date:", 更新时间 is not 时间.
    html = "<h1>Annual report of the office</h1><p>Last update: 2026-11-21</p><p>更新时间：2026-11-20</p>"
    found = find_published_date(html, REF)
    assert found.source == "text"
    assert not found.is_publication
    assert find_published_date("<h1>Notice of the office</h1><p>Date: 2026-11-04</p>", REF).source == "label"


def test_hidden_text_is_not_read():
    html = '<h1>某某会议召开</h1><div style="display:none">发布时间：2026-11-21</div><p>正文内容。</p>'
    assert find_published_date(html, REF).date is None
    css = '<style>.hide{display:none}</style><h1>某某会议召开</h1><span class="hide">发布时间：2026-11-21</span>'
    assert find_published_date(css, REF).date is None


def test_url_date_is_a_weaker_source():
    found = find_published_date(
        "<h1>某某会议召开</h1><p>正文</p>", REF, "http://x.gov.cn/xwdt/202611/t20261103_1.html"
    )
    assert (found.date, found.source) == (dt.date(2026, 11, 3), "url")
    assert not found.is_publication


def test_article_keeps_its_date_source():
    article = extract_article(TRS, "http://x.gov.cn/a.html", REF)
    assert (article.date, article.date_source) == (dt.date(2026, 11, 3), "label")


def _article(date_source: str, list_source: str) -> Article:
    return Article(
        url="http://x.gov.cn/a.html",
        title="某某会议召开",
        date=dt.date(2026, 11, 3),
        date_source=date_source,
        list_date=dt.date(2026, 11, 10),
        list_date_source=list_source,
    )


def test_fake_date_only_between_two_publication_dates():
    def fired(article: Article) -> bool:
        return bool(
            check_fake_date(SiteModel(url="http://x.gov.cn/", host="x.gov.cn", articles=[article]), CTX)
        )

    assert fired(_article("label", "list"))
    assert fired(_article("meta", "list"))
    assert not fired(_article("text", "list"))  # an unlabelled date on the page may be an event
    assert not fired(_article("url", "list"))
    assert not fired(_article("label", "url"))  # the list showed no date, the URL did
    # A crawl stored before sources were kept reads as before.
    assert fired(_article("", ""))
