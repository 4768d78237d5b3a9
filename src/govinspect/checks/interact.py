"""互动回应: no working channel, messages left unanswered, slow replies, boilerplate replies."""

from __future__ import annotations

import re
from collections import Counter

from govinspect.checks.base import CheckContext
from govinspect.extract.channels import not_a_channel
from govinspect.model import Finding, Message, SiteModel


def threshold(ctx: CheckContext, key: str) -> float:
    return ctx.threshold(key)


def check_no_channel(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    if site.home is None or site.home_channels is None:  # no home page body to look at
        return []
    # 在线访谈, 调查征集 and a bare 互动交流 section are not consultation channels (2019 text).
    interact_columns = [
        c for c in site.columns if c.kind == "interact" and not c.error and not not_a_channel(c.name)
    ]
    working, dead = site.home_channels.working, site.home_channels.dead
    # Only positive evidence is reported: the channel shown as a dead entry (image without link,
    # javascript:void). A home page with no entry at all may show it where the crawler did not look.
    if interact_columns or working:
        return []
    if not dead:
        # Nothing found either way: a person should look (the channel may sit behind a script
        # menu or on a platform the crawler did not reach). Info only, never a veto.
        return [
            Finding(
                check="interact.channel_not_found",
                message="首页及栏目中未发现网上咨询建言渠道（领导信箱、网上留言等），请人工核实",
                url=site.home.final_url or site.url,
                evidence={"columns": len(site.columns)},
            )
        ]
    reason = f"首页“{dead[0]}”入口为无链接图片或空链接"
    return [
        Finding(
            check="interact.no_channel",
            message=f"未提供网上有效咨询建言渠道（{reason}）",
            url=site.home.final_url or site.url,
            evidence={"dead_entries": dead[:5]},
        )
    ]


def _in_window(message: Message, ctx: CheckContext) -> bool:
    window = threshold(ctx, "interact_window_days")
    return message.asked is not None and 0 <= (ctx.as_of - message.asked).days <= window


def check_unanswered(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    limit = threshold(ctx, "interact_reply_days")
    findings = []
    for m in site.messages:
        if m.answered or not _in_window(m, ctx):
            continue
        waited = (ctx.as_of - m.asked).days
        if waited > limit:
            findings.append(
                Finding(
                    check="interact.unanswered",
                    message=f"留言“{m.title or m.url}”于{m.asked.isoformat()}提交，已{waited}天未回复",
                    url=m.url,
                    column=m.column,
                    evidence={"asked": m.asked.isoformat(), "waited_days": waited},
                )
            )
    return findings


def check_slow_reply(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    limit = threshold(ctx, "interact_slow_reply_days")
    findings = []
    for m in site.messages:
        if not (m.answered and m.replied and _in_window(m, ctx)):
            continue
        took = (m.replied - m.asked).days
        if took > limit:
            findings.append(
                Finding(
                    check="interact.slow_reply",
                    message=f"留言“{m.title or m.url}”{took}天后才答复（超过{int(limit)}天）",
                    url=m.url,
                    column=m.column,
                    evidence={"asked": m.asked.isoformat(), "replied": m.replied.isoformat(), "days": took},
                )
            )
    return findings


# Greetings, thanks and sign-offs that every reply shares: removed before comparing.
_FORMULAS = re.compile(
    r"(?:尊敬的|亲爱的)?(?:网友|市民|群众|朋友|先生|女士|留言人|来信人|同志)?[“”\"\w]{0,12}?[:：,，\s]*(?:您好|你好)[!！,，。:：]?"
    r"|(?:您的|你的)?(?:留言|来信|信件|诉求)(?:已|我们已)?收悉[!！,，。]?"
    r"|感谢(?:您|你)?(?:对我们工作|对我[县市区镇局委办]工作)?的?(?:关心|关注|支持|来信|留言|理解)(?:和|与)?(?:支持|关注|理解)?[!！,，。]?"
    r"|欢迎(?:您)?继续(?:监督|关注)[^。！!]*[。！!]?"
    r"|如有疑问[^。！!]*[。！!]?|(?:咨询|联系)电话[:：]?[\d\-－—、\s]+"
    r"|祝(?:您)?(?:生活愉快|工作顺利|身体健康)[!！。]?"
)
_NOISE = re.compile(r"[\s\W\d_a-zA-Z]+")


def normalise_reply(text: str) -> str:
    return _NOISE.sub("", _FORMULAS.sub("", text or ""))


def canned_groups(messages: list[Message]) -> tuple[int, int, str]:
    """(size of the largest group of identical normalised replies, replies compared, its text)."""
    replies = [normalise_reply(m.reply_text) for m in messages if m.answered and m.reply_text]
    replies = [r for r in replies if r]
    if not replies:
        return 0, 0, ""
    text, size = Counter(replies).most_common(1)[0]
    return size, len(replies), text


def check_canned_reply(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    share_limit = threshold(ctx, "canned_reply_share")
    minimum = threshold(ctx, "canned_reply_min")
    by_column: dict[str, list[Message]] = {}
    for m in site.messages:
        by_column.setdefault(m.column, []).append(m)
    findings = []
    for column, messages in by_column.items():
        size, total, text = canned_groups(messages)
        if total < minimum or size / total < share_limit or size < 2:
            continue
        sample = next(m for m in messages if m.reply_text and normalise_reply(m.reply_text) == text)
        column_url = next((c.url for c in site.columns if c.name == column), sample.url)
        findings.append(
            Finding(
                check="interact.canned_reply",
                message=f"栏目“{column or '互动交流'}”{total}条答复中{size}条为同一套话（{size / total:.0%}），答复流于形式",
                url=column_url,
                column=column,
                evidence={
                    "example_url": sample.url,
                    "same": size,
                    "replies": total,
                    "reply": sample.reply_text[:200],
                },
            )
        )
    return findings
