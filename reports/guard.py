"""The renderers' last guard: every string that reaches an output passes through `clean`.

Content (messages, evidence, titles) is masked by the full redactor plus digit-boundary validators.
Structure is not content: a field that *is* an address (url, column_url …) gets the URL-aware masker,
identifiers (id, rule, fingerprints) pass untouched. Addresses and file names found inside any text
(an attachment's name, a location like `2023051212345678.xls:Sheet1!C7`, a link error) are masked only
where they carry a person (checks/privacy/structure.py), so `assert_clean` over a whole rendered report accepts a Hanweb `downfile.jsp?filename=<digits>.doc`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from checks.privacy.checksums import is_valid_id18, luhn_ok
from checks.privacy.mask import mask_bank, mask_id, mask_mobile
from checks.privacy.normalize import normalise
from checks.privacy.redact import display
from checks.privacy.redact import redact as _redact
from checks.privacy.structure import inside, mask_url, structural_spans
from crawler.errors import AuditError

# Digit-only boundaries: redact() wants a non-alphanumeric neighbour, so 'B4132…' or 'Tel138…' slip past it.
# They run over the normalised text (full-width digits made ASCII, same length), so 'Tel１３８…' does not.
_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])")
_CARD = re.compile(r"(?<![0-9])[2-6][0-9]{15,18}(?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


# Fields whose whole value is an address, an identifier, or a name/location (see the module docstring).
URL_KEYS = frozenset({"url", "column_url", "page_url", "source_url", "target_url", "site_url", "list_url",
                      "list_urls", "masked_url", "href", "link"})
ID_KEYS = frozenset({"id", "rule", "fingerprint", "sha256", "key", "run_id", "etag"})


# A finding's id (checks/engine.py fingerprint: 16 lower-case hex digits) is structure, not content: its digits may
# happen to read as a mobile number (dff18360331519f2), and the finding was refused from findings.json and the xlsx.
# It is exempt only where the renderers put it, as a whole field: a JSON string, a table cell or a line of its own
# (blanks around it allowed). Anywhere else the same 16 characters may be a mobile glued to letters (手机号
# 13812345678abcde, abcde13812345678), which must be masked like any other.
_FINGERPRINT = re.compile(r"(?:^|(?<=[\n\t\"'|>]))[ \t]*([0-9a-f]{16})[ \t]*(?=$|[\r\n\t\"'|<])", re.M)


def _spans(text: str) -> list[tuple[int, int, str]]:
    """structural_spans(text) and the finding ids outside them, sorted and disjoint."""
    spans = structural_spans(text)
    starts = [start for start, _, _ in spans]
    ids = [(m.start(1), m.end(1), "id") for m in _FINGERPRINT.finditer(text)
           if not m.group(1).isdigit() and not inside(spans, m.start(1), m.end(1), starts)]
    return sorted(spans + ids) if ids else spans


def _mask_outside_spans(text: str, pattern: re.Pattern, masker) -> str:
    """`text` with each match of `pattern` in its normalised form that lies outside addresses, file names
    and finding ids replaced by `masker(match)` (normalising keeps offsets, so they carry over)."""
    spans = _spans(text)
    starts = [start for start, _, _ in spans]
    parts, last = [], 0
    for match in pattern.finditer(normalise(text)):
        if inside(spans, match.start(), match.end(), starts):
            continue
        masked = masker(match.group(0))
        if masked != match.group(0):
            parts += [text[last:match.start()], masked]
            last = match.end()
    return "".join(parts) + text[last:] if parts else text


def redact(text: str) -> str:
    """redact() from checks, then the same validators again with digit-only boundaries (outside addresses)."""
    text = display(_redact(text))             # a stored token is shown as its masked value, never as a token
    text = _mask_outside_spans(text, _ID, lambda v: mask_id(v) if is_valid_id18(v.upper()) else v)
    text = _mask_outside_spans(text, _CARD, lambda v: mask_bank(v) if luhn_ok(v) else v)
    return _mask_outside_spans(text, _MOBILE, mask_mobile)


class ReportError(AuditError):
    """A report could not be built or written (bad input, unwritable path, unmasked data)."""


def clean(value: Any) -> Any:
    """`value` with personal data masked; containers are cleaned element by element, dict values by their key."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _clean_field(k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean(v) for v in value)
    return value


def _clean_field(key: Any, value: Any) -> Any:
    if key in ID_KEYS and isinstance(value, (str, int)):
        return value
    if key in URL_KEYS:
        # redact() after mask_url: whatever part of a value is not recognisable as an address in
        # rendered text is treated as content, exactly as assert_clean will treat it.
        return _each(value, lambda v: redact(mask_url(v)))
    return clean(value)


def _each(value: Any, masker) -> Any:
    if isinstance(value, str):
        return masker(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_each(v, masker) for v in value)
    return clean(value)


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
