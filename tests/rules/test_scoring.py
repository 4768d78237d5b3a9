import textwrap

import pytest

from govinspect.model import Finding
from govinspect.rules import RubricError, available_rubrics, load_rubric, score_findings


def f(check: str) -> Finding:
    return Finding(check=check, message=check)


def test_builtin_rubric_loads_with_official_thresholds():
    r = load_rubric("gov-2019")
    assert "gov-2019" in available_rubrics()
    assert r.threshold("probe_timeout_s") == 15
    assert r.threshold("home_stale_days") == 14
    assert r.threshold("unreachable_ratio") == 0.05
    assert r.pass_score == 60


def test_no_findings_scores_full_marks_and_passes():
    result = score_findings([], load_rubric())
    assert (result.verdict, result.score, result.vetoes) == ("pass", 100, [])


def test_four_stale_columns_deduct_but_five_veto():
    r = load_rubric()
    four = [f("column.stale_dynamic")] * 3 + [f("column.stale_policy")]
    result = score_findings(four, r)
    assert result.verdict == "pass" and result.vetoes == []
    assert result.score == 100 - 4 * 2
    assert all(x.severity == "deduct" for x in result.findings)

    five = four + [f("column.stale_policy")]
    result = score_findings(five, r)
    assert result.verdict == "fail"
    assert result.vetoes == ["column.stale_dynamic", "column.stale_policy"]
    assert result.score == 0 and result.deduction_score == 100
    assert all(x.severity == "veto" and x.points == 0 for x in result.findings)


def test_deductions_stop_at_the_cap():
    r = load_rubric()
    result = score_findings([f("links.broken_home")] * 25, r)
    assert result.score == 90  # 1 point each, capped at 10
    assert sum(x.points for x in result.findings) == 10


def test_score_below_pass_line_fails_without_veto(tmp_path):
    path = tmp_path / "strict.yaml"
    path.write_text(
        textwrap.dedent(
            """
            name: strict
            extends: gov-2019
            deductions:
              links.broken_home: {points: 10, cap: 50}
            """
        ),
        encoding="utf-8",
    )
    r = load_rubric(str(path))
    assert r.threshold("home_stale_days") == 14  # inherited
    result = score_findings([f("links.broken_home")] * 5, r)
    assert result.score == 50 and result.verdict == "fail" and result.vetoes == []


def test_single_veto_check_fails_site():
    result = score_findings([f("site.unreachable"), f("norms.icp_missing")], load_rubric())
    assert result.verdict == "fail" and result.vetoes == ["site.unreachable"]
    icp = [x for x in result.findings if x.check == "norms.icp_missing"][0]
    assert icp.severity == "deduct" and icp.points == 1


def test_bad_rubric_names_the_key(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nthreshholds: {}\n", encoding="utf-8")
    with pytest.raises(RubricError, match="threshholds"):
        load_rubric(str(path))
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nvetoes: [\n", encoding="utf-8")
    with pytest.raises(RubricError, match="格式错误"):
        load_rubric(str(broken))
    with pytest.raises(RubricError, match="找不到评分规则"):
        load_rubric("gov-1999")
