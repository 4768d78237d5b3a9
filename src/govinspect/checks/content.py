"""内容准确: serious errors, typos, near-identical reports (孪生报道) and false dates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from govinspect.checks.base import CheckContext
from govinspect.checks.lexicons import (
    Hit,
    Lexicon,
    context,
    holders,
    role_fits,
    role_mentions,
    serious_lexicon,
    typo_lexicon,
)
from govinspect.extract.html import parse, visible_text
from govinspect.model import Article, Finding, SiteModel

# Local choices (not official numbers): a report needs this much text to be compared, and two
# bodies sharing this share of their 5-character shingles are the same report.
DUPLICATE_MIN_CHARS = 80
DUPLICATE_JACCARD = 0.7
_SHINGLE = 5
_NON_TEXT = re.compile(r"[\s\W\d_]+")


def site_texts(site: SiteModel) -> Iterator[tuple[str, str, str]]:
    """(url, column, text) of every text the content checks read: articles, home, sample pages."""
    seen: set[str] = set()
    for article in site.articles:
        seen.add(article.url)
        yield article.url, article.column, f"{article.title}\n{article.text}"
    pages = ([site.home] if site.home is not None else []) + list(site.sample_pages)
    for page in pages:
        if page.url in seen or not page.text:
            continue
        seen.add(page.url)
        yield page.final_url or page.url, site.page_columns.get(page.url, ""), visible_text(parse(page.text))


def _lexicon_findings(site: SiteModel, lexicon: Lexicon, check: str, accept) -> list[Finding]:
    findings = []
    for url, column, text in site_texts(site):
        reported: set[str] = set()
        for hit in lexicon.find(text):
            if hit.term in reported or not accept(text, hit):
                continue
            reported.add(hit.term)
            wrong = text[hit.start : hit.end]
            correct = hit.info["correct"]
            findings.append(
                Finding(
                    check=check,
                    message=_message(check, hit, wrong, correct),
                    url=url,
                    column=column,
                    evidence={"wrong": wrong, "correct": correct, "context": context(text, hit)},
                )
            )
    return findings


def _message(check: str, hit: Hit, wrong: str, correct: str) -> str:
    if check == "content.typo":
        return f"页面存在错别字：“{wrong}”应为“{correct}”"
    what = "党和国家领导人姓名错误" if hit.info.get("kind") == "leader" else "重要表述错误"
    return f"页面存在严重表述错误（{what}）：“{wrong}”应为“{correct}”"


def check_serious_error(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    findings = _lexicon_findings(site, serious_lexicon(), "content.serious_error", lambda text, hit: True)
    return findings + _role_findings(site)


def _role_findings(site: SiteModel) -> list[Finding]:
    """A leader named with an office they did not hold on the article's date (国务院总理李克强 in
    2024). Only dated articles are judged: an undated text may be about any time."""
    findings = []
    for article in site.articles:
        day = article.date or article.list_date
        if day is None:
            continue
        text = f"{article.title}\n{article.text}"
        reported: set[tuple[str, str]] = set()
        for mention in role_mentions(text):
            key = (mention.name, mention.office)
            if key in reported or role_fits(mention.name, mention.office, day):
                continue
            reported.add(key)
            wrong = text[mention.start : mention.end]
            actual = "、".join(holders(mention.office, day)) or "（词库未收录）"
            findings.append(
                Finding(
                    check="content.serious_error",
                    message=(
                        f"页面存在严重表述错误（党和国家领导人职务错误）：“{wrong}”，"
                        f"{day.isoformat()}时{mention.office}为{actual}"
                    ),
                    url=article.url,
                    column=article.column,
                    evidence={
                        "wrong": wrong,
                        "name": mention.name,
                        "office": mention.office,
                        "date": day.isoformat(),
                        "holders": holders(mention.office, day),
                        "context": text[max(0, mention.start - 20) : mention.end + 20].replace("\n", " "),
                    },
                )
            )
    return findings


def _typo_context_ok(text: str, hit: Hit) -> bool:
    rule = hit.info.get("unless_after")
    return rule is None or not rule.search(text[hit.end : hit.end + 40])


def check_typo(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    return _lexicon_findings(site, typo_lexicon(), "content.typo", _typo_context_ok)


def shingles(text: str, size: int = _SHINGLE) -> set[str]:
    letters = _NON_TEXT.sub("", text)
    return {letters[i : i + size] for i in range(max(0, len(letters) - size + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def duplicate_pairs(
    articles: list[Article], threshold: float = DUPLICATE_JACCARD
) -> list[tuple[Article, Article, float]]:
    """Pairs of different reports whose bodies are near-identical (exact Jaccard on shingles).

    The same report listed twice (same title, same text) is a repost, not a 孪生报道."""
    bodies = []
    for article in articles:
        letters = _NON_TEXT.sub("", article.text)
        if len(letters) >= DUPLICATE_MIN_CHARS:
            bodies.append((article, letters, shingles(article.text)))
    pairs = []
    for i, (a, text_a, sh_a) in enumerate(bodies):
        for b, text_b, sh_b in bodies[i + 1 :]:
            if a.url == b.url or min(len(text_a), len(text_b)) < threshold * max(len(text_a), len(text_b)):
                continue
            if text_a == text_b and a.title == b.title:
                continue
            score = jaccard(sh_a, sh_b)
            if score >= threshold:
                pairs.append((a, b, score))
    return pairs


def check_duplicate(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    # 孪生报道 are news reports: notices and plans legitimately share their template wording.
    news_columns = {c.name for c in site.columns if c.kind == "dynamic"}
    reports = [a for a in site.articles if a.column in news_columns or not a.column]
    findings = []
    for a, b, score in duplicate_pairs(reports):
        findings.append(
            Finding(
                check="content.duplicate",
                message=f"“{b.title or b.url}”与“{a.title or a.url}”内容高度雷同（相似度{score:.0%}），疑为孪生报道",
                url=b.url,
                column=b.column,
                evidence={"other_url": a.url, "other_title": a.title, "similarity": round(score, 3)},
            )
        )
    return findings


# Dates that are not publication dates: from the URL or unlabelled text of the article page, and
# from the URL of a list entry. "" (a source not recorded) keeps the older reading.
_NOT_PUBLISHED_ARTICLE = {"url", "text"}
_NOT_PUBLISHED_LIST = {"url"}


def check_fake_date(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    findings = []
    for article in site.articles:
        if article.date_source in _NOT_PUBLISHED_ARTICLE:
            continue
        if article.date and article.date > ctx.as_of:
            problem = f"发布日期{article.date.isoformat()}晚于检查日{ctx.as_of.isoformat()}"
        elif (
            article.date
            and article.list_date
            and article.list_date_source not in _NOT_PUBLISHED_LIST
            and article.date != article.list_date
        ):
            problem = (
                f"栏目列表日期{article.list_date.isoformat()}与正文发布日期{article.date.isoformat()}不一致"
            )
        else:
            continue
        findings.append(
            Finding(
                check="content.fake_date",
                message=f"信息“{article.title or article.url}”{problem}，疑似伪造发稿日期",
                url=article.url,
                column=article.column,
                evidence={
                    "date": article.date.isoformat() if article.date else None,
                    "date_source": article.date_source,
                    "list_date": article.list_date.isoformat() if article.list_date else None,
                    "list_date_source": article.list_date_source,
                },
            )
        )
    return findings
