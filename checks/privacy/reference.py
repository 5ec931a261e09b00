"""The plain implementations the scanner's fast validation is checked against (tests and the benchmark).

The scanner validates candidates with table-driven checks and numpy batches (checksums.py,
`Recognizer.validate_many`) and looks context words up with search-first windows and a key-character
prefilter (`View`). Each of those has a plain counterpart, the code as it was before it was made fast:
the `*_reference` functions in checksums.py and `ReferenceView` here. `reference_validation()` swaps
them in for the duration of a block, so a test or bench/pii_bench.py can scan the same text both ways
and compare every hit. Nothing in the audit path uses this module.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager

from checks.privacy import checksums, scanner
from checks.privacy.recognizers import bank_card, base, id_card


class ReferenceView(base.View):
    """Context look-ups as one `finditer` / `search` of the word alternation per call, uncached."""

    def near(self, start: int, end: int, words: tuple[str, ...], before_only: bool = False) -> str | None:
        found = self.distance_before(start, words, self.window)
        if before_only:
            return found[1] if found else None
        match = _alternation(words).search(self.text, end, end + self.window)
        if match and (found is None or match.start() - end < found[0]):
            return match.group(0)
        return found[1] if found else None

    def distance_before(self, start: int, words: tuple[str, ...], span: int) -> tuple[int, str] | None:
        begin = max(0, start - span)
        last = None
        for match in _alternation(words).finditer(self.text, begin, start):
            last = match
        if last is None:
            return None
        return start - last.end(), last.group(0)

    def in_document(self, words: tuple[str, ...]) -> str | None:
        if words not in self._doc_words:
            match = _alternation(words).search(self.text)
            self._doc_words[words] = match.group(0) if match else None
        return self._doc_words[words]


@functools.lru_cache(maxsize=64)
def _alternation(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


# (object, attribute, plain replacement): every place the fast validation is reached from.
_SWAPS = (
    (scanner, "View", ReferenceView),
    (id_card, "is_valid_id18", checksums.is_valid_id18_reference),
    (id_card, "is_valid_uscc", checksums.is_valid_uscc_reference),
    (bank_card, "is_valid_id18", checksums.is_valid_id18_reference),
    (bank_card, "luhn_ok", checksums.luhn_ok_reference),
    (id_card.IdCard18, "validate_many", base.Recognizer.validate_many),
    (bank_card.BankCard, "validate_many", base.Recognizer.validate_many),
)


@contextmanager
def reference_validation() -> Iterator[None]:
    """Within the block every scanner validates and looks up context the plain way (process-wide:
    for tests and benchmarks only, not thread-safe)."""
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in _SWAPS]
    try:
        for owner, name, plain in _SWAPS:
            setattr(owner, name, plain)
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
