"""Statistics of a spot-check run: 合格率, 环比, 问题网站名单, repeat failures and last run's follow-up.

合格率 = 合格 / 抽查 (INDICATORS §9a). Sites the tool could not finish (verdict "error") are left out of
both numbers and listed apart as 未完成检查: an unfinished check is neither a pass nor a failure (a
site that is down fails on its own, as site.unreachable). 环比 is the difference with the previous
run of the same kind in percentage points, computed from exact fractions and rounded once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from govinspect.report.labels import FAMILIES, OTHER_FAMILY, check_label, family_of
from govinspect.workflow.sites import LEVELS

# Sites of these levels whose kind is 部门 form the 部门 table (附件2); all others the 地区 table (附件1).
DEPARTMENT_LEVELS = ("国务院部门", "省")
MAIN_PROBLEMS = 3  # problems named per site in 问题网站名单
TYPICAL_CASES = 3  # typical cases per indicator family in 二、主要问题


@dataclass(frozen=True)
class Finding:
    key: str  # stable finding key: the same problem on the same site keeps its key across runs
    check: str
    severity: str = "deduct"  # veto | deduct | info
    points: float = 0.0
    message: str = ""
    url: str = ""


@dataclass(frozen=True)
class SiteResult:
    site_id: str
    name: str
    verdict: str  # pass | fail | error
    region: str = ""
    level: str = ""
    kind: str = ""
    organiser: str = ""
    url: str = ""
    vetoes: tuple[str, ...] = ()  # check ids that triggered a veto
    findings: tuple[Finding, ...] = ()
    score: float | None = None


@dataclass(frozen=True)
class Run:
    id: str
    kind: str  # e.g. 月度抽查, 季度抽查: 环比 compares runs of the same kind
    as_of: dt.date
    results: tuple[SiteResult, ...]
    # Running sites per level at the run's date (for 一、总体情况 and the 抽查比例).
    running_by_level: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Rate:
    passed: int
    checked: int  # pass + fail
    unchecked: int = 0  # sampled but not finished (left out of the rate)

    @property
    def sampled(self) -> int:
        return self.checked + self.unchecked

    @property
    def failed(self) -> int:
        return self.checked - self.passed

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.passed, self.checked) if self.checked else None

    @property
    def percent(self) -> Decimal | None:
        """Percent with two decimals, half up: 116/120 → 96.67."""
        return None if self.fraction is None else percent(self.fraction)

    def label(self) -> str:
        return "—" if self.percent is None else f"{self.percent}%"


@dataclass(frozen=True)
class FailingSite:
    site_id: str
    name: str
    url: str
    region: str
    level: str
    vetoes: tuple[str, ...]  # labels of the veto checks
    main_problems: tuple[str, ...]
    times_failed: int  # runs of this kind (this one included) in which the site failed


@dataclass(frozen=True)
class RepeatFailure:
    site_id: str
    name: str
    failed_runs: tuple[str, ...]  # run ids, oldest first, this run last


@dataclass(frozen=True)
class FollowUp:
    """One site that failed in the previous run: was it re-checked, and is it fixed?"""

    site_id: str
    name: str
    status: str  # 已整改 | 整改不到位 | 未复查
    rechecked_in: str = ""  # where the re-check result comes from (复查 or this run's id)


@dataclass(frozen=True)
class FamilyProblems:
    family: str
    sites: int  # sites with at least one veto/deduct finding of the family
    findings: int
    cases: tuple[tuple[str, str], ...]  # (site name, problem) typical cases


@dataclass(frozen=True)
class AccountResult:
    """The check of one 政务新媒体 account that the 通报 counts (the newest of the period)."""

    platform: str
    account_id: str
    name: str
    organiser: str
    verdict: str  # pass | fail | unverified (read incompletely: neither a pass nor a failure)
    vetoes: tuple[str, ...] = ()  # check ids that triggered a veto
    problems: tuple[str, ...] = ()  # messages of the veto and deduction findings, vetoes first


@dataclass(frozen=True)
class FailingAccount:
    platform: str
    name: str
    organiser: str
    vetoes: tuple[str, ...]  # labels of the veto checks
    main_problems: tuple[str, ...]


@dataclass(frozen=True)
class NewMediaStats:
    """政务新媒体 in the 通报: pass rate per platform and the failing accounts (INDICATORS §9e)."""

    overall: Rate
    by_platform: dict[str, Rate]
    failing: tuple[FailingAccount, ...]
    unverified: tuple[AccountResult, ...]  # 待人工核实: left out of the rates, listed apart


def newmedia_stats(accounts: Sequence[AccountResult], platform_order: Sequence[str] = ()) -> NewMediaStats:
    """Rates per platform (known platforms in `platform_order` first) over the accounts' checks."""
    as_sites = [
        SiteResult(a.account_id, a.name, "error" if a.verdict == "unverified" else a.verdict)
        for a in accounts
    ]
    by_platform: dict[str, list[SiteResult]] = {}
    for account, result in zip(accounts, as_sites, strict=True):
        by_platform.setdefault(account.platform or "其他", []).append(result)
    keys = [k for k in platform_order if k in by_platform] + sorted(
        k for k in by_platform if k not in platform_order
    )
    failing = tuple(
        FailingAccount(
            a.platform,
            a.name,
            a.organiser,
            tuple(check_label(v) for v in a.vetoes),
            a.problems[:MAIN_PROBLEMS],
        )
        for a in sorted(accounts, key=lambda a: (a.platform, a.organiser, a.name, a.account_id))
        if a.verdict == "fail"
    )
    return NewMediaStats(
        overall=rate(as_sites),
        by_platform={k: rate(by_platform[k]) for k in keys},
        failing=failing,
        unverified=tuple(a for a in accounts if a.verdict == "unverified"),
    )


