"""Command groups of the supervisor's month: registry, sample, bulletin, rectify, jiucuo,
accountability, annual-report. Thin adapters over govinspect.service.workflow (registered in cli.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from govinspect.cli import (
    AsOf,
    Db,
    MaxPages,
    Probes,
    Proxy,
    RubricOpt,
    Timeout,
    console,
    err,
    fail,
    load_settings,
)
from govinspect.registry import ImportFileError
from govinspect.service import registry_book as book
from govinspect.service import workflow as wf
from govinspect.store import StoreError
from govinspect.workflow.calendar import ESTIMATED_LABEL
from govinspect.workflow.documents import BulletinInfo
from govinspect.workflow.jiucuo import Message, parse_time

registry_app = typer.Typer(no_args_is_help=True, help="网站基本信息数据库：导入、导出、查询、修改")
sample_app = typer.Typer(
    help="抽查：按比例或数量分层随机抽取网站并检查（可中断后继续）；sample results 查看结果"
)
rectify_app = typer.Typer(no_args_is_help=True, help="整改与复查：下发整改任务、复查、说明审核、超期任务")
jiucuo_app = typer.Typer(no_args_is_help=True, help="我为政府网站找错：留言登记、导入、办理、超期、办结率")
accountability_app = typer.Typer(no_args_is_help=True, help="问责记录与季度统计")
annual_app = typer.Typer(help="年度报表：监管年度报表、工作年度报表；annual-report set 录入手工数据")
VERDICTS = {"pass": "合格", "fail": "不合格", "error": "无法检查", "pending": "未检查"}


def register(app: typer.Typer) -> None:
    app.add_typer(registry_app, name="registry")
    app.add_typer(sample_app, name="sample")
    app.command("bulletin")(bulletin)
    app.add_typer(rectify_app, name="rectify")
    app.add_typer(jiucuo_app, name="jiucuo")
    app.add_typer(accountability_app, name="accountability")
    app.add_typer(annual_app, name="annual-report")


@contextmanager
def store_of(db: str | None) -> Iterator:
    """The store, with every user error printed in Chinese and exit status 2."""
    from govinspect.cli import open_store

    settings = load_settings(database_url=db)
    store = open_store(settings)
    try:
        yield store
    except (book.RegistryError, wf.WorkflowError) as exc:
        err.print(f"[red]错误：[/red]{escape(str(exc))}")
        for line in exc.errors if exc.errors != [str(exc)] else []:
            err.print(f"  {escape(line)}")
        raise typer.Exit(2) from None
    except (ImportFileError, StoreError, LookupError) as exc:
        fail(escape(str(exc)))
    finally:
        store.close()


def day(value: str | None, option: str, default: dt.date | None = None) -> dt.date:
    if not value:
        return default or dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} 日期“{value}”格式错误，应为 YYYY-MM-DD")
    raise AssertionError


def moment(value: str | None, option: str) -> dt.datetime:
    if not value:
        return dt.datetime.now().replace(microsecond=0)
    parsed = parse_time(value)
    if parsed is None:
        fail(f"{option} 时间“{value}”无法识别，应为 YYYY-MM-DD HH:MM")
    return parsed


def formats_of(value: str) -> list[str]:
    return [f.strip().lower() for f in value.split(",") if f.strip()]


def no_files(settings):
    """Workflow inspections live in the store; reports come from `govinspect report` or the 通报."""
    return replace(settings, out_dir=None)


def who() -> str:
    return load_settings().started_by


# --- registry -----------------------------------------------------------------------------------------


@registry_app.command("import")
def registry_import(
    file: Annotated[Path, typer.Argument(help="网站名录 CSV（UTF-8/GBK）或 XLSX，中文表头")], db: Db = None
) -> None:
    """导入网站名录：先检查每一行，全部正确才写入（有错误行时不做任何修改并列出所有错误行）。"""
    with store_of(db) as store:
        result = book.import_registry(store, file)
    console.print(f"已导入：新增{result.added}个、更新{result.updated}个网站；名录中共有{result.total}个网站")


@registry_app.command("export")
def registry_export(
    file: Annotated[Path, typer.Argument(help="导出文件（.csv 或 .xlsx）")], db: Db = None
) -> None:
    """导出网站名录（可修改后再导入）。"""
    with store_of(db) as store:
        n = book.export_registry(store, file)
    console.print(f"已导出{n}个网站：{file}")


@registry_app.command("list")
def registry_list(
    level: Annotated[str | None, typer.Option("--level", help="层级：国务院部门/省/市/县/乡镇")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="类型：门户/部门/专项")] = None,
    region: Annotated[str | None, typer.Option("--region", help="地区名称")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="运行状态：运行/临时关停/已关停/已迁移")
    ] = None,
    organiser: Annotated[str | None, typer.Option("--organiser", help="主办单位")] = None,
    db: Db = None,
) -> None:
    """按条件列出名录中的网站。"""
    with store_of(db) as store:
        rows = book.list_registry(
            store, level=level, kind=kind, region=region, status=status, organiser=organiser
        )
    table = Table("编号", "网站名称", "首页网址", "标识码", "层级", "类型", "地区", "主办单位", "状态")
    for r in rows:
        status_text = book.registry_status(r) + (f"（{r.status_since}）" if r.status_since else "")
        table.add_row(
            str(r.id),
            *(escape(v or "") for v in (r.name, r.url, r.site_code, r.level, r.kind, r.region, r.organiser)),
            status_text,
        )
    console.print(table)
    console.print(f"共{len(rows)}个网站")


@registry_app.command("set")
def registry_set(
    url: Annotated[str, typer.Argument(help="网站首页网址")],
    name: Annotated[str | None, typer.Option("--name", help="网站名称")] = None,
    site_code: Annotated[str | None, typer.Option("--site-code", help="网站标识码")] = None,
    level: Annotated[str | None, typer.Option("--level", help="层级")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="类型")] = None,
    region_code: Annotated[str | None, typer.Option("--region-code", help="地区代码")] = None,
    region: Annotated[str | None, typer.Option("--region", help="地区名称")] = None,
    organiser: Annotated[str | None, typer.Option("--organiser", help="主办单位")] = None,
    supervisor: Annotated[str | None, typer.Option("--supervisor", help="主管单位")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="运行状态：运行/临时关停/已关停/已迁移")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="状态生效日期 YYYY-MM-DD")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="关停或迁移原因")] = None,
    destination: Annotated[str | None, typer.Option("--destination", help="迁移后内容去向（网址）")] = None,
    opened: Annotated[str | None, typer.Option("--opened", help="开设日期 YYYY-MM-DD")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="联系人")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    email: Annotated[str | None, typer.Option("--email", help="电子邮箱")] = None,
    db: Db = None,
) -> None:
    """修改一个网站的名录信息（如关停、迁移须同时给出 --since；迁移还须 --destination）。"""
    given = {
        "name": name, "site_code": site_code, "level": level, "kind": kind, "region_code": region_code,
        "region": region, "organiser": organiser, "supervisor": supervisor, "status": status,
        "status_since": since, "status_reason": reason, "status_destination": destination, "opened": opened,
        "contact": contact, "phone": phone, "email": email,
    }  # fmt: skip
    values = {k: v for k, v in given.items() if v is not None}
    if not values:
        fail("请至少给出一项要修改的信息")
    with store_of(db) as store:
        row = book.set_site(store, url, values)
    console.print(f"已修改：{escape(row.name)}（{escape(row.url)}），状态：{book.registry_status(row)}")


# --- sample -------------------------------------------------------------------------------------------


@sample_app.callback(invoke_without_command=True)
def sample(
    ctx: typer.Context,
    ratio: Annotated[str | None, typer.Option("--ratio", help="抽查比例，如 0.3 表示30%")] = None,
    count: Annotated[int | None, typer.Option("--count", help="抽查网站数量")] = None,
    by: Annotated[
        str, typer.Option("--by", help="分层字段，逗号分隔：level,region（空字符串不分层）")
    ] = "level,region",
    min_per_group: Annotated[int, typer.Option("--min-per-group", min=0, help="每层至少抽取的网站数")] = 0,
    seed: Annotated[
        str | None, typer.Option("--seed", help="随机种子：同一种子、同一名录抽出同样的网站")
    ] = None,
    as_of: AsOf = None,
    label: Annotated[
        str, typer.Option("--label", help="抽查类别（环比只比较同类），如 月度抽查")
    ] = wf.DEFAULT_LABEL,
    proxy: Proxy = None,
    timeout: Timeout = None,
    max_pages: MaxPages = None,
    probes: Probes = None,
    rubric: RubricOpt = None,
    db: Db = None,
) -> None:
    """抽取样本、记录为抽查批次并逐一检查；中断后用同样的参数重新运行，只检查尚未完成的网站。"""
    if ctx.invoked_subcommand is not None:
        return
    if seed is None:
        fail("请用 --seed 指定随机种子（保证抽样可复现）")
    if (ratio is None) == (count is None):
        fail("请指定 --ratio 或 --count（二者选一）")
    settings = no_files(
        load_settings(
            database_url=db, proxy=proxy, timeout=timeout, max_pages=max_pages, probes=probes, rubric=rubric
        )
    )
    as_of_day = day(as_of, "--as-of")
    parameters = wf.sample_parameters(
        ratio=ratio, count=count, by=[b.strip() for b in by.split(",") if b.strip()],
        min_per_group=min_per_group, seed=seed, as_of=as_of_day, label=label, rubric=settings.rubric,
    )  # fmt: skip
    with store_of(db) as store:
        drawn = wf.draw_run(store, parameters, settings.started_by)
        verb = "继续未完成的" if drawn.resumed else "新建"
        console.print(
            f"{verb}抽查批次 {drawn.run_id}：抽取{drawn.sites}个网站，已完成{drawn.done}个，待检查{drawn.sites - drawn.done}个"
        )

        def on_result(outcome) -> None:
            insp = outcome.inspection
            console.print(
                f"  {escape(insp.site_name)}  {escape(insp.url)}  {VERDICTS.get(insp.verdict, insp.verdict)}"
            )

        try:
            wf.inspect_run(store, settings, drawn.run_id, on_result=on_result)
        except KeyboardInterrupt:
            err.print(f"已中断：已完成的检查已保存。用同样的参数重新运行即可继续抽查批次 {drawn.run_id}")
            raise typer.Exit(130) from None
        stats = wf.run_results(store, drawn.run_id)
    print_stats(stats)


def print_stats(stats) -> None:
    rate = stats.overall
    change = "—" if stats.change_pp is None else f"{stats.change_pp:+}个百分点"
    console.print(
        f"抽查批次 {stats.run.id}（{stats.run.kind}，{stats.run.as_of}）：抽查{stats.sampled}个，合格{rate.passed}个，"
        f"不合格{rate.failed}个，未完成{len(stats.unchecked)}个；合格率{rate.label()}；环比{change}"
    )
    for title, rates in (
        ("按层级", stats.by_level),
        ("按地区", stats.by_region),
        ("按部门", stats.by_department),
    ):
        if rates:
            console.print(
                f"{title}："
                + "；".join(f"{escape(k)} {r.passed}/{r.checked}（{r.label()}）" for k, r in rates.items())
            )
    if stats.failing:
        table = Table("网站名称", "地区", "单项否决", "主要问题", "累计不合格次数", title="问题网站名单")
        for f in stats.failing:
            table.add_row(
                escape(f.name),
                escape(f.region),
                escape("、".join(f.vetoes)),
                escape("；".join(f.main_problems)),
                str(f.times_failed),
            )
        console.print(table)
    for r in stats.repeat_failures:
        console.print(f"多次通报仍未整改：{escape(r.name)}（批次 {'、'.join(r.failed_runs)}）")
    for f in stats.follow_up:
        console.print(f"上次不合格网站：{escape(f.name)} {f.status}")
    nm = stats.newmedia
    if nm is not None:
        console.print(
            f"政务新媒体（本月检查）：{nm.overall.sampled}个账号，合格{nm.overall.passed}个，不合格{nm.overall.failed}个，"
            f"待人工核实{len(nm.unverified)}个；合格率{nm.overall.label()}；"
            + "；".join(f"{escape(k)} {r.passed}/{r.checked}（{r.label()}）" for k, r in nm.by_platform.items())
        )
        for a in nm.failing:
            console.print(
                f"不合格账号：{escape(a.platform)}“{escape(a.name)}”（{escape(a.organiser) or '开办单位未填写'}）"
                f"{escape('；'.join(a.main_problems))}"
            )


@sample_app.command("results")
def sample_results(
    run: Annotated[int | None, typer.Option("--run", help="抽查批次编号（默认最近一次）")] = None,
    db: Db = None,
) -> None:
    """抽查结果：合格率（总体、按层级、按地区）、环比、问题网站名单、复查情况。"""
    with store_of(db) as store:
        stats = wf.run_results(store, run)
    print_stats(stats)


# --- bulletin -----------------------------------------------------------------------------------------


def bulletin(
    out: Annotated[Path, typer.Option("--out", help="输出目录")],
    run: Annotated[int | None, typer.Option("--run", help="抽查批次编号（默认最近一次）")] = None,
    format: Annotated[str, typer.Option("--format", help="格式，逗号分隔：docx,xlsx")] = "docx,xlsx",
    title: Annotated[str | None, typer.Option("--title", help="通报标题")] = None,
    issuer: Annotated[str, typer.Option("--issuer", help="发文单位")] = "政府网站监管办公室",
    date: Annotated[str | None, typer.Option("--date", help="成文日期 YYYY-MM-DD（默认今天）")] = None,
    scope: Annotated[str, typer.Option("--scope", help="范围称谓，如 全省、全市")] = "全省",
    report_by: Annotated[
        str | None, typer.Option("--report-by", help="整改情况书面报送期限 YYYY-MM-DD")
    ] = None,
    db: Db = None,
) -> None:
    """生成抽查通报（Word 正文含附件1—3，本月检查过政务新媒体时另含附件4—5；Excel 含同样的表格），所有数字来自已保存的抽查批次和政务新媒体检查记录。"""
    issued = day(date, "--date")
    deadline = day(report_by, "--report-by") if report_by else None
    with store_of(db) as store:
        stats = wf.run_results(store, run)
        as_of = stats.run.as_of
        info = BulletinInfo(
            title=title or f"关于{as_of.year}年{as_of.month}月{scope}政府网站抽查情况的通报",
            issuer=issuer, date=issued, scope=scope, report_by=deadline,
        )  # fmt: skip
        paths = wf.write_bulletin(store, out, formats_of(format), info, int(stats.run.id))
    for p in paths:
        console.print(f"已生成：{p}")


# --- rectify ------------------------------------------------------------------------------------------


def print_tasks(rows) -> None:
    table = Table("任务", "网站名称", "抽查批次", "下发日期", "整改期限", "状态", "问题数", "说明")
    for r in rows:
        t = r.task
        notes = "；".join(f"{n.number}.{n.decision}" for n in t.notes)
        table.add_row(
            str(r.id),
            escape(t.name),
            t.run_id,
            str(t.opened),
            t.deadline.label(),
            t.status,
            str(len(t.findings)),
            notes,
        )
    console.print(table)
    console.print(f"共{len(rows)}个整改任务")


@rectify_app.command("open")
def rectify_open(
    run: Annotated[int | None, typer.Option("--run", help="抽查批次编号（默认最近一次）")] = None,
    days: Annotated[
        int | None,
        typer.Option("--days", min=1, help="整改期限（工作日，默认取评分规则的 rectify_working_days，即20）"),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="下发日期 YYYY-MM-DD（默认今天）")] = None,
    rubric: RubricOpt = None,
    db: Db = None,
) -> None:
    """为抽查不合格的网站下发整改任务（期限按工作日计算，含法定节假日与调休）。"""
    days = deadline_days(days, rubric, "rectify_working_days")
    with store_of(db) as store:
        rows = wf.open_rectify(store, run, opened=day(date, "--date"), working_days=days, who=who())
    print_tasks(rows)


@rectify_app.command("list")
def rectify_list(
    run: Annotated[int | None, typer.Option("--run", help="抽查批次编号")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="状态：整改中/已整改/整改不到位/说明已采纳")
    ] = None,
    db: Db = None,
) -> None:
    """列出整改任务。"""
    with store_of(db) as store:
        rows = wf.list_rectify(store, run, status)
    print_tasks(rows)


@rectify_app.command("recheck")
def rectify_recheck(
    tasks: Annotated[list[int], typer.Argument(help="整改任务编号（可多个）")],
    proxy: Proxy = None,
    timeout: Timeout = None,
    max_pages: MaxPages = None,
    probes: Probes = None,
    as_of: AsOf = None,
    db: Db = None,
) -> None:
    """复查：重新检查网站，逐项比对原问题（已整改/未整改/新发现）。"""
    settings = no_files(
        load_settings(
            database_url=db, proxy=proxy, timeout=timeout, max_pages=max_pages, probes=probes,
            as_of=day(as_of, "--as-of") if as_of else None,
        )
    )  # fmt: skip
    with store_of(db) as store:
        rows = wf.recheck_rectify(store, settings, tasks, by=settings.started_by)
    for r in rows:
        last = r.task.rechecks[-1] if r.task.rechecks else None
        detail = (
            f"已整改{len(last.fixed)}项，未整改{len(last.not_fixed)}项，新发现{len(last.new)}项"
            if last
            else "复查未完成"
        )
        console.print(f"任务 {r.id} {escape(r.task.name)}：{r.task.status}（{detail}）")


@rectify_app.command("note")
def rectify_note(
    task: Annotated[int, typer.Argument(help="整改任务编号")],
    text: Annotated[str, typer.Option("--text", help="说明内容")],
    finding: Annotated[
        list[str] | None, typer.Option("--finding", help="说明涉及的问题编号（可多次；不填表示整个任务）")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="提交人（默认当前用户）")] = None,
    db: Db = None,
) -> None:
    """登记网站提交的说明（待审核）。"""
    with store_of(db) as store:
        row = wf.note_rectify(
            store, task, text, by=by or who(), when=moment(None, ""), finding_keys=finding or ()
        )
    console.print(f"任务 {row.id}：已登记第{len(row.task.notes)}条说明，待审核")


@rectify_app.command("decide")
def rectify_decide(
    task: Annotated[int, typer.Argument(help="整改任务编号")],
    note: Annotated[int, typer.Argument(help="说明序号")],
    accept: Annotated[bool, typer.Option("--accept/--reject", help="采纳或不采纳")] = True,
    reason: Annotated[str, typer.Option("--reason", help="理由（不采纳时必填）")] = "",
    db: Db = None,
) -> None:
    """审核说明：采纳或不采纳（两者都保留在历史中）。"""
    with store_of(db) as store:
        row = wf.decide_rectify(
            store, task, note, accepted=accept, by=who(), when=moment(None, ""), reason=reason
        )
    console.print(
        f"任务 {row.id}：第{note}条说明{'已采纳' if accept else '不采纳'}；任务状态：{row.task.status}"
    )


@rectify_app.command("overdue")
def rectify_overdue(
    today: Annotated[str | None, typer.Option("--today", help="按此日期判断（默认今天）")] = None,
    db: Db = None,
) -> None:
    """列出超过整改期限仍未整改到位的任务。"""
    with store_of(db) as store:
        rows = wf.overdue_rectify(store, day(today, "--today"))
    print_tasks(rows)


# --- jiucuo -------------------------------------------------------------------------------------------

WorkingDays = Annotated[
    int | None,
    typer.Option("--days", min=1, help="办理时限（工作日，默认取评分规则的 jiucuo_working_days，即3）"),
]


def deadline_days(days: int | None, rubric: str | None, key: str) -> int:
    """The --days option when given, else the rubric's threshold."""
    if days is not None:
        return days
    try:
        return wf.rubric_working_days(rubric or load_settings().rubric, key)
    except wf.WorkflowError as exc:
        fail(escape(str(exc)))


