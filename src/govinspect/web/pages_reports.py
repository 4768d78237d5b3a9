"""问责 (records and quarterly counts) and 年度报表 (view, fill the hand-entered cells, download).

问责: 管理员, 监管人员 and 只读 see it (a supervisor the records of their regions' sites and their
own); 管理员 and 监管人员 record. 监管年度报表: the same readers; a supervisor's computed cells count
only the sites of their regions, and its hand-entered cells (the whole organisation's) are filled by
管理员 only, so a regional supervisor never overwrites the province's figures.
工作年度报表 of a site: whoever may see the site reads it; its operator, a supervisor of its region
or 管理员 fills it. Every hand-entered value is written to the audit log.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from govinspect.service import workflow as wf
from govinspect.store import SiteRow
from govinspect.web import accounts
from govinspect.web.access import site_for, visible_sites
from govinspect.web.pages import DOWNLOAD_TYPES, _audit
from govinspect.web.security import check_csrf
from govinspect.web.templating import render, require_user
from govinspect.web.workflow_access import may_supervise, require_supervisor, visible_ids
from govinspect.workflow import annual
from govinspect.workflow.accountability import FORMS, SEVERITY

router = APIRouter(include_in_schema=False)
CurrentUser = Annotated[accounts.User, Depends(require_user)]
Year = Annotated[int | None, Query(ge=2000, le=2100)]
KINDS = {"supervision": "监管年度报表", "work": "工作年度报表"}
CELL_PREFIX = "cell:"
UNIT_KEY = "填报单位"  # the 监管年度报表's reporting unit, kept like a hand-entered cell


def _store(request: Request):
    return request.app.state.store


def _no_operator(user: accounts.User) -> None:
    if user.role == accounts.OPERATOR:
        raise HTTPException(403, "网站主办单位不能查看此页面")


# -- 问责 -------------------------------------------------------------------------------------------


def _keeper(store, user: accounts.User):
    """Which records the user may see: None for all, else the supervisor's sites and own records."""
    ids = visible_ids(store, user)
    if ids is None:
        return None
    return lambda r: (r.record.site_id and int(r.record.site_id) in ids) or r.recorded_by == user.username


def _accountability_context(request: Request, user: accounts.User, year: int, **extra) -> dict:
    store = _store(request)
    keep = _keeper(store, user)
    sites = visible_sites(store, user)
    quarters = wf.accountability_counts(store, year, keep)
    return {
        "user": user,
        "nav": "accountability",
        "year": year,
        "rows": wf.list_accountability(store, year, keep),
        "quarters": quarters,
        "forms": FORMS,
        "severity": SEVERITY,
        "sites": sites,
        "names": {str(s.id): s.name for s in sites},
        "can_add": may_supervise(user),
        "error": "",
        "form": {
            "person": "",
            "unit": "",
            "form": FORMS[0],
            "date": dt.date.today().isoformat(),
            "reason": "",
            "site": "",
            "run": "",
        },  # fmt: skip
        **extra,
    }


@router.get("/accountability")
def accountability_page(request: Request, user: CurrentUser, year: Year = None):
    _no_operator(user)
    context = _accountability_context(request, user, year or dt.date.today().year)
    return render(request, "accountability.html", context)


def add_record(store, user: accounts.User, values: dict[str, str]) -> int:
    """One 问责 record from form (or API) values; the site must be one the user may see."""
    require_supervisor(user)
    try:
        day = dt.date.fromisoformat(values["date"])
    except ValueError:
        raise wf.WorkflowError("问责日期应为 YYYY-MM-DD") from None
    run = values.get("run", "").strip()
    if run and not run.isdigit():
        raise wf.WorkflowError("抽查批次编号应为数字")
    site = ""
    if values.get("site"):
        if not values["site"].isdigit():
            raise wf.WorkflowError("请从列表中选择网站")
        site = site_for(store, user, int(values["site"])).url
    record_id = wf.add_accountability(
        store,
        person=values["person"].strip(),
        unit=values["unit"].strip(),
        form=values["form"],
        date=day,
        reason=values["reason"].strip(),
        site=site,
        run_id=int(run) if run else None,
        by=user.username,
    )
    detail = {"person": values["person"], "form": values["form"], "date": values["date"]}
    _audit(store, user, "登记问责记录", f"问责记录 {record_id}", detail)
    return record_id


