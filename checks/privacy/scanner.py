"""Find personal data in text: engines find candidates, recognizers validate, prune and score them.

The text is normalised 1:1 (full-width → ASCII) and encoded one byte per character, so engine
offsets are text offsets. Hyperscan (Vectorscan) runs all patterns in one pass when importable
(bytes, HS_FLAG_SOM_LEFTMOST; it has no lookbehind, so digit boundaries are checked here); the
`regex` module is the fallback with the same patterns. Both feed the same Python post-processing,
so they return identical hits. Numbers split by spaces, hyphens or line breaks are rejoined from
their digit groups only when a recognizer's validator accepts the joined value (tech-notes §3).
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex

from checks.privacy.normalize import normalise, scan_buffer, utf16_run_patterns
from checks.privacy.recognizers import Recognizer, View, default_recognizers
from checks.privacy.recognizers.base import ALNUM

try:
    import hyperscan
except ImportError:                           # no wheel for this platform: the regex engine takes over
    hyperscan = None

_SEP_PATTERN = r"[0-9*][ \t\-\r\n]{1,4}[0-9*]"
_RUN = re.compile("[0-9*]+[Xx]?(?:[ \t\\-\r\n\u00a0]{1,4}[0-9*]+[Xx]?)*")
_GROUP = re.compile(r"[0-9*]+[Xx]?")
_SEP_TEXT = " \t-\r\n\u00a0"
_RUN_TEXT = "0123456789*"
_RUN_CHARS = frozenset(_RUN_TEXT)
_RUN_SALT = os.urandom(16)
_FW_CHUNK = 1 << 16                           # characters per UTF-16 slice in the full-width pass
# A stored value: the store keeps this instead of the raw value (see redact.tokenize); fields are
# type, kind, recognizer, score, validated, context word, how, fingerprint (letters only), masked.
TOKEN_OPEN = "⟦PII|"
TOKEN = re.compile(r"⟦PII\|([a-z_]+)\|([a-z_]+)\|([a-z0-9_]+)\|([0-9.]+)\|([01])\|([^|⟧]*)\|([^|⟧]*)\|([a-p]+)\|([^|⟧]*)⟧")
_FP_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


@dataclass(frozen=True)
class Hit:
    """One personal-data value found in a text, explained, with no raw value kept."""

    pii_type: str                 # id_card | mobile | bank_card | passport
    start: int                    # span in the original text (prefix and separators included)
    end: int
    masked: str                   # safe to show
    fingerprint: str              # salted sha256 of the normalised value, for counting distinct values
    recognizer: str
    score: float
    context_word: str | None
    validated: bool               # a checksum / structure validator passed (not context alone)
    kind: str = "personal_data"   # personal_data | weak_masking
    how: str = "plain"            # plain | prefixed | spaced | wrapped (+ ;document_context …)


_HIT_FIELDS = tuple(field.name for field in dataclasses.fields(Hit))


def _new_hit(*values: object) -> Hit:
    """Hit(*values), built without the frozen dataclass's object.__setattr__ per field, which cost
    half of a hit's construction (a dense document makes thousands); the result is an equal Hit."""
    hit = object.__new__(Hit)
    hit.__dict__.update(zip(_HIT_FIELDS, values))
    return hit


def fingerprint(value: str, pii_type: str, salt: bytes) -> str:
    """Salted sha256 of a normalised value: stable within one salt, useless without it."""
    return hashlib.sha256(salt + f"{pii_type}:{value.upper()}".encode()).hexdigest()


def to_token(hit: Hit) -> str:
    """The stored form of a hit: everything a later check needs, no raw value (digits-free fingerprint)."""
    fp = hit.fingerprint[:20].translate(_FP_LETTERS)
    word = (hit.context_word or "").replace("|", "").replace("⟧", "")
    return (f"⟦PII|{hit.pii_type}|{hit.kind}|{hit.recognizer}|{hit.score:.2f}|{int(hit.validated)}|{word}|"
            f"{hit.how.replace('|', ';')}|{fp}|{hit.masked}⟧")


def token_hits(text: str) -> list[Hit]:
    """Hits for the stored tokens in `text` (values tokenised before they were written)."""
    if TOKEN_OPEN[0] not in text or TOKEN_OPEN not in text:   # one character is searched ~8× faster
        return []
    return [Hit(m[1], m.start(), m.end(), m[9], m[8], m[3], float(m[4]), m[6] or None, m[5] == "1", m[2], m[7])
            for m in TOKEN.finditer(text)]


