"""Command line: `govinspect check`, `govinspect demo`, `govinspect rubric show`.

Thin on purpose: parsing options and printing; the work is in govinspect.service.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from govinspect import service
from govinspect.registry import (
    ImportFileError,
    InvalidURLError,
    OverridesError,
    SiteTarget,
    normalize_url,
    read_sites,
    validate_overrides,
)
from govinspect.rules import DEFAULT_RUBRIC, RubricError, load_rubric
from govinspect.service import SiteOutcome
from govinspect.settings import Settings, SettingsError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="政府网站检查工具 govinspect")
rubric_app = typer.Typer(no_args_is_help=True, help="评分规则")
app.add_typer(rubric_app, name="rubric")
sites_app = typer.Typer(no_args_is_help=True, help="网站名录：导入、查看、个性化配置、首页基线")
app.add_typer(sites_app, name="sites")
newmedia_app = typer.Typer(no_args_is_help=True, help="政务新媒体：账号名录导入、查看、检查")
app.add_typer(newmedia_app, name="newmedia")

# soft_wrap: a line is never folded at the console width — automation reads messages whole, and a
# long path would otherwise split a Chinese message mid-word (tables still fit the width).
console = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

VERDICT_LABELS = {"pass": "合格", "fail": "不合格", "error": "无法检查"}
VERDICT_STYLES = {"pass": "green", "fail": "red", "error": "yellow"}


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]错误：[/red]{message}")
    raise typer.Exit(code)


def parse_as_of(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--as-of 日期“{value}”格式错误，应为 YYYY-MM-DD")
    return None


def parse_formats(value: str | None) -> tuple[str, ...] | None:
    from govinspect.settings import parse_formats as parse

    if value is None:
        return None
    try:
        return parse(value)
    except SettingsError as exc:
        fail(str(exc))
    return None


def load_settings(**options) -> Settings:
    """Defaults, then GOVINSPECT_* variables, then the options given on the command line."""
    try:
        return Settings.from_env().with_options(**options)
    except SettingsError as exc:
        fail(str(exc))
    raise AssertionError  # fail() exits


def open_store(settings: Settings):
    from govinspect.store import Store

    try:
        return Store(settings.database_url)
    except Exception as exc:
        fail(f"无法打开数据库 {settings.database_url}：{exc}", code=1)


def print_scorecard(outcome: SiteOutcome) -> None:
    """The scorecard: verdict, score, vetoes with evidence, deductions by family, what to fix first."""
    from rich.markup import escape as esc

    from govinspect.report.labels import evidence_label, family_of
    from govinspect.report.scorecard import family_totals, fix_first, fix_first_text

    insp = outcome.inspection
    if outcome.store_error:
        err.print(f"[red]错误：[/red]{esc(outcome.store_error)}（{esc(insp.url)}，报告文件已写入）")
    report = insp.to_report()
    label = VERDICT_LABELS.get(insp.verdict, insp.verdict)
    style = VERDICT_STYLES.get(insp.verdict, "white")
    console.rule(f"[bold]{esc(insp.site_name)}[/bold]  {esc(insp.url)}")
    if insp.verdict == "error":
        console.print(f"结论：[{style}]{label}[/{style}]  原因：{esc(str(insp.error))}")
        return
    record = f"  记录编号：{outcome.inspection_id}" if outcome.inspection_id else ""
    console.print(
        f"结论：[{style}]{label}[/{style}]  得分：{'单项否决' if insp.vetoes else f'{insp.score:g}'}  "
        f"检查日期：{insp.as_of}  评分规则：{insp.rubric}  "
        f"页面：{insp.stats.get('pages', 0)}  链接：{insp.stats.get('links_checked', 0)}  "
        f"用时：{insp.stats.get('elapsed_s', 0)}秒{record}"
    )
    for rule in insp.stats.get("veto_rules", []):
        console.print(f"  [red]单项否决[/red] {esc(str(rule))}")
    for f in insp.findings:
        if f.severity == "veto":
            evidence = "；".join(
                f"{evidence_label(k)}：{v}" for k, v in f.evidence.items() if v not in (None, "", [])
            )
            console.print(f"    [red]·[/red] {esc(f.message)}  {esc(f.url)}")
            if evidence:
                console.print(f"      [dim]{esc(evidence)}[/dim]")
    if not insp.findings:
        console.print("  未发现问题")
        return
    totals = [t for t in family_totals(report) if t["count"]]
    console.print("  " + "  ".join(f"{t['family']}：{t['count']}个问题/扣{t['points']:g}分" for t in totals))
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for name in ("指标", "类别", "扣分", "问题", "位置"):
        table.add_column(name, justify="right" if name == "扣分" else "left", overflow="fold")
    order = {t["family"]: i for i, t in enumerate(family_totals(report))}
    for f in sorted(insp.findings, key=lambda x: order.get(family_of(x.check), 99)):
        if f.severity == "veto":
            continue  # listed above with evidence
        kind = {"deduct": "扣分", "info": "[dim]提示[/dim]"}[f.severity]
        table.add_row(
            family_of(f.check),
            kind,
            f"{f.points:g}" if f.severity == "deduct" else "",
            esc(f.message),
            esc(f.url),
        )
    if table.row_count:
        console.print(table)
    first = fix_first(report)
    if first:
        console.print("[bold]首先整改：[/bold]")
        todo = Table.grid(padding=(0, 1))
        todo.add_column(justify="right")
        todo.add_column(overflow="fold")
        for i, entry in enumerate(first, 1):
            style = "red" if entry["kind"] == "veto" else ""
            todo.add_row(
                f"{i}.",
                f"[{style}]{esc(fix_first_text(entry))}[/{style}]" if style else esc(fix_first_text(entry)),
            )
        console.print(todo)
    skipped = insp.stats.get("skipped") or {}
    if skipped:
        console.print(
            "  [dim]未检查：" + esc("；".join(f"{why} {n}个" for why, n in skipped.items())) + "[/dim]"
        )
    avail = insp.availability
    if avail.get("provisional"):
        console.print(
            f"  [dim]可用性监测{avail.get('probes')}次（规则要求{avail.get('required')}次），结论为暂定[/dim]"
        )


def print_summary(outcomes: list[SiteOutcome], out_dir: Path | None, db_note: str) -> None:
    from govinspect.report.labels import check_label

    table = Table(title="检查汇总", header_style="bold")
    for col in ("网站", "网址", "结论", "得分", "否决项", "问题数"):
        table.add_column(col)
    for o in outcomes:
        i = o.inspection
        style = VERDICT_STYLES.get(i.verdict, "white")
        score = "-" if i.verdict == "error" else ("单项否决" if i.vetoes else f"{i.score:g}")
        table.add_row(
            escape(i.site_name),  # crawled text: never Rich markup
            escape(i.url),
            f"[{style}]{VERDICT_LABELS.get(i.verdict, i.verdict)}[/{style}]",
            score,
            "、".join(check_label(v) for v in i.vetoes) or "-",
            str(len(i.findings)),
        )
    console.print(table)
    if out_dir is not None:
        console.print(f"报告已写入：{out_dir.resolve()}")
    console.print(db_note)


def run_and_report(targets: list[SiteTarget], settings: Settings, run_parameters: dict) -> list[SiteOutcome]:
    try:
        load_rubric(settings.rubric)
    except RubricError as exc:
        fail(str(exc))
    store = open_store(settings)
    settings.out_dir.mkdir(parents=True, exist_ok=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    sites_task = progress.add_task("网站", total=len(targets))
    pages_task = progress.add_task("页面", total=None)
    links_task = progress.add_task("链接", total=None)

    def on_progress(kind: str, n: int) -> None:
        progress.advance(pages_task if kind == "page" else links_task, n)

    def on_result(outcome: SiteOutcome) -> None:
        progress.advance(sites_task)
        print_scorecard(outcome)

    try:
        run_id = service.start_run(store, "manual", settings.started_by, run_parameters)
        with progress:
            outcomes = service.inspect_sites(
                targets,
                repo=store,
                settings=settings,
                run_id=run_id,
                on_result=on_result,
                on_progress=on_progress,
                keep_models=False,  # the scorecards and the summary need the inspections only
            )
        service.finish_run(store, run_id)
    finally:
        url = str(store.engine.url)
        store.close()
    service.write_batch_summary(outcomes, settings.out_dir, settings.formats)
    print_summary(outcomes, settings.out_dir, f"检查结果已保存到数据库：{url}")
    unsaved = [o for o in outcomes if o.store_error]
    if unsaved:
        # Automation must notice: the reports exist, but the history lacks these inspections.
        err.print(f"[red]错误：[/red]{len(unsaved)}个网站的检查结果未能保存到数据库，请检查数据库后重新检查")
        raise typer.Exit(1)
    return outcomes


AsOf = Annotated[str | None, typer.Option("--as-of", help="按此日期判断是否更新（YYYY-MM-DD，默认今天）")]
Out = Annotated[Path | None, typer.Option("--out", help="报告输出目录（默认 reports）")]
MaxPages = Annotated[
    int | None, typer.Option("--max-pages", min=1, help="每个网站最多抓取的页面数（默认400）")
]
Proxy = Annotated[str | None, typer.Option("--proxy", help="HTTP 代理地址（也可用 HTTP_PROXY 等环境变量）")]
RubricOpt = Annotated[str | None, typer.Option("--rubric", help="评分规则名称或 YAML 文件（默认 gov-2019）")]
Formats = Annotated[
    str | None, typer.Option("--format", help="报告格式，逗号分隔：json,html,xlsx,docx（默认 json,html）")
]
Db = Annotated[
    str | None, typer.Option("--db", help="数据库 URL（默认 GOVINSPECT_DATABASE_URL 或 ./govinspect.db）")
]
Timeout = Annotated[float | None, typer.Option("--timeout", min=0.1, help="单次请求超时（秒，默认15）")]
Probes = Annotated[int | None, typer.Option("--probes", min=1, help="本次运行中首页可用性监测次数（默认3）")]
SiteDeadline = Annotated[
    float | None,
    typer.Option(
        "--site-deadline",
        min=1.0,
        help="单个网站的检查时限（秒，默认600）；到时按已读取的内容出具报告，并注明未检查的部分",
    ),
]
SitesAtOnce = Annotated[
    int | None,
    typer.Option("--sites-at-once", min=1, help="同时检查的网站数（默认按请求并发上限自动确定）"),
]


@app.command()
def check(
    url: Annotated[str | None, typer.Argument(help="网站首页网址")] = None,
    sites: Annotated[
        Path | None, typer.Option("--sites", help="网站清单 CSV/XLSX（至少含 name,url 列）")
    ] = None,
    as_of: AsOf = None,
    out: Out = None,
    max_pages: MaxPages = None,
    proxy: Proxy = None,
    rubric: RubricOpt = None,
    format: Formats = None,
    db: Db = None,
    timeout: Timeout = None,
    probes: Probes = None,
    site_deadline: SiteDeadline = None,
    sites_at_once: SitesAtOnce = None,
    render: Annotated[
        str | None,
        typer.Option(
            "--render", help="JavaScript 页面：auto（仅在需要时用 Chromium 渲染，默认）、never、always"
        ),
    ] = None,
    screenshot: Annotated[
        Path | None, typer.Option("--screenshot", help="首页截图保存目录（作为证据）")
    ] = None,
    robots: Annotated[
        bool | None,
        typer.Option("--robots/--no-robots", help="遵守 robots.txt（自查默认遵守；经授权的监管检查可关闭）"),
    ] = None,
    distributed: Annotated[
        bool,
        typer.Option(
            "--distributed", help="分布式检查：每个网站一个任务，交给工作进程（govinspect worker）执行"
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait/--no-wait", help="分布式检查时等待全部完成并生成报告（默认等待）"),
    ] = True,
) -> None:
    """检查一个网站，或清单中的所有网站。"""
    if (url is None) == (sites is None):
        fail("请给出一个网址，或用 --sites 指定网站清单（二者选一）")
    targets: list[SiteTarget] = []
    if url is not None:
        try:
            targets = [SiteTarget(url=normalize_url(url))]
        except InvalidURLError as exc:
            fail(str(exc))
    else:
        try:
            targets, row_errors = read_sites(sites)
        except ImportFileError as exc:
            fail(str(exc))
        for row_error in row_errors:
            err.print(f"[yellow]跳过：[/yellow]{row_error.message}")
        if not targets:
            fail("网站清单中没有可检查的网站")
    settings = load_settings(
        timeout=timeout,
        max_pages=max_pages,
        probes=probes,
        proxy=proxy,
        render=render,
        robots=robots,
        screenshot_dir=str(screenshot) if screenshot else None,
        as_of=parse_as_of(as_of),
        rubric=rubric,
        out_dir=out,
        formats=parse_formats(format),
        database_url=db,
        site_deadline=site_deadline,
        site_concurrency=sites_at_once,
    )
    parameters = {"sites": len(targets), "as_of": str(settings.effective_as_of()), "rubric": settings.rubric}
    if distributed:
        run_distributed(targets, settings, parameters, wait)
        return
    run_and_report(targets, settings, parameters)


# ---- distributed mode (govinspect.workers) -------------------------------------------------------

RUN_STATUS_LABELS = {"running": "进行中", "finished": "已完成", "cancelled": "已取消", "failed": "失败"}


def _celery_app(settings: Settings):
    from govinspect.workers import BrokerError, check_broker, make_app

    celery_app = make_app(settings)
    try:
        check_broker(celery_app)
    except BrokerError as exc:
        fail(escape(str(exc)))
    return celery_app


def run_distributed(targets: list[SiteTarget], settings: Settings, parameters: dict, wait: bool) -> None:
    """Enqueue one task per site; then (wait) follow the run in the database and write its reports."""
    from govinspect.workers import submit_run

    try:
        load_rubric(settings.rubric)
    except RubricError as exc:
        fail(str(exc))
    store = open_store(settings)
    try:
        celery_app = _celery_app(settings)
        try:
            run_id = submit_run(store, celery_app, targets, settings, parameters)
        except Exception as exc:
            fail(escape(f"提交检查任务失败：{exc}"))
        console.print(
            f"已提交检查批次 {run_id}：{len(targets)}个网站，队列 {escape(settings.queue)}；"
            f"由工作进程执行（govinspect worker）"
        )
        if not wait:
            console.print(f"查看进度：govinspect run status {run_id}；取消：govinspect run cancel {run_id}")
            return
        _follow_run(store, run_id)
        _write_run_reports(store, run_id, settings)
    finally:
        store.close()


def _follow_run(store, run_id: int, poll_s: float = 1.0) -> None:
    import time

    from govinspect.workers import run_progress

    last = ""
    while True:
        progress = run_progress(store, run_id)
        line = progress.text()
        if line != last:
            console.print(f"检查批次 {run_id}：{line}")
            last = line
        if progress.finished:
            return
        time.sleep(poll_s)


def _write_run_reports(store, run_id: int, settings: Settings) -> None:
    with store.unit_of_work("读取检查批次") as uow:
        rows = uow.run_tasks.list(run_id)
    ids = [r.inspection_id for r in rows if r.inspection_id is not None]
    reports = service.stored_reports(store, ids)
    table = Table(title=f"检查批次 {run_id} 汇总", header_style="bold")
    for col in ("网站", "网址", "结论", "得分", "问题数"):
        table.add_column(col)
    for r in reports:
        verdict = r["verdict"]
        style = VERDICT_STYLES.get(verdict, "white")
        score = "-" if verdict == "error" else ("单项否决" if r["vetoes"] else f"{r['score']:g}")
        table.add_row(
            escape(r["site"]["name"]),
            escape(r["site"]["url"]),
            f"[{style}]{VERDICT_LABELS.get(verdict, verdict)}[/{style}]",
            score,
            str(len(r["findings"])),
        )
    console.print(table)
    if settings.out_dir is not None and reports:
        written = service.render_reports(reports, settings.out_dir, settings.formats)
        console.print(f"报告已写入：{settings.out_dir.resolve()}（{len(written)}个文件）")


run_app = typer.Typer(no_args_is_help=True, help="分布式检查批次：查看进度、取消")
app.add_typer(run_app, name="run")


def _open_run_store(db: str | None):
    return open_store(load_settings(database_url=db))


@run_app.command("status")
def run_status(
    run_id: Annotated[int, typer.Argument(help="检查批次编号")],
    sites: Annotated[bool, typer.Option("--sites", help="列出每个网站的状态")] = False,
    db: Db = None,
) -> None:
    """显示检查批次的进度：排队、检查中、完成、失败、已取消的网站数。"""
    from govinspect.store import RUN_TASK_STATES, NotFoundError
    from govinspect.workers import run_progress

    store = _open_run_store(db)
    try:
        progress = run_progress(store, run_id)
        with store.unit_of_work("读取检查批次") as uow:
            rows = uow.run_tasks.list(run_id)
    except NotFoundError as exc:
        fail(str(exc))
    finally:
        store.close()
    status = RUN_STATUS_LABELS.get(progress.status, progress.status)
    console.print(f"检查批次 {run_id}（{status}）：{progress.text()}")
    if sites:
        table = Table(header_style="bold")
        for col in ("网址", "状态", "尝试次数", "工作进程", "检查记录", "说明"):
            table.add_column(col, overflow="fold")
        for r in rows:
            table.add_row(
                escape(r.url),
                RUN_TASK_STATES.get(r.status, r.status),
                str(r.attempts),
                escape(r.worker or "-"),
                str(r.inspection_id or "-"),
                escape(r.error or ""),
            )
        console.print(table)


@run_app.command("cancel")
def run_cancel(run_id: Annotated[int, typer.Argument(help="检查批次编号")], db: Db = None) -> None:
    """取消检查批次：尚在排队的网站不再检查（正在检查的网站会完成）。"""
    from govinspect.store import NotFoundError
    from govinspect.workers import cancel_run

    store = _open_run_store(db)
    try:
        cancelled = cancel_run(store, run_id)
    except NotFoundError as exc:
        fail(str(exc))
    finally:
        store.close()
    console.print(f"已取消检查批次 {run_id}：{cancelled}个排队中的网站不再检查")


@app.command()
def worker(
    concurrency: Annotated[
        int | None, typer.Option("--concurrency", min=1, help="同时检查的网站数（进程数，默认为CPU核数）")
    ] = None,
    queues: Annotated[
        str | None,
        typer.Option("--queues", help="监听的队列，逗号分隔（默认 GOVINSPECT_QUEUE 及其 .probe 队列）"),
    ] = None,
    vantage: Annotated[
        str | None, typer.Option("--vantage", help="本工作进程的监测点名称（记录在每次可用性监测中）")
    ] = None,
    hostname: Annotated[
        str | None, typer.Option("--hostname", help="工作进程名称（默认 govinspect@主机名）")
    ] = None,
    broker: Annotated[
        str | None,
        typer.Option("--broker", help="消息队列地址（默认 GOVINSPECT_BROKER_URL 或本机 RabbitMQ）"),
    ] = None,
    loglevel: Annotated[str, typer.Option("--loglevel", help="日志级别：debug、info、warning")] = "info",
    db: Db = None,
) -> None:
    """启动分布式检查的工作进程（Celery），执行 check --distributed 提交的任务。"""
    from govinspect.workers.app import probe_queue

    settings = load_settings(database_url=db, vantage=vantage, broker_url=broker)
    open_store(settings).close()  # the database answers and has the latest schema
    celery_app = _celery_app(settings)
    argv = [
        "worker",
        f"--loglevel={loglevel}",
        "--pool=prefork",
        "-Q",
        queues or f"{settings.queue},{probe_queue(settings)}",
        "-n",
        hostname or "govinspect@%h",
    ]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    console.print(
        f"工作进程启动：消息队列 {escape(celery_app.connection_for_write().as_uri())}，"
        f"数据库 {escape(settings.database_url)}，监测点 {escape(settings.vantage)}"
    )
    celery_app.worker_main(argv)


SEVERITY_NAMES = {"veto": "单项否决", "deduct": "扣分", "info": "提示"}
CHECK_NAMES = {
    "content.typo": "错别字",
    "content.typo_suspect": "疑似错别字",
    "content.serious_error": "严重表述错误",
    "security.content_injection": "植入推广内容",
    "security.spam_injection": "违规词",
}


@app.command()
def proofread(
    files: Annotated[list[str], typer.Argument(help="要校对的文件（.txt/.docx/.html），“-”表示标准输入")],
    fmt: Annotated[
        str, typer.Option("--format", help="输出格式：table（表格）或 jsonl（每行一条JSON）")
    ] = "table",
    as_of: Annotated[str | None, typer.Option("--date", help="稿件所述日期 YYYY-MM-DD（默认今天）")] = None,
) -> None:
    """发布前校对稿件：错别字、严重表述错误、植入推广内容、违规词（不联网）。"""
    from govinspect.proofread import ProofreadError, jsonl, proofread_document, read_document

    if fmt not in ("table", "jsonl"):
        fail(f"--format 只能是 table 或 jsonl，而不是“{fmt}”")
    day = parse_as_of(as_of)
    findings = []
    for name in files:
        try:
            findings.extend(proofread_document(read_document(name), day))
        except ProofreadError as exc:
            fail(str(exc))
    if fmt == "jsonl":
        sys.stdout.write(jsonl(findings))
        return
    if not findings:
        console.print(f"未发现问题（已校对{len(files)}个文件）")
        return
    for name in dict.fromkeys(f.file for f in findings):
        console.print(f"文件：{escape(name)}")
        table = Table(show_lines=False)
        for head in ("位置", "检查项", "级别", "原文", "建议", "置信度"):
            # Short labels stay on one line; quoted text folds.
            table.add_column(
                head,
                overflow="fold",
                no_wrap=head not in ("原文", "建议"),
                min_width=8 if head in ("原文", "建议") else None,
            )
        for f in findings:
            if f.file != name:
                continue
            table.add_row(
                f"第{f.line}行第{f.offset + 1}字",
                CHECK_NAMES.get(f.check, f.check),
                SEVERITY_NAMES.get(f.severity, f.severity),
                escape(f.text[:60]),
                escape(f.suggestion),
                f"{f.confidence:.0%}",
            )
        console.print(table)
    console.print(f"共发现{len(findings)}处问题（已校对{len(files)}个文件）")


@app.command()
def demo(
    out: Out = None,
    as_of: AsOf = None,
    max_pages: MaxPages = None,
    db: Db = None,
    rubric: RubricOpt = None,
    format: Formats = None,
) -> None:
    """启动内置演示网站群（本机 127.0.0.1），检查其中每个网站。"""
    from dataclasses import replace

    from govinspect.demo import FarmServer, build_farm
    from govinspect.fetch import FetchSettings

    settings = load_settings(
        max_pages=max_pages,
        as_of=parse_as_of(as_of),
        rubric=rubric,
        out_dir=out,
        formats=parse_formats(format),
        database_url=db,
    )
    farm = build_farm(settings.effective_as_of())
    with FarmServer(farm) as server:
        console.print(f"演示网站群已启动：代理 {server.proxy_url}，共{len(farm.sites)}个网站")
        # The farm is built as it would look on that day, behind its own proxy only.
        settings = replace(
            settings,
            crawl_date=farm.as_of,
            fetch=FetchSettings(timeout_s=15.0, proxy=server.proxy_url, trust_env=False),
        )
        targets = [SiteTarget(url=s.url, name=s.name, site_code=None) for s in farm.sites]
        run_and_report(targets, settings, {"demo": True, "as_of": str(farm.as_of), "rubric": settings.rubric})


@rubric_app.command("show")
def rubric_show(
    name: Annotated[str, typer.Argument(help="评分规则名称或 YAML 文件")] = DEFAULT_RUBRIC,
) -> None:
    """显示生效的评分规则，以及每个取值的来源（继承或覆盖）。"""
    from govinspect.rules.rubric import KNOWN_THRESHOLDS, origin_label

    try:
        r = load_rubric(name)
    except RubricError as exc:
        fail(str(exc))

    def src(*path: str) -> str:
        return f"[dim]〔{origin_label(r, *path)}〕[/dim]"

    console.print(f"[bold]{r.title}[/bold]（{r.name}）")
    if len(r.chain) > 1:
        console.print(f"继承关系：{' → '.join(r.chain)}")
    console.print(
        f"合格线：{r.pass_score:g}分 {src('pass_score')}  满分：{r.max_score:g}分 {src('max_score')}"
    )
    console.print("阈值：")
    for key, value in r.thresholds.items():
        console.print(f"  {key} = {value:g}  {KNOWN_THRESHOLDS.get(key, '')} {src('thresholds', key)}")
    console.print("单项否决：")
    for v in r.vetoes:
        console.print(f"  {v.text}（{'+'.join(v.checks)} ≥ {v.min}）{src('vetoes', v.id, 'min')}")
    console.print("扣分项：")
    for check_id, d in r.deductions.items():
        console.print(
            f"  {check_id}：每处{d.points:g}分，最多{d.cap:g}分 {src('deductions', check_id, 'points')}"
        )
    if r.bonus.max_points > 0:
        console.print(
            f"加分项：满分{r.bonus.max_points:g}分，扣分部分高于{r.bonus.applies_above:g}分时计入 {src('bonus', 'max_points')}"
        )
        for check_id, d in r.bonus.items.items():
            console.print(
                f"  {check_id}：每处{d.points:g}分，最多{d.cap:g}分 {src('bonus', 'items', check_id, 'points')}"
            )
        if not r.bonus.items:
            console.print("  （尚未定义加分检查项）")


@app.command()
def rescore(
    inspection_id: Annotated[int, typer.Argument(help="已保存的检查记录编号")],
    rubric: Annotated[
        str | None, typer.Option("--rubric", help="评分规则名称或 YAML 文件（默认沿用原规则）")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="按此日期判断是否更新（默认沿用原检查日期）")
    ] = None,
    db: Db = None,
) -> None:
    """用另一评分规则或检查日期，对已保存的检查结果重新评分（不重新抓取），结果另存为新记录。"""
    when = parse_as_of(as_of)
    store = open_store(load_settings(database_url=db))
    try:
        new_id, inspection = service.rescore(store, inspection_id, rubric, when)
    except (service.RescoreError, RubricError) as exc:
        fail(str(exc))
    finally:
        store.close()
    before = inspection.stats.get("rescored_from") or {}
    print_scorecard(SiteOutcome(inspection, None, inspection_id=new_id))
    console.print(
        f"原记录 {inspection_id}：{before.get('rubric')}，{before.get('as_of')}，"
        f"{VERDICT_LABELS.get(str(before.get('verdict')), before.get('verdict'))} {before.get('score')}分 → "
        f"新记录 {new_id}：{inspection.rubric}，{inspection.as_of}，"
        f"{VERDICT_LABELS.get(inspection.verdict, inspection.verdict)} {inspection.score:g}分"
    )


@app.command()
def report(
    inspection_ids: Annotated[list[int] | None, typer.Argument(help="检查记录编号（可多个）")] = None,
    latest: Annotated[bool, typer.Option("--latest", help="每个网站最近一次的检查记录")] = False,
    out: Out = None,
    format: Formats = None,
    db: Db = None,
) -> None:
    """根据已保存的检查记录重新生成报告（不重新检查）。"""
    from govinspect.store import NotFoundError

    settings = load_settings(out_dir=out, formats=parse_formats(format), database_url=db)
    if bool(inspection_ids) == latest:
        fail("请给出检查记录编号，或使用 --latest（二者选一）")
    store = open_store(settings)
    try:
        ids = service.latest_per_site(store) if latest else list(inspection_ids or [])
        if not ids:
            fail("数据库中还没有检查记录")
        reports = service.stored_reports(store, ids)
    except NotFoundError as exc:
        fail(str(exc))
    finally:
        store.close()
    written = service.render_reports(reports, settings.out_dir, settings.formats)
    console.print(
        f"已生成 {len(reports)} 个网站的报告（{'、'.join(settings.formats)}），共 {len(written)} 个文件："
        f"{settings.out_dir.resolve()}"
    )


@sites_app.command("import")
def sites_import(
    file: Annotated[Path, typer.Argument(help="网站清单 CSV/XLSX（至少含 name,url 列）")],
    db: Db = None,
) -> None:
    """把网站清单导入名录（已有网站只补充信息，不会清空已有数据）。"""
    store = open_store(load_settings(database_url=db))
    try:
        result = service.import_sites(store, file)
    except ImportFileError as exc:
        fail(str(exc))
    finally:
        store.close()
    for row_error in result.skipped:
        err.print(f"[yellow]跳过：[/yellow]{escape(row_error.message)}")
    console.print(
        f"已导入{result.imported}个网站，跳过{len(result.skipped)}行；名录中共有{result.total}个网站"
    )


@sites_app.command("list")
def sites_list(db: Db = None) -> None:
    """列出名录中的网站。"""
    store = open_store(load_settings(database_url=db))
    try:
        rows = service.list_sites(store)
    finally:
        store.close()
    table = Table(header_style="bold")
    for col in ("编号", "网站名称", "网址", "网站标识码", "状态"):
        table.add_column(col)
    for r in rows:
        table.add_row(str(r.id), escape(r.name), escape(r.url), r.site_code or "-", r.status)
    console.print(table)


def _registered_site(store, url: str):
    try:
        return service.registered_site(store, url)
    except (InvalidURLError, service.UnknownSiteError) as exc:
        store.close()
        fail(str(exc))


def _read_overrides(file: Path) -> dict:
    import json

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"找不到配置文件：{file}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"配置文件 {file} 不是有效的 JSON（UTF-8）：{exc}")
    try:
        return validate_overrides(data)
    except OverridesError as exc:
        fail(str(exc))
    raise AssertionError  # fail() exits


@sites_app.command("override")
def sites_override(
    url: Annotated[str, typer.Argument(help="网站首页网址")],
    file: Annotated[
        Path | None, typer.Option("--file", help="个性化配置 JSON 文件（栏目、列表选择器等）")
    ] = None,
    show: Annotated[bool, typer.Option("--show", help="显示当前配置")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="清除配置，恢复自动识别")] = False,
    db: Db = None,
) -> None:
    """为自动识别失败的网站设置栏目和选择器。"""
    import json

    if sum((file is not None, show, clear)) != 1:
        fail("请在 --file、--show、--clear 中选择一项")
    overrides = _read_overrides(file) if file is not None else None
    store = open_store(load_settings(database_url=db))
    try:
        site = _registered_site(store, url)
        if show:
            current = service.site_overrides(store, site.id)
            console.print(
                json.dumps(current, ensure_ascii=False, indent=2) if current else "（无个性化配置）"
            )
            return
        service.set_site_overrides(store, site.id, overrides)
    finally:
        store.close()
    console.print(
        f"已清除 {site.url} 的个性化配置" if clear else f"已保存 {site.url} 的个性化配置，下次检查生效"
    )


@sites_app.command("reset-baseline")
def sites_reset_baseline(url: Annotated[str, typer.Argument(help="网站首页网址")], db: Db = None) -> None:
    """网站合法改版后清除首页基线；下一次无问题的检查会建立新基线。"""
    store = open_store(load_settings(database_url=db))
    try:
        site = _registered_site(store, url)
        had = service.reset_baseline(store, site.id)
    finally:
        store.close()
    console.print(f"已清除 {site.url} 的首页基线" if had else f"{site.url} 尚无首页基线")


# ---- govinspect page -----------------------------------------------------------------------------

PAGE_KINDS = {
    "home": "首页",
    "list": "列表页",
    "article": "文章页",
    "guide": "办事指南",
    "message": "留言页",
    "other": "其他页面",
}
DATE_SOURCES = {
    "label": "页面标注",
    "meta": "页面元数据",
    "url": "网址中的日期",
    "text": "正文中的日期",
    "list": "列表显示",
}


def _print_page(page: dict) -> None:
    from govinspect.report.labels import kind_label

    def show(value) -> str:
        return escape(str(value)) if value not in (None, "", []) else "—"

    published = page["published"]
    info = Table(title=f"页面：{escape(page['url'])}", show_header=False, title_justify="left")
    info.add_row("页面类型", PAGE_KINDS.get(page["kind"], page["kind"]))
    info.add_row("标题", show(page["title"]))
    source = DATE_SOURCES.get(published["source"] or "", "")
    info.add_row(
        "发布日期", f"{show(published['date'])}（{source}：{show(published['text'])}）" if source else "—"
    )
    newest = page["newest_item"]
    if page["kind"] in ("home", "list"):
        info.add_row("条目数", str(len(page["items"])))
        info.add_row(
            "最新条目",
            f"{show(newest['date'])} {show(newest['title'])}（{DATE_SOURCES.get(newest['date_source'] or '', '无日期')}）"
            if newest
            else "—（未读到有日期的条目）",
        )
    footer = page["footer"]
    info.add_row(
        "网站标识码",
        f"页面展示：{show(footer['site_code']['shown'])}；元数据声明：{show(footer['site_code']['declared'])}",
    )
    info.add_row("ICP备案编号", show(footer["icp"]))
    info.add_row("公安机关备案", show(footer["psb"]))
    info.add_row("党政机关网站标识", show(footer["conac"]))
    info.add_row("找错入口", f"{show(footer['jiucuo'])}（标识码：{show(footer['jiucuo_site_code'])}）")
    channels = "、".join(
        f"{escape(c['label'])}{'' if c['working'] else '（无效入口）'}" for c in page["channels"]
    )
    info.add_row("互动渠道", channels or "—")
    if page["guide"] is not None:
        guide = page["guide"]
        info.add_row(
            "指南要素",
            f"具备{len(guide['present'])}类；缺失：{show('、'.join(guide['missing']))}；为空：{show('、'.join(guide['empty']))}",
        )
    console.print(info)
    if page["columns"]:
        table = Table(title="栏目", title_justify="left")
        for header in ("栏目", "类别", "网址"):
            table.add_column(header)
        for c in page["columns"]:
            table.add_row(escape(c["name"]), kind_label(c["kind"]), escape(c["url"] or ""))
        console.print(table)
    if page["items"]:
        table = Table(title="条目（前20条）", title_justify="left")
        for header in ("日期", "日期来源", "标题"):
            table.add_column(header)
        for item in page["items"][:20]:
            table.add_row(
                show(item["date"]), DATE_SOURCES.get(item["date_source"] or "", "—"), escape(item["title"])
            )
        console.print(table)


@app.command()
def page(
    targets: Annotated[list[str], typer.Argument(help="页面网址或已保存的 HTML 文件（可多个）")],
    as_of: AsOf = None,
    format: Annotated[
        str, typer.Option("--format", help="输出格式：table（表格）或 json（每页一行）")
    ] = "table",
    proxy: Proxy = None,
    timeout: Timeout = None,
) -> None:
    """显示程序对单个页面的理解：页面类型、发布日期及来源、条目、栏目、页脚标识、互动渠道、指南要素。"""
    import json

    if format not in ("table", "json"):
        fail(f"--format 只能是 table 或 json，而不是“{format}”")
    day = parse_as_of(as_of) or dt.date.today()
    settings = load_settings(proxy=proxy, timeout=timeout)
    failed = False
    for target in targets:
        try:
            described = service.describe_target(target, day, settings.fetch)
        except service.PageError as exc:
            err.print(f"[red]错误：[/red]{escape(str(exc))}")
            failed = True
            continue
        if format == "json":
            print(json.dumps(described, ensure_ascii=False))
        else:
            _print_page(described)
    if failed:
        raise typer.Exit(2)


# -- the web app --------------------------------------------------------------------------------


def ensure_admin(store, password: str | None, interactive: bool, username: str = "admin") -> str | None:
    """Create the first administrator when there is no account yet; the name created, or None.
    There is no default password: from GOVINSPECT_ADMIN_PASSWORD, else a prompt, else refuse."""
    from govinspect.store import InputError
    from govinspect.web import accounts

    with store.unit_of_work() as uow:
        if accounts.count_users(uow):
            return None
    if not password and interactive:
        password = typer.prompt("请设置管理员 admin 的密码", hide_input=True, confirmation_prompt=True)
    if not password:
        fail("首次启动需要设置管理员密码：请设置环境变量 GOVINSPECT_ADMIN_PASSWORD，或在终端中运行以输入密码")
    try:
        with store.unit_of_work("创建管理员") as uow:
            accounts.create_user(uow, username, password, accounts.ADMIN)
    except InputError as exc:
        fail(f"无法创建管理员：{exc}")
    return username


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    db: Db = None,
) -> None:
    """启动网页版（总览、网站、抽查与通报、整改、找错、新媒体、年度报表等）和 REST API（/api/）。"""
    import uvicorn

    from govinspect.web import create_app

    settings = load_settings(database_url=db)
    store = open_store(settings)
    try:
        created = ensure_admin(store, os.environ.get("GOVINSPECT_ADMIN_PASSWORD"), sys.stdin.isatty())
        if created:
            console.print(f"已创建管理员账号 {created}")
        console.print(f"网页版：http://{host}:{port}/ （按 Ctrl+C 停止）")
        uvicorn.run(create_app(store, settings), host=host, port=port, log_level="info")
    finally:
        store.close()


# The supervisor's command groups (registry, sample, bulletin, rectify, jiucuo, accountability,
# annual-report); imported last because they reuse this module's options and helpers.
from govinspect.cli_workflow import register as _register_workflow  # noqa: E402

_register_workflow(app)


# -- 政务新媒体 ------------------------------------------------------------------------


@newmedia_app.command("import")
def newmedia_import(
    file: Annotated[
        Path, typer.Argument(help="账号名录 CSV（platform,account_id,name,organiser,feed_url …）")
    ],
    db: Db = None,
) -> None:
    """导入政务新媒体账号名录：有任何一行错误则整个文件不导入，并列出所有错误行。"""
    from govinspect.newmedia.registry import AccountImportError
    from govinspect.newmedia.service import import_accounts

    store = open_store(load_settings(database_url=db))
    try:
        added, updated, total = import_accounts(store, file)
    except AccountImportError as exc:
        fail(str(exc))
    finally:
        store.close()
    console.print(f"已导入政务新媒体账号：新增{added}个，更新{updated}个；名录中共有{total}个账号")


@newmedia_app.command("list")
def newmedia_list(db: Db = None) -> None:
    """列出名录中的政务新媒体账号。"""
    from govinspect.newmedia.service import list_accounts

    store = open_store(load_settings(database_url=db))
    try:
        accounts = list_accounts(store)
    finally:
        store.close()
    table = Table(header_style="bold")
    for col in ("平台", "账号", "名称", "开办单位", "认证主体", "状态", "订阅源"):
        table.add_column(col)
    for a in accounts:
        cells = (a.platform, a.account_id, a.name, a.organiser, a.subject, a.status, a.feed_url)
        table.add_row(*(escape(c or "-") for c in cells))
    console.print(table)
    console.print(f"共{len(accounts)}个账号")


@newmedia_app.command("check")
def newmedia_check(
    as_of: Annotated[str | None, typer.Option("--as-of", help="检查日期 YYYY-MM-DD，默认今天")] = None,
    output_format: Annotated[str, typer.Option("--format", help="输出格式：table 或 json")] = "table",
    accounts_file: Annotated[
        Path | None, typer.Option("--accounts", help="直接检查此名录 CSV（不读数据库）")
    ] = None,
    found: Annotated[
        Path | None, typer.Option("--found", help="巡查发现的账号 CSV：名录中没有的按未备案检查")
    ] = None,
    rubric: Annotated[str | None, typer.Option("--rubric", help="评分规则名称或 YAML 文件")] = None,
    proxy: Annotated[str | None, typer.Option("--proxy", help="HTTP 代理，如 http://127.0.0.1:8080")] = None,
    delay: Annotated[
        float | None, typer.Option("--delay", help="同一平台两次请求的最小间隔（秒），默认1秒")
    ] = None,
    sample: Annotated[
        str | None, typer.Option("--sample", help="按平台分层抽查的比例，如 0.3（默认检查全部账号）")
    ] = None,
    sample_count: Annotated[int | None, typer.Option("--sample-count", help="按平台分层抽查的账号数")] = None,
    seed: Annotated[str | None, typer.Option("--seed", help="抽样种子：相同种子和名录抽到相同账号")] = None,
    min_per_platform: Annotated[int, typer.Option("--min-per-platform", help="每个平台至少抽查的账号数")] = 0,
    db: Db = None,
) -> None:
    """读取每个账号的最新发布内容并检查（不更新、僵尸账号、互动、广告、错别字等）。"""
    import asyncio

    from govinspect.newmedia.registry import AccountImportError, read_accounts
    from govinspect.newmedia.service import check_accounts, list_accounts, record_checks, with_found

    if output_format not in ("table", "json"):
        fail(f"--format 只能是 table 或 json，而不是“{output_format}”")
    settings = load_settings(database_url=db, proxy=proxy)
    day = parse_as_of(as_of) or settings.effective_as_of()
    try:
        the_rubric = load_rubric(rubric or settings.rubric)
        if accounts_file is not None:
            accounts = read_accounts(accounts_file)
        else:
            store = open_store(settings)
            try:
                accounts = list_accounts(store)
            finally:
                store.close()
        if found is not None:
            accounts = with_found(accounts, read_accounts(found))
    except (AccountImportError, RubricError) as exc:
        fail(str(exc))
    if not accounts:
        fail("名录中没有政务新媒体账号，请先运行 govinspect newmedia import FILE")
    if sample is not None or sample_count is not None:
        from govinspect.newmedia.service import sample_accounts
        from govinspect.workflow.sampling import SampleError

        try:
            accounts = sample_accounts(
                [a for a in accounts if a.registered],
                ratio=sample,
                count=sample_count,
                seed=seed or day.isoformat(),
                min_per_platform=min_per_platform,
            ) + [a for a in accounts if not a.registered]  # accounts found unregistered are always checked
        except SampleError as exc:
            fail(str(exc))
    outcomes = asyncio.run(
        check_accounts(
            accounts,
            as_of=day,
            rubric=the_rubric,
            fetch_settings=settings.fetch,
            host_delay_s=settings.newmedia_delay_s if delay is None else delay,
        )
    )
    rows = [o.to_dict() for o in outcomes]
    if accounts_file is None:  # the registry is in the database: keep the record there too
        store = open_store(settings)
        try:
            rows = record_checks(store, outcomes, day)
        except Exception as exc:  # noqa: BLE001 - the results are still printed
            err.print(f"[yellow]警告：[/yellow]检查结果未能保存到数据库：{escape(str(exc))}")
        finally:
            store.close()
    if output_format == "json":
        import json

        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    _print_newmedia_table(outcomes, day)
    for row in rows:
        if row.get("alert"):
            console.print(f"[yellow]提醒：[/yellow]{escape(row['alert'])}")


NEWMEDIA_VERDICTS = {"pass": "合格", "fail": "不合格", "unverified": "待人工核实"}


def _print_newmedia_table(outcomes, day: dt.date) -> None:
    from govinspect.newmedia.checks import latest_post
    from govinspect.newmedia.model import STATUS_LABELS
    from govinspect.report.labels import check_label

    table = Table(header_style="bold", title=f"政务新媒体检查（检查日 {day.isoformat()}）")
    for col in ("平台", "名称", "读取情况", "最近发布", "结论", "问题"):
        table.add_column(col)
    shown = [(o, [f for f in o.findings if f.check != "content.typo_suspect"]) for o in outcomes]
    for o, findings in shown:
        latest = latest_post(o.result)
        style = {"pass": "green", "fail": "red"}.get(o.verdict, "yellow")
        table.add_row(
            escape(o.account.platform),
            escape(o.account.name),
            STATUS_LABELS.get(o.result.status, o.result.status),
            f"{latest.published_at:%Y-%m-%d}" if latest else "-",
            f"[{style}]{NEWMEDIA_VERDICTS.get(o.verdict, o.verdict)}[/]",
            escape("、".join(dict.fromkeys(check_label(f.check) for f in findings)) or "无"),
        )
    console.print(table)
    for _outcome, findings in shown:
        for f in findings:
            console.print(f"- {escape(f.message)}" + (f"（{escape(f.url)}）" if f.url else ""))
    failed = sum(o.verdict == "fail" for o in outcomes)
    unverified = sum(o.verdict == "unverified" for o in outcomes)
    console.print(f"共{len(outcomes)}个账号：不合格{failed}个，未能完整读取（需人工核实）{unverified}个")


# ---- govinspect monitor / alerts -----------------------------------------------------------------

monitor_app = typer.Typer(help="7×24小时监测：首页可用性、每日轻量检查、每周全面检查、告警")
app.add_typer(monitor_app, name="monitor")
alerts_app = typer.Typer(no_args_is_help=True, help="告警通道：钉钉、企业微信、邮件、JSON webhook")
app.add_typer(alerts_app, name="alerts")

OUTCOME_NAMES = {
    "ok": "正常",
    "dns": "域名解析失败",
    "refused": "连接被拒绝",
    "reset": "连接被重置",
    "timeout": "超时",
    "tls": "证书/加密连接错误",
    "http_5xx": "服务器错误",
    "http_4xx": "页面错误",
    "challenged": "被安全防护拦截（网站可访问）",
    "maintenance": "维护/关停公告",
    "redirect_offsite": "跳转到其他域名",
    "error": "其他错误",
}
STATUS_NAMES = {"up": "[green]正常[/green]", "down": "[red]无法访问[/red]", "unknown": "待确认"}


def _monitor_store(settings: Settings):
    """SQLite waits for the other daemon's write instead of failing at once."""
    from govinspect.store import Store

    options = {"connect_args": {"timeout": 30}} if settings.database_url.startswith("sqlite") else {}
    try:
        return Store(settings.database_url, **options)
    except Exception as exc:
        fail(f"无法打开数据库 {settings.database_url}：{exc}", code=1)


