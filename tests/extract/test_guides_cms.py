"""Service guides in the usual heading forms, any missing or empty element a deduction, the veto
counting only guides missing 4 or more, and forms checked wherever a guide-like page links them
."""

import datetime as dt

from govinspect.checks.base import CheckContext
from govinspect.checks.guides import check_attachment_broken, check_guide_incomplete
from govinspect.extract.content_model import build_content_model
from govinspect.extract.guides import GUIDE_ELEMENTS, extract_guide
from govinspect.model import Column, Guide, Item, LinkStatus, Page, SiteModel
from govinspect.rules import load_rubric, score_findings

URL = "http://www.xx.gov.cn/bszn/1.html"
CTX = CheckContext(as_of=dt.date(2026, 11, 22), rubric=load_rubric("gov-2019"))
TEN = [
    "事项名称",
    "设定依据",
    "申请条件",
    "办理材料",
    "办理地点",
    "办理机构",
    "收费标准",
    "办理时间",
    "联系电话",
    "办理流程",
]


def test_the_ten_elements_come_from_the_lexicon():
    assert list(GUIDE_ELEMENTS) == TEN


# 开普云/政务服务网 style: numbered headings, each followed by its paragraph.
NUMBERED = """<div class="guide"><h1>个体工商户设立登记办事指南</h1>
<h4>一、事项名称</h4><p>个体工商户设立登记</p>
<h4>二、设定依据</h4><p>《促进个体工商户发展条例》</p>
<h4>三、申请条件</h4><p>有经营能力的公民</p>
<h4>四、申请材料</h4><p>1.登记申请书；2.经营者身份证明</p>
<h4>五、办理地点</h4><p>县政务服务中心二楼</p>
<h4>六、实施机关</h4><p>县市场监督管理局</p>
<h4>七、收费标准</h4><p>不收费</p>
<h4>八、办理时限</h4><p>即办</p>
<h4>九、咨询电话</h4><p>0571-12345678</p>
<h4>十、办理流程</h4><p></p></div>"""

# Old TRS pages: 【label】value lines in one block.
BRACKETED = """<div class="TRS_Editor"><p>【事项名称】建设工程消防验收</p><p>【设定依据】《中华人民共和国消防法》第十三条</p>
<p>【申请条件】建设工程竣工</p><p>【申请材料】消防验收申请表</p><p>【办理地点】住建局服务窗口</p>
<p>【办理机构】县住房和城乡建设局</p><p>【收费标准】不收费</p><p>【办理时限】15个工作日</p><p>【联系电话】0571-87654321</p>
</div>"""

# A guide laid out as one header row and one value row.
HEADER_TABLE = """<table><tr><th>事项名称</th><th>办理机构</th><th>办理时间</th><th>联系电话</th></tr>
<tr><td>农村宅基地审批</td><td>乡镇人民政府</td><td>工作日</td><td>0571-1111111</td></tr></table>"""


def test_numbered_headings_with_sibling_blocks():
    guide = extract_guide(NUMBERED, URL)
    assert guide.elements["事项名称"] == "个体工商户设立登记"
    assert guide.elements["办理机构"] == "县市场监督管理局"
    assert guide.elements["办理时间"] == "即办"
    assert guide.elements["办理流程"] == ""  # heading with an empty block: empty, not missing


def test_bracketed_headings():
    guide = extract_guide(BRACKETED, URL)
    assert guide.elements["设定依据"] == "《中华人民共和国消防法》第十三条"
    assert guide.elements["办理时间"] == "15个工作日"
    assert guide.elements["办理流程"] is None  # never labelled: missing


def test_header_cells_name_the_elements():
    guide = extract_guide(HEADER_TABLE, URL)
    assert guide.elements["事项名称"] == "农村宅基地审批"
    assert guide.elements["联系电话"] == "0571-1111111"
    # A header over several rows is a list of items, not one guide.
    listing = HEADER_TABLE.replace(
        "</table>", "<tr><td>另一事项</td><td>某局</td><td>工作日</td><td>1</td></tr></table>"
    )
    assert extract_guide(listing, URL).elements["事项名称"] is None


