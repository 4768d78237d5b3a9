"""Build the demo farm: the site specs, their pages and the ground truth computed from them."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import random
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from govinspect.demo.cms import JcmsLayout, TrsLayout
from govinspect.demo.content import ColumnData, Place, assign_ids, build_column
from govinspect.demo.detectors import (
    COMMERCIAL_LINKS,
    DetectorPlan,
    SpamBlock,
    TextEdit,
    detector_truth,
    external_hosts,
    inject_content,
    inject_pages,
)
from govinspect.demo.layouts import LAYOUTS as OLD_LAYOUTS
from govinspect.demo.layouts import Layout, SiteFrame, pages_of
from govinspect.demo.types import DemoColumn, DemoSite, Expected, Farm, Route

# Thresholds of the ground truth, in days ("older than" = as_of - newest > threshold).
THRESHOLDS = {"dynamic": 14, "policy": 183, "long": 365}
HOME_STALE_DAYS = 14
# The check ids the farm's ground truth covers; any other id is outside `expected`.
CHECK_IDS = (
    "site.unreachable",
    "home.stale",
    "column.stale_dynamic",
    "column.stale_policy",
    "column.stale_long",
    "column.empty",
    "column.unreadable",
    "links.broken_home",
    "links.broken_other",
    "norms.site_code_missing",
    "norms.icp_missing",
    "norms.psb_missing",
    "norms.conac_missing",
    "norms.jiucuo_missing",
    "norms.domain",
)
ALL_MARKS = frozenset({"site_code", "icp", "psb", "conac", "jiucuo"})
YEARLESS_MAX_AGE = 330  # the table layout shows [11-18]: keep every item within a year of as_of

PROVINCES = {
    "jx": ("江西省", "赣", "www.jiangxi.gov.cn", "0791"),
    "hn": ("湖南省", "湘", "www.hunan.gov.cn", "0731"),
    "hb": ("湖北省", "鄂", "www.hubei.gov.cn", "027"),
    "zj": ("浙江省", "浙", "www.zj.gov.cn", "0571"),
}
UNKNOWN_EXTERNAL = "http://www.hexiqu-old.gov.cn/"  # a friend link the farm does not serve → 502

HEALTHY_SMALL = (
    ("政务动态", "fresh", "small"),
    ("通知公告", "fresh", "small"),
    ("人事任免", "fresh", "small"),
    ("规划计划", "fresh", "small"),
    ("领导信箱", "fresh", ""),
    ("办事指南", "fresh", ""),
    ("机构职能", "static", ""),
    ("概况信息", "static", ""),
)


@dataclass(frozen=True)
class SiteSpec:
    host: str
    short: str  # 青山县
    layout: str
    encoding: str
    header_charset: str | None  # charset parameter of the Content-Type header (None: none)
    province: str
    division: str  # 6-digit administrative division code
    columns: tuple[tuple[str, str, str], ...]  # (name, state, size)
    home_blocks: tuple[str, ...]
    marks: frozenset[str] = ALL_MARKS
    conac_style: str = "script"  # "script" | "image"
    problem: str = ""  # "" | "broken_links" | "home_503" | "hang" | "pdf_home"
    bad: bool = False
    plan: DetectorPlan | None = None  # problems for the detector checks (DETECTOR_CHECK_IDS)
    # --- layouts of other CMS families (the sites marked `new_layout`) ---------------
    new_layout: bool = False
    hubs: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (hub name, path, its sub-columns)
    sitemap_only: tuple[str, ...] = ()  # columns linked only from the 网站地图 page
    unreadable: tuple[str, ...] = ()  # columns whose list a script fills from JSON after load
    jiucuo_style: str = "link"  # "link" | "relay" (local URL with site_code=) | "script" (.js handler)
    cloaked_list: str = ""  # a column whose first list page shows search engines spam links


SPECS = [
    SiteSpec(
        host="www.qingshan.gov.cn",
        short="青山县",
        layout="modern",
        encoding="utf-8",
        header_charset="utf-8",
        province="jx",
        division="360123",
        columns=(
            ("政务动态", "fresh", "busy"),
            ("乡镇动态", "fresh", "mid"),
            ("图片新闻", "fresh", "small"),
            ("通知公告", "fresh", "mid"),
            ("政策文件", "fresh", "small"),
            ("人事任免", "fresh", "small"),
            ("规划计划", "fresh", "small"),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("机构职能", "static", ""),
            ("概况信息", "static", ""),
        ),
        home_blocks=("政务动态", "通知公告", "乡镇动态"),
    ),
    SiteSpec(
        host="www.baishui.gov.cn",
        short="白水县",
        layout="table",
        encoding="gbk",
        header_charset=None,
        province="hn",
        division="430524",
        columns=(
            ("工作动态", "fresh", "busy"),
            ("部门动态", "fresh", "mid"),
            ("公示公告", "fresh", "small"),
            ("规范性文件", "fresh", "small"),
            ("人事信息", "fresh", "small"),
            ("发展规划", "fresh", "small"),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("概况信息", "static", ""),
            ("领导之窗", "static", ""),
        ),
        home_blocks=("工作动态", "部门动态", "公示公告", "人事信息"),
        conac_style="image",
    ),
    SiteSpec(
        host="www.lihe.gov.cn",
        short="李河市",
        layout="portal",
        encoding="utf-8",
        header_charset="utf-8",
        province="hb",
        division="420683",
        columns=(
            ("政务动态", "aging", "busy"),
            ("部门动态", "aging", "small"),
            ("本地要闻", "aging", "small"),
            ("通知公告", "aging", "mid"),
            ("政策文件", "aging", "small"),
            ("人事任免", "fresh", "small"),
            ("发展规划", "fresh", "small"),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("机构职能", "static", ""),
            ("领导之窗", "static", ""),
        ),
        home_blocks=("政务动态", "本地要闻", "通知公告", "部门动态"),
    ),
    SiteSpec(
        host="www.songlin.gov.cn",
        short="松林县",
        layout="portal",
        encoding="gbk",
        header_charset="GBK",
        province="jx",
        division="360732",
        columns=(
            ("工作动态", "fresh", "busy"),
            ("政务动态", "stale", "mid"),
            ("乡镇动态", "stale", "small"),
            ("图片新闻", "stale", "small"),
            ("通知公告", "stale", "small"),
            ("政策文件", "stale", "small"),
            ("人事信息", "stale", "small"),
            ("规划计划", "stale", "small"),
            ("部门动态", "empty", ""),
            ("规范性文件", "empty", ""),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("概况信息", "static", ""),
            ("机构职能", "static", ""),
        ),
        home_blocks=("工作动态", "政务动态", "通知公告"),
    ),
    SiteSpec(
        host="www.hexi.gov.cn",
        short="河西区",
        layout="modern",
        encoding="utf-8",
        header_charset="utf-8",
        province="zj",
        division="330106",
        columns=(
            ("政务动态", "fresh", "busy"),
            ("部门动态", "fresh", "mid"),
            ("通知公告", "fresh", "small"),
            ("人事任免", "fresh", "small"),
            ("乡镇动态", "empty", ""),
            ("图片新闻", "empty", ""),
            ("政策文件", "empty", ""),
            ("规范性文件", "empty", ""),
            ("发展规划", "empty", ""),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("机构职能", "static", ""),
        ),
        home_blocks=("政务动态", "部门动态", "通知公告"),
        problem="broken_links",
    ),
    SiteSpec(
        host="www.dongpo.gov.cn",
        short="东坡县",
        layout="table",
        encoding="gbk",
        header_charset="gb2312",
        province="hn",
        division="431128",
        columns=(
            ("政务动态", "fresh", "busy"),
            ("乡镇动态", "fresh", "mid"),
            ("通知公告", "fresh", "small"),
            ("政策文件", "fresh", "small"),
            ("人事任免", "fresh", "small"),
            ("规划计划", "fresh", "small"),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("概况信息", "static", ""),
        ),
        home_blocks=("政务动态", "乡镇动态", "通知公告"),
        marks=frozenset({"conac", "jiucuo"}),
        conac_style="image",
    ),
    SiteSpec(
        host="www.xiyuan-zf.com",
        short="西园镇",
        layout="modern",
        encoding="utf-8",
        header_charset="utf-8",
        province="zj",
        division="330481",
        columns=(
            ("工作动态", "fresh", "mid"),
            ("本地要闻", "fresh", "small"),
            ("通知公告", "fresh", "small"),
            ("政策文件", "fresh", "small"),
            ("人事信息", "fresh", "small"),
            ("规划计划", "fresh", "small"),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("概况信息", "static", ""),
        ),
        home_blocks=("工作动态", "通知公告", "本地要闻"),
        marks=frozenset({"site_code", "icp", "psb"}),
    ),
    SiteSpec(
        host="www.nanhu.gov.cn",
        short="南湖县",
        layout="portal",
        encoding="utf-8",
        header_charset="utf-8",
        province="hb",
        division="421123",
        columns=(
            ("政务动态", "fresh", "mid"),
            ("乡镇动态", "fresh", "small"),
            ("通知公告", "fresh", "small"),
            ("政策文件", "fresh", "small"),
            ("人事信息", "fresh", "small"),
            ("规划计划", "fresh", "small"),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("机构职能", "static", ""),
        ),
        home_blocks=("政务动态", "通知公告", "乡镇动态"),
        problem="home_503",
    ),
    # --- sites with problems for the detector checks; no availability/update/norms problem of their own
    # except the broken guide form of 石湾区, which is also a links.broken_other finding.
    SiteSpec(
        host="www.hongfeng.gov.cn",
        short="红枫县",
        layout="modern",
        encoding="utf-8",
        header_charset="utf-8",
        province="zj",
        division="330824",
        columns=(
            ("政务动态", "fresh", "busy"),
            ("部门动态", "fresh", "mid"),
            ("图片新闻", "fresh", "small"),
            ("通知公告", "fresh", "mid"),
            ("政策文件", "fresh", "small"),
            ("人事任免", "fresh", "small"),
            ("规划计划", "fresh", "small"),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("机构职能", "static", ""),
            ("概况信息", "static", ""),
        ),
        home_blocks=("政务动态", "通知公告", "部门动态"),
        plan=DetectorPlan(
            edits=(
                TextEdit("政务动态", 1, "serious", "leader"),
                TextEdit("政务动态", 2, "typo", "busu"),
                TextEdit("部门动态", 1, "typo", "jishi"),
                TextEdit("政务动态", 3, "right", "socialism"),
                TextEdit("政务动态", 3, "right", "mission"),
                TextEdit("部门动态", 2, "right", "jishi"),
                TextEdit("部门动态", 2, "right", "anzhuang"),
            ),
            future="政策文件",
            date_mismatch=("图片新闻", 1),
            replies="canned",
            guides=((0, "missing5"), (1, "empty"), (2, "wu")),
            spam=(
                SpamBlock(
                    "display:none",
                    (("澳门新葡京娱乐场", "www.xpj8866.com"), ("太阳城集团官网", "www.tyc5533.com")),
                ),
                SpamBlock("visibility:hidden", (("皇冠体育在线投注", "www.hg0088.vip"),)),
                SpamBlock(
                    "offscreen",
                    (("百家乐真人视讯", "www.bjl6686.net"), ("真人视讯娱乐平台", "www.zrsx888.cc")),
                ),
                SpamBlock("font-size:0", (("六合彩", "www.lhc2049.com"),), text="六合彩开奖结果查询"),
                SpamBlock("same-colour", (("网上博彩娱乐城", "www.ylc9393.com"),)),
                SpamBlock("document.write", (("博彩网站大全", "www.bc365.bet"),)),
                SpamBlock(
                    "cloaked",
                    (
                        ("澳门新葡京", "www.xpj8866.com"),
                        ("皇冠体育", "www.hg0088.vip"),
                        ("娱乐城开户送彩金", "www.ylc9393.com"),
                    ),
                ),
            ),
        ),
    ),
    SiteSpec(
        host="www.shiwan.gov.cn",
        short="石湾区",
        layout="portal",
        encoding="gbk",
        header_charset="GBK",
        province="hb",
        division="420115",
        columns=(
            ("工作动态", "fresh", "busy"),
            ("部门动态", "fresh", "mid"),
            ("乡镇动态", "fresh", "small"),
            ("通知公告", "fresh", "small"),
            ("政策文件", "fresh", "small"),
            ("人事信息", "fresh", "small"),
            ("发展规划", "fresh", "small"),
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("概况信息", "static", ""),
            ("机构职能", "static", ""),
        ),
        home_blocks=("工作动态", "通知公告", "乡镇动态"),
        plan=DetectorPlan(
            edits=(
                TextEdit("工作动态", 1, "serious", "socialism"),
                TextEdit("部门动态", 1, "serious", "mission"),
                TextEdit("工作动态", 2, "typo", "anzhuang"),
                TextEdit("乡镇动态", 1, "typo", "pobu"),
                TextEdit("工作动态", 3, "right", "leader"),
                TextEdit("部门动态", 2, "right", "yichou"),
                TextEdit("部门动态", 2, "right", "busu"),
                TextEdit("乡镇动态", 2, "legit", "lottery"),
            ),
            twin=("部门动态", 4),
            replies="varied",
            unanswered=2,
            slow=2,
            guides=((1, "wu"),),
            broken_form=0,
            commercial_links=True,
        ),
    ),
    SiteSpec(
        host="www.liutang.gov.cn",
        short="柳塘县",
        layout="table",
        encoding="gbk",
        header_charset=None,
        province="jx",
        division="360428",
        columns=(
            ("政务动态", "fresh", "busy"),
            ("乡镇动态", "fresh", "mid"),
            ("通知公告", "fresh", "small"),
            ("政策文件", "fresh", "small"),
            ("人事任免", "fresh", "small"),
            ("规划计划", "fresh", "small"),
            ("办事指南", "fresh", ""),
            ("概况信息", "static", ""),
            ("领导之窗", "static", ""),
        ),
        home_blocks=("政务动态", "乡镇动态", "通知公告"),
        conac_style="image",
        plan=DetectorPlan(
            edits=(
                TextEdit("政务动态", 1, "typo", "yichou"),
                TextEdit("乡镇动态", 1, "right", "leader"),
                TextEdit("乡镇动态", 1, "right", "socialism"),
                TextEdit("政务动态", 3, "right", "pobu"),
                TextEdit("政务动态", 3, "right", "anzhuang"),
            ),
            no_channel=True,
            guides=((0, "missing4"), (1, "wu")),
            spam=(
                SpamBlock("css-class", (("太阳城娱乐城", "www.tyc5533.com"), ("百家乐", "www.bjl6686.net"))),
                SpamBlock("same-colour", (("成人视频在线观看", "www.avsp520.xyz"),)),
                SpamBlock("cloaked", (("六合彩", "www.lhc2049.com"), ("真人视讯", "www.zrsx888.cc"))),
                SpamBlock("display:none", (("澳门新葡京", "www.xpj8866.com"),), page=("乡镇动态", 2)),
            ),
        ),
    ),
    SiteSpec(
        host="www.manman.gov.cn",
        short="漫漫县",
        layout="modern",
        encoding="utf-8",
        header_charset="utf-8",
        province="jx",
        division="360826",
        columns=HEALTHY_SMALL,
        home_blocks=("政务动态", "通知公告"),
        problem="hang",
        bad=True,
    ),
    SiteSpec(
        host="www.pdfhome.gov.cn",
        short="普东县",
        layout="modern",
        encoding="utf-8",
        header_charset="utf-8",
        province="zj",
        division="330726",
        columns=HEALTHY_SMALL,
        home_blocks=("政务动态", "通知公告"),
        problem="pdf_home",
        bad=True,
    ),
]

LAYOUTS: dict[str, type[Layout]] = {**OLD_LAYOUTS, "jcms": JcmsLayout, "trs": TrsLayout}
SPAM_FOR_CRAWLERS = (
    ("澳门新葡京娱乐场", "http://www.xpj8866.com/"),
    ("太阳城集团官网", "http://www.tyc5533.com/"),
)
# --- sites built like other CMS families (new_layout=True; bench reports them apart) ---
NEW_LAYOUT_SPECS = [
    SiteSpec(
        host="www.qiaotou.gov.cn",
        short="桥头县",
        layout="jcms",
        encoding="utf-8",
        header_charset="utf-8",
        province="zj",
        division="330327",
        columns=(
            ("政务动态", "fresh", "busy"),
            ("部门动态", "fresh", "mid"),  # its list is filled by a script from JSON: unreadable
            ("乡镇动态", "stale", "small"),  # linked only from the 网站地图
            ("通知公告", "fresh", "mid"),
            ("政策文件", "empty", ""),  # an empty JCMS data island: positively empty
            ("人事信息", "fresh", "small"),
            ("局长信箱", "fresh", ""),  # a department mailbox is the interaction channel
            ("办事指南", "fresh", ""),  # numbered headings ("一、事项名称")
            ("机构职能", "static", ""),
        ),
        home_blocks=("政务动态", "通知公告"),
        new_layout=True,
        sitemap_only=("乡镇动态",),
        unreadable=("部门动态",),
        jiucuo_style="relay",
        plan=DetectorPlan(guides=((0, "missing5"),)),
    ),
    SiteSpec(
        host="www.yunxi.gov.cn",
        short="云溪区",
        layout="trs",
        encoding="gbk",
        header_charset="GBK",
        province="hn",
        division="430603",
        columns=(
            ("工作动态", "stale", "mid"),  # paged by createPageHTML only
            ("本地要闻", "stale", "small"),
            ("通知公告", "fresh", "small"),  # its first list page shows search engines spam links
            ("人事信息", "stale", "small"),  # behind the 政务公开 hub only
            ("规划计划", "fresh", "small"),  # behind the hub only
            ("图片新闻", "stale", "small"),  # behind the hub only
            ("领导信箱", "fresh", ""),
            ("办事指南", "fresh", ""),
            ("概况信息", "static", ""),
        ),
        # Stale news blocks; the friend-links block beside them shows yesterday's date.
        home_blocks=("工作动态", "本地要闻"),
        new_layout=True,
        hubs=(("政务公开", "/zwgk/index.html", ("人事信息", "规划计划", "图片新闻")),),
        jiucuo_style="script",
        cloaked_list="通知公告",
    ),
]
SPECS += NEW_LAYOUT_SPECS

HANG_SECONDS = 120.0
JIUCUO_RELAY = "/jiucuo/index.html"
JIUCUO_SCRIPT = "/js/jiucuo.js"
JIUCUO_JS = (
    "function Link(site_code){\n"
    '  var url = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=" + site_code'
    ' + "&url=" + encodeURIComponent(window.location.href);\n'
    "  window.open(url);\n}\n"
)

# Tiny but valid binary bodies.
GIF = bytes.fromhex("47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b")
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # OLE2 header of a .doc/.xls
ATTACHMENT_TYPES = {
    "pdf": ("application/pdf", PDF),
    "doc": ("application/msword", DOC),
    "xls": ("application/vnd.ms-excel", DOC),
}
CSS = b"body{margin:0;font:14px/1.6 'Microsoft YaHei',SimSun,sans-serif}a{color:#333;text-decoration:none}\n"


def seed_of(host: str) -> int:
    return int.from_bytes(hashlib.sha256(host.encode()).digest()[:8], "big")


@dataclass
class _Marks:
    site_code: str | None
    icp: str | None
    psb: str | None
    psb_code: str
    conac_js: str
    conac_id: str
    has_conac: bool
    has_jiucuo: bool
    extra: dict[str, str] = field(default_factory=dict)


def _marks(spec: SiteSpec, rng: random.Random) -> _Marks:
    abbr = PROVINCES[spec.province][1]
    code = f"{spec.division}{rng.randint(1, 40):04d}"
    psb_code = f"{spec.division}02{rng.randint(0, 999999):06d}"
    conac_num = f"{rng.randint(10000000, 99999999)}"
    return _Marks(
        site_code=code if "site_code" in spec.marks else None,
        icp=f"{abbr}ICP备{rng.randint(5000000, 19999999):08d}号" if "icp" in spec.marks else None,
        psb=f"{abbr}公网安备 {psb_code}号" if "psb" in spec.marks else None,
        psb_code=psb_code,
        conac_js=f"/js/{spec.division[:2]}/{spec.division[2:5]}/{rng.randint(0, 9999):04d}/{conac_num}/CA{spec.division}{conac_num}0001.js",
        conac_id=f"{rng.getrandbits(128):032X}",
        has_conac="conac" in spec.marks,
        has_jiucuo="jiucuo" in spec.marks,
    )


def _footer(spec: SiteSpec, place: Place, marks: _Marks, rng: random.Random) -> str:
    lines = [
        f"<p>主办单位：{place.name}办公室　承办单位：{place.short}政务数据服务中心</p>",
        f"<p>地址：{place.short}人民大道{rng.randint(1, 199)}号　联系电话：{place.phone}</p>",
    ]
    parts = []
    if marks.site_code:
        parts.append(f"网站标识码：{marks.site_code}")
    if marks.icp:
        parts.append(f'<a href="http://beian.miit.gov.cn/" target="_blank">{marks.icp}</a>')
    if marks.psb:
        parts.append(
            f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={marks.psb_code}" target="_blank">'
            f'<img src="/images/ga.png" alt="" />{marks.psb}</a>'
        )
    if parts:
        lines.append("<p>" + "　".join(parts) + "</p>")
    badges = []
    if marks.has_conac:
        if spec.conac_style == "script":
            badges.append(
                f'<span id="_ideConac"></span><script type="text/javascript" src="http://dcs.conac.cn{marks.conac_js}"></script>'
            )
        else:
            badges.append(
                f'<a href="http://bszs.conac.cn/sitename?method=show&amp;id={marks.conac_id}" target="_blank">'
                '<img src="http://dcs.conac.cn/image/red.png" alt="党政机关" border="0" /></a>'
            )
    if marks.has_jiucuo and spec.jiucuo_style == "relay":
        # A local relay page that forwards to the national 找错 system with the site code.
        badges.append(
            f'<a href="{JIUCUO_RELAY}?site_code={marks.site_code}" target="_blank">'
            '<img src="/images/jiucuo.png" alt="我为政府网站找错" /></a>'
        )
    elif marks.has_jiucuo and spec.jiucuo_style == "script":
        # An image whose click handler, defined in the site's own script file, opens 找错.
        badges.append(
            f'<script type="text/javascript" src="{JIUCUO_SCRIPT}"></script>'
            f'<img src="/images/jiucuo.png" style="cursor:pointer" onclick="Link(\'{marks.site_code}\')" />'
        )
    elif marks.has_jiucuo:
        query = f"site_code={marks.site_code}&amp;" if marks.site_code else ""
        badges.append(
            f'<a href="http://zfwzgl.www.gov.cn/exposure/jiucuo.html?{query}url=http%3A%2F%2F{spec.host}%2F" target="_blank">'
            f'<img src="http://zfwzgl.www.gov.cn/exposure/images/jiucuo.png" alt="我为政府网站找错" /></a>'
        )
    if badges:
        lines.append('<div class="marks">' + "".join(badges) + "</div>")
    return "\n".join(lines)


def _html_route(text: str, spec: SiteSpec, status: int = 200) -> Route:
    ctype = f"text/html; charset={spec.header_charset}" if spec.header_charset else "text/html"
    return Route(status=status, content_type=ctype, body=text.encode(spec.encoding))


@dataclass
class _Built:
    """A rendered site plus what the ground truth needs."""

    site: DemoSite
    layout: Layout
    columns: list[ColumnData]


def _render(spec: SiteSpec, as_of: dt.date) -> _Built:
    rng = random.Random(seed_of(spec.host))
    prov_name, _, prov_host, area = PROVINCES[spec.province]
    unit = spec.short[-1]
    place = Place(
        name=spec.short + "人民政府",
        short=spec.short,
        unit=unit,
        province=prov_name,
        phone=f"{area}-{rng.randint(20000000, 89999999)}",
    )
    titles: set[str] = set()
    max_age = YEARLESS_MAX_AGE if spec.layout == "table" else None
    columns = [
        build_column(name, state, size, cid, rng, place, as_of, titles, max_age)
        for cid, (name, state, size) in enumerate(spec.columns, 1)
    ]
    if spec.plan is not None:
        # The plan draws from its own stream so the sites without a plan stay byte-identical.
        plan_rng = random.Random(seed_of(spec.host + "#detectors"))
        inject_content(spec.plan, columns, place, as_of, plan_rng, titles)
    assign_ids(columns, rng)
    if spec.problem == "broken_links":
        # The article whose attachment will be missing needs an attachment to begin with.
        notice = next(c for c in columns if c.name == "通知公告")
        notice.entries[1].attachments = [("报名登记表", "doc")]

    marks = _marks(spec, rng)
    charset_label = {"table": "gb2312"}.get(spec.layout, spec.encoding)
    hub_subs = frozenset(n for _, _, subs in spec.hubs for n in subs)
    frame = SiteFrame(
        place=place,
        host=spec.host,
        charset_label="utf-8" if spec.encoding == "utf-8" else charset_label,
        site_code=marks.site_code,
        columns=columns,
        footer=_footer(spec, place, marks, rng),
        friend_links=[("中国政府网", "http://www.gov.cn/"), (f"{prov_name}人民政府", f"http://{prov_host}/")],
        nav_hidden=hub_subs | frozenset(spec.sitemap_only),
        sitemap_hidden=hub_subs,
        hubs=[(name, path) for name, path, _ in spec.hubs],
    )
    if spec.problem == "broken_links":
        frame.special_links = [("学习贯彻专题", "/ztzl/index.html")]
        frame.friend_links.append(("河西区政务网（旧版）", UNKNOWN_EXTERNAL))
    if spec.plan is not None and spec.plan.commercial_links:
        frame.friend_links.extend(COMMERCIAL_LINKS)
    layout = LAYOUTS[spec.layout](frame)
    layout.as_of = as_of  # the new layouts stamp regeneration times relative to it
    routes: dict[str, Route] = {}

    def add_page(path: str, title: str, content: str, column: ColumnData | None = None) -> None:
        routes[path] = _html_route(layout.page(title, content, column), spec)

    by_name = {c.name: c for c in columns}
    blocks = [(by_name[n], by_name[n].entries[: rng.randint(5, 8)]) for n in spec.home_blocks]
    lead_col, lead_entries = blocks[0]
    headline = None
    if lead_entries:
        headline = (lead_entries[0].title, layout.href(layout.item_path(lead_col, lead_entries[0]), "/"))
    home_text = layout.page(place.name, layout.home(blocks, headline))
    for path in ("/", "/index.html"):
        routes[path] = _html_route(home_text, spec)
    home_items = [
        (e.title, f"http://{spec.host}{layout.item_path(c, e)}", e.date)
        for c, es in blocks
        for e in es
        if e.date
    ]

    for col in columns:
        title = f"{col.name}_{place.name}"
        if col.kind == "other":
            for path in dict.fromkeys([layout.col_path(col), *layout.list_aliases(col)]):
                add_page(path, title, layout.static_content(col), col)
            continue
        for n in range(1, len(pages_of(col)) + 1):
            paths = layout.list_aliases(col) if n == 1 else [layout.list_path(col, n)]
            for path in paths:
                add_page(path, title, layout.list_content(col, n), col)
        if col.kind == "interact":
            add_page(layout.write_path(col), f"我要写信_{place.name}", layout.write_content(col), col)
        for e in col.entries:
            if col.kind == "interact":
                content = layout.message_content(col, e)
            elif col.kind == "service":
                content = layout.guide_content(col, e)
            else:
                content = layout.article_content(col, e)
            add_page(layout.item_path(col, e), f"{e.title}_{place.name}", content, col)
            for i, (_, ext) in enumerate(e.attachments, 1):
                ctype, body = ATTACHMENT_TYPES[ext]
                routes[layout.attachment_path(col, e, i, ext)] = Route(content_type=ctype, body=body)

    _add_cms_family_pages(spec, layout, columns, routes, add_page, marks, place)
    for path, kind in layout.extra_paths().items():
        content = {
            "sitemap": layout.sitemap_content,
            "contact": layout.contact_content,
            "search": layout.search_content,
        }[kind]()
        add_page(path, f"{place.name}", content)
    for path, ctype, body in (
        ("/static/css/main.css", "text/css", CSS),
        ("/images/style.css", "text/css", CSS),
        ("/Skin/style.css", "text/css", CSS),
        ("/images/logo.png", "image/png", PNG),
        ("/images/ga.png", "image/png", PNG),
        ("/Skin/dot.gif", "image/gif", GIF),
        ("/favicon.ico", "image/png", PNG),
    ):
        routes[path] = Route(content_type=ctype, body=body)

    site = DemoSite(
        new_layout=spec.new_layout,
        host=spec.host,
        name=place.name,
        layout=spec.layout,
        encoding=spec.encoding,
        site_code=marks.site_code,
        routes=routes,
        home_items=home_items,
        columns=[DemoColumn(c.name, layout.col_path(c), c.kind, c.newest) for c in columns],
    )
    site.not_found = _html_route(_error_page(404, "页面不存在", "您访问的页面不存在或已被删除。"), spec, 404)
    _inject(spec, site, layout, columns)
    if spec.plan is not None:
        inject_pages(spec.plan, site, layout, columns, PNG)
    return _Built(site=site, layout=layout, columns=columns)


def _add_cms_family_pages(spec, layout, columns, routes, add_page, marks, place) -> None:
    """Hub pages, script-filled lists, 找错 relays and cloaked list pages of the new layouts."""
    by_name = {c.name: c for c in columns}
    for name, path, subs in spec.hubs:
        previews = [(by_name[n], by_name[n].entries[:5]) for n in subs]
        add_page(path, f"{name}_{place.name}", layout.hub_content(name, path, previews))
    for name in spec.unreadable:
        col = by_name[name]
        data_path = f"/data/{col.slug}.json"
        add_page(
            layout.col_path(col), f"{col.name}_{place.name}", layout.unreadable_list(col, data_path), col
        )
        rows = [
            {"title": e.title, "url": layout.item_path(col, e), "date": e.date.isoformat()}
            for e in col.entries
            if e.date
        ]
        routes[data_path] = Route(
            content_type="application/json", body=json.dumps({"rows": rows}, ensure_ascii=False).encode()
        )
    if marks.has_jiucuo and spec.jiucuo_style == "relay":
        relay = (
            '<p>正在跳转到“我为政府网站找错”平台……</p><a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?'
            f'site_code={marks.site_code}">如未跳转请点击</a>'
        )
        add_page(f"{JIUCUO_RELAY}?site_code={marks.site_code}", "我为政府网站找错", relay)
    if marks.has_jiucuo and spec.jiucuo_style == "script":
        routes[JIUCUO_SCRIPT] = Route(content_type="application/javascript", body=JIUCUO_JS.encode())
    if marks.has_jiucuo and spec.jiucuo_style != "link":
        routes["/images/jiucuo.png"] = Route(content_type="image/png", body=PNG)
    if spec.layout == "jcms":
        routes["/module/jslib/jquery/jpage/jquery.page.min.js"] = Route(
            content_type="application/javascript", body=b"/* jpage: pages the records of a datastore */\n"
        )
    if spec.cloaked_list:
        col = by_name[spec.cloaked_list]
        spam = "".join(f'<a href="{h}">{t}</a>' for t, h in SPAM_FOR_CRAWLERS)
        for path in dict.fromkeys([layout.col_path(col), *layout.list_aliases(col)]):
            route = routes[path]
            text = route.body.decode(spec.encoding).replace("</body>", f"<div>{spam}</div></body>")
            route.crawler_body = text.encode(spec.encoding)


def _error_page(status: int, title: str, text: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{status} {title}</title></head>'
        f"<body><h1>{status} {title}</h1><p>{text}</p></body></html>"
    )


def _inject(spec: SiteSpec, site: DemoSite, layout: Layout, columns: list[ColumnData]) -> None:
    """Apply the site's injected problem to its routes."""
    by_name = {c.name: c for c in columns}
    if spec.problem == "broken_links":
        notice = by_name["通知公告"]
        e = notice.entries[1]
        del site.routes[layout.attachment_path(notice, e, 1, e.attachments[0][1])]
        news = by_name["政务动态"]
        del site.routes[layout.item_path(news, news.entries[25])]  # on list page 2, not on the home page
        guide_col = by_name["办事指南"]
        g = guide_col.entries[0]
        del site.routes[layout.attachment_path(guide_col, g, 1, g.attachments[0][1])]
    elif spec.problem == "home_503":
        page = _error_page(503, "Service Temporarily Unavailable", "服务暂时不可用，请稍后再试。").encode()
        for path in ("/", "/index.html"):
            site.routes[path] = Route(status=503, content_type="text/html", body=page)
    elif spec.problem == "hang":
        site.delay = HANG_SECONDS
    elif spec.problem == "pdf_home":
        for path in ("/", "/index.html"):
            site.routes[path] = Route(content_type="application/pdf", body=PDF)