@dataclass(frozen=True)
class RunStats:
    run: Run
    overall: Rate
    by_level: dict[str, Rate]
    by_region: dict[str, Rate]
    by_department: dict[str, Rate]
    unchecked: tuple[SiteResult, ...]
    previous: Run | None
    previous_rate: Rate | None
    change_pp: Decimal | None  # 环比, percentage points
    failing: tuple[FailingSite, ...]  # 问题网站名单
    repeat_failures: tuple[RepeatFailure, ...]  # 多次通报仍未整改
    follow_up: tuple[FollowUp, ...]  # last run's failing sites
    families: tuple[FamilyProblems, ...]
    newmedia: NewMediaStats | None = None  # None: no 政务新媒体 check in the run's period

    @property
    def sampled(self) -> int:
        return len(self.run.results)

    @property
    def running(self) -> int:
        return sum(self.run.running_by_level.values())

    @property
    def sample_share(self) -> Decimal | None:
        """抽查比例 in percent: sampled / running sites."""
        return percent(Fraction(self.sampled, self.running)) if self.running else None


def percent(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def rate(results: Sequence[SiteResult]) -> Rate:
    checked = [r for r in results if r.verdict in ("pass", "fail")]
    return Rate(sum(r.verdict == "pass" for r in checked), len(checked), len(results) - len(checked))


def is_department(result: SiteResult) -> bool:
    return result.kind == "部门" and result.level in DEPARTMENT_LEVELS


def rates_by(results: Sequence[SiteResult], attr: str, order: Sequence[str] = ()) -> dict[str, Rate]:
    """Rate per value of `attr`; known values in `order` first, the rest by name."""
    groups: dict[str, list[SiteResult]] = {}
    for r in results:
        groups.setdefault(getattr(r, attr) or "未填写", []).append(r)
    keys = [k for k in order if k in groups] + sorted(k for k in groups if k not in order)
    return {k: rate(groups[k]) for k in keys}


def change_pp(current: Rate, previous: Rate | None) -> Decimal | None:
    """环比 in percentage points (current − previous), None when either rate is undefined."""
    if previous is None or current.fraction is None or previous.fraction is None:
        return None
    return percent(current.fraction - previous.fraction)


def _problems(result: SiteResult) -> list[Finding]:
    """Veto findings first, then deductions by points; info findings are not problems."""
    serious = [f for f in result.findings if f.severity in ("veto", "deduct")]
    return sorted(serious, key=lambda f: (f.severity != "veto", -f.points, f.check, f.key))


def _problem_text(finding: Finding) -> str:
    return finding.message or check_label(finding.check)


def _previous_run(run: Run, history: Sequence[Run]) -> tuple[Run | None, list[Run]]:
    earlier = sorted((h for h in history if h.id != run.id), key=lambda h: h.as_of)
    wrong = [h.id for h in earlier if h.kind != run.kind]
    if wrong:
        raise ValueError(f"环比只比较同类抽查：{'、'.join(wrong)} 不是“{run.kind}”")
    earlier = [h for h in earlier if h.as_of <= run.as_of]
    return (earlier[-1] if earlier else None), earlier


def family_problems(results: Sequence[SiteResult]) -> tuple[FamilyProblems, ...]:
    """二、主要问题: per indicator family, sites and findings (veto/deduct), with typical cases."""
    out = []
    for family in (*FAMILIES, OTHER_FAMILY):
        sites, findings, cases = 0, 0, []
        for r in results:
            mine = [f for f in _problems(r) if family_of(f.check) == family]
            if mine:
                sites += 1
                findings += len(mine)
                cases.append((r.name, _problem_text(mine[0]), mine[0].severity == "veto", -mine[0].points))
        if findings:
            cases.sort(key=lambda c: (not c[2], c[3]))  # stable: vetoes first, then larger deductions
            top = tuple((name, text) for name, text, _, _ in cases[:TYPICAL_CASES])
            out.append(FamilyProblems(family, sites, findings, top))
    return tuple(out)


def run_stats(
    run: Run,
    history: Sequence[Run] = (),
    rechecks: Mapping[str, SiteResult] | None = None,
) -> RunStats:
    """Everything the 通报 states about `run`.

    `history`: earlier runs of the same kind (any order); the latest one is the 环比 base and its
    failing sites are followed up. `rechecks`: 复查 results by site id, taking precedence over this
    run's result when the site was sampled again.
    """
    previous, earlier = _previous_run(run, history)
    checked = [r for r in run.results if r.verdict in ("pass", "fail")]
    failing_now = [r for r in checked if r.verdict == "fail"]
    failed_before = {
        r.site_id: [
            h.id for h in earlier if any(x.site_id == r.site_id and x.verdict == "fail" for x in h.results)
        ]
        for r in failing_now
    }
    failing = tuple(
        FailingSite(
            r.site_id,
            r.name,
            r.url,
            r.region,
            r.level,
            tuple(check_label(v) for v in r.vetoes),
            tuple(dict.fromkeys(_problem_text(f) for f in _problems(r)))[:MAIN_PROBLEMS],
            len(failed_before[r.site_id]) + 1,
        )
        for r in sorted(failing_now, key=lambda r: (r.region, r.name, r.site_id))
    )
    repeats = tuple(
        RepeatFailure(f.site_id, f.name, (*failed_before[f.site_id], run.id))
        for f in failing
        if f.times_failed > 1
    )
    previous_rate = rate(previous.results) if previous else None
    overall = rate(run.results)
    return RunStats(
        run=run,
        overall=overall,
        by_level=rates_by(run.results, "level", LEVELS),
        by_region=rates_by([r for r in run.results if not is_department(r)], "region"),
        by_department=rates_by([r for r in run.results if is_department(r)], "organiser"),
        unchecked=tuple(r for r in run.results if r.verdict not in ("pass", "fail")),
        previous=previous,
        previous_rate=previous_rate,
        change_pp=change_pp(overall, previous_rate),
        failing=failing,
        repeat_failures=repeats,
        follow_up=follow_up(run, previous, rechecks or {}),
        families=family_problems(checked),
    )


def follow_up(run: Run, previous: Run | None, rechecks: Mapping[str, SiteResult]) -> tuple[FollowUp, ...]:
    """For each site that failed in `previous`: 已整改 / 整改不到位 from its 复查 or this run, else 未复查."""
    if previous is None:
        return ()
    now = {r.site_id: r for r in run.results}
    out = []
    for old in sorted((r for r in previous.results if r.verdict == "fail"), key=lambda r: (r.region, r.name)):
        source, result = (
            ("复查", rechecks[old.site_id]) if old.site_id in rechecks else (run.id, now.get(old.site_id))
        )
        if result is None or result.verdict not in ("pass", "fail"):
            out.append(FollowUp(old.site_id, old.name, "未复查"))
        else:
            out.append(
                FollowUp(
                    old.site_id, old.name, "已整改" if result.verdict == "pass" else "整改不到位", source
                )
            )
    return tuple(out)
