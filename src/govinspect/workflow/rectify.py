"""整改 and 复查: one task per failing site, pure state transitions with a kept history.

A task opens on every failing site of a run with a deadline in working days (a rubric value). A 复查
compares the earlier findings with the new inspection by stable finding key: each earlier problem is
fixed or not fixed, anything else is new. 整改不到位 = an earlier problem is still there, or the site
still fails; such sites are flagged for the next bulletin. A site may send a 说明 (about the whole task
or some findings) that a person accepts or rejects: an accepted 说明 waives its findings at 复查 (a
whole-task 说明 closes the task). Functions return new tasks; nothing is ever removed from history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from govinspect.workflow.calendar import Deadline, WorkingCalendar, add_working_days
from govinspect.workflow.results import Finding, Run, SiteResult

OPEN, FIXED, INCOMPLETE, EXPLAINED = "整改中", "已整改", "整改不到位", "说明已采纳"
OPEN_STATUSES = (OPEN, INCOMPLETE)
PENDING, ACCEPTED, REJECTED = "待审核", "采纳", "不采纳"


class TransitionError(ValueError):
    """A change the task's state does not allow (message in Chinese)."""


@dataclass(frozen=True)
class Event:
    when: dt.datetime
    who: str
    action: str
    detail: str = ""


@dataclass(frozen=True)
class Note:
    """说明 from the site; `finding_keys` empty = about the whole task."""

    number: int
    text: str
    by: str
    submitted: dt.datetime
    finding_keys: tuple[str, ...] = ()
    decision: str = PENDING
    decided_by: str = ""
    decided_at: dt.datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class Recheck:
    when: dt.datetime
    verdict: str  # the re-inspection's verdict
    fixed: tuple[Finding, ...]
    not_fixed: tuple[Finding, ...]
    new: tuple[Finding, ...]
    waived: tuple[Finding, ...] = ()  # not fixed, but covered by an accepted 说明

    @property
    def incomplete(self) -> bool:
        """整改不到位."""
        return bool(self.not_fixed) or self.verdict == "fail"


@dataclass(frozen=True)
class RectifyTask:
    site_id: str
    name: str
    run_id: str
    opened: dt.date
    deadline: Deadline
    findings: tuple[Finding, ...]  # the problems to fix (veto and deduct findings of the run)
    status: str = OPEN
    notes: tuple[Note, ...] = ()
    rechecks: tuple[Recheck, ...] = ()
    history: tuple[Event, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def waived_keys(self) -> set[str]:
        return {k for n in self.notes if n.decision == ACCEPTED for k in n.finding_keys}


def _problems(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(f for f in findings if f.severity in ("veto", "deduct"))


def open_tasks(
    run: Run,
    *,
    opened: dt.date,
    working_days: int,
    who: str = "系统",
    calendar: WorkingCalendar | None = None,
) -> list[RectifyTask]:
    """A task for every failing site of the run, due `working_days` working days after `opened`."""
    deadline = add_working_days(opened, working_days, calendar)
    when = dt.datetime.combine(opened, dt.time())
    return [
        RectifyTask(
            r.site_id,
            r.name,
            run.id,
            opened,
            deadline,
            _problems(r.findings),
            history=(Event(when, who, "下发整改", f"整改期限：{deadline.label()}"),),
        )
        for r in run.results
        if r.verdict == "fail"
    ]


def compare(before: Sequence[Finding], after: SiteResult, waived: Iterable[str] = ()) -> Recheck:
    """Earlier findings against a re-inspection, by stable key (info findings are not problems)."""
    now = {f.key: f for f in _problems(after.findings)}
    earlier = _problems(before)
    waived = set(waived)
    earlier_keys = {f.key for f in earlier}
    return Recheck(
        when=dt.datetime.min,
        verdict=after.verdict,
        fixed=tuple(f for f in earlier if f.key not in now),
        not_fixed=tuple(now[f.key] for f in earlier if f.key in now and f.key not in waived),
        new=tuple(f for k, f in now.items() if k not in earlier_keys),
        waived=tuple(now[f.key] for f in earlier if f.key in now and f.key in waived),
    )


def _must_be_open(task: RectifyTask) -> None:
    if not task.is_open:
        raise TransitionError(f"“{task.name}”的整改任务已结束（{task.status}），不能再变更")


def record_recheck(task: RectifyTask, after: SiteResult, *, by: str, when: dt.datetime) -> RectifyTask:
    """File a 复查: 已整改 when nothing earlier remains and the site passes, else 整改不到位."""
    _must_be_open(task)
    if after.verdict not in ("pass", "fail"):
        event = Event(when, by, "复查未完成", "复查未能完成检查，任务状态不变")
        return replace(task, history=(*task.history, event))
    recheck = replace(compare(task.findings, after, task.waived_keys()), when=when)
    status = INCOMPLETE if recheck.incomplete else FIXED
    detail = f"已整改{len(recheck.fixed)}项，未整改{len(recheck.not_fixed)}项，新发现{len(recheck.new)}项"
    if recheck.waived:
        detail += f"，经说明不再要求{len(recheck.waived)}项"
    return replace(
        task,
        status=status,
        rechecks=(*task.rechecks, recheck),
        history=(*task.history, Event(when, by, f"复查：{status}", detail)),
    )


def submit_note(
    task: RectifyTask, text: str, *, by: str, when: dt.datetime, finding_keys: Iterable[str] = ()
) -> RectifyTask:
    _must_be_open(task)
    if not text.strip():
        raise TransitionError("说明内容不能为空")
    keys = tuple(finding_keys)
    unknown = [k for k in keys if k not in {f.key for f in task.findings}]
    if unknown:
        raise TransitionError(f"说明涉及的问题不在本整改任务中：{'、'.join(unknown)}")
    note = Note(len(task.notes) + 1, text, by, when, keys)
    scope = f"涉及{len(keys)}个问题" if keys else "涉及整个任务"
    return replace(
        task, notes=(*task.notes, note), history=(*task.history, Event(when, by, "提交说明", scope))
    )


def decide_note(
    task: RectifyTask, number: int, *, accepted: bool, by: str, when: dt.datetime, reason: str = ""
) -> RectifyTask:
    """Accept or reject 说明 `number`; a rejection needs a reason. Both stay in the history."""
    _must_be_open(task)
    notes = {n.number: n for n in task.notes}
    if number not in notes:
        raise TransitionError(f"没有第{number}条说明")
    note = notes[number]
    if note.decision != PENDING:
        raise TransitionError(f"第{number}条说明已审核（{note.decision}）")
    if not accepted and not reason.strip():
        raise TransitionError("不采纳说明须填写理由")
    decided = replace(
        note, decision=ACCEPTED if accepted else REJECTED, decided_by=by, decided_at=when, reason=reason
    )
    status = EXPLAINED if accepted and not note.finding_keys else task.status
    event = Event(when, by, f"说明{'采纳' if accepted else '不采纳'}", reason)
    return replace(
        task,
        status=status,
        notes=tuple(decided if n.number == number else n for n in task.notes),
        history=(*task.history, event),
    )


def overdue(tasks: Iterable[RectifyTask], today: dt.date) -> list[RectifyTask]:
    """Open tasks past their deadline, the longest overdue first."""
    late = [t for t in tasks if t.is_open and today > t.deadline.date]
    return sorted(late, key=lambda t: (t.deadline.date, t.name))


def flagged_for_bulletin(tasks: Iterable[RectifyTask]) -> list[RectifyTask]:
    """整改不到位: named again in the next bulletin."""
    return [t for t in tasks if t.status == INCOMPLETE]
