"""`govinspect proofread`: the site's text checks on a draft before it is published.

Reads plain text, .docx (python-docx) or .html, and runs the same pure text functions the site
checks use: content.typo (+ content.typo_suspect), content.serious_error (lexicon, near-miss forms,
leaders' offices on the given day), security.content_injection and the spam lexicon's brand names.
No network.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

from govinspect.checks.content import TextFinding, serious_text_findings, typo_text_findings
from govinspect.checks.injection import find_injections, injection_evidence, injection_message
from govinspect.checks.lexicons import context, spam_lexicons
from govinspect.checks.spelling import SiteVocabulary
from govinspect.extract.block_styles import block_signatures


class ProofreadError(Exception):
    """A file that cannot be read; the message is Chinese and names the file."""


@dataclass(frozen=True)
class Document:
    name: str  # the path as given, or 标准输入
    text: str
    title: str = ""
    html: str | None = None


@dataclass(frozen=True)
class ProofFinding:
    file: str
    check: str
    severity: str  # veto | deduct | info, by the rubric
    text: str  # the wrong text (or the suspicious passage)
    suggestion: str
    line: int  # 1-based
    offset: int  # 0-based character offset within the line
    confidence: float
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def read_document(path: str) -> Document:
    """Text of a .txt/.docx/.html file, or of standard input for "-"."""
    if path == "-":
        data = sys.stdin.buffer.read()
        return _from_bytes("标准输入", data, sniff_html=None)
    file = Path(path)
    if not file.exists():
        raise ProofreadError(f"文件不存在：{path}")
    if file.is_dir():
        raise ProofreadError(f"不是文件而是目录：{path}")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ProofreadError(f"无法读取文件：{path}（{exc.strerror or exc}）") from exc
    suffix = file.suffix.lower()
    if suffix == ".docx":
        return _from_docx(path, data)
    if suffix == ".doc":
        raise ProofreadError(f"不支持旧版 Word 格式（.doc）：{path}，请另存为 .docx 后再校对")
    return _from_bytes(path, data, sniff_html=suffix in (".html", ".htm", ".shtml", ".xhtml") or None)


def _from_docx(name: str, data: bytes) -> Document:
    import io

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ProofreadError(f"无法读取 Word 文件：{name}（文件已损坏或不是 .docx 格式）") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return Document(name, "\n".join(lines))


def _from_bytes(name: str, data: bytes, sniff_html: bool | None) -> Document:
    from govinspect.fetch import decode_html

    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ProofreadError(f"无法读取文件：{name}（不是文本、Word 或网页文件）")
    text, _ = decode_html(data, None)
    head = text[:4000].lower()
    looks_html = any(tag in head for tag in ("<html", "<body", "<p>", "<p ", "<div"))
    if sniff_html or (sniff_html is None and looks_html):
        return _from_html(name, text)
    return Document(name, text)


def _from_html(name: str, html: str) -> Document:
    from govinspect.extract import extract_article

    article = extract_article(html, "http://localhost/draft.html", dt.date.today())
    body = article.text
    text = f"{article.title}\n{body}" if article.title and article.title not in body[:200] else body
    return Document(name, text, article.title, html)


def proofread_text(
    text: str, day: dt.date | None = None, title: str = "", html: str | None = None
) -> list[TextFinding]:
    """All text findings of one document, in text order. `day`: the date the text speaks of (a
    leader's office is judged on it; default today, the draft is about to be published)."""
    day = day or dt.date.today()
    found = typo_text_findings(text, SiteVocabulary([text]))
    found += serious_text_findings(text, day)
    for suspect in find_injections(text, title, block_signatures(html) if html else None):
        found.append(
            TextFinding(
                "security.content_injection",
                injection_message(suspect),
                suspect.passage,
                "",
                suspect.start,
                suspect.end,
                min(1.0, suspect.score / 6),
                injection_evidence(suspect),
            )
        )
    brands, _ = spam_lexicons()
    for hit in brands.find(text):
        wrong = text[hit.start : hit.end]
        found.append(
            TextFinding(
                "security.spam_injection",
                f"文中出现博彩色情等违规词：“{wrong}”",
                wrong,
                "",
                hit.start,
                hit.end,
                1.0,
                {"terms": [wrong], "context": context(text, hit)},
            )
        )
    return sorted(found, key=lambda f: (f.start, f.check))


def severity_of(check: str, rubric=None) -> str:
    from govinspect.rules import load_rubric

    rubric = rubric or load_rubric()
    if any(check in rule.checks for rule in rubric.vetoes):
        return "veto"
    return "deduct" if check in rubric.deductions else "info"


def _line_and_offset(text: str, start: int) -> tuple[int, int]:
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1)


def proofread_document(doc: Document, day: dt.date | None = None, rubric=None) -> list[ProofFinding]:
    from govinspect.rules import load_rubric

    rubric = rubric or load_rubric()
    out = []
    for f in proofread_text(doc.text, day, doc.title, doc.html):
        line, offset = _line_and_offset(doc.text, f.start)
        out.append(
            ProofFinding(
                file=doc.name,
                check=f.check,
                severity=severity_of(f.check, rubric),
                text=f.wrong,
                suggestion=f.correct,
                line=line,
                offset=offset,
                confidence=round(f.confidence, 3),
                message=f.message,
            )
        )
    return out


def jsonl(findings: list[ProofFinding]) -> str:
    return "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in findings)
