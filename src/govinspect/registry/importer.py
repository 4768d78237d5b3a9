"""Read a list of sites from CSV or XLSX, keeping every good row and naming every bad one."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Header names users actually put in these sheets, mapped to our fields.
_HEADERS = {
    "name": {"name", "网站名称", "名称", "站点名称", "网站"},
    "url": {"url", "网址", "首页网址", "网站地址", "域名", "首页地址"},
    "site_code": {"site_code", "网站标识码", "标识码"},
    "organiser": {"organiser", "主办单位", "网站主办单位"},
    "region": {"region", "地区", "行政区划"},
    "kind": {"kind", "网站类型", "类型"},
    "overrides": {"overrides", "个性化配置", "站点配置", "栏目配置"},
}
_COLUMN_KINDS = ("dynamic", "policy", "long", "interact", "service", "other")
_OVERRIDE_KEYS = ("columns", "exclude_columns", "list_selector", "date_selector")


class ImportFileError(ValueError):
    """The file as a whole cannot be read (message in Chinese)."""


class InvalidURLError(ValueError):
    """A site address that cannot be inspected (message in Chinese)."""


class OverridesError(ValueError):
    """Per-site overrides that cannot be used (message in Chinese)."""


@dataclass
class SiteTarget:
    url: str
    name: str = ""
    site_code: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    row: int | None = None  # row number in the import file, for messages
    # Per-site overrides where the heuristics fail (see `validate_overrides`); None: use the stored ones.
    overrides: dict[str, Any] | None = None


@dataclass
class RowError:
    row: int
    message: str


def normalize_url(raw: str) -> str:
    """Accept what users paste ("www.xx.gov.cn", "http://www.xx.gov.cn") and return a home-page URL."""
    text = (raw or "").strip()
    if not text:
        raise InvalidURLError("网址为空")
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:  # "[" (an unclosed IPv6 literal) and the like
        raise InvalidURLError(f"网址“{raw}”无效") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidURLError(f"网址“{raw}”不是 http/https 地址")
    host = parts.hostname or ""
    if not host or " " in text or "." not in host and host != "localhost":
        raise InvalidURLError(f"网址“{raw}”无效：缺少正确的域名")
    path = parts.path or "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def _check_selector(value: Any, key: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    if not isinstance(value, str) or not value.strip():
        raise OverridesError(f"{key} 应为非空的 CSS 选择器字符串")
    try:
        LexborHTMLParser("<p></p>").css(value)
    except Exception as exc:  # lexbor reports an unparsable selector in several ways
        raise OverridesError(f"{key} 不是有效的 CSS 选择器：“{value}”（{exc}）") from None
    return value.strip()


def validate_overrides(data: Any) -> dict[str, Any]:
    """Check per-site overrides and return them cleaned; raise OverridesError (Chinese) otherwise.

    {"columns": [{"name", "url", "kind"?}], "exclude_columns": [names or URLs],
     "list_selector": css, "date_selector": css}; every key is optional. Column URLs may be
    relative to the home page.
    """
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise OverridesError(
                f"个性化配置不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}"
            ) from None
    if not isinstance(data, dict):
        raise OverridesError("个性化配置应为 JSON 对象（{...}）")
    unknown = [k for k in data if k not in _OVERRIDE_KEYS]
    if unknown:
        raise OverridesError(
            f"个性化配置含未知的项：{'、'.join(map(str, unknown))}；可用的项：{'、'.join(_OVERRIDE_KEYS)}"
        )
    clean: dict[str, Any] = {}
    if "columns" in data:
        if not isinstance(data["columns"], list):
            raise OverridesError("columns 应为栏目列表（每项含 name 和 url）")
        columns = []
        for i, col in enumerate(data["columns"], start=1):
            if (
                not isinstance(col, dict)
                or not str(col.get("name") or "").strip()
                or not str(col.get("url") or "").strip()
            ):
                raise OverridesError(f"columns 第{i}项应含栏目名称 name 和网址 url")
            kind = col.get("kind")
            if kind is not None and kind not in _COLUMN_KINDS:
                raise OverridesError(f"columns 第{i}项的 kind“{kind}”无效；可用：{'、'.join(_COLUMN_KINDS)}")
            entry = {"name": str(col["name"]).strip(), "url": str(col["url"]).strip()}
            if kind is not None:
                entry["kind"] = kind
            columns.append(entry)
        clean["columns"] = columns
    if "exclude_columns" in data:
        excluded = data["exclude_columns"]
        if not isinstance(excluded, list) or not all(isinstance(x, str) and x.strip() for x in excluded):
            raise OverridesError("exclude_columns 应为栏目名称或网址的列表")
        clean["exclude_columns"] = [x.strip() for x in excluded]
    for key in ("list_selector", "date_selector"):
        if data.get(key) is not None:
            clean[key] = _check_selector(data[key], key)
    return clean


def _column_map(header: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = (cell or "").strip().lower()
        for field_name, names in _HEADERS.items():
            if key in {n.lower() for n in names} and field_name not in mapping:
                mapping[field_name] = i
    return mapping


def _rows_from_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    # Sheets saved by Excel on Chinese Windows are often GBK; UTF-8 (with or without BOM) otherwise.
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(f"无法识别文件 {path.name} 的字符编码（应为 UTF-8 或 GBK）")
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise ImportFileError(f"CSV 文件 {path.name} 格式错误：{exc}") from exc


def _rows_from_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        raise ImportFileError(f"Excel 文件 {path.name} 无法打开：{exc}") from exc
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def read_rows(path: str | Path) -> list[list[str]]:
    """The cells of a CSV (UTF-8 or GBK) or XLSX file, header row first; ImportFileError otherwise."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _rows_from_xlsx(path)
    elif suffix in (".csv", ".txt"):
        rows = _rows_from_csv(path)
    else:
        raise ImportFileError(f"不支持的文件格式“{suffix}”，请使用 CSV 或 XLSX")
    if not rows:
        raise ImportFileError(f"文件 {path.name} 是空文件")
    return rows


