"""Apply a rubric to findings: vetoes first, then capped deductions from the maximum score."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from govinspect.model import Finding
from govinspect.rules.rubric import Rubric


@dataclass
class ScoreResult:
    verdict: str  # "pass" | "fail"
    score: float
    vetoes: list[str]  # check ids whose findings triggered a veto
    veto_rules: list[str]  # the rubric's veto texts that fired (Chinese)
    findings: list[Finding] = field(default_factory=list)
    deduction_score: float = 0.0  # 100 minus deductions, whatever the vetoes
    bonus_score: float = 0.0  # 加分 part counted in `score` (0 unless deduction_score > applies_above)
    bonus_points: dict[str, float] = field(default_factory=dict)  # check id -> bonus earned, before the gate


def score_findings(findings: list[Finding], rubric: Rubric) -> ScoreResult:
    """Pure: returns new Finding objects with severity and points set by the rubric."""
    # A finding whose evidence says veto_counted: false is a deduction that does not count toward
    # its check's veto (a guide missing 1 element is incomplete; the veto counts those missing >= 4).
    counts = Counter(f.check for f in findings if _veto_counted(f))
    vetoed_checks: set[str] = set()
    fired: list[str] = []
    for rule in rubric.vetoes:
        if sum(counts[c] for c in rule.checks) >= rule.min:
            vetoed_checks.update(c for c in rule.checks if counts[c])
            fired.append(rule.text or rule.id)

    scored: list[Finding] = []
    spent: Counter[str] = Counter()
    earned: Counter[str] = Counter()
    for f in findings:
        if f.check in vetoed_checks and _veto_counted(f):
            scored.append(replace(f, severity="veto", points=0.0))
            continue
        bonus_rule = rubric.bonus.items.get(f.check)
        if bonus_rule is not None:
            # A merit, not a fault: reported as info; what it earns is in ScoreResult.bonus_points.
            earned[f.check] += max(0.0, min(bonus_rule.points, bonus_rule.cap - earned[f.check]))
            scored.append(replace(f, severity="info", points=0.0))
            continue
        rule = rubric.deductions.get(f.check)
        if rule is None:
            scored.append(replace(f, severity="info", points=0.0))
            continue
        # Points stop at the item's cap ("单项指标扣分之和不超过本项指标总分值").
        points = max(0.0, min(rule.points, rule.cap - spent[f.check]))
        spent[f.check] += points
        scored.append(replace(f, severity="deduct", points=round(points, 2)))

    deduction_score = round(max(0.0, rubric.max_score - sum(spent.values())), 2)
    vetoes = sorted(vetoed_checks)
    # A veto fails the site and "no other indicator is scored" (INDICATORS.md §1): the score is 0,
    # the deduction part is kept for information.
    bonus_score = bonus_part(deduction_score, dict(earned), rubric) if not vetoes else 0.0
    score = 0.0 if vetoes else round(deduction_score + bonus_score, 2)
    # The pass line applies to the deduction part: a bonus never turns a failing site into a pass.
    verdict = "fail" if vetoes or deduction_score < rubric.pass_score else "pass"
    return ScoreResult(
        verdict=verdict,
        score=score,
        vetoes=vetoes,
        veto_rules=fired,
        findings=scored,
        deduction_score=deduction_score,
        bonus_score=bonus_score,
        bonus_points={k: round(v, 2) for k, v in earned.items()},
    )


def _veto_counted(finding: Finding) -> bool:
    return finding.evidence.get("veto_counted", True) is not False


def bonus_part(deduction_score: float, earned: dict[str, float], rubric: Rubric) -> float:
    """2019 rule: the 加分 part is scored only when the deduction part is above 80 (strictly), capped."""
    if rubric.bonus.max_points <= 0 or deduction_score <= rubric.bonus.applies_above:
        return 0.0
    return round(min(rubric.bonus.max_points, sum(earned.values())), 2)
