"""Repositories of the supervision workflow, on the same unit of work as sites and inspections.

    with store.unit_of_work() as uow:
        uow.run_sites.add(run_id, [site_ids ...])         # who a 抽查 drew, and what is still to do
        task_id = uow.rectify.add(task, site_id, run_id)   # 整改任务 (workflow.rectify.RectifyTask)
        uow.jiucuo.add(message)                            # 找错 message (workflow.jiucuo.Message)
        uow.accountability.add(record, site_id, run_id, by)
        uow.annual.set(year, "supervision", None, key, value, by)

The domain objects stay pure (workflow/); these classes only turn them into rows and back. History
is append-only: task events, message changes and hand-entered annual values are never updated or
deleted, only added; `save` appends the events a domain object gained since it was loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govinspect.store.models import (
    AccountabilityRecord,
    AnnualValueRecord,
    InspectionRecord,
    JiucuoChangeRecord,
    JiucuoMessageRecord,
    RectifyEventRecord,
    RectifyTaskRecord,
    RunRecord,
    RunSiteRecord,
)
from govinspect.workflow.accountability import Record
from govinspect.workflow.calendar import Deadline
from govinspect.workflow.jiucuo import Change, Message
from govinspect.workflow.rectify import Event, Note, Recheck, RectifyTask
from govinspect.workflow.results import Finding

PENDING, DONE = "pending", "done"


def _input_error(message: str) -> Exception:
    from govinspect.store.repositories import InputError

    return InputError(message)


# --- run membership ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSiteRow:
    site_id: int
    position: int
    state: str  # pending | done
    inspection_id: int | None


class RunSiteRepository:
    """Which sites a run drew, in draw order, and which of them have a stored inspection."""

    def __init__(self, session: Session):
        self.session = session

    def add(self, run_id: int, site_ids: list[int]) -> None:
        for position, site_id in enumerate(site_ids):
            self.session.add(RunSiteRecord(run_id=run_id, site_id=site_id, position=position, state=PENDING))
        self.session.flush()

    def list(self, run_id: int) -> list[RunSiteRow]:
        rows = self.session.scalars(
            select(RunSiteRecord).where(RunSiteRecord.run_id == run_id).order_by(RunSiteRecord.position)
        )
        return [RunSiteRow(r.site_id, r.position, r.state, r.inspection_id) for r in rows]

    def mark_done(self, run_id: int, site_id: int, inspection_id: int) -> None:
        rec = self.session.scalar(
            select(RunSiteRecord).where(RunSiteRecord.run_id == run_id, RunSiteRecord.site_id == site_id)
        )
        if rec is not None:
            rec.state, rec.inspection_id = DONE, inspection_id

    def reconcile(self, run_id: int) -> int:
        """Mark done the pending members whose inspection was saved before an interruption
        (saved, but the process stopped before it noted so); returns how many."""
        fixed = 0
        for rec in self.session.scalars(
            select(RunSiteRecord).where(RunSiteRecord.run_id == run_id, RunSiteRecord.state == PENDING)
        ):
            newest = self.session.scalar(
                select(func.max(InspectionRecord.id)).where(
                    InspectionRecord.run_id == run_id, InspectionRecord.site_id == rec.site_id
                )
            )
            if newest is not None:
                rec.state, rec.inspection_id = DONE, newest
                fixed += 1
        return fixed

    def runs(self, kind: str) -> list[int]:
        """Ids of the runs of this kind (store.RUN_KINDS), oldest first."""
        return list(
            self.session.scalars(select(RunRecord.id).where(RunRecord.kind == kind).order_by(RunRecord.id))
        )


# --- 整改 -------------------------------------------------------------------------------------------


def _time(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _finding_data(f: Finding) -> dict[str, Any]:
    return asdict(f)


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(**data)


def _note_data(n: Note) -> dict[str, Any]:
    return {
        **asdict(n),
        "submitted": n.submitted.isoformat(),
        "decided_at": n.decided_at.isoformat() if n.decided_at else None,
        "finding_keys": list(n.finding_keys),
    }


def _note(data: dict[str, Any]) -> Note:
    return Note(
        **{
            **data,
            "submitted": _time(data["submitted"]),
            "decided_at": _time(data.get("decided_at")),
            "finding_keys": tuple(data.get("finding_keys") or ()),
        }
    )


def _recheck_data(r: Recheck) -> dict[str, Any]:
    return {
        "when": r.when.isoformat(),
        "verdict": r.verdict,
        **{
            name: [_finding_data(f) for f in getattr(r, name)]
            for name in ("fixed", "not_fixed", "new", "waived")
        },
    }


def _recheck(data: dict[str, Any]) -> Recheck:
    return Recheck(
        when=_time(data["when"]) or dt.datetime.min,
        verdict=data["verdict"],
        **{
            name: tuple(_finding(f) for f in data.get(name, ()))
            for name in ("fixed", "not_fixed", "new", "waived")
        },
    )


@dataclass(frozen=True)
class TaskRow:
    id: int
    site_id: int
    run_id: int | None
    inspection_id: int | None
    task: RectifyTask


class RectifyRepository:
    def __init__(self, session: Session):
        self.session = session

    def _record(self, task_id: int) -> RectifyTaskRecord:
        from govinspect.store.repositories import NotFoundError

        rec = self.session.get(RectifyTaskRecord, task_id)
        if rec is None:
            raise NotFoundError(f"整改任务不存在（编号 {task_id}）")
        return rec

    def add(
        self, task: RectifyTask, site_id: int, run_id: int | None, inspection_id: int | None = None
    ) -> int:
        rec = RectifyTaskRecord(
            site_id=site_id,
            run_id=run_id,
            inspection_id=inspection_id,
            opened=task.opened,
            deadline=task.deadline.date,
            deadline_estimated=task.deadline.estimated,
            status=task.status,
            findings=[_finding_data(f) for f in task.findings],
            notes=[_note_data(n) for n in task.notes],
            rechecks=[_recheck_data(r) for r in task.rechecks],
        )
        self.session.add(rec)
        self.session.flush()
        self._append_events(rec.id, task.history)
        return rec.id

    def _append_events(self, task_id: int, events: tuple[Event, ...]) -> None:
        for e in events:
            self.session.add(
                RectifyEventRecord(task_id=task_id, at=e.when, who=e.who, action=e.action, detail=e.detail)
            )
        self.session.flush()

    def _events(self, task_id: int) -> tuple[Event, ...]:
        rows = self.session.scalars(
            select(RectifyEventRecord)
            .where(RectifyEventRecord.task_id == task_id)
            .order_by(RectifyEventRecord.id)
        )
        return tuple(Event(r.at, r.who, r.action, r.detail) for r in rows)

    def _row(self, rec: RectifyTaskRecord, names: dict[int, str]) -> TaskRow:
        task = RectifyTask(
            site_id=str(rec.site_id),
            name=names.get(rec.site_id, ""),
            run_id=str(rec.run_id or ""),
            opened=rec.opened,
            deadline=Deadline(rec.deadline, rec.deadline_estimated),
            findings=tuple(_finding(f) for f in rec.findings),
            status=rec.status,
            notes=tuple(_note(n) for n in rec.notes),
            rechecks=tuple(_recheck(r) for r in rec.rechecks),
            history=self._events(rec.id),
        )
        return TaskRow(rec.id, rec.site_id, rec.run_id, rec.inspection_id, task)

    def _names(self) -> dict[int, str]:
        from govinspect.store.models import SiteRecord

        return {
            site_id: name for site_id, name in self.session.execute(select(SiteRecord.id, SiteRecord.name))
        }

    def get(self, task_id: int) -> TaskRow:
        return self._row(self._record(task_id), self._names())

    def list(self, run_id: int | None = None, site_id: int | None = None) -> list[TaskRow]:
        query = select(RectifyTaskRecord).order_by(RectifyTaskRecord.id)
        if run_id is not None:
            query = query.where(RectifyTaskRecord.run_id == run_id)
        if site_id is not None:
            query = query.where(RectifyTaskRecord.site_id == site_id)
        names = self._names()
        return [self._row(r, names) for r in self.session.scalars(query)]

    def save(self, task_id: int, task: RectifyTask) -> None:
        """Store the task's new state and append the events it gained since it was loaded."""
        rec = self._record(task_id)
        known = len(self._events(task_id))
        if task.history[:known] != self._events(task_id):
            raise _input_error(f"整改任务 {task_id} 的历史记录不能改写")
        rec.status = task.status
        rec.notes = [_note_data(n) for n in task.notes]
        rec.rechecks = [_recheck_data(r) for r in task.rechecks]
        self._append_events(task_id, task.history[known:])