@monitor_app.callback(invoke_without_command=True)
def monitor(
    ctx: typer.Context,
    sites: Annotated[
        Path | None, typer.Option("--sites", help="网站清单 CSV/XLSX（默认监测名录中的所有网站）")
    ] = None,
    probe_interval: Annotated[
        float | None,
        typer.Option("--probe-interval", min=0.05, help="首页监测间隔（秒，默认1800，即每天48次）"),
    ] = None,
    run_for: Annotated[
        float | None, typer.Option("--run-for", min=0.1, help="运行指定秒数后退出（默认一直运行）")
    ] = None,
    db: Db = None,
) -> None:
    """启动监测守护进程（可多个进程共用一个数据库，同一网站同一时段只监测一次）。"""
    if ctx.invoked_subcommand is not None:
        return
    import logging

    from govinspect.service import monitor as service_monitor

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings(database_url=db)
    try:
        msettings = service_monitor.monitor_settings(settings, probe_interval)
    except RubricError as exc:
        fail(str(exc))
    store = _monitor_store(settings)
    try:
        try:
            targets = service_monitor.monitored_sites(store, msettings, sites)
        except ImportFileError as exc:
            fail(str(exc))
        if not targets:
            fail("没有可监测的网站：请先用 govinspect sites import 导入名录，或用 --sites 指定清单")
        interval = msettings.probe_interval_s
        console.print(
            f"开始监测{len(targets)}个网站：首页每{interval:g}秒监测一次（超时{msettings.probe_timeout_s:g}秒），"
            f"数据库：{escape(str(store.engine.url))}"
        )
        try:
            service_monitor.run_monitor(store, targets, msettings, app_settings=settings, run_for_s=run_for)
        except KeyboardInterrupt:
            console.print("监测已停止")
            return
    finally:
        store.close()
    console.print("监测已结束")