def print_messages(messages: list[Message], working_days: int = 3) -> None:
    table = Table("留言编号", "提交时间", "标识码", "问题类型", "出错网址", "受理单位", "状态", "办理期限")
    for m in messages:
        limit = wf.message_deadline(m, working_days).label()
        table.add_row(
            escape(m.number), f"{m.submitted:%Y-%m-%d %H:%M}", escape(m.site_code), escape(m.problem_type),
            escape(m.url), escape(m.unit), m.status, limit,
        )  # fmt: skip
    console.print(table)
    console.print(f"共{len(messages)}条留言")


@jiucuo_app.command("add")
def jiucuo_add(
    number: Annotated[str, typer.Option("--number", help="留言编号")],
    submitted: Annotated[str, typer.Option("--submitted", help="提交时间 YYYY-MM-DD HH:MM")],
    site_code: Annotated[str, typer.Option("--site-code", help="网站标识码")] = "",
    url: Annotated[str, typer.Option("--url", help="出错网址")] = "",
    problem_type: Annotated[str, typer.Option("--type", help="问题类型")] = "",
    description: Annotated[str, typer.Option("--description", help="问题描述")] = "",
    days: WorkingDays = None,
    rubric: RubricOpt = None,
    db: Db = None,
) -> None:
    """登记一条找错留言，并按标识码或出错网址转到网站的主办单位。"""
    days = deadline_days(days, rubric, "jiucuo_working_days")
    message = Message(
        number.strip(), moment(submitted, "--submitted"), site_code.strip(), problem_type, url, description
    )
    with store_of(db) as store:
        stored, reason = wf.add_message(store, message)
    console.print(f"已登记留言{escape(stored.number)}，办理期限：{wf.message_deadline(stored, days).label()}")
    if reason:
        err.print(f"[yellow]未能转办：[/yellow]{escape(reason)}")


