"""Read a list of sites from CSV or XLSX, keeping every good row and naming every bad one."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# Header names users actually put in these sheets, mapped to our fields.
_HEADERS = {
    "name": {"name", "网站名称", "名称", "站点名称", "网站"},
    "url": {"url", "网址", "首页网址", "网站地址", "域名", "首页地址"},
    "site_code": {"site_code", "网站标识码", "标识码"},
    "organiser": {"organiser", "主办单位", "网站主办单位"},
    "region": {"region", "地区", "行政区划"},
    "kind": {"kind", "网站类型", "类型"},
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (message in Chinese)."""


class InvalidURLError(ValueError):
    """A site address that cannot be inspected (message in Chinese)."""


@dataclass
class SiteTarget:
    url: str
    name: str = ""
    site_code: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    row: int | None = None  # row number in the import file, for messages


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
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise InvalidURLError(f"网址“{raw}”不是 http/https 地址")
    host = parts.hostname or ""
    if not host or " " in text or "." not in host and host != "localhost":
        raise InvalidURLError(f"网址“{raw}”无效：缺少正确的域名")
    path = parts.path or "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


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
        targets.append(
            SiteTarget(
                url=url,
                name=cell(row, "name"),
                site_code=cell(row, "site_code") or None,
                meta=meta,
                row=number,
            )
        )
    return targets, errors
