"""Masking at the edges: `redact` before anything is shown or written, `tokenize` before text is stored.

`redact` runs the full scanner with no score threshold (so context-free card numbers and weakly
masked IDs are masked too), then a plain safety net for bare digit runs the scanner pruned by
context: a report line is never the place to argue whether 13800138000 after 「订单号」 was really
an order. `tokenize` is the store's redactor: each value becomes a token (⟦PII|…⟧) carrying type,
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
    hits = scan(text, salt=salt)
    if hits:
        parts, last = [], 0
        for hit in hits:
            parts.append(text[last:hit.start])
            if text.startswith(TOKEN_OPEN, hit.start):
                parts.append(text[hit.start:hit.end])          # already stored form: keep as is
            else:
                parts.append(to_token(hit) if as_token else hit.masked)
            last = hit.end
        parts.append(text[last:])
        text = "".join(parts)
    norm = normalise(text)                    # same length as text, so spans carry over
    parts, last = [], 0
    for match in _BARE.finditer(norm):
        masked = _bare(match)
        if masked != match.group(0):
            parts += [text[last:match.start()], masked]
            last = match.end()
    return "".join(parts) + text[last:] if parts else text


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
