"""整改 board: tasks by state and working-day deadline (overdue highlighted), one task's page with
its problems, 说明 and 复查; the operator of the site answers, a supervisor decides and re-checks.
Every change is written to the audit log as well as to the task's own history."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse

from govinspect.service import workflow as wf
from govinspect.store.workflow import TaskRow
from govinspect.web import accounts
from govinspect.web.pages import _audit
from govinspect.web.security import check_csrf
from govinspect.web.templating import render, require_user
from govinspect.web.work_jobs import start_recheck_job, work_jobs
from govinspect.web.workflow_access import (
    TASK_STATES,
    due_of,
    may_answer,
    may_supervise,
    require_supervisor,
    task_for,
    tasks_for,
    visible_ids,
)
from govinspect.workflow.rectify import PENDING

router = APIRouter(include_in_schema=False)
CurrentUser = Annotated[accounts.User, Depends(require_user)]
MAX_NOTE_CHARS = 4000


def _store(request: Request):
    return request.app.state.store


def _card(row: TaskRow, today: dt.date) -> dict:
    due = due_of(row, today)
    return {
        "row": row,
        "due": due,
        "pending_notes": sum(n.decision == PENDING for n in row.task.notes),
    }


@router.get("/rectify")
def board(
    request: Request,
    user: CurrentUser,
    run: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    overdue: Annotated[str, Query(max_length=8)] = "",
):
    today = dt.date.today()
    cards = [_card(r, today) for r in tasks_for(_store(request), user, run)]
    if overdue:
        cards = [c for c in cards if c["due"] and c["due"].overdue]
    lanes = {
        state: sorted(
            (c for c in cards if c["row"].task.status == state),
            key=lambda c: (c["row"].task.deadline.date, c["row"].task.name),
        )
        for state in TASK_STATES
    }
    context = {
        "user": user,
        "nav": "rectify",
        "lanes": lanes,
        "run": run,
        "overdue": overdue,
        "late": sum(1 for c in cards if c["due"] and c["due"].overdue),
        "today": today,
        "can_supervise": may_supervise(user),
    }
    return render(request, "rectify.html", context)


def _task_context(request: Request, user: accounts.User, row: TaskRow, **extra) -> dict:
    store = _store(request)
    ids = visible_ids(store, user)
    job = work_jobs(request).get(f"recheck:{row.id}")
    titles = {f.key: f for f in row.task.findings}
    return {
        "user": user,
        "nav": "rectify",
        "row": row,
        "t": row.task,
        "due": due_of(row),
        "titles": titles,
        "job": job.as_dict() if job else None,
        "can_answer": may_answer(user, row, ids) and row.task.is_open,
        "can_supervise": may_supervise(user) and row.task.is_open,
        "error": "",
        "text": "",
        **extra,
    }


@router.get("/rectify/{task_id}")
def task_page(request: Request, task_id: int, user: CurrentUser):
    row = task_for(_store(request), user, task_id)
    return render(request, "rectify_task.html", _task_context(request, user, row))


@router.get("/rectify/{task_id}/status")
def task_status(request: Request, task_id: int, user: CurrentUser):
    row = task_for(_store(request), user, task_id)
    job = work_jobs(request).get(f"recheck:{row.id}")
    return JSONResponse(job.as_dict() if job else {"key": f"recheck:{row.id}", "state": "idle"})


def answer_task(store, user: accounts.User, row: TaskRow, text: str, keys: list[str]) -> TaskRow:
    """The operator's 说明 (the service checks the task is open and the keys are its problems)."""
    if not may_answer(user, row, visible_ids(store, user)):
        raise HTTPException(403, "只有该网站的主办单位可以提交整改说明")
    if len(text) > MAX_NOTE_CHARS:
        raise wf.WorkflowError(f"说明不能超过{MAX_NOTE_CHARS}个字")
    now = dt.datetime.now().replace(microsecond=0)
    saved = wf.note_rectify(store, row.id, text, by=user.username, when=now, finding_keys=keys)
    _audit(
        store,
        user,
        "提交整改说明",
        f"整改任务 {row.id}",
        {"site": row.task.name, "note": len(saved.task.notes)},
    )
    return saved


def decide_task(
    store, user: accounts.User, row: TaskRow, number: int, accepted: bool, reason: str
) -> TaskRow:
    require_supervisor(user)
    now = dt.datetime.now().replace(microsecond=0)
    saved = wf.decide_rectify(
        store, row.id, number, accepted=accepted, by=user.username, when=now, reason=reason[:MAX_NOTE_CHARS]
    )
    detail = {"note": number, "decision": "采纳" if accepted else "不采纳", "from": row.task.status}
    detail["to"] = saved.task.status
    _audit(store, user, "审核整改说明", f"整改任务 {row.id}", detail)
    return saved


@router.post("/rectify/{task_id}/notes")
async def task_answer(request: Request, task_id: int, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    store = _store(request)
    row = await asyncio.to_thread(task_for, store, user, task_id)
    text = str(form.get("text") or "")
    keys = [str(k) for k in form.getlist("finding")][:200]
    try:
        await asyncio.to_thread(answer_task, store, user, row, text, keys)
    except wf.WorkflowError as exc:
        context = _task_context(request, user, row, error=str(exc), text=text)
        return render(request, "rectify_task.html", context, status_code=400)
    return RedirectResponse(f"/rectify/{task_id}#notes", status_code=303)


@router.post("/rectify/{task_id}/notes/{number}/decision")
async def task_decide(request: Request, task_id: int, number: int, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    store = _store(request)
    row = await asyncio.to_thread(task_for, store, user, task_id)
    accepted = str(form.get("decision") or "") == "accept"
    try:
        await asyncio.to_thread(
            decide_task, store, user, row, number, accepted, str(form.get("reason") or "")
        )
    except wf.WorkflowError as exc:
        context = _task_context(request, user, row, error=str(exc))
        return render(request, "rectify_task.html", context, status_code=400)
    return RedirectResponse(f"/rectify/{task_id}#notes", status_code=303)


@router.post("/rectify/{task_id}/recheck")
async def task_recheck(request: Request, task_id: int, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    store = _store(request)
    row = await asyncio.to_thread(task_for, store, user, task_id)
    require_supervisor(user)
    if not row.task.is_open:
        context = _task_context(request, user, row, error=f"整改任务已结束（{row.task.status}），不能复查")
        return render(request, "rectify_task.html", context, status_code=400)
    _job, started = start_recheck_job(request, [row.id], user.username)
    if started:
        await asyncio.to_thread(
            _audit, store, user, "复查整改任务", f"整改任务 {row.id}", {"site": row.task.name}
        )
    return RedirectResponse(f"/rectify/{task_id}#progress", status_code=303)


MAX_BULK = 50


@router.post("/rectify/recheck")
async def bulk_recheck(request: Request, user: CurrentUser):
    """复查 of the tasks ticked on the board, as one background job."""
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    require_supervisor(user)
    store = _store(request)
    ids = sorted({int(v) for v in form.getlist("task") if str(v).isdigit()})[:MAX_BULK]
    rows = [await asyncio.to_thread(task_for, store, user, i) for i in ids]
    rows = [r for r in rows if r.task.is_open]
    if not rows:
        raise HTTPException(400, "请勾选尚未结束的整改任务")
    _job, started = start_recheck_job(request, [r.id for r in rows], user.username)
    if started:
        for r in rows:
            await asyncio.to_thread(
                _audit, store, user, "复查整改任务", f"整改任务 {r.id}", {"site": r.task.name}
            )
    return RedirectResponse(f"/rectify/{rows[0].id}#progress", status_code=303)
