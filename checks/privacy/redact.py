"""The last guard before anything is written: mask every personal-data value left in a string.

Runs the full scanner with no score threshold (so context-free card numbers and weakly masked IDs
are masked too), then a plain safety net for bare digit runs the scanner pruned by context: a
report line is never the place to argue whether 13800138000 after 「订单号」 was really an order.
"""

from __future__ import annotations

import re

from checks.privacy.checksums import is_valid_id18, luhn_ok
from checks.privacy.mask import mask_bank, mask_id, mask_mobile
from checks.privacy.normalize import normalise
from checks.privacy.recognizers.mobile import SEGMENTS
from checks.privacy.scanner import scan

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


def redact(text: str) -> str:
    """`text` with every ID, mobile, bank card and passport number (and weak ID masking) masked."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    hits = scan(text)
    if hits:
        parts, last = [], 0
        for hit in hits:
            parts.append(text[last:hit.start])
            parts.append(hit.masked)
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
