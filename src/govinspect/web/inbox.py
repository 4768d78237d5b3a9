"""The 找错 inbox as a user may see it: both doors (web/pages_jiucuo.py, web/api_jiucuo.py) call these.

Who sees a message: 管理员 and 只读 every message; a 监管人员 those routed to a site of their regions;
a 网站主办单位 operator those routed to their own sites. A message a user may not see is "not found"
(MessageNotFound, a SiteNotFound: the same 404 by page and API). Unrouted messages are seen by
管理员 and 只读 only, until someone routes them by hand.

Who changes what: 管理员 and 监管人员 every step of the lifecycle (转办, 不予受理, 重复 …); an
operator answers what was forwarded to them (受理, 办结 with the result, 不予受理, or hand it back);
只读 nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from govinspect.service import messages as msg_service
from govinspect.service import workflow as wf
from govinspect.settings import Settings
from govinspect.store import SiteRow, Store
from govinspect.web import accounts
from govinspect.web.access import SiteNotFound, may_see, site_for
from govinspect.workflow import jiucuo
from govinspect.workflow.calendar import Deadline, add_working_days, working_days_between

OPERATOR_STEPS: dict[str, tuple[str, ...]] = {
    jiucuo.FORWARDED: (jiucuo.ACCEPTED, jiucuo.PENDING, jiucuo.REJECTED),
    jiucuo.ACCEPTED: (jiucuo.CLOSED, jiucuo.REJECTED),
}


class MessageNotFound(SiteNotFound):
    """No such message, or not one this user may see."""


class StepForbidden(PermissionError):
    """The user's role may not make this change (Chinese message)."""


@dataclass(frozen=True)
class InboxRow:
    message: jiucuo.Message
    site: SiteRow | None  # the routed site (None: not routed)
    deadline: Deadline
    working_days_left: int | None  # None once the message is closed; negative when overdue
    overdue: bool

    @property
    def estimated(self) -> bool:
        return self.deadline.estimated


def working_days(settings: Settings) -> int:
    """办理时限 in working days, as the rubric sets it (jiucuo_working_days)."""
    return wf.rubric_working_days(settings.rubric, "jiucuo_working_days")


def _sites(store: Store) -> dict[int, SiteRow]:
    with store.unit_of_work() as uow:
        return {s.id: s for s in uow.sites.list()}


def _site_of(message: jiucuo.Message, sites: dict[int, SiteRow]) -> SiteRow | None:
    return sites.get(int(message.site_id)) if message.site_id.isdigit() else None


def may_see_message(user: accounts.User, site: SiteRow | None) -> bool:
    if user.role in (accounts.ADMIN, accounts.VIEWER):
        return True
    return site is not None and may_see(user, site)


@lru_cache(maxsize=4096)
def _deadline(submitted: dt.date, days: int) -> Deadline:
    """jiucuo.deadline of a message submitted that day (the calendar is fixed for the process;
    an inbox has many messages of the same days, and each answer walks the calendar)."""
    return add_working_days(submitted, days)


@lru_cache(maxsize=4096)
def _left(today: dt.date, deadline: dt.date):
    return working_days_between(today, deadline)


def row_of(message: jiucuo.Message, site: SiteRow | None, days: int, today: dt.date) -> InboxRow:
    limit = _deadline(message.submitted.date(), days)
    if not message.is_open:
        return InboxRow(message, site, limit, None, False)
    left = _left(today, limit.date)
    estimated = Deadline(limit.date, limit.estimated or left.estimated)
    return InboxRow(message, site, estimated, left.days, today > limit.date)


def inbox(
    store: Store,
    user: accounts.User,
    settings: Settings,
    *,
    status: str = "",
    region: str = "",
    q: str = "",
    overdue_only: bool = False,
    today: dt.date | None = None,
) -> list[InboxRow]:
    """The messages this user may see, filtered; overdue first, then by deadline."""
    today = today or dt.date.today()
    days = working_days(settings)
    sites = _sites(store)
    needle = q.strip().lower()
    rows = []
    for m in wf.list_messages(store, status or None):
        site = _site_of(m, sites)
        if not may_see_message(user, site):
            continue
        if region and (site is None or (site.region or "") != region):
            continue
        if needle and not any(
            needle in (v or "").lower()
            for v in (m.number, m.description, m.url, m.unit, site.name if site else "")
        ):
            continue
        row = row_of(m, site, days, today)
        if overdue_only and not row.overdue:
            continue
        rows.append(row)
    return sorted(
        rows, key=lambda r: (not r.overdue, not r.message.is_open, r.deadline.date, r.message.number)
    )


def message_for(store: Store, user: accounts.User, number: str, settings: Settings) -> InboxRow:
    """The message when this user may see it; MessageNotFound otherwise (the same for both cases)."""
    message = msg_service.get_message(store, number) if 0 < len(number) <= 64 else None
    site = None
    if message is not None:
        site = _site_of(message, _sites(store))
    if message is None or not may_see_message(user, site):
        raise MessageNotFound(f"留言不存在或无权查看（编号 {number[:64]}）")
    return row_of(message, site, working_days(settings), dt.date.today())


def allowed_steps(user: accounts.User, message: jiucuo.Message) -> tuple[str, ...]:
    """The statuses this user may move the message to."""
    if user.role in (accounts.ADMIN, accounts.SUPERVISOR):
        return jiucuo.TRANSITIONS[message.status]
    if user.role == accounts.OPERATOR:
        return OPERATOR_STEPS.get(message.status, ())
    return ()


def change(
    store: Store,
    user: accounts.User,
    number: str,
    to: str,
    settings: Settings,
    *,
    result: str = "",
    reason: str = "",
    duplicate_of: str = "",
    site: str = "",
    note: str = "",
    when: dt.datetime | None = None,
) -> jiucuo.Message:
    """One status change by this user (checked against their role), kept in the audit log.
    MessageNotFound, StepForbidden, or WorkflowError (the lifecycle refuses it)."""
    row = message_for(store, user, number, settings)
    message = row.message
    if to not in allowed_steps(user, message):
        if to in jiucuo.TRANSITIONS.get(message.status, ()):
            raise StepForbidden(f"当前账号不能把留言{number}变为“{to}”")
        allowed = "、".join(allowed_steps(user, message)) or "无"
        raise wf.WorkflowError(f"留言{number}：不能从“{message.status}”变为“{to}”；可变为：{allowed}")
    if site:
        if user.role == accounts.OPERATOR:
            raise StepForbidden("网站主办单位不能改派留言")
        target = msg_service.find_site(store, site)
        if target is None:
            raise wf.WorkflowError(f"名录中没有网站 {site}")
        try:
            site_for(store, user, target.id)  # a supervisor routes only to a site of their regions
        except SiteNotFound:
            raise wf.WorkflowError(f"无权把留言转办到网站 {site}") from None
    if duplicate_of and msg_service.get_message(store, duplicate_of) is None:
        raise wf.WorkflowError(f"原留言{duplicate_of}不存在")
    changed = wf.change_message(
        store,
        number,
        to,
        who=user.username,
        when=when or dt.datetime.now().replace(microsecond=0),
        result=result,
        reason=reason,
        duplicate_of=duplicate_of,
        site=site,
        note=note,
    )
    with store.unit_of_work("记录操作日志") as uow:
        detail = {"from": message.status, "to": to}
        accounts.audit(uow, user.username, "找错留言办理", number, detail)
    return changed
