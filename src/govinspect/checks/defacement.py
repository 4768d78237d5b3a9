"""安全: the home page compared with its stored baseline (security.defacement).

`home_fingerprint` reduces a home page to a small JSON-ready dict: the set of its tag paths (the
template), the set of its text blocks, a SimHash of its text, its title, site name, navigation
labels, outbound hosts, counts and the spam/defacement terms it shows. The service stores the
fingerprint of every inspection that raised no defacement as the site's baseline, so a defaced
page never becomes the baseline.

A false defacement shames an office, so the check fires only on
  1. spam brands or defacement phrases ("hacked by", "黑客到此一游") the baseline did not show, or
  2. a replaced page: a different template AND different text AND the site's own name and
     navigation gone.
A redesign that keeps the site's name and its 栏目 is reported as `security.home_redesign`
(information for a person to confirm, never a deduction).
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from govinspect.checks.base import CheckContext
from govinspect.checks.lexicons import defacement_lexicon, spam_lexicons
from govinspect.extract.footer import extract_site_name
from govinspect.extract.html import (
    absolute_url,
    anchor_text,
    clean_text,
    nav_anchor_ids,
    parse,
    registered_domain,
)
from govinspect.extract.links import find_column_links
from govinspect.model import Finding, Page, SiteModel

FINGERPRINT_VERSION = 1
_PATH_DEPTH = 12  # tag paths are cut to this many ancestors
_MAX_SET = 4000  # cap of the path and text-block sets kept in a fingerprint
_MAX_NAV = 80
_SKIP_TAGS = {"script", "style", "noscript", "template", "-text", "-comment", "_text", "_comment"}
_DIGITS = re.compile(r"\d+")
_SHINGLE = 3
# Code defaults (local choices) when a rubric does not name the thresholds.
DEFAULTS = {
    "defacement_structure_min": 0.4,
    "defacement_text_kept_min": 0.3,
    "defacement_identity_kept_min": 0.3,
}
# A maintenance notice replaces a home page too, without any attack: never a defacement.
_MAINTENANCE = re.compile(r"维护|升级改造|系统升级|改版|暂停访问|暂停服务|建设中")


def _h(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=4).hexdigest()


def _element_label(node) -> str:
    classes = (node.attributes.get("class") or "").split()
    label = node.tag
    if node.attributes.get("id"):
        label += "#" + _DIGITS.sub("0", node.attributes["id"])
    if classes:
        label += "." + _DIGITS.sub("0", classes[0])
    return label


def _tag_paths(tree) -> set[str]:
    """Hashes of the distinct tag paths (tag#id.class from <body> down): the page's template."""
    root = tree.body
    if root is None:
        return set()
    paths: set[str] = set()
    stack = [(root, "body", 0)]
    while stack:
        node, path, depth = stack.pop()
        paths.add(_h(path))
        if len(paths) >= _MAX_SET or depth >= _PATH_DEPTH:
            continue
        child = node.child
        while child is not None:
            if child.tag not in _SKIP_TAGS and not child.tag.startswith(("-", "_", "#", "!")):
                stack.append((child, f"{path}/{_element_label(child)}", depth + 1))
            child = child.next
    return paths


def _text_blocks(text: str) -> list[str]:
    blocks = []
    for line in text.split("\n"):
        line = clean_text(line)
        if len(line) >= 2:
            blocks.append(line)
    return blocks


def simhash(text: str, shingle: int = _SHINGLE) -> str:
    """64-bit SimHash (hex) over character shingles of `text`."""
    letters = re.sub(r"\s+", "", text)
    weights = [0] * 64
    grams = {letters[i : i + shingle] for i in range(max(0, len(letters) - shingle + 1))}
    for gram in grams:
        value = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if value >> bit & 1 else -1
    out = 0
    for bit, weight in enumerate(weights):
        if weight > 0:
            out |= 1 << bit
    return f"{out:016x}"


def simhash_distance(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def _terms(text: str) -> list[str]:
    brands, _ = spam_lexicons()
    return sorted({h.term for h in brands.find(text)} | {h.term for h in defacement_lexicon().find(text)})


def home_fingerprint(page: Page) -> dict:
    """What the defacement check compares: pure, JSON-ready, a few kilobytes."""
    html = page.text or ""
    base = page.final_url or page.url
    tree = parse(html)
    title_node = tree.css_first("title")
    title = clean_text(title_node.text()) if title_node is not None else ""
    own = registered_domain(urlsplit(base).hostname or "")
    hosts: set[str] = set()
    anchors = tree.css("a[href]")
    for a in anchors:
        url = absolute_url(a.attributes.get("href"), base)
        host = (urlsplit(url).hostname or "") if url else ""
        if host and registered_domain(host) != own:
            hosts.add(host)
    nav_ids = nav_anchor_ids(tree)
    nav = [anchor_text(a) for a in anchors if a.mem_id in nav_ids]
    nav += [c.name for c in find_column_links(html, base)]
    nav = list(dict.fromkeys(n for n in nav if 2 <= len(n) <= 20))[:_MAX_NAV]
    images, scripts = len(tree.css("img")), len(tree.css("script"))
    elements = len(tree.css("*"))
    paths = _tag_paths(tree)
    tree.strip_tags(["script", "style", "noscript", "template"])
    root = tree.body or tree.root
    text = root.text(deep=True, separator="\n") if root is not None else ""
    blocks = _text_blocks(text)
    visible = " ".join(blocks)
    titles = " ".join(a.attributes.get("title") or "" for a in parse(html).css("a[title]"))
    return {
        "version": FINGERPRINT_VERSION,
        "url": base,
        "title": title,
        "name": extract_site_name(html),
        "paths": sorted(paths)[:_MAX_SET],
        "blocks": sorted({_h(b) for b in blocks})[:_MAX_SET],
        "text_simhash": simhash(visible),
        "nav": nav,
        "hosts": sorted(hosts),
        "terms": _terms(f"{title} {visible} {titles}"),
        "counts": {
            "elements": elements,
            "links": len(anchors),
            "images": images,
            "scripts": scripts,
            "text_chars": len(visible),
        },
        "visible_head": visible[:2000],  # for the identity test and as evidence
    }


def _jaccard(a: list[str] | set[str], b: list[str] | set[str]) -> float:
    a, b = set(a), set(b)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _kept(old: list[str], new: list[str]) -> float:
    """Share of the baseline's elements still present."""
    old_set = set(old)
    return len(old_set & set(new)) / len(old_set) if old_set else 1.0


def _identity_kept(baseline: dict, current: dict, site_name: str) -> tuple[bool, float]:
    """(the site's own name is still shown, share of the baseline's navigation labels still shown)."""
    shown = f"{current.get('title', '')} {current.get('visible_head', '')} {' '.join(current.get('nav', []))}"
    names = {n for n in (baseline.get("name"), site_name) if n and len(n) >= 2}
    name_kept = any(n in shown for n in names) if names else False
    nav = baseline.get("nav") or []
    nav_text = shown + " " + " ".join(current.get("nav", []))
    nav_kept = sum(1 for label in nav if label in nav_text) / len(nav) if nav else 0.0
    return name_kept, nav_kept


def compare(baseline: dict, current: dict, thresholds: dict[str, float], site_name: str = "") -> dict:
    """The comparison the check decides on (pure; also what bench and tests read)."""
    structure = _jaccard(baseline.get("paths", []), current.get("paths", []))
    text_kept = _kept(baseline.get("blocks", []), current.get("blocks", []))
    name_kept, nav_kept = _identity_kept(baseline, current, site_name)
    new_terms = sorted(set(current.get("terms", [])) - set(baseline.get("terms", [])))
    new_hosts = sorted(set(current.get("hosts", [])) - set(baseline.get("hosts", [])))
    distance = (
        simhash_distance(baseline["text_simhash"], current["text_simhash"])
        if baseline.get("text_simhash") and current.get("text_simhash")
        else None
    )
    template_changed = structure < thresholds["defacement_structure_min"]
    text_replaced = text_kept < thresholds["defacement_text_kept_min"]
    identity_lost = not name_kept and nav_kept < thresholds["defacement_identity_kept_min"]
    maintenance = bool(_MAINTENANCE.search(f"{current.get('title', '')} {current.get('visible_head', '')}"))
    if new_terms or (template_changed and text_replaced and identity_lost and not maintenance):
        verdict = "defaced"
    elif template_changed:
        verdict = "redesign"  # a new template that keeps the site's name and 栏目, or a notice
    else:
        verdict = "same"  # same template: new items are ordinary updates
    return {
        "verdict": verdict,
        "structure_similarity": round(structure, 3),
        "text_kept": round(text_kept, 3),
        "text_simhash_distance": distance,
        "name_kept": name_kept,
        "nav_kept": round(nav_kept, 3),
        "new_terms": new_terms,
        "new_hosts": new_hosts[:20],
        "maintenance": maintenance,
    }


def _thresholds(ctx: CheckContext) -> dict[str, float]:
    return {key: float(ctx.rubric.thresholds.get(key, value)) for key, value in DEFAULTS.items()}


def check_defacement(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    baseline = site.baseline
    home = site.home
    if not baseline or home is None or not home.ok or not home.is_html or not home.text.strip():
        return []
    if baseline.get("version") != FINGERPRINT_VERSION:
        return []  # an older fingerprint is replaced by this inspection's, not compared
    try:
        current = home_fingerprint(home)
    except Exception:  # noqa: BLE001 - hostile markup: no comparison rather than a failed inspection
        return []
    result = compare(baseline, current, _thresholds(ctx), site.name)
    url = home.final_url or home.url
    verdict_text = {"defaced": "疑似被篡改", "redesign": "疑似改版或维护", "same": "与基线一致"}
    evidence = {
        **result,
        "verdict": verdict_text.get(result["verdict"], result["verdict"]),  # shown to people: Chinese
        "baseline_title": baseline.get("title", ""),
        "title": current["title"],
    }
    if result["verdict"] == "defaced":
        if result["new_terms"]:
            why = f"出现基线中没有的违规或黑客内容：{'、'.join(result['new_terms'][:5])}"
        else:
            why = (
                f"页面结构相似度仅{result['structure_similarity']:.0%}，原有文字保留{result['text_kept']:.0%}，"
                "网站名称和导航栏目均已消失"
            )
        return [
            Finding(check="security.defacement", message=f"首页疑似被篡改：{why}", url=url, evidence=evidence)
        ]
    if result["verdict"] == "redesign":
        return [
            Finding(
                check="security.home_redesign",
                message=(
                    f"首页模板与基线相比变化较大（结构相似度{result['structure_similarity']:.0%}，"
                    f"原有文字保留{result['text_kept']:.0%}），网站名称或导航栏目仍在，疑为改版或维护，请人工确认"
                ),
                url=url,
                evidence=evidence,
            )
        ]
    return []
