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
from rich.table import Table

from govinspect.crawl import CrawlBudget
from govinspect.fetch import FetchSettings
from govinspect.registry import ImportFileError, InvalidURLError, SiteTarget, normalize_url, read_sites
from govinspect.rules import DEFAULT_RUBRIC, RubricError, load_rubric
from govinspect.service import InspectOptions, SiteOutcome, inspect_sites

app = typer.Typer(add_completion=False, no_args_is_help=True, help="政府网站检查工具 govinspect")
rubric_app = typer.Typer(no_args_is_help=True, help="评分规则")
app.add_typer(rubric_app, name="rubric")

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

VERDICT_LABELS = {"pass": "合格", "fail": "不合格", "error": "无法检查"}
VERDICT_STYLES = {"pass": "green", "fail": "red", "error": "yellow"}
ALL_FORMATS = ("json", "html")


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
    insp = outcome.inspection
    label = VERDICT_LABELS.get(insp.verdict, insp.verdict)
    style = VERDICT_STYLES.get(insp.verdict, "white")
    console.rule(f"[bold]{insp.site_name}[/bold]  {insp.url}")
    if insp.verdict == "error":
        console.print(f"结论：[{style}]{label}[/{style}]  原因：{insp.error}")
        return
    console.print(
        f"结论：[{style}]{label}[/{style}]  得分：{'单项否决' if insp.vetoes else f'{insp.score:g}'}  "
        f"检查日期：{insp.as_of}  评分规则：{insp.rubric}  "
        f"页面：{insp.stats.get('pages', 0)}  链接：{insp.stats.get('links_checked', 0)}  "
        f"用时：{insp.stats.get('elapsed_s', 0)}秒"
    )
    for rule in insp.stats.get("veto_rules", []):
        console.print(f"  [red]单项否决[/red] {rule}")
    if not insp.findings:
        console.print("  未发现问题")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("类别")
    table.add_column("扣分", justify="right")
    table.add_column("问题")
    table.add_column("位置", overflow="fold")
    for f in insp.findings:
        kind = {"veto": "[red]否决[/red]", "deduct": "扣分", "info": "提示"}[f.severity]
        table.add_row(kind, f"{f.points:g}" if f.severity == "deduct" else "", f.message, f.url)
    if insp.findings:
        console.print(table)
    avail = insp.availability
    if avail.get("provisional"):
        console.print(
            f"  [dim]可用性监测{avail.get('probes')}次（规则要求{avail.get('required')}次），结论为暂定[/dim]"
        )


def print_summary(outcomes: list[SiteOutcome], out_dir: Path | None, db_note: str) -> None:
    table = Table(title="检查汇总", header_style="bold")
    for col in ("网站", "网址", "结论", "得分", "否决项", "问题数"):
        table.add_column(col)
    for o in outcomes:
        i = o.inspection
        style = VERDICT_STYLES.get(i.verdict, "white")
        table.add_row(
            i.site_name,
            i.url,
            f"[{style}]{VERDICT_LABELS.get(i.verdict, i.verdict)}[/{style}]",
            f"{i.score:g}" if i.verdict != "error" else "-",
            "、".join(i.vetoes) or "-",
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
    try:
        outcomes = inspect_sites(
            targets, options, store=store, out_dir=out, formats=formats, on_result=print_scorecard
        )
    finally:
        url = str(store.engine.url)
        store.close()
    if len(outcomes) > 1:
        write_summary([o.inspection.to_report() for o in outcomes], out)
    print_summary(outcomes, out, f"检查结果已保存到数据库：{url}")
    return outcomes


def build_options(
    as_of: str | None, rubric: str, max_pages: int, proxy: str | None, timeout: float, probes: int
) -> InspectOptions:
    try:
        load_rubric(rubric)
    except RubricError as exc:
        fail(str(exc))
    return InspectOptions(
        as_of=parse_as_of(as_of),
        rubric=rubric,
        budget=CrawlBudget(max_pages=max_pages, probes=probes, probe_timeout_s=timeout),
        fetch=FetchSettings(timeout_s=timeout, proxy=proxy),
    )


AsOf = Annotated[str | None, typer.Option("--as-of", help="按此日期判断是否更新（YYYY-MM-DD，默认今天）")]
Out = Annotated[Path, typer.Option("--out", help="报告输出目录")]
MaxPages = Annotated[int, typer.Option("--max-pages", min=1, help="每个网站最多抓取的页面数")]
Proxy = Annotated[str | None, typer.Option("--proxy", help="HTTP 代理地址（也可用 HTTP_PROXY 等环境变量）")]
RubricOpt = Annotated[str, typer.Option("--rubric", help="评分规则名称或 YAML 文件")]
Formats = Annotated[str, typer.Option("--format", help="报告格式，逗号分隔：json,html")]
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
    options = build_options(as_of, rubric, max_pages, proxy, timeout, probes)
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
    """显示生效的评分规则。"""
    try:
        r = load_rubric(name)
    except RubricError as exc:
        fail(str(exc))
    console.print(f"[bold]{r.title}[/bold]（{r.name}）  合格线：{r.pass_score:g}分  满分：{r.max_score:g}分")
    console.print("阈值：")
    for key, value in r.thresholds.items():
        console.print(f"  {key} = {value:g}")
    console.print("单项否决：")
    for v in r.vetoes:
        console.print(f"  {v.text}（{'+'.join(v.checks)} ≥ {v.min}）")
    console.print("扣分项：")
    for check_id, d in r.deductions.items():
        console.print(f"  {check_id}：每处{d.points:g}分，最多{d.cap:g}分")


def main() -> None:  # pragma: no cover - entry for `python -m govinspect`
    sys.exit(app())
