"""安全: the home page compared with its stored baseline (security.defacement).

The home page's fingerprint (extract/fingerprint.py) is computed at crawl time and kept in
`SiteModel.home_fingerprint`; this module only compares. The service stores the
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

import re

from govinspect.checks.base import CheckContext
from govinspect.extract.fingerprint import FINGERPRINT_VERSION, simhash_distance
from govinspect.model import Finding, SiteModel

_THRESHOLDS = ("defacement_structure_min", "defacement_text_kept_min", "defacement_identity_kept_min")
# A maintenance notice replaces a home page too, without any attack: never a defacement.
_MAINTENANCE = re.compile(r"维护|升级改造|系统升级|改版|暂停访问|暂停服务|建设中")


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
    return {key: float(ctx.threshold(key)) for key in _THRESHOLDS}


def check_defacement(site: SiteModel, ctx: CheckContext) -> list[Finding]:
    baseline, home, current = site.baseline, site.home, site.home_fingerprint
    # No fingerprint: no usable HTML home page, or markup the extractor could not read.
    if not baseline or home is None or current is None:
        return []
    if baseline.get("version") != FINGERPRINT_VERSION:
        return []  # an older fingerprint is replaced by this inspection's, not compared
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
