"""抽查与通报 pages: create a run, follow it live, its results, the 通报 (Word, Excel, web page).

A supervisor draws from the sites of their regions and sees the part of any run that lies there;
the statistics and the 通报 are computed over what the user may see. Operators see their own sites'
results and no 通报.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from govinspect.report.labels import check_label
from govinspect.service import workflow as wf
from govinspect.web import accounts
from govinspect.web.accounts import OPERATOR
from govinspect.web.pages import DOWNLOAD_TYPES, _audit
from govinspect.web.security import check_csrf
from govinspect.web.templating import render, require_user
from govinspect.web.work_jobs import start_run_job, work_jobs
from govinspect.web.workflow_access import may_supervise, require_supervisor, run_for, visible_ids
from govinspect.workflow import documents

router = APIRouter(include_in_schema=False)
CurrentUser = Annotated[accounts.User, Depends(require_user)]
STRATA = {"level": "层级", "region": "地区", "kind": "类型"}
RUN_STATUS = {"running": "进行中", "finished": "已完成"}


class DrawError(ValueError):
    """A create-run form that cannot be used (message in Chinese)."""


def _store(request: Request):
    return request.app.state.store


def share_text(text: str) -> str:
    """抽查比例 as the service takes it: "30%" and "0.3" are both 0.3; anything else is refused."""
    try:
        value = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise DrawError(f"抽查比例“{text}”无法识别，应为 0.3 或 30%")
    return str(value / 100 if text.endswith("%") else value)


def draw_parameters(
    user: accounts.User,
    rubric: str,
    *,
    ratio: str,
    count: str,
    by: list[str],
    min_per_group: str,
    seed: str,
    as_of: str,
    label: str,
) -> dict:
    """The service's draw parameters from form (or API) values; a supervisor's regions bound the pool."""
    ratio, count, seed, label = ratio.strip(), count.strip(), seed.strip(), label.strip()
    if user.role == accounts.SUPERVISOR and not user.regions:
        raise DrawError("当前账号没有设置负责的地区，不能抽查")
    if bool(ratio) == bool(count):
        raise DrawError("请填写抽查比例或抽查数量（二者选一）")
    if ratio:
        ratio = share_text(ratio)
    if count and not count.isdigit():
        raise DrawError("抽查数量应为正整数")
    if not seed:
        raise DrawError("请填写随机种子（同一种子、同一名录抽出同样的网站）")
    unknown = [b for b in by if b not in STRATA]
    if unknown:
        raise DrawError(f"未知的分层字段：{'、'.join(unknown)}")
    try:
        floor = int(min_per_group or 0)
        day = dt.date.fromisoformat(as_of) if as_of.strip() else dt.date.today()
    except ValueError:
        raise DrawError("每层最少数量应为整数，检查日期应为 YYYY-MM-DD") from None
    if floor < 0:
        raise DrawError("每层最少数量不能为负数")
    return wf.sample_parameters(
        ratio=ratio or None,
        count=int(count) if count else None,
        by=by,
        min_per_group=floor,
        seed=seed,
        as_of=day,
        label=label or wf.DEFAULT_LABEL,
        rubric=rubric,
        regions=user.regions if user.role == accounts.SUPERVISOR else (),
    )


def create_run(request: Request, user: accounts.User, parameters: dict) -> wf.SampleRun:
    """Draw (or resume) the run and log it; the caller starts inspecting it (start_run_job)."""
    store = _store(request)
    drawn = wf.draw_run(store, parameters, user.username)
    _audit(
        store,
        user,
        "继续抽查批次" if drawn.resumed else "创建抽查批次",
        f"抽查批次 {drawn.run_id}",
        {"sites": drawn.sites, "seed": parameters["seed"]},
    )
    return drawn


def _list_context(request: Request, user: accounts.User, **extra) -> dict:
    store = _store(request)
    return {
        "user": user,
        "nav": "runs",
        "runs": wf.run_summaries(store, visible_ids(store, user)),
        "status_labels": RUN_STATUS,
        "can_create": may_supervise(user),
        "strata": STRATA,
        "form": {
            "ratio": "",
            "count": "",
            "by": ["level", "region"],
            "min_per_group": "0",
            "seed": dt.date.today().strftime("%Y%m"),
            "as_of": dt.date.today().isoformat(),
            "label": wf.DEFAULT_LABEL,
        },
        "error": "",
        **extra,
    }


@router.get("/runs")
def runs_page(request: Request, user: CurrentUser):
    return render(request, "runs.html", _list_context(request, user))


@router.post("/runs")
async def runs_create(request: Request, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    require_supervisor(user)
    values = {
        k: str(form.get(k) or "")[:200] for k in ("ratio", "count", "min_per_group", "seed", "as_of", "label")
    }
    by = [str(b) for b in form.getlist("by")][:5]
    try:
        parameters = draw_parameters(user, request.app.state.jobs.settings.rubric, by=by, **values)
        drawn = await asyncio.to_thread(create_run, request, user, parameters)
    except (DrawError, wf.WorkflowError) as exc:
        context = await asyncio.to_thread(
            _list_context, request, user, error=str(exc), form={**values, "by": by}
        )
        return render(request, "runs.html", context, status_code=400)
    start_run_job(request, drawn.run_id, drawn.sites, drawn.done, user.username)
    return RedirectResponse(f"/runs/{drawn.run_id}#progress", status_code=303)


def _rubric(request: Request, run) -> str:
    return run.parameters.get("rubric") or request.app.state.jobs.settings.rubric


def _site_rows(stats, members: dict[int, int | None]) -> list[dict]:
    out = []
    for r in stats.run.results:
        out.append(
            {
                "site_id": int(r.site_id),
                "name": r.name,
                "url": r.url,
                "region": r.region,
                "verdict": r.verdict,
                "score": r.score,
                "vetoes": [check_label(v) for v in r.vetoes],
                "inspection_id": members.get(int(r.site_id)),
            }
        )
    order = {"fail": 0, "error": 1, "pending": 2, "pass": 3}
    return sorted(out, key=lambda s: (order.get(s["verdict"], 4), s["region"], s["name"]))


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: int, user: CurrentUser):
    store = _store(request)
    run, members, ids = run_for(store, user, run_id)
    stats = wf.run_results(store, run_id, ids)
    job = work_jobs(request).get(f"run:{run_id}")
    info = wf.bulletin_info(stats.run.as_of)
    tasks = [t for t in wf.list_rectify(store, run_id) if ids is None or t.site_id in ids]
    context = {
        "user": user,
        "nav": "runs",
        "run": run,
        "status_label": RUN_STATUS.get(run.status, run.status),
        "strata": STRATA,
        "stats": stats,
        "overview": documents.overview_paragraphs(stats, info),
        "rows": _site_rows(stats, members),
        "job": job.as_dict() if job else None,
        "pending": sum(1 for v in members.values() if v is None),
        "can_supervise": may_supervise(user),
        "can_download": user.role != OPERATOR,
        "tasks": len(tasks),
        "rectify_days": wf.rubric_working_days(_rubric(request, run), "rectify_working_days"),
    }
    return render(request, "run.html", context)


@router.get("/runs/{run_id}/status")
def run_status(request: Request, run_id: int, user: CurrentUser):
    run, members, _ids = run_for(_store(request), user, run_id)
    job = work_jobs(request).get(f"run:{run_id}")
    if job is None:
        done = sum(1 for v in members.values() if v is not None)
        return JSONResponse({"key": f"run:{run_id}", "state": "idle", "total": len(members), "done": done})
    return JSONResponse(job.as_dict())


@router.post("/runs/{run_id}/continue")
async def run_continue(request: Request, run_id: int, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    store = _store(request)
    run, members, _ids = await asyncio.to_thread(run_for, store, user, run_id)
    require_supervisor(user)
    if run.status != "finished":
        done = sum(1 for v in members.values() if v is not None)
        start_run_job(request, run_id, len(members), done, user.username)
        await asyncio.to_thread(_audit, store, user, "继续抽查批次", f"抽查批次 {run_id}")
    return RedirectResponse(f"/runs/{run_id}#progress", status_code=303)


@router.post("/runs/{run_id}/rectify")
async def run_open_rectify(request: Request, run_id: int, user: CurrentUser):
    """下发整改任务 to the run's failing sites (those the user may see)."""
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    await asyncio.to_thread(open_run_rectify, request, user, run_id)
    return RedirectResponse(f"/rectify?run={run_id}", status_code=303)


