"""Text normalisation for scanning: one output character per input character, so offsets map 1:1.

Full-width digits, letters, '＊', '＋', '－' become ASCII; ideographic and no-break spaces become
spaces. The scan buffer is the normalised text encoded as ASCII with every other character replaced
by '?', so a byte offset in the buffer is a character offset in the original text. Numbers split
by spaces, hyphens or line breaks are rejoined later by the scanner (validator-gated), not here,
so a joined value always carries the original span [first digit, last digit].
"""

from __future__ import annotations

import re

_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE[0x3000] = 0x20
_TABLE[0x00A0] = 0x20
_NEEDS_TRANSLATE = re.compile("[\uff01-\uff5e\u3000\u00a0]")


def normalise(text: str) -> str:
    """`text` with full-width ASCII look-alikes and odd spaces made ASCII; same length as `text`."""
    if _NEEDS_TRANSLATE.search(text):
        return text.translate(_TABLE)
    return text


def scan_buffer(normalised: str) -> bytes:
    """The 1-byte-per-character buffer the pattern engines run on."""
    return normalised.encode("ascii", "replace")
