"""Resident memory of one process that imports the typo detector and warms it.

    python bench/typo_rss.py            # the detector's tables (spelling.warm)
    python bench/typo_rss.py --worker   # everything a check worker warms (warm_checks: + near-miss lexicon)

Prints RSS after import, after loading every table and after a few texts through content.typo's
text function, and the peak; then how much of the RSS is file-backed (the mmap'd table cache:
clean pages the kernel shares between processes reading the same file and can reclaim) and how
much is the process's own (anonymous). Run it twice: the first run of a new install builds the
caches (in child processes, not counted here). (Other processes on the machine do not change it.)
"""

from __future__ import annotations

import resource
import sys
import time

TEXTS = [
    "国家发展改革委关于推进大数局产业发展的意见，建设工程康震工作所需经费列入预算。",
    "人民法院接受申清后，必须在四十八小时内作出裁定；有证据征明犯罪事实是犯罪嫌疑人实施的。",
    "各乡镇要加强对最低生活保障标准的公示，做好群众来信来访的答复工作，作出绝顶后及时告知。",
]


def status_mb(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str]) -> None:
    start = time.perf_counter()
    base = status_mb("VmRSS")
    from govinspect.checks import spelling, warm_checks
    from govinspect.checks.content import typo_text_findings

    imported = status_mb("VmRSS")
    if "--worker" in argv:
        warm_checks()
    else:
        spelling.warm()
    warmed = status_mb("VmRSS")
    for text in TEXTS:
        typo_text_findings(text)
    used = status_mb("VmRSS")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"RSS MB: start {base:.0f}, imported {imported:.0f}, warmed {warmed:.0f}, after {len(TEXTS)} texts {used:.0f}, "
        f"peak {peak:.0f}; {time.perf_counter() - start:.1f} s"
    )
    print(f"  of which file-backed {status_mb('RssFile'):.0f} (shared, reclaimable), anonymous {status_mb('RssAnon'):.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
