"""Who may see and do what in the 抽查, 整改, 问责 and 年度报表 pages and their API.

The same rule as the sites (web/access.py): a run or task of sites a user may not see is "not
found". A supervisor sees the part of a run that lies in their regions (its statistics and 通报
are computed over that part), an operator the tasks of their own sites.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import HTTPException

from govinspect.service import workflow as wf
from govinspect.store import Store
from govinspect.store.repositories import NotFoundError, RunRow
from govinspect.store.workflow import TaskRow
from govinspect.web.access import SiteNotFound, visible_sites
from govinspect.web.accounts import ADMIN, OPERATOR, SUPERVISOR, User
from govinspect.workflow.calendar import working_days_between
from govinspect.workflow.rectify import OPEN_STATUSES

TASK_STATES = ("整改中", "整改不到位", "已整改", "说明已采纳")


def visible_ids(store: Store, user: User) -> frozenset[int] | None:
    """Ids of the sites this user may see; None for everyone (管理员, 只读)."""
    if user.role not in (SUPERVISOR, OPERATOR):
        return None
    return frozenset(s.id for s in visible_sites(store, user))


def may_supervise(user: User) -> bool:
    """Draw runs, open and re-check tasks, decide 说明, record 问责, fill the 监管年度报表."""
    return user.role in (ADMIN, SUPERVISOR)


def require_supervisor(user: User) -> None:
    """403 (page and API) unless the user may supervise."""
    if not may_supervise(user):
        raise HTTPException(403, "只有管理员和监管人员可以进行此操作")


def run_for(
    store: Store, user: User, run_id: int
) -> tuple[RunRow, dict[int, int | None], frozenset[int] | None]:
    """(run, its visible sites → inspection id, the user's visible ids) or SiteNotFound."""
    try:
        run, members = wf.run_members(store, run_id)
    except wf.WorkflowError:
        raise SiteNotFound(f"抽查批次不存在或无权查看（编号 {run_id}）") from None
    ids = visible_ids(store, user)
    if ids is not None:
        members = {k: v for k, v in members.items() if k in ids}
        if not members:
            raise SiteNotFound(f"抽查批次不存在或无权查看（编号 {run_id}）")
    return run, members, ids


def tasks_for(
    store: Store, user: User, run_id: int | None = None, status: str | None = None
) -> list[TaskRow]:
    ids = visible_ids(store, user)
    return [r for r in wf.list_rectify(store, run_id, status or None) if ids is None or r.site_id in ids]


def task_for(store: Store, user: User, task_id: int) -> TaskRow:
    missing = SiteNotFound(f"整改任务不存在或无权查看（编号 {task_id}）")
    if not 0 < task_id < 2**62:
        raise missing
    try:
        with store.unit_of_work() as uow:
            row = uow.rectify.get(task_id)
    except NotFoundError:
        raise missing from None
    ids = visible_ids(store, user)
    if ids is not None and row.site_id not in ids:
        raise missing
    return row


def may_answer(user: User, row: TaskRow, ids: frozenset[int] | None) -> bool:
    """Only the operator of the task's site submits its 说明."""
    return user.role == OPERATOR and ids is not None and row.site_id in ids


@dataclass(frozen=True)
class Due:
    """Where a task stands against its working-day deadline today."""

    overdue: bool
    working_days_left: int  # negative: working days past the deadline
    estimated: bool

    def label(self) -> str:
        mark = "（估算）" if self.estimated else ""
        if self.working_days_left < 0:
            return f"超期{-self.working_days_left}个工作日{mark}"
        return f"剩余{self.working_days_left}个工作日{mark}"


def due_of(row: TaskRow, today: dt.date | None = None) -> Due | None:
    """None once the task is closed."""
    if row.task.status not in OPEN_STATUSES:
        return None
    today = today or dt.date.today()
    span = working_days_between(today, row.task.deadline.date)
    return Due(today > row.task.deadline.date, span.days, span.estimated or row.task.deadline.estimated)
