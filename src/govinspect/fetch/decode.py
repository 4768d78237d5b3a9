"""Turning an HTML body into text: BOM, declared charsets, then detection.

Chinese government sites often declare gb2312 while using characters only in GBK/GB18030, send a
header charset that contradicts the page's meta tag, or declare nothing. GB2312 and GBK are
subsets of GB18030, so any of them is decoded as gb18030. A body that is valid UTF-8 (and not
plain ASCII) is UTF-8 whatever is declared: other encodings of real text are almost never valid
UTF-8 by accident, while nearly any bytes "decode" as gb18030 or a single-byte codec.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels Python does not know, or knows under a meaning browsers do not use (WHATWG Encoding).
_LABELS = {
    "x-gbk": "gb18030",
    "x-euc-cn": "gb18030",
    "windows-936": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-user-defined": "cp1252",
    "x-big5": "big5",
}
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz"}
_WIDE = ("utf-16", "utf-32")  # need NUL bytes in the body to be believable
_SINGLE_BYTE_WESTERN = {"cp1252", "latin_1", "iso8859-15", "ascii"}

_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.+\-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.+\-]+)""", re.IGNORECASE | re.DOTALL
)
_META_WINDOW = 4096


def canonical_codec(label: str | None) -> str | None:
    """Python codec name for a charset label, gb2312/gbk → gb18030; None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _LABELS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "gb18030" if name in _GB_FAMILY else name


def charset_from_content_type(content_type_header: str | None) -> str | None:
    match = _CHARSET_PARAM.search(content_type_header or "")
    return canonical_codec(match.group(1)) if match else None


def charset_from_meta(body: bytes) -> str | None:
    """Charset of `<meta charset>` or `<meta http-equiv content="...charset=...">` in the first 4 KB."""
    match = _META_CHARSET.search(body[:_META_WINDOW])
    if not match:
        return None
    codec = canonical_codec(match.group(1).decode("ascii", "ignore"))
    # A meta tag read by an ASCII-compatible parse cannot really be UTF-16 (WHATWG rule).
    return "utf-8" if codec and codec.startswith(_WIDE) else codec


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def looks_like_gb(body: bytes, sample: int = 20000) -> bool:
    """True when the body decodes strictly as gb18030 into mostly common (GB2312) characters.

    Random or Western bytes also decode as gb18030 surprisingly often, but into rare characters;
    real Chinese text is overwhelmingly made of the GB2312 set.
    """
    text = _strict(body, "gb18030")
    if text is None:
        return False
    wide = [ch for ch in text[: sample * 4] if ord(ch) > 0x7F][:sample]
    if not wide:
        return False
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.8 * len(wide)


def _detected(body: bytes) -> str | None:
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    return canonical_codec(best.encoding) if best else None


def _candidates(body: bytes, declared: list[str]) -> list[str]:
    """Codecs to try strictly, best first."""
    has_nul = b"\x00" in body
    declared = [c for c in declared if has_nul or not c.startswith(_WIDE)]
    if declared and declared[0] in _SINGLE_BYTE_WESTERN and looks_like_gb(body):
        declared.insert(0, "gb18030")  # "iso-8859-1" on a Chinese page is a template default
    valid_utf8 = _strict(body, "utf-8") is not None
    if valid_utf8 and not body.isascii():
        return ["utf-8", *declared]
    return [*declared, *(["utf-8"] if valid_utf8 else [])]


def decode_html(body: bytes, content_type_header: str | None = None) -> tuple[str, str]:
    """Decode an HTML body; returns (text, Python name of the codec used). Never raises."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, "replace"), codec

    declared: list[str] = []
    for codec in (charset_from_content_type(content_type_header), charset_from_meta(body)):
        if codec and codec not in declared:
            declared.append(codec)

    for codec in _candidates(body, declared):
        text = _strict(body, codec)
        if text is not None:
            return text, codec

    if looks_like_gb(body):
        return body.decode("gb18030"), "gb18030"
    for codec in declared:
        # A few invalid bytes in an otherwise well-declared page (a broken template include, a
        # truncated character): keep the declaration and replace them, as browsers do.
        text = body.decode(codec, "replace")
        if text.count("\ufffd") <= max(3, len(text) // 1000):
            return text, codec
    detected = _detected(body)
    if detected:
        text = _strict(body, detected)
        if text is not None:
            return text, detected
    fallback = declared[0] if declared else (detected or "gb18030")
    return body.decode(fallback, "replace"), fallback
