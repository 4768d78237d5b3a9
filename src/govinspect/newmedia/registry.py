"""The accounts registry as a CSV (or UTF-8/GBK text) file: all-or-nothing validation.

Columns (English or the Chinese headers supervisors use): platform, account_id, name, organiser,
feed_url, subject (认证主体), record_no (备案编号), record_date (备案日期), status (运行/关停/注销/合并),
connector (feed/weibo/manual, optional). One bad row rejects the file, and every bad row is named.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from govinspect.newmedia.model import ACCOUNT_STATUSES, PLATFORMS, Account

HEADERS = {
    "platform": {"platform", "平台", "平台类型"},
    "account_id": {"account_id", "账号", "账号id", "账号ID", "原始id", "微信号", "uid"},
    "name": {"name", "名称", "账号名称"},
    "organiser": {"organiser", "开办单位", "主办单位"},
    "feed_url": {"feed_url", "订阅源", "订阅地址", "feed"},
    "subject": {"subject", "认证主体", "账号主体"},
    "record_no": {"record_no", "备案编号", "备案号"},
    "record_date": {"record_date", "备案日期", "备案时间"},
    "status": {"status", "状态", "运行状态"},
    "connector": {"connector", "读取方式"},
}
REQUIRED = ("platform", "account_id", "name")
PLATFORM_ALIASES = {
    "微信": "微信公众号",
    "公众号": "微信公众号",
    "wechat": "微信公众号",
    "weibo": "微博",
    "新浪微博": "微博",
    "头条": "头条号",
    "今日头条": "头条号",
    "toutiao": "头条号",
    "douyin": "抖音",
    "kuaishou": "快手",
    "微信视频号": "视频号",
    "百度百家号": "百家号",
}
CONNECTORS = ("", "feed", "weibo", "manual")


class AccountImportError(ValueError):
    """The file cannot be imported; the message (Chinese) names every bad row."""


def _platform(raw: str) -> str | None:
    value = raw.strip()
    value = PLATFORM_ALIASES.get(value.lower(), PLATFORM_ALIASES.get(value, value))
    return value if value in PLATFORMS else None


def _decode(data: bytes, name: str) -> str:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise AccountImportError(f"无法识别文件 {name} 的字符编码（应为 UTF-8 或 GBK）")


def _row_problems(values: dict[str, str]) -> list[str]:
    problems = [f"缺少{key}" for key in REQUIRED if not values.get(key)]
    if values.get("platform") and _platform(values["platform"]) is None:
        problems.append(f"平台“{values['platform']}”无法识别（可选：{'、'.join(PLATFORMS)}）")
    if values.get("status") and values["status"] not in ACCOUNT_STATUSES:
        problems.append(f"状态“{values['status']}”无效（可选：{'、'.join(ACCOUNT_STATUSES)}）")
    if values.get("record_date"):
        try:
            dt.date.fromisoformat(values["record_date"].replace("/", "-"))
        except ValueError:
            problems.append(f"备案日期“{values['record_date']}”格式错误，应为 YYYY-MM-DD")
    url = values.get("feed_url", "")
    if url and not (url.startswith(("http://", "https://", "manual:")) or url.lower().endswith(".csv")):
        problems.append(f"订阅源“{url}”应为 http(s) 网址或人工记录 CSV 文件")
    if values.get("connector", "") not in CONNECTORS:
        problems.append(f"读取方式“{values['connector']}”无效（可选：feed、weibo、manual）")
    return problems


def parse_accounts(text: str, name: str = "名录") -> list[Account]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [r for r in reader if any(c.strip() for c in r)]
    if not rows:
        raise AccountImportError(f"{name} 是空文件")
    header = [h.strip() for h in rows[0]]
    columns: dict[str, int] = {}
    for i, h in enumerate(header):
        for key, names in HEADERS.items():
            if h in names or h.lower() in names:
                columns.setdefault(key, i)
    missing = [k for k in REQUIRED if k not in columns]
    if missing:
        raise AccountImportError(
            f"{name} 的表头缺少列：{'、'.join(missing)}（至少需要 platform, account_id, name）"
        )
    accounts, errors, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        values = {k: (row[i].strip() if i < len(row) else "") for k, i in columns.items()}
        problems = _row_problems(values)
        key = (_platform(values.get("platform", "")), values.get("account_id"))
        if not problems and key in seen:
            problems.append(f"与第{seen[key]}行重复（同一平台同一账号）")
        if problems:
            errors.append(f"第{number}行：{'；'.join(problems)}")
            continue
        seen[key] = number
        accounts.append(
            Account(
                platform=key[0],
                account_id=values["account_id"],
                name=values["name"],
                organiser=values.get("organiser", ""),
                feed_url=values.get("feed_url", ""),
                subject=values.get("subject", ""),
                record_no=values.get("record_no", ""),
                record_date=values.get("record_date", "").replace("/", "-"),
                status=values.get("status") or "运行",
                connector=values.get("connector", ""),
            )
        )
    if errors:
        raise AccountImportError(f"{name} 有{len(errors)}行错误，未导入任何账号：\n" + "\n".join(errors))
    return accounts


def read_accounts(path: str | Path) -> list[Account]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AccountImportError(f"无法读取政务新媒体名录 {path}：{exc.strerror or exc}") from exc
    return parse_accounts(_decode(data, path.name), path.name)
