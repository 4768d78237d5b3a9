"""The scorecard: verdict, score, vetoes with evidence, deductions by indicator family, what to fix first.

One pure function of a govinspect.report/1 dict, shared by the CLI, HTML, XLSX and DOCX renderers,
so every output puts the same problems in the same order.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from govinspect.report.labels import FAMILIES, OTHER_FAMILY, check_label, family_of, verdict_label

FIX_FIRST_LIMIT = 8  # vetoes are always listed; deductions fill the rest


def _points(finding: dict[str, Any]) -> float:
    return float(finding.get("points") or 0) if finding.get("severity") == "deduct" else 0.0


def fix_first(report: dict[str, Any], limit: int = FIX_FIRST_LIMIT) -> list[dict[str, Any]]:
    """首先整改: each vetoed check first, then deducted checks by the points they cost, largest first.

    One entry per check id: {check, label, family, kind ("veto"|"deduct"), count, points, example, url}.
    """
    findings = report.get("findings") or []
    entries: dict[str, dict[str, Any]] = {}
    for f in findings:
        severity = f.get("severity")
        if severity not in ("veto", "deduct"):
            continue
        check = f.get("check", "")
        entry = entries.setdefault(
            check,
            {
                "check": check,
                "label": check_label(check),
                "family": family_of(check),
                "kind": severity,
                "count": 0,
                "points": 0.0,
                "example": f.get("message", ""),
                "url": f.get("url") or "",
            },
        )
        entry["count"] += 1
        entry["points"] = round(entry["points"] + _points(f), 2)
    vetoes = [e for e in entries.values() if e["kind"] == "veto"]
    deducts = sorted(
        (e for e in entries.values() if e["kind"] == "deduct" and e["points"] > 0),
        key=lambda e: (-e["points"], -e["count"], e["check"]),
    )
    return vetoes + deducts[: max(0, limit - len(vetoes))]


def fix_first_text(entry: dict[str, Any]) -> str:
    """One line a supervisor can paste into a rectification notice (Chinese)."""
    if entry["kind"] == "veto":
        return f"【单项否决】{entry['label']}（{entry['count']}处）：{entry['example']}"
    return f"【扣{entry['points']:g}分】{entry['label']}（{entry['count']}处）：{entry['example']}"


def family_totals(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per indicator family, in FAMILIES order: problems, vetoes, points deducted (all families listed)."""
    counts: Counter[str] = Counter()
    vetoes: Counter[str] = Counter()
    points: Counter[str] = Counter()
    for f in report.get("findings") or []:
        family = family_of(f.get("check", ""))
        counts[family] += 1
        vetoes[family] += f.get("severity") == "veto"
        points[family] += _points(f)
    names = [*FAMILIES, *([OTHER_FAMILY] if counts[OTHER_FAMILY] else [])]
    return [
        {"family": n, "count": counts[n], "vetoes": vetoes[n], "points": round(points[n], 2)} for n in names
    ]


def scorecard(report: dict[str, Any]) -> dict[str, Any]:
    """Everything a scorecard shows, from a report dict."""
    findings = report.get("findings") or []
    stats = report.get("stats") or {}
    return {
        "name": (report.get("site") or {}).get("name") or (report.get("site") or {}).get("url") or "",
        "url": (report.get("site") or {}).get("url") or "",
        "verdict": report.get("verdict", ""),
        "verdict_label": verdict_label(report.get("verdict", "")),
        "score": report.get("score"),
        "deduction_score": stats.get("deduction_score"),
        "veto_rules": list(stats.get("veto_rules") or []),
        "vetoes": [f for f in findings if f.get("severity") == "veto"],
        "deducted": round(sum(_points(f) for f in findings), 2),
        "families": family_totals(report),
        "fix_first": fix_first(report),
    }
