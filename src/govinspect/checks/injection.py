"""security.content_injection: a promotional passage about a private person or company spliced
into a government article (an "关于专家组" CV, a chain of honorary titles, a company title, an
encyclopedia-style biography).

Each paragraph collects signals (lexicons/injection.yaml); a paragraph is reported when its signals
add up and at least one of them is promotional (a CV header, honorary titles, a private body's
院士, a private-company title). A paragraph about an official of a government body is not
promotion. Evidence: the passage, its position, the signals that fired.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from govinspect.checks.base import CheckContext
from govinspect.checks.lexicons import load
from govinspect.checks.spelling import SURNAMES
from govinspect.model import Article, Finding, SiteModel

# Signal weights and the score a paragraph needs (local choices, checked on demo/injection_cases.py).
WEIGHTS = {
    "cv_header": 3,
    "honorary_chain": 2,  # two honorary titles …
    "honorary_chain3": 3,  # … three or more
    "honorary_title": 1,
    "private_academy": 2,
    "company_title": 2,
    "bio": 1,  # one biography marker …
    "bio_many": 2,  # … two or more
    "lone_name": 1,  # the person appears once, not in the title
    "markup_seam": 1,  # the paragraph's markup differs from the rest of the article
    "official_post": -2,
}
PROMOTIONAL = {
    "cv_header",
    "honorary_chain",
    "honorary_chain3",
    "honorary_title",
    "private_academy",
    "company_title",
}
REPORT_SCORE = 4
# A spliced CV or introduction is a paragraph of a few hundred characters; a block of thousands is
# page furniture or keyword spam (security.spam_injection's business), not a promotion passage.
MAX_PASSAGE_CHARS = 800

_NAME = f"[{SURNAMES}][\\u4e00-\\u9fff]{{1,2}}"


@dataclass(frozen=True)
class InjectionSuspect:
    passage: str
    start: int  # offset of the paragraph in the text
    end: int
    paragraph: int  # 1-based paragraph number
    signals: tuple[str, ...]
    score: int
    name: str  # the promoted person, when one is named
    titles: tuple[str, ...]  # the honorary/company titles attached to the name

    @property
    def key(self) -> str:
        """Name plus titles: the same string on unrelated government hosts is a strong signal."""
        return self.name + "|" + "、".join(sorted(self.titles)) if self.name and self.titles else ""


@functools.cache
def _lexicon() -> dict:
    data = load("injection.yaml")
    suffixes = "|".join(map(re.escape, data["company_suffixes"]))
    titles = "|".join(map(re.escape, sorted(data["company_titles"], key=len, reverse=True)))
    return {
        "cv": tuple(data["cv_headers"]),
        "honorary": tuple(sorted(data["honorary_titles"], key=len, reverse=True)),
        "academy": re.compile(data["private_academy"]),
        "official_academies": tuple(data["official_academies"]),
        "company": re.compile(
            f"([\\u4e00-\\u9fffA-Za-z（）()]{{2,30}}(?:{suffixes}))[、，,\\s]?(?:的)?(?:{titles})"
        ),
        "bio": tuple(data["bio_markers"]),
        "official": tuple(data["official_posts"]),
    }


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((at, line))
        at += len(line) + 1
    return out


def _named_person(paragraph: str, titles: list[str]) -> str:
    """The person the paragraph introduces: a name right after a title chain or a CV header, or
    a name followed by 男/女/先生/女士/教授/博士."""
    for title in titles:
        m = re.search(re.escape(title) + f"[、，：:\\s]*({_NAME})", paragraph)
        if m:
            return m.group(1)
    m = re.search(f"({_NAME})(?:，|,|\\s)?(?:男|女|先生|女士|教授|博士|老师|大师)", paragraph)
    return m.group(1) if m else ""


def paragraph_signals(
    paragraph: str, article: str, title: str
) -> tuple[dict[str, int], str, tuple[str, ...]]:
    """(signal -> weight, promoted name, titles) of one paragraph."""
    lex = _lexicon()
    signals: dict[str, int] = {}
    head = paragraph.lstrip()[:12]
    if any(head.startswith(h) for h in lex["cv"]):
        signals["cv_header"] = WEIGHTS["cv_header"]
    honorary = [t for t in lex["honorary"] if t in paragraph]
    if len(honorary) >= 3:
        signals["honorary_chain3"] = WEIGHTS["honorary_chain3"]
    elif len(honorary) == 2:
        signals["honorary_chain"] = WEIGHTS["honorary_chain"]
    elif honorary:
        signals["honorary_title"] = WEIGHTS["honorary_title"]
    stripped = paragraph
    for official in lex["official_academies"]:
        stripped = stripped.replace(official, "")
    academies = lex["academy"].findall(stripped)
    if academies:
        signals["private_academy"] = WEIGHTS["private_academy"]
    companies = [m.group(0) for m in lex["company"].finditer(paragraph)]
    if companies:
        signals["company_title"] = WEIGHTS["company_title"]
    bio = {b for b in lex["bio"] if b in paragraph}
    if len(bio) >= 2:
        signals["bio_many"] = WEIGHTS["bio_many"]
    elif bio:
        signals["bio"] = WEIGHTS["bio"]
    if any(o in paragraph for o in lex["official"]):
        signals["official_post"] = WEIGHTS["official_post"]
    titles = tuple(honorary + academies + companies)
    name = _named_person(paragraph, list(lex["cv"]) + honorary + academies + companies)
    if name and article.count(name) == 1 and name not in title:
        signals["lone_name"] = WEIGHTS["lone_name"]
    return signals, name, titles


def find_injections(
    text: str, title: str = "", signatures: dict[str, str] | None = None
) -> list[InjectionSuspect]:
    """Promotional passages in an article's text (paragraphs separated by newlines). The markup of
    its blocks (`signatures`, extract/block_styles.py) shows passages pasted in with their own styles."""
    paragraphs = _paragraphs(text)
    seams: dict[int, bool] = {}
    if signatures and len(paragraphs) >= 3:
        sig_of = {i: signatures.get(p.strip()[:16]) for i, (_, p) in enumerate(paragraphs)}
        known = [s for s in sig_of.values() if s is not None]
        if known:
            common, count = Counter(known).most_common(1)[0]
            if count >= 2:
                seams = {i: s is not None and s != common for i, s in sig_of.items()}
    found = []
    for i, (start, paragraph) in enumerate(paragraphs):
        if len(paragraph) > MAX_PASSAGE_CHARS:
            continue
        signals, name, titles = paragraph_signals(paragraph, text, title)
        if not PROMOTIONAL & set(signals):
            continue
        if seams.get(i):
            signals["markup_seam"] = WEIGHTS["markup_seam"]
        total = sum(signals.values())
        if total < REPORT_SCORE:
            continue
        found.append(
            InjectionSuspect(
                passage=paragraph.strip(),
                start=start,
                end=start + len(paragraph),
                paragraph=i + 1,
                signals=tuple(sorted(s for s, w in signals.items() if w > 0)),
                score=total,
                name=name,
                titles=titles,
            )
        )
    return found


SIGNAL_LABELS = {
    "cv_header": "专家/人物简介段落",
    "honorary_chain": "多个荣誉性头衔",
    "honorary_chain3": "多个荣誉性头衔",
    "honorary_title": "荣誉性头衔",
    "private_academy": "非官方机构“院士”头衔",
    "company_title": "企业职务头衔",
    "bio": "百科式个人履历",
    "bio_many": "百科式个人履历",
    "lone_name": "人物仅出现一次且不在标题中",
    "markup_seam": "段落排版与正文不一致",
    "cross_site": "相同人物头衔出现在其他政府网站",
}


def injection_message(suspect: InjectionSuspect) -> str:
    who = f"“{suspect.name}”" if suspect.name else "私人或企业"
    return f"文章第{suspect.paragraph}段疑似被植入推广{who}的内容，请核实是否为虚假或伪造内容"


def injection_evidence(suspect: InjectionSuspect) -> dict:
    return {
        "passage": suspect.passage[:300],
        "paragraph": suspect.paragraph,
        "offset": suspect.start,
        "signals": [SIGNAL_LABELS[s] for s in suspect.signals],
        "person": suspect.name,
    }


def _page_signatures(site: SiteModel) -> dict[str, dict[str, str]]:
    """Page URL -> its block signatures, read at crawl time (extract/block_styles.py)."""
    out: dict[str, dict[str, str]] = {}
    for facts in site.page_facts:
        out[facts.url] = facts.block_signatures
        if facts.final_url:
            out[facts.final_url] = facts.block_signatures
    return out


def check_content_injection(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    signatures_of = _page_signatures(site)
    findings = []
    for article in site.articles:
        for suspect in find_injections(
            article.text, article.title, signatures=signatures_of.get(article.url)
        ):
            findings.append(
                Finding(
                    check="security.content_injection",
                    message=injection_message(suspect),
                    url=article.url,
                    column=article.column,
                    evidence=injection_evidence(suspect),
                )
            )
    return findings


@dataclass(frozen=True)
class SharedPromotion:
    """The same name-plus-titles string on articles of unrelated government hosts."""

    key: str
    hosts: tuple[str, ...]
    urls: tuple[str, ...]


def _site_of(host: str) -> str:
    host = host.lower().split(":")[0]
    return host[4:] if host.startswith("www.") else host


def shared_promotions(sites: Mapping[str, Iterable[Article]], min_hosts: int = 2) -> list[SharedPromotion]:
    """Across several sites' articles (host -> articles): promoted name-plus-titles strings found on
    at least `min_hosts` unrelated hosts. Candidates are paragraphs with any promotional signal (a
    weaker bar than a finding: the repetition across hosts is the evidence)."""
    seen: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for host, articles in sites.items():
        for article in articles:
            for _, paragraph in _paragraphs(article.text):
                signals, name, titles = paragraph_signals(paragraph, article.text, article.title)
                if not PROMOTIONAL & set(signals) or "official_post" in signals or not (name and titles):
                    continue
                key = name + "|" + "、".join(sorted(titles))
                seen[key][_site_of(host or urlsplit(article.url).hostname or "")].append(article.url)
    shared = []
    for key, by_site in seen.items():
        if len(by_site) >= min_hosts:
            urls = tuple(u for us in by_site.values() for u in us)
            shared.append(SharedPromotion(key=key, hosts=tuple(sorted(by_site)), urls=urls))
    return sorted(shared, key=lambda s: (-len(s.hosts), s.key))
