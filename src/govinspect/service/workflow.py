"""The supervisor's month on the store: 抽查 runs and their results, 通报 files, 整改 and 复查, 找错
messages, 问责 records and the annual reports. Pure rules live in govinspect.workflow; this module
loads what they need from the store, calls them, and saves what they return. Every door (CLI, web
app) calls these functions. User errors are WorkflowError (Chinese message, nothing written).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from govinspect.newmedia.model import PLATFORMS
from govinspect.registry import SiteTarget, normalize_url
from govinspect.registry.importer import ImportFileError, InvalidURLError, read_rows
from govinspect.service.inspect import SiteOutcome, inspect_sites
from govinspect.service.registry_book import registry_site
from govinspect.settings import Settings
from govinspect.store import Store
from govinspect.store.models import InspectionRecord, NewMediaAccountRecord, NewMediaCheckRecord, SiteRecord
from govinspect.store.repositories import InputError, NotFoundError, RunRow
from govinspect.store.workflow import TaskRow
from govinspect.workflow import accountability as acc
from govinspect.workflow import annual, documents, jiucuo, rectify, results, sampling
from govinspect.workflow.calendar import WorkingCalendar

SPOT_CHECK = "spot_check"
DEFAULT_RECTIFY_DAYS = 20  # 整改情况 reported about four weeks after the 通报 (INDICATORS §9a)
DEFAULT_LABEL = "抽查"


class WorkflowError(InputError, ValueError):
    """The request cannot be carried out (Chinese message); nothing was written."""

    def __init__(self, message: str, errors: Sequence[str] = ()):
        self.errors = list(errors) or [message]
        super().__init__(message)


def _site_id(uow, url_or_code: str) -> int:
    """A registry site by home URL or 网站标识码."""
    site = uow.sites.by_code(url_or_code) if jiucuo.SITE_CODE_RE.match(url_or_code or "") else None
    if site is None:
        try:
            site = uow.sites.by_url(normalize_url(url_or_code))
        except InvalidURLError as exc:
            raise WorkflowError(str(exc)) from None
    if site is None:
        raise WorkflowError(f"名录中没有网站 {url_or_code}")
    return site.id


# --- 抽查 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleRun:
    run_id: int
    resumed: bool  # an unfinished run with the same parameters was picked up again
    sites: int
    done: int  # members with a stored inspection before this call


def sample_parameters(
    *,
    ratio: str | None,
    count: int | None,
    by: Sequence[str],
    min_per_group: int,
    seed: str,
    as_of: dt.date,
    label: str = DEFAULT_LABEL,
    rubric: str = "",
    regions: Sequence[str] = (),
) -> dict[str, Any]:
    """The draw's identity; `regions` (a supervisor's) limits the pool to sites of those regions."""
    parameters = {
        "label": label,
        "ratio": ratio,
        "count": count,
        "by": list(by),
        "min_per_group": min_per_group,
        "seed": str(seed),
        "as_of": as_of.isoformat(),
        "rubric": rubric,
    }
    if regions:  # only when given: runs drawn before regions existed resume as they were
        parameters["regions"] = sorted(regions)
    return parameters


def in_regions(region: str | None, regions: Sequence[str]) -> bool:
    """A site's region is one of `regions` or lies inside one (江西省 covers 江西省南昌市)."""
    return bool(region) and any(region == r or region.startswith(r) for r in regions)


def _same_draw(run: RunRow, parameters: dict[str, Any]) -> bool:
    return all(run.parameters.get(k) == v for k, v in parameters.items())


