"""Rubric files: validation with line numbers, inheritance with provenance, bonus part, overrides."""

import textwrap

import pytest
from typer.testing import CliRunner

from govinspect.cli import app
from govinspect.model import Finding
from govinspect.rules import RubricError, available_rubrics, load_rubric, score_findings
from govinspect.rules.rubric import origin_label, parse_yaml_with_lines


def write(tmp_path, name: str, text: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def f(check: str) -> Finding:
    return Finding(check=check, message=check)


def test_builtin_rubrics_load_and_validate():
    for name in available_rubrics():
        rubric = load_rubric(name)
        assert rubric.vetoes and rubric.deductions
        assert rubric.chain == (name,)


def test_yaml_loader_keeps_lines_and_comments():
    data = parse_yaml_with_lines("a: 1  # note A\nb:\n  c: {x: 2}   # local choice\n")
    assert data.line_of("a") == 1 and data.notes["a"] == "note A"
    assert data["b"].line_of("c") == 3 and data["b"].notes["c"] == "local choice"


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("name: bad\nthreshholds: {}\n", 2, "threshholds"),
        (
            "name: bad\nthresholds:\n  home_stale_days: 14\n  home_stale_dys: 7\n",
            4,
            "thresholds.home_stale_dys",
        ),
        ("name: bad\nthresholds:\n  home_stale_days: 两周\n", 3, "thresholds.home_stale_days"),
        (
            "name: bad\ndeductions:\n  links.broken_home: {points: 1, cap: 10}\n  lnks.broken: {points: 1}\n",
            4,
            "deductions.lnks.broken",
        ),
        (
            "name: bad\ndeductions:\n  links.broken_home:\n    points: 2\n    cap: 1\n",
            5,
            "deductions.links.broken_home.cap",
        ),
        (
            "name: bad\ndeductions:\n  links.broken_home: {point: 1}\n",
            3,
            "deductions.links.broken_home.point",
        ),
        ("name: bad\nvetoes:\n  - id: x\n    checks: [site.unreachable]\n    min: 0\n", 5, "vetoes[1].min"),
        ("name: bad\nvetoes:\n  - id: x\n    checks: [site.unreachable]\n    txt: t\n", 5, "vetoes[1].txt"),
        ("name: bad\nbonus:\n  max_points: 30\n  applies_abov: 80\n", 4, "bonus.applies_abov"),
        ("name: bad\npass_score: 60\npass_score: 70\n", 3, "pass_score"),
        # A typo in a check id of a known family (checks/catalog.py): an error, not a silent no-op.
        (
            "name: bad\ndeductions:\n  links.broken_home: {points: 1}\n  links.brokn_home: {points: 1}\n",
            4,
            "deductions.links.brokn_home",
        ),
        ("name: bad\nvetoes:\n  - id: x\n    checks: [site.unreachble]\n    min: 1\n", 4, "site.unreachble"),
    ],
)
def test_bad_rubric_names_the_key_and_its_line(tmp_path, text, line, key):
    path = write(tmp_path, "bad", text)
    with pytest.raises(RubricError) as info:
        load_rubric(str(path))
    message = str(info.value)
    assert f"第{line}行" in message and key in message and str(path) in message


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, "broken", "name: x\nthresholds: {home_stale_days: 14\n")
    with pytest.raises(RubricError, match="格式错误"):
        load_rubric(str(path))


def test_province_rubric_overrides_two_values_and_inherits_the_rest(tmp_path):
    path = write(
        tmp_path,
        "henan",
        """
        name: henan
        extends: gov-2019
        thresholds:
          dynamic_stale_days: 7   # 省定：一周
        deductions:
          links.broken_home: {points: 2}
        """,
    )
    r = load_rubric(str(path))
    base = load_rubric("gov-2019")
    assert r.chain == ("gov-2019", "henan")
    assert r.threshold("dynamic_stale_days") == 7
    assert r.deductions["links.broken_home"].points == 2
    assert r.deductions["links.broken_home"].cap == base.deductions["links.broken_home"].cap  # cap inherited
    assert r.title == base.title and r.bonus == base.bonus
    changed = {k for k in r.thresholds if r.thresholds[k] != base.thresholds[k]}
    assert changed == {"dynamic_stale_days"}
    assert origin_label(r, "thresholds", "dynamic_stale_days") == "本规则第4行，覆盖 gov-2019"
    assert origin_label(r, "thresholds", "home_stale_days").startswith("继承自 gov-2019")
    assert "本地选择" in origin_label(r, "thresholds", "policy_stale_days")
    assert "本地选择" not in origin_label(r, "thresholds", "home_stale_days")