# --- 找错 -------------------------------------------------------------------------------------------


class JiucuoRepository:
    def __init__(self, session: Session):
        self.session = session

    def _by_number(self, number: str) -> JiucuoMessageRecord | None:
        return self.session.scalar(select(JiucuoMessageRecord).where(JiucuoMessageRecord.number == number))

    def numbers(self) -> set[str]:
        return set(self.session.scalars(select(JiucuoMessageRecord.number)))

    def add(self, message: Message) -> int:
        if self._by_number(message.number) is not None:
            raise _input_error(f"留言编号{message.number}已存在")
        rec = JiucuoMessageRecord(number=message.number, created_at=dt.datetime.now().replace(microsecond=0))
        self.session.add(rec)
        self._fill(rec, message)
        self.session.flush()
        self._append_changes(rec.id, message.history)
        return rec.id

    def _fill(self, rec: JiucuoMessageRecord, m: Message) -> None:
        rec.submitted = m.submitted
        rec.site_code = m.site_code
        rec.problem_type = m.problem_type
        rec.url = m.url
        rec.description = m.description
        rec.unit = m.unit
        rec.site_id = int(m.site_id) if m.site_id else None
        rec.status = m.status
        rec.result = m.result
        rec.reject_reason = m.reject_reason
        rec.duplicate_of = m.duplicate_of
        rec.closed_at = m.closed_at

    def _append_changes(self, message_id: int, changes: tuple[Change, ...]) -> None:
        for c in changes:
            self.session.add(
                JiucuoChangeRecord(
                    message_id=message_id,
                    at=c.when,
                    who=c.who,
                    from_status=c.from_status,
                    to_status=c.to_status,
                    note=c.note,
                )
            )
        self.session.flush()

    def _changes(self, message_id: int) -> tuple[Change, ...]:
        rows = self.session.scalars(
            select(JiucuoChangeRecord)
            .where(JiucuoChangeRecord.message_id == message_id)
            .order_by(JiucuoChangeRecord.id)
        )
        return tuple(Change(r.at, r.who, r.from_status, r.to_status, r.note) for r in rows)

    def _message(self, rec: JiucuoMessageRecord, history: tuple[Change, ...] | None = None) -> Message:
        return Message(
            number=rec.number,
            submitted=rec.submitted,
            site_code=rec.site_code,
            problem_type=rec.problem_type,
            url=rec.url,
            description=rec.description,
            unit=rec.unit,
            site_id=str(rec.site_id) if rec.site_id else "",
            status=rec.status,
            result=rec.result,
            reject_reason=rec.reject_reason,
            duplicate_of=rec.duplicate_of,
            closed_at=rec.closed_at,
            history=self._changes(rec.id) if history is None else history,
        )

    def get(self, number: str) -> Message | None:
        rec = self._by_number(number)
        return self._message(rec) if rec else None

    def list(self, status: str | None = None) -> list[Message]:
        query = select(JiucuoMessageRecord).order_by(
            JiucuoMessageRecord.submitted, JiucuoMessageRecord.number
        )
        if status is not None:
            query = query.where(JiucuoMessageRecord.status == status)
        records = list(self.session.scalars(query))
        # Every message's history in one query (not one per message).
        changes: dict[int, list[Change]] = {r.id: [] for r in records}
        history = select(JiucuoChangeRecord).order_by(JiucuoChangeRecord.id)
        if status is not None:
            history = history.join(JiucuoMessageRecord).where(JiucuoMessageRecord.status == status)
        for c in self.session.scalars(history) if records else ():
            changes[c.message_id].append(Change(c.at, c.who, c.from_status, c.to_status, c.note))
        return [self._message(r, tuple(changes[r.id])) for r in records]

    def save(self, message: Message) -> None:
        """Store the message's new state and append the changes it gained since it was loaded."""
        rec = self._by_number(message.number)
        if rec is None:
            raise _input_error(f"没有编号为{message.number}的留言")
        known = self._changes(rec.id)
        if message.history[: len(known)] != known:
            raise _input_error(f"留言{message.number}的办理记录不能改写")
        self._fill(rec, message)
        self._append_changes(rec.id, message.history[len(known) :])