def open_run_rectify(request: Request, user: accounts.User, run_id: int, how: str = "") -> list:
    """Open the tasks of a run's failing sites; a supervisor only for runs wholly inside their regions
    (a task list cut to one region would look complete when it is not). Shared by page and API."""
    store = _store(request)
    run, _members, ids = run_for(store, user, run_id)
    require_supervisor(user)
    _run, every = wf.run_members(store, run_id)
    if ids is not None and not ids.issuperset(every):
        raise HTTPException(403, "本批次含其他地区的网站，请由管理员下发整改任务")
    days = wf.rubric_working_days(_rubric(request, run), "rectify_working_days")
    rows = wf.open_rectify(store, run_id, opened=dt.date.today(), working_days=days, who=user.username)
    _audit(store, user, f"下发整改任务{how}", f"抽查批次 {run_id}", {"tasks": [r.id for r in rows]})
    return rows


def _bulletin(request: Request, user: accounts.User, run_id: int, formats: list[str]):
    if user.role == OPERATOR:
        raise HTTPException(403, "通报由监管人员下载")
    store = _store(request)
    _run, _members, ids = run_for(store, user, run_id)
    return wf.bulletin_documents(store, formats, None, run_id, ids)


def bulletin_response(request: Request, user: accounts.User, run_id: int, fmt: str) -> Response:
    """The run's 通报 as a Word or Excel attachment (page and API)."""
    if fmt not in ("docx", "xlsx"):
        raise HTTPException(status_code=404)
    stats, files = _bulletin(request, user, run_id, [fmt])
    name = f"通报-抽查{stats.run.id}.{fmt}"
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(files[fmt], media_type=DOWNLOAD_TYPES[fmt], headers={"Content-Disposition": disposition})


