"""Precision, recall and F1 of the content/security/interact/service detectors.

    python bench/detectors.py            # labelled set + real data
    python bench/detectors.py --fast     # labelled set only

1. The labelled set tests/fixtures/detectors/cases.json (built by make_cases.py beside it): each
   case is a page, text or reply set with the check id it should (positive) or should not raise.
2. SIGHAN 2014/2015 + ECSpell (shared/realpages/spelling): false alarms of content.typo and
   content.serious_error on clean sentences, and typo hits on the erroneous ones.
3. Real citizen messages (shared/realpages/messages): reply delays and the canned-reply share.
4. security.defacement on labelled home-page pairs (baseline, current) built from the demo farm:
   the same home page a month later, other templates of the same site and benign edits must not
   fire; hacker pages, black pages, spam blocks and gambling clones must (`defacement_cases`).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import defaultdict
from pathlib import Path

from govinspect.checks import CheckContext
from govinspect.checks.content import check_duplicate, check_fake_date, check_serious_error, check_typo
from govinspect.checks.defacement import check_defacement, home_fingerprint
from govinspect.checks.interact import (
    canned_groups,
    check_canned_reply,
    check_no_channel,
    check_slow_reply,
    check_unanswered,
)
from govinspect.checks.security import check_spam_injection
from govinspect.checks.service import check_guide_incomplete
from govinspect.extract import extract_article, extract_guide, extract_messages
from govinspect.model import Article, Message, Page, SiteModel
from govinspect.rules.rubric import load_rubric

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fixtures" / "detectors" / "cases.json"
REAL = ROOT.parent / "shared" / "realpages"  # shared/ sits beside the checkout
AS_OF = dt.date(2026, 11, 20)


def _ctx(as_of: str | None = None) -> CheckContext:
    return CheckContext(as_of=dt.date.fromisoformat(as_of) if as_of else AS_OF, rubric=load_rubric())


def _page(url: str, html: str) -> Page:
    return Page(url=url, final_url=url, status=200, content_type="text/html", text=html)


def _site(**kw) -> SiteModel:
    return SiteModel(url="http://www.xx.gov.cn/", host="www.xx.gov.cn", **kw)


def predict(case: dict) -> bool:
    """Whether the detector raises its check on the case."""
    check = case["check"]
    ctx = _ctx(case.get("as_of"))
    url = "http://www.xx.gov.cn/zwdt/1.html"
    if check in ("content.serious_error", "content.typo"):
        site = _site(articles=[Article(url=url, text=case["text"])])
        found = (check_serious_error if check == "content.serious_error" else check_typo)(site, ctx)
    elif check == "security.spam_injection":
        site = _site(home=_page("http://www.xx.gov.cn/", case["html"]))
        if case.get("crawler_html"):
            site.crawler_view = _page("http://www.xx.gov.cn/", case["crawler_html"])  # the optional field
        found = check_spam_injection(site, ctx)
    elif check == "interact.canned_reply":
        messages = [
            Message(url=f"{url}?m={i}", reply_text=r, answered=True, column="领导信箱")
            for i, r in enumerate(case["replies"])
        ]
        found = check_canned_reply(_site(messages=messages), ctx)
    elif check in ("interact.unanswered", "interact.slow_reply"):
        messages = extract_messages(case["html"], url, ctx.as_of)
        checker = check_unanswered if check == "interact.unanswered" else check_slow_reply
        found = checker(_site(messages=messages), ctx)
    elif check == "service.guide_incomplete":
        found = check_guide_incomplete(_site(guides=[extract_guide(case["html"], url)]), ctx)
        found = [f for f in found if f.check == check]
    elif check == "content.duplicate":
        a = Article(url=url, title="甲", text=case["a"], column="")
        b = Article(url=url + "?b", title="甲" if case.get("same_title") else "乙", text=case["b"], column="")
        found = check_duplicate(_site(articles=[a, b]), ctx)
    elif check == "content.fake_date":
        article = extract_article(case["html"], url, ctx.as_of + dt.timedelta(days=400))
        article.list_date = dt.date.fromisoformat(case["list_date"]) if case.get("list_date") else None
        found = check_fake_date(_site(articles=[article]), ctx)
    elif check == "interact.no_channel":
        found = check_no_channel(_site(home=_page("http://www.xx.gov.cn/", case["html"])), ctx)
    else:
        raise ValueError(check)
    return any(f.check == check for f in found)


def score_cases(cases: list[dict]) -> dict[str, dict[str, float]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
    for case in cases:
        got, want = predict(case), case["positive"]
        key = "tp" if got and want else "fp" if got else "fn" if want else "tn"
        counts[case["check"]][key] += 1
    table = {}
    for check, c in sorted(counts.items()):
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        table[check] = {"precision": p, "recall": r, "f1": f1, **c}
    return table


def load_cases() -> list[dict]:
    return json.loads(CASES.read_text(encoding="utf-8"))


def spelling_report() -> dict[str, float]:
    """False alarms on clean lines, typo flags on erroneous lines (SIGHAN/ECSpell)."""
    ctx = _ctx()
    clean = flagged_typo = flagged_serious = erroneous = caught = 0
    for name in (
        "sighan_simplified_test2014.txt",
        "sighan_simplified_test2015.txt",
        "ecspell_law.test",
        "ecspell_med.test",
    ):
        for line in (REAL / "spelling" / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3:
                continue
            n, source, target = parts[0], parts[1], parts[2]
            # The corrected sentence is a clean text whatever the source was.
            clean += 1
            site = _site(articles=[Article(url="u", text=target)])
            flagged_typo += bool(check_typo(site, ctx))
            flagged_serious += bool(check_serious_error(site, ctx))
            if n != "0":
                erroneous += 1
                caught += bool(check_typo(_site(articles=[Article(url="u", text=source)]), ctx))
    return {
        "clean_lines": clean,
        "typo_false_alarm_rate": flagged_typo / clean,
        "serious_false_alarm_rate": flagged_serious / clean,
        "erroneous_lines": erroneous,
        "typo_lines_caught": caught,
    }


def messages_report() -> dict[str, float]:
    import openpyxl

    wb = openpyxl.load_workbook(REAL / "messages" / "full_dataset_sheet_4.xlsx", read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))[1:]
    delays, messages = [], []
    for row in rows:
        asked, reply, replied = row[3], row[5], row[6]
        try:
            a = dt.datetime.strptime(str(asked).strip(), "%Y/%m/%d %H:%M:%S").date()
            r = dt.datetime.strptime(str(replied).strip(), "%Y/%m/%d %H:%M:%S").date()
        except ValueError:
            continue
        delays.append((r - a).days)
        messages.append(
            Message(url=str(row[0]), asked=a, replied=r, reply_text=str(reply or ""), answered=True)
        )
    delays.sort()
    size, total, _ = canned_groups(messages)
    slow = sum(1 for d in delays if d > 21)
    return {
        "messages": len(messages),
        "median_reply_days": delays[len(delays) // 2],
        "share_over_21_days": slow / len(delays),
        "largest_identical_reply_group": size,
        "canned_share": size / total if total else 0.0,
    }


# -- security.defacement: labelled (baseline, current) home-page pairs ------------------------

DEFACE_DAY = dt.date(2026, 11, 20)
_HACKED_EN = (
    "<html><head><title>Hacked by Xr00t</title></head><body style='background:#000;color:#0f0'>"
    "<center><h1>Hacked by Xr00t</h1><p>Your security is low. Greetz: all crew</p></center></body></html>"
)
_HACKED_CN = (
    "<html><head><title>网站安全警告</title></head><body bgcolor='black'><center><h1>本站已被黑</h1>"
    "<p>请管理员尽快修补漏洞，我们只是路过。</p></center></body></html>"
)
# No lexicon word at all: only the replaced template, text, name and navigation give it away.
_BLACK_PAGE = (
    "<html><head><title>::: 1337 :::</title></head><body style='background:#000;color:#0f0'>"
    "<center><img src='http://evil.example/skull.gif'><h1>Indonesian Cyber Freedom</h1>"
    "<marquee>We are legion. Expect us.</marquee></center></body></html>"
)
_CLONE = (
    "<html><head><title>澳门新葡京娱乐场-官方网站</title></head><body><div class='top'>"
    "<a href='http://www.xpj-888.com/'>立即注册</a><a href='http://www.xpj-888.com/app'>下载APP</a></div>"
    "<div class='game'><h2>真人视讯</h2><p>澳门新葡京 百家乐 真人荷官 在线发牌</p></div></body></html>"
)
_SPAM_BLOCK = (
    "<div class='links'>"
    + "".join(
        f"<a href='http://www.{i}bet.com/'>{b}</a>"
        for i, b in enumerate(["澳门新葡京", "皇冠体育", "太阳城集团", "k8凯发", "亚博体育", "开云体育"])
    )
    + "</div>"
)
_HIDDEN_SPAM = "<div style='display:none'><a href='http://www.ag88.com/'>ag真人 九游会 乐鱼体育</a></div>"
_MAINTENANCE = (
    "<html><head><title>系统维护</title></head><body><div class='notice'>"
    "<p>网站系统升级维护中，暂停访问，敬请谅解。</p></div></body></html>"
)
_SECURITY_NEWS = (
    "<p class='tip'><a href='/aqxc/1.html'>网信办提醒：谨防境外黑客攻击，筑牢网络安全防线</a></p>"
)
_NEW_FRIEND = "<p class='yqlj'><a href='http://www.ccb.com/'>中国建设银行</a><a href='http://www.12306.cn/'>中国铁路12306</a></p>"


def _after_body(html: str, block: str) -> str:
    at = html.lower().find("<body")
    at = html.find(">", at) + 1 if at >= 0 else 0
    return html[:at] + block + html[at:]


def _farm_homes(as_of: dt.date, layout: str | None = None) -> dict[str, tuple[str, str]]:
    """host -> (site name, home-page HTML) of every demo site serving its home page."""
    import dataclasses

    from govinspect.demo import farm as demo_farm

    homes = {}
    for spec in demo_farm.SPECS:
        # The issue-12 sites (other CMS families) are not part of this labelled set: it stays as measured.
        if spec.bad or spec.problem or spec.new_layout or (layout and layout == spec.layout):
            continue
        built = demo_farm._render(dataclasses.replace(spec, layout=layout) if layout else spec, as_of)
        route = built.site.routes.get("/")
        if route is None or route.status != 200 or not route.content_type.startswith("text/html"):
            continue
        homes[spec.host] = (built.site.name, route.body.decode(spec.encoding))
    return homes


def defacement_cases() -> list[dict]:
    """Labelled pairs: {host, name, label, baseline (html), current (html), positive}."""
    from govinspect.demo.layouts import LAYOUTS

    day1 = _farm_homes(DEFACE_DAY)
    day2 = _farm_homes(DEFACE_DAY + dt.timedelta(days=30))
    day3 = _farm_homes(DEFACE_DAY + dt.timedelta(days=200))
    other = {layout: _farm_homes(DEFACE_DAY + dt.timedelta(days=30), layout) for layout in LAYOUTS}
    cases = []
    for host, (name, base) in day1.items():
        later, much_later = day2[host][1], day3[host][1]

        def case(label: str, current: str, positive: bool, host=host, name=name, base=base) -> None:
            cases.append(
                {
                    "host": host,
                    "name": name,
                    "label": label,
                    "baseline": base,
                    "current": current,
                    "positive": positive,
                }
            )

        case("update_30d", later, False)
        case("update_200d", much_later, False)
        for layout, homes in other.items():
            if host in homes:
                case(f"redesign_{layout}", homes[host][1], False)
        case("maintenance", _MAINTENANCE, False)
        case("security_news", _after_body(later, _SECURITY_NEWS), False)
        case("new_friend_links", _after_body(later, _NEW_FRIEND), False)
        case("hacked_en", _HACKED_EN, True)
        case("hacked_cn", _HACKED_CN, True)
        case("black_page", _BLACK_PAGE, True)
        case("gambling_clone", _CLONE, True)
        case("spam_block", _after_body(later, _SPAM_BLOCK), True)
        case("hidden_spam", _after_body(later, _HIDDEN_SPAM), True)
    return cases


def predict_defacement(case: dict) -> bool:
    url = f"http://{case['host']}/"
    site = SiteModel(url=url, host=case["host"], name=case["name"], home=_page(url, case["current"]))
    site.baseline = home_fingerprint(_page(url, case["baseline"]))
    return any(f.check == "security.defacement" for f in check_defacement(site, _ctx(DEFACE_DAY.isoformat())))


def score_defacement(cases: list[dict]) -> dict[str, object]:
    c = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    wrong = []
    for case in cases:
        got, want = predict_defacement(case), case["positive"]
        c["tp" if got and want else "fp" if got else "fn" if want else "tn"] += 1
        if got != want:
            wrong.append(f"{case['host']}:{case['label']}")
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, **c, "wrong": wrong}


def main(argv: list[str]) -> None:
    table = score_cases(load_cases())
    table["security.defacement"] = score_defacement(defacement_cases())
    print(f"{'check':28} {'P':>6} {'R':>6} {'F1':>6}   tp fp fn tn")
    for check, row in table.items():
        print(
            f"{check:28} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}  "
            f"{row['tp']:3} {row['fp']:2} {row['fn']:2} {row['tn']:2}"
        )
    if "--fast" in argv or not REAL.exists():
        return
    print("\nSIGHAN 2014/2015 + ECSpell law/med:")
    for key, value in spelling_report().items():
        print(f"  {key}: {value:.4f}" if isinstance(value, float) else f"  {key}: {value}")
    print("\nReal citizen messages (2020 TipDM set):")
    for key, value in messages_report().items():
        print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
