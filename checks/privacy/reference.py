"""The plain implementations the scanner's fast validation is checked against (tests and the benchmark).

The scanner validates candidates with table-driven checks and numpy batches (checksums.py,
`Recognizer.validate_many`) and looks context words up with search-first windows and a key-character
prefilter (`View`). Each of those has a plain counterpart, the code as it was before it was made fast:
the `*_reference` functions in checksums.py and `ReferenceView` here. `reference_validation()` swaps
them in for the duration of a block, so a test or bench/pii_bench.py can scan the same text both ways
and compare every hit. The scanner's own shortcuts have plain counterparts here too: split numbers
rejoined by enumerating every grouping (`plain_joined`, no plans remembered, values validated twice),
engine reports listed for every pattern before they are walked (`plain_hyperscan_candidates`), hits
built field by field (`plain_evaluate`) and every overlap cluster resolved and re-sorted (`plain_resolve`).
The hyperscan engine's own digit-chain reports are compared with the separator reports of `re` by the
tests that scan the same text with hyperscan + fast code and `re` + plain code.
Nothing in the audit path uses this module.
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


def plain_joined(self: scanner.Scanner, norm: str, seps: list[int], allowed: tuple[bool, ...],
                 candidates: dict, run_starts: bool = False) -> frozenset:
    """Scanner._joined as it was: every run's groups enumerated and offered to each recognizer of the
    joined length, shapes checked per value, nothing remembered; the joined values are validated
    here and again by `_evaluate` (it returns no keys as already validated). Every position is walked
    back to its run's start, a run's first digit (`run_starts`) to itself."""
    proposals: list[tuple[int, tuple[int, int, int], str, str]] = []
    done_until = -1
    for pos in seps:
        if pos < done_until:
            continue
        start = scanner._run_start(norm, pos)
        match = scanner._RUN.match(norm, start)
        if match is None:
            continue
        done_until = match.end()
        if done_until - start < 11:
            continue
        groups = [m.span() for m in scanner._GROUP.finditer(norm, start, done_until)]
        if len(groups) >= 2:
            _plain_join_groups(self, norm, groups, allowed, proposals)
    for index, key, value, how in proposals:
        if self.recognizers[index].validate(value):
            candidates.setdefault(key, (value, how))
    return frozenset()


def _plain_join_groups(self: scanner.Scanner, norm: str, groups: list[tuple[int, int]], allowed: tuple[bool, ...],
                       proposals: list) -> None:
    run_start, run_end = groups[0][0], groups[-1][1]
    last = len(groups) - 1
    for i in range(len(groups)):
        if i == 0 and not (run_start == 0 or norm[run_start - 1] not in base.ALNUM
                           and not scanner._decimal_before(norm, run_start)):
            continue
        total = 0
        for j in range(i, len(groups)):
            g_start, g_end = groups[j]
            if j > i and norm[groups[j - 1][1] - 1] in "Xx":
                break
            total += g_end - g_start
            if total > self._max_join_length:
                break
            if j == i or total not in self._joiners:
                continue
            if j == last and not (run_end == len(norm) or norm[run_end] not in base.ALNUM
                                  and not scanner._decimal_after(norm, run_end)):
                continue
            parts = [norm[a:b] for a, b in groups[i:j + 1]]
            value = "".join(parts)
            between = norm[groups[i][1]:groups[j][0]]
            line_break = "\r" in between or "\n" in between
            for index, rec, fullmatch in self._joiners[total]:
                if not allowed[index]:
                    continue
                if line_break and not rec.line_join or not rec.join_shape_ok(parts, line_break):
                    continue
                if not fullmatch(value):
                    continue
                if i > 0 and scanner._landline_before(norm, groups[i - 1], groups[i][0]):
                    continue
                proposals.append((index, (index, groups[i][0], groups[j][1]), value,
                                  "wrapped" if line_break else "spaced"))


def plain_evaluate(self: scanner.Scanner, view: base.View, candidates: dict, min_score: float, salt: bytes,
                   checked: set) -> list:
    """Scanner._evaluate as it was: each hit made through `_new_hit`, `fingerprint` and the
    recognizer's own `mask` (no per-recognizer shapes, nothing inlined)."""
    if not candidates:
        return []
    recognizers = self.recognizers
    values: dict[int, list[str]] = {}
    for key, (value, _) in candidates.items():
        if not (checked and key in checked):
            values.setdefault(key[0], []).append(value)
    validity = {index: iter(recognizers[index].validate_many(batch)) for index, batch in values.items()}
    hits = []
    for key, (value, how) in candidates.items():
        index, start, end = key
        if not (checked and key in checked) and not next(validity[index]):
            continue
        rec = recognizers[index]
        verdict = rec.assess(view, start, end, value, how)
        if verdict is None or verdict.score < min_score or rec.prune(view, start, end, value):
            continue
        value = rec.normalised(value)
        hits.append(scanner._new_hit(rec.pii_type, start, end, rec.mask(value, verdict.kind),
                                     scanner.fingerprint(value, rec.pii_type, salt), rec.name, verdict.score,
                                     verdict.context_word, verdict.validated, verdict.kind, verdict.note))
    return hits


def plain_resolve(hits: list) -> list:
    """scanner._resolve as it was: every cluster, lone hits included, resolved and the result sorted."""
    if len(hits) < 2:
        return list(hits)
    hits = sorted(hits, key=scanner._BY_SPAN)
    out: list = []
    cluster: list = []
    reach = -1
    for hit in hits:
        if cluster and hit.start >= reach:
            out.extend(scanner._resolve_cluster(cluster))
            cluster = []
        cluster.append(hit)
        reach = max(reach, hit.end) if len(cluster) > 1 else hit.end
    out.extend(scanner._resolve_cluster(cluster))
    return sorted(out, key=scanner._BY_SPAN)


def plain_hyperscan_candidates(self: scanner.Scanner, norm: str, view: base.View, buf: bytes,
                               allowed: tuple[bool, ...]) -> tuple[dict, list[int]]:
    """Scanner._hyperscan_candidates as it was: every pattern's reports listed (the spreadsheet-only
    ones too), then walked by `_match_candidates`."""
    return self._match_candidates(norm, view, self.raw_matches(buf), allowed)


# (object, attribute, plain replacement): every place the fast validation is reached from.
_SWAPS = (
    (scanner, "View", ReferenceView),
    (id_card, "is_valid_id18", checksums.is_valid_id18_reference),
    (id_card, "is_valid_uscc", checksums.is_valid_uscc_reference),
    (bank_card, "is_valid_id18", checksums.is_valid_id18_reference),
    (bank_card, "luhn_ok", checksums.luhn_ok_reference),
    (id_card.IdCard18, "validate_many", base.Recognizer.validate_many),
    (bank_card.BankCard, "validate_many", base.Recognizer.validate_many),
    (scanner.Scanner, "_joined", plain_joined),
    (scanner.Scanner, "_hyperscan_candidates", plain_hyperscan_candidates),
    (scanner.Scanner, "_evaluate", plain_evaluate),
    (scanner, "_resolve", plain_resolve),
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
