"""The scorecard: vetoes first, then the largest deductions; totals per indicator family."""

from govinspect.report import render_html
from govinspect.report.labels import FAMILIES
from govinspect.report.scorecard import family_totals, fix_first, fix_first_text, scorecard


def finding(check, severity="deduct", points=1.0, message="问题"):
    return {
        "check": check,
        "severity": severity,
        "points": points,
        "message": message,
        "url": "",
        "evidence": {},
    }


REPORT = {
    "site": {"name": "青山县人民政府", "url": "http://www.qingshan.gov.cn/"},
    "verdict": "fail",
    "score": 0,
    "vetoes": ["column.empty"],
    "findings": [
        finding("norms.icp_missing", points=1),
        *[finding("links.broken_other", points=0.1)] * 30,  # 3 points in total
        finding("column.stale_dynamic", points=2),
        finding("column.empty", "veto", 0, "栏目“通知公告”为空白栏目"),
        finding("content.typo", "info", 0),
    ],
    "stats": {"deduction_score": 94, "veto_rules": ["空白栏目超过(含)5个"]},
}


def test_fix_first_puts_vetoes_first_then_largest_deductions():
    order = [e["check"] for e in fix_first(REPORT)]
    assert order == ["column.empty", "links.broken_other", "column.stale_dynamic", "norms.icp_missing"]
    links = fix_first(REPORT)[1]
    assert links["count"] == 30 and links["points"] == 3
    assert fix_first_text(fix_first(REPORT)[0]).startswith("【单项否决】空白栏目（1处）")
    assert fix_first_text(links).startswith("【扣3分】")
    assert len(fix_first(REPORT, limit=2)) == 2


def test_family_totals_cover_every_family_in_order():
    totals = family_totals(REPORT)
    assert [t["family"] for t in totals] == list(FAMILIES)
    by = {t["family"]: t for t in totals}
    assert by["网站可用性"]["count"] == 30 and by["网站可用性"]["points"] == 3
    assert by["信息更新"] == {"family": "信息更新", "count": 2, "vetoes": 1, "points": 2}
    assert by["内容准确"]["points"] == 0 and by["互动回应"]["count"] == 0


def test_scorecard_and_html_show_fix_first():
    card = scorecard(REPORT)
    assert card["verdict_label"] == "不合格" and card["deducted"] == 6 and len(card["vetoes"]) == 1
    html = render_html(REPORT)
    assert "首先整改" in html and "【单项否决】空白栏目" in html
    assert html.index("【单项否决】") < html.index("【扣3分】") < html.index("【扣2分】")
    assert "扣分部分得分（仅供参考）：94" in html
