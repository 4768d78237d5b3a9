"""Command line: `govinspect check`, `govinspect demo`, `govinspect rubric show`.

Thin on purpose: parsing options and printing; the work is in govinspect.service.
"""

from __future__ import annotations

import datetime as dt
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
    run_and_report(targets, settings, parameters)


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


def main() -> None:  # pragma: no cover - entry for `python -m govinspect`
    sys.exit(app())