def draw_run(store: Store, parameters: dict[str, Any], started_by: str) -> SampleRun:
    """Draw the sample and record it as a run; an unfinished run with the same parameters is resumed."""
    as_of = dt.date.fromisoformat(parameters["as_of"])
    with store.unit_of_work("记录抽查批次") as uow:
        for run_id in reversed(uow.run_sites.runs(SPOT_CHECK)):
            run = uow.runs.get(run_id)
            if run.status != "finished" and _same_draw(run, parameters):
                uow.run_sites.reconcile(run_id)
                members = uow.run_sites.list(run_id)
                return SampleRun(run_id, True, len(members), sum(m.state == "done" for m in members))
        regions = parameters.get("regions") or ()
        pool = [registry_site(r) for r in uow.sites.list() if not regions or in_regions(r.region, regions)]
        try:
            drawn = sampling.draw_sample(
                pool,
                ratio=parameters["ratio"],
                count=parameters["count"],
                by=parameters["by"],
                min_per_group=parameters["min_per_group"],
                seed=parameters["seed"],
                as_of=as_of,
            )
        except sampling.SampleError as exc:
            raise WorkflowError(str(exc)) from None
        running: dict[str, int] = {}
        for site in sampling.eligible_sites(pool, as_of):
            running[site.level or "未填写层级"] = running.get(site.level or "未填写层级", 0) + 1
        run_id = uow.runs.start(SPOT_CHECK, started_by, {**parameters, "running_by_level": running})
        uow.run_sites.add(run_id, [int(s.id) for s in drawn])
    return SampleRun(run_id, False, len(drawn), 0)


def pending_targets(store: Store, run_id: int) -> list[SiteTarget]:
    """The run's sites without a stored inspection, in draw order."""
    with store.unit_of_work("继续抽查批次") as uow:
        uow.run_sites.reconcile(run_id)
        todo = [m.site_id for m in uow.run_sites.list(run_id) if m.state != "done"]
        sites = [uow.sites.get(i) for i in todo]
    return [SiteTarget(url=s.url, name=s.name, site_code=s.site_code) for s in sites]


def inspect_run(
    store: Store,
    settings: Settings,
    run_id: int,
    on_result: Callable[[SiteOutcome], None] | None = None,
    stop: threading.Event | None = None,
) -> list[SiteOutcome]:
    """Inspect what the run still misses. inspect_many saves each site as soon as it is done, and the
    membership is reconciled with the saved inspections (here, at the end, and on resume; never on
    the event loop), so an interrupted run (Ctrl-C, crash, `stop` set) resumes with the rest. The run
    is finished when nothing is missing."""
    with store.unit_of_work() as uow:
        run = uow.runs.get(run_id)
    if run is None or run.kind != SPOT_CHECK:
        raise WorkflowError(f"抽查批次不存在（编号 {run_id}）")
    settings = replace(settings, as_of=dt.date.fromisoformat(run.parameters["as_of"]))
    if run.parameters.get("rubric"):
        settings = replace(settings, rubric=run.parameters["rubric"])

    targets = pending_targets(store, run_id)
    try:
        outcomes = (
            inspect_sites(
                targets,
                repo=store,
                settings=settings,
                run_id=run_id,
                on_result=on_result,
                stop=stop,
                keep_models=False,  # a province's draw: each site is saved, the batch keeps summaries
            )
            if targets
            else []
        )
    finally:
        with store.unit_of_work("记录抽查批次") as uow:
            uow.run_sites.reconcile(run_id)
            if all(m.state == "done" for m in uow.run_sites.list(run_id)):
                uow.runs.finish(run_id)
    return outcomes


# --- results and 通报 --------------------------------------------------------------------------------


def _site_result(uow, site, inspection_id: int | None) -> results.SiteResult:
    base = {
        "site_id": str(site.id),
        "name": site.name,
        "region": site.region or "",
        "level": site.level or "",
        "kind": site.kind or "",
        "organiser": site.organiser or "",
        "url": site.url,
    }
    if inspection_id is None:
        return results.SiteResult(verdict="pending", **base)
    report = uow.inspections.report(inspection_id)
    findings = tuple(
        results.Finding(key, f.check, f.severity, f.points, f.message, f.url)
        for key, f in uow.inspections.finding_keys(inspection_id).items()
    )
    return results.SiteResult(
        verdict=report["verdict"],
        vetoes=tuple(report.get("vetoes") or ()),
        findings=findings,
        score=report.get("score"),
        **base,
    )


