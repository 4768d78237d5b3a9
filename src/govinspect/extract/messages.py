"""Citizen messages (领导信箱/咨询投诉/网上留言) in list-style and detail-page layouts.

A detail page shows labelled fields: 留言时间, 留言内容, 回复内容, 回复时间 (or their synonyms).
A list page shows rows with a title link, the date asked and a status (已回复/未回复) or a
reply date. Both give `Message`s; the adapter prefers the detail page of a listed message.
"""

from __future__ import annotations

import datetime as dt
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.extract.dates import parse_date
from govinspect.extract.guides import is_empty_value, labelled_fields
from govinspect.extract.html import (
    absolute_url,
    anchor_text,
    base_href,
    clean_text,
    never_raise,
    node_text,
    parse,
)
from govinspect.model import Message

_TITLE_LABELS = re.compile(r"^(?:留言|来信|信件|咨询|投诉|诉求|问题)?(?:标题|主题)$")
_ASKED_LABELS = re.compile(r"^(?:留言|来信|写信|提问|咨询|投诉|提交|发表|诉求|信件)(?:时间|日期)$")
_REPLY_TEXT_LABELS = re.compile(
    r"^(?:回复|答复|办理|处理|回复|部门回复)(?:内容|意见|结果|情况)?$|^(?:办理结果|处理结果|回复意见)$"
)
_REPLY_DATE_LABELS = re.compile(r"^(?:回复|答复|办结|办理|处理|反馈)(?:时间|日期)$")
_QUESTION_LABELS = re.compile(r"^(?:留言|来信|信件|咨询|投诉|诉求|问题)(?:内容|描述|详情)?$")

ANSWERED_WORDS = ("已回复", "已答复", "已办结", "已处理", "已反馈", "办结", "已回")
UNANSWERED_WORDS = (
    "未回复",
    "未答复",
    "待回复",
    "待答复",
    "未办结",
    "办理中",
    "处理中",
    "待处理",
    "未处理",
    "受理中",
)
_NO_REPLY_TEXT = re.compile(r"^(?:暂无|暂未|尚未|未)(?:回复|答复|处理)|^(?:正在|待)(?:办理|处理|回复)")


def _is_answer_text(text: str) -> bool:
    text = clean_text(text)
    return bool(text) and not is_empty_value(text) and not _NO_REPLY_TEXT.match(text)


def _detail(tree: LexborHTMLParser, url: str, reference: dt.date) -> Message | None:
    fields: dict[str, str] = {}
    for label, value in labelled_fields(tree):
        label = label.replace(" ", "")
        for key, pattern in (
            ("title", _TITLE_LABELS),
            ("asked", _ASKED_LABELS),
            ("reply", _REPLY_TEXT_LABELS),
            ("replied", _REPLY_DATE_LABELS),
            ("question", _QUESTION_LABELS),
        ):
            if key not in fields and pattern.match(label):
                fields[key] = value
                break
    if "asked" not in fields or not ({"reply", "replied", "question"} & set(fields)):
        return None
    asked = parse_date(fields["asked"], reference)
    replied = parse_date(fields.get("replied", ""), reference)
    reply_text = clean_text(fields.get("reply", ""))
    answered = _is_answer_text(reply_text)
    if not answered:
        reply_text = ""
        replied = None
    title = clean_text(fields.get("title", "")) or node_text(tree.css_first("h1"))
    return Message(
        url=url, title=title, asked=asked, replied=replied, reply_text=reply_text, answered=answered
    )


def _status_of(text: str) -> bool | None:
    if any(w in text for w in UNANSWERED_WORDS):
        return False
    if any(w in text for w in ANSWERED_WORDS):
        return True
    return None


def _row_message(row: LexborNode, base: str, reference: dt.date, dated_reply: bool) -> Message | None:
    link = row.css_first("a[href]")
    if link is None:
        return None
    url = absolute_url(link.attributes.get("href"), base)
    title = anchor_text(link)
    if not url or not title:
        return None
    cells = [node_text(c) for c in row.iter() if c.tag in ("td", "span", "em", "i", "div", "p", "font")]
    text = node_text(row)
    rest = text.replace(title, " ", 1)
    status = _status_of(rest)
    dates = [d for d in (parse_date(c, reference) for c in cells) if d] or (
        [parse_date(rest, reference)] if parse_date(rest, reference) else []
    )
    if status is None and not (dated_reply and len(dates) >= 2):
        return None
    asked = dates[0] if dates else None
    replied = dates[1] if dated_reply and len(dates) >= 2 else None
    answered = bool(status) or (status is None and replied is not None)
    return Message(
        url=url, title=title, asked=asked, replied=replied if answered else None, answered=answered
    )


def _list(tree: LexborHTMLParser, url: str, reference: dt.date) -> list[Message]:
    base = base_href(tree, url)
    messages: list[Message] = []
    seen: set[str] = set()
    header = " ".join(node_text(th) for th in tree.css("th"))
    dated_reply = bool(re.search(r"(?:回复|答复|办结)(?:时间|日期)", header))
    for row in tree.css("tr, li, dl"):
        if any(n.mem_id != row.mem_id for n in row.css("tr, li, dl")):
            continue  # the innermost rows only (css() matches the node itself too)
        message = _row_message(row, base, reference, dated_reply)
        if message and message.url not in seen:
            seen.add(message.url)
            messages.append(message)
    return messages


@never_raise(list)
def extract_messages(html: str, url: str, reference: dt.date) -> list[Message]:
    """The message of a detail page, else the messages listed on a list page (maybe none)."""
    tree = parse(html)
    message = _detail(tree, url, reference)
    if message is not None:
        return [message]
    return _list(tree, url, reference)
