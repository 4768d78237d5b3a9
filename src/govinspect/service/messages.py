"""找错 messages for the web doors: one message by number, and the public intake (a citizen's
message, no account). The lifecycle, listing and deadlines are in service/workflow.py."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from govinspect.registry import normalize_url
from govinspect.registry.importer import InvalidURLError
from govinspect.service.workflow import WorkflowError
from govinspect.store import SiteRow, Store
from govinspect.workflow import jiucuo

# The 问题类型 a citizen picks from (local choice: the platform's own list is not published).
PROBLEM_TYPES = (
    "错别字或表述错误",
    "内容不准确",
    "信息不更新",
    "链接打不开或页面错误",
    "办事服务无法使用",
    "互动留言不回复",
    "其他",
)
MAX_SITE = 300
MAX_URL = 2000
MIN_DESCRIPTION, MAX_DESCRIPTION = 5, 2000
MAX_BODY_BYTES = 32 * 1024  # a public submission (form or JSON; 2000 汉字 are 18 KB form-encoded)
NUMBER_PREFIX = "ZC"  # numbers given here: ZC + date + 6 random digits


def get_message(store: Store, number: str) -> jiucuo.Message | None:
    with store.unit_of_work() as uow:
        return uow.jiucuo.get(number)


def find_site(store: Store, site: str) -> SiteRow | None:
    """A registry site by 网站标识码 or home URL; None when the registry has no such site."""
    site = site.strip()
    with store.unit_of_work() as uow:
        if jiucuo.SITE_CODE_RE.match(site):
            found = uow.sites.by_code(site)
            if found is not None:
                return found
        try:
            return uow.sites.by_url(normalize_url(site))
        except InvalidURLError:
            return None


@dataclass(frozen=True)
class PublicMessage:
    site: str  # the site's home URL or 网站标识码
    problem_type: str
    description: str
    url: str = ""  # 出错网址 (optional)


# The same rules as the public API's schema (api_jiucuo.PublicIn), so both doors agree. Blank and digit
# are spelled out: a schema-driven client reads these patterns with ECMAScript rules, whose \s and \d
# differ from Python's (\x1c-\x1f, \x85 and non-ASCII digits).
BLANK = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
HTTP_URL = re.compile(rf"^$|^https?://[A-Za-z0-9.-]+(?::[0-9]{{1,5}})?(?:[/?#][^{BLANK}]*)?$")
NOT_BLANK = re.compile(f"[^{BLANK}]")


class UnknownSiteError(WorkflowError):
    """The form is right but names no site of the registry."""


def validate_public(store: Store, form: PublicMessage) -> tuple[SiteRow | None, list[str]]:
    """The site the message is for, and every problem with the form (Chinese)."""
    errors = []
    site = None
    if not NOT_BLANK.search(form.site):
        errors.append("请填写网站网址或网站标识码")
    elif len(form.site) > MAX_SITE:
        errors.append(f"网站网址或标识码不能超过{MAX_SITE}个字符")
    else:
        site = find_site(store, form.site)
    if form.problem_type not in PROBLEM_TYPES:
        errors.append(f"请选择问题类型：{'、'.join(PROBLEM_TYPES)}")
    if len(form.url) > MAX_URL:
        errors.append(f"出错网址不能超过{MAX_URL}个字符")
    elif not HTTP_URL.search(form.url.strip()):
        errors.append("出错网址应以 http:// 或 https:// 开头")
    if len(form.description) < MIN_DESCRIPTION or not NOT_BLANK.search(form.description):
        errors.append(f"请描述问题（至少{MIN_DESCRIPTION}个字）")
    elif len(form.description) > MAX_DESCRIPTION:
        errors.append(f"问题描述不能超过{MAX_DESCRIPTION}个字")
    return site, errors


def submit_public(store: Store, form: PublicMessage, when: dt.datetime | None = None) -> jiucuo.Message:
    """Store a citizen's message, routed to the site it names (待转办); WorkflowError lists every
    problem and nothing is written."""
    site, errors = validate_public(store, form)
    if site is None and not errors:
        unknown = f"网站库中没有“{form.site.strip()}”，请填写网站首页网址或网站标识码"
        raise UnknownSiteError(unknown)
    if errors or site is None:
        if site is None and NOT_BLANK.search(form.site) and len(form.site) <= MAX_SITE:
            errors.insert(0, f"网站库中没有“{form.site.strip()}”，请填写网站首页网址或网站标识码")
        raise WorkflowError("；".join(errors), errors)
    when = when or dt.datetime.now().replace(microsecond=0)
    with store.unit_of_work("保存找错留言") as uow:
        known = uow.jiucuo.numbers()
        number = ""
        while not number or number in known:
            number = f"{NUMBER_PREFIX}{when:%Y%m%d}{secrets.randbelow(10**6):06d}"
        message = jiucuo.Message(
            number=number,
            submitted=when,
            site_code=site.site_code or "",
            problem_type=form.problem_type,
            url=form.url.strip() or site.url,
            description=form.description.strip(),
            unit=site.organiser or "",
            site_id=str(site.id),
        )
        uow.jiucuo.add(message)
        return uow.jiucuo.get(number)
