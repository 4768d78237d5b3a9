"""Every default in one place, and the GOVINSPECT_* environment variables that change them.

    settings = Settings.from_env()          # defaults, then the environment
    settings = settings.with_options(max_pages=100, proxy=None)   # then the CLI's options (None = keep)

Variables: GOVINSPECT_DATABASE_URL, GOVINSPECT_OUT, GOVINSPECT_FORMATS (json,html,...),
GOVINSPECT_RUBRIC, GOVINSPECT_SITE_CONCURRENCY, GOVINSPECT_CHECK_PROCESSES (0: checks in a thread), GOVINSPECT_TIMEOUT (per request and per probe),
GOVINSPECT_MAX_PAGES, GOVINSPECT_PROBES, GOVINSPECT_PROXY, GOVINSPECT_RENDER, GOVINSPECT_ROBOTS,
GOVINSPECT_SITE_DEADLINE (seconds), GOVINSPECT_STARTED_BY, GOVINSPECT_VANTAGE, GOVINSPECT_NEWMEDIA_DELAY_S, GOVINSPECT_MONITOR_PROBE_INTERVAL /
GOVINSPECT_MONITOR_LIGHT_INTERVAL / GOVINSPECT_MONITOR_FULL_INTERVAL (seconds); GOVINSPECT_JIUCUO_PUBLIC_LIMIT / GOVINSPECT_JIUCUO_PUBLIC_WINDOW
(public 找错 submissions per client address per window of seconds); the distributed mode's
GOVINSPECT_BROKER_URL, GOVINSPECT_RESULT_BACKEND, GOVINSPECT_QUEUE, GOVINSPECT_TASK_TIME_LIMIT,
GOVINSPECT_TASK_RETRIES, GOVINSPECT_WORKER_MAX_MEMORY_KB; and any field of FetchSettings or CrawlBudget as
GOVINSPECT_FETCH_<FIELD> / GOVINSPECT_CRAWL_<FIELD> (e.g. GOVINSPECT_FETCH_PER_HOST=2).
GOVINSPECT_CACHE_DIR (default $XDG_CACHE_HOME/govinspect, else ~/.cache/govinspect) is read where it is
used, by checks/charlm.py (content.typo's character model, counted once and kept there): the checks
layer does not import this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import os
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from govinspect.crawl.site import CrawlBudget
from govinspect.fetch.settings import FetchSettings
from govinspect.rules import DEFAULT_RUBRIC

PREFIX = "GOVINSPECT_"
ALL_FORMATS = ("json", "html", "xlsx", "docx")


class SettingsError(ValueError):
    """A GOVINSPECT_* variable or option has a value that cannot be used (Chinese message)."""


def _who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"


@dataclass(frozen=True)
class Settings:
    fetch: FetchSettings = field(default_factory=FetchSettings)
    crawl: CrawlBudget = field(default_factory=CrawlBudget)
    database_url: str = "sqlite:///govinspect.db"
    out_dir: Path | None = Path("reports")  # None: no report files (the store keeps the reports)
    formats: tuple[str, ...] = ("json", "html")
    rubric: str = DEFAULT_RUBRIC
    # Sites inspected at once; None: from the request caps (`sites_at_once()`). The fetcher caps
    # requests globally (fetch.total) and per host (fetch.per_host, fetch.delay_s) either way.
    site_concurrency: int | None = None
    # Worker processes for the checks and scoring of finished sites (service/checkpool.py), kept
    # for the life of the process; 0: checks run in a thread of this process.
    check_processes: int = 1
    # Availability probe timeout; None: the rubric's probe_timeout_s (15 s in both official tables).
    probe_timeout_s: float | None = None
    as_of: dt.date | None = None  # staleness is judged as of this date (default: today)
    # Year-less dates on pages ("[11-20]") are read relative to the day of the crawl; only a
    # simulation (the demo farm built for another day) needs to set it.
    crawl_date: dt.date | None = None
    started_by: str = field(default_factory=_who)  # recorded with each run
    vantage: str = "local"  # where probes run from, recorded with each probe
    # Distributed mode (workers/): Celery over RabbitMQ (or Redis), PostgreSQL as the database.
    broker_url: str = "amqp://guest:guest@127.0.0.1:5672//"
    result_backend: str | None = None  # progress lives in the database; no result backend needed
    queue: str = "govinspect.inspect"  # inspections; probes get "<queue>.probe"
    # Per site, hard limit; must stay below the broker's redelivery window (RabbitMQ's
    # consumer_timeout, 30 min by default; with Redis the visibility timeout, set from this).
    task_time_limit_s: float = 1500.0
    task_retries: int = 2  # a failed site is tried again this many times, then stored as an error
    worker_max_memory_kb: int = 1_500_000  # a prefork child is replaced after using this much
    # 政务新媒体: least gap between two requests to one platform host (Weibo answers 432 to fast
    # clients); local choice.
    newmedia_delay_s: float = 1.0
    # The monitor daemon's schedule (seconds; a site's own override wins; 0 turns a job off).
    monitor_probe_interval_s: float = 1800.0  # 48 home-page probes a day; the rubric asks ≥ 20
    monitor_light_interval_s: float = 86400.0  # daily: home freshness, spam, defacement
    monitor_full_interval_s: float = 604800.0  # weekly full inspection
    # The public 找错 form and API: at most this many submissions per client address per window.
    jiucuo_public_limit: int = 10
    jiucuo_public_window_s: float = 600.0

    def effective_as_of(self) -> dt.date:
        return self.as_of or dt.date.today()

    def sites_at_once(self) -> int:
        """site_concurrency, or enough sites to keep the global request cap busy: one site uses
        at most per_host requests at a time (fewer with a politeness gap, about one), and spends
        part of its time on things that send none (probe intervals, checks), hence twice as many."""
        if self.site_concurrency is not None:
            return max(1, self.site_concurrency)
        fetch = self.fetch
        per_site = 1 if fetch.delay_s > 0 else max(1, fetch.per_host)
        return max(2, min(64, 2 * -(-fetch.total // per_site)))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = {k: v for k, v in (os.environ if environ is None else environ).items() if v.strip()}
        settings = cls()
        fetch = _nested(settings.fetch, env, PREFIX + "FETCH_")
        crawl = _nested(settings.crawl, env, PREFIX + "CRAWL_")
        settings = replace(settings, fetch=fetch, crawl=crawl)
        simple = {
            "database_url": "DATABASE_URL",
            "out_dir": "OUT",
            "rubric": "RUBRIC",
            "site_concurrency": "SITE_CONCURRENCY",
            "check_processes": "CHECK_PROCESSES",
            "started_by": "STARTED_BY",
            "vantage": "VANTAGE",
            "broker_url": "BROKER_URL",
            "result_backend": "RESULT_BACKEND",
            "queue": "QUEUE",
            "task_time_limit_s": "TASK_TIME_LIMIT",
            "task_retries": "TASK_RETRIES",
            "worker_max_memory_kb": "WORKER_MAX_MEMORY_KB",
            "newmedia_delay_s": "NEWMEDIA_DELAY_S",
            "monitor_probe_interval_s": "MONITOR_PROBE_INTERVAL",
            "monitor_light_interval_s": "MONITOR_LIGHT_INTERVAL",
            "monitor_full_interval_s": "MONITOR_FULL_INTERVAL",
            "jiucuo_public_limit": "JIUCUO_PUBLIC_LIMIT",
            "jiucuo_public_window_s": "JIUCUO_PUBLIC_WINDOW",
        }
        values = {
            name: _parse(cls, name, env[PREFIX + var]) for name, var in simple.items() if PREFIX + var in env
        }
        settings = replace(settings, **values)
        if PREFIX + "FORMATS" in env:
            settings = replace(settings, formats=parse_formats(env[PREFIX + "FORMATS"]))
        return settings.with_options(
            timeout=_opt(env, "TIMEOUT", float),
            max_pages=_opt(env, "MAX_PAGES", int),
            probes=_opt(env, "PROBES", int),
            proxy=env.get(PREFIX + "PROXY"),
            render=env.get(PREFIX + "RENDER"),
            robots=_opt(env, "ROBOTS", _bool),
            site_deadline=_opt(env, "SITE_DEADLINE", float),
        )

    def with_options(
        self,
        *,
        timeout: float | None = None,
        max_pages: int | None = None,
        probes: int | None = None,
        proxy: str | None = None,
        render: str | None = None,
        robots: bool | None = None,
        screenshot_dir: str | None = None,
        site_deadline: float | None = None,
        **top: Any,
    ) -> Settings:
        """These settings with the options given (None keeps the current value)."""
        fetch, crawl = self.fetch, self.crawl
        if timeout is not None:
            fetch = replace(fetch, timeout_s=timeout)
            crawl = replace(crawl, probe_timeout_s=timeout)
        if render is not None and render not in ("auto", "never", "always"):
            raise SettingsError(f"--render 只能是 auto、never 或 always，而不是“{render}”")
        crawl_values = {
            "max_pages": max_pages,
            "probes": probes,
            "render": render,
            "screenshot_dir": screenshot_dir,
            "site_deadline_s": site_deadline,
        }
        crawl = replace(crawl, **{k: v for k, v in crawl_values.items() if v is not None})
        fetch_values = {"proxy": proxy, "respect_robots": robots}
        fetch = replace(fetch, **{k: v for k, v in fetch_values.items() if v is not None})
        rest = {k: v for k, v in top.items() if v is not None}
        probe_timeout = timeout if timeout is not None else self.probe_timeout_s
        return replace(self, fetch=fetch, crawl=crawl, probe_timeout_s=probe_timeout, **rest)


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in ALL_FORMATS]
    if unknown or not formats:
        raise SettingsError(
            f"不支持的报告格式：{'、'.join(unknown) or '（空）'}；可选：{', '.join(ALL_FORMATS)}"
        )
    return formats


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def _opt(env: Mapping[str, str], var: str, kind) -> Any:
    if PREFIX + var not in env:
        return None
    try:
        return kind(env[PREFIX + var])
    except ValueError as exc:
        raise SettingsError(f"环境变量 {PREFIX}{var} 的值“{env[PREFIX + var]}”无效") from exc


def _parse(cls: type, name: str, raw: str) -> Any:
    hint = typing.get_type_hints(cls)[name]
    options = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
    kind = options[0]
    try:
        if kind is bool:
            return _bool(raw)
        if kind in (int, float, str, Path):
            return kind(raw)
        if kind is dt.date:
            return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise SettingsError(f"环境变量中 {name} 的值“{raw}”无效") from exc
    raise SettingsError(f"设置项 {name} 不能用环境变量设置")


def _nested(current: Any, env: Mapping[str, str], prefix: str) -> Any:
    values = {}
    for f in dataclasses.fields(current):
        var = prefix + f.name.upper()
        if var in env:
            values[f.name] = _parse(type(current), f.name, env[var])
    return replace(current, **values) if values else current