@monitor_app.command("status")
def monitor_status(db: Db = None) -> None:
    """各网站的监测状态、一周内的可用性、待发送的告警。"""
    from govinspect.service import monitor as service_monitor

    settings = load_settings(database_url=db)
    msettings = service_monitor.monitor_settings(settings)
    store = open_store(settings)
    try:
        status = service_monitor.monitor_status(store, msettings)
    finally:
        store.close()
    if not status["sites"]:
        console.print("尚无监测记录：请先运行 govinspect monitor")
        return
    table = Table(header_style="bold")
    for col in ("网站名称", "网址", "状态", "最近监测", "最近结果", "一周不连通率", "未解决问题"):
        table.add_column(col, overflow="fold")
    for s in status["sites"]:
        state = "[yellow]不稳定[/yellow]" if s.flapping else STATUS_NAMES.get(s.status, s.status)
        last = f"{s.last_probe.astimezone():%m-%d %H:%M:%S}" if s.last_probe else "-"
        result = OUTCOME_NAMES.get(s.last_outcome, s.last_outcome or "-")
        w = s.window
        share = f"{w.share:.1%}（{w.failures}/{w.probes}次，{'已满一周' if w.final else '暂定'}）"
        table.add_row(
            escape(s.name), escape(s.url), state, last, escape(result), share, str(len(s.open_issues))
        )
    console.print(table)
    pending = status["pending"]
    failing = [i for i in pending if i.last_error]
    console.print(
        f"待发送告警{len(pending)}条" + (f"，其中{len(failing)}条发送失败待重试" if failing else "")
    )
    for item in failing[:10]:
        console.print(f"  [yellow]·[/yellow] {escape(item.title)}：{escape(item.last_error or '')}")
    if status["held"]:
        console.print(
            f"[yellow]注意：[/yellow]一周内有{status['held']}次监测因本机网络异常（多数网站同时无法连接）未计入统计、未告警"
        )


