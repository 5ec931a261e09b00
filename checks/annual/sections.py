"""Find the six section headings of a report and the text each section spans.

Headings are recognised by their numeral and a key phrase (rules/annual_formats.yml), searched in order, so a
table row such as 「四、结转下年度继续办理」 is never taken for section 四. A heading found with the wrong numeral is
kept (its text is still section 四) and reported by the structure check.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import yaml

FORMATS_FILE = Path(__file__).resolve().parents[2] / "rules" / "annual_formats.yml"
NUMERALS = "一二三四五六七八九十"
_TRANSLATE = str.maketrans({"(": "（", ")": "）", **{chr(0xFF10 + i): str(i) for i in range(10)}})


@functools.lru_cache(maxsize=1)
def formats() -> dict:
    """rules/annual_formats.yml, parsed once."""
    return yaml.safe_load(FORMATS_FILE.read_text(encoding="utf-8"))


def normalise(text: str) -> str:
    """One character for one: brackets to full width and digits to ASCII, so offsets stay valid."""
    return text.translate(_TRANSLATE)


@dataclass
class Heading:
    number: str            # the numeral the format expects (一 … 六)
    title: str             # the format's heading
    found_number: str | None = None
    found_text: str = ""
    start: int = -1        # offset of the heading in the text
    end: int = -1          # offset just after the heading's key phrase
    inexact: bool = False  # found only by its numeral and most of its key phrase (a mis-written or OCR-misread word)


@dataclass
class Sections:
    text: str              # normalised text
    headings: list[Heading]

    def heading(self, number: str) -> Heading | None:
        return next((h for h in self.headings if h.number == number), None)

    def region(self, number: str) -> str | None:
        """Text of one section (after its heading, before the next heading found), or None when it is missing."""
        found = [h for h in self.headings if h.start >= 0]
        for i, h in enumerate(found):
            if h.number == number:
                stop = found[i + 1].start if i + 1 < len(found) else len(self.text)
                return self.text[h.end:stop]
        return None

    def region_span(self, number: str) -> tuple[int, int] | None:
        found = [h for h in self.headings if h.start >= 0]
        for i, h in enumerate(found):
            if h.number == number:
                return h.end, found[i + 1].start if i + 1 < len(found) else len(self.text)
        return None


def _heading_pattern(keys: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(r"\s*".join(map(re.escape, key)) for key in keys)
    return re.compile(rf"(?<![{NUMERALS}])([{NUMERALS}]+)\s*[、.．]\s*[^。；\n\d|]{{0,15}}?(?:{alternatives})(?:[^。；\n\d|（]{{0,6}}?(?:情况|事项))?")


def find_sections(text: str) -> Sections:
    """Locate each format heading in order; a heading not found keeps start = -1."""
    norm = normalise(text)
    headings: list[Heading] = []
    position = 0
    for spec in formats()["headings"]:
        heading = Heading(number=spec["number"], title=spec["title"])
        m = _heading_pattern(spec["keys"]).search(norm, position)
        if m:
            heading.found_number, heading.found_text = m.group(1), m.group(0).strip()
            heading.start, heading.end = m.start(), m.end()
            position = m.end()
        elif (near := _inexact_heading(norm, position, spec)) is not None:
            heading.found_number, heading.found_text = spec["number"], norm[near[0]:near[1]].strip()
            heading.start, heading.end, heading.inexact = near[0], near[1], True
            position = near[1]
        headings.append(heading)
    return Sections(text=norm, headings=headings)


MIN_INEXACT_KEY = 4        # 复议 (two characters) is too short to recognise with a character wrong
INEXACT_SHARE = 0.75       # share of the key phrase's characters found in order right after the numeral


def _inexact_heading(norm: str, position: int, spec: dict) -> tuple[int, int] | None:
    """A heading whose key phrase has a character wrong (「存在的主要间题」 in an OCR copy): the expected numeral and 、,
    then, within the same line, most of a key phrase's characters in order. Tried only where no exact heading is."""
    keys = [key for key in spec["keys"] if len(key) >= MIN_INEXACT_KEY]
    for m in re.finditer(rf"(?<![{NUMERALS}]){spec['number']}\s*[、.．]", norm[position:]):
        start = position + m.start()
        line = re.split(r"[。；\n|]", norm[start + len(m.group(0)):start + len(m.group(0)) + 30])[0]
        for key in keys:
            window = line[:len(key) + 8]
            matcher = SequenceMatcher(None, key, window, autojunk=False)
            blocks = [b for b in matcher.get_matching_blocks() if b.size]
            if blocks and sum(b.size for b in blocks) / len(key) >= INEXACT_SHARE:
                end = start + len(m.group(0)) + blocks[-1].b + blocks[-1].size
                tail = re.match(r"[^。；\n\d|（]{0,6}?(?:情况|事项)", norm[end:end + 8])
                return start, end + (tail.end() if tail else 0)
    return None
