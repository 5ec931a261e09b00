"""Masking at the edges: `redact` before anything is shown or written, `tokenize` before text is stored.

`redact` runs the full scanner with no score threshold (so context-free card numbers and weakly
masked IDs are masked too), then a plain safety net for bare digit runs the scanner pruned by
context: a report line is never the place to argue whether 13800138000 after 「订单号」 was really
an order. Addresses and file names inside the text are structure, not content (checks/privacy/structure.py):
their digit runs are left alone and only the personal part of a URL that carries one is masked, so a
Hanweb `downfile.jsp?filename=<digits>.doc` link survives every pass. `tokenize` is the store's redactor: each value becomes a token (⟦PII|…⟧) carrying type,
kind, recognizer, score, context word, a salted fingerprint and the masked form, so the privacy
check can still count and explain what a page held without the database ever holding it.
"""

from __future__ import annotations

import re

from checks.privacy.checksums import is_valid_id18, luhn_ok
from checks.privacy.mask import mask_bank, mask_id, mask_mobile
from checks.privacy.normalize import normalise
from checks.privacy.recognizers.mobile import SEGMENTS
from checks.privacy.scanner import TOKEN, TOKEN_OPEN, scan, to_token
from checks.privacy.structure import inside, mask_name, structural_spans, url_pii

_BARE = re.compile(r"(?<![0-9A-Za-z])[0-9]{11,19}[Xx]?(?![0-9A-Za-z])")


def _bare(match: re.Match) -> str:
    value = match.group(0)
    if len(value) == 18 and is_valid_id18(value.upper()):
        return mask_id(value)
    if len(value) == 11 and value[:3] in SEGMENTS:
        return mask_mobile(value)
    if 16 <= len(value) <= 19 and value.isdigit() and value.startswith("62") and luhn_ok(value):
        return mask_bank(value)
    return value


def _replace(text: str, salt: bytes | None, as_token: bool) -> str:
    spans = structural_spans(text)
    starts = [start for start, _, _ in spans]
    hits = [hit for hit in scan(text, salt=salt)
            if text.startswith(TOKEN_OPEN, hit.start) or not inside(spans, hit.start, hit.end, starts)]
    edits: list[tuple[int, int, str]] = []
    for hit in hits:
        if not text.startswith(TOKEN_OPEN, hit.start):          # already stored form: keep as is
            edits.append((hit.start, hit.end, to_token(hit) if as_token else hit.masked))
    for start, end, kind in spans:
        edits += _structural_edits(text, start, end, kind)
    norm = normalise(text)                    # same length as text, so spans carry over
    edits.sort()
    taken = [(start, end, "") for start, end, _ in edits]
    taken_starts = [start for start, _, _ in taken]
    for match in _BARE.finditer(norm):
        if inside(spans, match.start(), match.end(), starts) or inside(taken, match.start(), match.end(), taken_starts):
            continue
        masked = _bare(match)
        if masked != match.group(0):
            edits.append((match.start(), match.end(), masked))
    if not edits:
        return text
    parts, last = [], 0
    for start, end, replacement in sorted(edits):
        if start < last:
            continue
        parts += [text[last:start], replacement]
        last = end
    return "".join(parts) + text[last:]


def _structural_edits(text: str, start: int, end: int, kind: str) -> list[tuple[int, int, str]]:
    """Masks for the personal part of one address or file name; its other digits stay as they are."""
    if kind == "file":
        masked = mask_name(text[start:end])
        return [] if masked == text[start:end] else [(start, end, masked)]
    # Masked, never tokenised, even for storage: an address must stay one string a reader (and
    # findings.json's url format) can use; PII007 reads the page, attachment and link URLs themselves.
    return [(start + hit.start, start + hit.end, hit.masked) for hit in url_pii(text[start:end])]


def redact(text: str) -> str:
    """`text` with every ID, mobile, bank card, passport number, detailed address and weak ID masking masked."""
    if not text:
        return text
    return _replace(text, None, as_token=False)


def tokenize(text: str, salt: bytes | None = None) -> str:
    """`text` for storage: each personal-data value replaced by a token the privacy check reads back.

    `salt` keys the fingerprints (default: one random salt per process, never stored), so equal
    values in one document count once while the hash cannot be reversed by trying all IDs.
    """
    if not text:
        return text
    return _replace(text, salt, as_token=True)


def display(text: str) -> str:
    """`text` with stored tokens shown as their masked values (for excerpts in reports)."""
    if not text or TOKEN_OPEN not in text:
        return text
    return TOKEN.sub(lambda m: m[9], text)
