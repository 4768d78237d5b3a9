"""Precision, recall and F1 per check id: on the demo farm's ground truth (the whole inspection,
crawl included) and on the labelled evaluation set of the detectors (bench/detectors.py).

    python bench/accuracy.py [--as-of YYYY-MM-DD] [--json FILE]

Serves the demo farm on 127.0.0.1, inspects every site through it as `govinspect demo` does, and
compares each finding with the farm's `expected` list (column checks by column; link findings by
the dead URL, evidence.target; text, spam, guide and message checks by URL; the rest by check id
and site). Three tables: the whole farm, the first farm's sites, and the sites built like other CMS
families (`new_layout`). Then the veto verdicts of the first farm's sites against the ones
measured before those layouts were added (bench/farm_vetoes_first_farm_baseline.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from govinspect.crawl import CrawlBudget
from govinspect.demo import FarmServer, build_farm
from govinspect.demo.scoring import Score, score_sites, veto_changes
from govinspect.fetch import FetchSettings
from govinspect.registry import SiteTarget
from govinspect.service import inspect_sites
from govinspect.settings import Settings

VETO_BASELINE = Path(__file__).with_name("farm_vetoes_first_farm_baseline.json")


def print_table(title: str, table: dict[str, Score]) -> None:
    print(f"\n{title}")
    print(
        f"{'check':28} {'expected':>8} {'found':>6} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>9} {'recall':>7} {'F1':>6}"
    )
    for check, s in table.items():
        print(
            f"{check:28} {s.tp + s.fn:8} {s.tp + s.fp:6} {s.tp:4} {s.fp:4} {s.fn:4} "
            f"{s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f}"
        )
    total = Score(
        sum(s.tp for s in table.values()),
        sum(s.fp for s in table.values()),
        sum(s.fn for s in table.values()),
    )
    print(
        f"{'(all checks, micro)':28} {total.tp + total.fn:8} {total.tp + total.fp:6} {total.tp:4} {total.fp:4} "
        f"{total.fn:4} {total.precision:9.3f} {total.recall:7.3f} {total.f1:6.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--json", type=Path, help="also write the tables as JSON")
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
    old = [s for s in farm.sites if not s.new_layout]
    new = [s for s in farm.sites if s.new_layout]
    tables = {
        "all": score_sites(farm.sites, by_url),
        "old_farm": score_sites(old, by_url),
        "new_layouts": score_sites(new, by_url),
    }
    print_table(f"Whole farm ({len(farm.sites)} sites)", tables["all"])
    print_table(f"First farm only ({len(old)} sites)", tables["old_farm"])
    print_table(
        f"New layouts only ({', '.join(s.layout for s in new)}; {len(new)} sites)",
        tables["new_layouts"],
    )

    pages = sum(o.inspection.stats.get("pages", 0) for o in outcomes)
    links = sum(o.inspection.stats.get("links_checked", 0) for o in outcomes)
    print(
        f"\n{len(farm.sites)} sites, {pages} pages, {links} links checked in {elapsed:.2f} s (as of {args.as_of})"
    )
    healthy = [s.host for s in farm.sites if s.healthy]
    clean = [h for h in healthy if not by_url[f"http://{h}/"].findings]
    print(f"healthy sites without any finding: {len(clean)}/{len(healthy)}")

    vetoes_now = {s.host: list(by_url[s.url].vetoes) for s in farm.sites}
    before = json.loads(VETO_BASELINE.read_text(encoding="utf-8"))["vetoes"]
    changed = veto_changes(before, vetoes_now)
    print(
        f"\nVeto verdicts changed on the first farm since the CMS-family layouts were added: {len(changed)} of {len(before)} sites"
    )
    for line in changed:
        print(f"  {line}")
    for site in new:
        print(f"  new layout {site.host}: vetoes {vetoes_now[site.host]}")

    if args.json:
        data = {
            name: {
                c: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": s.precision, "recall": s.recall}
                for c, s in table.items()
            }
            for name, table in tables.items()
        }
        data["veto_changes_old_farm"] = changed
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

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
