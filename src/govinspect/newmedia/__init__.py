"""政务新媒体: government accounts on WeChat, Weibo, Douyin, Toutiao ... read through connectors.

    result = await fetch_recent(account, as_of=day, window_days=14, fetcher=f)   # connectors.py
    findings = check_account(account, result, as_of=day, rubric=rubric)           # checks.py

Connectors never raise for a bad source: they return a FetchResult whose status says what they
saw (ok / empty / blocked / auth_expired / not_found / partial). The checks judge staleness only
on `ok` with the whole window covered; anything else is `newmedia.unverified` (请人工核实).
"""

from govinspect.newmedia.model import (
    CHINA_TZ,
    KINDS,
    PLATFORMS,
    STATUSES,
    Account,
    FetchResult,
    Post,
)

__all__ = ["CHINA_TZ", "KINDS", "PLATFORMS", "STATUSES", "Account", "FetchResult", "Post"]
