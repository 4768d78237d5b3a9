"""Demo farm: deterministic synthetic government websites with known problems, served on 127.0.0.1.

farm = build_farm(dt.date(2026, 11, 22))
with FarmServer(farm) as server:  # forward proxy + Host-routed server
    ...  # fetch http://www.qingshan.gov.cn/ with proxy=server.proxy_url
"""

from govinspect.demo.detectors import DETECTOR_CHECK_IDS
from govinspect.demo.farm import CHECK_IDS, THRESHOLDS, build_farm
from govinspect.demo.server import FarmServer
from govinspect.demo.types import DemoColumn, DemoSite, Expected, Farm, Route

__all__ = [
    "CHECK_IDS",
    "DETECTOR_CHECK_IDS",
    "THRESHOLDS",
    "DemoColumn",
    "DemoSite",
    "Expected",
    "Farm",
    "FarmServer",
    "Route",
    "build_farm",
]
