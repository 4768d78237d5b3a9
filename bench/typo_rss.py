"""Resident memory of one process that imports the typo detector and warms it.

    python bench/typo_rss.py

Prints RSS after import, after loading every table (spelling.warm) and after one text through
content.typo's text function, and the peak. (Other processes on the machine do not change it.)
"""

from __future__ import annotations

import resource
import time


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    start = time.perf_counter()
    base = rss_mb()
    from govinspect.checks import spelling
    from govinspect.checks.content import typo_text_findings

    imported = rss_mb()
    spelling.warm()
    warmed = rss_mb()
    typo_text_findings("国家发展改革委关于推进大数局产业发展的意见，建设工程康震工作所需经费列入预算。")
    used = rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"RSS MB: start {base:.0f}, imported {imported:.0f}, warmed {warmed:.0f}, after one text {used:.0f}, "
        f"peak {peak:.0f}; {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
