"""Page understanding: dates, links, columns, list items, pagination, footer marks, site name.

Pure functions over decoded HTML text; none of them raises on bad input, each returns what it
can find (an empty list, None or an empty FooterMarks).
"""

from govinspect.extract.article import extract_article_date
from govinspect.extract.dates import date_from_url, find_dates, parse_date
from govinspect.extract.footer import extract_footer, extract_site_name
from govinspect.extract.links import ColumnLink, Link, classify_column, extract_links, find_column_links
from govinspect.extract.lists import (
    empty_column_text,
    extract_home_items,
    extract_list_items,
    find_next_pages,
)

__all__ = [
    "ColumnLink",
    "Link",
    "classify_column",
    "date_from_url",
    "empty_column_text",
    "extract_article_date",
    "extract_footer",
    "extract_home_items",
    "extract_links",
    "extract_list_items",
    "extract_site_name",
    "find_column_links",
    "find_dates",
    "find_next_pages",
    "parse_date",
]

# Content extraction for the 不准确/不回应/不实用 checks.
from govinspect.extract.article_body import extract_article  # noqa: E402
from govinspect.extract.content_model import build_content_model  # noqa: E402
from govinspect.extract.guides import GUIDE_ELEMENTS, extract_guide  # noqa: E402
from govinspect.extract.messages import extract_messages  # noqa: E402

__all__ += ["GUIDE_ELEMENTS", "build_content_model", "extract_article", "extract_guide", "extract_messages"]

# Page understanding across CMS families.
from govinspect.extract.article import PublishedDate, find_published_date  # noqa: E402
from govinspect.extract.channels import Channel, find_channels  # noqa: E402
from govinspect.extract.footer import footer_script_urls, jiucuo_from_script  # noqa: E402
from govinspect.extract.lists import expand_data_islands, newest_item  # noqa: E402
from govinspect.extract.page_view import describe_page  # noqa: E402

__all__ += [
    "Channel",
    "PublishedDate",
    "describe_page",
    "expand_data_islands",
    "find_channels",
    "find_published_date",
    "footer_script_urls",
    "jiucuo_from_script",
    "newest_item",
]
