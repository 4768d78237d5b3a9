"""The REST API under /api/ (schema at /api/openapi.json): personal tokens, the same role rules and
the same functions (web/access.py, web/jobs.py) as the pages."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from govinspect.store import SiteRow
from govinspect.web import accounts
from govinspect.web.access import inspection_for, inspections_of, site_for, site_statuses

bearer = HTTPBearer(auto_error=False, description="个人访问令牌（在“我的账号”页面创建）")
SiteId = Annotated[int, Path(ge=1, le=2**62)]
InspectionId = Annotated[int, Path(ge=1, le=2**62)]


def api_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> accounts.User:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401, "需要个人访问令牌（Authorization: Bearer …）", {"WWW-Authenticate": "Bearer"}
        )
    with request.app.state.store.unit_of_work("验证访问令牌") as uow:
        user = accounts.user_for_token(uow, credentials.credentials)
    if user is None:
        raise HTTPException(401, "访问令牌无效或已吊销", {"WWW-Authenticate": "Bearer"})
    return user


ApiUser = Annotated[accounts.User, Depends(api_user)]
router = APIRouter(
    prefix="/api",
    tags=["api"],
    responses={
        401: {"description": "未提供或无效的访问令牌"},
        403: {"description": "当前角色无权进行此操作"},
        404: {"description": "不存在或无权查看"},
    },
)


class Site(BaseModel):
    id: int
    name: str
    url: str
    site_code: str | None
    level: str | None
    kind: str | None
    region: str | None
    organiser: str | None
    status: str
    latest_inspection_id: int | None = None
    verdict: str | None = None
    score: float | None = None
    as_of: dt.date | None = None


class Inspection(BaseModel):
    id: int
    site_id: int
    as_of: dt.date
    rubric: str
    verdict: str
    score: float
    vetoes: list[str]
    error: str | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class FindingOut(BaseModel):
    check: str
    severity: str
    points: float
    url: str | None
    column: str | None
    message: str
    evidence: dict[str, Any]


class Job(BaseModel):
    site_id: int
    state: str
    state_label: str | None = None
    started_by: str | None = None
    started_at: str | None = None
    pages: int = 0
    links: int = 0
    inspection_id: int | None = None
    message: str = ""


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """Stored times are naive local time; the API gives them with their offset (RFC 3339)."""
    return moment.astimezone() if moment is not None else None


def _site(site: SiteRow, **latest: Any) -> Site:
    return Site(
        id=site.id,
        name=site.name,
        url=site.url,
        site_code=site.site_code,
        level=site.level,
        kind=site.kind,
        region=site.region,
        organiser=site.organiser,
        status=site.status,
        **latest,
    )


@router.get("/sites", response_model=list[Site], summary="我可以查看的网站及其最近一次检查")
def list_sites(request: Request, user: ApiUser) -> list[Site]:
    return [
        _site(s.site, latest_inspection_id=s.inspection_id, verdict=s.verdict, score=s.score, as_of=s.as_of)
        for s in site_statuses(request.app.state.store, user)
    ]


@router.get("/sites/{site_id}", response_model=Site, summary="一个网站")
def get_site(request: Request, site_id: SiteId, user: ApiUser) -> Site:
    return _site(site_for(request.app.state.store, user, site_id))


@router.get(
    "/sites/{site_id}/inspections", response_model=list[Inspection], summary="网站的检查记录（新的在前）"
)
def site_inspections(request: Request, site_id: SiteId, user: ApiUser) -> list[Inspection]:
    store = request.app.state.store
    site = site_for(store, user, site_id)
    return [
        Inspection(
            id=r.id,
            site_id=r.site_id,
            as_of=r.as_of,
            rubric=r.rubric,
            verdict=r.verdict,
            score=r.score,
            vetoes=r.vetoes,
            error=r.error,
            started_at=_aware(r.started_at),
            finished_at=_aware(r.finished_at),
        )
        for r in inspections_of(store, site.id)
    ]


@router.get("/inspections/{inspection_id}", summary="一次检查的完整报告（govinspect.report/1）")
def get_inspection(request: Request, inspection_id: InspectionId, user: ApiUser) -> dict[str, Any]:
    _site_row, report = inspection_for(request.app.state.store, user, inspection_id)
    return report


@router.get(
    "/inspections/{inspection_id}/findings", response_model=list[FindingOut], summary="一次检查发现的问题"
)
def inspection_findings(request: Request, inspection_id: InspectionId, user: ApiUser) -> list[FindingOut]:
    _site_row, report = inspection_for(request.app.state.store, user, inspection_id)
    return [
        FindingOut(
            check=f.get("check", ""),
            severity=f.get("severity", "info"),
            points=float(f.get("points") or 0),
            url=f.get("url"),
            column=f.get("column"),
            message=f.get("message", ""),
            evidence=f.get("evidence") or {},
        )
        for f in report.get("findings") or []
    ]


@router.post(
    "/sites/{site_id}/inspections", response_model=Job, status_code=202, summary="立即检查（后台进行）"
)
async def start_inspection(request: Request, site_id: SiteId, user: ApiUser) -> Job:
    store = request.app.state.store
    site = await asyncio.to_thread(site_for, store, user, site_id)
    if not user.can_write:
        raise HTTPException(403, "只读账号不能发起检查")
    job, started = request.app.state.jobs.start(site, user.username)
    if started:

        def audit() -> None:
            with store.unit_of_work("记录操作日志") as uow:
                accounts.audit(uow, user.username, "立即检查（API）", site.url)

        await asyncio.to_thread(audit)
    return Job(**job.as_dict())


@router.get("/sites/{site_id}/inspections/progress", response_model=Job, summary="正在进行的检查的进度")
def inspection_progress(request: Request, site_id: SiteId, user: ApiUser) -> Job:
    site = site_for(request.app.state.store, user, site_id)
    job = request.app.state.jobs.get(site.id)
    return Job(**job.as_dict()) if job else Job(site_id=site.id, state="idle")
