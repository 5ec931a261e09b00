"""Addresses are structure, not content: URLs and file names keep their digits unless they carry a person.

Portals put long digit runs into addresses all the time — Hanweb's
`/module/download/downfile.jsp?classid=0&filename=<17-20 digits>.doc`, TRS's `t20230512_123456.html`,
upload names like `20230512103045.pdf` (yyyymmddHHMMSS) or 13-digit millisecond stamps. Read as prose,
some of those pass the Luhn or mobile-segment checks; rewriting them breaks the link a reader needs to
find the problem (and breaks findings.json). So a URL or file name is masked only where it strongly
carries personal data:

- a query parameter or path segment *named* like an ID or phone field (sfzh, idcard, zjhm,
  shenfenzheng, mobile, phone, sjh, tel …) whose value passes that type's validator, or
- a GB 11643-valid 18-digit ID (check character, real birth date, province code) anywhere.

Only the personal part (the value, the segment) is masked; the rest of the address stays findable.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from urllib.parse import unquote

from checks.privacy.checksums import is_valid_id18
from checks.privacy.mask import mask_id, mask_mobile
from checks.privacy.recognizers.base import PROVINCE_CODES
from checks.privacy.recognizers.mobile import SEGMENTS
from checks.privacy.scanner import TOKEN

# Parameter / segment names, compared lower-cased with '_', '-' and '.' removed.
ID_NAMES = frozenset({"sfzh", "sfzhm", "sfz", "sfzhao", "idcard", "idcardno", "idcardnum", "idno", "idnumber",
                      "zjhm", "zjh", "shenfenzheng", "shenfenzhenghao", "cardid", "certno", "certificateno"})
MOBILE_NAMES = frozenset({"mobile", "mobileno", "mobilephone", "phone", "phoneno", "phonenumber", "sjh", "sjhm",
                          "shouji", "shoujihao", "tel", "telephone", "telno", "lxdh", "lxfs", "contactphone"})

_URL_CHARS = r"[A-Za-z0-9\-._~:/?#@!$&*+;=%]"
# Absolute URLs, www. hosts, and site-relative paths whose first segment starts with a letter
# (so prose like "0871-1234/13812345678" is never taken for a path).
URL = re.compile(
    rf"(?:(?:https?|ftp)://|(?<![A-Za-z0-9.])www\.){_URL_CHARS}+"
    rf"|(?<![A-Za-z0-9\-._~%/:])/[A-Za-z_]{_URL_CHARS}*"
)
_FILE_EXT = ("doc|docx|xls|xlsx|et|ett|wps|pdf|ofd|zip|rar|7z|csv|txt|rtf|ppt|pptx|jpg|jpeg|png|gif|bmp|tif|tiff"
             "|html?|shtml|jsp|aspx?|php")
# A file name with at least one digit (only those can look like numbers): ASCII name chars, a known extension.
FILE_NAME = re.compile(rf"(?<![A-Za-z0-9_\-.])[A-Za-z0-9_\-.]*[0-9][A-Za-z0-9_\-.]*\.(?:{_FILE_EXT})(?![A-Za-z0-9])",
                       re.IGNORECASE)
_TRAILING = ".:;!?#&=*"
_ID_ANYWHERE = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
_PAIR = re.compile(r"([^=&;#?]+)=([^&;#]*)")


@dataclass(frozen=True)
class UrlHit:
    """Personal data inside an address: where (span in the address), what, how it is shown, why."""

    start: int
    end: int
    pii_type: str                  # id_card | mobile
    masked: str
    where: str                     # 查询参数「sfzh」 / 路径「phone」之后 / 地址中
    name: str | None = None        # the parameter or segment name, when the name gave the evidence


def _norm_name(name: str) -> str:
    return re.sub(r"[_\-.\s]", "", unquote(name)).lower()


def is_id(value: str) -> bool:
    """A GB 11643-valid 18-character ID with a real province code (strong evidence on its own)."""
    value = value.upper()
    return len(value) == 18 and value[:2] in PROVINCE_CODES and is_valid_id18(value)


def _mobile_digits(value: str) -> str | None:
    digits = re.sub(r"[\s\-]", "", value)
    for prefix in ("+86", "0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits if len(digits) == 11 and digits.isdigit() and digits[:3] in SEGMENTS else None


def _named_value(name: str, raw: str) -> tuple[str, str] | None:
    """(pii_type, masked) when a field named like an ID / phone holds a valid value of that type."""
    key = _norm_name(name)
    value = unquote(raw).strip()
    if key in ID_NAMES and is_id(value):
        return "id_card", mask_id(value)
    if key in MOBILE_NAMES and _mobile_digits(value):
        return "mobile", mask_mobile(_mobile_digits(value) or "")
    return None


def url_pii(url: str) -> list[UrlHit]:
    """The personal data a URL carries, by strong evidence only (see the module docstring); sorted, no overlaps."""
    if not url:
        return []
    hits: list[UrlHit] = []
    split = url.find("?")
    path_end = len(url) if split < 0 else split
    hash_at = url.find("#", path_end)
    # Query (and a fragment written like a query: Hanweb and SPA portals put parameters after '#').
    for begin, end in ((split + 1, hash_at if hash_at >= 0 else len(url)), (hash_at + 1, len(url))):
        if begin <= 0 or begin >= end:
            continue
        for pair in _PAIR.finditer(url, begin, end):
            found = _named_value(pair.group(1), pair.group(2))
            if found:
                hits.append(UrlHit(pair.start(2), pair.end(2), found[0], found[1], f"查询参数「{pair.group(1)}」",
                                   pair.group(1)))
    # Path segments after a segment named like a field: /phone/13812345678/…, /sfzh/<ID>.
    scheme = url.find("://")
    path_start = url.find("/", scheme + 3) if 0 <= scheme < path_end else 0
    if path_start >= 0:
        offset = path_start
        previous = None
        for segment in url[path_start:path_end].split("/"):
            if previous:
                found = _named_value(previous, segment)
                if found:
                    hits.append(UrlHit(offset, offset + len(segment), found[0], found[1], f"路径「{previous}」之后",
                                       previous))
            previous = segment
            offset += len(segment) + 1
    # A valid ID anywhere (a file name, a path, an unnamed parameter).
    for match in _ID_ANYWHERE.finditer(url):
        if is_id(match.group(0)) and not any(h.start <= match.start() < h.end for h in hits):
            hits.append(UrlHit(match.start(), match.end(), "id_card", mask_id(match.group(0)), "地址中"))
    hits.sort(key=lambda h: h.start)
    kept: list[UrlHit] = []
    for hit in hits:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def mask_url(url: str) -> str:
    """`url` with only its personal parts masked (stored tokens shown as their masked form); else unchanged."""
    if not url:
        return url
    if "⟦" in url:
        url = TOKEN.sub(lambda m: m[9], url)
    hits = url_pii(url)
    if not hits:
        return url
    parts, last = [], 0
    for hit in hits:
        parts += [url[last:hit.start], hit.masked]
        last = hit.end
    return "".join(parts) + url[last:]


def store_url(url: str) -> tuple[str, list[tuple[str, str]]]:
    """The store's URL redactor: (`url` with its personal parts masked, [(pii type, where)]).

    An address is structure and is kept as it is; one that carries personal data is stored masked
    (the database holds no raw value) and the store records what it carried for PII007.
    """
    hits = url_pii(url)
    if not hits:
        return url, []
    parts, last = [], 0
    for hit in hits:
        parts += [url[last:hit.start], hit.masked]
        last = hit.end
    return "".join(parts) + url[last:], [(hit.pii_type, hit.where) for hit in hits]


def mask_name(name: str) -> str:
    """A file name, sheet/cell location or other identifier: only a valid 18-digit ID is masked."""
    if not name:
        return name
    return _ID_ANYWHERE.sub(lambda m: mask_id(m.group(0)) if is_id(m.group(0)) else m.group(0), name)


def structural_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, 'url' | 'file') of the addresses and file names inside free text, in order, disjoint."""
    if not text or ("/" not in text and "." not in text):
        return []
    spans: list[tuple[int, int, str]] = []
    for match in URL.finditer(text):
        end = match.end()
        while end > match.start() + 1 and text[end - 1] in _TRAILING:
            end -= 1
        body = text[match.start() + 1:end]
        if text[match.start()] == "/" and not any(mark in body for mark in "/?."):
            continue                      # '/Tel13812345678' in prose is not an address
        spans.append((match.start(), end, "url"))
    urls = [start for start, _, _ in spans]
    for match in FILE_NAME.finditer(text):
        if not inside(spans, match.start(), match.end(), urls):
            spans.append((match.start(), match.end(), "file"))
    spans.sort()
    return spans


def inside(spans: list[tuple[int, int, str]], start: int, end: int, starts: list[int] | None = None) -> bool:
    """True when [start, end) overlaps any of `spans` (sorted, disjoint; `starts` = their starts, if at hand)."""
    if not spans:
        return False
    starts = starts if starts is not None else [s for s, _, _ in spans]
    i = bisect.bisect_left(starts, end) - 1          # the last span starting before `end`
    return i >= 0 and spans[i][1] > start


def mask_span(text: str, kind: str) -> str:
    """One structural span of free text, masked by the rule for its kind."""
    return mask_url(text) if kind == "url" else mask_name(text)