def _guide(missing: int, empty: int = 0) -> Guide:
    elements = {name: "有内容" for name in TEN}
    for name in TEN[:missing]:
        elements[name] = None
    for name in TEN[missing : missing + empty]:
        elements[name] = ""
    return Guide(url=f"{URL}?m={missing}&e={empty}", title="某事项", elements=elements)


def _site(guides) -> SiteModel:
    return SiteModel(url="http://www.xx.gov.cn/", host="www.xx.gov.cn", guides=list(guides))


def test_any_missing_or_empty_element_is_a_deduction():
    findings = check_guide_incomplete(_site([_guide(1), _guide(0, 1), _guide(0)]), CTX)
    assert [f.evidence["missing"] for f in findings] == [["事项名称"], ["事项名称"]]
    assert [f.evidence["empty"] for f in findings] == [[], ["事项名称"]]
    assert "内容为空" in findings[1].message


def test_veto_counts_only_guides_missing_four_or_more():
    light = [_guide(1) for _ in range(6)]
    light = [Guide(url=f"{URL}?{i}", title=g.title, elements=g.elements) for i, g in enumerate(light)]
    result = score_findings(check_guide_incomplete(_site(light), CTX), CTX.rubric)
    assert result.vetoes == []
    assert {f.severity for f in result.findings} == {"deduct"}
    heavy = [Guide(url=f"{URL}?h{i}", title="某事项", elements=_guide(4).elements) for i in range(5)]
    result = score_findings(check_guide_incomplete(_site(heavy + light), CTX), CTX.rubric)
    assert result.vetoes == ["service.guide_incomplete"]
    assert sum(f.severity == "veto" for f in result.findings) == 5
    assert sum(f.severity == "deduct" for f in result.findings) == 6


def _notice_site(html: str, page_url: str) -> SiteModel:
    site = SiteModel(
        url="http://www.xx.gov.cn/",
        host="www.xx.gov.cn",
        columns=[
            Column(
                name="通知公告",
                url="http://www.xx.gov.cn/tzgg/",
                kind="policy",
                items=[Item("某通知", page_url, dt.date(2026, 11, 2), "list")],
            )
        ],
        page_columns={page_url: "通知公告"},
        links=[LinkStatus(url="http://www.xx.gov.cn/uploads/sbb.doc", status=404)],
    )
    page = Page(url=page_url, final_url=page_url, status=200, content_type="text/html", text=html)
    build_content_model(site, {page_url: page}, dt.date(2026, 11, 22))
    return site


def test_forms_on_a_guide_like_page_outside_the_service_column_are_checked():
    guide_like = """<html><head><title>残疾人两项补贴申请办事指南</title></head><body><h1>残疾人两项补贴申请办事指南</h1>
    <p>申请材料：身份证、残疾人证</p><p>附件：<a href="/uploads/sbb.doc">补贴申请表</a></p></body></html>"""
    site = _notice_site(guide_like, "http://www.xx.gov.cn/tzgg/1.html")
    assert [(g.is_guide, g.attachments) for g in site.guides] == [
        (False, ["http://www.xx.gov.cn/uploads/sbb.doc"])
    ]
    assert check_guide_incomplete(site, CTX) == []  # outside the service columns: elements not judged
    assert [f.url for f in check_attachment_broken(site, CTX)] == ["http://www.xx.gov.cn/uploads/sbb.doc"]
    assert len(site.articles) == 1  # still read as an article of its column


def test_a_notice_with_a_registration_form_is_not_a_guide():
    # The demo farm's notice pattern: a dead 报名登记表 is links.broken_other, not a service failure.
    notice = """<html><head><title>关于开展乡村振兴专项检查的通知</title></head><body><h1>关于开展乡村振兴专项检查的通知</h1>
    <p>请各单位认真组织实施。联系电话：0571-41651123。</p><p>附件：<a href="/uploads/sbb.doc">报名登记表.doc</a></p></body></html>"""
    site = _notice_site(notice, "http://www.xx.gov.cn/tzgg/2.html")
    assert site.guides == []
