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
import functools
import json
import sys
from collections import defaultdict
from pathlib import Path

from govinspect.checks import CheckContext
from govinspect.checks.content import check_duplicate, check_fake_date, check_serious_error, check_typo
from govinspect.checks.defacement import check_defacement
from govinspect.checks.guides import check_guide_incomplete
from govinspect.checks.interact import (
    canned_groups,
    check_canned_reply,
    check_no_channel,
    check_slow_reply,
    check_unanswered,
)
from govinspect.checks.security import check_spam_injection
from govinspect.extract import extract_article, extract_guide, extract_messages
from govinspect.extract.fingerprint import home_fingerprint
from govinspect.extract.page_facts import read_site_facts
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
    """A site model as the crawl leaves it: what the checks need of the HTML already read."""
    site = SiteModel(url="http://www.xx.gov.cn/", host="www.xx.gov.cn", **kw)
    read_site_facts(site)
    return site


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
            site.crawler_view = _page("http://www.xx.gov.cn/", case["crawler_html"])
            read_site_facts(site)
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
            flagged_typo += any(f.check == "content.typo" for f in check_typo(site, ctx))
            flagged_serious += bool(check_serious_error(site, ctx))
            if n != "0":
                erroneous += 1
                found = check_typo(_site(articles=[Article(url="u", text=source)]), ctx)
                caught += any(f.check == "content.typo" for f in found)
    return {
        "clean_lines": clean,
        "typo_false_alarm_rate": flagged_typo / clean,
        "serious_false_alarm_rate": flagged_serious / clean,
        "erroneous_lines": erroneous,
        "typo_lines_caught": caught,
    }


# -- content.typo on the shared spelling sets, tuning and held-out halves ----------------------

SPELLING_SETS = {
    "公文 (ecspell_odw.train)": "ecspell_odw.train",
    "law (ecspell_law.test)": "ecspell_law.test",
    "med (ecspell_med.test)": "ecspell_med.test",
    "SIGHAN 2014": "sighan_simplified_test2014.txt",
    "SIGHAN 2015": "sighan_simplified_test2015.txt",
}
FIXTURE_SPELLING = ROOT / "tests" / "fixtures" / "spelling"


def spelling_pairs(name: str, part: str, folder: Path | None = None) -> list[tuple[str, str]]:
    """(source, corrected) sentences of one half: `tune` = even line numbers (0-based), `held` = odd.
    Only the tuning half was looked at while choosing weights and thresholds.
    `held-novel`: the held-out lines whose corrected sentence is not also a corrected sentence of the
    tuning half. ECSpell's 公文 training split repeats one sentence with different errors (462 of its
    860 odd lines correct to an even line's sentence), so anything learnt from the tuning half's
    corrected text is measured honestly only there (and on the other sets)."""
    folder = folder or (REAL / "spelling" if (REAL / "spelling" / name).exists() else FIXTURE_SPELLING)
    pairs = []
    for k, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines()):
        parts = line.split("\t")
        if len(parts) < 3 or len(parts[1]) != len(parts[2]):
            continue
        if (part == "tune") == bool(k % 2):
            continue
        pairs.append((parts[1], parts[2]))
    if part == "held-novel":
        seen = {target for _, target in spelling_pairs(name, "tune", folder)}
        pairs = [(source, target) for source, target in pairs if target not in seen]
    return pairs


def flagged_positions(text: str, check: str = "content.typo", vocab=None) -> set[int]:
    """Character positions the typo check (lexicon + statistical) marks as wrong in one sentence."""
    from govinspect.checks.content import typo_text_findings

    positions = set()
    for f in typo_text_findings(text, vocab):
        if f.check != check:
            continue
        diff = [f.start + i for i, (a, b) in enumerate(zip(f.wrong, f.correct, strict=False)) if a != b]
        positions.update(diff or range(f.start, f.end))
    return positions


