"""问责 records and their quarterly counts (监管年度报表 问责人次, INDICATORS §6a, §9c).

Counting rule (填写说明 as quoted in §9c, S): "同一季度对同一对象采取不同形式问责的不重复计算，按问责程度
最重的统计" — the same person in the same quarter counts once, at the heaviest form. A person in two
quarters counts in both; the year's figure is the sum of its quarters.

Two orders, both data:
* FORMS — the forms in the order the 通报 and the issue list them (how tables show them);
* SEVERITY — lightest to heaviest, used to pick the heaviest form. No official ranking was found
  (§9c lists forms as counted, not ranked), so this is an inference (I), overridable per call:
  disciplinary sanctions weigh more than criticism (约谈 < 书面检查 < 通报批评); 党内警告 is the lightest
  party sanction, below the 政务处分 警告/记过; the organisational measures go 停职 < 调离岗位或免职
  (removal ends the post, suspension pauses it); 辞退 ends the employment and weighs most. 其他 is
  unknown and ranks lowest so a known form always wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FORMS: tuple[str, ...] = (
    "约谈",
    "书面检查",
    "通报批评",
    "警告或记过处分",
    "调离岗位或免职",
    "辞退",
    "党内警告",
    "停职",
    "其他",
)
SEVERITY: tuple[str, ...] = (
    "其他",
    "约谈",
    "书面检查",
    "通报批评",
    "党内警告",
    "警告或记过处分",
    "停职",
    "调离岗位或免职",
    "辞退",
)


class RecordError(ValueError):
    """A 问责 record that cannot be kept (message in Chinese)."""


@dataclass(frozen=True)
class Record:
    person: str
    unit: str  # the person's unit: two people of the same name in different units are two people
    form: str
    date: dt.date
    reason: str = ""
    site_id: str = ""
    run_id: str = ""

    @property
    def person_key(self) -> tuple[str, str]:
        return (" ".join(self.unit.split()), " ".join(self.person.split()))


@dataclass(frozen=True)
class QuarterCount:
    year: int
    quarter: int
    by_form: dict[str, int]  # every form of FORMS, in that order
    counted: tuple[Record, ...]  # the record that counts for each person (the heaviest)

    @property
    def total(self) -> int:
        return sum(self.by_form.values())


def validate(record: Record, forms: Sequence[str] = FORMS) -> Record:
    problems = []
    if not record.person.strip():
        problems.append("缺少被问责人")
    if record.form not in forms:
        problems.append(f"问责形式“{record.form}”无效（可用：{'、'.join(forms)}）")
    if problems:
        raise RecordError("；".join(problems))
    return record


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarterly_counts(
    records: Iterable[Record], year: int, *, severity: Sequence[str] = SEVERITY, forms: Sequence[str] = FORMS
) -> list[QuarterCount]:
    """问责人次 of each quarter of `year` by form: one per person per quarter, at the heaviest form."""
    weight = {form: i for i, form in enumerate(severity)}
    missing = [f for f in forms if f not in weight]
    if missing:
        raise RecordError(f"问责形式的轻重顺序缺少：{'、'.join(missing)}")
    heaviest: dict[tuple[int, tuple[str, str]], Record] = {}
    for record in sorted(records, key=lambda r: (r.date, r.form)):
        validate(record, forms)
        if record.date.year != year:
            continue
        key = (quarter_of(record.date), record.person_key)
        kept = heaviest.get(key)
        if kept is None or weight[record.form] > weight[kept.form]:
            heaviest[key] = record
    out = []
    for quarter in (1, 2, 3, 4):
        counted = tuple(
            sorted(
                (r for (q, _), r in heaviest.items() if q == quarter), key=lambda r: (r.date, r.person_key)
            )
        )
        by_form = {form: sum(r.form == form for r in counted) for form in forms}
        out.append(QuarterCount(year, quarter, by_form, counted))
    return out


def year_counts(quarters: Sequence[QuarterCount]) -> dict[str, int]:
    """The year's 问责人次 by form: the sum of its quarters."""
    forms = quarters[0].by_form if quarters else dict.fromkeys(FORMS, 0)
    return {form: sum(q.by_form[form] for q in quarters) for form in forms}
