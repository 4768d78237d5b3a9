"""The pages (Simplified Chinese, readable without JavaScript): 总览, 网站, site page, 名录 import,
account (tokens), users and the audit log (管理员). Every POST form carries the CSRF token."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from govinspect.registry import read_sites
from govinspect.registry.importer import ImportFileError
from govinspect.report import render_site, report_filename
from govinspect.report.render import report_view
from govinspect.report.scorecard import scorecard
from govinspect.service import import_sites
from govinspect.store import InputError
from govinspect.web import accounts, widgets
from govinspect.web.access import (
    dashboard,
    filter_sites,
    inspection_for,
    inspections_of,
    site_for,
    site_statuses,
)
from govinspect.web.charts import score_history_svg
from govinspect.web.newmedia_access import VERDICT_LABELS, account_views
from govinspect.web.security import check_csrf
from govinspect.web.staging import stage_upload, take_upload
from govinspect.web.templating import render, require_user

router = APIRouter(include_in_schema=False)
CurrentUser = Annotated[accounts.User, Depends(require_user)]
DOWNLOAD_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
IMPORT_MAX_BYTES = 2 * 1024 * 1024
PREVIEW_ROWS = 20


def _store(request: Request):
    return request.app.state.store


def _safe_next(target: str | None) -> str:
    """Only a path of this app: never an absolute or scheme-relative URL (open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _forbidden(message: str = "当前账号无权进行此操作") -> HTTPException:
    return HTTPException(status_code=403, detail=message)


# -- login ----------------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", {"next": _safe_next(next), "error": "", "user": None})


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
):
    check_csrf(request, csrf_token)
    address = _client(request)
    with _store(request).unit_of_work("登录") as uow:
        if accounts.login_throttled(uow, username, address):
            error, status = "登录失败次数过多，请 15 分钟后再试", 429
            user = None
        else:
            user = accounts.authenticate(uow, username, password)
            if user is None:
                accounts.record_failed_login(uow, username, address)
                error, status = "用户名或密码错误", 401
            else:
                accounts.clear_failed_logins(uow, username)
                accounts.audit(uow, user.username, "登录", address)
                sid = accounts.open_session(uow, user, address, request.headers.get("user-agent", ""))
    if user is None:
        context = {"next": _safe_next(next), "error": error, "user": None}
        return render(request, "login.html", context, status_code=status)
    request.session.clear()  # a fresh session (and CSRF token) after login: no session fixation
    request.session["sid"] = sid
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    sid = request.session.get("sid")
    if isinstance(sid, str):
        with _store(request).unit_of_work() as uow:
            accounts.end_session(uow, sid)  # a copy of the cookie is logged out too
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# -- 总览 and 网站 ---------------------------------------------------------------------------------


@router.get("/")
def overview(request: Request, user: CurrentUser):
    store, settings = _store(request), request.app.state.settings
    context = {"user": user, "nav": "overview", "d": dashboard(store, user)}
    context["w"] = widgets.overview_widgets(store, user, settings)
    return render(request, "overview.html", context)


@router.get("/sites")
def sites(
    request: Request,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=200)] = "",
    verdict: Annotated[str, Query(max_length=16)] = "",
    region: Annotated[str, Query(max_length=200)] = "",
    sort: Annotated[str, Query(max_length=16)] = "name",
):
    statuses = site_statuses(_store(request), user)
    regions = sorted({s.site.region for s in statuses if s.site.region})
    rows = filter_sites(statuses, q, verdict, region, sort)
    context = {
        "user": user,
        "nav": "sites",
        "rows": rows,
        "regions": regions,
        "q": q,
        "verdict": verdict,
        "region": region,
        "sort": sort,
        "total": len(statuses),
    }
    return render(request, "sites.html", context)


@router.get("/sites/{site_id}")
def site_page(request: Request, site_id: int, user: CurrentUser, inspection: int | None = None):
    store = _store(request)
    site = site_for(store, user, site_id)
    history = inspections_of(store, site.id)
    chosen = inspection or (history[0].id if history else None)
    report = view = card = None
    if chosen is not None:
        owner, report = inspection_for(store, user, chosen)
        if owner.id != site.id:
            raise HTTPException(status_code=404)
        view, card = report_view(report), scorecard(report)
    job = request.app.state.jobs.get(site.id)
    context = {
        "user": user,
        "nav": "sites",
        "site": site,
        "history": history,
        "chosen": chosen,
        "view": view,
        "card": card,
        "job": job.as_dict() if job else None,
        "chart": score_history_svg(list(reversed(history))),
        "avail": widgets.site_availability(store, site.id),
        # 政务新媒体 of the site's 开办单位 (INDICATORS §9e): shown with the site, scored on their own.
        "accounts": [
            v for v in account_views(store, user) if site.organiser and v.account.organiser == site.organiser
        ],
        "verdict_labels": VERDICT_LABELS,
    }
    return render(request, "site.html", context)