def _run(uow, run_id: int, site_ids: Collection[int] | None = None) -> results.Run:
    """The run; with `site_ids`, only those of its sites (a supervisor's part of a larger run,
    whose running-site counts are then unknown)."""
    run = uow.runs.get(run_id)
    members = uow.run_sites.list(run_id)
    running = dict(run.parameters.get("running_by_level") or {})
    if site_ids is not None:
        kept = [m for m in members if m.site_id in site_ids]
        if len(kept) != len(members):
            members, running = kept, {}
    site_results = tuple(_site_result(uow, uow.sites.get(m.site_id), m.inspection_id) for m in members)
    return results.Run(
        id=str(run_id),
        kind=run.parameters.get("label", DEFAULT_LABEL),
        as_of=dt.date.fromisoformat(run.parameters["as_of"]),
        results=site_results,
        running_by_level=running,
    )


def _latest_run(uow, run_id: int | None) -> int:
    runs = uow.run_sites.runs(SPOT_CHECK)
    if run_id is None:
        if not runs:
            raise WorkflowError("还没有抽查批次，请先运行 govinspect sample")
        return runs[-1]
    if run_id not in runs:
        raise WorkflowError(f"抽查批次不存在（编号 {run_id}）")
    return run_id


def spot_check_runs(store: Store) -> list[results.Run]:
    with store.unit_of_work() as uow:
        return [_run(uow, i) for i in uow.run_sites.runs(SPOT_CHECK)]


def run_results(
    store: Store, run_id: int | None = None, site_ids: Collection[int] | None = None
) -> results.RunStats:
    """合格率, 环比, 问题网站名单 … of a run (default: the newest) from the stored inspections;
    `site_ids` limits every run (this one and the 环比 base) to those sites."""
    with store.unit_of_work() as uow:
        run_id = _latest_run(uow, run_id)
        run = _run(uow, run_id, site_ids)
        history = [_run(uow, i, site_ids) for i in uow.run_sites.runs(SPOT_CHECK) if i != run_id]
        history = [h for h in history if h.kind == run.kind]
        previous = max((h for h in history if h.as_of <= run.as_of), key=lambda h: h.as_of, default=None)
        rechecks = _rechecks(uow, int(previous.id)) if previous else {}
        accounts = _newmedia_results(uow, run.as_of, site_ids)
    stats = results.run_stats(run, history, rechecks)
    if accounts:
        stats = replace(stats, newmedia=results.newmedia_stats(accounts, PLATFORMS))
    return stats


# The 通报 counts the 政务新媒体 checks of the month up to the run's date (the newest per account).
NEWMEDIA_PERIOD_DAYS = 31


def _newmedia_results(
    uow, as_of: dt.date, site_ids: Collection[int] | None = None
) -> list[results.AccountResult]:
    """The newest check in the period of every account still running (关停/注销/合并 accounts are
    not rated); with `site_ids`, only accounts whose 开办单位 runs one of those sites."""
    left = {
        (r.platform, r.account_id)
        for r in uow.session.scalars(
            select(NewMediaAccountRecord).where(NewMediaAccountRecord.status != "运行")
        )
    }
    organisers = None
    if site_ids is not None:
        organisers = set(
            uow.session.scalars(select(SiteRecord.organiser).where(SiteRecord.id.in_(list(site_ids))))
        ) - {None, ""}
    checks = uow.session.scalars(
        select(NewMediaCheckRecord)
        .where(
            NewMediaCheckRecord.as_of <= as_of,
            NewMediaCheckRecord.as_of > as_of - dt.timedelta(days=NEWMEDIA_PERIOD_DAYS),
        )
        .order_by(NewMediaCheckRecord.as_of, NewMediaCheckRecord.id)
    )
    newest: dict[tuple[str, str], NewMediaCheckRecord] = {}
    for check in checks:
        newest[(check.platform, check.account_id)] = check  # later ones win
    out = []
    for key, check in newest.items():
        row = check.result or {}
        organiser = str(row.get("organiser") or "")
        if key in left or (organisers is not None and organiser not in organisers):
            continue
        serious = [f for f in row.get("findings") or [] if f.get("severity") in ("veto", "deduct")]
        serious.sort(key=lambda f: (f.get("severity") != "veto", -float(f.get("points") or 0)))
        out.append(
            results.AccountResult(
                platform=check.platform,
                account_id=check.account_id,
                name=str(row.get("name") or check.account_id),
                organiser=organiser,
                verdict=check.verdict,
                vetoes=tuple(row.get("vetoes") or ()),
                problems=tuple(dict.fromkeys(str(f.get("message") or f.get("check")) for f in serious)),
            )
        )
    return out