def read_sites(path: str | Path) -> tuple[list[SiteTarget], list[RowError]]:
    """Return the good rows and one error per bad row; raise ImportFileError if nothing is readable."""
    path = Path(path)
    if not path.exists():
        raise ImportFileError(f"找不到网站清单文件：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _rows_from_xlsx(path)
    elif suffix in (".csv", ".txt"):
        rows = _rows_from_csv(path)
    else:
        raise ImportFileError(f"不支持的网站清单格式“{suffix}”，请使用 CSV 或 XLSX")
    if not rows:
        raise ImportFileError(f"网站清单 {path.name} 是空文件")
    columns = _column_map(rows[0])
    if "url" not in columns:
        raise ImportFileError(f"网站清单 {path.name} 的表头缺少网址列（url / 网址 / 首页网址）")

    def cell(row: list[str], key: str) -> str:
        i = columns.get(key)
        return row[i].strip() if i is not None and i < len(row) and row[i] else ""

    targets: list[SiteTarget] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any((c or "").strip() for c in row):
            continue
        try:
            url = normalize_url(cell(row, "url"))
        except InvalidURLError as exc:
            errors.append(RowError(number, f"第{number}行：{exc}"))
            continue
        if url in seen:
            errors.append(RowError(number, f"第{number}行：网址 {url} 与前面的行重复，已跳过"))
            continue
        seen.add(url)
        meta = {k: cell(row, k) for k in ("organiser", "region", "kind") if cell(row, k)}
        overrides = None
        if cell(row, "overrides"):
            try:
                overrides = validate_overrides(cell(row, "overrides"))
            except OverridesError as exc:
                errors.append(RowError(number, f"第{number}行：{exc}"))
                continue
        targets.append(
            SiteTarget(
                url=url,
                name=cell(row, "name"),
                site_code=cell(row, "site_code") or None,
                meta=meta,
                row=number,
                overrides=overrides,
            )
        )
    return targets, errors


# -- applying overrides (the crawler reads these) ----------------------------------------------


def override_columns(
    overrides: dict[str, Any] | None, home_url: str
) -> list[tuple[str, str, str | None]] | None:
    """(name, absolute URL, kind or None) of the configured columns, or None when none are set."""
    from urllib.parse import urljoin

    if not overrides or not overrides.get("columns"):
        return None
    return [(c["name"], urljoin(home_url, c["url"]), c.get("kind")) for c in overrides["columns"]]


def column_excluded(overrides: dict[str, Any] | None, name: str, url: str, home_url: str) -> bool:
    """True when the overrides exclude this column (by its name, or its URL, relative or not)."""
    from urllib.parse import urljoin

    if not overrides or not overrides.get("exclude_columns"):
        return False
    return any(x == name or urljoin(home_url, x) == url for x in overrides["exclude_columns"])
