"""The registry (基本信息数据库) of the supervision workflow: all-or-nothing import, export, list, set.

An import validates every row first and writes nothing unless all of them are good; the error names
every bad row with its line number. A site's lifecycle lives in `status` (运行/临时关停/已关停/已迁移)
with the date, the reason and where the content went: a closed or migrated site keeps its history
and leaves future samples (workflow.sampling.eligible_sites); a site that merely went offline stays
运行 and fails as unreachable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govinspect.registry.importer import InvalidURLError, normalize_url, read_rows
from govinspect.store import SiteRow, Store
from govinspect.store.repositories import InputError
from govinspect.workflow.jiucuo import SITE_CODE_RE, parse_time
from govinspect.workflow.sites import KINDS, LEFT_STATUSES, LEVELS, STATUSES, RegistrySite

# (field, header written on export, other headers accepted on import)
COLUMNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("name", "网站名称", ("name", "名称", "站点名称")),
    ("url", "首页网址", ("url", "网址", "网站地址", "首页地址", "域名")),
    ("site_code", "网站标识码", ("site_code", "标识码")),
    ("level", "网站层级", ("level", "层级", "级别", "行政级别")),
    ("kind", "网站类型", ("kind", "类型")),
    ("region_code", "地区代码", ("region_code", "行政区划代码", "区划代码")),
    ("region", "地区名称", ("region", "地区", "行政区划")),
    ("organiser", "主办单位", ("organiser", "网站主办单位")),
    ("supervisor", "主管单位", ("supervisor",)),
    ("status", "运行状态", ("status", "状态")),
    ("status_since", "状态日期", ("status_since", "关停日期", "迁移日期")),
    ("status_reason", "状态原因", ("status_reason", "关停原因", "原因")),
    ("status_destination", "内容去向", ("status_destination", "迁移去向", "迁移网址")),
    ("opened", "开设日期", ("opened", "上线日期")),
    ("contact", "联系人", ("contact",)),
    ("phone", "联系电话", ("phone", "电话")),
    ("email", "电子邮箱", ("email", "邮箱")),
)
CONTACT_FIELDS = {"contact": "联系人", "phone": "联系电话", "email": "电子邮箱"}
# The store's default status before the registry had lifecycle states means 运行.
STATUS_ALIASES = {"正常": "运行", "": "运行"}


class RegistryError(InputError, ValueError):
    """A registry change that cannot be made (Chinese message); nothing was written."""

    def __init__(self, message: str, errors: list[str] | None = None):
        self.errors = errors or [message]
        super().__init__(message)


@dataclass(frozen=True)
class RegistryImport:
    added: int
    updated: int
    total: int


def registry_status(row: SiteRow) -> str:
    return STATUS_ALIASES.get(row.status, row.status)


def registry_site(row: SiteRow) -> RegistrySite:
    """A store row as the workflow sees it (sampling, routing, annual counts)."""
    return RegistrySite(
        id=str(row.id),
        name=row.name,
        url=row.url,
        site_code=row.site_code or "",
        level=row.level or "",
        kind=row.kind or "",
        region=row.region or "",
        organiser=row.organiser or "",
        status=registry_status(row),
        status_since=row.status_since,
        opened=row.opened,
    )


def _date(value: str, label: str, problems: list[str]) -> dt.date | None:
    if not value:
        return None
    parsed = parse_time(value)
    if parsed is None:
        problems.append(f"{label}“{value}”无法识别（应为 YYYY-MM-DD）")
        return None
    return parsed.date()


def validate_fields(values: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Clean registry values (header field → text) and the problems found, in Chinese."""
    problems: list[str] = []
    clean: dict[str, Any] = {}
    if "url" in values:
        try:
            clean["url"] = normalize_url(values["url"])
        except InvalidURLError as exc:
            problems.append(str(exc))
    for field, label, allowed in (("level", "网站层级", LEVELS), ("kind", "网站类型", KINDS)):
        if values.get(field) and values[field] not in allowed:
            problems.append(f"{label}“{values[field]}”无效（可用：{'、'.join(allowed)}）")
    code = values.get("site_code", "")
    if code and not SITE_CODE_RE.match(code):
        problems.append(f"网站标识码“{code}”格式不对（应为10位数字或bm加8位数字）")
    if values.get("status"):  # a blank status changes nothing (a new site starts 运行)
        status = STATUS_ALIASES.get(values["status"], values["status"])
        if status not in STATUSES:
            problems.append(f"运行状态“{values['status']}”无效（可用：{'、'.join(STATUSES)}）")
        clean["status"] = status
    for field, label in (("status_since", "状态日期"), ("opened", "开设日期")):
        if field in values:
            clean[field] = _date(values[field], label, problems)
    if clean.get("status") in LEFT_STATUSES and not clean.get("status_since"):
        problems.append(f"状态为{clean['status']}时须填写状态日期")
    if clean.get("status") == "已迁移" and not values.get("status_destination"):
        problems.append("状态为已迁移时须填写内容去向")
    for field in ("name", "site_code", "level", "kind", "region_code", "region", "organiser", "supervisor"):
        if field in values:
            clean[field] = values[field] or None
    for field in ("status_reason", "status_destination"):
        if field in values:
            clean[field] = values[field] or None
    contacts = {label: values[f] for f, label in CONTACT_FIELDS.items() if values.get(f)}
    if contacts:
        clean["contacts"] = contacts
    return clean, problems


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = (cell or "").strip().lower()
        for field, label, aliases in COLUMNS:
            if field not in found and name in {label.lower(), *(a.lower() for a in aliases)}:
                found[field] = i
    return found


