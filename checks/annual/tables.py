"""Read tables 二, 三 and 四 of a report from pipe rows or from flattened runs of digits, never guessing a number.

A flattened copy glues cells together ("640020470" for 64·0·0·2·0·4·70). Every way of cutting a run into the
row's cells (no leading zeros) is a reading; a row's printed identity (法人 columns and 自然人 add up to 总计;
each 表四 group's four results add up to its 总计) keeps the readings that satisfy it. A cell is known only when
all kept readings agree on it. When no reading satisfies the identity, every reading breaks it: that is a fault
whatever the cells were, and the row's cells stay unknown.

Rows of 表三 still left with several readings ("270020130": 27·0·0·2·0·1·30 or 2·7·0·0·20·1·30) are then taken
together: a choice of readings is kept only if every column adds up (（七）总计 = the 办理结果 rows; 第一项 + 第二项 =
第三项 + 第四项). When some choice does, only the kept choices remain; when none does, the rows keep all their
readings and the column checks judge over them.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from checks.annual.sections import Sections, formats

MAX_READINGS = 20000
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A cell's number as printed, thousands separated or not ("517,645", "4,068.208"): the separator is no cut.
NUMBER_TEXT = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


@dataclass
class Row:
    key: str
    label: str
    raw: str = ""                         # the cells as printed (for evidence)
    found: bool = False
    atomic: bool = False                  # cells came from a real table (pipe row)
    readings: list[tuple] = field(default_factory=list)      # every cut of the digits into the row's cells
    consistent: list[tuple] = field(default_factory=list)    # the readings that satisfy the row's identity
    values: list[float | int | None] = field(default_factory=list)
    note: str = ""
    crosses_line: bool = False            # flattened digits ran over a line break: a page number may be among them

    @property
    def unique(self) -> bool:
        """The digits admit one reading only: the identity can be checked, not just used."""
        return len(self.readings) == 1


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: dict[str, Row]
    found: bool
    note: str = ""

    def value(self, key: str, column: int) -> float | int | None:
        row = self.rows.get(key)
        return row.values[column] if row and row.found and row.values else None


def label_pattern(label: str, numbered: bool = False, skip_note: bool = False) -> re.Pattern[str]:
    """A label tolerant of spaces between characters and of either kind of quotation mark."""
    parts = []
    for ch in label:
        parts.append(r"[“”\"'‘’]?" if ch in "“”\"'‘’" else re.escape(ch))
    body = r"\s*".join(parts)
    if numbered:
        body = rf"\d\s*[.．、]\s*{body}(?=[\s|\d]|$)"
    if skip_note:
        body += r"[^\d|\n]{0,40}"
    else:
        body += r"(?:\s*（[^）\d|]{0,30}）)?"
    return re.compile(body)


def _run_after(text: str, pos: int, decimal: bool) -> tuple[list[str], bool, str]:
    """Number tokens right after a label: (tokens, atomic, raw). Stops at the first word that is not a number.

    A trailing digit glued to the next row's numbering ("0000000" + "2.其他…") belongs to that numbering.
    """
    m = re.match(rf"[\s|\-—]*((?:{NUMBER_TEXT}[\s|]*)+)", text[pos:pos + 400])
    if not m:
        return [], False, ""
    raw = m.group(1)
    after = text[pos + m.end():pos + m.end() + 1]
    tokens = [t.replace(",", "") for t in re.findall(NUMBER_TEXT if decimal else r"\d{1,3}(?:,\d{3})+|\d+", raw)]
    if decimal is False and re.search(r"\d\.\d", raw):
        return [], False, raw.strip()            # a decimal where counts belong: not this row's cells
    if after in ".．、" and tokens and not raw.rstrip().endswith("|"):
        last = tokens[-1]
        tokens[-1] = last[:-1]
        if not tokens[-1]:
            tokens.pop()
        raw = raw.rstrip()[:-1]
    atomic = "|" in text[max(0, pos - 200):pos] .rsplit("\n", 1)[-1] or "|" in raw
    return [t for t in tokens if t], atomic, raw.strip(" |")


def readings(tokens: Sequence[str], count: int, atomic: bool,
             prefix_ok: Callable[[tuple], bool] = lambda values: True) -> list[tuple]:
    """Every way to cut the tokens into `count` whole numbers (no leading zeros; cuts never join tokens)."""
    if atomic:
        if len(tokens) != count:
            return []
        values = tuple(float(t) if "." in t else int(t) for t in tokens)
        return [values]
    if any("." in t for t in tokens):
        return [tuple(float(t) if "." in t else int(t) for t in tokens)] if len(tokens) == count else []
    digits = "".join(tokens)
    ends = set()
    offset = 0
    for t in tokens:
        offset += len(t)
        ends.add(offset)
    out: list[tuple] = []

    def cut(i: int, values: tuple) -> None:
        if len(out) > MAX_READINGS:
            return
        if i == len(digits):
            if len(values) == count:
                out.append(values)
            return
        if len(values) >= count or len(digits) - i < count - len(values):
            return
        token_end = min(e for e in ends if e > i)
        longest = 1 if digits[i] == "0" else token_end - i
        for j in range(i + 1, i + longest + 1):
            candidate = values + (int(digits[i:j]),)
            if prefix_ok(candidate):
                cut(j, candidate)

    cut(0, ())
    return out if len(out) <= MAX_READINGS else []


def _before_line_break(raw: str) -> list[str]:
    """The number tokens of a flattened run up to its first line break (what follows may be a page number)."""
    return re.findall(r"\d+", raw.split("\n", 1)[0])


def _settle(row: Row, identity: Callable[[tuple], bool] | None) -> None:
    """Keep the readings that satisfy the identity; a cell is known where the kept readings agree."""
    row.consistent = [r for r in row.readings if identity is None or identity(r)]
    basis = row.consistent or row.readings
    width = len(basis[0]) if basis else 0
    row.values = [basis[0][c] if all(r[c] == basis[0][c] for r in basis) else None for c in range(width)]
    if row.readings and not row.consistent:
        row.values = [row.values[c] if row.unique else None for c in range(width)]


def _find_row(text: str, start: int, stop: int, labels: list[str], numbered: bool, skip_note: bool,
              decimal: bool) -> tuple[int, int, list[str], bool, str] | None:
    """The first occurrence of a label (between start and stop) that is followed by numbers."""
    first = None
    for label in labels:
        for m in label_pattern(label, numbered, skip_note).finditer(text, start, stop):
            tokens, atomic, raw = _run_after(text, m.end(), decimal)
            if tokens:
                return m.start(), m.end(), tokens, atomic, raw
            first = first or (m.start(), m.end(), [], False, raw)
    return first


def _cut_at_line_break(row: Row, width: int, identity) -> None:
    """A flattened row whose digits run on after a line break: a page number or footer line (PDF text layers, OCR)
    may have been glued to the row. The part before the break is the row when it reads consistently by itself;
    otherwise the whole run is kept, and a broken identity proves nothing (crosses_line)."""
    head = readings(_before_line_break(row.raw), width, atomic=False)
    if identity is None or any(identity(r) for r in head):
        if head:
            row.readings, row.raw = head, row.raw.split("\n", 1)[0].strip()
            return
    row.crosses_line = True


def row_sum_identity(values: tuple) -> bool:
    """表三: 自然人 + the five 法人或其他组织 columns = 总计."""
    return sum(values[:6]) == values[6]


def group_identity(values: tuple) -> bool:
    """表四: in each group of five, 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计 (checked on complete groups)."""
    return all(sum(values[g:g + 4]) == values[g + 4] for g in range(0, len(values) - len(values) % 5, 5))


def format_for(year: int | None) -> tuple[str, dict]:
    """The format edition a report is judged against: 2019 format before 2021, else 2021."""
    editions = formats()["formats"]
    chosen = "2021"
    for name, spec in sorted(editions.items(), key=lambda kv: kv[1]["from_year"]):
        if year is not None and year >= spec["from_year"]:
            chosen = name
    return chosen, editions[chosen]


def read_rows(sections: Sections, spec: dict, columns: list[str] | None, identity) -> Table:
    """Read a table whose rows are named by labels (表二, 表三) inside its section."""
    span = sections.region_span(spec["section"])
    name = "表" + spec["section"]
    if span is None:
        return Table(name, columns or [], {}, found=False, note=f"未找到第{spec['section']}部分标题")
    text, (start, stop) = sections.text, span
    rows: dict[str, Row] = {}
    position = start
    for row_spec in spec["rows"]:
        labels = row_spec["label"] if isinstance(row_spec["label"], list) else [row_spec["label"]]
        width = len(row_spec.get("columns", columns or []))
        row = Row(key=row_spec["key"], label=labels[0])
        hit = _find_row(text, position, stop, labels, row_spec.get("numbered", False),
                        row_spec.get("skip_note", False), row_spec.get("decimal", False))
        if hit and hit[2]:
            _, end, tokens, atomic, raw = hit
            row.found, row.atomic, row.raw = True, atomic, raw
            checked = identity if width == len(columns or []) else None
            if width == 1:
                row.readings = [(float(tokens[0]) if "." in tokens[0] else int(tokens[0]),)] if len(tokens) == 1 else []
            else:
                row.readings = readings(tokens, width, atomic)
                if not atomic and "\n" in raw:
                    _cut_at_line_break(row, width, checked)
            _settle(row, checked)
            if not row.readings:
                row.note = f"数字「{raw}」无法分成{width}个单元格"
            position = end
        rows[row.key] = row
    found = sum(r.found for r in rows.values())
    table = Table(name, columns or [], rows, found=found > 0)
    if not found:
        table.note = f"第{spec['section']}部分未找到表格"
    return table


def read_table4(sections: Sections, spec: dict) -> Table:
    """表四 is one row of 15 cells: the numbers of real table rows, or the digits after the header's last 总计."""
    columns = spec["columns"]
    span = sections.region_span(spec["section"])
    row = Row(key="cases", label="行政复议、行政诉讼")
    if span is None:
        return Table("表四", columns, {"cases": row}, found=False, note="未找到第四部分标题")
    region = sections.text[span[0]:span[1]]
    pipe_lines = [line for line in region.splitlines() if line.strip().startswith("|")]
    if pipe_lines:
        tokens = [cell.strip() for line in pipe_lines for cell in line.strip().strip("|").split("|")]
        tokens = [t.replace(",", "") for t in tokens if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", t)]
        atomic, raw = True, " ".join(tokens)
    else:
        last = region.rfind("总计")
        tail = region[last + 2:] if last >= 0 else ""
        m = re.match(r"[\s|]*((?:\d+[\s|]*)+)", tail)
        raw = m.group(1).strip() if m else ""
        tokens, atomic = re.findall(r"\d+", raw), False
    if not tokens:
        return Table("表四", columns, {"cases": row}, found=False, note="第四部分未找到表格数字")
    row.found, row.atomic, row.raw = True, atomic, raw
    if not atomic and "\n" in raw:
        head = _before_line_break(raw)
        if readings(head, len(columns), atomic, prefix_ok=group_identity):
            tokens, raw = head, raw.split("\n", 1)[0].strip()
            row.raw = raw
        else:
            row.crosses_line = True
    row.readings = readings(tokens, len(columns), atomic,
                            prefix_ok=(lambda v: True) if atomic else group_identity)
    if not atomic:
        # the pruned cut keeps only consistent readings; count the unpruned ones to know whether it was unique
        all_cuts = readings(tokens, len(columns), atomic)
        consistent = row.readings
        row.readings = all_cuts
        row.consistent = consistent
        basis = consistent or all_cuts
        row.values = [basis[0][c] if basis and all(r[c] == basis[0][c] for r in basis) else None
                      for c in range(len(columns))] if basis else []
        if all_cuts and not consistent and len(all_cuts) > 1:
            row.values = [None] * len(columns)
    else:
        _settle(row, group_identity)
    if not row.readings:
        row.note = f"数字「{raw}」无法分成{len(columns)}个单元格"
    return Table("表四", columns, {"cases": row}, found=True)


def resolve_by_columns(table: Table, spec: dict) -> None:
    """Narrow 表三's ambiguous rows to the choices of readings under which every column's identities hold."""
    parts = [row["key"] for row in spec["rows"] if row.get("in_total")]
    rows = [table.rows.get(key) for key in [*parts, "total", "new", "carried", "carry_next"]]
    if any(row is None or not row.found or not row.consistent for row in rows):
        return
    ambiguous = [row for row in rows if len(row.consistent) > 1]
    if not ambiguous or math.prod(len(row.consistent) for row in ambiguous) > MAX_READINGS:
        return
    fixed = {row.key: row.consistent[0] for row in rows if len(row.consistent) == 1}
    kept = []
    for choice in itertools.product(*(row.consistent for row in ambiguous)):
        cells = {**fixed, **{row.key: reading for row, reading in zip(ambiguous, choice)}}
        if all(sum(cells[key][c] for key in parts) == cells["total"][c]
               and cells["new"][c] + cells["carried"][c] == cells["total"][c] + cells["carry_next"][c]
               for c in range(len(table.columns))):
            kept.append(choice)
    if not kept:
        return
    for i, row in enumerate(ambiguous):
        row.consistent = sorted({choice[i] for choice in kept})
        basis = row.consistent
        row.values = [basis[0][c] if all(r[c] == basis[0][c] for r in basis) else None for c in range(len(basis[0]))]


@dataclass
class Tables:
    edition: str
    table2: Table
    table3: Table
    table4: Table


def read_tables(sections: Sections, year: int | None) -> Tables:
    edition, spec = format_for(year)
    t2 = read_rows(sections, spec["table2"], None, None)
    t3 = read_rows(sections, spec["table3"], spec["table3"]["columns"], row_sum_identity)
    resolve_by_columns(t3, spec["table3"])
    t4 = read_table4(sections, spec["table4"])
    return Tables(edition, t2, t3, t4)