def _externals() -> dict[str, Route]:
    def page(title: str) -> Route:
        text = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body><h1>{title}</h1></body></html>'
        return Route(body=text.encode())

    hosts = {
        "www.gov.cn": page("中国政府网"),
        "beian.miit.gov.cn": page("ICP/IP地址/域名信息备案管理系统"),
        "www.beian.gov.cn": page("全国互联网安全管理服务平台"),
        "bszs.conac.cn": page("党政机关网站标识"),
        "zfwzgl.www.gov.cn": page("我为政府网站找错"),
        "dcs.conac.cn": Route(
            content_type="application/javascript",
            body=(
                "document.getElementById('_ideConac').innerHTML='<a href=\"http://bszs.conac.cn/sitename?method=show\" "
                'target="_blank"><img src="http://dcs.conac.cn/image/red.png" alt="党政机关"></a>\';\n'
            ).encode(),
        ),
    }
    for name, _, host, _ in PROVINCES.values():
        hosts[host] = page(f"{name}人民政府")
    for host, title in external_hosts().items():
        hosts[host] = page(title)
    return hosts


# --- ground truth ---------------------------------------------------------------------------
LINK_RE = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def page_links(site: DemoSite, route: Route, page_url: str) -> list[str]:
    """Absolute http(s) URLs linked (href/src) from one of the site's pages."""
    text = route.body.decode(site.encoding)
    out = []
    for raw in LINK_RE.findall(text):
        href = html.unescape(raw).strip()
        if href.startswith(("javascript:", "mailto:", "tel:", "#")):
            continue
        url = urljoin(page_url, href).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https"):
            out.append(url)
    return out


