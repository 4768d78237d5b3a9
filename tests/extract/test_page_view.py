"""describe_page (govinspect.page/1): page kinds, items with their date sources, columns, guides."""

import datetime as dt

from govinspect.extract.page_view import FILE_BASE, describe_page

AS_OF = dt.date(2026, 11, 22)
KEYS = {
    "schema",
    "url",
    "kind",
    "title",
    "published",
    "items",
    "newest_item",
    "columns",
    "footer",
    "channels",
    "guide",
}

HOME = """<html><head><title>某某县人民政府</title></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xwdt/">新闻动态</a></li><li><a href="/tzgg/">通知公告</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="news"><ul>
<li><a href="/xwdt/202611/t20261118_1.html">县委常委会召开会议研究冬季工作</a><span>2026-11-18</span></li>
<li><a href="/xwdt/202611/t20261110_2.html">全县招商引资推进会召开</a><span>2026-11-10</span></li>
<li><a href="/xwdt/202611/t20261121_3.html">图片新闻：冬季征兵工作启动仪式</a></li></ul></div>
<div class="yqlj"><a href="http://www.gov.cn/2026-11/22/content_1.htm">中国政府网友情链接</a></div>
<div class="footer">网站标识码：3301000001 <a href="/jzxx/">县长信箱</a></div></body></html>"""

LIST = """<html><head><title>通知公告_某某县人民政府</title></head><body><ul class="list">
<li><a href="./202611/t20261120_1.html">关于做好冬季供暖工作的通知</a><span>2026-11-20</span></li>
<li><a href="./202611/t20261112_2.html">关于开展安全生产大检查的通知</a><span>2026-11-12</span></li>
<li><a href="./202610/t20261030_3.html">关于调整部分公交线路的公告</a><span>2026-10-30</span></li></ul>
<script>createPageHTML(3, 0, "index", "html");</script></body></html>"""

GUIDE = """<html><head><title>个体工商户设立登记办事指南</title></head><body><h1>个体工商户设立登记办事指南</h1><table>
<tr><td>事项名称</td><td>个体工商户设立登记</td></tr><tr><td>设定依据</td><td>《促进个体工商户发展条例》</td></tr>
<tr><td>申请条件</td><td>暂无</td></tr><tr><td>办理地点</td><td>政务服务中心</td></tr></table></body></html>"""


def test_home_page_items_newest_and_columns():
    page = describe_page(HOME, "http://www.xx.gov.cn/", AS_OF)
    assert set(page) == KEYS and page["schema"] == "govinspect.page/1"
    assert page["kind"] == "home"
    assert [(i["date"], i["date_source"]) for i in page["items"]] == [
        ("2026-11-18", "list"),
        ("2026-11-10", "list"),
        ("2026-11-21", "url"),
    ]
    # The printed date is the newest a person sees; the friend link is not an item.
    assert page["newest_item"]["title"] == "县委常委会召开会议研究冬季工作"
    assert {"name": "通知公告", "url": "http://www.xx.gov.cn/tzgg/", "kind": "policy"} in page["columns"]
    assert page["published"] == {"date": None, "source": None, "text": None}
    assert page["footer"]["site_code"] == {"shown": "3301000001", "declared": None}
    assert [c["label"] for c in page["channels"]] == ["县长信箱"]


def test_list_page_from_a_file_shows_relative_links():
    page = describe_page(LIST, FILE_BASE + "tzgg.html", AS_OF)
    assert page["kind"] == "list"
    assert page["items"][0] == {
        "title": "关于做好冬季供暖工作的通知",
        "url": "/202611/t20261120_1.html",
        "date": "2026-11-20",
        "date_source": "list",
    }
    assert page["newest_item"]["date"] == "2026-11-20"


def test_guide_page_elements():
    page = describe_page(GUIDE, "http://www.xx.gov.cn/bszn/1.html", AS_OF)
    assert page["kind"] == "guide"
    assert page["title"] == "个体工商户设立登记"
    assert page["guide"]["empty"] == ["申请条件"]
    assert "办理流程" in page["guide"]["missing"]
    assert page["guide"]["present"] == ["事项名称", "设定依据", "办理地点"]


MESSAGE = """<html><head><title>关于小区路灯不亮的问题_领导信箱</title></head><body><table class="xx">
<tr><td>信件标题</td><td>关于小区路灯不亮的问题</td></tr><tr><td>来信时间</td><td>2026-10-08</td></tr>
<tr><td>来信内容</td><td>我们小区路灯已经坏了一个月，晚上出行不便。</td></tr>
<tr><td>回复单位</td><td>县城管局</td></tr><tr><td>回复时间</td><td>2026-10-12</td></tr>
<tr><td>回复内容</td><td>您好，经现场核实，已安排维修人员于10月11日修复路灯。</td></tr></table></body></html>"""


def test_message_page():
    page = describe_page(MESSAGE, "http://www.xx.gov.cn/ldxx/1.html", AS_OF)
    assert page["kind"] == "message"
    assert page["items"] == [] and page["guide"] is None


def test_jcms_home_page_reads_its_data_island():
    island = (
        "<div class='news'><script type='text/xml'><datastore><recordset>"
        "<record><![CDATA[<li><a href='/art/2026/11/19/art_1_1.html'>全县冬季安全生产会议召开</a><span>2026-11-19</span></li>]]></record>"
        "<record><![CDATA[<li><a href='/art/2026/11/09/art_1_2.html'>县政府党组理论学习中心组学习</a><span>2026-11-09</span></li>]]></record>"
        "</recordset></datastore></script></div>"
    )
    page = describe_page(f"<html><body>{island}</body></html>", "http://www.xx.gov.cn/", AS_OF)
    assert page["newest_item"] == {
        "title": "全县冬季安全生产会议召开",
        "url": "http://www.xx.gov.cn/art/2026/11/19/art_1_1.html",
        "date": "2026-11-19",
        "date_source": "list",
    }
