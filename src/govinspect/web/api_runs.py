"""REST API of 抽查 runs and 整改 tasks, with the same tokens, role rules and service functions as
the pages (web/pages_runs.py, web/pages_rectify.py): a run or task of sites a user may not see is 404."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from govinspect.service import workflow as wf
from govinspect.store.workflow import TaskRow
from govinspect.web import accounts
from govinspect.web.api import ApiUser, _aware
from govinspect.web.pages import DOWNLOAD_TYPES, _audit
from govinspect.web.pages_rectify import answer_task, decide_task
from govinspect.web.pages_runs import (
    DrawError,
    _site_rows,
    bulletin_response,
    create_run,
    draw_parameters,
    open_run_rectify,
)
from govinspect.web.work_jobs import start_recheck_job, start_run_job, work_jobs
from govinspect.web.workflow_access import (
    due_of,
    require_supervisor,
    run_for,
    task_for,
    tasks_for,
    visible_ids,
)

RunId = Annotated[int, Path(ge=1, le=2**62)]
TaskId = Annotated[int, Path(ge=1, le=2**62)]
router = APIRouter(
    prefix="/api",
    tags=["抽查与整改"],
    responses={
        401: {"description": "未提供或无效的访问令牌"},
        403: {"description": "当前角色无权进行此操作"},
        404: {"description": "不存在或无权查看"},
    },
)
BAD_REQUEST = {400: {"description": "请求无法执行（原因见 detail）"}}


class RunOut(BaseModel):
    id: int
    label: str
    as_of: dt.date
    status: str
    started_by: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    seed: str
    sites: int
    done: int
    passed: int
    failed: int


class RunSite(BaseModel):
    site_id: int
    name: str
    url: str
    region: str
    verdict: str  # pass | fail | error | pending
    score: float | None
    vetoes: list[str]
    inspection_id: int | None


class WorkJobOut(BaseModel):
    key: str
    state: str  # idle | running | done | failed
    state_label: str | None = None
    started_by: str | None = None
    started_at: str | None = None
    total: int = 0
    done: int = 0
    message: str = ""


class PlatformRate(BaseModel):
    """政务新媒体 checked in the run's month, one platform (the 通报's 附件4)."""

    platform: str
    checked: int  # 合格 + 不合格
    passed: int
    failed: int
    unverified: int  # 待人工核实: not in the rate
    pass_rate: str  # "95.60%" or "—"


class RunDetail(RunOut):
    pass_rate: str  # "96.67%" or "—"
    change_pp: float | None  # 环比, percentage points
    results: list[RunSite]
    job: WorkJobOut | None
    newmedia: list[PlatformRate] = []  # empty when no account was checked in the run's month


class RunCreate(BaseModel):
    ratio: str | None = Field(None, max_length=20, description="抽查比例，如 0.3（与 count 二选一）")
    count: int | None = Field(None, ge=1, le=1_000_000, description="抽查数量（与 ratio 二选一）")
    by: list[Literal["level", "region", "kind"]] = Field(["level", "region"], max_length=3)
    min_per_group: int = Field(0, ge=0, le=100_000)
    seed: str = Field(min_length=1, max_length=64)
    as_of: dt.date | None = None
    label: str = Field(wf.DEFAULT_LABEL, max_length=32)


class TaskFinding(BaseModel):
    key: str
    check: str
    severity: str
    points: float
    message: str
    url: str


class NoteOut(BaseModel):
    number: int
    text: str
    by: str
    submitted: dt.datetime
    finding_keys: list[str]
    decision: str
    decided_by: str
    decided_at: dt.datetime | None
    reason: str


class TaskOut(BaseModel):
    id: int
    site_id: int
    site_name: str
    run_id: int | None
    opened: dt.date
    deadline: dt.date
    deadline_estimated: bool
    status: str
    overdue: bool
    working_days_left: int | None
    findings: list[TaskFinding]
    notes: list[NoteOut]
    rechecks: int


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000)
    finding_keys: list[str] = Field([], max_length=200)


class DecisionIn(BaseModel):
    accepted: bool
    reason: str = Field("", max_length=4000)


def _run_out(summary: wf.RunSummary) -> dict:
    run = summary.run
    return {
        "id": run.id,
        "label": summary.label,
        "as_of": summary.as_of,
        "status": run.status,
        "started_by": run.started_by,
        "started_at": _aware(run.started_at),
        "finished_at": _aware(run.finished_at),
        "seed": str(run.parameters.get("seed", "")),
        "sites": summary.sites,
        "done": summary.done,
        "passed": summary.passed,
        "failed": summary.failed,
    }


def _task_out(row: TaskRow) -> TaskOut:
    t, due = row.task, due_of(row)
    return TaskOut(
        id=row.id,
        site_id=row.site_id,
        site_name=t.name,
        run_id=row.run_id,
        opened=t.opened,
        deadline=t.deadline.date,
        deadline_estimated=t.deadline.estimated,
        status=t.status,
        overdue=bool(due and due.overdue),
        working_days_left=due.working_days_left if due else None,
        findings=[TaskFinding(**vars(f)) for f in t.findings],
        notes=[
            NoteOut(
                number=n.number,
                text=n.text,
                by=n.by,
                submitted=_aware(n.submitted),
                finding_keys=list(n.finding_keys),
                decision=n.decision,
                decided_by=n.decided_by,
                decided_at=_aware(n.decided_at),
                reason=n.reason,
            )
            for n in t.notes
        ],
        rechecks=len(t.rechecks),
    )


def _bad(exc: Exception) -> HTTPException:
    return HTTPException(400, str(exc))


@router.get("/runs", response_model=list[RunOut], summary="抽查批次（新的在前；只计我可以查看的网站）")
def list_runs(request: Request, user: ApiUser) -> list[RunOut]:
    store = request.app.state.store
    return [RunOut(**_run_out(s)) for s in wf.run_summaries(store, visible_ids(store, user))]


def _detail(request: Request, user: accounts.User, run_id: int) -> RunDetail:
    store = request.app.state.store
    _run, members, ids = run_for(store, user, run_id)
    summary = next(s for s in wf.run_summaries(store, ids) if s.run.id == run_id)
    stats = wf.run_results(store, run_id, ids)
    job = work_jobs(request).get(f"run:{run_id}")
    return RunDetail(
        **_run_out(summary),
        pass_rate=stats.overall.label(),
        change_pp=float(stats.change_pp) if stats.change_pp is not None else None,
        results=[RunSite(**r) for r in _site_rows(stats, members)],
        job=WorkJobOut(**job.as_dict()) if job else None,
        newmedia=[
            PlatformRate(
                platform=name,
                checked=r.checked,
                passed=r.passed,
                failed=r.failed,
                unverified=r.unchecked,
                pass_rate=r.label(),
            )
            for name, r in (stats.newmedia.by_platform.items() if stats.newmedia else ())
        ],
    )


@router.post(
    "/runs",
    response_model=RunDetail,
    status_code=202,
    responses=BAD_REQUEST,
    summary="新建抽查批次并在后台检查（管理员、监管人员；监管人员只抽取本地区网站）",
)
async def create_run_api(request: Request, body: RunCreate, user: ApiUser) -> RunDetail:
    require_supervisor(user)
    try:
        parameters = draw_parameters(
            user,
            request.app.state.jobs.settings.rubric,
            ratio=body.ratio or "",
            count=str(body.count or ""),
            by=list(body.by),
            min_per_group=str(body.min_per_group),
            seed=body.seed,
            as_of=body.as_of.isoformat() if body.as_of else "",
            label=body.label,
        )
        drawn = await asyncio.to_thread(create_run, request, user, parameters)
    except (DrawError, wf.WorkflowError) as exc:
        raise _bad(exc) from None
    start_run_job(request, drawn.run_id, drawn.sites, drawn.done, user.username)
    return await asyncio.to_thread(_detail, request, user, drawn.run_id)


@router.get("/runs/{run_id}", response_model=RunDetail, summary="抽查批次及其结果")
def get_run(request: Request, run_id: RunId, user: ApiUser) -> RunDetail:
    return _detail(request, user, run_id)


@router.get("/runs/{run_id}/progress", response_model=WorkJobOut, summary="抽查批次的检查进度")
def run_progress(request: Request, run_id: RunId, user: ApiUser) -> WorkJobOut:
    _run, members, _ids = run_for(request.app.state.store, user, run_id)
    job = work_jobs(request).get(f"run:{run_id}")
    if job is None:
        done = sum(1 for v in members.values() if v is not None)
        return WorkJobOut(key=f"run:{run_id}", state="idle", total=len(members), done=done)
    return WorkJobOut(**job.as_dict())


@router.get(
    "/runs/{run_id}/bulletin.{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "通报（Word 或 Excel 附件）",
            "content": {
                DOWNLOAD_TYPES[f]: {"schema": {"type": "string", "format": "binary"}}
                for f in ("docx", "xlsx")
            },
        }
    },
    summary="下载通报（管理员、监管人员、只读；监管人员只含本地区网站）",
)
def download_bulletin(
    request: Request, run_id: RunId, fmt: Literal["docx", "xlsx"], user: ApiUser
) -> Response:
    return bulletin_response(request, user, run_id, fmt)


@router.post(
    "/runs/{run_id}/rectify",
    response_model=list[TaskOut],
    status_code=201,
    summary="向本批次不合格网站下发整改任务（已有任务的网站不重复下发；返回新下发的任务）",
)
async def open_tasks(request: Request, run_id: RunId, user: ApiUser) -> list[TaskOut]:
    rows = await asyncio.to_thread(open_run_rectify, request, user, run_id, "（API）")
    return [_task_out(r) for r in rows]


class TaskQuery(BaseModel):
    model_config = {"extra": "forbid"}

    run_id: int | None = Field(None, ge=1, le=2**62, description="抽查批次编号")
    status: Literal["整改中", "整改不到位", "已整改", "说明已采纳"] | None = None


@router.get("/rectify", response_model=list[TaskOut], summary="整改任务（我可以查看的网站）")
def list_tasks(request: Request, user: ApiUser, query: Annotated[TaskQuery, Query()]) -> list[TaskOut]:
    return [_task_out(r) for r in tasks_for(request.app.state.store, user, query.run_id, query.status)]


@router.get("/rectify/{task_id}", response_model=TaskOut, summary="一个整改任务")
def get_task(request: Request, task_id: TaskId, user: ApiUser) -> TaskOut:
    return _task_out(task_for(request.app.state.store, user, task_id))


@router.post(
    "/rectify/{task_id}/notes",
    response_model=TaskOut,
    status_code=201,
    responses=BAD_REQUEST,
    summary="提交整改说明（该网站的主办单位）",
)
def answer(request: Request, task_id: TaskId, body: NoteIn, user: ApiUser) -> TaskOut:
    store = request.app.state.store
    row = task_for(store, user, task_id)
    try:
        return _task_out(answer_task(store, user, row, body.text, body.finding_keys))
    except wf.WorkflowError as exc:
        raise _bad(exc) from None


@router.post(
    "/rectify/{task_id}/notes/{number}/decision",
    response_model=TaskOut,
    responses=BAD_REQUEST,
    summary="审核整改说明：采纳或不采纳（管理员、监管人员）",
)
def decide(
    request: Request,
    task_id: TaskId,
    number: Annotated[int, Path(ge=1, le=10_000)],
    body: DecisionIn,
    user: ApiUser,
) -> TaskOut:
    store = request.app.state.store
    row = task_for(store, user, task_id)
    try:
        return _task_out(decide_task(store, user, row, number, body.accepted, body.reason))
    except wf.WorkflowError as exc:
        raise _bad(exc) from None


@router.post(
    "/rectify/{task_id}/recheck",
    response_model=WorkJobOut,
    status_code=202,
    responses=BAD_REQUEST,
    summary="复查（后台进行；管理员、监管人员）",
)
async def recheck(request: Request, task_id: TaskId, user: ApiUser) -> WorkJobOut:
    store = request.app.state.store
    row = await asyncio.to_thread(task_for, store, user, task_id)
    require_supervisor(user)
    if not row.task.is_open:
        raise HTTPException(400, f"整改任务已结束（{row.task.status}），不能复查")
    job, started = start_recheck_job(request, [row.id], user.username)
    if started:
        await asyncio.to_thread(
            _audit, store, user, "复查整改任务（API）", f"整改任务 {row.id}", {"site": row.task.name}
        )
    return WorkJobOut(**job.as_dict())