@dataclass(frozen=True)
class RunSummary:
    """One 抽查 run for a list: its row and its sites' verdicts so far (limited as asked)."""

    run: RunRow
    sites: int
    done: int
    passed: int
    failed: int

    @property
    def label(self) -> str:
        return self.run.parameters.get("label", DEFAULT_LABEL)

    @property
    def as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.run.parameters["as_of"])


def run_summaries(store: Store, site_ids: Collection[int] | None = None) -> list[RunSummary]:
    """The 抽查 runs, newest first, counted over `site_ids` when given (runs without any of them
    are left out): no report is loaded, so this stays quick on a province."""
    out = []
    with store.unit_of_work() as uow:
        for run_id in reversed(uow.run_sites.runs(SPOT_CHECK)):
            members = [m for m in uow.run_sites.list(run_id) if site_ids is None or m.site_id in site_ids]
            if not members:
                continue
            ids = [m.inspection_id for m in members if m.inspection_id]
            values = list(
                uow.session.scalars(select(InspectionRecord.verdict).where(InspectionRecord.id.in_(ids)))
            )
            out.append(
                RunSummary(
                    uow.runs.get(run_id),
                    len(members),
                    sum(m.state == "done" for m in members),
                    values.count("pass"),
                    values.count("fail"),
                )
            )
    return out


def run_members(store: Store, run_id: int) -> tuple[RunRow, dict[int, int | None]]:
    """A 抽查 run and its sites (site id → stored inspection id, None while pending), in draw order."""
    with store.unit_of_work() as uow:
        run = uow.runs.get(run_id) if 0 < run_id < 2**62 else None
        if run is None or run.kind != SPOT_CHECK:
            raise WorkflowError(f"抽查批次不存在（编号 {run_id}）")
        return run, {m.site_id: m.inspection_id for m in uow.run_sites.list(run_id)}


def _rechecks(uow, run_id: int) -> dict[str, results.SiteResult]:
    """The newest 复查 of each task opened on `run_id`, as the follow-up's evidence."""
    out = {}
    for row in uow.rectify.list(run_id=run_id):
        if row.task.rechecks:
            out[row.task.site_id] = results.SiteResult(
                row.task.site_id, row.task.name, row.task.rechecks[-1].verdict
            )
    return out


def bulletin_info(as_of: dt.date) -> documents.BulletinInfo:
    return documents.BulletinInfo(
        title=f"关于{as_of.year}年{as_of.month}月政府网站抽查情况的通报",
        issuer="政府网站监管办公室",
        date=dt.date.today(),
    )


def bulletin_documents(
    store: Store,
    formats: Sequence[str],
    info: documents.BulletinInfo | None = None,
    run_id: int | None = None,
    site_ids: Collection[int] | None = None,
) -> tuple[results.RunStats, dict[str, bytes]]:
    """The 通报 of a run (limited to `site_ids` when given) as Word and/or Excel bytes, by format."""
    unknown = [f for f in formats if f not in ("docx", "xlsx")]
    if unknown or not formats:
        raise WorkflowError(f"通报格式只能是 docx 或 xlsx，而不是“{'、'.join(unknown)}”")
    from govinspect.workflow import office  # python-docx/openpyxl: only where a file is made

    stats = run_results(store, run_id, site_ids)
    info = info or bulletin_info(stats.run.as_of)
    return stats, {
        fmt: office.bulletin_docx(stats, info) if fmt == "docx" else office.bulletin_xlsx(stats, info)
        for fmt in formats
    }