def _parse_time(value: str, option: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option} 时间“{value}”格式错误，应为 YYYY-MM-DD HH:MM")
    return parsed if parsed.tzinfo else parsed.astimezone()  # local time when no zone is given


@monitor_app.command("maintenance")
def monitor_maintenance(
    url: Annotated[str, typer.Argument(help="网站首页网址")],
    start: Annotated[str, typer.Option("--start", help="开始时间（YYYY-MM-DD HH:MM，本地时间）")],
    end: Annotated[str, typer.Option("--end", help="结束时间（YYYY-MM-DD HH:MM，本地时间）")],
    note: Annotated[str, typer.Option("--note", help="说明（如报备文号）")] = "",
    db: Db = None,
) -> None:
    """登记维护时段或临时关停（已报备）：期间不告警，监测结果不计入不连通率。"""
    from govinspect.service import monitor as service_monitor

    begin, finish = _parse_time(start, "--start"), _parse_time(end, "--end")
    store = open_store(load_settings(database_url=db))
    try:
        service_monitor.add_maintenance(store, url, begin, finish, note)
    except (service_monitor.MonitorInputError, InvalidURLError) as exc:
        fail(str(exc))
    finally:
        store.close()
    console.print(f"已登记维护时段：{escape(url)} {begin:%Y-%m-%d %H:%M} 至 {finish:%Y-%m-%d %H:%M}")


