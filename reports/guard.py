"""The renderers' last guard: every string that reaches an output passes through `clean`."""

from __future__ import annotations

from typing import Any

from checks.privacy.redact import redact
from crawler.errors import AuditError


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
