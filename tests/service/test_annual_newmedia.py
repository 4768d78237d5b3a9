"""The 工作年度报表's 移动新媒体 block read from the 政务新媒体 registry (service/workflow.py)."""

from __future__ import annotations

import pytest

from govinspect.newmedia.model import Account
from govinspect.service import workflow as wf
from govinspect.store import Store
from govinspect.workflow.annual import AUTO, MISSING

SITE = "http://www.jiaxian.gov.cn/"


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'annual.db'}")
    store.upsert_site("甲县人民政府", SITE, organiser="甲县人民政府办公室", region="甲市")
    yield store
    store.close()


def _accounts(store: Store, *accounts: Account) -> None:
    with store.unit_of_work() as uow:
        uow.newmedia.replace_all(list(accounts))


def _cell(report, key: str):
    return next(c for c in report.cells() if c.key == key)


def test_registry_accounts_of_the_organiser_fill_the_block(store):
    office = "甲县人民政府办公室"
    _accounts(
        store,
        Account("微博", "1001", "甲县发布", organiser=office),
        Account("微信公众号", "jiaxian", "甲县政府网", organiser=office),
        Account("微信公众号", "jx2", "甲县政务", organiser=office),
        Account("抖音", "dy1", "甲县融媒", organiser=office),
        Account("微博", "1002", "甲县旧号", organiser=office, status="关停"),
        Account("微博", "2001", "乙县发布", organiser="乙县人民政府办公室"),
    )
    report = wf.annual_report(store, 2026, "work", site=SITE)
    assert _cell(report, "移动新媒体/是否有移动新媒体").value is True
    assert _cell(report, "移动新媒体/微博名称").value == "甲县发布"
    assert _cell(report, "移动新媒体/微信名称").value == "甲县政府网、甲县政务"
    assert _cell(report, "移动新媒体/其他").value == "抖音：甲县融媒"
    assert _cell(report, "移动新媒体/微博名称").source == AUTO
    # counts are not known for a whole year: left to the office
    assert _cell(report, "移动新媒体/微博信息发布量").source == MISSING
    with pytest.raises(wf.WorkflowError, match="由系统统计"):
        wf.set_annual_value(store, 2026, "work", "移动新媒体/微博名称", "别的", site=SITE, by="admin")


def test_no_registry_account_never_says_no(store):
    report = wf.annual_report(store, 2026, "work", site=SITE)
    assert _cell(report, "移动新媒体/是否有移动新媒体").source == MISSING
    wf.set_annual_value(store, 2026, "work", "移动新媒体/微博名称", "手填的微博", site=SITE, by="admin")
    # accounts imported later do not overwrite what the office entered by hand
    _accounts(store, Account("微博", "1001", "甲县发布", organiser="甲县人民政府办公室"))
    report = wf.annual_report(store, 2026, "work", site=SITE)
    assert _cell(report, "移动新媒体/微博名称").value == "手填的微博"
    assert _cell(report, "移动新媒体/是否有移动新媒体").value is True
