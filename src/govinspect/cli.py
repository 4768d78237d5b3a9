"""Command line: `govinspect check`, `govinspect demo`, `govinspect rubric show`.

Thin on purpose: parsing options and printing; the work is in govinspect.service.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from govinspect.crawl import CrawlBudget
from govinspect.fetch import FetchSettings
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
from govinspect.service import InspectOptions, SiteOutcome, inspect_sites

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
ALL_FORMATS = ("json", "html", "xlsx", "docx")  # = govinspect.report.FORMATS


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


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in ALL_FORMATS]
    if unknown or not formats:
        fail(f"不支持的报告格式：{'、'.join(unknown) or '（空）'}；可选：{', '.join(ALL_FORMATS)}")
    return formats


def open_store(db_url: str | None):
    from govinspect.store import Store, database_url_from_env

    url = db_url or database_url_from_env(default="sqlite:///govinspect.db")
    try:
        return Store(url)
    except Exception as exc:
        fail(f"无法打开数据库 {url}：{exc}", code=1)


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


def run_and_report(
    targets: list[SiteTarget], options: InspectOptions, out: Path, formats: tuple[str, ...], db: str | None
) -> list[SiteOutcome]:
    from govinspect.report import write_summary

    store = open_store(db)
    out.mkdir(parents=True, exist_ok=True)
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

    options.on_progress = on_progress
    try:
        with progress:
            outcomes = inspect_sites(
                targets, options, store=store, out_dir=out, formats=formats, on_result=on_result
            )
    finally:
        url = str(store.engine.url)
        store.close()
    if len(outcomes) > 1:
        write_summary([o.inspection.to_report() for o in outcomes], out, formats=formats)
    print_summary(outcomes, out, f"检查结果已保存到数据库：{url}")
    unsaved = [o for o in outcomes if o.store_error]
    if unsaved:
        # Automation must notice: the reports exist, but the history lacks these inspections.
        err.print(f"[red]错误：[/red]{len(unsaved)}个网站的检查结果未能保存到数据库，请检查数据库后重新检查")
        raise typer.Exit(1)
    return outcomes


def build_options(
    as_of: str | None,
    rubric: str,
    max_pages: int,
    proxy: str | None,
    timeout: float,
    probes: int,
    render: str = "auto",
    screenshot: Path | None = None,
    robots: bool = True,
) -> InspectOptions:
    try:
        load_rubric(rubric)
    except RubricError as exc:
        fail(str(exc))
    if render not in ("auto", "never", "always"):
        fail(f"--render 只能是 auto、never 或 always，而不是“{render}”")
    return InspectOptions(
        as_of=parse_as_of(as_of),
        rubric=rubric,
        budget=CrawlBudget(
            max_pages=max_pages,
            probes=probes,
            probe_timeout_s=timeout,
            render=render,
            screenshot_dir=str(screenshot) if screenshot else None,
        ),
        fetch=FetchSettings(timeout_s=timeout, proxy=proxy, respect_robots=robots),
    )


AsOf = Annotated[str | None, typer.Option("--as-of", help="按此日期判断是否更新（YYYY-MM-DD，默认今天）")]
Out = Annotated[Path, typer.Option("--out", help="报告输出目录")]
MaxPages = Annotated[int, typer.Option("--max-pages", min=1, help="每个网站最多抓取的页面数")]
Proxy = Annotated[str | None, typer.Option("--proxy", help="HTTP 代理地址（也可用 HTTP_PROXY 等环境变量）")]
RubricOpt = Annotated[str, typer.Option("--rubric", help="评分规则名称或 YAML 文件")]
Formats = Annotated[str, typer.Option("--format", help="报告格式，逗号分隔：json,html,xlsx,docx")]
Db = Annotated[
    str | None, typer.Option("--db", help="数据库 URL（默认 GOVINSPECT_DATABASE_URL 或 ./govinspect.db）")
]
Timeout = Annotated[float, typer.Option("--timeout", min=0.1, help="单次请求超时（秒）")]
Probes = Annotated[int, typer.Option("--probes", min=1, help="本次运行中首页可用性监测次数")]


@app.command()
def check(
    url: Annotated[str | None, typer.Argument(help="网站首页网址")] = None,
    sites: Annotated[
        Path | None, typer.Option("--sites", help="网站清单 CSV/XLSX（至少含 name,url 列）")
    ] = None,
    as_of: AsOf = None,
    out: Out = Path("reports"),
    max_pages: MaxPages = 400,
    proxy: Proxy = None,
    rubric: RubricOpt = DEFAULT_RUBRIC,
    format: Formats = "json,html",
    db: Db = None,
    timeout: Timeout = 15.0,
    probes: Probes = 3,
    render: Annotated[
        str,
        typer.Option("--render", help="JavaScript 页面：auto（仅在需要时用 Chromium 渲染）、never、always"),
    ] = "auto",
    screenshot: Annotated[
        Path | None, typer.Option("--screenshot", help="首页截图保存目录（作为证据）")
    ] = None,
    robots: Annotated[
        bool,
        typer.Option("--robots/--no-robots", help="遵守 robots.txt（自查默认遵守；经授权的监管检查可关闭）"),
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
    options = build_options(as_of, rubric, max_pages, proxy, timeout, probes, render, screenshot, robots)
    run_and_report(targets, options, out, parse_formats(format), db)


@app.command()
def demo(
    out: Out = Path("reports"),
    as_of: AsOf = None,
    max_pages: MaxPages = 400,
    db: Db = None,
    rubric: RubricOpt = DEFAULT_RUBRIC,
    format: Formats = "json,html",
) -> None:
    """启动内置演示网站群（本机 127.0.0.1），检查其中每个网站。"""
    from govinspect.demo import FarmServer, build_farm

    options = build_options(as_of, rubric, max_pages, None, 15.0, 3)
    farm = build_farm(options.effective_as_of())
    options.crawl_date = farm.as_of  # the farm is built as it would look on that day
    with FarmServer(farm) as server:
        console.print(f"演示网站群已启动：代理 {server.proxy_url}，共{len(farm.sites)}个网站")
        options.fetch = FetchSettings(timeout_s=15.0, proxy=server.proxy_url, trust_env=False)
        targets = [SiteTarget(url=s.url, name=s.name, site_code=None) for s in farm.sites]
        run_and_report(targets, options, out, parse_formats(format), db)


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
    from govinspect.rescore import RescoreError
    from govinspect.rescore import rescore as rescore_stored

    when = parse_as_of(as_of)
    store = open_store(db)
    try:
        new_id, inspection = rescore_stored(store, inspection_id, rubric, when)
    except (RescoreError, RubricError) as exc:
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
    out: Out = Path("reports"),
    format: Formats = "json,html",
    db: Db = None,
) -> None:
    """根据已保存的检查记录重新生成报告（不重新检查）。"""
    from govinspect.report import write_report_files, write_summary
    from govinspect.store import NotFoundError

    formats = parse_formats(format)
    if bool(inspection_ids) == latest:
        fail("请给出检查记录编号，或使用 --latest（二者选一）")
    store = open_store(db)
    try:
        if latest:
            ids = [
                rows[0].id
                for site in store.list_sites()
                if (rows := store.list_inspections(site.id, limit=1))
            ]
            if not ids:
                fail("数据库中还没有检查记录")
        else:
            ids = list(dict.fromkeys(inspection_ids or []))
        try:
            reports = [store.load_report(i) for i in ids]
        except NotFoundError as exc:
            fail(str(exc))
    finally:
        store.close()
    written = []
    for rep in reports:
        written += write_report_files(rep, out, formats)
    if len(reports) > 1:
        summary = write_summary(reports, out, formats=formats)
        written += summary if isinstance(summary, list) else [summary]
    console.print(
        f"已生成 {len(reports)} 个网站的报告（{'、'.join(formats)}），共 {len(written)} 个文件：{out.resolve()}"
    )


@sites_app.command("import")
def sites_import(
    file: Annotated[Path, typer.Argument(help="网站清单 CSV/XLSX（至少含 name,url 列）")],
    db: Db = None,
) -> None:
    """把网站清单导入名录（已有网站只补充信息，不会清空已有数据）。"""
    try:
        targets, row_errors = read_sites(file)
    except ImportFileError as exc:
        fail(str(exc))
    for row_error in row_errors:
        err.print(f"[yellow]跳过：[/yellow]{escape(row_error.message)}")
    store = open_store(db)
    try:
        for t in targets:
            store.upsert_site(name=t.name or None, url=t.url, site_code=t.site_code, **t.meta)
            if t.overrides:
                store.set_site_overrides(t.url, t.overrides)
        total = len(store.list_sites())
    finally:
        store.close()
    console.print(f"已导入{len(targets)}个网站，跳过{len(row_errors)}行；名录中共有{total}个网站")


@sites_app.command("list")
def sites_list(db: Db = None) -> None:
    """列出名录中的网站。"""
    store = open_store(db)
    try:
        rows = store.list_sites()
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
        site = store.get_site(normalize_url(url))
    except InvalidURLError as exc:
        store.close()
        fail(str(exc))
    if site is None:
        store.close()
        fail(f"名录中没有网站 {url}，请先用 govinspect sites import 导入或检查一次")
    return site


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
    store = open_store(db)
    try:
        site = _registered_site(store, url)
        if show:
            current = store.get_site_overrides(site.url)
            console.print(
                json.dumps(current, ensure_ascii=False, indent=2) if current else "（无个性化配置）"
            )
            return
        if clear:
            store.set_site_overrides(site.url, None)
            console.print(f"已清除 {site.url} 的个性化配置")
            return
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            fail(f"找不到配置文件：{file}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            fail(f"配置文件 {file} 不是有效的 JSON（UTF-8）：{exc}")
        try:
            overrides = validate_overrides(data)
        except OverridesError as exc:
            fail(str(exc))
        store.set_site_overrides(site.url, overrides)
        console.print(f"已保存 {site.url} 的个性化配置，下次检查生效")
    finally:
        store.close()


@sites_app.command("reset-baseline")
def sites_reset_baseline(url: Annotated[str, typer.Argument(help="网站首页网址")], db: Db = None) -> None:
    """网站合法改版后清除首页基线；下一次无问题的检查会建立新基线。"""
    store = open_store(db)
    try:
        site = _registered_site(store, url)
        had = store.clear_baseline(site.id)
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
MAX_SCRIPTS = 5  # the site's own script files read for a 找错 handler


def _read_page_file(path: Path) -> str:
    from govinspect.fetch import decode_html

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    return decode_html(data, None)[0]


async def _fetch_page(url: str, settings: FetchSettings) -> tuple[str, str, list[str]]:
    """(final URL, decoded HTML, texts of the footer's own script files) of a fetched page."""
    from govinspect.extract.footer import footer_script_urls
    from govinspect.fetch import Fetcher

    async with Fetcher(settings) as fetcher:
        page = await fetcher.get(url)
        if not page.ok or not page.text:
            raise ValueError(f"无法获取页面 {url}：{page.error or f'HTTP {page.status}'}")
        scripts = []
        for script_url in footer_script_urls(page.text, page.final_url)[:MAX_SCRIPTS]:
            script = await fetcher.get(script_url)
            if script.ok and script.text:
                scripts.append(script.text)
    return page.final_url, page.text, scripts


def _describe(target: str, as_of: dt.date, settings: FetchSettings) -> dict:
    import asyncio

    from govinspect.extract.page_view import FILE_BASE, describe_page

    path = Path(target)
    if path.exists() or not re.match(r"^https?://", target, re.I):
        if not path.is_file():
            raise ValueError(f"“{target}”不是可读取的文件，也不是 http(s) 网址")
        page = describe_page(_read_page_file(path), FILE_BASE + path.name, as_of)
        page["url"] = str(path)
        return page
    url, html, scripts = asyncio.run(_fetch_page(target, settings))
    return describe_page(html, url, as_of, scripts=scripts)


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
    timeout: Timeout = 15.0,
) -> None:
    """显示程序对单个页面的理解：页面类型、发布日期及来源、条目、栏目、页脚标识、互动渠道、指南要素。"""
    import json

    if format not in ("table", "json"):
        fail(f"--format 只能是 table 或 json，而不是“{format}”")
    day = parse_as_of(as_of) or dt.date.today()
    settings = FetchSettings(timeout_s=timeout, proxy=proxy)
    failed = False
    for target in targets:
        try:
            described = _describe(target, day, settings)
        except ValueError as exc:
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
