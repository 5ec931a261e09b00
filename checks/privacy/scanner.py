"""Find personal data in text: engines find candidates, recognizers validate, prune and score them.

The text is normalised 1:1 (full-width → ASCII) and encoded one byte per character, so engine
offsets are text offsets. Hyperscan (Vectorscan) runs all patterns in one pass when importable
(bytes, HS_FLAG_SOM_LEFTMOST; it has no lookbehind, so digit boundaries are checked here); the
`regex` module is the fallback with the same patterns. Both feed the same Python post-processing,
so they return identical hits. Numbers split by spaces, hyphens or line breaks are rejoined from
their digit groups only when a recognizer's validator accepts the joined value (tech-notes §3).
"""

from __future__ import annotations

import bisect
import dataclasses
import gc
import hashlib
import itertools
import operator
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex

from checks.privacy.mask import MASKERS, mask_generic
from checks.privacy.normalize import normalise, scan_buffer, utf16_run_patterns
from checks.privacy.recognizers import Recognizer, View, default_recognizers
from checks.privacy.recognizers.base import ALNUM, key_characters

try:
    import hyperscan
except ImportError:                           # no wheel for this platform: the regex engine takes over
    hyperscan = None

_SEP_PATTERN = r"[0-9*][ \t\-\r\n]{1,4}[0-9*]"
# Hyperscan's form of the separator reports: one report per chain of digit groups joined by 1-4
# separators (no X inside: a walk back from a separator stops at one), its leftmost start being the
# chain's first digit, which is where _run_start would arrive walking back from any of its
# separators. A chain is reported where it ends: when neither a separator and a digit nor an X
# follows, the run _RUN finds from its start is the chain itself, so chains shorter than the shortest
# joined number (11 characters) are left out (matched with at least one following character: 12; at
# the end of the data: 11); a chain followed by X goes on as a longer run and is always reported.
_S = r"[ \t\-\r\n]"
_CHAIN = rf"[0-9*]+(?:{_S}{{1,4}}[0-9*]+)+"
_CHAIN_PATTERNS = ((rf"{_CHAIN}(?:[^0-9*Xx \t\-\r\n]|{_S}{{1,4}}[^0-9* \t\-\r\n]|{_S}{{5}})", 12),
                   (rf"{_CHAIN}{_S}{{0,4}}\z", 11),
                   (rf"{_CHAIN}[Xx]", 0))
