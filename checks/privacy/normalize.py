"""Text normalisation for scanning: one output character per input character, so offsets map 1:1.

Full-width digits, letters, '＊', '＋', '－' and the ideographic space become ASCII (full-width
punctuation such as '，' is left alone: it is a boundary either way). The scan buffer is the
normalised text with one byte per character: ASCII kept, U+00A0 as a space, everything else '?',
so a byte offset in the buffer is a character offset in the original text. Numbers split by
spaces, hyphens or line breaks are rejoined by the scanner (validator-gated), not here, so a
joined value always carries its original span [first digit, last digit].
"""

from __future__ import annotations

import re
from collections.abc import Callable

_FULLWIDTH = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ＊＋－"
_TABLE = {ord(ch): ord(ch) - 0xFEE0 for ch in _FULLWIDTH}
_TABLE[0x3000] = 0x20
_TABLE[0x00A0] = 0x20
_SPACES = ("\u3000", "\u00a0")
_RUNS = re.compile("[" + re.escape(_FULLWIDTH) + "\u3000\u00a0]+")
# Cheap presence tests (str.__contains__ is a C search) before the slower character-class substitution.
_TRIGGERS = tuple("０１２３４５６７８９＊ＥＧ\u3000")
_BYTE_TABLE = bytes((b if b < 0x80 else (0x20 if b == 0xA0 else 0x3F)) for b in range(256))


def normalise(text: str, finder: Callable[[bytes], list[tuple[int, int]]] | None = None) -> str:
    """`text` with full-width ASCII look-alikes and odd spaces made ASCII; same length as `text`.

    `finder`, when given, returns the (start, end) byte spans of runs of full-width letters, digits
    and '＊＋－' in the UTF-16-LE encoding of `text` (the scanner passes a hyperscan one); it replaces
    the slower regex pass and is used only when every character is in the BMP, so byte offset / 2 is
    the character offset. The two spaces are replaced by str.replace instead: as byte patterns they
    also match across character boundaries (U+3000 is 00 30, the bytes of any ASCII character followed
    by '0'), which cost a Python callback each.
    """
    if not any(ch in text for ch in _TRIGGERS):
        return text
    if finder is not None:
        data = text.encode("utf-16-le", "surrogatepass")
        if len(data) == 2 * len(text):
            parts, last = [], 0
            for start, end in finder(data):
                parts += [text[last:start // 2], text[start // 2:end // 2].translate(_TABLE)]
                last = end // 2
            text = "".join(parts) + text[last:] if parts else text
            for space in _SPACES:
                if space in text:
                    text = text.replace(space, " ")
            return text
    return _RUNS.sub(_ascii, text)


def utf16_pattern() -> bytes:
    """A byte pattern for one full-width character `normalise` replaces, in UTF-16-LE (for hyperscan;
    a `+` run pattern with start-of-match tracking measured 40× slower, so runs are merged by the
    caller). Every such character is FFxx, so a false match across a character boundary needs a
    character whose low byte is FF next to it, which text practically never holds."""
    units = sorted(ord(ch) for ch in _FULLWIDTH)
    alternatives = "|".join(f"\\x{u & 0xFF:02x}\\x{u >> 8:02x}" for u in units)
    return f"(?:{alternatives})".encode()


def _ascii(match: re.Match) -> str:
    return match.group(0).translate(_TABLE)


def scan_buffer(normalised: str) -> bytes:
    """The 1-byte-per-character buffer the pattern engines run on (U+00A0 → space, non-ASCII → '?').

    Encoding already turns everything beyond Latin-1 into '?'; the byte translation is needed only
    when Latin-1 characters (U+0080-U+00FF) remain, which a C-speed isascii() rules out."""
    encoded = normalised.encode("latin-1", "replace")
    return encoded if encoded.isascii() else encoded.translate(_BYTE_TABLE)
