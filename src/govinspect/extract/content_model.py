"""Fill SiteModel.articles/messages/guides from the fetched pages, after the crawl.

Each page's column comes from `site.page_columns`; the column kind decides what is read:
interact -> messages, service -> guides, the others -> articles (item pages only: list pages of
a column are not articles).
"""

from __future__ import annotations

import datetime as dt
import re

from govinspect.extract.article_body import extract_article
from govinspect.extract.guides import extract_guide, guide_labels_found
from govinspect.extract.messages import extract_messages
from govinspect.model import Message, Page, SiteModel

_MIN_GUIDE_LABELS = 3  # a page labelling fewer elements is a list or an ordinary page


def _merge_message(found: dict[str, Message], message: Message, from_detail: bool) -> None:
    """A detail page's message replaces what a list row said about it; list rows fill gaps."""
    known = found.get(message.url)
    if known is None or from_detail:
        if known is not None and message.asked is None:
            message.asked = known.asked
        found[message.url] = message


_FORM_LINK_RE = re.compile(r"\.(?:docx?|xlsx?|pdf|zip|rar|wps)\b", re.I)
_GUIDE_TITLE_RE = re.compile(r"指南|表格下载|下载专区|办事|须知")


def _form_page(site: SiteModel, html: str, url: str, column: str) -> None:
    """A guide-like page outside the service columns that links forms (an 办事指南 filed under
    通知公告, a 表格下载 page): its attachments are checked like a guide's."""
    if not _FORM_LINK_RE.search(html):
        return
    guide = extract_guide(html, url)
    if not guide.url or not guide.attachments:
        return
    # Guide-like: it labels two guide elements or says it is one. A notice with its 报名登记表 and a
    # 联系电话 is not: its dead form is links.broken_other, not a service failure.
    if guide_labels_found(guide) < 2 and not _GUIDE_TITLE_RE.search(guide.title):
        return
    # Only its forms are judged: a notice's 报名条件/报名材料 labels are no 办事指南 (precision first).
    guide.column, guide.is_guide = column, False
    site.guides.append(guide)


def build_content_model(site: SiteModel, pages: dict[str, Page], reference: dt.date | None = None) -> None:
    """Append the articles, messages and guides read from `pages` (URL -> fetched page) to `site`."""
    reference = reference or dt.date.today()
    kinds = {c.name: c.kind for c in site.columns}
    list_dates = {i.url: (c.name, i.date, i.date_source) for c in site.columns for i in c.items}
    column_urls = {c.url for c in site.columns}
    messages: dict[str, Message] = {m.url: m for m in site.messages}
    for url, page in pages.items():
        if page is None or not page.ok or not page.is_html or not page.text:
            continue
        column = site.page_columns.get(url) or site.page_columns.get(page.final_url) or ""
        if not column and url in list_dates:
            column = list_dates[url][0]
        kind = kinds.get(column, "other")
        if kind == "interact":
            found = extract_messages(page.text, url, reference)
            from_detail = len(found) == 1 and bool(found[0].reply_text or found[0].url == url)
            for message in found:
                message.column = column
                _merge_message(messages, message, from_detail)
        elif kind == "service":
            guide = extract_guide(page.text, url)
            if guide.url and guide_labels_found(guide) >= _MIN_GUIDE_LABELS:
                guide.column = column
                site.guides.append(guide)
            elif guide.url and guide.attachments:
                # A 表格下载 page or a list linking forms: its forms must download too.
                guide.column, guide.is_guide = column, False
                site.guides.append(guide)
        else:
            _form_page(site, page.text, url, column)
        if kind in ("interact", "service"):
            continue
        if url in list_dates and url not in column_urls:
            # Read dates past the reference too: a future date is what content.fake_date reports.
            article = extract_article(page.text, url, reference + dt.timedelta(days=400))
            if article.url:
                article.column = column
                article.list_date = list_dates[url][1]
                article.list_date_source = list_dates[url][2]
                site.articles.append(article)
    site.messages = list(messages.values())
