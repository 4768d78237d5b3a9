"""Score inspections of the demo farm against its ground truth: per check id TP/FP/FN, P/R/F1.

Shared by bench/accuracy.py and the CI quality gate (tests/quality/test_farm_gates.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from govinspect.demo.types import DemoSite
from govinspect.model import Finding, Inspection

# Checks identified by URL (the page with the problem, or the dead link's target for links.*).
_BY_URL = ("links.", "content.", "security.", "service.")
_BY_URL_IDS = ("interact.unanswered", "interact.slow_reply")


def finding_key(host: str, check: str, column: str, url: str) -> tuple[str, str, str]:
    if check.startswith("column."):
        return (host, check, column)
    if check.startswith(_BY_URL) or check in _BY_URL_IDS:
        return (host, check, url)
    return (host, check, "")


def key_of_finding(host: str, finding: Finding) -> tuple[str, str, str]:
    """A link finding's `url` is the page carrying the link (DESIGN.md); the farm's truth names the
    dead URL, which the finding keeps in evidence.target."""
    url = finding.url
    if finding.check.startswith("links."):
        url = finding.evidence.get("target", url)
    return finding_key(host, finding.check, finding.column, url)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_sites(sites: Iterable[DemoSite], by_url: dict[str, Inspection]) -> dict[str, Score]:
    """Per check id, the findings of each site's inspection against its `expected` list."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for site in sites:
        got = {key_of_finding(site.host, f) for f in by_url[site.url].findings}
        want = {finding_key(site.host, e.check, e.column, e.url) for e in site.expected}
        for k in got & want:
            tp[k[1]] += 1
        for k in got - want:
            fp[k[1]] += 1
        for k in want - got:
            fn[k[1]] += 1
    return {c: Score(tp[c], fp[c], fn[c]) for c in sorted(set(tp) | set(fp) | set(fn))}


def veto_changes(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    """Hosts whose set of veto check ids differs between two runs (Chinese-free, for the bench)."""
    return [
        f"{host}: {sorted(before[host])} -> {sorted(after.get(host, []))}"
        for host in sorted(before)
        if sorted(before[host]) != sorted(after.get(host, []))
    ]
