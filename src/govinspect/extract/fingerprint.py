"""The home-page fingerprint security.defacement compares with the site's baseline.

`home_fingerprint` reduces a home page to a small JSON-ready dict: the set of its tag paths (the
template), the set of its text blocks, a SimHash of its text, its title, site name, navigation
labels, outbound hosts, counts and the spam/defacement terms it shows. Computed at crawl time
(extract/page_facts.py) and kept in `SiteModel.home_fingerprint`, so the check reads no HTML.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

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
from govinspect.model import Page

FINGERPRINT_VERSION = 1
_PATH_DEPTH = 12  # tag paths are cut to this many ancestors
_MAX_SET = 4000  # cap of the path and text-block sets kept in a fingerprint
_MAX_NAV = 80
_SKIP_TAGS = {"script", "style", "noscript", "template", "-text", "-comment", "_text", "_comment"}
_DIGITS = re.compile(r"\d+")
_SHINGLE = 3


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
    # The lexicons are data kept with the checks; imported here lazily (checks import this module).
    from govinspect.checks.lexicons import defacement_lexicon, spam_lexicons

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
