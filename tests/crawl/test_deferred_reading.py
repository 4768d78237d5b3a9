"""The crawl leaves the parsing of its kept pages to finish_reading, which may run on a copy of the
model in another process: it fills in only the fields it names, and they come back whole."""

import asyncio
import copy
import dataclasses
import datetime as dt
import pickle

from govinspect.crawl import CrawlBudget, apply_reading, crawl_site_unread, finish_reading, reading_of
from govinspect.crawl.site import READ_FIELDS
from govinspect.demo import FarmServer, build_farm
from govinspect.fetch import Fetcher, FetchSettings
from govinspect.model import site_model_to_data

AS_OF = dt.date(2026, 11, 22)
# Pages whose seal (body_hash, looks_html) finish_reading sets.
SEALED = ("home", "crawler_view", "crawler_views")


def crawl_unread(host: str):
    farm = build_farm(AS_OF)
    with FarmServer(farm) as server:

        async def run():
            async with Fetcher(FetchSettings(proxy=server.proxy_url, trust_env=False)) as fetcher:
                return await crawl_site_unread(
                    f"http://{host}/", fetcher, reference=AS_OF, budget=CrawlBudget(probes=1)
                )

        return asyncio.run(run())


def _unsealed(value):
    if isinstance(value, list):
        return [_unsealed(v) for v in value]
    if value is None:
        return None
    return dataclasses.replace(value, body_hash="", looks_html=False)


def test_the_crawl_leaves_the_reading_and_finish_reading_changes_only_its_fields():
    site, pending = crawl_unread("www.shiwan.gov.cn")
    assert not site.articles and not site.page_facts and site.home_fingerprint is None
    assert pending.content_pages and site.sample_pages[0] is site.home
    before = copy.deepcopy(site)

    finish_reading(site, pending)

    assert site.articles and site.messages and site.guides and site.page_facts
    assert site.home_fingerprint is not None and site.home.body_hash
    for field in dataclasses.fields(site):
        if field.name in READ_FIELDS:
            continue
        now, then = getattr(site, field.name), getattr(before, field.name)
        if field.name in SEALED:
            now, then = _unsealed(now), _unsealed(then)
        elif field.name == "sample_pages":
            now, then = [_unsealed(p) for p in now], [_unsealed(p) for p in then]
        assert now == then, field.name


def test_a_reading_done_on_a_copy_comes_back_as_if_done_in_place():
    site, pending = crawl_unread("www.hongfeng.gov.cn")  # a cloaked home: crawler views and facts
    in_place, pending_in_place = copy.deepcopy((site, pending))
    finish_reading(in_place, pending_in_place)

    remote, remote_pending = pickle.loads(pickle.dumps((site, pending)))  # as the check worker gets it
    finish_reading(remote, remote_pending)
    apply_reading(site, pickle.loads(pickle.dumps(reading_of(remote))))

    assert site.crawler_facts is not None and site.crawler_view.body_hash
    assert site_model_to_data(site) == site_model_to_data(in_place)


def test_the_reading_knows_the_column_of_each_list_page():
    """A 留言 column's list rows are messages only if the reading knows the list page is that column's:
    the column map handed to the reading is the crawl's, not the still-empty one of the model."""
    site, pending = crawl_unread("www.shiwan.gov.cn")
    read = [c for c in site.columns if c.pages_read]
    assert any(c.kind == "interact" for c in read)
    assert {c.url: pending.page_columns.get(c.url) for c in read} == {c.url: c.name for c in read}
