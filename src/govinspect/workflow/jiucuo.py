"""我为政府网站找错: messages from the platform, their lifecycle, deadlines and 办结率.

Statuses (INDICATORS §9b, simplified from the census-era platform's HandleType): 待转办 → 已转办 →
已受理 → 已办结 (with 办理结果); 不予受理 (reason 无效/不属实/业务问题/不在范围) and 重复 (linked to the
original) end a message at any open step; a unit may hand a message back (已转办 → 待转办). Every change
is kept with who and when. Deadline: N working days after submission (3 by the 2017 浙江 通报, §9b; a
rubric value, so a parameter). 办结率 = 办结 / 有效留言 (§5, I): rejected and duplicate messages are not
有效 and are listed apart with their reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any
from urllib.parse import urlsplit

from govinspect.workflow.calendar import Deadline, WorkingCalendar, add_working_days, working_days_between
from govinspect.workflow.results import percent

PENDING, FORWARDED, ACCEPTED, CLOSED, REJECTED, DUPLICATE = (
    "待转办",
    "已转办",
    "已受理",
    "已办结",
    "不予受理",
    "重复",
)
STATUSES = (PENDING, FORWARDED, ACCEPTED, CLOSED, REJECTED, DUPLICATE)
OPEN_STATUSES = (PENDING, FORWARDED, ACCEPTED)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PENDING: (FORWARDED, REJECTED, DUPLICATE),
    FORWARDED: (ACCEPTED, REJECTED, DUPLICATE, PENDING),  # back to 待转办: the unit says it is not theirs
    ACCEPTED: (CLOSED, REJECTED),
    CLOSED: (),
    REJECTED: (),
    DUPLICATE: (),
}
REJECT_REASONS = ("无效", "不属实", "业务问题", "不在范围")
DEFAULT_WORKING_DAYS = 3
# Status words of platform exports that mean one of ours.
STATUS_ALIASES = {"未处理": PENDING, "受理": ACCEPTED, "办结": CLOSED, "不再受理": DUPLICATE}
SITE_CODE_RE = re.compile(r"^(\d{10}|bm\d{8})$", re.I)  # as extract/footer.py reads it


class TransitionError(ValueError):
    """A status change the lifecycle does not allow (message in Chinese)."""


@dataclass(frozen=True)
class Change:
    when: dt.datetime
    who: str
    from_status: str
    to_status: str
    note: str = ""


@dataclass(frozen=True)
class Message:
    number: str  # 留言编号
    submitted: dt.datetime  # 提交时间
    site_code: str = ""  # 网站标识码
    problem_type: str = ""  # 问题类型
    url: str = ""  # 出错网址
    description: str = ""  # 问题描述
    unit: str = ""  # 受理单位
    site_id: str = ""  # the registry site it was routed to
    status: str = PENDING
    result: str = ""  # 办理结果
    reject_reason: str = ""  # 不予受理原因
    duplicate_of: str = ""  # 重复: the original's number
    closed_at: dt.datetime | None = None
    history: tuple[Change, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def change_status(
    message: Message,
    to: str,
    *,
    who: str,
    when: dt.datetime,
    result: str = "",
    reason: str = "",
    duplicate_of: str = "",
    site_id: str = "",
    note: str = "",
) -> Message:
    """One step of the lifecycle; refuses what TRANSITIONS does not allow and incomplete steps."""
    if to not in STATUSES:
        raise TransitionError(f"未知的状态“{to}”；可用：{'、'.join(STATUSES)}")
    if to not in TRANSITIONS[message.status]:
        allowed = "、".join(TRANSITIONS[message.status]) or "无（已结束）"
        raise TransitionError(f"留言{message.number}：不能从“{message.status}”变为“{to}”；可变为：{allowed}")
    if not who.strip():
        raise TransitionError("须记录操作人")
    last = message.history[-1].when if message.history else message.submitted
    if when < last:
        raise TransitionError(f"留言{message.number}：操作时间早于上一步（{last:%Y-%m-%d %H:%M}）")
    changes: dict[str, Any] = {"status": to}
    if to == FORWARDED:
        site_id = site_id or message.site_id
        if not site_id:
            raise TransitionError(f"留言{message.number}：转办须指定受理网站（标识码未能匹配网站库）")
        changes["site_id"] = site_id
    elif to == CLOSED:
        if not result.strip():
            raise TransitionError(f"留言{message.number}：办结须填写办理结果")
        changes.update(result=result, closed_at=when)
    elif to == REJECTED:
        if reason not in REJECT_REASONS:
            raise TransitionError(f"留言{message.number}：不予受理须选择原因：{'、'.join(REJECT_REASONS)}")
        changes.update(reject_reason=reason, closed_at=when)
    elif to == DUPLICATE:
        if not duplicate_of.strip() or duplicate_of == message.number:
            raise TransitionError(f"留言{message.number}：重复留言须指明原留言编号")
        changes.update(duplicate_of=duplicate_of, closed_at=when)
    change = Change(when, who, message.status, to, note or result or reason or duplicate_of)
    return replace(message, **changes, history=(*message.history, change))


# --- deadlines -------------------------------------------------------------------------------------


def deadline(
    message: Message, working_days: int = DEFAULT_WORKING_DAYS, calendar: WorkingCalendar | None = None
) -> Deadline:
    return add_working_days(message.submitted, working_days, calendar)


@dataclass(frozen=True)
class Due:
    message: Message
    deadline: Deadline
    working_days_left: int  # negative when overdue


def _due(message: Message, today: dt.date, working_days: int, calendar: WorkingCalendar | None) -> Due:
    limit = deadline(message, working_days, calendar)
    left = working_days_between(today, limit.date, calendar)
    return Due(message, replace(limit, estimated=limit.estimated or left.estimated), left.days)


def reminders(
    messages: Iterable[Message],
    today: dt.date,
    *,
    within: int = 1,
    working_days: int = DEFAULT_WORKING_DAYS,
    calendar: WorkingCalendar | None = None,
) -> list[Due]:
    """Open messages due today or within `within` working days, the closest first."""
    due = [_due(m, today, working_days, calendar) for m in messages if m.is_open]
    soon = [d for d in due if today <= d.deadline.date and d.working_days_left <= within]
    return sorted(soon, key=lambda d: (d.deadline.date, d.message.number))


def overdue(
    messages: Iterable[Message],
    today: dt.date,
    *,
    working_days: int = DEFAULT_WORKING_DAYS,
    calendar: WorkingCalendar | None = None,
) -> list[Due]:
    """Open messages past their deadline, the oldest first."""
    due = [_due(m, today, working_days, calendar) for m in messages if m.is_open]
    return sorted(
        (d for d in due if today > d.deadline.date), key=lambda d: (d.deadline.date, d.message.number)
    )


# --- 办结率 ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    start: dt.date
    end: dt.date
    received: int  # messages submitted in the period
    valid: int  # 有效留言
    closed: int  # 办结
    closed_on_time: int  # 按期办结
    excluded: tuple[tuple[Message, str], ...]  # (message, why it is not 有效)
    estimated: bool  # some deadline was estimated (估算)

    @property
    def rate(self) -> Decimal | None:
        """办结率 in percent."""
        return percent(Fraction(self.closed, self.valid)) if self.valid else None

    @property
    def on_time_rate(self) -> Decimal | None:
        """按期办结率 in percent."""
        return percent(Fraction(self.closed_on_time, self.valid)) if self.valid else None


def completion(
    messages: Iterable[Message],
    start: dt.date,
    end: dt.date,
    *,
    working_days: int = DEFAULT_WORKING_DAYS,
    calendar: WorkingCalendar | None = None,
) -> Completion:
    """办结率 over messages submitted from `start` to `end` (both included), at their current status."""
    period = sorted((m for m in messages if start <= m.submitted.date() <= end), key=lambda m: m.number)
    excluded = tuple(
        (m, f"不予受理（{m.reject_reason}）" if m.status == REJECTED else f"重复（原留言{m.duplicate_of}）")
        for m in period
        if m.status in (REJECTED, DUPLICATE)
    )
    valid = [m for m in period if m.status not in (REJECTED, DUPLICATE)]
    closed = [m for m in valid if m.status == CLOSED]
    limits = {m.number: deadline(m, working_days, calendar) for m in closed}
    on_time = [m for m in closed if m.closed_at is not None and m.closed_at.date() <= limits[m.number].date]
    return Completion(
        start,
        end,
        len(period),
        len(valid),
        len(closed),
        len(on_time),
        excluded,
        any(d.estimated for d in limits.values()),
    )


# --- routing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unrouted:
    message: Message
    reason: str


def _host(url: str) -> str:
    try:
        host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def route(messages: Iterable[Message], sites: Iterable[Any]) -> tuple[list[Message], list[Unrouted]]:
    """Attach each message to a registry site by 标识码, else by the host of 出错网址.

    Sites need `id`, `site_code`, `url` and `organiser`. Returns every message (routed ones with
    `site_id` and, when empty, `unit` filled) and the ones no site claims, with the reason: an unknown
    code is listed, never dropped.
    """
    sites = list(sites)
    by_code = {str(s.site_code).lower(): s for s in sites if getattr(s, "site_code", "")}
    by_host = {_host(s.url): s for s in sites if getattr(s, "url", "") and _host(s.url)}
    out, unrouted = [], []
    for m in messages:
        site = by_code.get(m.site_code.lower()) if m.site_code else None
        if site is None and not m.site_code:
            site = by_host.get(_host(m.url)) if m.url else None
        if site is None:
            reason = (
                f"网站标识码{m.site_code}不在网站库中"
                if m.site_code
                else "未填写网站标识码，出错网址也不属于网站库中的网站"
            )
            unrouted.append(Unrouted(m, reason))
            out.append(m)
            continue
        out.append(replace(m, site_id=str(site.id), unit=m.unit or getattr(site, "organiser", "") or ""))
    return out, unrouted


# --- platform export -------------------------------------------------------------------------------

EXPORT_HEADERS: dict[str, set[str]] = {
    "number": {"编号", "留言编号"},
    "site_code": {"网站标识码", "标识码"},
    "problem_type": {"问题类型"},
    "url": {"出错网址", "问题网址", "网址"},
    "description": {"描述", "问题描述", "留言内容"},
    "submitted": {"提交时间", "留言时间"},
    "unit": {"受理单位"},
    "accepted_at": {"受理时间"},
    "status": {"状态", "办理状态"},
    "reject_reason": {"不予受理原因"},
    "result": {"办理结果"},
    "duplicate_of": {"原留言编号", "重复留言编号"},
}
REQUIRED = ("number", "submitted")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class ExportError(ValueError):
    """The export cannot be imported; names every bad row (nothing is imported)."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("；".join(f"第{e.line}行：{e.message}" for e in self.errors))


def parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    text = str(value or "").strip()
    for fmt in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _columns(headers: Iterable[str]) -> dict[str, str]:
    """Our field → the file's header."""
    found = {}
    for header in headers:
        name = str(header or "").strip()
        for field_name, names in EXPORT_HEADERS.items():
            if name in names and field_name not in found:
                found[field_name] = header
    return found


def _row_message(
    values: dict[str, str], times: dict[str, dt.datetime | None], source: str
) -> tuple[Message | None, list[str]]:
    problems = []
    number = values.get("number", "")
    if not number:
        problems.append("缺少留言编号")
    submitted = times["submitted"]
    if submitted is None:
        problems.append(f"提交时间“{values.get('submitted', '')}”无法识别")
    code = values.get("site_code", "")
    if code and not SITE_CODE_RE.match(code):
        problems.append(f"网站标识码“{code}”格式不对（应为10位数字或bm加8位数字）")
    if values.get("url") and not _host(values["url"]):
        problems.append(f"出错网址“{values['url']}”无效")
    raw_status = values.get("status", "") or PENDING
    status = STATUS_ALIASES.get(raw_status, raw_status)
    if status not in STATUSES:
        problems.append(f"状态“{raw_status}”无法识别（可用：{'、'.join(STATUSES)}）")
    reason = values.get("reject_reason", "")
    if status == REJECTED and reason not in REJECT_REASONS:
        problems.append(f"不予受理原因“{reason}”无效（应为：{'、'.join(REJECT_REASONS)}）")
    if status == CLOSED and not values.get("result"):
        problems.append("状态为已办结但缺少办理结果")
    duplicate_of = values.get("duplicate_of", "")
    if status == DUPLICATE and (not duplicate_of or duplicate_of == number):
        problems.append("状态为重复但缺少原留言编号")
    if problems or submitted is None:
        return None, problems
    when = times.get("accepted_at") or submitted
    history = () if status == PENDING else (Change(max(when, submitted), source, "", status, "导入"),)
    return (
        Message(
            number=number,
            submitted=submitted,
            site_code=code,
            problem_type=values.get("problem_type", ""),
            url=values.get("url", ""),
            description=values.get("description", ""),
            unit=values.get("unit", ""),
            status=status,
            result=values.get("result", "") if status == CLOSED else "",
            reject_reason=reason if status == REJECTED else "",
            duplicate_of=duplicate_of if status == DUPLICATE else "",
            closed_at=max(when, submitted) if status in (CLOSED, REJECTED, DUPLICATE) else None,
            history=history,
        ),
        [],
    )


