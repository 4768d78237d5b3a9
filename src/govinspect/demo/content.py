"""Layout-independent content of a demo site: columns, items, articles, messages, guides.

Everything is drawn from `random.Random(seed)` so a site is a pure function of (spec, as_of).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from govinspect.demo import words
from govinspect.extract.guides import GUIDE_ELEMENTS as GUIDE_ELEMENT_LABELS
from govinspect.model import ColumnKind

COLUMN_KINDS: dict[str, ColumnKind] = {
    **dict.fromkeys(["政务动态", "工作动态", "部门动态", "乡镇动态", "本地要闻", "图片新闻"], "dynamic"),
    **dict.fromkeys(["通知公告", "公示公告", "政策文件", "规范性文件"], "policy"),
    **dict.fromkeys(["人事信息", "人事任免", "规划计划", "发展规划"], "long"),
    **dict.fromkeys(["领导信箱", "咨询投诉", "网上留言", "局长信箱"], "interact"),
    **dict.fromkeys(["办事指南", "办事服务"], "service"),
    **dict.fromkeys(["机构职能", "概况信息", "领导之窗"], "other"),
}

SLUGS = {
    "政务动态": "zwdt",
    "工作动态": "gzdt",
    "部门动态": "bmdt",
    "乡镇动态": "xzdt",
    "本地要闻": "bdyw",
    "图片新闻": "tpxw",
    "通知公告": "tzgg",
    "公示公告": "gsgg",
    "政策文件": "zcwj",
    "规范性文件": "gfxwj",
    "人事信息": "rsxx",
    "人事任免": "rsrm",
    "规划计划": "ghjh",
    "发展规划": "fzgh",
    "领导信箱": "ldxx",
    "局长信箱": "jzxx",
    "咨询投诉": "zxts",
    "网上留言": "wsly",
    "办事指南": "bszn",
    "办事服务": "bsfw",
    "机构职能": "jgzn",
    "概况信息": "gkxx",
    "领导之窗": "ldzc",
}

# Age in days of a column's newest item, by (kind, state). Every range keeps ≥ 5 days from the
# thresholds used for the ground truth (dynamic 14, policy 183, long 365).
NEWEST_AGE = {
    ("dynamic", "fresh"): (0, 6),
    ("dynamic", "aging"): (20, 40),
    ("dynamic", "stale"): (30, 90),
    ("policy", "fresh"): (3, 60),
    ("policy", "aging"): (20, 60),
    ("policy", "stale"): (213, 365),
    ("long", "fresh"): (20, 200),
    ("long", "aging"): (20, 200),
    ("long", "stale"): (425, 900),
    ("interact", "fresh"): (2, 20),
    ("interact", "aging"): (2, 20),
}
GAPS = {"dynamic": (0, 3), "policy": (2, 12), "long": (15, 60), "interact": (3, 15)}
SIZES = {"busy": (41, 62), "mid": (21, 36), "small": (5, 14)}

# The 10 elements of a 办事指南 (2019 indicators), as the extractor names them.
GUIDE_ELEMENTS = list(GUIDE_ELEMENT_LABELS)


@dataclass
class Place:
    """Who publishes: names used inside the generated text."""

    name: str  # 青山县人民政府
    short: str  # 青山县
    unit: str  # 县 | 市 | 区 | 镇
    province: str  # 江西省
    phone: str

    @property
    def we(self) -> str:
        return "我" + self.unit

    @property
    def office(self) -> str:
        return "镇党政办" if self.unit == "镇" else f"{self.unit}政府办公室"


@dataclass
class Entry:
    """One item of a column: an article, a citizen message or a service guide."""

    title: str
    date: dt.date | None
    id: int = 0
    time: str = ""  # "10:32"
    source: str = ""
    doc_no: str = ""
    paragraphs: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (file name, extension)
    page_date: dt.date | None = None  # the article page's own date when it disagrees with the list
    # citizen message
    asker: str = ""
    question: str = ""
    reply: str = ""
    replier: str = ""
    replied: dt.date | None = None
    # service guide
    elements: dict[str, str] = field(default_factory=dict)


@dataclass
class ColumnData:
    name: str
    kind: ColumnKind
    slug: str
    state: str  # fresh | aging | stale | empty | static
    cid: int  # numeric id (used by the table layout's ASP URLs)
    entries: list[Entry] = field(default_factory=list)  # newest first
    static_paragraphs: list[str] = field(default_factory=list)

    @property
    def newest(self) -> dt.date | None:
        dates = [e.date for e in self.entries if e.date]
        return max(dates) if dates else None


def person(rng: random.Random) -> str:
    return rng.choice(words.SURNAMES) + "".join(rng.choice(words.GIVEN) for _ in range(rng.choice((1, 2))))


def town(rng: random.Random) -> str:
    i = rng.randrange(0, len(words.TOWN_SYLLABLES) - 1, 2)
    return words.TOWN_SYLLABLES[i : i + 2] + rng.choice(words.TOWN_SUFFIXES)


def date_cn(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def _fill(
    template: str, rng: random.Random, place: Place, d: dt.date, topic: str, leader: str, where: str = ""
) -> str:
    return template.format(
        place=place.we,
        site=place.short + ("人民政府" if place.unit != "镇" else ""),
        short=place.short,
        year=d.year,
        year5=d.year + 4,
        year15=d.year + 14,
        topic=topic,
        event=rng.choice(words.EVENTS),
        event2=rng.choice(["专题培训班", "宣传活动", "应急演练", "业务培训会"]),
        town=where or town(rng),
        leader=leader,
        name=person(rng),
        date_cn=date_cn(d),
        n=rng.randint(12, 380),
        m=rng.randint(50, 900),
        pct=rng.randint(60, 98),
        office=place.office,
        phone=place.phone,
    )


def _title(
    kind: ColumnKind, name: str, rng: random.Random, place: Place, d: dt.date, topic: str, where: str
) -> str:
    leader = f"{place.unit}{rng.choice(['长', '委书记', '委副书记'])}{person(rng)}"
    if kind == "dynamic":
        templates = words.DYNAMIC_TEMPLATES
    elif kind == "policy":
        templates = words.POLICY_TEMPLATES
    elif name.startswith("人事"):
        templates = words.PERSONNEL_TEMPLATES
    else:
        templates = words.PLAN_TEMPLATES
    return _fill(rng.choice(templates), rng, place, d, topic, leader, where)


def _article(
    entry: Entry, kind: ColumnKind, rng: random.Random, place: Place, topic: str, where: str
) -> None:
    d = entry.date
    assert d is not None
    leader = f"{place.unit}长{person(rng)}"
    entry.time = f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"
    entry.source = place.short + rng.choice(words.SOURCES)
    if kind == "dynamic":
        first = _fill(rng.choice(words.BODY_OPENINGS), rng, place, d, topic, leader, where)
        rest = rng.sample(words.BODY_SENTENCES, rng.randint(4, 7))
        sentences = [first] + [_fill(s, rng, place, d, topic, leader, where) for s in rest]
        # Two or three sentences a paragraph, like real press releases.
        entry.paragraphs = [
            "".join(sentences[i : i + rng.choice((2, 3))]) for i in range(0, len(sentences), 3)
        ]
        if rng.random() < 0.1:
            entry.attachments = [(f"{topic}工作情况统计表", "xls")]
    else:
        prefix = place.short[0] + (
            "府办发" if kind == "policy" else "府人字" if "人事" in entry.title else "府发"
        )
        entry.doc_no = f"{prefix}〔{d.year}〕{rng.randint(1, 60)}号"
        entry.paragraphs = [_fill(s, rng, place, d, topic, leader) for s in words.POLICY_SENTENCES]
        entry.paragraphs.append(f"{place.short}人民政府办公室")
        entry.paragraphs.append(f"{d.year}年{d.month}月{d.day}日")
        if rng.random() < 0.4:
            entry.attachments = [(f"{topic}工作任务清单", rng.choice(["doc", "pdf"]))]


def _message(entry: Entry, question: str, rng: random.Random, place: Place, as_of: dt.date) -> None:
    d = entry.date
    assert d is not None
    entry.asker = rng.choice(words.SURNAMES) + "**"
    entry.question = question
    entry.replier = place.short + rng.choice(
        ["政府办公室", "住房和城乡建设局", "人力资源和社会保障局", "医疗保障局"]
    )
    detail = rng.choice(words.REPLY_DETAILS)
    entry.reply = rng.choice(words.REPLY_TEMPLATES).format(detail=detail, phone=place.phone)
    entry.replied = min(as_of, d + dt.timedelta(days=rng.randint(1, 7)))
    entry.time = f"{rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}"


def _guide(entry: Entry, dept: str, basis: str, rng: random.Random, place: Place) -> None:
    entry.elements = {
        "事项名称": entry.title,
        "设定依据": basis,
        "申请条件": "申请人为本行政区域内的公民、法人或者其他组织，并符合相关法律法规规定的条件。",
        "办理材料": "1.申请表（原件1份）；2.申请人身份证明（复印件1份）；3.其他相关证明材料。",
        "办理地点": f"{place.short}政务服务中心一楼{rng.randint(1, 30)}号窗口",
        "办理机构": place.short + dept,
        "收费标准": "不收费",
        "办理时间": "工作日上午8:30-12:00，下午14:30-17:30（法定节假日除外）",
        "联系电话": place.phone,
        "办理流程": "申请—受理—审查—决定—办结。",
    }
    entry.attachments = [(f"{entry.title}申请表", "doc")]


def _dates(rng: random.Random, as_of: dt.date, kind: ColumnKind, state: str, count: int) -> list[dt.date]:
    lo, hi = NEWEST_AGE[(kind, state)]
    d = as_of - dt.timedelta(days=rng.randint(lo, hi))
    dates = []
    for _ in range(count):
        dates.append(d)
        d -= dt.timedelta(days=rng.randint(*GAPS[kind]))
    return dates


def build_column(
    name: str,
    state: str,
    size: str,
    cid: int,
    rng: random.Random,
    place: Place,
    as_of: dt.date,
    titles: set[str],
    max_age: int | None = None,
) -> ColumnData:
    """Generate one column. `max_age` drops items older than that many days (year-less layouts)."""
    kind = COLUMN_KINDS[name]
    col = ColumnData(name=name, kind=kind, slug=SLUGS[name], state=state, cid=cid)
    if state == "empty":
        return col
    if kind == "other":
        fmt = {
            "site": place.name,
            "short": place.short,
            "upper": "上级人民政府",
            "province": place.province,
            "short_unit": place.unit,
            **{f"leader{i}": person(rng) for i in range(1, 5)},
        }
        col.static_paragraphs = [p.format(**fmt) for p in words.STATIC_INTROS[name]]
        return col
    if kind == "service":
        for item, dept, basis in rng.sample(words.GUIDE_ITEMS, rng.randint(5, 8)):
            entry = Entry(title=item, date=None)
            _guide(entry, dept, basis, rng, place)
            col.entries.append(entry)
        return col
    count = rng.randint(*SIZES[size]) if kind != "interact" else rng.randint(6, 10)
    messages = rng.sample(words.MESSAGE_TOPICS, count) if kind == "interact" else []
    for d in _dates(rng, as_of, kind, state, count):
        if max_age is not None and col.entries and (as_of - d).days > max_age:
            break
        topic = rng.choice(words.TOPICS)
        entry = Entry(title="", date=d)
        if kind == "interact":
            entry.title, question = messages[len(col.entries)]
            _message(entry, question, rng, place, as_of)
        else:
            for _ in range(10):  # draw again rather than number a twin title
                where = town(rng)
                entry.title = _title(kind, name, rng, place, d, topic, where)
                if entry.title not in titles:
                    break
                topic = rng.choice(words.TOPICS)
            _article(entry, kind, rng, place, topic, where)
        entry.title = _unique(entry.title, titles)
        col.entries.append(entry)
    return col


def _unique(title: str, titles: set[str]) -> str:
    """Keep titles distinct within a site (twin reports would be a finding of their own)."""
    candidate, n = title, 1
    while candidate in titles:
        n += 1
        candidate = f"{title}（{'二三四五六七八九十'[min(n - 2, 8)]}）" if n <= 10 else f"{title}（{n}）"
    titles.add(candidate)
    return candidate


def assign_ids(columns: list[ColumnData], rng: random.Random) -> None:
    """Article ids grow with the date, as in a real CMS."""
    entries = [e for c in columns for e in c.entries]
    entries.sort(key=lambda e: (e.date or dt.date.min, e.title))
    next_id = rng.randint(12000, 48000)
    for e in entries:
        e.id = next_id
        next_id += rng.randint(1, 37)