_RUN = re.compile("[0-9*]+[Xx]?(?:[ \t\\-\r\n\u00a0]{1,4}[0-9*]+[Xx]?)*")
_GROUP = re.compile(r"[0-9*]+[Xx]?")
_SEP_TEXT = " \t-\r\n\u00a0"
_RUN_TEXT = "0123456789*"
_RUN_CHARS = frozenset(_RUN_TEXT)
_RUN_SALT = os.urandom(16)
_FW_CHUNK = 1 << 16                           # characters per UTF-16 slice in the full-width pass
_NBSP = "\u00a0"
# A stored value: the store keeps this instead of the raw value (see redact.tokenize); fields are
# type, kind, recognizer, score, validated, context word, how, fingerprint (letters only), masked.
TOKEN_OPEN = "⟦PII|"
TOKEN = re.compile(r"⟦PII\|([a-z_]+)\|([a-z_]+)\|([a-z0-9_]+)\|([0-9.]+)\|([01])\|([^|⟧]*)\|([^|⟧]*)\|([a-p]+)\|([^|⟧]*)⟧")
_FP_LETTERS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")
_NONE_CHECKED: frozenset = frozenset()
_GC_PAUSE_CHARS = 200_000                     # texts from this size are scanned with the cyclic collector paused
# scan_many joins documents with this character: no pattern, boundary test, digit chain or +86 prefix uses it
# (not a digit, letter, blank, '.', '*', '+', '(' or full-width), so beside it a value sees what it sees at
# the start or end of a text; only the context look-ups, which do look further, run per document.
_BATCH_SEPARATOR = "\x00"
_BATCH_CHARS = 1 << 20                        # characters per joined batch: bounds its text, normalised copy and buffer
_PLANNED_LENGTH = 48                          # runs of up to this many characters have their join plan kept
# A run of digit groups as its join plan sees it: digits and '*' alike, X, a blank, a line break.
_SKELETON = str.maketrans("0123456789*xX \t-\r\n\u00a0", "99999999999XX   \n\n ")


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
        # Recognizer index → (index, full match) of the recognizers whose candidates its reports stand for.
        self._beside: dict[int, list[tuple[int, Callable]]] = {}
        for index, rec in enumerate(self.recognizers):
            source = next((i for i, other in enumerate(self.recognizers) if other.name == rec.reported_beside), None)
            if source is None:
                continue
            other = self.recognizers[source]
            if other.touching != rec.touching or any(type(r).extend_left is not Recognizer.extend_left
                                                     for r in (rec, other)):
                raise ValueError(f"{rec.name} cannot be reported beside {other.name}: touching or extend_left differ")
            self._beside.setdefault(source, []).append((index, self._fullmatch[index].fullmatch))
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
        self._shapes: dict[bytes, list[tuple]] = {}
        self._option_sets: dict[tuple, tuple[frozenset, frozenset | None, tuple[bool, ...]]] = {}
        self._hyperscan_dbs: dict[tuple[bool, ...], tuple] = {}
        self._allowed_joiners: dict[tuple[bool, ...], tuple[dict[int, list[tuple[int, Recognizer, Callable]]], dict]] = {}
        if engine == "auto":
            engine = "hyperscan" if hyperscan is not None else "regex"
        if engine == "hyperscan" and hyperscan is None:
            raise RuntimeError("hyperscan is not installed")
        self.engine = engine
        if engine == "hyperscan":
            self._db = _compile_hyperscan([self._right_bounded(i, p) for i, p in self.specs])
            # Characters whose first position the UTF-16 pass reports (see _utf16_pass): the stored-token
            # mark and the key characters of the words every document is searched for (those of the text
            # recognizers, _scan); not the other recognizers' (only some candidates look document-wide,
            # and their frequent characters, 号, 电 …, made the pass twice as slow). Only non-Latin-1
            # characters, which normalising leaves as they are, and not full-width ones, which it changes.
            # Last, for normalise() only: U+00A0, which it would search every text it changes for.
            keys = {TOKEN_OPEN[0]} | {char for _, rec in self._text_recognizers
                                      for char in key_characters(rec.context_words)[0]}
            self._first_chars = sorted(c for c in keys if 0x100 <= ord(c) < 0xFF00 and ord(c) != 0x3000)
            self._looked_for = [*self._first_chars, _NBSP]
            literals = ["".join(f"\\x{byte:02x}" for byte in char.encode("utf-16-le")).encode()
                        for char in self._looked_for]
            self._fw_db = hyperscan.Database()
            self._fw_db.compile(expressions=list(utf16_run_patterns()) + literals, ids=list(range(3 + len(literals))),
                                elements=3 + len(literals),
                                flags=[hyperscan.HS_FLAG_DOTALL] * 3
                                + [hyperscan.HS_FLAG_DOTALL | hyperscan.HS_FLAG_SINGLEMATCH] * len(literals))
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
        return f"(?:{pattern})(?:[^{self._touching_class(index)}]|\\z)"

    def _touching_class(self, index: int) -> str:
        """The recognizer's touching characters as the inside of a regex character class."""
        return "".join(sorted(re.escape(c) for c in self.recognizers[index].touching))

    def raw_matches(self, buf: bytes) -> list[tuple[int, int, int]]:
        """(pattern id, start, end) of every candidate whose right edge is a boundary, plus separators
        (hyperscan: one per chain of digit groups, at its first digit; the others: one per separator)."""
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
        """Maximal character spans of full-width characters in `text`, or None if it leaves the BMP."""
        facts = self._utf16_pass(text)
        return facts[0] if facts is not None else None

    def _utf16_pass(self, text: str) -> tuple[list[tuple[int, int]], dict[str, int]] | None:
        """What one hyperscan pass over `text` as UTF-16 tells: the maximal character spans of full-width
        characters, and where some characters first occur (-1: nowhere); None if the text leaves the BMP.

        The characters are the key characters of the recognizers' context words (View.in_document) and
        the stored-token mark: a document-wide `str.find` for each costs as much as this whole pass.
        Each is reported once per slice (HS_FLAG_SINGLEMATCH); a report at an odd offset straddles two
        characters and may hide the real one after it, so that character is left out (searched the
        usual way).

        The text is encoded and scanned as UTF-16-LE in slices of _FW_CHUNK characters: one encoding of
        a whole large document is a fresh allocation of twice its size (page faults on every scan),
        a slice is reused memory and stays in cache. Byte offset / 2 is the character offset; a run
        cut by a slice boundary is merged again.
        """
        starts: list[int] = []
        ends: list[int] = []
        firsts: dict[str, int] = {}
        unsure: set[str] = set()
        chars = self._looked_for
        base = 0

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            if pid > 2:                        # a character looked for: its first report in this slice
                char = chars[pid - 3]
                # Once unsure, a later slice's report is no first position either: the report at an odd
                # offset may have hidden a real one in its own slice.
                if char not in firsts and char not in unsure:
                    if end % 2 == 0:
                        firsts[char] = base + end // 2 - 1
                    else:
                        unsure.add(char)
            elif end % 2 == 0:                 # odd offsets straddle two characters
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
        for char in chars:
            if char not in firsts and char not in unsure:
                firsts[char] = -1
        return spans, firsts

    def scan(self, text: str, *, salt: bytes | None = None, min_score: float = 0.0,
             types: Iterable[str] | None = None, window: int = 30, spreadsheet: bool | None = None) -> list[Hit]:
        """All personal-data hits in `text`, sorted by position, overlaps resolved by score.

        `spreadsheet`: True for text extracted from spreadsheets, False for prose; None (the masking
        default) runs spreadsheet-only recognizers too, so redact/tokenize hide their values anyway.
        """
        if not text:
            return []
        if len(text) < _GC_PAUSE_CHARS or not gc.isenabled():
            return self._scan(text, salt, min_score, types, window, spreadsheet)
        # A large text makes tens of thousands of short-lived containers (candidates, hits), all freed
        # by reference counting; the cyclic collector would walk them again and again (9 % of a 10 MB scan).
        gc.disable()
        try:
            return self._scan(text, salt, min_score, types, window, spreadsheet)
        finally:
            gc.enable()

    def _scan(self, text: str, salt: bytes | None, min_score: float, types: Iterable[str] | None, window: int,
              spreadsheet: bool | None) -> list[Hit]:
        """Scanner.scan's work (see there)."""
        options = self._options(spreadsheet, types)
        facts = self._utf16_pass(text) if self.engine == "hyperscan" else None
        if facts is None:
            norm, firsts = normalise(text), None
        else:
            firsts = facts[1]
            norm = normalise(text, lambda _: facts[0], absent=_NBSP if firsts.pop(_NBSP, None) == -1 else "")
        view = View(norm, window, firsts)
        candidates, checked = self._candidates(norm, view, options[2])
        return self._hits(text, view, firsts, candidates, checked, options, min_score, salt)

    def _candidates(self, norm: str, view: View, allowed: tuple[bool, ...]
                    ) -> tuple[dict[tuple[int, int, int], tuple[str, str]], set[tuple[int, int, int]]]:
        """The pattern pass over a normalised text: candidates keyed (recognizer, start, end) in the order
        the engine reports them, then rejoined split numbers, and the keys of those (already validated)."""
        if self.engine == "hyperscan":
            candidates, seps = self._hyperscan_candidates(norm, view, scan_buffer(norm), allowed)
        else:
            candidates, seps = self._match_candidates(norm, view, self.raw_matches(scan_buffer(norm)), allowed)
        checked = (self._joined(norm, seps, allowed, candidates, run_starts=self.engine == "hyperscan") if seps
                   else _NONE_CHECKED)
        return candidates, checked

    def _hits(self, text: str, view: View, firsts: dict[str, int] | None,
              candidates: dict[tuple[int, int, int], tuple[str, str]], checked: set[tuple[int, int, int]],
              options: tuple[frozenset[str], frozenset[str] | None, tuple[bool, ...]], min_score: float,
              salt: bytes | None) -> list[Hit]:
        """One document's hits from its pattern candidates: stored tokens re-scored, the text recognizers'
        matches added where the document holds their words, every candidate judged, overlaps resolved."""
        skip, wanted, _ = options
        norm = view.text
        stored = []
        for hit in token_hits(text) if firsts is None or firsts.get(TOKEN_OPEN[0]) != -1 else ():
            rec = self._by_name.get(hit.recognizer)
            hit = rec.rescore(view, hit) if rec is not None else hit
            if hit.score >= min_score and (wanted is None or hit.pii_type in wanted) and hit.recognizer not in skip:
                stored.append(hit)
        for index, rec in self._text_recognizers:
            if (wanted is None or rec.pii_type in wanted) and view.in_document(rec.context_words):
                for match in rec.text_pattern.finditer(norm):
                    candidates.setdefault((index, match.start(), match.end()), (match.group(0), "plain"))
        hits = self._evaluate(view, candidates, min_score, _RUN_SALT if salt is None else salt, checked)
        if stored:
            hits = [h for h in hits if not _overlapping_any(stored, h)] + stored
        return _resolve(hits)

    def scan_many(self, texts: Iterable[str], *, salt: bytes | None = None, min_score: float = 0.0,
                  types: Iterable[str] | None = None, window: int = 30, spreadsheet: bool | None = None,
                  batch_chars: int = _BATCH_CHARS) -> list[list[Hit]]:
        """`[scan(text, …) for text in texts]`, the same hits, with the per-call work done once per batch.

        A page-sized document spent a quarter of its scan on fixed costs (the UTF-16 and pattern passes'
        calls, buffers, option look-ups). Here documents are joined with _BATCH_SEPARATOR, up to
        `batch_chars` characters a batch (memory stays bounded whatever the number of documents), and the
        normalising, the pattern pass and the rejoining of split numbers run once over the batch; each
        candidate goes back to its document with its offsets made local, and everything that looks
        beyond a value's neighbours (context windows, document-wide words, table headers, stored tokens,
        the address recognizer) runs on that document alone, exactly as `scan` does.
        """
        texts = texts if isinstance(texts, list) else list(texts)
        results: list[list[Hit]] = []
        first, size = 0, 0
        for end, text in enumerate(texts):
            if end > first and size + len(text) > batch_chars:
                results += self._scan_batch(texts[first:end], salt, min_score, types, window, spreadsheet)
                first, size = end, 0
            size += len(text) + 1
        if first < len(texts):
            results += self._scan_batch(texts[first:], salt, min_score, types, window, spreadsheet)
        return results

    def _scan_batch(self, texts: list[str], salt: bytes | None, min_score: float, types: Iterable[str] | None,
                    window: int, spreadsheet: bool | None) -> list[list[Hit]]:
        """scan_many's work for one batch (see there)."""
        if len(texts) == 1:
            return [self.scan(texts[0], salt=salt, min_score=min_score, types=types, window=window,
                              spreadsheet=spreadsheet)]
        joined = _BATCH_SEPARATOR.join(texts)
        if len(joined) < _GC_PAUSE_CHARS or not gc.isenabled():
            return self._scan_joined(texts, joined, salt, min_score, types, window, spreadsheet)
        gc.disable()                          # see scan: a large text's short-lived containers
        try:
            return self._scan_joined(texts, joined, salt, min_score, types, window, spreadsheet)
        finally:
            gc.enable()

    def _scan_joined(self, texts: list[str], joined: str, salt: bytes | None, min_score: float,
                     types: Iterable[str] | None, window: int, spreadsheet: bool | None) -> list[list[Hit]]:
        """Hits per document of `texts`, joined with _BATCH_SEPARATOR into `joined`."""
        options = self._options(spreadsheet, types)
        starts, offset = [], 0
        for text in texts:
            starts.append(offset)
            offset += len(text) + 1
        facts = self._utf16_pass(joined) if self.engine == "hyperscan" else None
        if facts is None:
            norm = normalise(joined)
        else:                                 # normalising is character by character: a slice is its document's
            norm = normalise(joined, lambda _: facts[0], absent=_NBSP if facts[1].get(_NBSP) == -1 else "")
        candidates, checked = self._candidates(norm, View(norm, window), options[2])
        # Each candidate to its document, offsets made local, in the order found (the order scan finds them).
        local: list[dict[tuple[int, int, int], tuple[str, str]]] = [{} for _ in texts]
        local_checked: list[set[tuple[int, int, int]]] = [set() for _ in texts] if checked else []
        find_doc = bisect.bisect_right
        for key, value in candidates.items():
            index, start, end = key
            doc = find_doc(starts, start) - 1
            base = starts[doc]
            local[doc][index, start - base, end - base] = value
            if checked and key in checked:
                local_checked[doc].add((index, start - base, end - base))
        firsts = self._firsts_per_document(joined, starts, texts, facts[1]) if facts is not None else None
        results = []
        for doc, text in enumerate(texts):
            if not text:
                results.append([])
                continue
            doc_firsts = firsts[doc] if firsts is not None else None
            view = View(norm[starts[doc]:starts[doc] + len(text)], window, doc_firsts)
            results.append(self._hits(text, view, doc_firsts, local[doc],
                                      local_checked[doc] if checked else _NONE_CHECKED, options, min_score, salt))
        return results

    def _firsts_per_document(self, joined: str, starts: list[int], texts: list[str],
                             known: dict[str, int]) -> list[dict[str, int]]:
        """Per document the first position of each character `scan` learns from its UTF-16 pass (the
        stored-token mark, the text recognizers' key characters; -1: absent): one `str.find` per
        document that holds the character, instead of a search of each document for each. `known`:
        what the batch's own UTF-16 pass found (a character's first position in the batch, -1 when
        the batch has none), so an absent character is not searched for at all."""
        firsts: list[dict[str, int]] = [dict.fromkeys(self._first_chars, -1) for _ in texts]
        for char in self._first_chars:
            at = known.get(char)
            if at is None:                     # the pass was unsure of it
                at = joined.find(char)
            while at >= 0:
                doc = bisect.bisect_right(starts, at) - 1
                firsts[doc][char] = at - starts[doc]
                at = joined.find(char, starts[doc] + len(texts[doc]))
        return firsts

    def _options(self, spreadsheet: bool | None, types: Iterable[str] | None
                 ) -> tuple[frozenset[str], frozenset[str] | None, tuple[bool, ...]]:
        """The recognizers a scan skips (spreadsheet-only ones in prose), the wanted types and, per
        recognizer, whether it runs; remembered per option set (a page costs only a few dozen µs)."""
        key = (spreadsheet in (None, True), None if not types else tuple(types))
        options = self._option_sets.get(key)
        if options is None:
            skip = set() if key[0] else {r.name for r in self.recognizers if r.spreadsheet_only}
            wanted = set(key[1]) if key[1] is not None else None
            allowed = tuple((wanted is None or rec.pii_type in wanted) and rec.name not in skip
                            for rec in self.recognizers)
            options = self._option_sets[key] = (frozenset(skip), frozenset(wanted) if wanted is not None else None,
                                                allowed)
        return options

    def _hyperscan_for(self, allowed: tuple[bool, ...]) -> tuple:
        """A hyperscan database of the allowed recognizers' patterns (and the separator pattern), and
        per pattern id its owner (index, recognizer, touching characters, touching bytes, whether the
        pattern carries its left boundary, the recognizers its reports stand for), None for the
        separators. Patterns of recognizers a scan skips are left out, not reported and dropped:
        each report is a Python call (prose skips the spreadsheet-only ID pattern, a third of the ID
        reports). A recognizer reported beside another that runs too (Recognizer.reported_beside) has
        its `patterns_beside` with both boundaries: a report of a number that no boundary starts
        would be dropped anyway, and the engine would make one for every ID's last 16 and 17 digits."""
        key = tuple(allowed)
        entry = self._hyperscan_dbs.get(key)
        if entry is None:
            beside = {index: [(other, match) for other, match in self._beside.get(index, ()) if allowed[other]]
                      for index in range(len(self.recognizers)) if allowed[index]}
            derived = {other for entries in beside.values() for other, _ in entries}
            expressions, owners = [], []
            for index, rec in enumerate(self.recognizers):
                if not allowed[index]:
                    continue
                owner = (index, rec, rec.touching, frozenset(ord(c) for c in rec.touching), index in derived,
                         tuple(beside[index]))
                for pattern in (rec.patterns_beside if index in derived else rec.patterns):
                    expression = self._right_bounded(index, pattern)
                    if index in derived:
                        expression = f"(?:^|[^{self._touching_class(index)}]){expression}"
                    expressions.append(expression)
                    owners.append(owner)
            entry = self._hyperscan_dbs[key] = (_compile_hyperscan(expressions), owners + [None])
        return entry

    def _hyperscan_candidates(self, norm: str, view: View, buf: bytes, allowed: tuple[bool, ...]
                              ) -> tuple[dict[tuple[int, int, int], tuple[str, str]], list[int]]:
        """What `_match_candidates(raw_matches(buf))` returns, worked out in the engine's callback: no
        list of reports is built and walked again (the same checks, in the same order)."""
        candidates: dict[tuple[int, int, int], tuple[str, str]] = {}
        seps: list[int] = []
        if not buf:
            return candidates, seps
        database, owners = self._hyperscan_for(allowed)
        size = len(norm)
        beside: list[tuple[tuple[int, int, int], tuple[str, str]]] = []

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            owner = owners[pid]
            if owner is None:
                seps.append(start)
                return
            index, rec, touching, touching_bytes, left_bounded, stands_for = owner
            # Every pattern ends in a character of its touching set, so a match whose last byte is
            # outside the set ended with the boundary character, which is not part of the value;
            # likewise it begins with one, so a match beginning outside the set began with its left boundary.
            if buf[end - 1] not in touching_bytes:
                end -= 1
            if left_bounded and buf[start] not in touching_bytes:
                start += 1
            if end < size:
                after = norm[end]
                if after in touching or after == "." and end + 1 < size and norm[end + 1].isdigit():
                    return
            how, begin = "plain", start
            if start > 0:
                before = norm[start - 1]
                if before in touching or before == "." and start >= 2 and norm[start - 2].isdigit():
                    begin = rec.extend_left(view, start)
                    if begin is None:
                        return
                    how = "prefixed"
            key = (index, begin, end)
            if key not in candidates:
                value = candidates[key] = (norm[start:end], how)
                for other, fullmatch in stands_for:
                    if fullmatch(value[0]):
                        beside.append(((other, begin, end), value))
        database.scan(buf, match_event_handler=on_match)
        # Added last, as `re` lists them: after the other recognizers' candidates of the same span.
        for key, value in beside:
            candidates.setdefault(key, value)
        seps.sort()
        return candidates, seps

    def _match_candidates(self, norm: str, view: View, raw: list[tuple[int, int, int]],
                          allowed: tuple[bool, ...]) -> tuple[dict[tuple[int, int, int], tuple[str, str]], list[int]]:
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
                  salt: bytes, checked: set[tuple[int, int, int]]) -> list[Hit]:
        """The candidates their recognizers accept and do not prune, as explained, masked hits.

        Each recognizer validates all its candidates in one call (vectorised check digits), then the
        valid ones are judged (`Recognizer.judge`: assessed and pruned in one call) in the candidates'
        order, the order `evaluate` one by one would take.
        Keys in `checked` (rejoined split numbers) already passed the same validator in `_joined`.
        """
        if not candidates:
            return []
        recognizers = self.recognizers
        values: dict[int, list[str]] = {}
        for key, (value, _) in candidates.items():
            if not (checked and key in checked):
                values.setdefault(key[0], []).append(value)
        validity = {index: iter(recognizers[index].validate_many(batch)) for index, batch in values.items()}
        hits: list[Hit] = []
        append, new, set_dict, sha256 = hits.append, object.__new__, object.__setattr__, hashlib.sha256
        shapes = self._hit_shapes(salt)
        for key, (value, how) in candidates.items():
            index, start, end = key
            if not (checked and key in checked) and not next(validity[index]):
                continue
            rec, pii_type, name, masker, renormalises, tag = shapes[index]
            verdict = rec.judge(view, start, end, value, how, min_score)      # assess and prune in one
            if verdict is None:
                continue
            score, validated, word, kind, note = verdict
            if renormalises:
                value = rec.normalised(value)
            # _new_hit, fingerprint and Recognizer.mask inlined (thousands of hits per dense document).
            hit = new(Hit)
            set_dict(hit, "__dict__", {
                "pii_type": pii_type, "start": start, "end": end,
                "masked": masker(value) if masker is not None and kind != "weak_masking" else rec.mask(value, kind),
                "fingerprint": sha256(tag + value.upper().encode()).hexdigest(), "recognizer": name,
                "score": score, "context_word": word, "validated": validated, "kind": kind, "how": note})
            append(hit)
        return hits

    def _hit_shapes(self, salt: bytes) -> list[tuple]:
        """Per recognizer what `_evaluate` needs to build its hits: the recognizer, its type and name,
        its type's masking function when it masks the default way (None: ask `mask`), whether it
        fingerprints a normalised value, and the fingerprint's salted prefix (remembered per salt)."""
        shapes = self._shapes.get(salt)
        if shapes is None:
            if len(self._shapes) >= 64:
                self._shapes.clear()
            shapes = self._shapes[salt] = [
                (rec, rec.pii_type, rec.name,
                 MASKERS.get(rec.pii_type, mask_generic) if type(rec).mask is Recognizer.mask else None,
                 self._renormalises[index], salt + f"{rec.pii_type}:".encode())
                for index, rec in enumerate(self.recognizers)]
        return shapes

    def _joiners_for(self, allowed: tuple[bool, ...]) -> tuple[dict[int, list[tuple[int, Recognizer, Callable]]], dict]:
        """Digit count → the rejoining recognizers a scan allows, and the join plans worked out for
        them so far (both kept per set of allowed recognizers)."""
        key = tuple(allowed)
        entry = self._allowed_joiners.get(key)
        if entry is None:
            joiners = {length: kept for length, entries in self._joiners.items()
                       if (kept := [entry for entry in entries if allowed[entry[0]]])}
            entry = self._allowed_joiners[key] = (joiners, {})
        return entry

    def _skeleton_plan(self, joiners: dict[int, list[tuple[int, Recognizer, Callable]]], skeleton: str,
                       left_open: bool, right_open: bool) -> tuple:
        """A run's join plan (see _join_plan) in offsets from the run's start, so a remembered plan is
        applied without listing the run's groups again: per joined value the (start, end) of its
        groups, where it begins and ends, the group before it (for the area-code test) or None, its
        `how`, and the recognizers that may take it."""
        offsets = tuple(m.span() for m in _GROUP.finditer(skeleton))
        if len(offsets) < 2:
            return ()
        shape = (tuple(b - a for a, b in offsets), tuple(skeleton[b - 1] == "X" for _, b in offsets),
                 tuple("\n" in skeleton[offsets[k][1]:offsets[k + 1][0]] for k in range(len(offsets) - 1)),
                 left_open, right_open)
        return tuple((offsets[i:j + 1], offsets[i][0], offsets[j][1], offsets[i - 1] if i else None,
                      "wrapped" if line_break else "spaced", takers)
                     for i, j, line_break, takers in self._join_plan(joiners, shape))

    def _join_plan(self, joiners: dict[int, list[tuple[int, Recognizer, Callable]]], shape: tuple) -> tuple:
        """Which consecutive groups of a run may be joined, and for which recognizers, from the run's
        shape alone: (group lengths, whether each group ends in X, whether each gap holds a line
        break, whether the run's left and right edges are free). A joined value must sum to a length
        some recognizer rejoins, may not run past an X, and the recognizer must take that grouping
        (`join_shape_ok` looks at the groups' lengths and the line break only). Plan entries are
        (first group, last group, line break, recognizers)."""
        lengths, x_ends, breaks, left_open, right_open = shape
        max_len, last, plan = self._max_join_length, len(lengths) - 1, []
        for i in range(len(lengths)):
            if i == 0 and not left_open:
                continue
            total = 0
            for j in range(i, len(lengths)):
                if j > i and x_ends[j - 1]:
                    break
                total += lengths[j]
                if total > max_len:
                    break
                if j == i or total not in joiners or j == last and not right_open:
                    continue
                line_break = any(breaks[i:j])
                groups = ["0" * n for n in lengths[i:j + 1]]
                takers = tuple(entry for entry in joiners[total]
                               if (entry[1].line_join or not line_break) and entry[1].join_shape_ok(groups, line_break))
                if takers:
                    plan.append((i, j, line_break, takers))
        return tuple(plan)

    def _joined(self, norm: str, seps: list[int], allowed: tuple[bool, ...],
                candidates: dict, run_starts: bool = False) -> set[tuple[int, int, int]]:
        """Candidates rejoined from digit groups split by spaces, hyphens or line breaks; returns the
        keys it added, which have passed their validator (`_evaluate` does not validate them again).
        `seps` are separator positions, or with `run_starts` the first digits of their runs (hyperscan
        reports chains, so the walk back to a run's start is not needed).

        Each run of digit groups around a separator gets a join plan from its skeleton (remembered: a
        page's dates, phone numbers and split IDs come in a few shapes); each planned value must then
        match its recognizer's pattern and not follow an area code, and the validators run once per
        recognizer over all joined values; the valid ones are added in the order found.
        """
        joiners, plans = self._joiners_for(allowed)
        added: set[tuple[int, int, int]] = set()
        if not joiners:
            return added
        size = len(norm)
        proposals: list[tuple[int, tuple[int, int, int], str, str]] = []
        done_until = -1
        for pos in seps:
            if pos < done_until:
                continue
            start = pos if run_starts else _run_start(norm, pos)
            match = _RUN.match(norm, start)
            if match is None:
                continue
            done_until = match.end()
            if done_until - start < 11:
                continue
            # The run's skeleton (digits and '*' as 9, X, blank, line break) decides its groups and plan,
            # with whether its edges are free (_decimal_before / _decimal_after inlined).
            skeleton = norm[start:done_until].translate(_SKELETON)
            if start:
                before = norm[start - 1]
                left_open = before not in ALNUM and not (before == "." and start >= 2 and norm[start - 2].isdigit())
            else:
                left_open = True
            if done_until < size:
                after = norm[done_until]
                right_open = after not in ALNUM and not (after == "." and done_until + 1 < size
                                                         and norm[done_until + 1].isdigit())
            else:
                right_open = True
            shape_key = (skeleton, left_open, right_open)
            plan = plans.get(shape_key)
            if plan is None:
                plan = self._skeleton_plan(joiners, *shape_key)
                if len(skeleton) <= _PLANNED_LENGTH:
                    if len(plans) >= 4096:
                        plans.clear()
                    plans[shape_key] = plan
            for pieces, first, last, previous, how, takers in plan:
                value = "".join([norm[start + a:start + b] for a, b in pieces])
                landline = None
                for index, _, fullmatch in takers:
                    if not fullmatch(value):
                        continue
                    if landline is None:
                        landline = previous is not None and _landline_before(
                            norm, (start + previous[0], start + previous[1]), start + first)
                    if not landline:
                        proposals.append((index, (index, start + first, start + last), value, how))
        if not proposals:
            return added
        values: dict[int, list[str]] = {}
        for index, _, value, _ in proposals:
            values.setdefault(index, []).append(value)
        validity = {index: iter(self.recognizers[index].validate_many(batch)) for index, batch in values.items()}
        for index, key, value, how in proposals:
            if next(validity[index]) and key not in candidates:
                candidates[key] = (value, how)
                added.add(key)
        return added