# --- 问责 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountabilityRow:
    id: int
    record: Record
    recorded_by: str
    recorded_at: dt.datetime


class AccountabilityRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, record: Record, by: str) -> int:
        rec = AccountabilityRecord(
            site_id=int(record.site_id) if record.site_id else None,
            run_id=int(record.run_id) if record.run_id else None,
            person=record.person,
            unit=record.unit,
            form=record.form,
            date=record.date,
            reason=record.reason,
            recorded_by=by,
            recorded_at=dt.datetime.now().replace(microsecond=0),
        )
        self.session.add(rec)
        self.session.flush()
        return rec.id

    def list(self, year: int | None = None) -> list[AccountabilityRow]:
        query = select(AccountabilityRecord).order_by(AccountabilityRecord.date, AccountabilityRecord.id)
        if year is not None:
            query = query.where(
                AccountabilityRecord.date >= dt.date(year, 1, 1),
                AccountabilityRecord.date <= dt.date(year, 12, 31),
            )
        return [
            AccountabilityRow(
                r.id,
                Record(
                    person=r.person,
                    unit=r.unit,
                    form=r.form,
                    date=r.date,
                    reason=r.reason,
                    site_id=str(r.site_id or ""),
                    run_id=str(r.run_id or ""),
                ),
                r.recorded_by,
                r.recorded_at,
            )
            for r in self.session.scalars(query)
        ]


# --- hand-entered annual-report values ----------------------------------------------------------------


class AnnualValueRepository:
    def __init__(self, session: Session):
        self.session = session

    def set(self, year: int, kind: str, site_id: int | None, key: str, value: str, by: str) -> None:
        self.session.add(
            AnnualValueRecord(
                year=year,
                kind=kind,
                site_id=site_id,
                key=key,
                value=value,
                entered_by=by,
                entered_at=dt.datetime.now().replace(microsecond=0),
            )
        )
        self.session.flush()

    def values(self, year: int, kind: str, site_id: int | None) -> dict[str, str]:
        """The newest value of each key (earlier ones stay in the table as history)."""
        query = select(AnnualValueRecord).where(
            AnnualValueRecord.year == year, AnnualValueRecord.kind == kind
        )
        query = query.where(
            AnnualValueRecord.site_id.is_(None) if site_id is None else AnnualValueRecord.site_id == site_id
        )
        out: dict[str, str] = {}
        for rec in self.session.scalars(query.order_by(AnnualValueRecord.id)):
            out[rec.key] = rec.value
        return out
