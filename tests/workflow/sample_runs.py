"""Three monthly runs of the same kind, small enough to count by hand (see test_results.py)."""

import datetime as dt

from govinspect.workflow.results import Finding, Run, SiteResult


def site(site_id, name, verdict, region, level, kind="门户", organiser="", vetoes=(), findings=()):
    return SiteResult(
        site_id,
        name,
        verdict,
        region=region,
        level=level,
        kind=kind,
        organiser=organiser,
        url=f"http://{site_id}.gov.cn/",
        vetoes=tuple(vetoes),
        findings=tuple(findings),
    )


def current_run() -> Run:
    results = (
        site("s1", "杭州市政府", "pass", "杭州", "市"),
        site(
            "s2",
            "杭州市教育局",
            "fail",
            "杭州",
            "市",
            kind="部门",
            vetoes=["home.stale"],
            findings=[
                Finding("s2:home", "home.stale", "veto", 0, "首页超过14天未更新"),
                Finding("s2:typo", "content.typo", "deduct", 1, "错别字“届时”误为“界时”"),
            ],
        ),
        site("s3", "临安区政府", "pass", "杭州", "县"),
        site(
            "s4",
            "宁波市政府",
            "fail",
            "宁波",
            "市",
            vetoes=["column.empty"],
            findings=[
                Finding("s4:links", "links.broken_other", "deduct", 0.5, "其他页面链接不可用1个"),
                Finding("s4:icp", "norms.icp_missing", "deduct", 2, "未展示ICP备案编号"),
                Finding("s4:empty", "column.empty", "veto", 0, "空白栏目6个"),
            ],
        ),
        site("s5", "象山县政府", "pass", "宁波", "县"),
        site("s6", "象山县民政局", "pass", "宁波", "县", kind="部门"),
        site(
            "s7",
            "文成县政府",
            "fail",
            "温州",
            "县",
            findings=[
                Finding("s7:typo", "content.typo", "deduct", 1, "错别字1处"),
                Finding("s7:home", "links.broken_home", "deduct", 5, "首页链接不可用3个"),
                Finding("s7:icp", "norms.icp_missing", "deduct", 2, "未展示ICP备案编号"),
                Finding("s7:info", "interact.channel_not_found", "info", 0, "未发现互动渠道"),
            ],
        ),
        site("s8", "浙江省教育厅", "pass", "浙江省", "省", kind="部门", organiser="省教育厅"),
        site(
            "s9",
            "浙江省民政厅",
            "fail",
            "浙江省",
            "省",
            kind="部门",
            organiser="省民政厅",
            vetoes=["interact.unanswered"],
            findings=[Finding("s9:msg", "interact.unanswered", "veto", 0, "留言超过3个月未回复")],
        ),
        site("s10", "浙江省人民政府", "pass", "浙江省", "省"),
        site("s11", "泰顺县政府", "error", "温州", "县"),
    )
    return Run("R2", "月度抽查", dt.date(2026, 11, 20), results, {"省": 20, "市": 60, "县": 120})


def previous_run() -> Run:
    results = (
        site("s1", "杭州市政府", "pass", "杭州", "市"),
        site("s2", "杭州市教育局", "fail", "杭州", "市", kind="部门"),
        site("s4", "宁波市政府", "fail", "宁波", "市"),
        site("s5", "象山县政府", "fail", "宁波", "县"),
        site("s12", "鹿城区政府", "fail", "温州", "县"),
        site("s13", "瓯海区政府", "pass", "温州", "县"),
        site("s14", "余杭区政府", "pass", "杭州", "县"),
        site("s16", "奉化区政府", "fail", "宁波", "县"),
    )
    return Run("R1", "月度抽查", dt.date(2026, 10, 20), results)


def first_run() -> Run:
    results = (
        site("s2", "杭州市教育局", "fail", "杭州", "市", kind="部门"),
        site("s7", "文成县政府", "pass", "温州", "县"),
        site("s4", "宁波市政府", "pass", "宁波", "市"),
    )
    return Run("R0", "月度抽查", dt.date(2026, 9, 20), results)
