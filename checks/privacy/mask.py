"""Masking formats for personal data written into any output (reports, evidence, logs).

The ID format keeps the first 2 and last 3 characters (35*************009), as in the 永安市 2023
rectification rule; mobiles keep 3 + 4 (138****1234); bank cards keep 4 + 4 (6222 **** **** 1234).
Every function accepts a raw or already partly masked value, with separators or full-width digits.
"""

from __future__ import annotations

import re

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_DROP = re.compile(r"[\s\-\u00a0]+")


def compact(value: str) -> str:
    """The value with full-width characters made ASCII and spaces, hyphens and line breaks removed."""
    if value.isascii() and (value.isalnum() or value.isprintable() and " " not in value and "-" not in value):
        # Already compact (translate costs 1 µs): printable ASCII holds no full-width character and no
        # whitespace but the space; a masked value (3417211993****1234) is the usual case beside digits.
        return value
    value = value.translate(_FULLWIDTH)
    return value if value.isalnum() else _DROP.sub("", value)


def _keep(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail:]


def mask_id(value: str) -> str:
    """An ID number (18 or 15 characters) with only the first 2 and last 3 characters shown."""
    size = len(value)
    if size > 5 and value.isascii() and value.isalnum():    # compact already: the usual case, inlined
        return value[:2].upper() + "*" * (size - 5) + value[size - 3:].upper()
    return _keep(compact(value).upper(), 2, 3)


def mask_mobile(value: str) -> str:
    """A mobile number as 138****1234; a +86 / 0086 prefix is dropped."""
    if len(value) == 11 and value.isascii() and value.isdigit():   # the usual case, inlined
        return value[:3] + "****" + value[7:]
    digits = compact(value).lstrip("+")
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix):]
    return _keep(digits, 3, 4)


def mask_bank(value: str) -> str:
    """A bank card number as 6222 **** **** 1234 (length hidden too)."""
    digits = compact(value)
    if len(digits) < 12:
        return "*" * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_passport(value: str) -> str:
    """A passport number with the letter and the last 2 digits shown (E******78)."""
    size = len(value)
    if size > 3 and value.isascii() and value.isalnum():    # compact already: the usual case, inlined
        return value[0].upper() + "*" * (size - 3) + value[size - 2:].upper()
    return _keep(compact(value).upper(), 1, 2)


def mask_address(value: str) -> str:
    """An address cut to its 乡镇/街道 level (the 永安 rule), the rest replaced by ****."""
    for mark in ("街道", "镇", "乡"):
        cut = value.find(mark)
        if cut >= 0:
            return value[max(0, cut - 6):cut + len(mark)] + "****"
    return "****"


def mask_generic(value: str) -> str:
    """Any other identifier: first 1 and last 1 characters shown."""
    return _keep(compact(value), 1, 1)


MASKERS = {
    "id_card": mask_id,
    "mobile": mask_mobile,
    "bank_card": mask_bank,
    "passport": mask_passport,
    "address": mask_address,
}


def mask_value(pii_type: str, value: str) -> str:
    """Mask `value` in the format of its personal-data type."""
    return MASKERS.get(pii_type, mask_generic)(value)