def typo_scores(
    pairs: list[tuple[str, str]], check: str = "content.typo", as_site: bool = False
) -> dict[str, float]:
    """Sentence level: a flagged erroneous sentence counts when every flagged character is a real
    error (tp); a flagged clean sentence, or a flag on a right character, is a false positive.
    False alarms: clean lines (the set's clean sources and every corrected sentence) flagged.
    `as_site`: the sentences as written are read as one site's texts (SiteVocabulary, unsupervised:
    it learns from the text being checked, never from the corrections)."""
    from govinspect.checks.spelling import SiteVocabulary

    vocab = SiteVocabulary(s for s, _ in pairs) if as_site else None
    tp = fp = fn = alarms = clean = 0
    for source, target in pairs:
        gold = {i for i, (a, b) in enumerate(zip(source, target, strict=True)) if a != b}
        got = flagged_positions(source, check, vocab)
        if got:
            if gold and got <= gold:
                tp += 1
            else:
                fp += 1
        elif gold:
            fn += 1
        for line in {source, target} if not gold else {target}:
            clean += 1
            alarms += bool(flagged_positions(line, check, vocab))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "clean_lines": clean,
        "false_alarm_rate": alarms / clean if clean else 0.0,
    }


def typo_speed(sentences: list[str]) -> float:
    """Sentences per second of the statistical detector on one core (vocabulary already loaded),
    counted in the process's CPU time: other work on a shared machine does not count against it."""
    import time

    from govinspect.checks.spelling import find_typos, warm

    warm()
    start = time.process_time()
    for sentence in sentences:
        find_typos(sentence)
    return len(sentences) / (time.process_time() - start)


def print_typo_report() -> None:
    print("\ncontent.typo (sentence level; tune = even lines, held = odd lines, never tuned on):")
    print("  (+site: the half's sentences read as one site's texts, the site vocabulary learnt from them;")
    print("   held-novel: held-out lines whose corrected sentence is not in the tuning half)")
    print(f"  {'set':28} {'part':10} {'P':>6} {'R':>6} {'F1':>6}  tp  fp  fn  false-alarms/clean")
    for label, name in SPELLING_SETS.items():
        parts = [("tune", False), ("held", False), ("tune", True), ("held", True)]
        if name == "ecspell_odw.train":
            parts.insert(2, ("held-novel", False))
        for part, as_site in parts:
            row = typo_scores(spelling_pairs(name, part), as_site=as_site)
            part = part + ("+site" if as_site else "")
            print(
                f"  {label:28} {part:10} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} "
                f"{row['tp']:3} {row['fp']:3} {row['fn']:3}  {row['false_alarm_rate']:.4f} of {row['clean_lines']}"
            )
    sentences = [s for s, _ in spelling_pairs("ecspell_odw.train", "held")] * 2
    print(f"  speed: {typo_speed(sentences):.0f} sentences/s (公文 sentences, one core, CPU time)")


# -- content.serious_error near-miss forms -----------------------------------------------------


def serious_targets() -> list[tuple[str, str]]:
    """(correct form, kind) of the lexicon's leaders (3+ characters) and fixed expressions."""
    from govinspect.checks.lexicons import load

    data = load("serious.yaml")
    out = [(x["name"], "leader") for x in data["leaders"] if len(x["name"]) >= 3]
    return out + [(x["correct"], "expression") for x in data["expressions"]]


def corrupt(form: str, op: str, rng) -> str:
    """One slip, made independently of the detector (any position, any homophone pypinyin knows)."""
    from pypinyin import Style, lazy_pinyin

    positions = [i for i, c in enumerate(form) if "\u4e00" <= c <= "\u9fff"]
    i = rng.choice(positions)
    if op == "homophone":
        reading = lazy_pinyin(form[i], style=Style.NORMAL)[0]
        pool = [c for c in _homophones().get(reading, ()) if c != form[i]]
        return form[:i] + rng.choice(pool or [form[i]]) + form[i + 1 :]
    if op == "drop":
        return form[:i] + form[i + 1 :]
    if op == "swap":
        i = min(i, len(form) - 2)
        return form[:i] + form[i + 1] + form[i] + form[i + 2 :]
    if op == "insert":
        return form[:i] + rng.choice("的之了和大中") + form[i:]
    raise ValueError(op)


@functools.cache
def _homophones() -> dict[str, list[str]]:
    """Toneless reading -> common characters read so (pypinyin), for making slips."""
    from pypinyin import Style, lazy_pinyin

    from govinspect.checks.spelling import word_zipf

    common = sorted({c for w, z in word_zipf().items() if z >= 4 for c in w})
    out: dict[str, list[str]] = defaultdict(list)
    for c in common:
        out[lazy_pinyin(c, style=Style.NORMAL)[0]].append(c)
    return out


