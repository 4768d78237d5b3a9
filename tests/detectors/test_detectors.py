"""Detectors on the labelled set, on the demo farm, and extractors on random HTML."""

import datetime as dt
import importlib.util
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.detectors.farm_model import farm_models

from govinspect.checks import ALL_CHECKS, CheckContext
from govinspect.extract import extract_article, extract_guide, extract_messages
from govinspect.rules.rubric import load_rubric

# bench/detectors.py holds the scorer; loaded by path (tests/detectors shadows its name).
_spec = importlib.util.spec_from_file_location(
    "bench_detectors", Path(__file__).resolve().parents[2] / "bench" / "detectors.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
load_cases, score_cases = bench.load_cases, bench.score_cases

AS_OF = dt.date(2026, 11, 20)
FAMILIES = ("content.", "security.", "interact.", "service.")
# Floors a little under what bench/detectors.py measures (all 1.0 on the labelled set).
PRECISION_FLOOR = {"content.serious_error": 0.98, "security.spam_injection": 0.98}


def test_labelled_set_precision_and_recall():
    table = score_cases(load_cases())
    assert len(table) == 10
    for check, row in table.items():
        assert row["precision"] >= PRECISION_FLOOR.get(check, 0.9), (check, row)
        assert row["recall"] >= 0.9, (check, row)


def test_farm_findings_match_ground_truth():
    from govinspect.demo import build_farm

    truth = {}
    for spec in build_farm(AS_OF).sites:
        truth[spec.host] = {
            (e.check, e.url) for e in spec.expected + spec.secondary if e.check.startswith(FAMILIES)
        }
    ctx = CheckContext(as_of=AS_OF, rubric=load_rubric())
    tp = fp = fn = 0
    for site in farm_models(AS_OF):
        got = {(f.check, f.url) for c in ALL_CHECKS for f in c(site, ctx) if f.check.startswith(FAMILIES)}
        want = truth[site.host]
        if not want:  # healthy sites: nothing at all
            assert got == set(), site.host
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.8


def test_serious_error_needs_context():
    from govinspect.checks.lexicons import serious_lexicon

    assert serious_lexicon().find("韩政府宣布新计划") == []
    assert [h.term for h in serious_lexicon().find("习近乎总书记")] == ["习近乎"]
    assert serious_lexicon().find("面对两个确定性的目标") == []


def test_typo_context_rules():
    from govinspect.checks.lexicons import typo_lexicon

    assert typo_lexicon().find("按排名先后录取") == []
    assert [h.term for h in typo_lexicon().find("请按排好人员")] == ["按排"]


def test_message_and_guide_extraction():
    html = (
        "<table><tr><th>留言时间</th><td>2026-05-01</td></tr><tr><th>留言内容</th><td>路灯坏了</td></tr>"
        "<tr><th>回复内容</th><td>暂无回复</td></tr></table>"
    )
    [m] = extract_messages(html, "http://x.gov.cn/1", AS_OF)
    assert m.asked == dt.date(2026, 5, 1) and not m.answered
    guide = extract_guide(
        "<table><tr><td>事项名称</td><td>甲</td></tr><tr><td>收费标准</td><td>无</td></tr>"
        "<tr><td>办理时间</td><td>暂无</td></tr></table><a href='/f/a.doc'>申请表</a>",
        "http://x.gov.cn/g",
    )
    assert guide.elements["收费标准"] == "无" and guide.elements["办理时间"] == ""
    assert guide.elements["办理流程"] is None
    assert guide.attachments == ["http://x.gov.cn/f/a.doc"]


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("<>/=\"' abcdivptrhla:：留言时间回复办理材料2026-05-01\n")),
        max_size=400,
    )
)
def test_extractors_never_raise(html):
    extract_article(html, "http://x.gov.cn/a", AS_OF)
    extract_messages(html, "http://x.gov.cn/a", AS_OF)
    extract_guide(html, "http://x.gov.cn/a")
