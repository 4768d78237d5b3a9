"""Checks over what a connector saw: pure functions of (account, FetchResult, as_of, rubric).

Precision first: staleness is judged only on status ok with the whole window covered
(connectors.settle); anything else is newmedia.unverified (info, 请人工核实), never a veto.
"""

from __future__ import annotations

import datetime as dt
import functools

from govinspect.checks.content import serious_text_findings, typo_text_findings
from govinspect.checks.injection import find_injections, injection_evidence
from govinspect.checks.lexicons import Lexicon, context, spam_lexicons
from govinspect.model import Finding
from govinspect.newmedia.connectors import is_future, proving_posts
from govinspect.newmedia.model import STATUS_LABELS, Account, FetchResult, Post
from govinspect.rules.rubric import THRESHOLD_DEFAULTS, Rubric

RUNNING = "运行"


@functools.cache
def advert_lexicon() -> Lexicon:
    from importlib import resources

    import yaml

    text = resources.files("govinspect.newmedia").joinpath("lexicons/advert.yaml").read_text(encoding="utf-8")
    return Lexicon({p: {"kind": "advert"} for p in yaml.safe_load(text).get("phrases", [])})


def _threshold(rubric: Rubric | None, key: str) -> int:
    if rubric is not None and key in rubric.thresholds:
        return int(rubric.thresholds[key])
    return int(THRESHOLD_DEFAULTS[key])


def _where(account: Account) -> str:
    return f"{account.platform}“{account.name}”"


def _base(account: Account, **extra) -> dict:
    return {
        "account": account.name,
        "platform": account.platform,
        **{k: v for k, v in extra.items() if v not in (None, "")},
    }


def _post_evidence(account: Account, post: Post) -> dict:
    return _base(
        account,
        post_title=post.title[:80],
        post_time=post.published_at.isoformat() if post.published_at else "",
        post_url=post.url,
    )


def latest_post(result: FetchResult) -> Post | None:
    posts = proving_posts(result)
    return max(posts, key=lambda p: p.published_at) if posts else None


def freshness_findings(
    account: Account, result: FetchResult, as_of: dt.date, rubric: Rubric | None
) -> list[Finding]:
    stale_days = _threshold(rubric, "newmedia_stale_days")
    zombie_days = _threshold(rubric, "newmedia_zombie_days")
    column = f"{account.platform}·{account.name}"
    if result.status != "ok":
        label = STATUS_LABELS.get(result.status, result.status)
        return [
            Finding(
                check="newmedia.unverified",
                message=f"{_where(account)}未能完整读取（{label}：{result.detail}），无法判断是否按时更新，请人工核实",
                url=result.source or account.feed_url,
                column=column,
                evidence=_base(account, status=result.status, reason=result.detail, source=result.source),
            )
        ]
    latest = latest_post(result)
    if latest is None:  # settle() keeps such results partial; kept for safety
        return []
    latest_day = latest.published_at.date()
    # Posts after the as-of day (a re-check of a past day) do not count for that day.
    before = [p for p in proving_posts(result) if p.published_at.date() <= as_of]
    if before:
        latest = max(before, key=lambda p: p.published_at)
        latest_day = latest.published_at.date()
    age = (as_of - latest_day).days
    findings = []
    evidence = _post_evidence(account, latest) | {
        "latest": latest_day.isoformat(),
        "window_days": stale_days,
        "status": result.status,
        "source": result.source,
    }
    if age > stale_days:
        findings.append(
            Finding(
                check="newmedia.stale",
                message=f"{_where(account)}检查日前{stale_days}天内无更新：最近一条非置顶内容发布于{latest_day}（距检查日{age}天）",
                url=latest.url or result.source,
                column=column,
                evidence=evidence,
            )
        )
    if age > zombie_days:
        findings.append(
            Finding(
                check="newmedia.zombie",
                message=f"{_where(account)}超过{zombie_days}天未更新（最近发布于{latest_day}），疑似“僵尸”账号",
                url=latest.url or result.source,
                column=column,
                evidence=evidence | {"window_days": zombie_days},
            )
        )
    return findings


def future_findings(account: Account, result: FetchResult) -> list[Finding]:
    """A post dated after the fetch cannot prove an update: ignored for freshness, reported."""
    if result.fetched_at is None:
        return []
    return [
        Finding(
            check="content.fake_date",
            message=f"{_where(account)}的内容“{p.title[:30]}”发布时间为{p.published_at:%Y-%m-%d %H:%M}，晚于读取时间，日期异常（不计为更新）",
            url=p.url or result.source,
            column=f"{account.platform}·{account.name}",
            evidence=_post_evidence(account, p)
            | {"date": p.published_at.date().isoformat(), "date_source": "connector"},
        )
        for p in result.posts
        if is_future(p, result.fetched_at)
    ]