def serious_cases(part: str, seed: int = 13, folder: Path | None = None) -> list[tuple[str, bool, str]]:
    """(sentence, has a serious error, op): clean sentences of the 公文 set's half with a correct form
    (negative) or a near-miss form (positive) put at a random place."""
    import random

    rng = random.Random(seed)
    sentences = [t for _, t in spelling_pairs("ecspell_odw.train", part, folder)]
    cases = []
    for k, (form, _kind) in enumerate(serious_targets() * 4):
        host = sentences[k % len(sentences)]
        at = rng.randrange(len(host) + 1)
        op = ("homophone", "drop", "swap", "insert")[k % 4]
        wrong = corrupt(form, op, rng)
        if wrong == form:
            continue
        cases.append((host[:at] + form + host[at:], False, "correct"))
        cases.append((host[:at] + wrong + host[at:], True, op))
    return cases


def serious_scores(cases: list[tuple[str, bool, str]]) -> dict[str, float]:
    from govinspect.checks.content import serious_text_findings

    c = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    by_op: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for text, positive, op in cases:
        got = bool(serious_text_findings(text))
        c["tp" if got and positive else "fp" if got else "fn" if positive else "tn"] += 1
        if positive:
            by_op[op][0] += got
            by_op[op][1] += 1
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    recall_by_op = {op: hit / n for op, (hit, n) in sorted(by_op.items())}
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        **c,
        "by_op": recall_by_op,
    }


def serious_clean_alarms() -> tuple[int, int]:
    """(alarms, clean lines) of content.serious_error over every clean line of the spelling sets."""
    from govinspect.checks.content import serious_text_findings

    alarms = lines = 0
    for name in SPELLING_SETS.values():
        for part in ("tune", "held"):
            for source, target in spelling_pairs(name, part):
                for line in {source, target} if source == target else {target}:
                    lines += 1
                    alarms += bool(serious_text_findings(line))
    return alarms, lines


# -- security.content_injection on the labelled cases (demo/injection_cases.py) ------------------


def injection_scores() -> dict[str, object]:
    """A positive case counts when the inserted paragraph is reported; any other report is a false
    positive (on a negative case, or a second paragraph of a positive one)."""
    from govinspect.checks.injection import find_injections
    from govinspect.demo.injection_cases import build_cases
    from govinspect.extract.block_styles import block_signatures

    c = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    missed = []
    for case in build_cases():
        article = extract_article(case.html, "http://www.xx.gov.cn/zwdt/1.html", AS_OF)
        got = find_injections(article.text, article.title, block_signatures(case.html) if case.html else None)
        hit = [g for g in got if case.positive and g.paragraph == case.paragraph]
        if case.positive:
            c["tp" if hit else "fn"] += 1
            if not hit:
                missed.append(case.id)
        elif not got:
            c["tn"] += 1
        c["fp"] += len(got) - len(hit)
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, **c, "missed": missed}


def print_text_detector_report() -> None:
    print("\ncontent.serious_error near-miss forms (公文 sentences + lexicon forms, seeded slips):")
    for part in ("tune", "held"):
        row = serious_scores(serious_cases(part))
        ops = " ".join(f"{op}={r:.2f}" for op, r in row["by_op"].items())
        print(
            f"  {part:5} P={row['precision']:.3f} R={row['recall']:.3f} F1={row['f1']:.3f} "
            f"tp={row['tp']} fp={row['fp']} fn={row['fn']} tn={row['tn']}  recall by slip: {ops}"
        )
    alarms, lines = serious_clean_alarms()
    print(f"  alarms on clean lines of the spelling sets: {alarms} of {lines}")
    row = injection_scores()
    print("\nsecurity.content_injection (demo/injection_cases.py, truth from the cases' specification):")
    print(
        f"  P={row['precision']:.3f} R={row['recall']:.3f} F1={row['f1']:.3f} "
        f"tp={row['tp']} fp={row['fp']} fn={row['fn']} tn={row['tn']}  missed kinds: "
        f"{sorted({m.split('-')[2] for m in row['missed']})}"
    )


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
        # The CMS-family sites are not part of this labelled set: it stays as measured.
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
    read_site_facts(site)
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
    print_text_detector_report()
    if "--fast" in argv:
        return
    print_typo_report()
    if not REAL.exists():
        return
    print("\nSIGHAN 2014/2015 + ECSpell law/med:")
    for key, value in spelling_report().items():
        print(f"  {key}: {value:.4f}" if isinstance(value, float) else f"  {key}: {value}")
    print("\nReal citizen messages (2020 TipDM set):")
    for key, value in messages_report().items():
        print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
