"""Per-check precision and recall of the 政务新媒体 checks on the demo farm's accounts.

    python bench/newmedia.py [--as-of 2026-11-22] [--random 200] [--seed 19]

Two sets, both served by the demo farm server and read through the real connectors:
1. the farm's hand-written accounts (demo/newmedia.py: fresh, stale, zombie, pinned, 432, malformed
   XML, future dates, bridge stopped, empty, 401, 404, WAF page, advert, typo, serious error, subject
   mismatch, unregistered, closed, manual evidence), truth written from the spec;
2. generated accounts (seeded): post ages drawn around the boundaries (13-15 days, 89-91 days),
   pinned posts, future posts and the four formats (RSS, Atom, JSON Feed, Weibo JSON), truth from
   the rule as INDICATORS §1b/§9e state it (`oracle` below), not from the checks' code.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

from govinspect.demo import FarmServer
from govinspect.demo.newmedia import (
    FEED_HOST,
    WEIBO_HOST,
    DemoPost,
    NewMediaCase,
    atom,
    build_newmedia_farm,
    json_feed,
    newmedia_only_farm,
    rss,
    weibo_json,
)
from govinspect.demo.types import Route
from govinspect.fetch.settings import FetchSettings
from govinspect.newmedia.connectors import as_of_noon
from govinspect.newmedia.model import Account
from govinspect.newmedia.service import check_accounts
from govinspect.rules import load_rubric

CHECKS = (
    "newmedia.stale",
    "newmedia.zombie",
    "newmedia.unverified",
    "newmedia.no_interaction",
    "newmedia.advert",
    "newmedia.unregistered",
    "newmedia.subject_mismatch",
    "content.fake_date",
    "content.typo",
    "content.serious_error",
)
AGES = (0, 1, 3, 7, 13, 14, 15, 16, 30, 60, 89, 90, 91, 92, 200)
STALE_DAYS, ZOMBIE_DAYS = 14, 90


def oracle(posts: list[DemoPost]) -> set[str]:
    """The rule as written: the newest post that is neither pinned nor in the future decides;
    more than 14 days old is stale, more than 90 days a zombie; a future post is reported."""
    expected = set()
    if any(p.days_ago < -1 for p in posts):
        expected.add("content.fake_date")
    proving = [p.days_ago for p in posts if p.kind != "置顶" and p.days_ago >= 0]
    if not proving:
        return expected | {"newmedia.unverified"}
    if min(proving) > STALE_DAYS:
        expected.add("newmedia.stale")
    if min(proving) > ZOMBIE_DAYS:
        expected.add("newmedia.zombie")
    return expected


def random_cases(as_of: dt.date, count: int, seed: int) -> tuple[list[NewMediaCase], dict[str, Route]]:
    rng = random.Random(seed)
    cases, routes = [], {}
    for i in range(count):
        ages = sorted(rng.sample(AGES, rng.randint(1, 4)))
        posts = [
            DemoPost(f"第{i}号账号动态{j}", "县里召开会议，部署近期重点工作。", age)
            for j, age in enumerate(ages)
        ]
        if rng.random() < 0.3:  # a pinned post, old or recent
            posts.insert(0, DemoPost("置顶公告", "欢迎关注。", rng.choice((1, 5, 200)), "置顶"))
        if rng.random() < 0.15:
            posts.insert(0, DemoPost("预发布内容", "预发布。", -rng.choice((5, 40))))
        fmt = rng.choice(("rss", "atom", "json", "weibo"))
        if fmt == "weibo":
            uid = f"6{i:09d}"
            url = f"http://{WEIBO_HOST}/api/container/getIndex?containerid=107603{uid}"
            body, ctype, platform = weibo_json(uid, posts, as_of), "application/json", "微博"
        else:
            url = f"http://{FEED_HOST}/gen/{i}.{fmt}"
            if fmt == "rss":
                # Bridges mark pinned posts in the title; plain feeds order newest first.
                body, ctype = rss(f"账号{i}", f"https://x/{i}", posts, as_of), "application/rss+xml"
            elif fmt == "atom":
                body, ctype = (
                    atom(f"账号{i}", f"https://x/{i}", [p for p in posts if p.kind != "置顶"], as_of),
                    "application/atom+xml",
                )
                posts = [p for p in posts if p.kind != "置顶"]
            else:
                body, ctype = (
                    json_feed(f"账号{i}", f"https://x/{i}", [p for p in posts if p.kind != "置顶"], as_of),
                    "application/feed+json",
                )
                posts = [p for p in posts if p.kind != "置顶"]
            platform = "微信公众号"
        routes[url] = Route(content_type=f"{ctype}; charset=utf-8", body=body)
        account = Account(platform, f"gen{i}", f"生成账号{i}", organiser="青山县人民政府", feed_url=url)
        cases.append(NewMediaCase(account, frozenset(oracle(posts)), fmt))
    return cases, routes


def run(cases: list[NewMediaCase], routes: dict[str, Route], as_of: dt.date, nm) -> list:
    nm.routes = routes
    with FarmServer(newmedia_only_farm(nm)) as server:
        settings = FetchSettings(proxy=server.proxy_url, retries=0)
        return asyncio.run(
            check_accounts(
                [c.account for c in cases],
                as_of=as_of,
                rubric=load_rubric(),
                fetch_settings=settings,
                host_delay_s=0,
                now=as_of_noon(as_of),
            )
        )


def score(cases: list[NewMediaCase], outcomes: list) -> tuple[dict[str, Counter], list[str]]:
    counts: dict[str, Counter] = {c: Counter() for c in CHECKS}
    misses = []
    for case, outcome in zip(cases, outcomes, strict=True):
        got = {f.check for f in outcome.findings}
        for check in CHECKS:
            if check in got and check in case.expected:
                counts[check]["tp"] += 1
            elif check in got:
                counts[check]["fp"] += 1
                misses.append(f"  误报 {check}: {case.account.name}（{case.note}）")
            elif check in case.expected:
                counts[check]["fn"] += 1
                misses.append(f"  漏报 {check}: {case.account.name}（{case.note}）")
    return counts, misses


def print_table(title: str, counts: dict[str, Counter], outcomes: list) -> None:
    print(f"\n{title}")
    print(f"{'check':<28}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for check, c in counts.items():
        if not (c["tp"] or c["fp"] or c["fn"]):
            continue
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(f"{check:<28}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}{p:>11.3f}{r:>8.3f}")
    bad_veto = sum(o.result.status != "ok" and bool(o.vetoes) for o in outcomes)
    statuses = Counter(o.result.status for o in outcomes)
    print(f"accounts {len(outcomes)}; connector status {dict(statuses)}; vetoes on a non-ok read: {bad_veto}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="政务新媒体检查项在演示账号上的精确率与召回率")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 11, 22))
    parser.add_argument("--random", type=int, default=200, help="生成账号数")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        nm = build_newmedia_farm(args.as_of, Path(tmp) / "manual.csv")
        nm.write_manual()
        outcomes = run(nm.cases, dict(nm.routes), args.as_of, nm)
        counts, misses = score(nm.cases, outcomes)
        print_table(f"1. 演示账号（{len(nm.cases)}个，检查日 {args.as_of}）", counts, outcomes)
        print("\n".join(misses) or "  无误报、漏报")
        generated, routes = random_cases(args.as_of, args.random, args.seed)
        outcomes = run(generated, routes, args.as_of, nm)
        counts, misses = score(generated, outcomes)
        print_table(f"2. 生成账号（{len(generated)}个，seed {args.seed}，边界日期附近）", counts, outcomes)
        print("\n".join(misses[:20]) or "  无误报、漏报")
    return 0


if __name__ == "__main__":
    sys.exit(main())