@router.post("/sites/{site_id}/check")
async def start_check(request: Request, site_id: int, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    store = _store(request)
    site = await asyncio.to_thread(site_for, store, user, site_id)
    if not user.can_write:
        raise _forbidden("只读账号不能发起检查")
    _job, started = request.app.state.jobs.start(site, user.username)
    if started:
        await asyncio.to_thread(_audit, store, user, "立即检查", site.url)
    return RedirectResponse(f"/sites/{site.id}#progress", status_code=303)


@router.get("/sites/{site_id}/check/status")
def check_status(request: Request, site_id: int, user: CurrentUser):
    site = site_for(_store(request), user, site_id)
    job = request.app.state.jobs.get(site.id)
    return JSONResponse(job.as_dict() if job else {"site_id": site.id, "state": "idle"})


@router.get("/inspections/{inspection_id}/report.{fmt}")
def download(request: Request, inspection_id: int, fmt: str, user: CurrentUser):
    if fmt not in DOWNLOAD_TYPES:
        raise HTTPException(status_code=404)
    site, report = inspection_for(_store(request), user, inspection_id)
    body = render_site(report, fmt)
    name = report_filename(site.url, fmt)
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(body, media_type=DOWNLOAD_TYPES[fmt], headers={"Content-Disposition": disposition})


def _audit(store, user: accounts.User, action: str, target: str, detail: dict | None = None) -> None:
    with store.unit_of_work("记录操作日志") as uow:
        accounts.audit(uow, user.username, action, target, detail)


# -- 名录 import: preview first, apply second ------------------------------------------------------


def _require_admin(user: accounts.User) -> None:
    if not user.is_admin:
        raise _forbidden("只有管理员可以进行此操作")


def _read_upload(suffix: str, data: bytes):
    """read_sites on the uploaded bytes (it reads a file: a temporary one, removed after)."""
    with tempfile.TemporaryDirectory(prefix="govinspect-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return read_sites(path)


def _import_upload(store, suffix: str, data: bytes):
    with tempfile.TemporaryDirectory(prefix="govinspect-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        return import_sites(store, path)


@router.get("/registry/import")
def import_form(request: Request, user: CurrentUser):
    _require_admin(user)
    return render(request, "import.html", {"user": user, "nav": "import", "preview": None, "error": ""})


@router.post("/registry/import")
async def import_preview(
    request: Request,
    user: CurrentUser,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    _require_admin(user)
    suffix = Path(file.filename or "").suffix.lower()
    error, preview = "", None
    data = await file.read(IMPORT_MAX_BYTES + 1)
    if suffix not in (".xlsx", ".csv"):
        error = "只支持 XLSX 或 CSV 文件"
    elif len(data) > IMPORT_MAX_BYTES:
        error = f"文件过大（上限 {IMPORT_MAX_BYTES // 1024 // 1024} MB）"
    else:
        try:
            targets, bad_rows = await asyncio.to_thread(_read_upload, suffix, data)
        except ImportFileError as exc:
            error = str(exc)
        else:
            with _store(request).unit_of_work("暂存导入文件") as uow:
                upload_id = stage_upload(uow, user, file.filename or "", suffix, data)
            preview = {
                "upload_id": upload_id,
                "filename": file.filename or "",
                "good": len(targets),
                "sample": targets[:PREVIEW_ROWS],
                "bad": bad_rows,
            }
    status = 400 if error else 200
    context = {"user": user, "nav": "import", "preview": preview, "error": error}
    return render(request, "import.html", context, status_code=status)


@router.post("/registry/import/apply")
async def import_apply(
    request: Request,
    user: CurrentUser,
    upload_id: Annotated[str, Form(max_length=64)],
    csrf_token: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    _require_admin(user)
    store = _store(request)
    with store.unit_of_work("确认导入") as uow:
        staged = take_upload(uow, user, upload_id)
    if staged is None:
        error = "导入预览已失效（已导入、超过1小时或不是您上传的文件），请重新上传"
        context = {"user": user, "nav": "import", "preview": None, "error": error}
        return render(request, "import.html", context, status_code=404)
    filename, suffix, data = staged
    result = await asyncio.to_thread(_import_upload, store, suffix, data)
    detail = {"imported": result.imported, "skipped": len(result.skipped), "file": filename}
    await asyncio.to_thread(_audit, store, user, "导入网站名录", filename, detail)
    context = {"user": user, "nav": "import", "preview": None, "error": "", "result": result}
    return render(request, "import.html", context)


# -- account: password, login sessions, personal API tokens ----------------------------------------


def _account_page(request: Request, user: accounts.User, status_code: int = 200, **extra: str):
    """我的账号 with the user's tokens and live sessions; `extra`: new_token, error, message."""
    with _store(request).unit_of_work() as uow:
        tokens = accounts.list_tokens(uow, user)
        sessions = accounts.list_sessions(uow, user, request.session.get("sid"))
    context = {"user": user, "nav": "account", "tokens": tokens, "sessions": sessions, "new_token": ""}
    return render(request, "account.html", {**context, **extra}, status_code=status_code)


@router.get("/account")
def account(request: Request, user: CurrentUser):
    return _account_page(request, user)


@router.post("/account/sessions/end-others")
def end_other_sessions(request: Request, user: CurrentUser, csrf_token: Annotated[str, Form()] = ""):
    """退出其他会话: every browser of this account but this one is logged out."""
    check_csrf(request, csrf_token)
    with _store(request).unit_of_work("退出其他会话") as uow:
        ended = accounts.end_sessions(uow, user.id, keep_sid=request.session.get("sid"))
        accounts.audit(uow, user.username, "退出其他会话", user.username, {"sessions": ended})
    return _account_page(request, user, message=f"已退出其他{ended}个会话")


@router.post("/account/password")
def change_password(
    request: Request,
    user: CurrentUser,
    current: Annotated[str, Form(max_length=256)] = "",
    new: Annotated[str, Form(max_length=256)] = "",
    repeat: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    """The user's own password; every other session of the account ends, this one goes on."""
    check_csrf(request, csrf_token)
    error, message = "", ""
    try:
        if new != repeat:
            raise InputError("两次输入的新密码不一致")
        with _store(request).unit_of_work("修改密码") as uow:
            accounts.change_password(uow, user, current, new, keep_sid=request.session.get("sid"))
        message = "密码已修改，其他已登录的会话已退出"
    except InputError as exc:
        error = str(exc)
    return _account_page(request, user, 400 if error else 200, error=error, message=message)


@router.post("/account/tokens")
def create_token(
    request: Request,
    user: CurrentUser,
    name: Annotated[str, Form(max_length=128)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    with _store(request).unit_of_work("创建访问令牌") as uow:
        token = accounts.create_token(uow, user, name)
    return _account_page(request, user, new_token=token)


@router.post("/account/tokens/{token_id}/delete")
def delete_token(request: Request, token_id: int, user: CurrentUser, csrf_token: Annotated[str, Form()] = ""):
    check_csrf(request, csrf_token)
    with _store(request).unit_of_work("吊销访问令牌") as uow:
        accounts.revoke_token(uow, user, token_id)
    return RedirectResponse("/account", status_code=303)


# -- 管理员: users and the audit log ----------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]


def _users_context(request: Request, user: accounts.User, error: str = "", message: str = "") -> dict:
    with _store(request).unit_of_work() as uow:
        users = accounts.list_accounts(uow)
    return {"user": user, "nav": "users", "users": users, "roles": accounts.ROLES, "error": error,
            "message": message}  # fmt: skip


@router.get("/admin/users")
def users_page(request: Request, user: CurrentUser):
    _require_admin(user)
    return render(request, "users.html", _users_context(request, user))


@router.post("/admin/users/{user_id}")
def edit_user(
    request: Request,
    user_id: int,
    user: CurrentUser,
    role: Annotated[str, Form(max_length=16)],
    regions: Annotated[str, Form(max_length=1000)] = "",
    organisers: Annotated[str, Form(max_length=1000)] = "",
    active: Annotated[str, Form(max_length=8)] = "",
    new_password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    """Role, regions, organisers, 停用/启用 and a password reset; a deactivated account's sessions and
    tokens stop working at once (they are checked on every request)."""
    check_csrf(request, csrf_token)
    _require_admin(user)
    error, message = "", ""
    try:
        with _store(request).unit_of_work("修改用户") as uow:
            changed = accounts.update_user(
                uow,
                user_id,
                role=role,
                regions=_split(regions),
                organisers=_split(organisers),
                active=active == "1",
                new_password=new_password,
                by=user,
            )
        message = f"已保存用户“{changed.username}”"
    except InputError as exc:
        error = str(exc)
    context = _users_context(request, user, error, message)
    return render(request, "users.html", context, status_code=400 if error else 200)


@router.post("/admin/users")
def add_user(
    request: Request,
    user: CurrentUser,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    role: Annotated[str, Form(max_length=16)],
    regions: Annotated[str, Form(max_length=1000)] = "",
    organisers: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    _require_admin(user)
    error = ""
    try:
        with _store(request).unit_of_work("创建用户") as uow:
            accounts.create_user(
                uow,
                username,
                password,
                role,
                regions=_split(regions),
                organisers=_split(organisers),
                by=user.username,
            )
    except InputError as exc:
        error = str(exc)
    context = _users_context(request, user, error, "" if error else f"已创建用户“{username.strip()}”")
    return render(request, "users.html", context, status_code=400 if error else 200)


@router.get("/admin/audit")
def audit_page(request: Request, user: CurrentUser):
    _require_admin(user)
    with _store(request).unit_of_work() as uow:
        entries = accounts.audit_entries(uow)
    return render(request, "audit.html", {"user": user, "nav": "audit", "entries": entries})
