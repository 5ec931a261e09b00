"""Text: figures quoted in the text against the tables, numbering sequences, mis-writings, doubled words, the
信息处理费 statement in 六, and dates later than the publication date.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from checks.annual.arithmetic import add_sets, possible
from checks.annual.context import ReportContext
from checks.annual.model import FAIL, UNKNOWN, Result
from checks.annual.sections import NUMERALS
from crawler.extract.dates import parse_date

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
PROSE_SECTIONS = ("一", "五", "六")          # 二–四 are tables; their （一）… are row labels, not numbering
# 一是 … (an OCR copy may put a space before 是: 「二 是」 is still the second point, not a gap)
POINT = re.compile(rf"(?:(?<=^)|(?<=[\s。；;：:，,！#|>”）)]))([{NUMERALS}]{{1,2}}) ?是(?=[\u4e00-\u9fff“\"（(])", re.M)
PAREN = re.compile(rf"(?:(?<=^)|(?<=[\s。；;：:！#|]))（([{NUMERALS}]{{1,2}})）", re.M)
FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# A date a plan is to be met by (「力争于2025年12月31日前完成」) is a target, not a fact the report records.
PLANNED_BEFORE = re.compile(r"(?:将|计划|拟|预计|力争|争取|确保|要求|务必|需于|应于)[^。；;，,]{0,12}$")
PLANNED_AFTER = re.compile(r"^\s*(?:前|之前|以前|起)")
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2})\1")


@functools.lru_cache(maxsize=4)
def _yaml(name: str) -> dict:
    return yaml.safe_load((RULES_DIR / name).read_text(encoding="utf-8"))


def numeral_value(numeral: str) -> int:
    """一 … 九十九 as an integer (the numbering never goes higher)."""
    digits = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + digits[numeral[1]]
    if numeral.endswith("十"):
        return digits[numeral[0]] * 10
    if "十" in numeral:
        return digits[numeral[0]] * 10 + digits[numeral[2]]
    return digits[numeral]


def _context(text: str, start: int, end: int, width: int = 14) -> str:
    return text[max(0, start - width):end + width].replace("\n", " ")


def _table(ctx: ReportContext, name: str):
    return {"t2": ctx.tables.table2, "t3": ctx.tables.table3, "t4": ctx.tables.table4}[name]


def _tables_of(spec: dict) -> list[str]:
    """The tables (t2/t3/t4, in order) a figure's alternatives refer to."""
    return sorted({ref.split(":")[0] for alternative in spec["equals"] for ref in alternative})


def _cell(ctx: ReportContext, ref: str) -> set | None:
    table_name, row_key, column = ref.split(":")
    table = _table(ctx, table_name)
    row = table.rows.get(row_key)
    if row is None:
        return None
    if table_name == "t2":
        from checks.annual.tables import format_for
        spec = next((r for r in format_for(ctx.report.year)[1]["table2"]["rows"] if r["key"] == row_key), None)
        columns = spec.get("columns", []) if spec else []
    else:
        columns = table.columns
    return possible(row, columns.index(column)) if column in columns else None


def figures(ctx: ReportContext, rule) -> Iterator[Result]:
    """A figure in the prose must equal its table cell (or one of the sums the text may mean)."""
    text = ctx.sections.text
    span = ctx.sections.region_span("二")
    prose_end = span[0] if span else len(text)
    seen: set[tuple[int, int]] = set()
    for spec in _yaml("annual_figures.yml")["figures"]:
        for m in re.finditer(spec["pattern"], text[:prose_end]):
            where = (m.start("n"), m.end("n"))
            if where in seen:
                continue
            seen.add(where)
            quoted = int(m.group("n").replace(",", ""))
            alternatives = [add_sets(_cell(ctx, ref) for ref in alt) for alt in spec["equals"]]
            known = [a for a in alternatives if a is not None]
            sentence = _context(text, m.start(), m.end())
            if any(quoted in a for a in known):
                continue
            if len(known) < len(alternatives) or any(len(a) > 1 for a in known):
                unread = [_table(ctx, name).name for name in _tables_of(spec) if not _table(ctx, name).found]
                why = f"{'、'.join(unread)}未读到" if unread else "对应的表格数字未能唯一读出"
                yield Result(UNKNOWN, "正文数字", f"正文「{m.group(0)}」（{spec['what']}）：{why}，无法核对。",
                             evidence=sentence, key=f"{spec['what']}:{m.start()}")
                continue
            table_values = "或".join(str(next(iter(a))) for a in known)
            yield Result(FAIL, "正文数字", f"正文称{spec['what']}为{quoted}件（「{m.group(0)}」），表格为{table_values}，不一致。",
                         evidence=sentence, observed={"what": spec["what"], "text": quoted, "table": table_values},
                         key=f"{spec['what']}:{quoted}")


