import datetime as dt
from dataclasses import replace

import pytest

from govinspect.workflow.calendar import Deadline
from govinspect.workflow.rectify import (
    EXPLAINED,
    FIXED,
    INCOMPLETE,
    OPEN,
    TransitionError,
    compare,
    decide_note,
    flagged_for_bulletin,
    open_tasks,
    overdue,
    record_recheck,
    submit_note,
)
from govinspect.workflow.results import Finding

from .sample_runs import current_run, site

T = dt.datetime(2026, 10, 20, 10, 0)


def tasks():
    # Opened Wed 2026-09-30, 5 working days: 10-8, 10-9, 10-10 (调休 Saturday), 10-12, 10-13.
    return {t.site_id: t for t in open_tasks(current_run(), opened=dt.date(2026, 9, 30), working_days=5)}


def s4_after(*findings, verdict="pass"):
    return site("s4", "宁波市政府", verdict, "宁波", "市", findings=findings)


def test_a_task_for_every_failing_site_with_a_working_day_deadline():
    opened = tasks()
    assert sorted(opened) == ["s2", "s4", "s7", "s9"]
    task = opened["s7"]
    assert task.deadline == Deadline(dt.date(2026, 10, 13), False)
    assert task.status == OPEN and task.run_id == "R2"
    assert [f.key for f in task.findings] == ["s7:typo", "s7:home", "s7:icp"]  # the info finding is no task
    assert task.history[0].action == "下发整改" and "2026年10月13日" in task.history[0].detail


def test_compare_by_stable_key():
    before = tasks()["s4"].findings  # s4:links, s4:icp, s4:empty
    after = s4_after(
        Finding("s4:icp", "norms.icp_missing", "deduct", 2, "未展示ICP备案编号"),
        Finding("s4:stale", "column.stale_dynamic", "deduct", 1, "动态栏目未更新"),
        Finding("s4:hint", "interact.channel_not_found", "info"),
    )
    result = compare(before, after)
    assert [f.key for f in result.fixed] == ["s4:links", "s4:empty"]
    assert [f.key for f in result.not_fixed] == ["s4:icp"]
    assert [f.key for f in result.new] == ["s4:stale"]
    assert result.incomplete


def test_recheck_fixed_and_incomplete():
    task = tasks()["s4"]
    incomplete = record_recheck(
        task, s4_after(Finding("s4:icp", "norms.icp_missing", "deduct", 2)), by="张三", when=T
    )
    assert incomplete.status == INCOMPLETE and incomplete.is_open
    assert incomplete.history[-1].detail == "已整改2项，未整改1项，新发现0项"
    assert flagged_for_bulletin([incomplete, task]) == [incomplete]
    fixed = record_recheck(incomplete, s4_after(), by="张三", when=T + dt.timedelta(days=3))
    assert fixed.status == FIXED and not fixed.is_open
    assert len(fixed.rechecks) == 2 and [e.action for e in fixed.history][-2:] == [
        "复查：整改不到位",
        "复查：已整改",
    ]
    with pytest.raises(TransitionError, match="已结束"):
        record_recheck(fixed, s4_after(), by="张三", when=T)


def test_every_earlier_problem_gone_but_a_new_veto_is_still_incomplete():
    after = s4_after(Finding("s4:spam", "security.spam_injection", "veto"), verdict="fail")
    assert record_recheck(tasks()["s4"], after, by="李四", when=T).status == INCOMPLETE


def test_unfinished_recheck_changes_nothing_but_the_history():
    task = tasks()["s4"]
    after = record_recheck(task, s4_after(verdict="error"), by="李四", when=T)
    assert after.status == OPEN and after.rechecks == () and after.history[-1].action == "复查未完成"


def test_note_rejected_then_accepted_is_kept_and_waives_its_finding():
    task = submit_note(tasks()["s4"], "ICP备案变更中", by="宁波市政府办", when=T, finding_keys=["s4:icp"])
    with pytest.raises(TransitionError, match="理由"):
        decide_note(task, 1, accepted=False, by="王五", when=T)
    task = decide_note(task, 1, accepted=False, by="王五", when=T, reason="未提供变更证明")
    task = submit_note(task, "附备案变更受理回执", by="宁波市政府办", when=T, finding_keys=["s4:icp"])
    task = decide_note(task, 2, accepted=True, by="王五", when=T)
    assert [(n.number, n.decision, n.reason) for n in task.notes] == [
        (1, "不采纳", "未提供变更证明"),
        (2, "采纳", ""),
    ]
    assert [e.action for e in task.history] == ["下发整改", "提交说明", "说明不采纳", "提交说明", "说明采纳"]
    assert task.status == OPEN  # a 说明 about one finding does not close the task
    done = record_recheck(
        task, s4_after(Finding("s4:icp", "norms.icp_missing", "deduct", 2)), by="王五", when=T
    )
    assert done.status == FIXED
    assert [f.key for f in done.rechecks[0].waived] == ["s4:icp"] and done.rechecks[0].not_fixed == ()
    with pytest.raises(TransitionError, match="已审核"):
        decide_note(task, 2, accepted=False, by="王五", when=T, reason="x")


def test_whole_task_note_accepted_closes_the_task():
    task = submit_note(tasks()["s9"], "该栏目已按要求撤并", by="省民政厅", when=T)
    task = decide_note(task, 1, accepted=True, by="王五", when=T)
    assert task.status == EXPLAINED and not task.is_open
    with pytest.raises(TransitionError):
        submit_note(task, "补充", by="省民政厅", when=T)


def test_bad_notes_refused():
    task = tasks()["s4"]
    with pytest.raises(TransitionError, match="不能为空"):
        submit_note(task, "  ", by="x", when=T)
    with pytest.raises(TransitionError, match="s9:msg"):
        submit_note(task, "说明", by="x", when=T, finding_keys=["s9:msg"])
    with pytest.raises(TransitionError, match="第3条"):
        decide_note(task, 3, accepted=True, by="x", when=T)


def test_overdue_list():
    opened = tasks()
    fixed = record_recheck(opened["s4"], s4_after(), by="张三", when=T)
    late_one = replace(opened["s2"], deadline=Deadline(dt.date(2026, 10, 9)))
    all_tasks = [opened["s7"], fixed, late_one, opened["s9"]]
    assert overdue(all_tasks, dt.date(2026, 10, 13)) == [late_one]  # the deadline day itself is not late
    assert [t.site_id for t in overdue(all_tasks, dt.date(2026, 10, 14))] == [
        "s2",
        "s7",
        "s9",
    ]  # same deadline: by name