@monitor_app.command("schedule")
def monitor_schedule(
    url: Annotated[str, typer.Argument(help="网站首页网址")],
    probe_interval: Annotated[
        float | None, typer.Option("--probe-interval", min=1, help="本网站首页监测间隔（秒）")
    ] = None,
    light_interval: Annotated[
        float | None, typer.Option("--light-interval", min=0, help="本网站轻量检查间隔（秒，0 表示不做）")
    ] = None,
    full_interval: Annotated[
        float | None, typer.Option("--full-interval", min=0, help="本网站全面检查间隔（秒，0 表示不做）")
    ] = None,
    db: Db = None,
) -> None:
    """为单个网站设置监测计划（覆盖默认间隔；重启监测进程后生效）。"""
    from govinspect.service import monitor as service_monitor

    store = open_store(load_settings(database_url=db))
    try:
        schedule = service_monitor.set_schedule(
            store,
            url,
            probe_interval_s=probe_interval,
            light_interval_s=light_interval,
            full_interval_s=full_interval,
        )
    except (service_monitor.MonitorInputError, InvalidURLError) as exc:
        fail(str(exc))
    finally:
        store.close()

    def show(value: float | None) -> str:
        return "默认" if value is None else ("不做" if value == 0 else f"每{value:g}秒")

    console.print(
        f"{escape(url)}：首页监测{show(schedule.probe_interval_s)}，轻量检查{show(schedule.light_interval_s)}，"
        f"全面检查{show(schedule.full_interval_s)}"
    )


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


