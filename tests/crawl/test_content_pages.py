"""The crawl reads what the text checks need: articles, messages, guides, and the crawler's view."""

import asyncio
import datetime as dt

from govinspect.crawl import CrawlBudget, crawl_site
from govinspect.demo import FarmServer, build_farm
from govinspect.fetch import Fetcher, FetchSettings

AS_OF = dt.date(2026, 11, 22)


def crawl(host: str):
    farm = build_farm(AS_OF)
    with FarmServer(farm) as server:

        async def run():
            async with Fetcher(FetchSettings(proxy=server.proxy_url, trust_env=False)) as fetcher:
                return await crawl_site(
                    f"http://{host}/", fetcher, reference=AS_OF, budget=CrawlBudget(probes=1)
                )

        return farm.site(host), asyncio.run(run())


def test_home_is_also_seen_as_a_search_engine_sees_it():
    site, model = crawl("www.hongfeng.gov.cn")
    cloaked = [
        e.text for e in site.expected if e.check == "security.spam_injection" and e.detail == "cloaked"
    ]
    assert cloaked, "the farm injects a cloaked block on this site"
    assert model.crawler_view is not None and model.crawler_view.ok
    # A term only the cloaked block carries: in the crawler's view, not in what a person is shown.
    assert any("娱乐城开户送彩金" in text for text in cloaked)
    assert "娱乐城开户送彩金" in model.crawler_view.text
    assert "娱乐城开户送彩金" not in model.home.text
    # What the checks read of the two views, taken at crawl time.
    assert "娱乐城开户送彩金" in model.crawler_facts.visible_text
    assert (
        "娱乐城开户送彩金" not in model.page_facts[0].visible_text
        and model.page_facts[0].url == model.home.url
    )


def test_articles_messages_and_guides_are_read():
    site, model = crawl("www.shiwan.gov.cn")
    assert len(model.articles) >= 10
    assert all(a.column and a.text for a in model.articles)
    assert model.messages and all(m.column for m in model.messages)
    assert any(not m.answered for m in model.messages)
    assert model.guides and all(g.elements for g in model.guides)
    assert model.sample_pages[0] is model.home