def read_registry(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(line, clean values) of every row; RegistryError naming every bad row when any is bad."""
    rows = read_rows(path)
    columns = _header_map(rows[0])
    missing = [label for field, label, _ in COLUMNS[:2] if field not in columns]
    if missing:
        raise RegistryError(f"{path.name} 的表头缺少：{'、'.join(missing)}")
    good: list[tuple[int, dict[str, Any]]] = []
    errors: list[str] = []
    urls: dict[str, int] = {}
    codes: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any((c or "").strip() for c in row):
            continue
        values = {f: (row[i] or "").strip() if i < len(row) else "" for f, i in columns.items()}
        clean, problems = validate_fields(values)
        if not values.get("name"):
            problems.insert(0, "缺少网站名称")
        url, code = clean.get("url"), (clean.get("site_code") or "").lower()
        if url and url in urls:
            problems.append(f"网址与第{urls[url]}行重复")
        if code and code in codes:
            problems.append(f"网站标识码与第{codes[code]}行重复")
        if problems:
            errors.append(f"第{line}行：{'；'.join(problems)}")
            continue
        urls[url] = line
        if code:
            codes[code] = line
        good.append((line, clean))
    if errors:
        raise RegistryError(f"{path.name} 有{len(errors)}行错误，未导入任何网站", errors)
    return good


def import_registry(store: Store, path: Path) -> RegistryImport:
    """Validate every row, then write all of them in one unit of work (or nothing)."""
    rows = read_registry(path)
    added = updated = 0
    with store.unit_of_work("导入网站名录") as uow:
        errors = []
        for line, clean in rows:
            code = clean.get("site_code")
            other = uow.sites.by_code(code) if code else None
            if other is not None and other.url != clean["url"]:
                errors.append(f"第{line}行：网站标识码{code}已属于名录中的“{other.name}”（{other.url}）")
        if errors:
            raise RegistryError(f"{path.name} 有{len(errors)}行错误，未导入任何网站", errors)
        for _line, clean in rows:
            values = dict(clean)
            url = values.pop("url")
            existed = uow.sites.by_url(url) is not None
            site_id = uow.sites.upsert(values.pop("name", None), url, values.pop("site_code", None))
            uow.sites.update(site_id, **{k: v for k, v in values.items() if v is not None})
            added, updated = added + (not existed), updated + existed
        total = len(uow.sites.list())
    return RegistryImport(added, updated, total)


def _export_row(row: SiteRow) -> list[Any]:
    contacts = row.contacts or {}
    values = {
        "status": registry_status(row),
        **{f: contacts.get(label, "") for f, label in CONTACT_FIELDS.items()},
    }
    out = []
    for field, _label, _ in COLUMNS:
        value = values[field] if field in values else getattr(row, field, None)
        out.append("" if value is None else value.isoformat() if isinstance(value, dt.date) else value)
    return out


def export_registry(store: Store, path: Path) -> int:
    """Write the registry as CSV (UTF-8 with BOM, opens in Excel) or XLSX; returns the site count."""
    rows = list_registry(store)
    header = [label for _, label, _ in COLUMNS]
    data = [_export_row(r) for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        from govinspect.report.excel import cell_text

        wb = Workbook()
        sheet = wb.active
        sheet.title = "网站名录"
        sheet.append(header)
        for r in data:
            sheet.append([cell_text(v) if isinstance(v, str) else v for v in r])
        wb.save(path)
    elif path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(data)
        path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    else:
        raise RegistryError(f"不支持的导出格式“{path.suffix}”，请使用 .csv 或 .xlsx")
    return len(rows)


def list_registry(store: Store, **filters: str | None) -> list[SiteRow]:
    """Sites matching every filter given (level, kind, region, status, organiser)."""
    with store.unit_of_work() as uow:
        rows = uow.sites.list()
    wanted = {k: v for k, v in filters.items() if v}
    unknown = set(wanted) - {"level", "kind", "region", "status", "organiser"}
    if unknown:
        raise RegistryError(f"不能按{'、'.join(sorted(unknown))}筛选")

    def value(row: SiteRow, key: str) -> str:
        return registry_status(row) if key == "status" else getattr(row, key) or ""

    return [r for r in rows if all(value(r, k) == v for k, v in wanted.items())]


def set_site(store: Store, url: str, values: dict[str, str]) -> SiteRow:
    """Change registry fields of one site (text values as on import); RegistryError when invalid."""
    try:
        home = normalize_url(url)
    except InvalidURLError as exc:
        raise RegistryError(str(exc)) from None
    with store.unit_of_work("修改网站名录") as uow:
        site = uow.sites.by_url(home)
        if site is None:
            raise RegistryError(f"名录中没有网站 {url}")
        current = {"status": registry_status(site), "status_since": str(site.status_since or "")}
        if site.status_destination:
            current["status_destination"] = site.status_destination
        clean, problems = validate_fields({**current, **values})
        if problems:
            raise RegistryError("；".join(problems))
        code = clean.get("site_code")
        other = uow.sites.by_code(code) if code else None
        if other is not None and other.id != site.id:
            raise RegistryError(f"网站标识码{code}已属于名录中的“{other.name}”")
        given = {k: v for k, v in clean.items() if k in values and k != "url"}
        if any(f in values for f in CONTACT_FIELDS):
            given["contacts"] = {**(site.contacts or {}), **clean.get("contacts", {})}
        uow.sites.update(site.id, **given)
        return uow.sites.get(site.id)