def interaction_findings(account: Account, result: FetchResult) -> list[Finding]:
    """Positive evidence only: the connector saw the interaction functions and they do not work."""
    seen = result.interaction
    if not seen or seen.get("working") is not False:
        return []
    return [
        Finding(
            check="newmedia.no_interaction",
            message=f"{_where(account)}未提供有效互动功能（{seen.get('seen', '来源')}所见）",
            url=result.source or account.feed_url,
            column=f"{account.platform}·{account.name}",
            evidence=_base(
                account, reason=str(seen.get("seen", "")), screenshots=seen.get("screenshots") or None
            ),
        )
    ]


def content_findings(account: Account, result: FetchResult) -> list[Finding]:
    """Text checks on the posts read: typos, serious errors, spam brands, injected promotion, adverts."""
    findings: list[Finding] = []
    column = f"{account.platform}·{account.name}"
    brands, _ = spam_lexicons()
    for post in result.posts:
        text = f"{post.title}\n{post.text}" if post.title and post.title not in post.text else post.text
        if not text.strip():
            continue
        where = _post_evidence(account, post)
        url = post.url or result.source
        day = post.published_at.date() if post.published_at else None
        for tf in serious_text_findings(text, day) + typo_text_findings(text):
            findings.append(
                Finding(
                    check=tf.check,
                    message=f"{_where(account)}：{tf.message}",
                    url=url,
                    column=column,
                    evidence=tf.evidence | where,
                )
            )
        spam = sorted({h.term for h in brands.find(text)})
        if spam:
            findings.append(
                Finding(
                    check="security.spam_injection",
                    message=f"{_where(account)}发布的内容含博彩/色情等违规信息：{'、'.join(spam[:5])}",
                    url=url,
                    column=column,
                    evidence={"terms": spam, "how": ["新媒体内容"]} | where,
                )
            )
        for suspect in find_injections(post.text, post.title):
            findings.append(
                Finding(
                    check="security.content_injection",
                    message=f"{_where(account)}的内容疑似被植入推广信息（第{suspect.paragraph}段），请核实",
                    url=url,
                    column=column,
                    evidence={
                        "context": suspect.passage[:200],
                        "reason": "、".join(injection_evidence(suspect)["signals"]),
                    }
                    | where,
                )
            )
        hits = advert_lexicon().find(text)
        if hits:
            terms = sorted({text[h.start : h.end] for h in hits})
            findings.append(
                Finding(
                    check="newmedia.advert",
                    message=f"{_where(account)}发布的内容含商业广告用语：{'、'.join(terms[:5])}",
                    url=url,
                    column=column,
                    evidence=where | {"terms": terms, "context": context(text, hits[0])},
                )
            )
    return findings


def _same_unit(a: str, b: str) -> bool:
    a, b = "".join(a.split()), "".join(b.split())
    # A unit's own office runs its accounts (人民政府 / 人民政府办公室): containment is not a mismatch.
    return a == b or a in b or b in a


def registry_findings(account: Account) -> list[Finding]:
    column = f"{account.platform}·{account.name}"
    findings = []
    if not account.registered:
        findings.append(
            Finding(
                check="newmedia.unregistered",
                message=f"{_where(account)}未在政务新媒体名录中备案",
                url=account.feed_url,
                column=column,
                evidence=_base(account, reason="名录中无此账号"),
            )
        )
    if account.subject and account.organiser and not _same_unit(account.subject, account.organiser):
        findings.append(
            Finding(
                check="newmedia.subject_mismatch",
                message=f"{_where(account)}认证主体“{account.subject}”与开办单位“{account.organiser}”不一致",
                url=account.feed_url,
                column=column,
                evidence=_base(
                    account,
                    subject=account.subject,
                    organiser=account.organiser,
                    reason="账号主体与开办单位不一致",
                ),
            )
        )
    return findings


def check_account(
    account: Account, result: FetchResult, *, as_of: dt.date, rubric: Rubric | None = None
) -> list[Finding]:
    """Every newmedia finding for one account (unscored: the rubric sets severity and points)."""
    findings = registry_findings(account)
    if account.status != RUNNING:
        return findings  # 关停/注销/合并: not expected to update
    findings += freshness_findings(account, result, as_of, rubric)
    findings += future_findings(account, result)
    findings += interaction_findings(account, result)
    findings += content_findings(account, result)
    return findings