@jiucuo_app.command("import")
def jiucuo_import(
    file: Annotated[Path, typer.Argument(help="平台导出文件（XLSX/CSV）")], db: Db = None
) -> None:
    """导入“我为政府网站找错”平台的导出文件：全部正确才导入，否则列出所有错误行。"""
    with store_of(db) as store:
        result = wf.import_messages(store, file)
    console.print(f"已导入{result.imported}条留言")
    for number, reason in result.unrouted:
        err.print(f"[yellow]未匹配网站：[/yellow]留言{escape(number)}：{escape(reason)}")


@jiucuo_app.command("list")
def jiucuo_list(
    status: Annotated[
        str | None, typer.Option("--status", help="状态：待转办/已转办/已受理/已办结/不予受理/重复")
    ] = None,
    days: WorkingDays = None,
    rubric: RubricOpt = None,
    db: Db = None,
) -> None:
    """列出留言及其办理期限（无法确定节假日的日期按周末估算，标“估算”）。"""
    days = deadline_days(days, rubric, "jiucuo_working_days")
    with store_of(db) as store:
        messages = wf.list_messages(store, status)
    print_messages(messages, days)


@jiucuo_app.command("status")
def jiucuo_status(
    number: Annotated[str, typer.Argument(help="留言编号")],
    to: Annotated[str, typer.Argument(help="新状态：已转办/已受理/已办结/不予受理/重复/待转办")],
    result: Annotated[str, typer.Option("--result", help="办理结果（办结时必填）")] = "",
    reason: Annotated[str, typer.Option("--reason", help="不予受理原因：无效/不属实/业务问题/不在范围")] = "",
    duplicate_of: Annotated[str, typer.Option("--duplicate-of", help="重复时的原留言编号")] = "",
    site: Annotated[str, typer.Option("--site", help="转办到的网站（网址或标识码）")] = "",
    note: Annotated[str, typer.Option("--note", help="备注")] = "",
    when: Annotated[str | None, typer.Option("--when", help="办理时间（默认现在）")] = None,
    by: Annotated[str | None, typer.Option("--by", help="操作人（默认当前用户）")] = None,
    db: Db = None,
) -> None:
    """变更留言状态（记录操作人和时间，历史不删除）。"""
    with store_of(db) as store:
        m = wf.change_message(
            store, number, to, who=by or who(), when=moment(when, "--when"), result=result, reason=reason,
            duplicate_of=duplicate_of, site=site, note=note,
        )  # fmt: skip
    console.print(f"留言{escape(m.number)}：{m.history[-1].from_status} → {m.status}")


