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
_RUNS = re.compile("[" + re.escape(_FULLWIDTH) + "\u3000\u00a0]+")
# One search for any character normalising changes but U+00A0 (which changes only along with them): a
# character class of ranges, before the slower substitution. It was a test for 14 of them (digits, ＊, Ｅ,
# Ｇ, U+3000), so other full-width letters stayed as they were unless one of those was in the text, and a
# number after Ｎｏ or Ａ had no letter before it (身份证号码 Ｎｏ3501…: found; No3501…: not).
_PRESENT = re.compile("[" + re.escape(_FULLWIDTH) + "\u3000]")
_BYTE_TABLE = bytes((b if b < 0x80 else (0x20 if b == 0xA0 else 0x3F)) for b in range(256))


def normalise(text: str, finder: Callable[[str], list[tuple[int, int]] | None] | None = None,
              absent: str = "") -> str:
    """`text` with full-width ASCII look-alikes and odd spaces made ASCII; same length as `text`.

    `finder`, when given, returns the (start, end) character spans of runs of full-width letters,
    digits and '＊＋－' in `text`, or None when it cannot (the scanner passes a hyperscan one); it
    replaces the slower regex pass. The two spaces are replaced by str.replace instead: as UTF-16 byte
    patterns they also match across character boundaries (U+3000 is 00 30, the bytes of any ASCII
    character followed by '0'), which cost a Python callback each.

    Nothing changes unless a full-width character or U+3000 occurs (_PRESENT). With a finder that is
    known from its runs, not from a search of the text. `absent`: characters the caller knows `text`
    does not hold (U+00A0 from the scanner's UTF-16 pass), so it is not searched for them.
    """
    spans = finder(text) if finder is not None else None
    if spans is None:
        if _PRESENT.search(text) is None:
            return text
        return _RUNS.sub(_ascii, text)
    ideographic_space = "\u3000" in text    # searched once: on a large text every pass over it counts
    if not (ideographic_space or spans):
        return text
    if spans:
        parts, last = [], 0
        for start, end in spans:
            parts += [text[last:start], text[start:end].translate(_TABLE)]
            last = end
        parts.append(text[last:])
        text = "".join(parts)                  # one copy of the text (join + tail would make two)
    if ideographic_space:
        text = text.replace("\u3000", " ")
    if "\u00a0" not in absent and "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    return text


def utf16_run_patterns() -> tuple[bytes, bytes, bytes]:
    """Byte patterns (for hyperscan, UTF-16-LE, DOTALL) for where runs of full-width characters
    `normalise` replaces begin and end: such a character after a non-full-width one (or at the start
    of the data), before a non-full-width one, and at the end of the data.

    One report per run edge instead of one per character (a Python callback each); a `+` run pattern
    with start-of-match tracking measured 40× slower. Every such character is FFxx, the low bytes
    being a small set; a match that straddles characters ends at an odd offset and is dropped.
    """
    lows = "".join(f"\\x{ord(ch) & 0xFF:02x}" for ch in sorted(_FULLWIDTH))
    char, other = f"[{lows}]\\xff", f"(?:[^{lows}].|.[^\\xff])"
    return f"(?:^|{other}){char}".encode(), f"{char}{other}".encode(), f"{char}\\z".encode()


def _ascii(match: re.Match) -> str:
    return match.group(0).translate(_TABLE)


def scan_buffer(normalised: str) -> bytes:
    """The 1-byte-per-character buffer the pattern engines run on (U+00A0 → space, non-ASCII → '?').

    Encoding already turns everything beyond Latin-1 into '?'; the byte translation is needed only
    when Latin-1 characters (U+0080-U+00FF) remain, which a C-speed isascii() rules out."""
    encoded = normalised.encode("latin-1", "replace")
    return encoded if encoded.isascii() else encoded.translate(_BYTE_TABLE)