def _compile_hyperscan(patterns: list[str]) -> object:
    """A hyperscan database of candidate patterns (ids in order) and, last, the digit-chain patterns
    (both with the id len(patterns), the scanner's separator id)."""
    database = hyperscan.Database()
    count = len(patterns) + len(_CHAIN_PATTERNS)
    plain = hyperscan.ExpressionExt(flags=0)
    chains = [hyperscan.ExpressionExt(flags=hyperscan.HS_EXT_FLAG_MIN_LENGTH, min_length=length) if length else plain
              for _, length in _CHAIN_PATTERNS]
    database.compile(expressions=[p.encode() for p in patterns] + [p.encode() for p, _ in _CHAIN_PATTERNS],
                     ids=list(range(len(patterns))) + [len(patterns)] * len(_CHAIN_PATTERNS), elements=count,
                     flags=[hyperscan.HS_FLAG_SOM_LEFTMOST] * count, ext=[plain] * len(patterns) + chains)
    return database


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
    if len(hits) < 2:
        return list(hits)
    hits = sorted(hits, key=_BY_SPAN)
    out: list[Hit] = []
    cluster = [hits[0]]
    reach, resolved = hits[0].end, False
    for hit in itertools.islice(hits, 1, None):
        if hit.start < reach:
            cluster.append(hit)
            if hit.end > reach:
                reach = hit.end
            continue
        if len(cluster) > 1:
            out.extend(_resolve_cluster(cluster))
            resolved = True
        else:
            out.append(cluster[0])
        cluster = [hit]
        reach = hit.end
    if len(cluster) > 1:
        out.extend(_resolve_cluster(cluster))
        resolved = True
    else:
        out.append(cluster[0])
    return sorted(out, key=_BY_SPAN) if resolved else out      # lone hits are in order already


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


def scan_many(texts: Iterable[str], *, salt: bytes | None = None, min_score: float = 0.0,
              types: Iterable[str] | None = None, window: int = 30, spreadsheet: bool | None = None,
              engine: str = "auto") -> list[list[Hit]]:
    """`[scan(text, …) for text in texts]` in batches (see Scanner.scan_many)."""
    return get_scanner(engine).scan_many(texts, salt=salt, min_score=min_score, types=types, window=window,
                                         spreadsheet=spreadsheet)
