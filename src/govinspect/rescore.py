"""Re-scoring: apply another rubric or `as_of` to a stored inspection, without crawling again.

The store keeps the crawl (`site_model_to_dict`) next to each inspection. Here it is turned back
into a SiteModel, the checks and the rubric run again, and the result is saved as a NEW inspection:
the history is append-only, so the original verdict stays on record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from govinspect.model import (
    Article,
    Column,
    Finding,
    FooterMarks,
    Guide,
    Inspection,
    Item,
    LinkStatus,
    Message,
    Page,
    Probe,
    SiteModel,
)
from govinspect.registry import SiteTarget
from govinspect.rules import Rubric, load_rubric, score_findings
from govinspect.service import build_inspection

# site_model_to_dict drops page bodies. A non-empty body is restored as this marker, so checks that
# only ask "was there an HTML body?" (e.g. footer marks are judged only on a real page) answer as
# they did at crawl time.
BODY_NOT_STORED = "<!-- 正文未保存（重新评分） -->"

# Checks that read raw page or article text, which the stored crawl lacks: their findings cannot be
# recomputed, so the stored findings are carried over (observations) and only re-scored.
TEXT_CHECK_PREFIXES = ("content.", "security.", "interact.no_channel", "interact.channel_not_found")


class RescoreError(LookupError):
    """The inspection cannot be re-scored; the message (Chinese) says why."""


# -- dict -> dataclasses -------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(str(value)[:10])


def _datetime(value: Any) -> dt.datetime:
    return dt.datetime.fromisoformat(str(value))


def _page(d: dict[str, Any] | None) -> Page | None:
    if d is None:
        return None
    page = Page(
        url=d.get("url", ""),
        final_url=d.get("final_url") or d.get("url", ""),
        status=d.get("status"),
        content_type=d.get("content_type", ""),
        encoding=d.get("encoding"),
        elapsed_s=float(d.get("elapsed_s") or 0.0),
        error=d.get("error"),
        redirects=list(d.get("redirects") or []),
        headers=dict(d.get("headers") or {}),
        size=int(d.get("size") or 0),
        truncated=bool(d.get("truncated")),
    )
    if "text" in d:
        page.text = d["text"] or ""
    elif page.size > 0:
        page.text = BODY_NOT_STORED
    return page


def _item(d: dict[str, Any]) -> Item:
    return Item(
        title=d.get("title", ""),
        url=d.get("url", ""),
        date=_date(d.get("date")),
        date_source=d.get("date_source", ""),
    )


def _column(d: dict[str, Any]) -> Column:
    return Column(
        name=d.get("name", ""),
        url=d.get("url", ""),
        kind=d.get("kind", "other"),
        top_level=bool(d.get("top_level", True)),
        items=[_item(i) for i in d.get("items") or []],
        empty_text=d.get("empty_text"),
        pages_read=int(d.get("pages_read") or 0),
        error=d.get("error"),
        unreadable=d.get("unreadable"),
        hub=bool(d.get("hub", False)),
        found_via=d.get("found_via", ""),
        aliases=list(d.get("aliases") or []),
        list_pages_total=d.get("list_pages_total"),
        items_sampled=int(d.get("items_sampled") or 0),
    )


def site_model_from_dict(data: dict[str, Any]) -> SiteModel:
    """Inverse of `site_model_to_dict` (page bodies excepted: see BODY_NOT_STORED)."""
    footer = {k: v for k, v in (data.get("footer") or {}).items() if k in FooterMarks.__dataclass_fields__}
    return SiteModel(
        url=data["url"],
        host=data.get("host", ""),
        name=data.get("name", ""),
        home=_page(data.get("home")),
        home_items=[_item(i) for i in data.get("home_items") or []],
        columns=[_column(c) for c in data.get("columns") or []],
        footer=FooterMarks(**footer),
        links=[
            LinkStatus(
                url=link.get("url", ""),
                status=link.get("status"),
                error=link.get("error"),
                found_on=list(link.get("found_on") or []),
                anchor=link.get("anchor", ""),
            )
            for link in data.get("links") or []
        ],
        home_links=set(data.get("home_links") or []),
        probes=[
            Probe(
                at=_datetime(p["at"]),
                ok=bool(p.get("ok")),
                elapsed_s=float(p.get("elapsed_s") or 0.0),
                status=p.get("status"),
                error=p.get("error"),
                source=p.get("source", "probe"),
            )
            for p in data.get("probes") or []
        ],
        articles=[
            Article(
                url=a.get("url", ""),
                title=a.get("title", ""),
                date=_date(a.get("date")),
                list_date=_date(a.get("list_date")),
                date_source=a.get("date_source", ""),
                list_date_source=a.get("list_date_source", ""),
                source=a.get("source", ""),
                column=a.get("column", ""),
            )
            for a in data.get("articles") or []
        ],
        messages=[
            Message(
                url=m.get("url", ""),
                title=m.get("title", ""),
                asked=_date(m.get("asked")),
                replied=_date(m.get("replied")),
                reply_text=m.get("reply_text", ""),
                answered=bool(m.get("answered")),
                column=m.get("column", ""),
            )
            for m in data.get("messages") or []
        ],
        guides=[
            Guide(
                url=g.get("url", ""),
                title=g.get("title", ""),
                elements=dict(g.get("elements") or {}),
                attachments=list(g.get("attachments") or []),
                column=g.get("column", ""),
            )
            for g in data.get("guides") or []
        ],
        page_columns=dict(data.get("page_columns") or {}),
        sample_pages=[p for p in (_page(d) for d in data.get("sample_pages") or []) if p is not None],
        pages_fetched=int(data.get("pages_fetched") or 0),
        skipped=dict(data.get("skipped") or {}),
        errors=list(data.get("errors") or []),
    )


# -- the service function ------------------------------------------------------------------------


def site_id_of(store, inspection_id: int) -> int:
    """The site an inspection belongs to (a small query the Store API does not offer)."""
    from govinspect.store.models import InspectionRecord

    with store.engine.connect() as conn:
        site_id = conn.scalar(select(InspectionRecord.site_id).where(InspectionRecord.id == inspection_id))
    if site_id is None:
        raise RescoreError(f"检查记录不存在（编号 {inspection_id}）")
    return int(site_id)


def _is_text_check(check: str) -> bool:
    return check.startswith(TEXT_CHECK_PREFIXES)


def _carry_over_text_findings(inspection: Inspection, report: dict[str, Any], rubric: Rubric) -> list[str]:
    """Replace recomputed text-check findings by the stored ones, then score everything again."""
    stored = [
        Finding(
            check=f["check"],
            message=f.get("message", ""),
            url=f.get("url") or "",
            column=f.get("column") or "",
            evidence=dict(f.get("evidence") or {}),
        )
        for f in report.get("findings") or []
        if _is_text_check(f.get("check", ""))
    ]
    kept = [f for f in inspection.findings if not _is_text_check(f.check)]
    result = score_findings([*kept, *stored], rubric)
    inspection.findings = result.findings
    inspection.vetoes = result.vetoes
    if inspection.verdict != "error":
        inspection.verdict, inspection.score = result.verdict, result.score  # type: ignore[assignment]
    inspection.stats["veto_rules"] = result.veto_rules
    inspection.stats["deduction_score"] = result.deduction_score
    return sorted({f.check for f in stored})


def rescore_inspection(
    report: dict[str, Any], raw_site: dict[str, Any], rubric: Rubric, as_of: dt.date
) -> Inspection:
    """Pure: the stored report (for the site's name, code and crawl facts) + its crawl -> a new Inspection."""
    site = site_model_from_dict(raw_site)
    info = report.get("site") or {}
    target = SiteTarget(url=site.url, name=info.get("name") or "", site_code=info.get("site_code"))
    stats = report.get("stats") or {}
    inspection = build_inspection(site, target, as_of, rubric, elapsed_s=float(stats.get("elapsed_s") or 0))
    inspection.started_at = dt.datetime.now().replace(microsecond=0)
    # The stored crawl keeps only the broken links; the crawl's own counts stand.
    for key in ("pages", "links_checked"):
        if key in stats:
            inspection.stats[key] = stats[key]
    if "text" not in (raw_site.get("home") or {}):
        inspection.stats["carried_over"] = _carry_over_text_findings(inspection, report, rubric)
    inspection.stats["rescored_from"] = {
        "rubric": report.get("rubric"),
        "as_of": report.get("as_of"),
        "verdict": report.get("verdict"),
        "score": report.get("score"),
    }
    return inspection


def rescore(
    store, inspection_id: int, rubric: str | Rubric | None = None, as_of: dt.date | None = None
) -> tuple[int, Inspection]:
    """Re-score a stored inspection with `rubric` (default: the one it used) and `as_of` (default: its own).

    Saves the result as a new inspection of the same site and returns (new id, inspection).
    """
    from govinspect.store import NotFoundError

    try:
        report = store.load_report(inspection_id)
        raw_site = store.load_site_model(inspection_id)
    except NotFoundError as exc:
        raise RescoreError(str(exc)) from exc
    if raw_site is None:
        raise RescoreError(
            f"检查记录（编号 {inspection_id}）没有保存抓取数据，无法重新评分，请重新检查该网站"
        )
    if not isinstance(rubric, Rubric):
        rubric = load_rubric(rubric or report.get("rubric") or "gov-2019")
    as_of = as_of or dt.date.fromisoformat(report["as_of"])
    inspection = rescore_inspection(report, raw_site, rubric, as_of)
    inspection.stats["rescored_from"]["inspection_id"] = inspection_id
    new_id = store.save_inspection(site_id_of(store, inspection_id), inspection, site_model=raw_site)
    return new_id, inspection
