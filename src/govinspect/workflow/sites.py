"""A registry entry as the workflow sees it (基本信息数据库): the fields sampling and routing read.

The store's rows can be passed instead as long as they carry the same attribute names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LEVELS = ("国务院部门", "省", "市", "县", "乡镇")
KINDS = ("门户", "部门", "专项")
STATUSES = ("运行", "临时关停", "已关停", "已迁移")
# A closed or migrated site keeps its history but leaves future samples. 临时关停 stays in: the
# check finds the closure notice (or an unreachable site) and judges it.
LEFT_STATUSES = ("已关停", "已迁移")


@dataclass(frozen=True)
class RegistrySite:
    id: str  # stable registry id (the 网站标识码 where there is one)
    name: str
    url: str = ""
    site_code: str = ""
    level: str = ""
    kind: str = ""
    region: str = ""  # region name (地区), e.g. 杭州市
    organiser: str = ""  # 主办单位
    status: str = "运行"
    status_since: dt.date | None = None  # when the status took effect (closing or migration date)
    opened: dt.date | None = None  # when the site went online (新开设 in the annual report)
