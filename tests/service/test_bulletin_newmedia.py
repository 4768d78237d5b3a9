"""政务新媒体 in the 通报 (INDICATORS §9e): pass rate per platform and the failing accounts, from the
newest stored check of each running account in the run's period, limited like the sites for a
regional supervisor (accounts whose 开办单位 runs one of their sites)."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from openpyxl import load_workbook

from govinspect.newmedia.model import Account
from govinspect.service import workflow as wf
from govinspect.store import Store
from govinspect.workflow import documents

DAY = dt.date(2026, 11, 2)


def _check(platform, account_id, name, organiser, verdict, *, vetoes=(), findings=()):
    """A stored check as newmedia.service.AccountOutcome.to_dict() writes it."""
    return {
        "platform": platform,
        "account_id": account_id,
        "name": name,
        "organiser": organiser,
        "connector_status": "ok" if verdict != "unverified" else "blocked",
        "verdict": verdict,
        "vetoes": list(vetoes),
        "findings": list(findings),
    }


STALE = {"check": "newmedia.stale", "severity": "veto", "points": 0, "message": "两周内未更新"}
TYPO = {"check": "content.typo", "severity": "deduct", "points": 1, "message": "错别字：“淡味”应为“单位”"}


def _store(tmp_path) -> tuple[Store, dict[str, int]]:
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    ids = {
        "甲": store.upsert_site(
            "甲县政府", "http://www.a.gov.cn/", region="甲市", level="县", organiser="甲县政府办"
        ),
        "乙": store.upsert_site(
            "乙县政府", "http://www.b.gov.cn/", region="乙市", level="县", organiser="乙县政府办"
        ),
    }
    accounts = [
        Account("微信公众号", "jia-wx", "甲县发布", organiser="甲县政府办"),
        Account("微信公众号", "yi-wx", "乙县发布", organiser="乙县政府办"),
        Account("微博", "jia-wb", "甲县微博", organiser="甲县政府办"),
        Account("微博", "yi-wb", "乙县微博", organiser="乙县政府办"),
        Account("抖音", "yi-dy", "乙县抖音", organiser="乙县政府办"),
        Account("头条号", "old", "已关停账号", organiser="甲县政府办", status="关停"),
    ]
    checks = [
        # an old failure of jia-wx, then a pass in the period: the newest check counts
        (DAY - dt.timedelta(days=3), _check("微信公众号", "jia-wx", "甲县发布", "甲县政府办", "fail", vetoes=["newmedia.stale"], findings=[STALE])),
        (DAY - dt.timedelta(days=1), _check("微信公众号", "jia-wx", "甲县发布", "甲县政府办", "pass")),
        (DAY, _check("微信公众号", "yi-wx", "乙县发布", "乙县政府办", "fail", vetoes=["newmedia.stale"], findings=[TYPO, STALE])),
        (DAY, _check("微博", "jia-wb", "甲县微博", "甲县政府办", "pass")),
        (DAY, _check("微博", "yi-wb", "乙县微博", "乙县政府办", "unverified")),
        # before the period and after the run's date: not this 通报's
        (DAY - dt.timedelta(days=40), _check("抖音", "yi-dy", "乙县抖音", "乙县政府办", "fail", vetoes=["newmedia.stale"])),
        (DAY + dt.timedelta(days=1), _check("抖音", "yi-dy", "乙县抖音", "乙县政府办", "pass")),
        # a closed account is not rated
        (DAY, _check("头条号", "old", "已关停账号", "甲县政府办", "fail", vetoes=["newmedia.zombie"])),
    ]  # fmt: skip
    with store.unit_of_work() as uow:
        uow.newmedia.replace_all(accounts)
        for as_of, row in checks:
            uow.newmedia_checks.add(as_of, row)
    return store, ids


def _run(store: Store) -> int:
    params = wf.sample_parameters(ratio="1", count=None, by=["region"], min_per_group=0, seed="1", as_of=DAY)
    return wf.draw_run(store, params, "admin").run_id


def test_rates_per_platform_and_failing_accounts(tmp_path):
    store, _ids = _store(tmp_path)
    stats = wf.run_results(store, _run(store))
    nm = stats.newmedia
    assert nm is not None
    rates = {k: (r.passed, r.failed, r.unchecked) for k, r in nm.by_platform.items()}
    assert rates == {"微信公众号": (1, 1, 0), "微博": (1, 0, 1)}  # registry order of platforms
    assert list(nm.by_platform) == ["微信公众号", "微博"]
    assert (nm.overall.passed, nm.overall.checked, str(nm.overall.percent)) == (2, 3, "66.67")
    assert [(a.platform, a.name, a.vetoes) for a in nm.failing] == [
        ("微信公众号", "乙县发布", ("政务新媒体不更新",))
    ]
    # the veto first among the problems, whatever order the check stored them in
    assert nm.failing[0].main_problems == ("两周内未更新", "错别字：“淡味”应为“单位”")
    assert [a.name for a in nm.unverified] == ["乙县微博"]
    text = "".join(documents.newmedia_paragraphs(stats))
    assert "检查政务新媒体账号4个" in text and "合格率66.67%" in text and "微信公众号50.00%" in text
    assert "1个账号未能完整读取" in text
    store.close()


def test_a_regional_supervisor_sees_the_accounts_of_their_organisers(tmp_path):
    store, ids = _store(tmp_path)
    run_id = _run(store)
    stats = wf.run_results(store, run_id, {ids["甲"]})
    assert {k: (r.passed, r.failed) for k, r in stats.newmedia.by_platform.items()} == {
        "微信公众号": (1, 0),
        "微博": (1, 0),
    }
    assert stats.newmedia.failing == ()
    store.close()


def test_bulletin_files_carry_the_platform_tables(tmp_path):
    store, _ids = _store(tmp_path)
    _stats, files = wf.bulletin_documents(store, ["docx", "xlsx"], run_id=_run(store))
    doc = Document(io.BytesIO(files["docx"]))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "政务新媒体分平台检查情况" in paragraphs and "检查发现存在问题的政务新媒体名单" in paragraphs
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert ["1", "微信公众号", "2", "1", "1", "0", "50.00"] in rows
    book = load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    platform_rows = list(book["附件4 政务新媒体分平台情况"].iter_rows(min_row=2, values_only=True))
    assert platform_rows == [(1, "微信公众号", 2, 1, 1, 0, 50.0), (2, "微博", 2, 1, 0, 1, 100.0)]
    failing = list(book["附件5 问题政务新媒体名单"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[3]) for r in failing] == [("微信公众号", "乙县发布", "乙县政府办")]
    store.close()


def test_no_account_checked_leaves_the_bulletin_as_it_was(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'g.db'}")
    store.upsert_site("甲县政府", "http://www.a.gov.cn/", region="甲市", level="县")
    stats, files = wf.bulletin_documents(store, ["docx", "xlsx"], run_id=_run(store))
    assert stats.newmedia is None and documents.newmedia_paragraphs(stats) == []
    assert "附件4 政务新媒体分平台情况" not in load_workbook(io.BytesIO(files["xlsx"])).sheetnames
    store.close()
