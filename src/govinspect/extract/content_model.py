"""Fill SiteModel.articles/messages/guides from the fetched pages, after the crawl.

Each page's column comes from `site.page_columns`; the column kind decides what is read:
interact -> messages, service -> guides, the others -> articles (item pages only: list pages of
a column are not articles).
"""

from __future__ import annotations

import datetime as dt

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


def build_content_model(site: SiteModel, pages: dict[str, Page], reference: dt.date | None = None) -> None:
    """Append the articles, messages and guides read from `pages` (URL -> fetched page) to `site`."""
    reference = reference or dt.date.today()
    kinds = {c.name: c.kind for c in site.columns}
    list_dates = {i.url: (c.name, i.date) for c in site.columns for i in c.items}
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
        elif url in list_dates and url not in column_urls:
            # Read dates past the reference too: a future date is what content.fake_date reports.
            article = extract_article(page.text, url, reference + dt.timedelta(days=400))
            if article.url:
                article.column = column
                article.list_date = list_dates[url][1]
                site.articles.append(article)
    site.messages = list(messages.values())