def broken_links(site: DemoSite, farm: Farm) -> dict[str, set[str]]:
    """Broken link URL -> pages it appears on."""
    found: dict[str, set[str]] = {}
    for page_url, route in site.pages().items():
        for url in page_links(site, route, page_url):
            target = farm.resolve(url)
            if target is None or target.status >= 400:
                found.setdefault(url, set()).add(page_url)
    return found


def ground_truth(built: _Built, spec: SiteSpec, farm: Farm) -> list[Expected]:
    site, as_of = built.site, farm.as_of
    home = farm.resolve(site.url)
    if home is None or home.status >= 400:
        return [Expected("site.unreachable", url=site.url)]
    out: list[Expected] = []
    if not any((as_of - d).days <= HOME_STALE_DAYS for _, _, d in site.home_items):
        out.append(Expected("home.stale", url=site.url))
    hub_subs = {n for _, _, subs in spec.hubs for n in subs}
    for col in site.columns:
        url = urljoin(site.url, col.path)
        if col.kind not in THRESHOLDS:
            continue
        # Under a hub a column is second-level: the 6-month rule is for top-level columns only.
        kind = "long" if col.kind == "policy" and col.name in hub_subs else col.kind
        if col.name in spec.unreadable:
            out.append(Expected("column.unreadable", column=col.name, url=url))
        elif col.newest is None:
            out.append(Expected("column.empty", column=col.name, url=url))
        elif (as_of - col.newest).days > THRESHOLDS[kind]:
            out.append(Expected(f"column.stale_{kind}", column=col.name, url=url))
    home_pages = {site.url, urljoin(site.url, "/index.html")}
    for url, pages in sorted(broken_links(site, farm).items()):
        check = "links.broken_home" if pages & home_pages else "links.broken_other"
        out.append(Expected(check, url=url))
    if spec.cloaked_list:
        col = next(c for c in built.columns if c.name == spec.cloaked_list)
        out.append(
            Expected(
                "security.spam_injection",
                column=col.name,
                url=f"http://{site.host}{built.layout.col_path(col)}",
                text=" ".join(t for t, _ in SPAM_FOR_CRAWLERS),
                detail="cloaked",
            )
        )
    for mark, present in (
        ("site_code", "site_code" in spec.marks),
        ("icp", "icp" in spec.marks),
        ("psb", "psb" in spec.marks),
        ("conac", "conac" in spec.marks),
        ("jiucuo", "jiucuo" in spec.marks),
    ):
        if not present:
            out.append(Expected(f"norms.{mark}_missing", url=site.url))
    if not site.host.endswith(".gov.cn"):
        out.append(Expected("norms.domain", url=site.url))
    return out


def secondary_truth(built: _Built, farm: Farm) -> list[Expected]:
    """Findings outside CHECK_IDS that the data implies: broken form attachments of 办事指南."""
    out = []
    for col in built.columns:
        if col.kind != "service":
            continue
        for e in col.entries:
            for i, (_, ext) in enumerate(e.attachments, 1):
                url = f"http://{built.site.host}{built.layout.attachment_path(col, e, i, ext)}"
                target = farm.resolve(url)
                if target is None or target.status >= 400:
                    out.append(Expected("service.attachment_broken", column=col.name, url=url))
    return out


def build_farm(as_of: dt.date, include_bad: bool = False) -> Farm:
    """The demo farm as of `as_of`: deterministic sites with known injected problems."""
    specs = [s for s in SPECS if include_bad or not s.bad]
    built = [(spec, _render(spec, as_of)) for spec in specs]
    farm = Farm(as_of=as_of, sites=[b.site for _, b in built], externals=_externals())
    for spec, b in built:
        if spec.bad:
            continue
        b.site.expected = ground_truth(b, spec, farm) + detector_truth(
            b.site, b.layout, b.columns, spec.plan, farm
        )
        b.site.secondary = secondary_truth(b, farm)
    return farm