@router.post("/accountability")
async def accountability_add(request: Request, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    _no_operator(user)
    require_supervisor(user)
    keys = ("person", "unit", "form", "date", "reason", "site", "run")
    values = {k: str(form.get(k) or "")[:500] for k in keys}
    try:
        await asyncio.to_thread(add_record, _store(request), user, values)
    except wf.WorkflowError as exc:
        year = dt.date.today().year
        context = await asyncio.to_thread(
            _accountability_context, request, user, year, error=str(exc), form=values
        )
        return render(request, "accountability.html", context, status_code=400)
    return RedirectResponse(f"/accountability?year={values['date'][:4]}", status_code=303)


# -- 年度报表 ----------------------------------------------------------------------------------------


def _subject(request: Request, user: accounts.User, kind: str, site_id: int | None) -> SiteRow | None:
    """The work report's site (one the user may see); None for the 监管年度报表 (not for operators)."""
    if kind not in KINDS:
        raise HTTPException(404)
    if kind == "supervision":
        _no_operator(user)
        return None
    if site_id is None:
        raise HTTPException(400, "工作年度报表须选择网站")
    return site_for(_store(request), user, site_id)


def _may_fill(user: accounts.User, site: SiteRow | None) -> bool:
    """Everyone but 只读 may fill the work report of a site they see; the supervision report is filled
    by those who supervise every site (管理员)."""
    if site is None:
        return may_supervise(user) and user.role != accounts.SUPERVISOR
    return user.role != accounts.VIEWER


def _report(
    request: Request, user: accounts.User, year: int, kind: str, site: SiteRow | None
) -> annual.AnnualReport:
    store = _store(request)
    ids = visible_ids(store, user) if site is None else None
    days = wf.rubric_working_days(request.app.state.jobs.settings.rubric, "jiucuo_working_days")
    return wf.annual_report(
        store, year, kind, site=site.url if site else None, site_ids=ids, jiucuo_working_days=days
    )


@router.get("/annual")
def annual_page(
    request: Request,
    user: CurrentUser,
    year: Year = None,
    kind: Annotated[str, Query(max_length=16)] = "",
    site: Annotated[int | None, Query(ge=1, le=2**62)] = None,
):
    kind = kind or ("work" if user.role == accounts.OPERATOR else "supervision")
    year = year or dt.date.today().year - (1 if dt.date.today().month < 3 else 0)
    sites = visible_sites(_store(request), user)
    if kind == "work" and site is None and sites:
        site = sites[0].id
    subject = _subject(request, user, kind, site)
    return render(request, "annual.html", _annual_context(request, user, year, kind, subject, sites))


def _annual_context(request, user, year, kind, subject, sites, **extra) -> dict:
    report = _report(request, user, year, kind, subject)
    return {
        "user": user,
        "nav": "annual",
        "year": year,
        "kind": kind,
        "kinds": KINDS,
        "subject": subject,
        "sites": sites,
        "report": report,
        "missing": len(report.missing()),
        "display": annual.display,
        "auto": annual.AUTO,
        "can_fill": _may_fill(user, subject),
        "can_supervision": user.role != accounts.OPERATOR,
        "regional": subject is None and user.role == accounts.SUPERVISOR,
        "prefix": CELL_PREFIX,
        "unit_key": UNIT_KEY,
        "error": "",
        "saved": 0,
        **extra,
    }


def fill_report(
    store, user: accounts.User, year: int, kind: str, site: SiteRow | None, values: dict[str, str]
) -> int:
    """Keep the hand-entered values that changed; each is audit logged. Returns how many."""
    if not _may_fill(user, site):
        raise HTTPException(403, "当前账号不能填写此报表")
    report = wf.annual_report(store, year, kind, site=site.url if site else None)
    current = {c.key: annual.display(c.value) for c in report.cells() if c.source != annual.AUTO}
    if site is None:
        current[UNIT_KEY] = report.subject
    changed = {k: v.strip() for k, v in values.items() if k in current and current[k] != v.strip()}
    for key, value in changed.items():
        wf.set_annual_value(store, year, kind, key, value, site=site.url if site else None, by=user.username)
        target = f"{year}年{KINDS[kind]}" + (f"（{site.name}）" if site else "")
        _audit(store, user, "填写年度报表", target, {"key": key, "value": value})
    return len(changed)


@router.post("/annual")
async def annual_fill(request: Request, user: CurrentUser):
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    kind = str(form.get("kind") or "")
    try:
        year = int(str(form.get("year") or ""))
        site_id = int(str(form.get("site"))) if form.get("site") else None
    except ValueError:
        raise HTTPException(400, "年度或网站编号无效") from None
    if not 2000 <= year <= 2100:
        raise HTTPException(400, "年度无效")
    store = _store(request)
    subject = await asyncio.to_thread(_subject, request, user, kind, site_id)
    values = {
        str(k)[len(CELL_PREFIX) :]: str(v)[:500]
        for k, v in form.multi_items()
        if str(k).startswith(CELL_PREFIX)
    }
    error, saved = "", 0
    try:
        saved = await asyncio.to_thread(fill_report, store, user, year, kind, subject, values)
    except wf.WorkflowError as exc:
        error = str(exc)
    sites = await asyncio.to_thread(visible_sites, store, user)
    context = await asyncio.to_thread(
        _annual_context, request, user, year, kind, subject, sites, error=error, saved=saved
    )
    return render(request, "annual.html", context, status_code=400 if error else 200)


@router.get("/annual/{year}/{kind}.{fmt}")
def annual_download(
    request: Request,
    year: int,
    kind: str,
    fmt: str,
    user: CurrentUser,
    site: Annotated[int | None, Query(ge=1, le=2**62)] = None,
):
    if fmt not in ("docx", "xlsx") or not 2000 <= year <= 2100:
        raise HTTPException(404)
    subject = _subject(request, user, kind, site)
    report = _report(request, user, year, kind, subject)
    name = f"{year}年{KINDS[kind]}" + (f"-{subject.name}" if subject else "") + f".{fmt}"
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(
        wf.annual_document(report, fmt),
        media_type=DOWNLOAD_TYPES[fmt],
        headers={"Content-Disposition": disposition},
    )
