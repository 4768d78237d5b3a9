"""内容准确: serious errors, typos, near-identical reports (孪生报道) and false dates."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

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
from govinspect.checks.spelling import (
    SiteVocabulary,
    confident_suspects,
    find_typos,
    sentence_around,
)
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
    for page in site.page_facts:  # home and sample pages, their text read at crawl time
        if page.url in seen:
            continue
        seen.add(page.url)
        yield page.final_url or page.url, page.column, page.visible_text


@dataclass(frozen=True)
class TextFinding:
    """A finding inside one text, before it is placed on a page: the text checks are pure functions
    over text, shared by the site checks and `govinspect proofread`."""

    check: str
    message: str
    wrong: str
    correct: str
    start: int
    end: int
    confidence: float = 1.0
    evidence: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


# Statistical typo suspects listed per text at most (a garbled page must not flood the report).
MAX_SUSPECTS_PER_TEXT = 5
# More confident statistical typos than this (or than one per 2,000 characters) in one text: the text
# is not standard modern Chinese, its typos are listed as suspects only (local choice).
MAX_CONFIDENT_PER_TEXT = 3


def typo_text_findings(text: str, vocab: SiteVocabulary | None = None) -> list[TextFinding]:
    """错别字 in one text: the lexicon's known typos (certain) and the statistical detector's
    suspects (content.typo when confident, content.typo_suspect info otherwise)."""
    found: list[TextFinding] = []
    taken: list[tuple[int, int]] = []
    reported: set[str] = set()
    for hit in typo_lexicon().find(text):
        if hit.term in reported or not _typo_context_ok(text, hit):
            continue
        reported.add(hit.term)
        wrong, correct = text[hit.start : hit.end], hit.info["correct"]
        taken.append((hit.start, hit.end))
        found.append(
            TextFinding(
                "content.typo",
                f"页面存在错别字：“{wrong}”应为“{correct}”",
                wrong,
                correct,
                hit.start,
                hit.end,
                1.0,
                {"wrong": wrong, "correct": correct, "context": context(text, hit)},
            )
        )
    # Leader names and fixed expressions are the serious-error check's: never "repaired" here.
    shields = [(h.start, h.end) for h in _serious_shields().find(text)]
    shields += [(h.start, h.end) for h in serious_lexicon().find(text)]
    shields += [(f.start, f.end) for f in serious_near_misses(text)]
    typos = [
        t
        for t in find_typos(text, vocab)
        if not any(s < t.end and t.start < e for s, e in taken + shields) and t.wrong not in reported
    ]
    # Real 公文 has few typos: many confident ones in one text mean it is not standard modern text
    # (traditional script, keyword spam, a list of names); then nothing scores, all are suspects.
    sure = confident_suspects(text, typos)
    flooded = len(sure) > max(MAX_CONFIDENT_PER_TEXT, len(text) // 2000)
    suspects = 0
    for n, typo in enumerate(typos):
        if typo.wrong in reported:
            continue
        confident = n in sure and not flooded
        if not confident:
            if suspects >= MAX_SUSPECTS_PER_TEXT:
                continue
            suspects += 1
        reported.add(typo.wrong)
        check = "content.typo" if confident else "content.typo_suspect"
        label = "页面存在错别字" if confident else "疑似错别字（请人工核实）"
        found.append(
            TextFinding(
                check,
                f"{label}：“{typo.wrong}”应为“{typo.correct}”（置信度{typo.confidence:.0%}）",
                typo.wrong,
                typo.correct,
                typo.start,
                typo.end,
                typo.confidence,
                {
                    "wrong": typo.wrong,
                    "correct": typo.correct,
                    "context": sentence_around(text, typo.start, typo.end),
                    "confidence": typo.confidence,
                },
            )
        )
    return sorted(found, key=lambda f: f.start)


def serious_near_misses(text: str) -> list[TextFinding]:
    from govinspect.checks.near_miss import near_misses

    return near_misses(text)


@functools.cache
def _serious_shields() -> Lexicon:
    from govinspect.checks.lexicons import serious_lexicon_good

    return Lexicon({w: {} for w in serious_lexicon_good()})


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


def serious_text_findings(text: str, day: dt.date | None = None) -> list[TextFinding]:
    """严重表述错误 in one text: lexicon wrong forms, near-miss forms of leaders' names and fixed
    expressions (serious_near_misses), and — when the text's date is known — a leader named with an
    office they did not hold on that day."""
    found: list[TextFinding] = []
    reported: set[str] = set()
    for hit in serious_lexicon().find(text):
        if hit.term in reported:
            continue
        reported.add(hit.term)
        wrong, correct = text[hit.start : hit.end], hit.info["correct"]
        found.append(
            TextFinding(
                "content.serious_error",
                _message("content.serious_error", hit, wrong, correct),
                wrong,
                correct,
                hit.start,
                hit.end,
                1.0,
                {"wrong": wrong, "correct": correct, "context": context(text, hit)},
            )
        )
    taken = [(f.start, f.end) for f in found]
    for near in serious_near_misses(text):
        if near.wrong in reported or any(s < near.end and near.start < e for s, e in taken):
            continue
        reported.add(near.wrong)
        found.append(near)
    if day is not None:
        found.extend(_role_text_findings(text, day))
    return sorted(found, key=lambda f: f.start)


def _role_text_findings(text: str, day: dt.date) -> list[TextFinding]:
    """A leader named with an office they did not hold on `day` (国务院总理李克强 in 2024)."""
    found = []
    reported: set[tuple[str, str]] = set()
    for mention in role_mentions(text):
        key = (mention.name, mention.office)
        if key in reported or role_fits(mention.name, mention.office, day):
            continue
        reported.add(key)
        wrong = text[mention.start : mention.end]
        actual = "、".join(holders(mention.office, day)) or "（词库未收录）"
        found.append(
            TextFinding(
                "content.serious_error",
                f"页面存在严重表述错误（党和国家领导人职务错误）：“{wrong}”，{day.isoformat()}时{mention.office}为{actual}",
                wrong,
                f"{mention.office}{actual}" if holders(mention.office, day) else "",
                mention.start,
                mention.end,
                1.0,
                {
                    "wrong": wrong,
                    "name": mention.name,
                    "office": mention.office,
                    "date": day.isoformat(),
                    "holders": holders(mention.office, day),
                    "context": text[max(0, mention.start - 20) : mention.end + 20].replace("\n", " "),
                },
            )
        )
    return found


def check_serious_error(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    """Every text the content checks read; the office rule only on dated articles (an undated
    text may be about any time)."""
    findings = []
    dated = {a.url: a.date or a.list_date for a in site.articles}
    for url, column, text in site_texts(site):
        for tf in serious_text_findings(text, dated.get(url)):
            findings.append(
                Finding(check=tf.check, message=tf.message, url=url, column=column, evidence=tf.evidence)
            )
    return findings


def _typo_context_ok(text: str, hit: Hit) -> bool:
    rule = hit.info.get("unless_after")
    return rule is None or not rule.search(text[hit.end : hit.end + 40])


def check_typo(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    """Lexicon typos on every text; the statistical detector on articles (title and body), with the
    site's own vocabulary learnt from all its articles."""
    findings = _lexicon_findings(site, typo_lexicon(), "content.typo", _typo_context_ok)
    articles = [(a.url, a.column, f"{a.title}\n{a.text}") for a in site.articles]
    vocab = SiteVocabulary(text for _, _, text in articles)
    lexicon_pages = {(f.url, f.evidence["wrong"]) for f in findings}
    for url, column, text in articles:
        for tf in typo_text_findings(text, vocab):
            if (url, tf.wrong) in lexicon_pages:
                continue
            findings.append(
                Finding(check=tf.check, message=tf.message, url=url, column=column, evidence=tf.evidence)
            )
    return findings


