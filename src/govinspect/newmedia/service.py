"""Check a list of accounts: fetch each through its connector, run the checks, score by rubric."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from govinspect.fetch.client import Fetcher
from govinspect.fetch.settings import FetchSettings
from govinspect.model import Finding
from govinspect.newmedia.checks import check_account, latest_post
from govinspect.newmedia.connectors import fetch_recent
from govinspect.newmedia.model import STATUS_LABELS, Account, FetchResult
from govinspect.rules.rubric import THRESHOLD_DEFAULTS, Rubric
from govinspect.rules.scoring import score_findings

# Politeness per platform host: at least this gap between two requests to one host (local choice;
# Weibo answers HTTP 432 to clients that read faster).
DEFAULT_HOST_DELAY_S = 1.0


@dataclass
class AccountOutcome:
    account: Account
    result: FetchResult
    findings: list[Finding]  # scored
    verdict: str  # pass | fail | unverified (read incompletely, nothing failed: 待人工核实)
    vetoes: list[str]

    def to_dict(self) -> dict[str, Any]:
        latest = latest_post(self.result)
        a = self.account
        return {
            "platform": a.platform,
            "account_id": a.account_id,
            "name": a.name,
            "organiser": a.organiser,
            "connector_status": self.result.status,
            "connector_status_label": STATUS_LABELS.get(self.result.status, self.result.status),
            "detail": self.result.detail,
            "source": self.result.source,
            "coverage": [t.isoformat() for t in self.result.coverage] if self.result.coverage else None,
            "last_post": latest.published_at.isoformat() if latest else None,
            "last_post_url": latest.url if latest else None,
            "verdict": self.verdict,
            "vetoes": self.vetoes,
            "findings": [f.to_dict() for f in self.findings],
        }


def window_days(rubric: Rubric) -> int:
    return int(rubric.thresholds.get("newmedia_stale_days", THRESHOLD_DEFAULTS["newmedia_stale_days"]))


async def check_accounts(
    accounts: list[Account],
    *,
    as_of: dt.date,
    rubric: Rubric,
    fetch_settings: FetchSettings | None = None,
    host_delay_s: float = DEFAULT_HOST_DELAY_S,
    now: dt.datetime | None = None,
    on_fetched: Callable[[Account], None] | None = None,
) -> list[AccountOutcome]:
    """Every account, in the given order. A connector failure is a status, never an exception.
    `on_fetched(account)` is called as each account's read ends (progress of the web app's job)."""
    settings = fetch_settings or FetchSettings()
    settings = replace(settings, delay_s=max(settings.delay_s, host_delay_s), per_host=1)
    days = window_days(rubric)

    async def fetch(account: Account, fetcher: Fetcher) -> FetchResult:
        result = await fetch_recent(account, as_of=as_of, window_days=days, fetcher=fetcher, now=now)
        if on_fetched is not None:
            on_fetched(account)
        return result

    async with Fetcher(settings) as fetcher:
        results = await asyncio.gather(*(fetch(a, fetcher) for a in accounts))
    outcomes = []
    for account, result in zip(accounts, results, strict=True):
        scored = score_findings(check_account(account, result, as_of=as_of, rubric=rubric), rubric)
        verdict = scored.verdict
        if verdict == "pass" and result.status != "ok" and account.status == "运行":
            verdict = "unverified"  # nothing failed, but the read was incomplete: not a pass either
        outcomes.append(AccountOutcome(account, result, scored.findings, verdict, scored.vetoes))
    return outcomes


def import_accounts(store: Any, path: Any) -> tuple[int, int, int]:
    """Validate the whole file (AccountImportError names every bad row), then store it in one
    transaction. Returns (added, updated, total in the registry)."""
    from govinspect.newmedia.registry import read_accounts

    accounts = read_accounts(path)
    with store.unit_of_work("导入政务新媒体名录") as uow:
        added, updated = uow.newmedia.replace_all(accounts)
        total = len(uow.newmedia.list())
    return added, updated, total


def list_accounts(store: Any) -> list[Account]:
    with store.unit_of_work() as uow:
        return uow.newmedia.list()


def with_found(registered: list[Account], found: list[Account]) -> list[Account]:
    """The registry plus accounts found elsewhere (e.g. linked from a site) that it lacks: those
    are checked as unregistered (newmedia.unregistered)."""
    known = {a.key for a in registered}
    return registered + [replace(a, registered=False) for a in found if a.key not in known]


@dataclass(frozen=True)
class _Drawable:
    """An account as the sampler sees a site: a stable id, a status and the stratum field."""

    id: str
    platform: str
    account: Account
    status: str = "运行"


def sample_accounts(
    accounts: list[Account],
    *,
    ratio: str | None = None,
    count: int | None = None,
    seed: str,
    min_per_platform: int = 0,
) -> list[Account]:
    """抽查 of the running accounts, stratified by platform (the 通报 rates are per platform):
    reproducible for the same seed and registry, as for the sites (workflow/sampling.py).
    Raises sampling.SampleError (Chinese) when the sample cannot be drawn as asked."""
    from govinspect.workflow.sampling import SampleError, draw_sample

    running = [_Drawable(a.key, a.platform or "其他", a) for a in accounts if a.status == "运行"]
    if not running:
        raise SampleError("没有可抽查的政务新媒体账号（关停、注销、合并的账号不参加抽查）")
    drawn = draw_sample(
        running, ratio=ratio, count=count, by=("platform",), min_per_group=min_per_platform, seed=seed
    )
    return [d.account for d in drawn]


# A connector that keeps failing raises one alert, not a veto: after this many checks in
# a row that could not read the account (local choice).
FAILING_ALERT_AFTER = 3


def record_checks(store: Any, outcomes: list[AccountOutcome], as_of: dt.date) -> list[dict[str, Any]]:
    """Save each check and return the rows (to_dict) with `failing_streak` and, once the connector
    has failed FAILING_ALERT_AFTER times in a row, a one-line `alert` (Chinese)."""
    rows = []
    with store.unit_of_work("保存政务新媒体检查结果") as uow:
        for outcome in outcomes:
            row = outcome.to_dict()
            uow.newmedia_checks.add(as_of, row)
            streak = uow.newmedia_checks.failing_streak(outcome.account.platform, outcome.account.account_id)
            row["failing_streak"] = streak
            if streak >= FAILING_ALERT_AFTER:
                row["alert"] = (
                    f"{outcome.account.platform}“{outcome.account.name}”已连续{streak}次未能读取"
                    f"（{STATUS_LABELS.get(outcome.result.status, outcome.result.status)}），"
                    "请检查订阅源或改用人工记录"
                )
            rows.append(row)
    return rows