@router.get("/runs/{run_id}/bulletin.{fmt}")
def bulletin_download(request: Request, run_id: int, fmt: str, user: CurrentUser):
    return bulletin_response(request, user, run_id, fmt)


@router.get("/runs/{run_id}/bulletin")
def bulletin_page(request: Request, run_id: int, user: CurrentUser):
    """The 通报 as a web page (the same text and tables as the Word file)."""
    if user.role == OPERATOR:
        raise HTTPException(403, "通报由监管人员下载")
    store = _store(request)
    _run, _members, ids = run_for(store, user, run_id)
    stats = wf.run_results(store, run_id, ids)
    info = wf.bulletin_info(stats.run.as_of)
    context = {
        "user": user,
        "nav": "runs",
        "stats": stats,
        "info": info,
        "date": documents.date_cn(info.date),
        "overview": documents.overview_paragraphs(stats, info),
        "problems": documents.problem_paragraphs(stats),
        "requirements": info.requirements,
        "ordinals": documents.CHINESE_ORDINALS,
        "rate_headers": documents.RATE_HEADERS,
        "regions": documents.rate_rows(stats.by_region, as_text=True),
        "departments": documents.rate_rows(stats.by_department, as_text=True),
        "list_headers": documents.LIST_HEADERS,
        "failing": documents.failing_rows(stats),
        "newmedia": documents.newmedia_paragraphs(stats),
        "account_rate_headers": documents.ACCOUNT_RATE_HEADERS,
        "platforms": documents.rate_rows(stats.newmedia.by_platform, as_text=True) if stats.newmedia else [],
        "account_list_headers": documents.ACCOUNT_LIST_HEADERS,
        "failing_accounts": documents.account_failing_rows(stats),
    }
    return render(request, "bulletin.html", context)