@alerts_app.command("add")
def alerts_add(
    url: Annotated[
        str,
        typer.Argument(
            help="通知地址（apprise 格式）：dingtalk://密钥@令牌/、wecombot://key、mailtos://…、json://主机:端口/路径"
        ),
    ],
    sites: Annotated[
        list[str] | None, typer.Option("--sites", help="只接收这些网站（首页网址，逗号分隔，可重复）")
    ] = None,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kinds",
            help="只接收这些告警类型（逗号分隔）：down,recovered,flapping,spam,defacement,veto,warning",
        ),
    ] = None,
    digest: Annotated[bool, typer.Option("--digest", help="不逐条发送，只发每日汇总")] = False,
    db: Db = None,
) -> None:
    """添加告警通道。"""
    from govinspect.monitor.notify import redact
    from govinspect.service import monitor as service_monitor

    store = open_store(load_settings(database_url=db))
    try:
        sub_id = service_monitor.add_subscription(
            store, url, sites=_split(sites), kinds=_split(kinds), digest=digest
        )
    except service_monitor.MonitorInputError as exc:
        fail(str(exc))
    finally:
        store.close()
    console.print(f"已添加告警通道 {sub_id}：{escape(redact(url))}" + ("（每日汇总）" if digest else ""))


@alerts_app.command("list")
def alerts_list(db: Db = None) -> None:
    """列出告警通道。"""
    from govinspect.monitor.alerts import KIND_NAMES
    from govinspect.monitor.notify import redact
    from govinspect.service import monitor as service_monitor

    store = open_store(load_settings(database_url=db))
    try:
        rows = service_monitor.list_subscriptions(store)
    finally:
        store.close()
    if not rows:
        console.print("尚未添加告警通道：govinspect alerts add URL")
        return
    table = Table(header_style="bold")
    for col in ("编号", "通知地址", "网站", "告警类型", "方式"):
        table.add_column(col, overflow="fold")
    for r in rows:
        s = r.subscription
        table.add_row(
            str(r.id),
            escape(redact(s.channel)),
            "全部" if s.sites is None else escape("、".join(sorted(s.sites))),
            "全部" if s.kinds is None else "、".join(KIND_NAMES.get(k, k) for k in sorted(s.kinds)),
            "每日汇总" if s.digest else "逐条发送",
        )
    console.print(table)


@alerts_app.command("test")
def alerts_test(db: Db = None) -> None:
    """向每个告警通道发送一条测试消息。"""
    from govinspect.monitor.notify import redact
    from govinspect.service import monitor as service_monitor

    store = open_store(load_settings(database_url=db))
    try:
        results = service_monitor.send_test_messages(store)
    finally:
        store.close()
    if not results:
        fail("尚未添加告警通道：govinspect alerts add URL")
    for row, error in results:
        where = escape(redact(row.subscription.channel))
        if error:
            err.print(f"[red]失败：[/red]通道 {row.id}（{where}）：{escape(error)}")
        else:
            console.print(f"已发送：通道 {row.id}（{where}）")
    if any(error for _row, error in results):
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - entry for `python -m govinspect`
    sys.exit(app())