def parse_export(
    rows: Iterable[Mapping[str, Any]],
    *,
    first_line: int = 2,
    source: str = "平台导出",
    known: Iterable[str] = (),
) -> list[Message]:
    """Messages from the platform's export rows (header → cell), all or nothing.

    `first_line` is the file line of the first row (2 under a header line); `known`: numbers already
    stored, which count as duplicates of the import. Raises ExportError naming every bad row.
    """
    rows = list(rows)
    columns = _columns(rows[0].keys()) if rows else {}
    missing = [f for f in REQUIRED if f not in columns]
    if rows and missing:
        wanted = "、".join(sorted(EXPORT_HEADERS[f], key=len)[0] for f in missing)
        raise ExportError([RowError(first_line - 1, f"缺少必需的列：{wanted}")])
    seen = {str(n) for n in known}
    messages, errors = [], []
    for line, row in enumerate(rows, start=first_line):
        values = {f: _cell(row.get(h)) for f, h in columns.items()}
        times = {
            f: parse_time(row[columns[f]]) if values.get(f) else None for f in ("submitted", "accepted_at")
        }
        if "accepted_at" in columns and values.get("accepted_at") and times["accepted_at"] is None:
            errors.append(RowError(line, f"受理时间“{values['accepted_at']}”无法识别"))
        message, problems = _row_message(values, times, source)
        number = values.get("number", "")
        if number and number in seen:
            problems.append(f"留言编号{number}重复")
        seen.add(number)
        errors.extend(RowError(line, p) for p in problems)
        if message is not None and not problems:
            messages.append(message)
    if errors:
        raise ExportError(sorted(errors, key=lambda e: e.line))
    return messages


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number column read from Excel: 3301000001.0
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text  # the same, already stringified
