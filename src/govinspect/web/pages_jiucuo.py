"""找错 pages: the inbox (statuses, working-day deadlines, routing, bulk changes), one message with
its history and the answer form, and the public intake form (no account; CSRF token from its own
GET, size limits, rate limited per client address)."""

from __future__ import annotations

import asyncio
import threading
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse

from govinspect.service import messages as msg_service
from govinspect.service.workflow import WorkflowError
from govinspect.web import accounts
from govinspect.web import inbox as ib
from govinspect.web.access import visible_sites
from govinspect.web.ratelimit import RateLimiter
from govinspect.web.security import check_csrf
from govinspect.web.templating import render, require_user
from govinspect.workflow import jiucuo
from govinspect.workflow.calendar import ESTIMATED_LABEL

router = APIRouter(include_in_schema=False)
CurrentUser = Annotated[accounts.User, Depends(require_user)]
MAX_BULK = 200
INBOX_ROWS = 500  # shown at once; the filters narrow the rest down
_limiter_lock = threading.Lock()
TOO_LARGE = f"提交内容过大（上限 {msg_service.MAX_BODY_BYTES // 1024} KB）"


def public_limiter(request: Request) -> RateLimiter:
    """The app's limiter of public submissions (form and API share it), made on first use."""
    state = request.app.state
    with _limiter_lock:
        if getattr(state, "jiucuo_limiter", None) is None:
            s = state.settings
            state.jiucuo_limiter = RateLimiter(s.jiucuo_public_limit, s.jiucuo_public_window_s)
    return state.jiucuo_limiter


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def too_many_message(wait_s: float) -> str:
    minutes = max(1, int(wait_s // 60) + (1 if wait_s % 60 else 0))
    return f"提交过于频繁，请{minutes}分钟后再试"


def _settings(request: Request):
    return request.app.state.settings


def _store(request: Request):
    return request.app.state.store


# -- inbox ----------------------------------------------------------------------------------------


def _inbox_context(request: Request, user: accounts.User, **filters) -> dict:
    store = _store(request)
    rows = ib.inbox(
        store,
        user,
        _settings(request),
        status=filters.get("status", ""),
        region=filters.get("region", ""),
        q=filters.get("q", ""),
        overdue_only=filters.get("overdue", False),
    )
    regions = sorted({s.region for s in visible_sites(store, user) if s.region})
    return {
        "user": user,
        "nav": "jiucuo",
        "rows": rows[:INBOX_ROWS],
        "total": len(rows),
        "statuses": jiucuo.STATUSES,
        "regions": regions,
        "filters": {
            "status": filters.get("status", ""),
            "region": filters.get("region", ""),
            "q": filters.get("q", ""),
            "overdue": filters.get("overdue", False),
        },
        "days": ib.working_days(_settings(request)),
        "estimated_label": ESTIMATED_LABEL,
        "reasons": jiucuo.REJECT_REASONS,
        "can_change": user.role != accounts.VIEWER,
        "notice": "",
        "errors": [],
    }


@router.get("/jiucuo")
def inbox_page(
    request: Request,
    user: CurrentUser,
    status: Annotated[str, Query(max_length=16)] = "",
    region: Annotated[str, Query(max_length=200)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    overdue: Annotated[str, Query(max_length=4)] = "",
):
    context = _inbox_context(request, user, status=status, region=region, q=q, overdue=bool(overdue))
    return render(request, "jiucuo_inbox.html", context)


@router.post("/jiucuo/bulk")
def bulk_change(
    request: Request,
    user: CurrentUser,
    to: Annotated[str, Form(max_length=16)],
    number: Annotated[list[str] | None, Form()] = None,
    result: Annotated[str, Form(max_length=2000)] = "",
    reason: Annotated[str, Form(max_length=16)] = "",
    duplicate_of: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    """The same change for every ticked message; each is changed on its own and refusals listed."""
    check_csrf(request, csrf_token)
    numbers = list(dict.fromkeys(n for n in number or [] if n))[:MAX_BULK]
    done, errors = [], []
    if user.role == accounts.VIEWER:
        errors.append("只读账号不能办理留言")
    elif not numbers:
        errors.append("请先勾选留言")
    else:
        for n in numbers:
            try:
                ib.change(
                    _store(request), user, n, to, _settings(request),
                    result=result, reason=reason, duplicate_of=duplicate_of, note=note,
                )  # fmt: skip
                done.append(n)
            except (WorkflowError, ib.StepForbidden, ib.MessageNotFound) as exc:
                errors.append(str(exc))
    context = _inbox_context(request, user)
    context["notice"] = f"已将{len(done)}条留言变为“{to}”" if done else ""
    context["errors"] = errors
    return render(request, "jiucuo_inbox.html", context, status_code=400 if errors and not done else 200)


# -- one message ----------------------------------------------------------------------------------


def _detail(request: Request, user: accounts.User, number: str, error: str = "", status_code: int = 200):
    row = ib.message_for(_store(request), user, number, _settings(request))
    context = {
        "user": user,
        "nav": "jiucuo",
        "row": row,
        "m": row.message,
        "steps": ib.allowed_steps(user, row.message),
        "reasons": jiucuo.REJECT_REASONS,
        "may_route": user.role in (accounts.ADMIN, accounts.SUPERVISOR),
        "error": error,
    }
    return render(request, "jiucuo_message.html", context, status_code=status_code)


@router.get("/jiucuo/m/{number}")
def message_page(request: Request, number: str, user: CurrentUser):
    return _detail(request, user, number)


@router.post("/jiucuo/m/{number}/status")
def change_status(
    request: Request,
    number: str,
    user: CurrentUser,
    to: Annotated[str, Form(max_length=16)],
    result: Annotated[str, Form(max_length=2000)] = "",
    reason: Annotated[str, Form(max_length=16)] = "",
    duplicate_of: Annotated[str, Form(max_length=64)] = "",
    site: Annotated[str, Form(max_length=300)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form()] = "",
):
    check_csrf(request, csrf_token)
    try:
        ib.change(
            _store(request), user, number, to, _settings(request),
            result=result, reason=reason, duplicate_of=duplicate_of, site=site, note=note,
        )  # fmt: skip
    except ib.StepForbidden as exc:
        return _detail(request, user, number, str(exc), 403)
    except WorkflowError as exc:
        return _detail(request, user, number, str(exc), 400)
    return RedirectResponse(f"/jiucuo/m/{number}", status_code=303)


# -- public intake --------------------------------------------------------------------------------


def _public_context(form: msg_service.PublicMessage, errors: list[str]) -> dict:
    return {
        "user": None,
        "form": form,
        "errors": errors,
        "types": msg_service.PROBLEM_TYPES,
        "limits": {
            "site": msg_service.MAX_SITE,
            "url": msg_service.MAX_URL,
            "description": msg_service.MAX_DESCRIPTION,
        },
        "done": None,
    }


@router.get("/jiucuo/public")
def public_form(
    request: Request,
    site: Annotated[str, Query(max_length=300)] = "",
    url: Annotated[str, Query(max_length=2000)] = "",
):
    """The platform's entry links carry site_code and url; so may ours."""
    form = msg_service.PublicMessage(site=site, problem_type="", description="", url=url)
    return render(request, "jiucuo_public.html", _public_context(form, []))


async def read_limited(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is larger than `limit` bytes (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


@router.post("/jiucuo/public")
async def public_submit(request: Request):
    body = await read_limited(request, msg_service.MAX_BODY_BYTES)
    if body is None:
        return render(request, "error.html", {"title": "请求过大", "message": TOO_LARGE}, status_code=413)
    fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)

    def field(name: str) -> str:
        return (fields.get(name) or [""])[0]

    check_csrf(request, field("csrf_token"))
    form = msg_service.PublicMessage(
        site=field("site"),
        problem_type=field("problem_type"),
        description=field("description"),
        url=field("url"),
    )
    wait = public_limiter(request).hit(client_address(request))
    if wait:
        return render(request, "jiucuo_public.html", _public_context(form, [too_many_message(wait)]), 429)
    try:
        stored = await asyncio.to_thread(msg_service.submit_public, _store(request), form)
    except WorkflowError as exc:
        return render(request, "jiucuo_public.html", _public_context(form, exc.errors), status_code=400)
    days = await asyncio.to_thread(ib.working_days, _settings(request))
    context = _public_context(form, [])
    context["done"] = ib.row_of(stored, None, days, stored.submitted.date())
    return render(request, "jiucuo_public.html", context)
