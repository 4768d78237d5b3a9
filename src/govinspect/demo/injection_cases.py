"""Labelled cases for security.content_injection on realistic government-article markup.

Positives: a promotional passage about a private person or company spliced into a government news
article (an 关于专家组 CV, a chain of honorary titles, a private body's 院士, a company title with a
biography), at two positions, with and without the pasted markup it usually keeps. Hard negatives:
officials with long official titles, expert panels of government bodies, appointment notices with a
biography, companies as policy subjects, a company chairman speaking at a government meeting,
national academicians. The truth comes from the cases' own specification (`positive`, `paragraph`).
All names and bodies are invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

SITE = "某某县人民政府"


@dataclass(frozen=True)
class InjectionCase:
    id: str
    html: str
    title: str
    positive: bool
    paragraph: int | None  # 1-based paragraph of the inserted passage in the body text
    passage: str | None


# (title, paragraphs) of ordinary government articles.
BODIES: list[tuple[str, list[str]]] = [
    (
        "我县召开安全生产工作专题会议",
        [
            "11月18日，我县召开安全生产工作专题会议，传达学习上级会议精神，分析当前安全生产形势，部署下一阶段重点工作。",
            "会议指出，各乡镇、各部门要坚持人民至上、生命至上，压紧压实安全生产责任，深入开展隐患排查整治。",
            "会议强调，要加强应急值守，严格落实领导带班和24小时值班制度，确保信息畅通、处置及时。",
            "县应急管理局、县住房城乡建设局、县交通运输局等部门负责同志参加会议。",
        ],
    ),
    (
        "县长带队调研重点项目建设",
        [
            "11月12日上午，县长带队深入开发区，实地察看重点项目建设进展情况，现场协调解决项目推进中的困难和问题。",
            "在各项目现场，县长详细了解项目投资、施工进度和要素保障情况，要求各责任单位倒排工期、挂图作战。",
            "调研中强调，要持续优化营商环境，落实惠企政策，推动项目早开工、早投产、早见效。",
            "县发展改革局、县自然资源局、开发区管委会负责同志陪同调研。",
        ],
    ),
    (
        "我县举办2026年农村实用技术培训班",
        [
            "为提升农民科学种养水平，11月5日，县农业农村局在县党校举办2026年农村实用技术培训班，全县120余名种养大户参加培训。",
            "培训围绕水稻绿色高产栽培、生猪疫病防控、农产品电商销售等内容展开，采取理论讲授与现场观摩相结合的方式。",
            "参训学员表示，培训内容贴近生产实际，学到了实用技术，将把所学知识运用到生产中去。",
            "下一步，县农业农村局将继续开展分层分类培训，为乡村振兴提供人才支撑。",
        ],
    ),
    (
        "市文化和旅游局开展非遗进校园活动",
        [
            "10月28日，市文化和旅游局联合市教育局在市第一中学开展非物质文化遗产进校园活动。",
            "活动现场，非遗传承人为师生展示了剪纸、竹编、皮影等传统技艺，同学们在传承人指导下亲手体验。",
            "市文化和旅游局相关负责人表示，将持续推动非遗保护传承工作，让传统文化在青少年中生根发芽。",
        ],
    ),
    (
        "区政府召开优化营商环境企业座谈会",
        [
            "11月20日，区政府召开优化营商环境企业座谈会，听取企业对营商环境建设的意见建议。",
            "座谈会上，区发展改革局通报了今年以来营商环境工作进展，与会企业围绕融资、用地、用工等方面提出了意见建议。",
            "区长指出，各部门要主动靠前服务，建立问题清单，逐项研究解决，切实为企业纾困解难。",
            "区工业和信息化局、区市场监督管理局等部门负责同志参加座谈。",
        ],
    ),
    (
        "省卫生健康委专家组来我县督导传染病防控工作",
        [
            "11月15日至16日，省卫生健康委专家组一行来我县督导秋冬季传染病防控工作。",
            "专家组实地查看了县人民医院发热门诊、县疾病预防控制中心实验室和部分乡镇卫生院，查阅了相关台账资料。",
            "督导反馈会上，专家组对我县防控工作给予肯定，并就监测预警、院感防控等提出了具体指导意见。",
            "县卫生健康局表示，将对照反馈问题逐项整改，切实筑牢传染病防控屏障。",
        ],
    ),
]

# Promotional passages (one paragraph each): (kind, text).
INSERTS: list[tuple[str, str]] = [
    (
        "cv_section",
        "关于专家组：钱立衡，男，1962年出生，毕业于华夏管理学院，现任国际欧亚生命科学院院士、"
        "北方某大学客座教授、中华养生文化促进会名誉会长，先后荣获“世界杰出华人奖”“国际养生金奖”等荣誉。",
    ),
    (
        "honorary_chain",
        "活动特邀国学大师、世界杰出华人、环球华人文化交流协会名誉主席蒋鹤年先生到场指导，并向学员赠送了本人书法作品。",
    ),
    (
        "company_bio",
        "深圳市恒瑞通达投资控股有限公司董事长、创始人欧阳锦华，1975年生于广东潮州，毕业于香港某商学院，"
        "被誉为“新时代杰出民营企业家”，先后获得“中国品牌建设十大杰出人物”等称号。",
    ),
    (
        "private_academy",
        "俄罗斯自然科学院院士、国际注册高级策划师、亚太经济文化研究院终身荣誉院长骆文彬教授出席活动并作主旨演讲。",
    ),
    (
        "expert_intro",
        "专家简介：邝雪晴，女，祖籍福建莆田，师从国际知名营养学家，现任美国国际自然医学会首席专家、"
        "多家企业高级顾问，著有《吃出健康》等畅销书。",
    ),
    (
        "company_honorary",
        "北京华瑞天成文化传媒有限公司创始人、中国传统文化形象大使、多所高校客座教授苗青山出席启动仪式并致辞。",
    ),
    # Subtle: a company title and a one-off name, nothing else (the detector is expected to miss
    # these; they keep the recall figure honest).
    (
        "subtle_company_sponsor",
        "本次活动由广州市德润康健生物科技有限公司董事长黎永康全程赞助，该公司产品深受广大群众信赖。",
    ),
]

# Hard negatives (one paragraph each): official titles, government expert panels, biographies of
# officials, companies as policy subjects.
NEGATIVES: list[tuple[str, str]] = [
    (
        "long_official_titles",
        "省委常委、常务副省长、省政府党组副书记刘某某，副省长、省公安厅厅长陈某某出席会议并讲话。",
    ),
    (
        "government_expert_panel",
        "关于专家组组成。专家组由市农业农村局、市林业局相关业务科室负责同志和技术人员组成，组长由市农业农村局分管副局长担任。",
    ),
    (
        "appointment_notice",
        "王某某，男，汉族，1978年3月出生，毕业于湖南师范大学，中共党员，现任县财政局副局长，拟任县审计局局长。",
    ),
    (
        "companies_as_subjects",
        "湖南恒信精密科技有限公司、长沙宏远新材料股份有限公司等12家企业入选2026年度省级专精特新中小企业名单。",
    ),
    (
        "chairman_at_meeting",
        "座谈中，湖南金叶农业发展有限公司董事长介绍了企业生产经营情况，希望在用地审批方面得到支持。",
    ),
    (
        "national_academician",
        "中国工程院院士、国家杂交水稻工程技术研究中心主任李某某受邀作专题报告，介绍了水稻育种最新进展。",
    ),
    (
        "retired_official_honorary",
        "原市政协副主席、市老年书画研究会名誉会长周某某为活动题词。",
    ),
    (
        "unit_awards",
        "近年来，我县先后荣获全国文明城市、国家卫生县城、全国综合减灾示范县等称号，被评为省级乡村振兴先进县。",
    ),
]

_PLAIN_P = '<p style="text-indent: 2em;">{}</p>'
# How a pasted passage usually arrives: an editor's own fonts (WeChat/Word), or plain like the rest.
_SEAMS = {
    "plain": _PLAIN_P,
    "wechat_section": (
        '<section style="margin: 0px; padding: 0px; font-family: 微软雅黑; font-size: 15px; color: rgb(62, 62, 62);">'
        '<span style="font-family: 微软雅黑; font-size: 15px; color: rgb(62, 62, 62);">{}</span></section>'
    ),
    "word_span": (
        '<p style="text-indent: 2em;"><span style="font-family: 仿宋_GB2312; font-size: 16pt; '
        'line-height: 150%;">{}</span></p>'
    ),
}


def article_html(title: str, paragraphs: list[tuple[str, str]], date: str = "2026-11-20") -> str:
    """A government CMS article page; `paragraphs` are (text, markup pattern) pairs."""
    body = "\n".join(pattern.format(escape(text)) for text, pattern in paragraphs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(title)}_{SITE}</title></head><body>"
        '<div class="header"><div class="logo">某某县人民政府</div><ul class="nav"><li><a href="/">首页</a></li>'
        '<li><a href="/zwgk/">政务公开</a></li><li><a href="/zwdt/">政务动态</a></li>'
        '<li><a href="/hdjl/">互动交流</a></li></ul></div>'
        '<div class="main"><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwdt/">政务动态</a></div>'
        f'<div class="article"><h1 class="article-title">{escape(title)}</h1>'
        f'<div class="article-info">发布时间：{date}　来源：县政府办公室　浏览次数：<span id="count">128</span></div>'
        f'<div class="article-content TRS_Editor">{body}</div></div></div>'
        '<div class="footer"><p>主办单位：某某县人民政府办公室　网站标识码：4300000001</p>'
        "<p>ICP备案：湘ICP备00000001号</p></div></body></html>"
    )


def build_cases() -> list[InjectionCase]:
    cases = []
    for b, (title, paragraphs) in enumerate(BODIES):
        plain = [(p, _PLAIN_P) for p in paragraphs]
        cases.append(InjectionCase(f"clean-{b}", article_html(title, plain), title, False, None, None))
        for kind, passage in INSERTS:
            for where in (1, len(paragraphs) - 1):
                for seam, pattern in _SEAMS.items():
                    body = plain[:where] + [(passage, pattern)] + plain[where:]
                    cases.append(
                        InjectionCase(
                            f"insert-{b}-{kind}-{where}-{seam}",
                            article_html(title, body),
                            title,
                            True,
                            where + 1,
                            passage,
                        )
                    )
        for kind, passage in NEGATIVES:
            where = len(paragraphs) // 2
            body = plain[:where] + [(passage, _PLAIN_P)] + plain[where:]
            cases.append(
                InjectionCase(f"negative-{b}-{kind}", article_html(title, body), title, False, None, None)
            )
            # The same sentence in another editor's markup is still not promotion.
            body = plain[:where] + [(passage, _SEAMS["word_span"])] + plain[where:]
            cases.append(
                InjectionCase(
                    f"negative-{b}-{kind}-span", article_html(title, body), title, False, None, None
                )
            )
    return cases
