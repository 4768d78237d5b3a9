"""Manual evidence: a person records what they saw on the account.

CSV columns (UTF-8, a header row): platform, account_id, latest_post_time, post_url, title,
screenshot, recorded_at, interaction (有/无/空), note. One file may hold several accounts; the
rows of one account are its posts as recorded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from govinspect.newmedia.model import Account, FetchResult, Post, to_china


def _time(value: str) -> dt.datetime | None:
    value = (value or "").strip().replace("/", "-")
    if not value:
        return None
    try:
        return to_china(dt.datetime.fromisoformat(value))
    except ValueError:
        return None


def parse_manual(text: str, account: Account, *, source: str, fetched_at: dt.datetime) -> FetchResult:
    rows = [
        r
        for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        if (r.get("account_id") or "").strip() == account.account_id
        and (not (r.get("platform") or "").strip() or r["platform"].strip() == account.platform)
    ]
    if not rows:
        return FetchResult("not_found", detail="人工记录中没有该账号", fetched_at=fetched_at, source=source)
    recorded = [t for t in (_time(r.get("recorded_at", "")) for r in rows) if t is not None]
    seen_at = max(recorded) if recorded else None
    posts, bad = [], []
    for i, r in enumerate(rows):
        when = _time(r.get("latest_post_time", ""))
        if (r.get("latest_post_time") or "").strip() and when is None:
            bad.append(r["latest_post_time"])
        if when is None and not (r.get("post_url") or "").strip():
            continue
        posts.append(
            Post(
                post_id=(r.get("post_url") or "").strip() or f"manual-{i}",
                title=(r.get("title") or "").strip(),
                url=(r.get("post_url") or "").strip(),
                published_at=when,
                kind="原创",
                text=(r.get("title") or "").strip(),
            )
        )
    screenshots = [s for s in ((r.get("screenshot") or "").strip() for r in rows) if s]
    interaction_marks = {(r.get("interaction") or "").strip() for r in rows} - {""}
    interaction = None
    if interaction_marks:
        interaction = {
            "working": "无" not in interaction_marks,
            "seen": "人工记录",
            "screenshots": screenshots,
        }
    if seen_at is None:
        return FetchResult(
            "partial",
            posts=posts,
            detail="人工记录缺少记录时间（recorded_at），无法确认检查期",
            fetched_at=fetched_at,
            source=source,
            interaction=interaction,
        )
    detail = f"人工记录（{seen_at:%Y-%m-%d %H:%M}）" + (
        f"，截图：{'、'.join(screenshots)}" if screenshots else ""
    )
    if bad:
        return FetchResult(
            "partial",
            posts=posts,
            detail=detail + f"；时间无法识别：{'、'.join(bad)}",
            fetched_at=fetched_at,
            source=source,
            interaction=interaction,
        )
    if not posts:
        return FetchResult(
            "empty",
            detail=detail + "；未记录任何发布内容",
            fetched_at=fetched_at,
            source=source,
            interaction=interaction,
        )
    dated = [p.published_at for p in posts if p.published_at is not None]
    return FetchResult(
        "ok",
        posts=posts,
        coverage=(min(dated), seen_at) if dated else None,
        detail=detail,
        fetched_at=fetched_at,
        source=source,
        interaction=interaction,
    )


def read_manual(path: Path, account: Account, *, fetched_at: dt.datetime) -> FetchResult:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return FetchResult(
            "not_found",
            detail=f"无法读取人工记录文件（{exc.__class__.__name__}）",
            fetched_at=fetched_at,
            source=str(path),
        )
    return parse_manual(text, account, source=str(path), fetched_at=fetched_at)
