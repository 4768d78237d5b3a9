"""Who may see which 政务新媒体 accounts, and the data the 新媒体 pages and API show.

The same rule as the sites (web/access.py): an account a user may not see is "not found". A
supervisor sees the accounts whose 开办单位 runs a site in their regions, an operator the accounts
of their own organisers (and of the organisers of their sites).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from govinspect.newmedia.model import STATUS_LABELS, Account
from govinspect.report.labels import check_label
from govinspect.store import Store
from govinspect.store.models import NewMediaAccountRecord, NewMediaCheckRecord
from govinspect.web.access import SiteNotFound, visible_sites
from govinspect.web.accounts import ADMIN, OPERATOR, SUPERVISOR, User

VERDICT_LABELS = {"pass": "合格", "fail": "不合格", "unverified": "待人工核实", "none": "未检查"}
# Shown on the page as its own note, not as a problem of the account (the CLI's table does the same).
SUSPECT_CHECKS = ("content.typo_suspect",)
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class CheckView:
    """One stored check (newmedia_checks.result is AccountOutcome.to_dict())."""

    id: int
    as_of: dt.date
    checked_at: dt.datetime | None
    status: str  # the connector's: ok, blocked, partial ...
    verdict: str  # pass | fail | unverified
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict)

    @property
    def readable(self) -> bool:
        return self.status == "ok"

    @property
    def detail(self) -> str:
        """What the connector saw (Chinese), when it could not read the account completely."""
        return str(self.result.get("detail") or "")

    @property
    def last_post(self) -> dt.date | None:
        value = self.result.get("last_post")
        try:
            return dt.datetime.fromisoformat(value).date() if value else None
        except (TypeError, ValueError):
            return None

    @property
    def findings(self) -> list[dict[str, Any]]:
        return [f for f in self.result.get("findings") or [] if isinstance(f, dict)]

    @property
    def problems(self) -> list[str]:
        """The check labels of the problems found, once each, in order."""
        checks = (str(f.get("check", "")) for f in self.findings)
        return list(dict.fromkeys(check_label(c) for c in checks if c and c not in SUSPECT_CHECKS))


@dataclass(frozen=True)
class AccountView:
    id: int
    account: Account
    latest: CheckView | None

    @property
    def verdict(self) -> str:
        return self.latest.verdict if self.latest else "none"


def _account(r: NewMediaAccountRecord) -> Account:
    return Account(
        platform=r.platform,
        account_id=r.account_id,
        name=r.name,
        organiser=r.organiser or "",
        feed_url=r.feed_url or "",
        subject=r.subject or "",
        record_no=r.record_no or "",
        record_date=r.record_date or "",
        status=r.status or "运行",
        connector=r.connector or "",
    )


def _check(r: NewMediaCheckRecord) -> CheckView:
    return CheckView(r.id, r.as_of, r.checked_at, r.status, r.verdict, dict(r.result or {}))


def visible_organisers(store: Store, user: User) -> frozenset[str] | None:
    """The 开办单位 whose accounts this user may see; None for everyone (管理员, 只读)."""
    if user.role not in (SUPERVISOR, OPERATOR):
        return None
    names = {s.organiser for s in visible_sites(store, user) if s.organiser}
    if user.role == OPERATOR:
        names |= set(user.organisers)
    return frozenset(n for n in names if n)


def may_check(user: User) -> bool:
    """「立即检查」: 管理员 (every account), 监管人员 (their accounts)."""
    return user.role in (ADMIN, SUPERVISOR)


def account_views(store: Store, user: User) -> list[AccountView]:
    """The registry's visible accounts with their newest stored check, in registry order."""
    allowed = visible_organisers(store, user)
    with store.unit_of_work() as uow:
        records = uow.session.scalars(
            select(NewMediaAccountRecord).order_by(NewMediaAccountRecord.platform, NewMediaAccountRecord.id)
        ).all()
        records = [r for r in records if allowed is None or (r.organiser or "") in allowed]
        newest = select(func.max(NewMediaCheckRecord.id)).group_by(
            NewMediaCheckRecord.platform, NewMediaCheckRecord.account_id
        )
        checks = uow.session.scalars(select(NewMediaCheckRecord).where(NewMediaCheckRecord.id.in_(newest)))
        latest = {(c.platform, c.account_id): _check(c) for c in checks}
        return [AccountView(r.id, _account(r), latest.get((r.platform, r.account_id))) for r in records]


def account_for(store: Store, user: User, account_id: int) -> tuple[AccountView, list[CheckView]]:
    """(the account with its newest check, its checks newest first) or SiteNotFound."""
    missing = SiteNotFound(f"政务新媒体账号不存在或无权查看（编号 {account_id}）")
    if not 0 < account_id < 2**62:
        raise missing
    allowed = visible_organisers(store, user)
    with store.unit_of_work() as uow:
        record = uow.session.get(NewMediaAccountRecord, account_id)
        if record is None or (allowed is not None and (record.organiser or "") not in allowed):
            raise missing
        history = [
            _check(c)
            for c in uow.session.scalars(
                select(NewMediaCheckRecord)
                .where(
                    NewMediaCheckRecord.platform == record.platform,
                    NewMediaCheckRecord.account_id == record.account_id,
                )
                .order_by(NewMediaCheckRecord.id.desc())
                .limit(HISTORY_LIMIT)
            )
        ]
        view = AccountView(record.id, _account(record), history[0] if history else None)
    return view, history


def filter_accounts(views: list[AccountView], platform: str = "", verdict: str = "") -> list[AccountView]:
    """By platform and by the newest check's verdict ("none": never checked)."""
    return [
        v
        for v in views
        if (not platform or v.account.platform == platform) and (not verdict or v.verdict == verdict)
    ]


def counts(views: list[AccountView]) -> dict[str, int]:
    by = Counter(v.verdict for v in views)
    return {"total": len(views), **{k: by.get(k, 0) for k in VERDICT_LABELS}}
