"""REST API of 政务新媒体 accounts and their checks, with the same tokens, role rules and functions as
the pages (web/pages_newmedia.py, web/newmedia_access.py): an account a user may not see is 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from govinspect.web.api import ApiUser, _aware
from govinspect.web.api_runs import WorkJobOut
from govinspect.web.newmedia_access import AccountView, CheckView, account_for, account_views
from govinspect.web.pages_newmedia import job_for, start_check

AccountId = Annotated[int, Path(ge=1, le=2**62)]
router = APIRouter(
    prefix="/api",
    tags=["政务新媒体"],
    responses={
        401: {"description": "未提供或无效的访问令牌"},
        403: {"description": "当前角色无权进行此操作"},
        404: {"description": "不存在或无权查看"},
    },
)


class NewMediaFinding(BaseModel):
    check: str
    severity: str
    points: float
    url: str | None
    message: str
    evidence: dict[str, Any]


class NewMediaCheck(BaseModel):
    id: int
    as_of: dt.date
    checked_at: dt.datetime | None
    connector_status: str  # ok | empty | blocked | auth_expired | not_found | partial
    connector_status_label: str
    detail: str  # what the connector saw (Chinese) when it could not read the account completely
    verdict: str  # pass | fail | unverified (待人工核实)
    verdict_label: str
    last_post: str | None
    last_post_url: str | None
    problems: list[str]
    findings: list[NewMediaFinding]


class NewMediaAccount(BaseModel):
    id: int
    platform: str
    account_id: str
    name: str
    organiser: str
    subject: str
    record_no: str
    record_date: str
    status: str
    feed_url: str
    verdict: str  # the newest check's, or "none"
    latest_check: NewMediaCheck | None


class NewMediaAccountDetail(NewMediaAccount):
    history: list[NewMediaCheck]


def _finding(f: dict[str, Any]) -> NewMediaFinding:
    try:
        points = float(f.get("points") or 0)
    except (TypeError, ValueError):
        points = 0.0
    evidence = f.get("evidence")
    return NewMediaFinding(
        check=str(f.get("check", "")),
        severity=str(f.get("severity", "info")),
        points=points,
        url=f.get("url") if isinstance(f.get("url"), str) else None,
        message=str(f.get("message", "")),
        evidence=evidence if isinstance(evidence, dict) else {},
    )


def _check(c: CheckView) -> NewMediaCheck:
    last_post_url = c.result.get("last_post_url")
    return NewMediaCheck(
        id=c.id,
        as_of=c.as_of,
        checked_at=_aware(c.checked_at),
        connector_status=c.status,
        connector_status_label=c.status_label,
        detail=c.detail,
        verdict=c.verdict,
        verdict_label=c.verdict_label,
        last_post=str(c.result["last_post"]) if c.result.get("last_post") else None,
        last_post_url=last_post_url if isinstance(last_post_url, str) else None,
        problems=c.problems,
        findings=[_finding(f) for f in c.findings],
    )


def _account(v: AccountView) -> dict[str, Any]:
    a = v.account
    return {
        "id": v.id,
        "platform": a.platform,
        "account_id": a.account_id,
        "name": a.name,
        "organiser": a.organiser,
        "subject": a.subject,
        "record_no": a.record_no,
        "record_date": a.record_date,
        "status": a.status,
        "feed_url": a.feed_url,
        "verdict": v.verdict,
        "latest_check": _check(v.latest) if v.latest else None,
    }


def _job(request: Request, user) -> WorkJobOut:
    job = job_for(request, user)
    if job is None:
        return WorkJobOut(key="newmedia", state="idle")
    return WorkJobOut(**job.as_dict())


@router.get(
    "/newmedia", response_model=list[NewMediaAccount], summary="我可以查看的政务新媒体账号及最近一次检查"
)
def list_newmedia(request: Request, user: ApiUser) -> list[NewMediaAccount]:
    return [NewMediaAccount(**_account(v)) for v in account_views(request.app.state.store, user)]


@router.get("/newmedia/check", response_model=WorkJobOut, summary="政务新媒体检查的进度")
def newmedia_check_progress(request: Request, user: ApiUser) -> WorkJobOut:
    return _job(request, user)


@router.post(
    "/newmedia/check",
    response_model=WorkJobOut,
    status_code=202,
    summary="立即检查我可以查看的全部政务新媒体账号（后台进行；管理员、监管人员）",
    responses={400: {"description": "名录中没有可检查的账号，或检查日期超出范围（2000年至明年）"}},
)
async def newmedia_check_all(
    request: Request,
    user: ApiUser,
    as_of: Annotated[dt.date | None, Query(description="检查日期，默认今天")] = None,
    sample: Annotated[
        float | None, Query(gt=0, le=1, description="按平台分层抽查的比例，如 0.3；不填检查全部")
    ] = None,
    seed: Annotated[str | None, Query(max_length=64, description="抽样种子：相同种子和名录抽到相同账号")] = None,
) -> WorkJobOut:
    share = "" if sample is None else str(sample)
    job, _started = await start_check(request, user, as_of=as_of, sample=share, seed=seed or "")
    return WorkJobOut(**job.as_dict())


@router.get(
    "/newmedia/{account_id}", response_model=NewMediaAccountDetail, summary="一个政务新媒体账号及其检查记录"
)
def get_newmedia(request: Request, account_id: AccountId, user: ApiUser) -> NewMediaAccountDetail:
    view, history = account_for(request.app.state.store, user, account_id)
    return NewMediaAccountDetail(**_account(view), history=[_check(c) for c in history])


@router.post(
    "/newmedia/{account_id}/check",
    response_model=WorkJobOut,
    status_code=202,
    summary="立即检查一个政务新媒体账号（后台进行；管理员、监管人员）",
)
async def newmedia_check_one(request: Request, account_id: AccountId, user: ApiUser) -> WorkJobOut:
    job, _started = await start_check(request, user, account_id)
    return WorkJobOut(**job.as_dict())