@jiucuo_app.command("overdue")
def jiucuo_overdue(
    today: Annotated[str | None, typer.Option("--today", help="按此日期判断（默认今天）")] = None,
    within: Annotated[int, typer.Option("--within", min=0, help="同时提醒几个工作日内到期的留言")] = 1,
    days: WorkingDays = None,
    rubric: RubricOpt = None,
    db: Db = None,
) -> None:
    """超期未办结的留言，以及即将到期的留言提醒。"""
    days = deadline_days(days, rubric, "jiucuo_working_days")
    when = day(today, "--today")
    with store_of(db) as store:
        late = wf.overdue_messages(store, when, days)
        soon = wf.message_reminders(store, when, within, days)
    for title, rows in (("超期", late), ("即将到期", soon)):
        for d in rows:
            left = (
                f"超期{-d.working_days_left}个工作日"
                if d.working_days_left < 0
                else f"剩余{d.working_days_left}个工作日"
            )
            console.print(
                f"{title}：留言{escape(d.message.number)}（{escape(d.message.unit)}）期限{d.deadline.label()}，{left}"
            )
    console.print(f"超期{len(late)}条，即将到期{len(soon)}条")


@jiucuo_app.command("rate")
def jiucuo_rate(
    start: Annotated[str, typer.Option("--from", help="起始日期 YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="截止日期 YYYY-MM-DD")],
    days: WorkingDays = None,
    rubric: RubricOpt = None,
    db: Db = None,
) -> None:
    """办结率 = 办结数 / 有效留言数（不予受理和重复留言不计入，单独列出）。"""
    days = deadline_days(days, rubric, "jiucuo_working_days")
    with store_of(db) as store:
        c = wf.completion_rate(store, day(start, "--from"), day(end, "--to"), days)
    rate = "—" if c.rate is None else f"{c.rate}%"
    on_time = "—" if c.on_time_rate is None else f"{c.on_time_rate}%"
    mark = f"（期限含{ESTIMATED_LABEL}）" if c.estimated else ""
    console.print(
        f"{c.start}至{c.end}：收到留言{c.received}条，有效留言{c.valid}条，办结{c.closed}条，办结率{rate}；"
        f"按期办结{c.closed_on_time}条，按期办结率{on_time}{mark}"
    )
    for m, why in c.excluded:
        console.print(f"不计入：留言{escape(m.number)} {why}")


# --- accountability -------------------------------------------------------------------------------------


@accountability_app.command("add")
def accountability_add(
    person: Annotated[str, typer.Option("--person", help="被问责人")],
    form: Annotated[
        str,
        typer.Option(
            "--form",
            help="问责形式：约谈/书面检查/通报批评/警告或记过处分/调离岗位或免职/辞退/党内警告/停职/其他",
        ),
    ],
    date: Annotated[str, typer.Option("--date", help="问责日期 YYYY-MM-DD")],
    unit: Annotated[str, typer.Option("--unit", help="被问责人所在单位")] = "",
    reason: Annotated[str, typer.Option("--reason", help="问责原因")] = "",
    site: Annotated[str, typer.Option("--site", help="相关网站（网址或标识码）")] = "",
    run: Annotated[int | None, typer.Option("--run", help="相关抽查批次编号")] = None,
    db: Db = None,
) -> None:
    """登记一条问责记录。"""
    with store_of(db) as store:
        record_id = wf.add_accountability(
            store,
            person=person,
            unit=unit,
            form=form,
            date=day(date, "--date"),
            reason=reason,
            site=site,
            run_id=run,
            by=who(),
        )
    console.print(f"已登记问责记录 {record_id}")


@accountability_app.command("list")
def accountability_list(
    year: Annotated[int | None, typer.Option("--year", help="年份")] = None, db: Db = None
) -> None:
    """列出问责记录。"""
    with store_of(db) as store:
        rows = wf.list_accountability(store, year)
    table = Table("编号", "日期", "被问责人", "单位", "问责形式", "原因")
    for r in rows:
        rec = r.record
        table.add_row(
            str(r.id), str(rec.date), escape(rec.person), escape(rec.unit), rec.form, escape(rec.reason)
        )
    console.print(table)


@accountability_app.command("counts")
def accountability_counts(year: Annotated[int, typer.Option("--year", help="年份")], db: Db = None) -> None:
    """各季度问责人次（同一人同一季度只计一次，按最重的形式统计）。"""
    from govinspect.workflow.accountability import SEVERITY

    with store_of(db) as store:
        quarters = wf.accountability_counts(store, year)
    forms = list(quarters[0].by_form)
    table = Table("问责形式", "第一季度", "第二季度", "第三季度", "第四季度", "全年")
    for form in [*forms, "合计"]:
        values = [q.total if form == "合计" else q.by_form[form] for q in quarters]
        table.add_row(form, *map(str, values), str(sum(values)))
    console.print(table)
    console.print(f"轻重顺序（由轻到重）：{' < '.join(SEVERITY)}")


# --- annual-report --------------------------------------------------------------------------------------


@annual_app.callback(invoke_without_command=True)
def annual_report(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option("--year", help="年度")] = None,
    kind: Annotated[
        str, typer.Option("--kind", help="supervision（监管年度报表）或 work（工作年度报表）")
    ] = "supervision",
    site: Annotated[str | None, typer.Option("--site", help="工作年度报表的网站（网址或标识码）")] = None,
    format: Annotated[str, typer.Option("--format", help="格式，逗号分隔：xlsx,docx")] = "xlsx,docx",
    out: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("reports"),
    unit: Annotated[str, typer.Option("--unit", help="填报单位（监管年度报表）")] = "（填报单位）",
    rubric: RubricOpt = None,
    db: Db = None,
) -> None:
    """生成年度报表：系统能统计的数据自动填写，其余用 annual-report set 手工录入。"""
    if ctx.invoked_subcommand is not None:
        return
    if year is None:
        fail("请用 --year 指定年度")
    days = deadline_days(None, rubric, "jiucuo_working_days")
    with store_of(db) as store:
        report = wf.annual_report(store, year, kind, site=site, unit=unit, jiucuo_working_days=days)
        stem = f"{year}年{'监管' if kind == 'supervision' else '工作'}年度报表" + (
            f"-{report.subject}" if kind == "work" else ""
        )
        paths = wf.write_annual(report, out, formats_of(format), stem)
    for p in paths:
        console.print(f"已生成：{p}")
    missing = report.missing()
    if missing:
        console.print(f"尚有{len(missing)}项待手工填写，例如：{'、'.join(missing[:5])}")


@annual_app.command("set")
def annual_set(
    key: Annotated[str, typer.Argument(help="项目，如 人员培训/培训次数")],
    value: Annotated[str, typer.Argument(help="数值或文字")],
    year: Annotated[int, typer.Option("--year", help="年度")],
    kind: Annotated[str, typer.Option("--kind", help="supervision 或 work")] = "supervision",
    site: Annotated[str | None, typer.Option("--site", help="工作年度报表的网站（网址或标识码）")] = None,
    db: Db = None,
) -> None:
    """录入年度报表中系统无法统计的数据（保留历史，以最后一次为准）。"""
    with store_of(db) as store:
        wf.set_annual_value(store, year, kind, key, value, site=site, by=who())
    console.print(f"已保存：{escape(key)} = {escape(value)}")
