"""The renderers' last guard: every string that reaches an output passes through `clean`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from checks.privacy.checksums import is_valid_id18, luhn_ok
from checks.privacy.mask import mask_bank, mask_id, mask_mobile
from checks.privacy.redact import redact as _redact
from crawler.errors import AuditError

# Digit-only boundaries: redact() wants a non-alphanumeric neighbour, so 'B4132…' or 'Tel138…' slip past it.
_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])")
_CARD = re.compile(r"(?<!\d)[2-6]\d{15,18}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def redact(text: str) -> str:
    """redact() from checks, then the same validators again with digit-only boundaries."""
    text = _redact(text)
    text = _ID.sub(lambda m: mask_id(m.group(0)) if is_valid_id18(m.group(0).upper()) else m.group(0), text)
    text = _CARD.sub(lambda m: mask_bank(m.group(0)) if luhn_ok(m.group(0)) else m.group(0), text)
    return _MOBILE.sub(lambda m: mask_mobile(m.group(0)), text)


class ReportError(AuditError):
    """A report could not be built or written (bad input, unwritable path, unmasked data)."""


def clean(value: Any) -> Any:
    """`value` with personal data masked; containers are cleaned element by element."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean(v) for v in value)
    return value


def assert_clean(text: str, where: str) -> None:
    """Raise ReportError when `text` still holds a value the redactor would mask."""
    if redact(text) != text:
        raise ReportError(f"{where}: 输出内容含未脱敏的个人信息，已拒绝写出")


def write_text(path: str | Path, text: str) -> Path:
    """Write a rendered report as UTF-8; an unwritable place becomes a ReportError (one clear line)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"无法写入 {path}：{exc}") from exc
    return path
