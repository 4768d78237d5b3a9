"""Working days: the statutory holidays with their 调休 make-up days, a local table, and an estimate.

Three sources, in order, for a date's year:
1. the local table (holidays.yaml next to this module, or a file the caller passes) — a year listed
   there is complete and wins over the package (so a province can enter next year's notice, or correct
   a date, without waiting for a package release);
2. the chinese_calendar package (statutory holidays and 调休 working days of the years it knows);
3. the week alone (Monday–Friday working): the answer is then *estimated* and every deadline computed
   over such a date carries `estimated=True`, shown as 估算. Never an exception for an unknown year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import chinese_calendar
import yaml

DEFAULT_TABLE = Path(__file__).with_name("holidays.yaml")
ESTIMATED_LABEL = "估算"


class HolidayTableError(ValueError):
    """The local holiday table cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    estimated: bool = False  # some day up to the deadline was judged from the week alone

    def label(self) -> str:
        """The deadline as users read it: 2026年10月9日, or 2027年1月6日（估算）."""
        text = f"{self.date.year}年{self.date.month}月{self.date.day}日"
        return f"{text}（{ESTIMATED_LABEL}）" if self.estimated else text

    def __str__(self) -> str:
        return self.label()


@dataclass(frozen=True)
class LocalYear:
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    source: str = ""


@dataclass(frozen=True)
class WorkingCalendar:
    """The local table (year → its days off and make-up working days); the package behind it."""

    local: dict[int, LocalYear] = field(default_factory=dict)

    def is_working_day(self, day: dt.date | dt.datetime) -> tuple[bool, bool]:
        """(working, estimated) for one date."""
        day = _as_date(day)
        year = self.local.get(day.year)
        if year is not None:
            if day in year.workdays:
                return True, False
            return (day.weekday() < 5 and day not in year.holidays), False
        try:
            return chinese_calendar.is_workday(day), False
        except NotImplementedError:  # a year the package has no data for
            return day.weekday() < 5, True

    def add_working_days(self, start: dt.date | dt.datetime, n: int) -> Deadline:
        """The n-th working day after `start` (the start day itself is not counted; n=0 → start)."""
        if n < 0:
            raise ValueError("工作日数不能为负数")
        day, estimated, left = _as_date(start), False, n
        while left:
            day += dt.timedelta(days=1)
            working, guessed = self.is_working_day(day)
            estimated |= guessed
            left -= working
        return Deadline(day, estimated)


@dataclass(frozen=True)
class WorkingSpan:
    days: int
    estimated: bool = False


def working_days_between(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime, calendar: WorkingCalendar | None = None
) -> WorkingSpan:
    """Working days after `start` up to and including `end`; negative when `end` is before `start`."""
    cal = calendar or default_calendar()
    a, b = _as_date(start), _as_date(end)
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    count, estimated, day = 0, False, a
    while day < b:
        day += dt.timedelta(days=1)
        working, guessed = cal.is_working_day(day)
        count += working
        estimated |= guessed
    return WorkingSpan(sign * count, estimated)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _parse_day(value: object, where: str) -> list[dt.date]:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return [value]
    text = str(value).strip()
    try:
        if ".." in text:
            first, last = (dt.date.fromisoformat(part.strip()) for part in text.split("..", 1))
            if last < first:
                raise ValueError
            return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        return [dt.date.fromisoformat(text)]
    except ValueError:
        raise HolidayTableError(
            f"{where}：日期“{text}”无效，应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD"
        ) from None


def parse_table(data: object, name: str = "节假日表") -> dict[int, LocalYear]:
    """Check the YAML structure of a local table (see holidays.yaml) and return it by year."""
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("years", {}) or {}, dict):
        raise HolidayTableError(f"{name}：应含 years: {{年份: {{holidays: [...], workdays: [...]}}}}")
    table: dict[int, LocalYear] = {}
    for key, entry in (data.get("years") or {}).items():
        try:
            year = int(key)
        except (TypeError, ValueError):
            raise HolidayTableError(f"{name}：年份“{key}”无效") from None
        if not isinstance(entry, dict):
            raise HolidayTableError(f"{name}：{year}年应含 holidays 和 workdays 列表")
        days: dict[str, set[dt.date]] = {}
        for kind in ("holidays", "workdays"):
            values = entry.get(kind) or []
            if not isinstance(values, list):
                raise HolidayTableError(f"{name}：{year}年的 {kind} 应为日期列表")
            days[kind] = {d for v in values for d in _parse_day(v, f"{name} {year}年 {kind}")}
            stray = sorted(d for d in days[kind] if d.year != year)
            if stray:
                raise HolidayTableError(f"{name}：{year}年的 {kind} 含其他年份的日期 {stray[0].isoformat()}")
        both = sorted(days["holidays"] & days["workdays"])
        if both:
            raise HolidayTableError(f"{name}：{both[0].isoformat()} 同时列为放假和上班")
        table[year] = LocalYear(
            frozenset(days["holidays"]), frozenset(days["workdays"]), str(entry.get("source") or "")
        )
    return table


def load_calendar(path: str | Path | None = None) -> WorkingCalendar:
    """A calendar with the local table at `path` (default: the holidays.yaml shipped here)."""
    path = Path(path) if path is not None else DEFAULT_TABLE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HolidayTableError(f"无法读取节假日表 {path}：{exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise HolidayTableError(f"节假日表 {path} 不是有效的 YAML：{exc}") from None
    return WorkingCalendar(parse_table(data, path.name))


@cache
def default_calendar() -> WorkingCalendar:
    return load_calendar()


def is_working_day(day: dt.date | dt.datetime, calendar: WorkingCalendar | None = None) -> tuple[bool, bool]:
    """(working, estimated): estimated when neither the local table nor the package knows the year."""
    return (calendar or default_calendar()).is_working_day(day)


def add_working_days(
    start: dt.date | dt.datetime, n: int, calendar: WorkingCalendar | None = None
) -> Deadline:
    """The n-th working day after `start` (not counting the start day), marked estimated where guessed."""
    return (calendar or default_calendar()).add_working_days(start, n)
