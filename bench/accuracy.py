"""Precision, recall and F1 per check id: on the demo farm's ground truth (the whole inspection,
crawl included) and on the labelled evaluation set of the detectors (bench/detectors.py).

    python bench/accuracy.py [--as-of YYYY-MM-DD]

Serves the demo farm on 127.0.0.1, inspects every site through it as `govinspect demo` does, and
compares each finding with the farm's `expected` list (column checks by column; link, text,
spam, guide and message checks by URL; the rest by check id and site).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections import Counter

from govinspect.crawl import CrawlBudget
from govinspect.demo import FarmServer, build_farm
from govinspect.fetch import FetchSettings
from govinspect.registry import SiteTarget
from govinspect.service import inspect_sites
from govinspect.settings import Settings


def finding_key(host: str, check: str, column: str, url: str) -> tuple[str, str, str]:
    if check.startswith("column."):
        return (host, check, column)
    if check.startswith(("links.", "content.", "security.", "service.")) or check in (
        "interact.unanswered",
        "interact.slow_reply",
    ):
        return (host, check, url)
    return (host, check, "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args()

    farm = build_farm(args.as_of)
    with FarmServer(farm) as server:
        settings = Settings(
            as_of=args.as_of,
            out_dir=None,
            crawl=CrawlBudget(probes=3, probe_interval_s=1.0),
            fetch=FetchSettings(proxy=server.proxy_url, trust_env=False),
        )
        targets = [SiteTarget(url=s.url, name=s.name) for s in farm.sites]
        t0 = time.monotonic()
        outcomes = inspect_sites(targets, repo=None, settings=settings)
        elapsed = time.monotonic() - t0

    by_url = {o.inspection.url: o.inspection for o in outcomes}
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for site in farm.sites:
        got = {finding_key(site.host, f.check, f.column, f.url) for f in by_url[site.url].findings}
        want = {finding_key(site.host, e.check, e.column, e.url) for e in site.expected}
        for k in got & want:
            tp[k[1]] += 1
        for k in got - want:
            fp[k[1]] += 1
        for k in want - got:
            fn[k[1]] += 1

    checks = sorted(set(tp) | set(fp) | set(fn))
    print(
        f"{'check':28} {'expected':>8} {'found':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7}"
    )
    for check in checks:
        found, expected = tp[check] + fp[check], tp[check] + fn[check]
        precision = tp[check] / found if found else 1.0
        recall = tp[check] / expected if expected else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(
            f"{check:28} {expected:8} {found:6} {tp[check]:4} {fp[check]:4} {fn[check]:4} "
            f"{precision:9.3f} {recall:7.3f} {f1:6.3f}"
        )
    pages = sum(o.inspection.stats.get("pages", 0) for o in outcomes)
    links = sum(o.inspection.stats.get("links_checked", 0) for o in outcomes)
    print(
        f"\n{len(farm.sites)} sites, {pages} pages, {links} links checked in {elapsed:.2f} s (as of {args.as_of})"
    )
    healthy = [s.host for s in farm.sites if s.healthy]
    clean = [h for h in healthy if not by_url[f"http://{h}/"].findings]
    print(f"healthy sites without any finding: {len(clean)}/{len(healthy)}")

    # The labelled evaluation set (hard cases included), scored by bench/detectors.py.
    from detectors import defacement_cases, load_cases, score_cases, score_defacement

    table = score_cases(load_cases())
    table["security.defacement"] = score_defacement(defacement_cases())
    print("\nLabelled evaluation set (tests/fixtures/detectors/cases.json + defacement pairs):")
    print(f"{'check':28} {'precision':>9} {'recall':>7} {'F1':>6}   tp fp fn tn")
    for check, row in table.items():
        print(
            f"{check:28} {row['precision']:9.3f} {row['recall']:7.3f} {row['f1']:6.3f}  "
            f"{row['tp']:3} {row['fp']:2} {row['fn']:2} {row['tn']:2}"
        )


if __name__ == "__main__":
    main()