def test_child_veto_changes_only_what_it_writes(tmp_path):
    path = write(tmp_path, "strict", "extends: gov-2019\nvetoes:\n  - id: columns_empty\n    min: 3\n")
    r = load_rubric(str(path))
    empty = next(v for v in r.vetoes if v.id == "columns_empty")
    assert empty.min == 3 and empty.checks == ("column.empty",)
    assert score_findings([f("column.empty")] * 3, r).vetoes == ["column.empty"]
    assert score_findings([f("column.empty")] * 3, load_rubric()).vetoes == []


def test_new_veto_without_checks_is_an_error(tmp_path):
    path = write(tmp_path, "x", "extends: gov-2019\nvetoes:\n  - id: brand_new\n    min: 3\n")
    with pytest.raises(RubricError, match="checks"):
        load_rubric(str(path))


def test_inheritance_cycle_is_reported(tmp_path):
    write(tmp_path, "a", f"name: a\nextends: {tmp_path / 'b.yaml'}\n")
    write(tmp_path, "b", f"name: b\nextends: {tmp_path / 'a.yaml'}\n")
    with pytest.raises(RubricError, match="循环"):
        load_rubric(str(tmp_path / "a.yaml"))


def test_threshold_overrides(tmp_path):
    r = load_rubric("gov-2019", overrides={"home_stale_days": 7})
    assert r.threshold("home_stale_days") == 7
    assert origin_label(r, "thresholds", "home_stale_days") == "命令行覆盖（原值来自 gov-2019）"
    with pytest.raises(RubricError, match="home_stale_dys"):
        load_rubric("gov-2019", overrides={"home_stale_dys": 7})


def test_2019_bonus_counts_only_above_80(tmp_path):
    base = load_rubric("gov-2019")
    assert (base.bonus.max_points, base.bonus.applies_above) == (30, 80)
    path = write(
        tmp_path,
        "bonus",
        """
        extends: gov-2019
        bonus:
          items:
            bonus.innovation: {points: 20, cap: 40}
        deductions:
          links.broken_home: {points: 10, cap: 30}
        """,
    )
    r = load_rubric(str(path))
    innovations = [f("bonus.innovation")] * 2  # earns 40, the part is capped at 30

    above = score_findings([*innovations, f("links.broken_home")], r)  # deduction part 90
    assert (above.deduction_score, above.bonus_score, above.score) == (90, 30, 120)
    assert above.verdict == "pass" and above.bonus_points == {"bonus.innovation": 40}
    assert all(x.severity == "info" for x in above.findings if x.check == "bonus.innovation")

    at_80 = score_findings([*innovations, *[f("links.broken_home")] * 2], r)  # exactly 80: no bonus
    assert (at_80.bonus_score, at_80.score) == (0, 80)

    low = score_findings([*innovations, *[f("links.broken_home")] * 5], r)  # 70 (capped at 30 off)
    assert (low.score, low.verdict) == (70, "pass")

    vetoed = score_findings([*innovations, f("site.unreachable")], r)
    assert (vetoed.score, vetoed.bonus_score, vetoed.verdict) == (0, 0, "fail")


def test_2015_has_no_bonus_part():
    assert load_rubric("gov-2015").bonus.max_points == 0


def test_rubric_show_prints_provenance(tmp_path):
    path = write(
        tmp_path,
        "henan",
        "name: henan\nextends: gov-2019\nthresholds:\n  dynamic_stale_days: 7\n"
        "deductions:\n  links.broken_home: {points: 2}\n",
    )
    result = CliRunner().invoke(app, ["rubric", "show", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "gov-2019 → henan" in out
    assert "dynamic_stale_days = 7" in out and "本规则第4行，覆盖 gov-2019" in out
    assert "继承自 gov-2019" in out and "本地选择" in out and "加分项：满分30分" in out
    bad = write(tmp_path, "bad", "name: bad\nthresholds:\n  home_stale_dys: 7\n")
    result = CliRunner().invoke(app, ["rubric", "show", str(bad)])
    assert result.exit_code == 2 and "第3行" in result.output


def test_every_id_the_official_rubrics_name_is_in_the_catalogue():
    from govinspect.checks.catalog import CATALOG

    for name in ("gov-2019", "gov-2015"):
        rubric = load_rubric(name)
        named = {c for v in rubric.vetoes for c in v.checks} | set(rubric.deductions)
        assert named and named <= set(CATALOG), (name, sorted(named - set(CATALOG)))
