"""Ground truth of the detector checks: every Expected points to real served content."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from functools import lru_cache
from urllib.parse import urljoin

import aiohttp
import pytest

from govinspect.demo import CHECK_IDS, DETECTOR_CHECK_IDS, Farm, FarmServer, build_farm
from govinspect.demo.content import GUIDE_ELEMENTS
from govinspect.demo.detectors import (
    CANNED_REPLY,
    COMMERCIAL_LINKS,
    SERIOUS_ERRORS,
    SPAM_HOSTS,
    TYPOS,
    VARIED_REPLIES,
    normalise_reply,
    similarity,
)
from govinspect.demo.farm import page_links
from govinspect.demo.types import DemoSite, Expected, is_search_engine

AS_OF = dt.date(2026, 11, 22)
HONGFENG, SHIWAN, LIUTANG = "www.hongfeng.gov.cn", "www.shiwan.gov.cn", "www.liutang.gov.cn"
BROWSER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
CRAWLER_UAS = (
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0);360Spider",
)


@lru_cache(maxsize=4)
def farm(as_of: dt.date = AS_OF) -> Farm:
    return build_farm(as_of)


def text_of(site: DemoSite, url: str, f: Farm | None = None) -> str:
    route = (f or farm()).resolve(url)
    assert route is not None and route.status == 200, url
    return route.body.decode("gb18030" if site.encoding == "gbk" else "utf-8")


def found(site: DemoSite, check: str) -> list[Expected]:
    return [e for e in site.expected if e.check == check]


def plain(html_text: str) -> str:
    return re.sub(r"<[^>]+>", "", html_text)


def article_body(html_text: str) -> str:
    m = re.search(r'<div class="article-content">(.*?)</div>', html_text, re.S)
    assert m
    return plain(m.group(1))


def test_every_detector_check_is_injected_and_ids_are_disjoint():
    exercised = {e.check for s in farm().sites for e in s.expected if e.check in DETECTOR_CHECK_IDS}
    assert exercised == set(DETECTOR_CHECK_IDS)
    assert not set(CHECK_IDS) & set(DETECTOR_CHECK_IDS)
    assert "security.defacement" not in DETECTOR_CHECK_IDS
    for site in farm().sites:
        for e in site.expected:
            assert e.check in CHECK_IDS or e.check in DETECTOR_CHECK_IDS


def test_healthy_sites_stay_free_of_any_problem():
    f = farm()
    for host in ("www.qingshan.gov.cn", "www.baishui.gov.cn"):
        assert f.site(host).expected == [] and f.site(host).healthy
    # Only the injected sites (and 河西区's broken guide form) carry detector truth.
    carriers = {s.host for s in f.sites if any(e.check in DETECTOR_CHECK_IDS for e in s.expected)}
    # The CMS-family sites: 桥头县 an incomplete numbered-heading guide, 云溪区 a cloaked list page.
    assert carriers == {
        HONGFENG,
        SHIWAN,
        LIUTANG,
        "www.hexi.gov.cn",
        "www.qiaotou.gov.cn",
        "www.yunxi.gov.cn",
    }


def test_wrong_forms_are_served_exactly_where_expected():
    f = farm()
    for site in f.sites:
        for check, lexicon in (("content.serious_error", SERIOUS_ERRORS), ("content.typo", TYPOS)):
            want = {(e.url, e.text) for e in found(site, check)}
            got = set()
            for url in site.pages():
                page = text_of(site, url)
                got |= {(url, wrong) for wrong, _, _ in lexicon.values() if wrong in page}
            assert got == want, (site.host, check)
    serious = {e.text for s in f.sites for e in found(s, "content.serious_error")}
    assert serious == {"习近乎", "中国特色社会主意", "不忘初心、牢记使名"}
    assert {e.text for s in f.sites for e in found(s, "content.typo")} == {w for w, _, _ in TYPOS.values()}


def test_correct_forms_are_hard_negatives_on_unflagged_articles():
    f = farm()
    for right in ["习近平", "中国特色社会主义", "不忘初心、牢记使命", *[r for _, r, _ in TYPOS.values()]]:
        pages = [
            (s, url) for s in f.sites for url in s.pages() if right in article_body_or_empty(text_of(s, url))
        ]
        flagged = {e.url for s in f.sites for e in s.expected if e.check.startswith("content.")}
        assert any(url not in flagged for _, url in pages), right


def article_body_or_empty(html_text: str) -> str:
    m = re.search(r'<div class="article-content">(.*?)</div>', html_text, re.S)
    return plain(m.group(1)) if m else ""


def test_legit_lottery_sentence_and_commercial_links_are_not_spam():
    f = farm()
    shiwan = f.site(SHIWAN)
    assert found(shiwan, "security.spam_injection") == []
    home = text_of(shiwan, shiwan.url)
    for name, url in COMMERCIAL_LINKS:
        assert f'<a href="{url}" target="_blank">{name}</a>' in home
        assert f.resolve(url).status == 200
    assert any("福利彩票公益金" in text_of(shiwan, u) for u in shiwan.pages())


def test_hidden_spam_blocks_are_in_the_page_and_their_hosts_answer_200():
    f = farm()
    styles = {
        "display:none": 'style="display:none"',
        "visibility:hidden": "visibility: hidden",
        "offscreen": "left:-9999px",
        "font-size:0": "font-size:0",
        "same-colour": "color:#FFFFFF;background-color:#FFFFFF",
        "css-class": "{display:none}",
        "document.write": "document.write('",
    }
    seen = set()
    for site in f.sites:
        for e in found(site, "security.spam_injection"):
            seen.add(e.detail)
            route = f.resolve(e.url)
            page = text_of(site, e.url)
            crawler = route.body_for(CRAWLER_UAS[0]).decode(site.encoding)
            for word in e.text.split():
                if e.detail == "cloaked":
                    assert word in crawler
                else:
                    assert word in page and styles[e.detail] in page
            if e.detail == "cloaked":
                assert e.text.split()[-1] not in page  # e.g. 娱乐城开户送彩金, 真人视讯 only for crawlers
    assert seen == {*styles, "cloaked"}
    for host in SPAM_HOSTS:
        assert f.resolve(f"http://{host}/").status == 200
    # Spam hosts are linked only from the pages that carry a spam finding.
    for site in f.sites:
        flagged = {e.url for e in found(site, "security.spam_injection")}
        for url, route in site.pages().items():
            hosts = {u.split("/")[2] for u in page_links(site, route, url)}
            assert not (hosts & set(SPAM_HOSTS)) or url in flagged or url.endswith("/index.html"), url


def test_search_engine_detection():
    assert all(is_search_engine(ua) for ua in CRAWLER_UAS)
    assert not is_search_engine(BROWSER_UA)
    assert is_search_engine(BROWSER_UA, "https://www.baidu.com/s?wd=%E7%BA%A2%E6%9E%AB%E5%8E%BF")
    assert is_search_engine(BROWSER_UA, "http://www.sogou.com/web?query=x")
    assert not is_search_engine(BROWSER_UA, "http://www.hongfeng.gov.cn/")
    assert not is_search_engine(BROWSER_UA, "http://baidu.com.evil.example/")


async def _fetch_all(proxy: str, url: str, requests: list[dict[str, str]]) -> list[bytes]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        out = []
        for headers in requests:
            async with session.get(url, proxy=proxy, headers=headers) as resp:
                assert resp.status == 200
                out.append(await resp.read())
        return out


@pytest.mark.parametrize("host", [HONGFENG, LIUTANG])
def test_cloaked_links_are_served_only_to_crawlers(host):
    f = farm()
    site = f.site(host)
    cloaked = next(e for e in found(site, "security.spam_injection") if e.detail == "cloaked")
    marker = cloaked.text.split()[-1].encode(site.encoding)
    requests = [{"User-Agent": BROWSER_UA}]
    requests += [{"User-Agent": ua} for ua in CRAWLER_UAS]
    requests += [{"User-Agent": BROWSER_UA, "Referer": "https://www.baidu.com/link?url=abc"}]
    with FarmServer(f) as server:
        bodies = asyncio.run(_fetch_all(server.proxy_url, site.url, requests))
    browser, *crawlers = bodies
    assert marker not in browser and browser == site.routes["/"].body
    assert all(marker in body and body == site.routes["/"].crawler_body for body in crawlers)
    assert len(crawlers[0]) > len(browser)


def test_list_and_article_dates_of_fake_dates():
    f = farm()
    site = f.site(HONGFENG)
    fakes = {e.detail: e for e in found(site, "content.fake_date")}
    assert set(fakes) == {"future", "list_mismatch"}
    future = fakes["future"]
    d = dt.date.fromisoformat(future.text)
    assert 20 <= (d - f.as_of).days <= 50
    listing = text_of(site, urljoin(site.url, site.column(future.column).path))
    assert f'href="{future.url.removeprefix(site.url[:-1])}"' in listing and d.isoformat() in listing
    assert f"发布时间：{d.isoformat()}" in text_of(site, future.url)
    mismatch = fakes["list_mismatch"]
    list_date, page_date = mismatch.text.split("≠")
    listing = text_of(site, urljoin(site.url, site.column(mismatch.column).path))
    path = mismatch.url.removeprefix(site.url[:-1])
    assert re.search(re.escape(path) + r'"[^>]*>[^<]+</a><span class="date">' + list_date, listing)
    page = text_of(site, mismatch.url)
    assert f"发布时间：{page_date}" in page and f"发布时间：{list_date}" not in page
    # Only these two articles carry a date problem anywhere in the farm.
    assert sum(len(found(s, "content.fake_date")) for s in f.sites) == 2


def test_twin_reports_are_near_identical_and_no_other_reports_are():
    f = farm()
    site = f.site(SHIWAN)
    [twin] = found(site, "content.duplicate")
    a, b = text_of(site, twin.url), text_of(site, twin.text)
    assert similarity(article_body(a), article_body(b)) >= 0.9
    title = re.compile(r'<h1 class="article-title">([^<]+)</h1>')
    assert title.search(a).group(1) != title.search(b).group(1)
    listing = text_of(site, urljoin(site.url, site.column(twin.column).path))
    assert twin.url.rsplit("/", 1)[1] in listing and twin.text.rsplit("/", 1)[1] in listing


def messages(site: DemoSite) -> dict[str, str]:
    """Message page URL -> its HTML, from the 领导信箱 list (one page: at most 14 messages)."""
    list_url = urljoin(site.url, site.column("领导信箱").path)
    hrefs = re.findall(r'<td class="title"><a href="([^"]+)"', text_of(site, list_url))
    return {urljoin(list_url, h): text_of(site, urljoin(list_url, h)) for h in hrefs}


def field(page: str, name: str) -> str | None:
    m = re.search(rf"<th[^>]*>{name}</th><td>([^<]*)</td>", page)
    return m.group(1) if m else None


def test_unanswered_and_slow_messages_show_it_on_their_pages():
    f = farm()
    site = f.site(SHIWAN)
    pages = messages(site)
    unanswered = {e.url for e in found(site, "interact.unanswered")}
    slow = {e.url for e in found(site, "interact.slow_reply")}
    assert len(unanswered) == len(slow) == 2
    listing = text_of(site, urljoin(site.url, site.column("领导信箱").path))
    assert listing.count("待回复") == 2
    for url, page in pages.items():
        asked = dt.date.fromisoformat(field(page, "留言时间")[:10])
        if url in unanswered:
            assert "回复内容" not in page and field(page, "办理状态") == "待回复"
            assert 120 <= (f.as_of - asked).days <= 245
            continue
        replied = dt.date.fromisoformat(field(page, "回复时间"))
        days = (replied - asked).days
        assert (40 <= days <= 90) if url in slow else (0 <= days <= 7), url


def test_canned_replies_versus_replies_that_only_share_a_greeting():
    f = farm()
    canned_site = f.site(HONGFENG)
    [canned] = found(canned_site, "interact.canned_reply")
    assert canned.text == CANNED_REPLY
    replies = [field(p, "回复内容") for p in messages(canned_site).values()]
    share = sum(normalise_reply(r) == normalise_reply(CANNED_REPLY) for r in replies) / len(replies)
    assert share >= 0.75 and CANNED_REPLY not in {r for r in replies if r != CANNED_REPLY}
    varied = [field(p, "回复内容") for p in messages(f.site(SHIWAN)).values() if field(p, "回复内容")]
    assert sum(r in VARIED_REPLIES.values() for r in varied) >= 6
    assert all(r.startswith("您好！") for r in varied if r in VARIED_REPLIES.values())
    assert len({normalise_reply(r) for r in varied}) == len(varied)
    for site in f.sites:  # no other site comes near the canned share
        if site.host == HONGFENG or not any(c.name == "领导信箱" for c in site.columns):
            continue
        replies = [field(p, "回复内容") for p in messages(site).values() if field(p, "回复内容")]
        top = max(replies.count(r) for r in replies)
        assert top / len(replies) <= 0.4, site.host


def test_no_channel_site_has_only_dead_entries():
    f = farm()
    site = f.site(LIUTANG)
    [e] = found(site, "interact.no_channel")
    assert e.url == site.url
    home = text_of(site, site.url)
    assert '<a href="javascript:void(0);"><img src="/images/ldxx.png" alt="领导信箱"' in home
    assert '<img src="/images/wsly.png" alt="网上留言"' in home
    assert not any(c.kind == "interact" for c in site.columns)
    anchors = re.findall(r'<a href="([^"]+)"[^>]*>(?:<[^>]+>)*([^<]*)', home)
    assert not [
        h for h, t in anchors if re.search("信箱|留言|咨询|投诉", t) and not h.startswith("javascript")
    ]
    for other in f.sites:
        assert bool(found(other, "interact.no_channel")) == (other.host == LIUTANG)


def guide_rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr><th width="120">([^<]+)</th><td>([^<]*)</td></tr>', page))


def test_incomplete_guides_and_the_wu_hard_negative():
    f = farm()
    for host in (HONGFENG, LIUTANG, SHIWAN):
        site = f.site(host)
        flagged = {e.url: e for e in found(site, "service.guide_incomplete")}
        col = site.column("办事指南")
        guide_urls = [u for u in site.pages() if "bszn" in u and u != urljoin(site.url, col.path)] or [
            urljoin(site.url, m)
            for m in re.findall(r'href="([^"]+)"', text_of(site, urljoin(site.url, col.path)))
            if "ShowArticle" in m
        ]
        wu = 0
        for url in guide_urls:
            rows = guide_rows(text_of(site, url))
            if not rows:
                continue
            missing = 10 - len(rows)
            empty = [k for k, v in rows.items() if v in ("", "暂无", "-")]
            if url in flagged:
                assert missing >= 4 or empty, url
                absent = [k for k in GUIDE_ELEMENTS if k not in rows]
                assert flagged[url].text.split("、") == (absent if missing >= 4 else []) + empty
            else:
                assert missing == 0 and not empty, url
            wu += rows.get("收费标准") == "无"
        assert wu == 1, host  # 收费标准：无 is a value, never flagged
    assert {e.detail for e in found(f.site(HONGFENG), "service.guide_incomplete")} == {"missing", "empty"}


def test_broken_form_is_both_a_broken_link_and_a_broken_attachment():
    f = farm()
    site = f.site(SHIWAN)
    [att] = found(site, "service.attachment_broken")
    assert f.resolve(att.url).status == 404
    assert [e.url for e in found(site, "links.broken_other")] == [att.url]
    assert any(att.url in page_links(site, r, u) for u, r in site.pages().items() if "bsznxq" in u)


@pytest.mark.slow
def test_detector_truth_is_deterministic_and_keeps_its_shape_on_other_days():
    def detector_view(f: Farm) -> dict[str, list[tuple[str, str, str]]]:
        return {
            s.host: sorted((e.check, e.column, e.detail) for e in s.expected if e.check in DETECTOR_CHECK_IDS)
            for s in f.sites
        }

    a, b = build_farm(AS_OF), build_farm(AS_OF)
    assert [s.expected for s in a.sites] == [s.expected for s in b.sites]
    assert [r.crawler_body for s in a.sites for r in s.routes.values()] == [
        r.crawler_body for s in b.sites for r in s.routes.values()
    ]
    reference = detector_view(a)
    for as_of in (dt.date(2027, 1, 3), dt.date(2028, 2, 29)):
        other = farm(as_of)
        assert detector_view(other) == reference, as_of
        for e in found(other.site(SHIWAN), "interact.unanswered"):
            assert (other.as_of - dt.date.fromisoformat(e.text)).days > 120
