"""Problems for the detector checks injected into demo sites, and their ground truth.

A site's `DetectorPlan` says where each problem goes. `inject_content` edits the generated columns
before article ids are assigned; `inject_pages` edits the rendered routes (hidden spam, cloaking,
dead interaction entries, a missing form); `detector_truth` reads the generated data back into
`Expected` findings, so the truth is computed, never typed by hand.

Every string here must be encodable in GBK: two of the sites that carry them are served in GBK.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass

from govinspect.demo import content
from govinspect.demo.content import GUIDE_ELEMENTS, ColumnData, Entry, Place
from govinspect.demo.layouts import Layout
from govinspect.demo.types import DemoSite, Expected, Farm, Route

DETECTOR_CHECK_IDS = (
    "security.spam_injection",
    "content.serious_error",
    "content.typo",
    "content.duplicate",
    "content.fake_date",
    "interact.no_channel",
    "interact.unanswered",
    "interact.slow_reply",
    "interact.canned_reply",
    "service.guide_incomplete",
    "service.attachment_broken",
)

# Thresholds of the ground truth; injected values keep wide margins from them.
UNANSWERED_DAYS = 90  # injected: asked 125-235 days before as_of, no reply
SLOW_REPLY_DAYS = 30  # injected: 40-90 days; ordinary replies take 1-7 days
CANNED_SHARE = 0.7  # injected: 80 % of replies are one boilerplate; elsewhere at most ~30 %
DUPLICATE_SIMILARITY = 0.8  # 4-gram Jaccard of two bodies; twins ~0.95, other reports <= ~0.55
GUIDE_MISSING_MIN = 4
EMPTY_VALUES = ("", "暂无", "-", "—", "/")  # "无" is a value (收费标准：无)

# --- lexicon of what is injected (wrong form, right form, sentence with {} for the form) -------
SERIOUS_ERRORS = {
    "leader": ("习近乎", "习近平", "会议传达学习了{}总书记关于基层治理工作的重要指示精神。"),
    "socialism": ("中国特色社会主意", "中国特色社会主义", "要坚持和发展{}，奋力谱写高质量发展新篇章。"),
    "mission": ("不忘初心、牢记使名", "不忘初心、牢记使命", "全体党员干部要{}，以实干实绩回应群众期盼。"),
}
TYPOS = {
    "busu": ("布署", "部署", "会议对下一阶段重点工作进行了研究{}。"),
    "jishi": ("既使", "即使", "{}天气炎热，工作人员仍然坚守在一线。"),
    "anzhuang": ("按装", "安装", "工作人员为困难群众免费{}燃气报警器。"),
    "pobu": ("迫不急待", "迫不及待", "政策一出台，群众就{}地前来咨询。"),
    "yichou": ("一愁莫展", "一筹莫展", "面对困难不能{}，要主动想办法、解难题。"),
}
# A legitimate sentence near the spam lexicon (彩票 is a lawful state lottery).
LEGIT_SENTENCES = {
    "lottery": "本次活动经费由福利彩票公益金和体育彩票公益金共同资助。",
}

SPAM_HOSTS = {
    "www.xpj8866.com": "澳门新葡京",
    "www.hg0088.vip": "皇冠体育",
    "www.tyc5533.com": "太阳城",
    "www.bjl6686.net": "百家乐",
    "www.lhc2049.com": "六合彩",
    "www.zrsx888.cc": "真人视讯",
    "www.ylc9393.com": "娱乐城",
    "www.bc365.bet": "博彩",
    "www.avsp520.xyz": "成人视频",
}
# Visible, legitimate commercial links (hard negatives for the spam check).
COMMERCIAL_LINKS = (("中国工商银行", "http://www.icbc.com.cn/"), ("中国移动", "http://www.10086.cn/"))

CANNED_REPLY = "您好！您的留言已收悉，我们将转交相关部门办理。感谢您对我们工作的关注和支持！"
# The same boilerplate with half-width punctuation and spaces: equal after normalisation.
CANNED_REPLY_VARIANT = "您好! 您的留言已收悉,我们将转交相关部门办理。感谢您对我们工作的关注和支持!"
# Replies that share a greeting but differ in substance (hard negative of the canned check).
VARIED_REPLIES = {
    "小区路灯长期不亮": "您好！经城管局现场核查，该路段6盏路灯因线路老化损坏，已于留言后第三天更换线路并全部恢复照明。",
    "咨询城乡居民医保缴费时间": "您好！明年城乡居民医保集中缴费期为9月1日至12月31日，可通过税务APP或银行网点缴纳。",
    "反映道路积水问题": "您好！住建局已将该路口排水管网改造列入今年市政计划，雨季前将新增两处雨水收集井。",
    "咨询新生儿落户办理": "您好！新生儿落户需携带出生医学证明、父母户口簿和结婚证，到户籍所在地派出所户籍窗口办理。",
    "建议增加公交班次": "您好！公交公司已自下月起在早晚高峰时段将3路、7路的发车间隔由15分钟缩短至8分钟。",
    "反映噪音扰民": "您好！生态环境局已约谈施工单位，责令其晚十点后停止高噪声作业，并安排夜间巡查。",
    "咨询退休人员资格认证": "您好！退休人员资格认证可通过手机社保APP刷脸完成，也可到社区服务站由工作人员协助办理。",
    "反映农田灌溉渠道堵塞": "您好！镇农业服务中心已组织村民清理渠道垃圾约20立方米，灌溉用水已恢复正常。",
    "咨询个体工商户注册流程": "您好！个体工商户登记可在政务服务网全程网办，提交身份证明和经营场所证明，一个工作日内办结。",
    "建议完善健身设施": "您好！体育部门已将该公园列入全民健身设施补短板项目，计划安装健身器材12件。",
    "反映学校门口交通拥堵": "您好！交警大队已在上下学时段增派警力疏导交通，并在学校周边施划临时停车位。",
    "咨询公租房申请条件": "您好！申请公租房须在本地无自有住房，家庭人均月收入低于当地最低工资标准的两倍。",
}
EXTRA_MESSAGES = [
    ("反映村道路面破损", "村里通往镇上的道路坑洼不平，雨天泥泞难行，希望尽快修补。"),
    ("咨询农村危房改造补助", "家里房屋年久失修，请问农村危房改造补助的申请条件和标准是什么？"),
    ("反映自来水水压不足", "小区高层住户水压不足，白天经常停水，希望自来水公司解决。"),
    ("建议增设便民停车位", "菜市场周边停车难，建议利用闲置空地增设便民停车位。"),
]

DEAD_CHANNEL_HTML = (
    '<div class="hdjl-entry"><a href="javascript:void(0);"><img src="/images/ldxx.png" alt="领导信箱" border="0" /></a>'
    '<img src="/images/wsly.png" alt="网上留言" border="0" /></div>'
)

GUIDE_DEFECTS = {
    "missing5": dict.fromkeys(["设定依据", "申请条件", "收费标准", "办理时间", "办理流程"]),
    "missing4": dict.fromkeys(["设定依据", "办理地点", "收费标准", "办理流程"]),
    "empty": {"办理材料": "暂无", "联系电话": "-", "办理流程": ""},
    "wu": {"收费标准": "无"},  # hard negative: "无" is a value
}


@dataclass(frozen=True)
class TextEdit:
    """A sentence appended to one article: kind "serious" | "typo" (wrong form) or "right" | "legit"."""

    column: str
    index: int  # position in the column, newest first, before anything is added
    kind: str
    key: str


@dataclass(frozen=True)
class SpamBlock:
    """Spam hidden in a page; `page` None is the home page, else (column, index) of an article."""

    style: str  # display:none | visibility:hidden | offscreen | font-size:0 | same-colour | css-class
    #             | document.write | cloaked (served only to search-engine crawlers)
    links: tuple[tuple[str, str], ...]  # (anchor text, spam host)
    text: str = ""  # spam words outside the links
    page: tuple[str, int] | None = None

    @property
    def visible_text(self) -> str:
        return " ".join(([self.text] if self.text else []) + [t for t, _ in self.links])


@dataclass(frozen=True)
class DetectorPlan:
    edits: tuple[TextEdit, ...] = ()
    twin: tuple[str, int] | None = None  # (column, index) of the report that gets a twin
    future: str | None = None  # column that gets an article dated after as_of
    date_mismatch: tuple[str, int] | None = None  # article whose page date differs from its list date
    replies: str = ""  # "" (as generated) | "canned" | "varied"
    unanswered: int = 0
    slow: int = 0
    no_channel: bool = False  # the site has no interact column; dead 领导信箱 entries on the home page
    guides: tuple[tuple[int, str], ...] = ()  # (index, key of GUIDE_DEFECTS)
    broken_form: int | None = None  # index of the guide whose form answers 404
    spam: tuple[SpamBlock, ...] = ()
    commercial_links: bool = False


# --- content -----------------------------------------------------------------------------------
def _sentence(edit: TextEdit) -> str:
    if edit.kind == "legit":
        return LEGIT_SENTENCES[edit.key]
    wrong, right, template = {**SERIOUS_ERRORS, **TYPOS}[edit.key]
    return template.format(right if edit.kind == "right" else wrong)


TWIN_TITLE_SWAPS = [
    ("主持召开", "主持"),
    ("召开", "举行"),
    ("开展", "组织开展"),
    ("扎实推进", "全力推进"),
    ("举办", "组织举办"),
    ("调研", "考察"),
    ("督导检查", "检查督导"),
    ("多措并举抓好", "全力抓好"),
    ("取得新成效", "成效明显"),
    ("部署", "安排"),
    ("获上级肯定", "受到表扬"),
]


def _twin_title(title: str, titles: set[str]) -> str:
    for old, new in TWIN_TITLE_SWAPS:
        if old in title:
            candidate = title.replace(old, new, 1)
            break
    else:
        candidate = "又讯：" + title
    return content._unique(candidate, titles)


def _twin(original: Entry, titles: set[str]) -> Entry:
    """The same report published again under another title, with a few characters changed."""
    paragraphs = list(original.paragraphs)
    paragraphs[0] = "据了解，" + paragraphs[0]
    paragraphs[-1] = paragraphs[-1].replace("要", "须", 1)
    return Entry(
        title=_twin_title(original.title, titles),
        date=original.date,
        time=original.time,
        source=original.source,
        paragraphs=paragraphs,
    )


def _new_message(title: str, question: str, asked: dt.date, rng: random.Random, place: Place) -> Entry:
    entry = Entry(title=title, date=asked)
    content._message(entry, question, rng, place, asked + dt.timedelta(days=10))
    return entry


def inject_content(
    plan: DetectorPlan,
    columns: list[ColumnData],
    place: Place,
    as_of: dt.date,
    rng: random.Random,
    titles: set[str],
) -> None:
    """Edit the generated columns in place (before ids are assigned). `rng` is the plan's own stream."""
    by_name = {c.name: c for c in columns}
    targets = {(e.column, e.index): by_name[e.column].entries[e.index] for e in plan.edits}
    for edit in plan.edits:
        assert by_name[edit.column].kind == "dynamic", edit
        targets[edit.column, edit.index].paragraphs.append(_sentence(edit))
    if plan.date_mismatch:
        name, index = plan.date_mismatch
        entry = by_name[name].entries[index]
        assert entry.date is not None
        entry.page_date = entry.date - dt.timedelta(days=9)
    if plan.twin:
        name, index = plan.twin
        col = by_name[name]
        col.entries.insert(index + 1, _twin(col.entries[index], titles))
    if plan.future:
        col = by_name[plan.future]
        d = as_of + dt.timedelta(days=rng.randint(25, 45))
        topic, where = rng.choice(content.words.TOPICS), content.town(rng)
        entry = Entry(
            title=content._unique(content._title(col.kind, col.name, rng, place, d, topic, where), titles),
            date=d,
        )
        content._article(entry, col.kind, rng, place, topic, where)
        col.entries.insert(0, entry)
    interact = [c for c in columns if c.kind == "interact"]
    for col in interact:
        _edit_messages(plan, col, place, as_of, rng)
    for col in columns:
        if col.kind == "service":
            for index, key in plan.guides:
                elements = col.entries[index].elements
                for name, value in GUIDE_DEFECTS[key].items():
                    if value is None:
                        del elements[name]
                    else:
                        elements[name] = value


