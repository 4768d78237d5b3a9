"""政务新媒体 pages: the accounts of the registry with their newest check, an account's findings and
history, 「立即检查」 as a background job, and the 名录 import (all-or-nothing, as the CLI's).

A connector that cannot read an account is 待人工核实 with what it saw, never a failure: the
verdicts are the service's (newmedia/service.py), the pages only show them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse

from govinspect.newmedia.model import PLATFORMS
from govinspect.newmedia.registry import AccountImportError
from govinspect.newmedia.service import import_accounts, sample_accounts
from govinspect.report.render import finding_view
from govinspect.web import accounts
from govinspect.web.newmedia_access import (
    VERDICT_LABELS,
    account_for,
    account_views,
    counts,
    filter_accounts,
    may_check,
)
from govinspect.web.pages import IMPORT_MAX_BYTES, _audit
from govinspect.web.pages_runs import DrawError, share_text
from govinspect.web.security import check_csrf
from govinspect.web.templating import render, require_user
from govinspect.web.work_jobs import NEWMEDIA_JOB, WorkJob, start_newmedia_job, work_jobs
from govinspect.workflow.sampling import SampleError

router = APIRouter(include_in_schema=False)
EARLIEST_AS_OF = dt.date(2000, 1, 1)  # a check date before government accounts existed is a typo
CurrentUser = Annotated[accounts.User, Depends(require_user)]
Filter = Annotated[str, Query(max_length=32)]


def _store(request: Request):
    return request.app.state.store


def job_for(request: Request, user: accounts.User) -> WorkJob | None:
    """The newmedia job as this user may follow it: its starter and 管理员 see its counts; others
    only learn that one is running (its totals may cover accounts they cannot see)."""
    job = work_jobs(request).get(NEWMEDIA_JOB)
    if job is None or user.is_admin or job.started_by == user.username:
        return job
    return None


def _busy(request: Request) -> bool:
    job = work_jobs(request).get(NEWMEDIA_JOB)
    return job is not None and job.state == "running"


def _list_context(
    request: Request, user: accounts.User, platform: str = "", verdict: str = "", **extra
) -> dict:
    views = account_views(_store(request), user)
    job = job_for(request, user)
    return {
        "user": user,
        "nav": "newmedia",
        "counts": counts(views),
        "rows": filter_accounts(views, platform, verdict),
        "platforms": [p for p in PLATFORMS if any(v.account.platform == p for v in views)],
        "platform": platform,
        "verdict": verdict,
        "verdict_labels": VERDICT_LABELS,
        "job": job.as_dict() if job else None,
        "busy": _busy(request),
        "can_check": may_check(user) and bool(views),
        "can_import": user.is_admin,
        "error": "",
        "imported": None,
        **extra,
    }


@router.get("/newmedia")
def newmedia_page(request: Request, user: CurrentUser, platform: Filter = "", verdict: Filter = ""):
    return render(request, "newmedia.html", _list_context(request, user, platform, verdict))


@router.get("/newmedia/status")
def newmedia_status(request: Request, user: CurrentUser):
    job = job_for(request, user)
    if job is None:
        state = "running" if _busy(request) else "idle"
        return JSONResponse({"key": NEWMEDIA_JOB, "state": state, "total": 0, "done": 0})
    return JSONResponse(job.as_dict())


def accounts_to_check(
    store, user: accounts.User, account_id: int | None, sample: str = "", seed: str = ""
) -> tuple[list, str]:
    """(the accounts, the audit target) of a 「立即检查」: one account, every account the user may see,
    or a 抽查 of those stratified by platform (`sample`: "30%" or "0.3"; reproducible by `seed`)."""
    if not may_check(user):
        raise HTTPException(403, "只有管理员和监管人员可以检查政务新媒体账号")
    if account_id is not None:
        view, _history = account_for(store, user, account_id)
        return [view.account], f"政务新媒体账号 {account_id}"
    chosen = [v.account for v in account_views(store, user)]
    if not chosen:
        raise HTTPException(400, "名录中没有可检查的政务新媒体账号，请先导入名录")
    if sample:
        try:
            chosen = sample_accounts(chosen, ratio=share_text(sample), seed=seed or "web")
        except (DrawError, SampleError) as exc:
            raise HTTPException(400, str(exc)) from None
        return chosen, f"政务新媒体（按平台抽查 {sample}）"
    return chosen, "政务新媒体"


async def start_check(
    request: Request,
    user: accounts.User,
    account_id: int | None = None,
    *,
    as_of: dt.date | None = None,
    sample: str = "",
    seed: str = "",
) -> tuple[WorkJob, bool]:
    """Start (or join the running) 政务新媒体 check; page and API."""
    if not may_check(user):  # who may ask comes before what they ask
        raise HTTPException(403, "只有管理员和监管人员可以检查政务新媒体账号")
    if as_of is not None and not EARLIEST_AS_OF <= as_of <= dt.date.today() + dt.timedelta(days=366):
        raise HTTPException(400, f"检查日期{as_of.isoformat()}超出范围（{EARLIEST_AS_OF.year}年至明年）")
    store = _store(request)
    chosen, target = await asyncio.to_thread(accounts_to_check, store, user, account_id, sample, seed)
    job, started = start_newmedia_job(request, chosen, user.username, as_of)
    if started:
        await asyncio.to_thread(_audit, store, user, "检查政务新媒体", target, {"accounts": len(chosen)})
    return job, started


@router.post("/newmedia/check")
async def newmedia_check(request: Request, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    raw = str(form.get("account") or "")
    account_id = int(raw) if raw.isdigit() and len(raw) < 19 else None
    if raw and account_id is None:
        raise HTTPException(400, "账号编号无效")
    day = str(form.get("as_of") or "").strip()
    try:
        as_of = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise HTTPException(400, f"检查日期“{day[:20]}”无效，应为 YYYY-MM-DD") from None
    sample = str(form.get("sample") or "").strip()[:16]
    await start_check(
        request, user, account_id, as_of=as_of, sample=sample, seed=str(form.get("seed") or "")[:64]
    )
    back = f"/newmedia/{account_id}" if account_id else "/newmedia"
    return RedirectResponse(f"{back}#progress", status_code=303)


@router.get("/newmedia/import")
def newmedia_import_form(user: CurrentUser):
    """The import form is on the 新媒体 page (a reload after an upload lands here)."""
    return RedirectResponse("/newmedia#import", status_code=303)


@router.post("/newmedia/import")
async def newmedia_import(
    request: Request,
    user: CurrentUser,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
):
    """Validate the whole file, then store it in one transaction; any bad row: nothing applied."""
    check_csrf(request, csrf_token)
    if not user.is_admin:
        raise HTTPException(403, "只有管理员可以导入政务新媒体名录")
    name = Path(file.filename or "").name or "upload.csv"
    data = await file.read(IMPORT_MAX_BYTES + 1)
    error, imported = "", None
    if Path(name).suffix.lower() not in (".csv", ".txt"):
        error = "只支持 CSV 文件"
    elif len(data) > IMPORT_MAX_BYTES:
        error = f"文件过大（上限 {IMPORT_MAX_BYTES // 1024 // 1024} MB）"
    else:
        with tempfile.TemporaryDirectory(prefix="govinspect-newmedia-") as tmp:
            path = Path(tmp) / "accounts.csv"
            path.write_bytes(data)
            try:
                added, updated, total = await asyncio.to_thread(import_accounts, _store(request), path)
            except AccountImportError as exc:
                error = str(exc).replace(str(path), name).replace(path.name, name)
            else:
                imported = {"added": added, "updated": updated, "total": total, "file": name}
        if imported:
            detail = {k: imported[k] for k in ("added", "updated", "total")}
            await asyncio.to_thread(_audit, _store(request), user, "导入政务新媒体名录", name, detail)
    context = await asyncio.to_thread(_list_context, request, user, error=error, imported=imported)
    return render(request, "newmedia.html", context, status_code=400 if error else 200)


@router.get("/newmedia/{account_id}")
def newmedia_account(request: Request, account_id: int, user: CurrentUser):
    view, history = account_for(_store(request), user, account_id)
    latest = view.latest
    findings = [finding_view(f) for f in latest.findings] if latest else []
    job = job_for(request, user)
    context = {
        "user": user,
        "nav": "newmedia",
        "v": view,
        "a": view.account,
        "latest": latest,
        "findings": findings,
        "history": history,
        "job": job.as_dict() if job else None,
        "busy": _busy(request),
        "can_check": may_check(user),
    }
    return render(request, "newmedia_account.html", context)
