"""The REST API of 找错 messages (token auth, the role rules of web/inbox.py: an operator gets 404 for
another organisation's message) and the public intake endpoint (no account, size-limited, rate
limited per client address, JSON only)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from govinspect.service import messages as msg_service
from govinspect.service.workflow import WorkflowError
from govinspect.web import inbox as ib
from govinspect.web.api import ApiUser
from govinspect.web.pages_jiucuo import client_address, public_limiter, read_limited, too_many_message
from govinspect.workflow import jiucuo

Number = Annotated[str, Path(min_length=1, max_length=64, description="留言编号")]
Status = Literal["待转办", "已转办", "已受理", "已办结", "不予受理", "重复"]
assert set(Status.__args__) == set(jiucuo.STATUSES)  # type: ignore[attr-defined]

router = APIRouter(
    prefix="/api",
    tags=["找错"],
    responses={
        401: {"description": "未提供或无效的访问令牌"},
        404: {"description": "不存在或无权查看"},
    },
)


class ChangeOut(BaseModel):
    when: dt.datetime
    who: str
    from_status: str
    to_status: str
    note: str


class MessageOut(BaseModel):
    number: str
    submitted: dt.datetime
    status: Status
    site_id: int | None
    site_name: str | None
    region: str | None
    site_code: str
    unit: str
    problem_type: str
    url: str
    description: str
    result: str
    reject_reason: str
    duplicate_of: str
    closed_at: dt.datetime | None
    deadline: dt.date
    deadline_estimated: bool = Field(description="期限所在年份的节假日未公布，按周末估算")
    working_days_left: int | None = Field(description="剩余工作日（负数为超期；已结束的留言为空）")
    overdue: bool
    history: list[ChangeOut]


class StatusChange(BaseModel):
    to: Status
    result: str = Field("", max_length=2000, description="办理结果（办结时必填）")
    reason: str = Field("", max_length=16, description="不予受理原因：无效/不属实/业务问题/不在范围")
    duplicate_of: str = Field("", max_length=64, description="重复时的原留言编号")
    site: str = Field("", max_length=300, description="转办到的网站（网址或标识码）")
    note: str = Field("", max_length=500)


class PublicIn(BaseModel):
    """What service/messages.py validates, as a schema (the same limits and patterns)."""

    site: str = Field(
        min_length=1, max_length=msg_service.MAX_SITE, pattern=msg_service.NOT_BLANK.pattern,
        description="网站首页网址或网站标识码",
    )  # fmt: skip
    problem_type: Literal[msg_service.PROBLEM_TYPES]  # type: ignore[valid-type]
    description: str = Field(
        min_length=msg_service.MIN_DESCRIPTION, max_length=msg_service.MAX_DESCRIPTION,
        pattern=msg_service.NOT_BLANK.pattern, description="问题描述",
    )  # fmt: skip
    url: str = Field(
        "",
        max_length=msg_service.MAX_URL,
        pattern=msg_service.HTTP_URL.pattern,
        description="出错网址（http/https）",
    )


class PublicOut(BaseModel):
    number: str = Field(description="留言编号（查询办理情况用）")
    deadline: dt.date
    deadline_label: str
    unit: str
    message: str


class Problem(BaseModel):
    detail: str
    errors: list[str] = []


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone() if moment is not None else None


def _out(row: ib.InboxRow) -> MessageOut:
    m = row.message
    return MessageOut(
        number=m.number,
        submitted=_aware(m.submitted),
        status=m.status,  # type: ignore[arg-type]
        site_id=row.site.id if row.site else None,
        site_name=row.site.name if row.site else None,
        region=row.site.region if row.site else None,
        site_code=m.site_code,
        unit=m.unit,
        problem_type=m.problem_type,
        url=m.url,
        description=m.description,
        result=m.result,
        reject_reason=m.reject_reason,
        duplicate_of=m.duplicate_of,
        closed_at=_aware(m.closed_at),
        deadline=row.deadline.date,
        deadline_estimated=row.deadline.estimated,
        working_days_left=row.working_days_left,
        overdue=row.overdue,
        history=[ChangeOut(when=_aware(c.when), who=c.who, from_status=c.from_status,
                           to_status=c.to_status, note=c.note) for c in m.history],
    )  # fmt: skip


@router.get(
    "/jiucuo/messages",
    response_model=list[MessageOut],
    summary="我可以查看的找错留言",
    responses={400: {"model": Problem, "description": "未知的查询参数"}},
)
def list_messages(
    request: Request,
    user: ApiUser,
    status: Annotated[Status | None, Query(description="按状态筛选")] = None,
    overdue: Annotated[bool, Query(description="只列超期未办结的留言")] = False,
) -> list[MessageOut]:
    unknown = sorted(set(request.query_params) - {"status", "overdue"})
    if unknown:  # a misspelt filter must not silently list everything
        raise HTTPException(400, f"未知的查询参数：{'、'.join(unknown)}（可用：status、overdue）")
    state = request.app.state
    rows = ib.inbox(state.store, user, state.settings, status=status or "", overdue_only=overdue)
    return [_out(r) for r in rows]


@router.get("/jiucuo/messages/{number}", response_model=MessageOut, summary="一条找错留言及其办理记录")
def get_message(request: Request, number: Number, user: ApiUser) -> MessageOut:
    state = request.app.state
    return _out(ib.message_for(state.store, user, number, state.settings))


@router.post(
    "/jiucuo/messages/{number}/status",
    response_model=MessageOut,
    summary="变更留言状态（记录操作人和时间）",
    responses={400: {"model": Problem, "description": "办理流程不允许"}, 403: {"description": "角色无权"}},
)
def change_status(request: Request, number: Number, body: StatusChange, user: ApiUser) -> MessageOut:
    state = request.app.state
    try:
        ib.change(
            state.store, user, number, body.to, state.settings, result=body.result, reason=body.reason,
            duplicate_of=body.duplicate_of, site=body.site, note=body.note,
        )  # fmt: skip
    except ib.StepForbidden as exc:
        raise HTTPException(403, str(exc)) from None
    except WorkflowError as exc:
        raise HTTPException(400, str(exc)) from None
    return _out(ib.message_for(state.store, user, number, state.settings))


def _problem(status: int, detail: str, errors: list[str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail, "errors": errors or [detail]}, status_code=status)


@router.post(
    "/public/jiucuo",
    status_code=201,
    response_model=PublicOut,
    summary="公众提交找错留言（无需账号）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PublicIn.model_json_schema()}},
        },
        "security": [],
    },
    responses={
        404: {"model": Problem, "description": "网站库中没有该网站"},
        413: {"model": Problem, "description": "提交内容过大"},
        415: {"model": Problem, "description": "只接受 JSON"},
        422: {"model": Problem, "description": "内容有误（逐项列出）"},
        429: {"model": Problem, "description": "提交过于频繁"},
    },
)
async def public_submit(request: Request):
    """The body is read here, not by FastAPI, so that its size is capped while it streams in. JSON
    only: another site's page cannot send that without a CORS preflight (which this app never
    grants), so the endpoint needs no CSRF token; the form at /jiucuo/public has one."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return _problem(415, "请以 JSON 提交（Content-Type: application/json）")
    body = await read_limited(request, msg_service.MAX_BODY_BYTES)
    if body is None:
        return _problem(413, f"提交内容过大（上限 {msg_service.MAX_BODY_BYTES // 1024} KB）")
    wait = public_limiter(request).hit(client_address(request))
    if wait:
        return _problem(429, too_many_message(wait))
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _problem(422, "请求内容不是有效的 JSON")
    if not isinstance(data, dict):
        return _problem(422, "请求内容应为 JSON 对象")
    wrong = [
        k
        for k in ("site", "problem_type", "description", "url")
        if k in data and not isinstance(data[k], str)
    ]
    if wrong:
        return _problem(422, "内容有误", [f"字段 {k} 应为文本" for k in wrong])
    form = msg_service.PublicMessage(
        site=data.get("site", ""),
        problem_type=data.get("problem_type", ""),
        description=data.get("description", ""),
        url=data.get("url", ""),
    )
    state = request.app.state
    try:
        stored = await asyncio.to_thread(msg_service.submit_public, state.store, form)
    except msg_service.UnknownSiteError as exc:
        return _problem(404, str(exc))
    except WorkflowError as exc:
        return _problem(422, "内容有误", exc.errors)
    days = await asyncio.to_thread(ib.working_days, state.settings)
    row = ib.row_of(stored, None, days, stored.submitted.date())
    out = PublicOut(
        number=stored.number,
        deadline=row.deadline.date,
        deadline_label=row.deadline.label(),
        unit=stored.unit,
        message=f"留言已提交，编号{stored.number}，办理期限{row.deadline.label()}",
    )
    return JSONResponse(out.model_dump(mode="json"), status_code=201)