def _sequence_faults(text: str, pattern: re.Pattern[str], fmt: str,
                     resets: re.Pattern[str] | None = None) -> Iterator[tuple[str, str, int]]:
    """Yield (found, expected, offset) wherever a numbering run skips or repeats; a run restarts at 一.

    After a fault the run goes on from the number that was meant when the next one confirms it (一是…三是…三是: the
    first 三是 was meant as 二是), else from the number written (一是…三是…四是: 二是 was skipped), so one slip is
    reported once.
    """
    marks = [(numeral_value(m.group(1)), m.group(1), m.start()) for m in pattern.finditer(text)]
    if resets is not None:       # 一是… restarts under each （一）（二） subheading
        marks += [(0, "", m.start()) for m in resets.finditer(text)]
        marks.sort(key=lambda mark: mark[2])
    previous = None
    for i, (value, numeral, offset) in enumerate(marks):
        if value == 0:
            previous = None
            continue
        if value == 1:
            previous = 1
            continue
        if previous is None:
            continue
        if value != previous + 1:
            expected = "一二三四五六七八九十"[previous] if previous < 10 else str(previous + 1)
            yield fmt.format(numeral), fmt.format(expected), offset
            following = marks[i + 1][0] if i + 1 < len(marks) else None
            previous = previous + 1 if following == previous + 2 else value
        else:
            previous = value


def numbering(ctx: ReportContext, rule) -> Iterator[Result]:
    """一是/二是/三是 and （一）（二） in the prose sections go up by one; a repeat or a skip is a fault."""
    for number in PROSE_SECTIONS:
        region = ctx.sections.region(number)
        if region is None:
            continue
        for pattern, fmt, resets in ((POINT, "{}是", PAREN), (PAREN, "（{}）", None)):
            for found, expected, offset in _sequence_faults(region, pattern, fmt, resets):
                yield Result(FAIL, f"第{number}部分", f"第{number}部分序号有误：此处为「{found}」，按顺序应为「{expected}」。",
                             evidence=_context(region, offset, offset + len(found)),
                             observed={"found": found, "expected": expected}, key=f"{number}:{offset}:{found}")


def miswritings(ctx: ReportContext, rule) -> Iterator[Result]:
    """Mis-written 政务 vocabulary from rules/annual_miswritings.yml, and doubled two-character words."""
    text = ctx.sections.text
    data = _yaml("annual_miswritings.yml")
    for entry in data["miswritings"]:
        for m in re.finditer(entry["wrong"], text):
            yield Result(FAIL, _where(ctx, m.start()), f"「{m.group(0)}」应为「{entry['right']}」"
                         + (f"（{entry['note']}）" if entry.get("note") else "") + "。",
                         evidence=_context(text, m.start(), m.end()),
                         observed={"wrong": m.group(0), "right": entry["right"]}, key=f"{m.group(0)}:{m.start()}")
    allowed = set(data.get("doubled_allowed", []))
    for m in DOUBLED.finditer(text):
        if m.group(0) in allowed or len(set(m.group(1))) == 1:
            continue
        yield Result(FAIL, _where(ctx, m.start()), f"「{m.group(0)}」疑为重复录入，应为「{m.group(1)}」。",
                     evidence=_context(text, m.start(), m.end()),
                     observed={"wrong": m.group(0), "right": m.group(1)}, key=f"{m.group(0)}:{m.start()}")


def _where(ctx: ReportContext, offset: int) -> str:
    current = "标题前"
    for h in ctx.sections.headings:
        if 0 <= h.start <= offset:
            current = f"第{h.number}部分"
    return current


def fee_statement(ctx: ReportContext, rule) -> Iterator[Result]:
    """Section 六 states whether 信息处理费 was collected (国办函〔2020〕109号)."""
    region = ctx.sections.region("六")
    if region is None:
        yield Result(UNKNOWN, "第六部分", "未找到第六部分，无法核对信息处理费情况。", key="no-section")
        return
    if not re.search(rule.params.get("pattern", "信息处理费|处理费"), region):
        yield Result(FAIL, "第六部分", "第六部分未说明信息处理费收取情况（未收取的也应写明）。", key="fee")


def future_dates(ctx: ReportContext, rule) -> Iterator[Result]:
    """A full date in the text later than the publication date cannot be a fact the report records."""
    published = ctx.published
    if published is None:
        return
    text = ctx.sections.text
    for m in FULL_DATE.finditer(text):
        date = parse_date(m.group(0))
        if PLANNED_BEFORE.search(text[max(0, m.start() - 16):m.start()]) or PLANNED_AFTER.match(text[m.end():m.end() + 3]):
            continue
        if date is not None and date > published:
            yield Result(FAIL, _where(ctx, m.start()), f"正文日期「{m.group(0)}」晚于发布日期{published.isoformat()}。",
                         evidence=_context(text, m.start(), m.end()),
                         observed={"date": date.isoformat(), "published": published.isoformat()},
                         key=f"{date.isoformat()}:{m.start()}")