def shingles(text: str, size: int = _SHINGLE) -> set[str]:
    letters = _NON_TEXT.sub("", text)
    return {letters[i : i + size] for i in range(max(0, len(letters) - size + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


_SPACE_OR_PUNCT = re.compile(r"[\s\W_]+")


def repost_key(article: Article) -> tuple[str, str]:
    """Title and body without spaces and punctuation, digits kept: equal keys mean a re-post."""
    return _SPACE_OR_PUNCT.sub("", article.title), _SPACE_OR_PUNCT.sub("", article.text)


def duplicate_pairs(
    articles: list[Article], threshold: float = DUPLICATE_JACCARD, min_chars: int = DUPLICATE_MIN_CHARS
) -> list[tuple[Article, Article, float]]:
    """Pairs of different reports whose bodies are near-identical (exact Jaccard on shingles).

    The same report listed twice (same title, same text) is a repost, not a 孪生报道. "Same" keeps
    dates and numbers: two reports that differ only in the date or a figure are twins."""
    bodies = []
    for article in articles:
        letters = _NON_TEXT.sub("", article.text)
        if len(letters) >= min_chars:
            bodies.append((article, letters, shingles(article.text), repost_key(article)))
    pairs = []
    for i, (a, text_a, sh_a, key_a) in enumerate(bodies):
        for b, text_b, sh_b, key_b in bodies[i + 1 :]:
            if a.url == b.url or min(len(text_a), len(text_b)) < threshold * max(len(text_a), len(text_b)):
                continue
            if key_a == key_b:
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
    for a, b, score in duplicate_pairs(
        reports, ctx.threshold("duplicate_jaccard"), int(ctx.threshold("duplicate_min_chars"))
    ):
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