def write_bulletin(
    store: Store,
    out_dir: Path,
    formats: Sequence[str],
    info: documents.BulletinInfo | None = None,
    run_id: int | None = None,
) -> list[Path]:
    """The 通报 of a run as Word and/or Excel files in out_dir."""
    stats, files = bulletin_documents(store, formats, info, run_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, data in files.items():
        path = out_dir / f"通报-抽查{stats.run.id}.{fmt}"
        path.write_bytes(data)
        written.append(path)
    return written


# --- 整改 and 复查 -------------------------------------------------------------------------------------


def _step(func, *args, **kwargs):
    """A pure transition; its refusal becomes a WorkflowError (passes through the unit of work)."""
    try:
        return func(*args, **kwargs)
    except (
        rectify.TransitionError,
        jiucuo.TransitionError,
        acc.RecordError,
        annual.AnnualReportError,
    ) as exc:
        raise WorkflowError(str(exc)) from None


def rubric_working_days(rubric: str, key: str) -> int:
    """A deadline in working days as the rubric sets it (a province may set its own)."""
    from govinspect.rules import RubricError, load_rubric
    from govinspect.rules.rubric import THRESHOLD_DEFAULTS

    try:
        return int(load_rubric(rubric).thresholds.get(key, THRESHOLD_DEFAULTS[key]))
    except RubricError as exc:
        raise WorkflowError(str(exc)) from None


def open_rectify(
    store: Store,
    run_id: int | None = None,
    *,
    opened: dt.date,
    working_days: int = DEFAULT_RECTIFY_DAYS,
    who: str = "系统",
    calendar: WorkingCalendar | None = None,
) -> list[TaskRow]:
    """A task for each failing site of the run that has none yet (running it twice opens nothing new)."""
    with store.unit_of_work("下发整改任务") as uow:
        run_id = _latest_run(uow, run_id)
        run = _run(uow, run_id)
        have = {r.site_id for r in uow.rectify.list(run_id=run_id)}
        inspections = {m.site_id: m.inspection_id for m in uow.run_sites.list(run_id)}
        ids = []
        for task in rectify.open_tasks(
            run, opened=opened, working_days=working_days, who=who, calendar=calendar
        ):
            site_id = int(task.site_id)
            if site_id not in have:
                ids.append(uow.rectify.add(task, site_id, run_id, inspections.get(site_id)))
        return [uow.rectify.get(i) for i in ids]


def list_rectify(store: Store, run_id: int | None = None, status: str | None = None) -> list[TaskRow]:
    with store.unit_of_work() as uow:
        rows = uow.rectify.list(run_id=run_id)
    return [r for r in rows if status is None or r.task.status == status]


def overdue_rectify(store: Store, today: dt.date) -> list[TaskRow]:
    rows = list_rectify(store)
    late = {id(t) for t in rectify.overdue([r.task for r in rows], today)}
    return sorted((r for r in rows if id(r.task) in late), key=lambda r: (r.task.deadline.date, r.id))


def _task(store: Store, task_id: int) -> TaskRow:
    try:
        with store.unit_of_work() as uow:
            return uow.rectify.get(task_id)
    except NotFoundError as exc:
        raise WorkflowError(str(exc)) from None


def note_rectify(
    store: Store, task_id: int, text: str, *, by: str, when: dt.datetime, finding_keys: Sequence[str] = ()
) -> TaskRow:
    row = _task(store, task_id)
    task = _step(rectify.submit_note, row.task, text, by=by, when=when, finding_keys=finding_keys)
    with store.unit_of_work("保存整改说明") as uow:
        uow.rectify.save(task_id, task)
        return uow.rectify.get(task_id)


def decide_rectify(
    store: Store, task_id: int, number: int, *, accepted: bool, by: str, when: dt.datetime, reason: str = ""
) -> TaskRow:
    row = _task(store, task_id)
    task = _step(rectify.decide_note, row.task, number, accepted=accepted, by=by, when=when, reason=reason)
    with store.unit_of_work("保存说明审核") as uow:
        uow.rectify.save(task_id, task)
        return uow.rectify.get(task_id)


def recheck_rectify(
    store: Store,
    settings: Settings,
    task_ids: Sequence[int],
    *,
    by: str,
    when: dt.datetime | None = None,
    on_result: Callable[[SiteOutcome], None] | None = None,
    stop: threading.Event | None = None,
) -> list[TaskRow]:
    """复查: re-inspect the tasks' sites (one 复查 run) and file each result, by stable finding key.
    Stopped (`stop` set), nothing is filed: the tasks keep their state and can be re-checked again."""
    rows = [_task(store, i) for i in task_ids]
    closed = [f"{r.id}（{r.task.status}）" for r in rows if not r.task.is_open]
    if closed:
        raise WorkflowError(f"整改任务已结束，不能复查：{'、'.join(closed)}")
    with store.unit_of_work() as uow:
        sites = {r.site_id: uow.sites.get(r.site_id) for r in rows}
        run_id = uow.runs.start(
            "recheck", by, {"tasks": [r.id for r in rows], "as_of": str(settings.effective_as_of())}
        )
    targets = [SiteTarget(url=s.url, name=s.name, site_code=s.site_code) for s in sites.values()]
    outcomes = inspect_sites(
        targets,
        repo=store,
        settings=settings,
        run_id=run_id,
        on_result=on_result,
        stop=stop,
        keep_models=False,  # filed from the saved inspections
    )
    by_url = {o.inspection.url: o for o in outcomes}
    when = when or dt.datetime.now().replace(microsecond=0)
    out = []
    with store.unit_of_work("保存复查结果") as uow:
        for row in rows:
            site = sites[row.site_id]
            outcome = by_url.get(site.url)
            if outcome is None or outcome.inspection_id is None:
                after = results.SiteResult(str(site.id), site.name, "error")
            else:
                after = _site_result(uow, site, outcome.inspection_id)
            task = _step(rectify.record_recheck, row.task, after, by=by, when=when)
            uow.rectify.save(row.id, task)
            out.append(uow.rectify.get(row.id))
        uow.runs.finish(run_id)
    return out


# --- 找错 --------------------------------------------------------------------------------------------


def _route(uow, message: jiucuo.Message) -> tuple[jiucuo.Message, str]:
    """The message attached to its site (by 标识码, else 出错网址) and why not, when no site claims it."""
    routed, unrouted = jiucuo.route([message], [registry_site(r) for r in uow.sites.list()])
    return routed[0], unrouted[0].reason if unrouted else ""


def add_message(store: Store, message: jiucuo.Message) -> tuple[jiucuo.Message, str]:
    """Store one message (routed to its site when the registry knows it); returns it and the
    reason it could not be routed ('' when it was)."""
    problems = []
    if not message.number.strip():
        problems.append("缺少留言编号")
    if message.site_code and not jiucuo.SITE_CODE_RE.match(message.site_code):
        problems.append(f"网站标识码“{message.site_code}”格式不对（应为10位数字或bm加8位数字）")
    if problems:
        raise WorkflowError("；".join(problems))
    with store.unit_of_work("保存找错留言") as uow:
        routed, reason = _route(uow, message)
        uow.jiucuo.add(routed)
    return routed, reason


@dataclass(frozen=True)
class MessageImport:
    imported: int
    unrouted: list[tuple[str, str]]  # (留言编号, reason): kept, listed, not dropped


def import_messages(store: Store, path: Path, *, source: str = "平台导出") -> MessageImport:
    """The platform's export (CSV/XLSX), all or nothing: WorkflowError names every bad row."""
    try:
        rows = read_rows(path)
    except ImportFileError as exc:
        raise WorkflowError(str(exc)) from None
    header = [str(h or "").strip() for h in rows[0]]
    records = [dict(zip(header, r, strict=False)) for r in rows[1:] if any((c or "").strip() for c in r)]
    with store.unit_of_work("导入找错留言") as uow:
        try:
            messages = jiucuo.parse_export(records, source=source, known=uow.jiucuo.numbers())
        except jiucuo.ExportError as exc:
            raise WorkflowError(
                f"{path.name} 有{len(exc.errors)}处错误，未导入任何留言",
                [f"第{e.line}行：{e.message}" for e in exc.errors],
            ) from None
        routed, unrouted = jiucuo.route(messages, [registry_site(r) for r in uow.sites.list()])
        for m in routed:
            uow.jiucuo.add(m)
    return MessageImport(len(routed), [(u.message.number, u.reason) for u in unrouted])


def change_message(
    store: Store,
    number: str,
    to: str,
    *,
    who: str,
    when: dt.datetime,
    result: str = "",
    reason: str = "",
    duplicate_of: str = "",
    site: str = "",
    note: str = "",
) -> jiucuo.Message:
    """One status change (kept with who and when); `site` (URL or 标识码) routes it by hand."""
    with store.unit_of_work("保存留言办理") as uow:
        message = uow.jiucuo.get(number)
        if message is None:
            raise WorkflowError(f"没有编号为{number}的留言")
        if duplicate_of and uow.jiucuo.get(duplicate_of) is None:
            raise WorkflowError(f"原留言{duplicate_of}不存在")
        site_id = str(_site_id(uow, site)) if site else ""
        changed = _step(
            jiucuo.change_status,
            message,
            to,
            who=who,
            when=when,
            result=result,
            reason=reason,
            duplicate_of=duplicate_of,
            site_id=site_id,
            note=note,
        )
        uow.jiucuo.save(changed)
        return uow.jiucuo.get(number)


def list_messages(store: Store, status: str | None = None) -> list[jiucuo.Message]:
    with store.unit_of_work() as uow:
        return uow.jiucuo.list(status)


def message_deadline(message: jiucuo.Message, working_days: int = jiucuo.DEFAULT_WORKING_DAYS):
    return jiucuo.deadline(message, working_days)


def overdue_messages(
    store: Store, today: dt.date, working_days: int = jiucuo.DEFAULT_WORKING_DAYS
) -> list[jiucuo.Due]:
    return jiucuo.overdue(list_messages(store), today, working_days=working_days)


def message_reminders(
    store: Store, today: dt.date, within: int = 1, working_days: int = jiucuo.DEFAULT_WORKING_DAYS
) -> list[jiucuo.Due]:
    return jiucuo.reminders(list_messages(store), today, within=within, working_days=working_days)


def completion_rate(
    store: Store, start: dt.date, end: dt.date, working_days: int = jiucuo.DEFAULT_WORKING_DAYS
) -> jiucuo.Completion:
    return jiucuo.completion(list_messages(store), start, end, working_days=working_days)


# --- 问责 --------------------------------------------------------------------------------------------


def add_accountability(
    store: Store,
    *,
    person: str,
    unit: str,
    form: str,
    date: dt.date,
    reason: str = "",
    site: str = "",
    run_id: int | None = None,
    by: str,
) -> int:
    with store.unit_of_work("保存问责记录") as uow:
        site_id = str(_site_id(uow, site)) if site else ""
        if run_id is not None and uow.runs.get(run_id) is None:
            raise WorkflowError(f"检查批次不存在（编号 {run_id}）")
        record = acc.Record(person, unit, form, date, reason, site_id, str(run_id or ""))
        _step(acc.validate, record)
        return uow.accountability.add(record, by)


def list_accountability(store: Store, year: int | None = None, keep: Callable[[Any], bool] | None = None):
    """The records (of `year`), those `keep` accepts when given (a supervisor's part)."""
    with store.unit_of_work() as uow:
        return [r for r in uow.accountability.list(year) if keep is None or keep(r)]


def accountability_counts(
    store: Store, year: int, keep: Callable[[Any], bool] | None = None
) -> list[acc.QuarterCount]:
    return _step(acc.quarterly_counts, [r.record for r in list_accountability(store, year, keep)], year)


# --- 年度报表 ----------------------------------------------------------------------------------------

ANNUAL_KINDS = ("supervision", "work")


def _subject(uow, kind: str, site: str | None):
    if kind not in ANNUAL_KINDS:
        raise WorkflowError(
            f"报表类型只能是 supervision（监管年度报表）或 work（工作年度报表），而不是“{kind}”"
        )
    if kind == "work":
        if not site:
            raise WorkflowError("工作年度报表须用 --site 指定网站")
        return uow.sites.get(_site_id(uow, site))
    return None


def _typed(value: str) -> Any:
    """Hand-entered text as a number where it is one, so Excel sums it; a phone number such as
    0791-1234567 or a code with a leading zero stays text."""
    if not re.fullmatch(r"-?(0|[1-9]\d*)(\.\d+)?", value.strip()):
        return value
    number = Decimal(value.strip())
    return int(number) if "." not in value else number


def annual_report(
    store: Store,
    year: int,
    kind: str,
    *,
    site: str | None = None,
    unit: str = "（填报单位）",
    site_ids: Collection[int] | None = None,
    jiucuo_working_days: int = jiucuo.DEFAULT_WORKING_DAYS,
) -> annual.AnnualReport:
    """Compute the report from stored data and the values entered by hand. `site_ids` limits the
    监管年度报表's computed cells to those sites (a supervisor's regions); None counts every site.
    `jiucuo_working_days`: the rubric's 找错 deadline, for the 按时办结 counts."""
    with store.unit_of_work() as uow:
        row = _subject(uow, kind, site)
        manual = {k: _typed(v) for k, v in uow.annual.values(year, kind, row.id if row else None).items()}
        if row is not None:
            auto = _work_auto(uow, row, manual)
            return _step(annual.work_report, year, registry_site(row), auto=auto, manual=manual)

        def kept(site_id) -> bool:
            return site_ids is None or (bool(site_id) and int(site_id) in site_ids)

        sites = [registry_site(r) for r in uow.sites.list() if kept(r.id)]
        records = [r.record for r in uow.accountability.list() if kept(r.record.site_id)]
        messages = [m for m in uow.jiucuo.list() if kept(m.site_id)]
        runs = [_run(uow, i, site_ids) for i in uow.run_sites.runs(SPOT_CHECK)]
        unit = manual.pop("填报单位", unit)
    return _step(
        annual.supervision_report,
        year,
        unit,
        runs=runs,
        sites=sites,
        accountability=records,
        messages=messages,
        jiucuo_working_days=jiucuo_working_days,
        manual=manual,
    )


def _work_auto(uow, row, manual: dict[str, Any]) -> dict[str, Any]:
    """The work report's cells the registries fill: 移动新媒体 names from the 政务新媒体 registry.
    A value already entered by hand stays (entered before the accounts were imported)."""
    cells = annual.newmedia_cells(uow.newmedia.list(), row.organiser or "")
    return {k: v for k, v in cells.items() if k not in manual}


def set_annual_value(
    store: Store, year: int, kind: str, key: str, value: str, *, site: str | None = None, by: str
) -> None:
    """Keep a hand-entered value (earlier values stay as history); refused when the form has no such
    cell or the system computes it."""
    with store.unit_of_work("保存年度报表数据") as uow:
        row = _subject(uow, kind, site)
        site_id = row.id if row else None
        if not (kind == "supervision" and key == "填报单位"):
            manual = {**uow.annual.values(year, kind, site_id), key: value}
            if row is not None:
                auto = _work_auto(uow, row, manual={})
                _step(annual.work_report, year, registry_site(row), auto=auto, manual=manual)
            else:
                _step(annual.build, "", year, "", annual.SUPERVISION_SPEC, _supervision_auto_keys(), manual)
        uow.annual.set(year, kind, site_id, key, value, by)


def _supervision_auto_keys() -> dict[str, Any]:
    """The cells the system computes in the 监管年度报表 (their values do not matter here)."""
    report = annual.supervision_report(2000, "")
    return {c.key: c.value for c in report.cells() if c.source == annual.AUTO}


def annual_document(report: annual.AnnualReport, fmt: str) -> bytes:
    if fmt not in ("docx", "xlsx"):
        raise WorkflowError(f"报表格式只能是 docx 或 xlsx，而不是“{fmt}”")
    from govinspect.workflow import office

    return office.annual_xlsx(report) if fmt == "xlsx" else office.annual_docx(report)


def write_annual(report: annual.AnnualReport, out_dir: Path, formats: Sequence[str], stem: str) -> list[Path]:
    unknown = [f for f in formats if f not in ("docx", "xlsx")]
    if unknown or not formats:
        raise WorkflowError(f"报表格式只能是 docx 或 xlsx，而不是“{'、'.join(unknown)}”")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out_dir / f"{stem}.{fmt}"
        path.write_bytes(annual_document(report, fmt))
        written.append(path)
    return written
