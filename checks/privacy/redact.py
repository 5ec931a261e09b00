"""The last guard before anything is written: mask every personal-data value left in a string."""

from __future__ import annotations

import re

from checks.privacy.checksums import is_valid_id18, luhn_ok
from checks.privacy.mask import compact, mask_bank, mask_id, mask_mobile

_RUN = re.compile(r"(?<![0-9A-Za-z])\d[\d \-]{9,24}[\dXx](?![0-9A-Za-z])")


def redact(text: str) -> str:
    """`text` with every valid ID, mobile and issuer-prefixed Luhn card number masked."""
    def repl(match: re.Match) -> str:
        raw = match.group(0)
        value = compact(raw).upper()
        if len(value) == 18 and is_valid_id18(value):
            return mask_id(value)
        if len(value) == 11 and re.fullmatch(r"1[3-9]\d{9}", value):
            return mask_mobile(value)
        if 16 <= len(value) <= 19 and value.isdigit() and value[0] in "23456" and luhn_ok(value):
            return mask_bank(value)
        return raw
    return _RUN.sub(repl, text)