class Scanner:
    """A compiled set of recognizers. Build once, call `scan` per document (not thread-safe with hyperscan)."""

    def __init__(self, recognizers: list[Recognizer] | None = None, engine: str = "auto"):
        self.recognizers = recognizers if recognizers is not None else default_recognizers()
        self.specs: list[tuple[int, str]] = [(index, pattern) for index, rec in enumerate(self.recognizers)
                                              for pattern in rec.patterns]
        self.sep_id = len(self.specs)
        self._pid_touching = [frozenset(ord(c) for c in self.recognizers[index].touching) for index, _ in self.specs]
        self._fullmatch = [re.compile("|".join(f"(?:{p})" for p in rec.patterns)) for rec in self.recognizers]
        self._by_name = {rec.name: rec for rec in self.recognizers}
        # Whether a recognizer fingerprints something else than the matched value (Recognizer.normalised).
        self._renormalises = [type(rec).normalised is not Recognizer.normalised for rec in self.recognizers]
        self._pattern_owner = [(index, self.recognizers[index], self.recognizers[index].touching)
                               for index, _ in self.specs]
        self._text_recognizers = [(i, rec) for i, rec in enumerate(self.recognizers) if rec.text_pattern is not None]
        # Digit count → (index, recognizer, compiled full match) of the recognizers that rejoin it.
        self._joiners: dict[int, list[tuple[int, Recognizer, Callable]]] = {}
        for index, rec in enumerate(self.recognizers):
            for length in rec.join_lengths:
                self._joiners.setdefault(length, []).append((index, rec, self._fullmatch[index].fullmatch))
        self._max_join_length = max(self._joiners, default=0)
        if engine == "auto":
            engine = "hyperscan" if hyperscan is not None else "regex"
        if engine == "hyperscan" and hyperscan is None:
            raise RuntimeError("hyperscan is not installed")
        self.engine = engine
        if engine == "hyperscan":
            self._db = hyperscan.Database()
            patterns = [self._right_bounded(i, p).encode() for i, p in self.specs] + [_SEP_PATTERN.encode()]
            self._db.compile(expressions=patterns, ids=list(range(len(patterns))),
                             elements=len(patterns), flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * len(patterns))
            self._fw_db = hyperscan.Database()
            self._fw_db.compile(expressions=list(utf16_run_patterns()), ids=[0, 1, 2], elements=3,
                                flags=[hyperscan.HS_FLAG_DOTALL] * 3)
        elif engine in ("regex", "re"):
            module = regex if engine == "regex" else re
            self._compiled = [module.compile(self._bounded(i, p).encode()) for i, p in self.specs]
            self._compiled.append(module.compile(_SEP_PATTERN.encode()))
        else:
            raise ValueError(f"unknown engine {engine!r}")

    def _bounded(self, index: int, pattern: str) -> str:
        """The pattern with the recognizer's boundaries as lookarounds (for the backtracking engines)."""
        rec = self.recognizers[index]
        chars = "".join(sorted(re.escape(c) for c in rec.touching))
        left = f"(?<![{chars}])"
        if type(rec).extend_left is not Recognizer.extend_left:
            left = f"(?:(?<=86)|(?<=86[ )\\-])|{left})"
        return f"{left}(?:{pattern})(?![{chars}])"

    def _right_bounded(self, index: int, pattern: str) -> str:
        """The pattern followed by a character that may not touch it, or the end (hyperscan has no
        lookahead). Without it the engine reported every prefix of a long digit run (a 16-19-digit card
        pattern fires at four ends), three times the real candidates, each a Python callback."""
        chars = "".join(sorted(re.escape(c) for c in self.recognizers[index].touching))
        return f"(?:{pattern})(?:[^{chars}]|\\z)"

    def raw_matches(self, buf: bytes) -> list[tuple[int, int, int]]:
        """(pattern id, start, end) of every candidate whose right edge is a boundary, plus separators."""
        out: list[tuple[int, int, int]] = []
        if not buf:
            return out
        touching, sep_id = self._pid_touching, self.sep_id
        if self.engine == "hyperscan":
            def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
                # Every pattern ends in a character of its touching set, so a match whose last byte is
                # outside the set ended with the boundary character, which is not part of the value.
                if pid != sep_id and buf[end - 1] not in touching[pid]:
                    end -= 1
                out.append((pid, start, end))
            self._db.scan(buf, match_event_handler=on_match)
        else:
            for pid, pattern in enumerate(self._compiled):
                out.extend((pid, m.start(), m.end()) for m in pattern.finditer(buf))
        return out

    def _fullwidth_runs(self, text: str) -> list[tuple[int, int]] | None:
        """Maximal character spans of full-width characters in `text`, or None if it leaves the BMP.

        The text is encoded and scanned as UTF-16-LE in slices of _FW_CHUNK characters: one encoding of
        a whole large document is a fresh allocation of twice its size (page faults on every scan),
        a slice is reused memory and stays in cache. Byte offset / 2 is the character offset; a run
        cut by a slice boundary is merged again.
        """
        starts: list[int] = []
        ends: list[int] = []
        base = 0

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            if end % 2 == 0:                   # odd offsets straddle two characters
                if pid == 0:                   # a run's first character ends at `end`
                    starts.append(base + end // 2 - 1)
                else:                          # its last one is followed by another character, or ends the data
                    ends.append(base + end // 2 - (1 if pid == 1 else 0))
        for base in range(0, len(text), _FW_CHUNK):
            data = text[base:base + _FW_CHUNK].encode("utf-16-le", "surrogatepass")
            if len(data) != 2 * min(_FW_CHUNK, len(text) - base):
                return None
            self._fw_db.scan(data, match_event_handler=on_match)
        spans: list[tuple[int, int]] = []
        for start, end in zip(starts, ends):
            if spans and spans[-1][1] == start:
                start = spans.pop()[0]
            spans.append((start, end))
        return spans

    def scan(self, text: str, *, salt: bytes | None = None, min_score: float = 0.0,
             types: Iterable[str] | None = None, window: int = 30, spreadsheet: bool | None = None) -> list[Hit]:
        """All personal-data hits in `text`, sorted by position, overlaps resolved by score.

        `spreadsheet`: True for text extracted from spreadsheets, False for prose; None (the masking
        default) runs spreadsheet-only recognizers too, so redact/tokenize hide their values anyway.
        """
        if not text:
            return []
        skip = set() if spreadsheet in (None, True) else {r.name for r in self.recognizers if r.spreadsheet_only}
        wanted = set(types) if types else None
        allowed = [(wanted is None or rec.pii_type in wanted) and rec.name not in skip for rec in self.recognizers]
        norm = normalise(text, self._fullwidth_runs if self.engine == "hyperscan" else None)
        view = View(norm, window)
        stored = []
        for hit in token_hits(text):
            rec = self._by_name.get(hit.recognizer)
            hit = rec.rescore(view, hit) if rec is not None else hit
            if hit.score >= min_score and (wanted is None or hit.pii_type in wanted) and hit.recognizer not in skip:
                stored.append(hit)
        candidates, seps = self._match_candidates(norm, view, self.raw_matches(scan_buffer(norm)), allowed)
        if seps:
            self._joined(norm, seps, wanted, candidates)
        for index, rec in self._text_recognizers:
            if (wanted is None or rec.pii_type in wanted) and view.in_document(rec.context_words):
                for match in rec.text_pattern.finditer(norm):
                    candidates.setdefault((index, match.start(), match.end()), (match.group(0), "plain"))
        hits = self._evaluate(view, candidates, min_score, _RUN_SALT if salt is None else salt)
        if stored:
            hits = [h for h in hits if not _overlapping_any(stored, h)] + stored
        return _resolve(hits)

    def _match_candidates(self, norm: str, view: View, raw: list[tuple[int, int, int]],
                          allowed: list[bool]) -> tuple[dict[tuple[int, int, int], tuple[str, str]], list[int]]:
        """Engine matches that keep their boundaries, keyed (recognizer, start, end) in match order, and
        the separator positions (sorted) where split numbers may be rejoined.

        A match may not touch a character of its recognizer's `touching` set on either side, nor be
        one side of a decimal point; on the left a recognizer may claim a prefix instead (+86).
        This loop runs once per engine match, so the checks are inlined.
        """
        candidates: dict[tuple[int, int, int], tuple[str, str]] = {}
        seps: list[int] = []
        size, sep_id, owners = len(norm), self.sep_id, self._pattern_owner
        for pid, start, end in raw:
            if pid == sep_id:
                seps.append(start)
                continue
            index, rec, touching = owners[pid]
            if not allowed[index]:
                continue
            if end < size:
                after = norm[end]
                if after in touching or after == "." and end + 1 < size and norm[end + 1].isdigit():
                    continue
            how, begin = "plain", start
            if start > 0:
                before = norm[start - 1]
                if before in touching or before == "." and start >= 2 and norm[start - 2].isdigit():
                    begin = rec.extend_left(view, start)
                    if begin is None:
                        continue
                    how = "prefixed"
            key = (index, begin, end)
            if key not in candidates:
                candidates[key] = (norm[start:end], how)
        seps.sort()
        return candidates, seps

    def _evaluate(self, view: View, candidates: dict[tuple[int, int, int], tuple[str, str]], min_score: float,
                  salt: bytes) -> list[Hit]:
        """The candidates their recognizers accept and do not prune, as explained, masked hits.

        Each recognizer validates all its candidates in one call (vectorised check digits), then the
        valid ones are assessed in the candidates' order, the order `evaluate` one by one would take.
        """
        recognizers = self.recognizers
        values: dict[int, list[str]] = {}
        for (index, _, _), (value, _) in candidates.items():
            values.setdefault(index, []).append(value)
        validity = {index: iter(recognizers[index].validate_many(batch)) for index, batch in values.items()}
        hits = []
        renormalises = self._renormalises
        for (index, start, end), (value, how) in candidates.items():
            if not next(validity[index]):
                continue
            rec = recognizers[index]
            verdict = rec.assess(view, start, end, value, how)
            if verdict is None or verdict.score < min_score or rec.prune(view, start, end, value):
                continue
            if renormalises[index]:
                value = rec.normalised(value)
            hits.append(_new_hit(rec.pii_type, start, end, rec.mask(value, verdict.kind),
                                 fingerprint(value, rec.pii_type, salt), rec.name, verdict.score,
                                 verdict.context_word, verdict.validated, verdict.kind, verdict.note))
        return hits

    def _joined(self, norm: str, seps: list[int], wanted: set[str] | None,
                candidates: dict) -> None:
        """Candidates rejoined from digit groups split by spaces, hyphens or line breaks.

        Shapes and patterns are checked per joined value; the validators run afterwards, once per
        recognizer over all its joined values, and the valid ones are added in the order found.
        """
        proposals: list[tuple[int, tuple[int, int, int], str, str]] = []
        done_until = -1
        for pos in seps:
            if pos < done_until:
                continue
            start = _run_start(norm, pos)
            match = _RUN.match(norm, start)
            if match is None:
                continue
            done_until = match.end()
            if done_until - start < 11:
                continue
            groups = [m.span() for m in _GROUP.finditer(norm, start, done_until)]
            if len(groups) >= 2:
                self._join_groups(norm, groups, wanted, proposals)
        values: dict[int, list[str]] = {}
        for index, _, value, _ in proposals:
            values.setdefault(index, []).append(value)
        validity = {index: iter(self.recognizers[index].validate_many(batch)) for index, batch in values.items()}
        for index, key, value, how in proposals:
            if next(validity[index]):
                candidates.setdefault(key, (value, how))

    def _join_groups(self, norm: str, groups: list[tuple[int, int]], wanted: set[str] | None,
                     proposals: list) -> None:
        """Every run of consecutive groups whose digit count some recognizer rejoins, offered to the
        recognizers of that length (shape, pattern and validator must all accept the joined value)."""
        max_len, joiners = self._max_join_length, self._joiners
        run_start, run_end = groups[0][0], groups[-1][1]
        last = len(groups) - 1
        for i in range(len(groups)):
            if i == 0 and not (run_start == 0 or norm[run_start - 1] not in ALNUM
                               and not _decimal_before(norm, run_start)):
                continue
            total = 0
            for j in range(i, len(groups)):
                g_start, g_end = groups[j]
                if j > i and norm[groups[j - 1][1] - 1] in "Xx":
                    break
                total += g_end - g_start
                if total > max_len:
                    break
                if j == i or total not in joiners:
                    continue
                if j == last and not (run_end == len(norm) or norm[run_end] not in ALNUM
                                      and not _decimal_after(norm, run_end)):
                    continue
                self._offer_joined(norm, groups, i, j, joiners[total], wanted, proposals)

    def _offer_joined(self, norm: str, groups: list[tuple[int, int]], i: int, j: int,
                      joiners: list[tuple[int, Recognizer, Callable]], wanted: set[str] | None,
                      proposals: list) -> None:
        """Groups i..j joined, proposed to each recognizer of that length whose shape and pattern fit."""
        parts = [norm[a:b] for a, b in groups[i:j + 1]]
        value = "".join(parts)
        between = norm[groups[i][1]:groups[j][0]]
        line_break = "\r" in between or "\n" in between
        for index, rec, fullmatch in joiners:
            if wanted is not None and rec.pii_type not in wanted:
                continue
            if line_break and not rec.line_join or not rec.join_shape_ok(parts, line_break):
                continue
            if not fullmatch(value):
                continue
            if i > 0 and _landline_before(norm, groups[i - 1], groups[i][0]):
                continue
            proposals.append((index, (index, groups[i][0], groups[j][1]), value, "wrapped" if line_break else "spaced"))


def _run_start(norm: str, pos: int) -> int:
    """Where the run of digit groups containing `pos` begins: left over digits (and '*'), then over
    at most 4 separator characters when a digit precedes them, and so on (str.rstrip does each step
    in C instead of a Python loop per character)."""
    start = pos
    while True:
        head = norm[max(0, start - 32):start]
        stripped = len(head) - len(head.rstrip(_RUN_TEXT))
        start -= stripped
        if stripped == 32:                     # the whole slice was digits: the group goes on
            continue
        gap = norm[max(0, start - 4):start]
        back = start - (len(gap) - len(gap.rstrip(_SEP_TEXT)))
        if back < start and back > 0 and norm[back - 1] in _RUN_CHARS:
            start = back - 1
            continue
        return start


def _overlapping_any(spans: list[Hit], hit: Hit) -> bool:
    return any(hit.start < other.end and other.start < hit.end for other in spans)


def _decimal_after(text: str, end: int) -> bool:
    return end + 1 < len(text) and text[end] == "." and text[end + 1].isdigit()


def _decimal_before(text: str, start: int) -> bool:
    return start >= 2 and text[start - 1] == "." and text[start - 2].isdigit()


def _landline_before(text: str, group: tuple[int, int], next_start: int) -> bool:
    """True when the previous group is an area code (0xx / 0xxx) joined by a hyphen: 0871-…"""
    digits = text[group[0]:group[1]]
    return digits.startswith("0") and 3 <= len(digits) <= 4 and "-" in text[group[1]:next_start]


_BY_SPAN = operator.attrgetter("start", "end")     # a C-level sort key


def _resolve(hits: list[Hit]) -> list[Hit]:
    """Keep the best of overlapping hits (score, then length), then order by position.

    A validated hit that strictly contains the hits it overlaps wins over them whatever their score:
    an 11-digit "mobile" that is the first line of a wrapped, checksum-valid ID is part of the ID.
    """
    hits = sorted(hits, key=_BY_SPAN)
    out: list[Hit] = []
    cluster: list[Hit] = []
    reach = -1
    for hit in hits:
        if cluster and hit.start >= reach:
            out.extend(_resolve_cluster(cluster))
            cluster = []
        cluster.append(hit)
        reach = max(reach, hit.end) if len(cluster) > 1 else hit.end
    out.extend(_resolve_cluster(cluster))
    return sorted(out, key=_BY_SPAN)


def _resolve_cluster(cluster: list[Hit]) -> list[Hit]:
    if len(cluster) < 2:
        return cluster
    kept: list[Hit] = []
    for hit in sorted(cluster, key=lambda h: (-h.score, -(h.end - h.start), h.start)):
        clashing = [k for k in kept if hit.start < k.end and k.start < hit.end]
        if not clashing:
            kept.append(hit)
        elif hit.validated and all(hit.start <= k.start and k.end <= hit.end and k.end - k.start < hit.end - hit.start
                                   for k in clashing):
            kept = [k for k in kept if k not in clashing] + [hit]
    return kept


_SCANNERS: dict[str, Scanner] = {}


def get_scanner(engine: str = "auto") -> Scanner:
    """A shared scanner with the default recognizers for `engine` (compiled once per process)."""
    if engine not in _SCANNERS:
        _SCANNERS[engine] = Scanner(engine=engine)
    return _SCANNERS[engine]


def scan(text: str, *, salt: bytes | None = None, min_score: float = 0.0, types: Iterable[str] | None = None,
         window: int = 30, spreadsheet: bool | None = None, engine: str = "auto") -> list[Hit]:
    """All personal-data hits in `text` (see Scanner.scan); `salt` keys the fingerprints (default: per process)."""
    return get_scanner(engine).scan(text, salt=salt, min_score=min_score, types=types, window=window,
                                    spreadsheet=spreadsheet)
