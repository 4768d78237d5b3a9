"""What every check receives besides the site model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from govinspect.model import Finding, SiteModel
from govinspect.rules.rubric import THRESHOLD_DEFAULTS, Rubric


@dataclass(frozen=True)
class CheckContext:
    as_of: dt.date
    rubric: Rubric

    def days(self, key: str) -> int:
        return int(self.rubric.threshold(key))

    def threshold(self, key: str) -> float:
        """The rubric's value, else the local default (rules/rubric.py THRESHOLD_DEFAULTS)."""
        return self.rubric.thresholds.get(key, THRESHOLD_DEFAULTS[key])


Check = Callable[[SiteModel, CheckContext], list[Finding]]