def _edit_messages(
    plan: DetectorPlan, col: ColumnData, place: Place, as_of: dt.date, rng: random.Random
) -> None:
    if plan.replies == "canned":
        canned = -(-len(col.entries) * 4 // 5)  # ceil(80 %)
        for i, entry in enumerate(col.entries[:canned]):
            entry.reply = CANNED_REPLY_VARIANT if i == 1 else CANNED_REPLY
    elif plan.replies == "varied":
        for entry in col.entries:
            entry.reply = VARIED_REPLIES[entry.title]
    extra = iter(EXTRA_MESSAGES)
    for _ in range(plan.unanswered):
        title, question = next(extra)
        entry = _new_message(title, question, as_of - dt.timedelta(days=rng.randint(125, 235)), rng, place)
        entry.replied, entry.reply = None, ""
        col.entries.append(entry)
    for _ in range(plan.slow):
        title, question = next(extra)
        entry = _new_message(title, question, as_of - dt.timedelta(days=rng.randint(140, 200)), rng, place)
        assert entry.date is not None
        entry.replied = entry.date + dt.timedelta(days=rng.randint(40, 90))
        col.entries.append(entry)
    col.entries.sort(key=lambda e: e.date or dt.date.min, reverse=True)


# --- pages -------------------------------------------------------------------------------------
def _links_html(block: SpamBlock, style: str = "") -> str:
    attr = f' style="{style}"' if style else ""
    return "".join(
        f'<a href="http://{host}/" target="_blank"{attr}>{html.escape(t)}</a>' for t, host in block.links
    )


def spam_html(block: SpamBlock, n: int) -> str:
    """The markup of one spam block (n keeps class names distinct on a page)."""
    inner = (html.escape(block.text) if block.text else "") + _links_html(block)
    if block.style == "display:none":
        return f'<div style="display:none">{inner}</div>'
    if block.style == "visibility:hidden":
        return f'<div style="visibility: hidden; height: 0; overflow: hidden">{inner}</div>'
    if block.style == "offscreen":
        return f'<div style="position:absolute;left:-9999px;top:-9999px">{inner}</div>'
    if block.style == "font-size:0":
        return f'<p style="font-size:0;line-height:0">{inner}</p>'
    if block.style == "same-colour":
        text = html.escape(block.text) if block.text else ""
        return f'<div style="color:#FFFFFF;background-color:#FFFFFF"><font color="#FFFFFF">{text}</font>{_links_html(block, "color:#FFFFFF")}</div>'
    if block.style == "css-class":
        return f'<style type="text/css">.lk{n}x{{display:none}}</style><div class="lk{n}x">{inner}</div>'
    if block.style == "document.write":
        markup = f'<div style="display:none">{inner}</div>'.replace("'", "\\'")
        return f"<script type=\"text/javascript\">document.write('{markup}');</script>"
    if block.style == "cloaked":
        return f'<div class="links">{inner}</div>'
    raise ValueError(block.style)


def _insert_before_body_end(body: bytes, encoding: str, markup: str) -> bytes:
    text = body.decode(encoding)
    at = text.rindex("</body>")
    return (text[:at] + markup + "\n" + text[at:]).encode(encoding)


def page_path(layout: Layout, columns: list[ColumnData], page: tuple[str, int] | None) -> str:
    if page is None:
        return "/"
    name, index = page
    col = next(c for c in columns if c.name == name)
    return layout.item_path(col, col.entries[index])


def inject_pages(
    plan: DetectorPlan, site: DemoSite, layout: Layout, columns: list[ColumnData], png: bytes
) -> None:
    """Edit the rendered routes: hidden and cloaked spam, dead interaction entries, a missing form."""
    enc = site.encoding
    paths: dict[str, list[str]] = {}  # page path -> the site paths serving it
    for block_page in {b.page for b in plan.spam} | ({None} if plan.no_channel else set()):
        path = page_path(layout, columns, block_page)
        paths[path] = ["/", "/index.html"] if path == "/" else [path]
    for n, block in enumerate(plan.spam, 1):
        if block.style == "cloaked":
            continue
        for path in paths[page_path(layout, columns, block.page)]:
            route = site.routes[path]
            route.body = _insert_before_body_end(route.body, enc, spam_html(block, n))
    if plan.no_channel:
        for path in paths["/"]:
            route = site.routes[path]
            route.body = _insert_before_body_end(route.body, enc, DEAD_CHANNEL_HTML)
        for name in ("ldxx", "wsly"):
            site.routes[f"/images/{name}.png"] = Route(content_type="image/png", body=png)
    for n, block in enumerate(plan.spam, 1):
        if block.style != "cloaked":
            continue
        for path in paths[page_path(layout, columns, block.page)]:
            route = site.routes[path]
            route.crawler_body = _insert_before_body_end(
                route.crawler_body or route.body, enc, spam_html(block, n)
            )
    if plan.broken_form is not None:
        col = next(c for c in columns if c.kind == "service")
        entry = col.entries[plan.broken_form]
        del site.routes[layout.attachment_path(col, entry, 1, entry.attachments[0][1])]


def external_hosts() -> dict[str, str]:
    """Host -> page title of the hosts the injected links point to (the farm serves them with 200)."""
    hosts = {host: f"{brand}官方网站" for host, brand in SPAM_HOSTS.items()}
    for name, url in COMMERCIAL_LINKS:
        hosts[url.split("/")[2]] = name
    return hosts


# --- ground truth ------------------------------------------------------------------------------
def normalise_reply(text: str) -> str:
    """A reply without width, spacing or punctuation differences."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if ch.isalnum())


def grams(text: str, n: int = 4) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def similarity(a: str, b: str) -> float:
    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


def _finds(entry: Entry, lexicon: dict[str, tuple[str, str, str]]) -> list[str]:
    body = "".join(entry.paragraphs)
    return [wrong for wrong, _, _ in lexicon.values() if wrong in body]


def detector_truth(
    site: DemoSite, layout: Layout, columns: list[ColumnData], plan: DetectorPlan | None, farm: Farm
) -> list[Expected]:
    """Every finding of DETECTOR_CHECK_IDS the site's data implies."""
    as_of = farm.as_of
    out: list[Expected] = []

    def url_of(col: ColumnData, e: Entry) -> str:
        return f"http://{site.host}{layout.item_path(col, e)}"

    def col_url(col: ColumnData) -> str:
        return f"http://{site.host}{layout.col_path(col)}"

    for block in plan.spam if plan else ():
        url = f"http://{site.host}{page_path(layout, columns, block.page)}"
        out.append(Expected("security.spam_injection", url=url, text=block.visible_text, detail=block.style))
    articles = [(c, e) for c in columns if c.kind in ("dynamic", "policy", "long") for e in c.entries]
    for col, e in articles:
        for wrong in _finds(e, SERIOUS_ERRORS):
            out.append(Expected("content.serious_error", col.name, url_of(col, e), text=wrong))
    for col, e in articles:
        for wrong in _finds(e, TYPOS):
            out.append(Expected("content.typo", col.name, url_of(col, e), text=wrong))
    for col in columns:
        if col.kind != "dynamic":  # 孪生报道 are news reports
            continue
        bodies = [(e, "".join(e.paragraphs)) for e in col.entries]
        for i, (a, body_a) in enumerate(bodies):
            for b, body_b in bodies[i + 1 :]:
                if similarity(body_a, body_b) >= DUPLICATE_SIMILARITY:
                    later, earlier = (a, b) if a.id > b.id else (b, a)
                    out.append(
                        Expected("content.duplicate", col.name, url_of(col, later), text=url_of(col, earlier))
                    )
    for col, e in articles:
        if e.date and e.date > as_of:
            out.append(
                Expected(
                    "content.fake_date", col.name, url_of(col, e), text=e.date.isoformat(), detail="future"
                )
            )
        elif e.date and e.page_date and e.page_date != e.date:
            text = f"{e.date.isoformat()}≠{e.page_date.isoformat()}"
            out.append(
                Expected("content.fake_date", col.name, url_of(col, e), text=text, detail="list_mismatch")
            )
    interact = [c for c in columns if c.kind == "interact"]
    if not interact:
        out.append(
            Expected("interact.no_channel", url=site.url, text="领导信箱", detail="no working channel")
        )
    for col in interact:
        for e in col.entries:
            assert e.date is not None
            if e.replied is None and (as_of - e.date).days > UNANSWERED_DAYS:
                out.append(Expected("interact.unanswered", col.name, url_of(col, e), text=e.date.isoformat()))
            elif e.replied is not None and (e.replied - e.date).days > SLOW_REPLY_DAYS:
                days = str((e.replied - e.date).days)
                out.append(Expected("interact.slow_reply", col.name, url_of(col, e), text=days))
        replies = [normalise_reply(e.reply) for e in col.entries if e.replied is not None]
        if replies:
            reply, count = Counter(replies).most_common(1)[0]
            if count / len(replies) >= CANNED_SHARE:
                canned = next(e.reply for e in col.entries if normalise_reply(e.reply) == reply)
                out.append(Expected("interact.canned_reply", col.name, col_url(col), text=canned))
    for col in columns:
        if col.kind != "service":
            continue
        for e in col.entries:
            missing = [k for k in GUIDE_ELEMENTS if k not in e.elements]
            empty = [k for k in GUIDE_ELEMENTS if k in e.elements and e.elements[k].strip() in EMPTY_VALUES]
            if len(missing) >= GUIDE_MISSING_MIN or empty:
                detail = "missing" if len(missing) >= GUIDE_MISSING_MIN else "empty"
                out.append(
                    Expected(
                        "service.guide_incomplete",
                        col.name,
                        url_of(col, e),
                        text="、".join(missing + empty),
                        detail=detail,
                    )
                )
        for e in col.entries:
            for i, (_, ext) in enumerate(e.attachments, 1):
                url = f"http://{site.host}{layout.attachment_path(col, e, i, ext)}"
                target = farm.resolve(url)
                if target is None or target.status >= 400:
                    out.append(Expected("service.attachment_broken", col.name, url))
    return out
