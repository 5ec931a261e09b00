"""Arithmetic: the identities printed in or implied by the format's tables (regulations.md §4.5).

A cell from a flattened copy may have several readings; sums are checked over the sets of possible values, so a
FAIL means no reading of the digits satisfies the identity, a PASS that every reading does, and anything between
is 无法判断. A row or table not read at all is 无法判断 too, never a pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, REVIEW, UNKNOWN, Result
from checks.annual.tables import Row, Table, format_for, row_sum_identity

MAX_SET = 5000


def possible(row: Row | None, column: int) -> set | None:
    """Every value the cell may hold, or None when the row was not read."""
    if row is None or not row.found or not row.readings:
        return None
    if not row.consistent and not row.unique:
        return None              # no reading keeps the row's own identity: its cells are not known (ANR011 says so)
    return {r[column] for r in (row.consistent or row.readings)}


def add_sets(sets: Iterable[set | None]) -> set | None:
    total = {0}
    for s in sets:
        if s is None:
            return None
        total = {a + b for a in total for b in s}
        if len(total) > MAX_SET:
            return None
    return total


def compare(left: set | None, right: set | None) -> str | None:
    """FAIL when no value of one side can equal the other, None (pass) when both are one and equal, else UNKNOWN."""
    if left is None or right is None:
        return UNKNOWN
    if not left & right:
        return FAIL
    return None if len(left) == 1 and len(right) == 1 else UNKNOWN


def _show(values: set | None) -> str:
    if values is None:
        return "未读出"
    return str(next(iter(values))) if len(values) == 1 else "或".join(map(str, sorted(values)[:4]))


def _sum_against(left_name: str, left: set, right_name: str, right: set) -> str:
    """'A为x，B为y，不一致。' in words an inspector checks against the table; several readings of flattened digits are
    named as such, never shown as if the report printed them."""
    if len(left) == 1 and len(right) == 1:
        return f"{left_name}为{_show(left)}，{right_name}为{_show(right)}，不一致。"
    return (f"{left_name}{'按连写数字的各种读法' if len(left) > 1 else ''}为{_listed(left)}，"
            f"{'均' if len(left) > 1 else ''}不等于{right_name}{'（各种读法）' if len(right) > 1 else ''}{_listed(right)}。")


def _listed(values: set) -> str:
    shown = sorted(values)[:6]
    more = "等" if len(values) > len(shown) else ""
    return str(shown[0]) if len(shown) == 1 else "、".join(map(str, shown[:-1])) + f"或{shown[-1]}{more}"


def _one_line(raw: str) -> str:
    return " ".join(raw.split())


def _unread(table: Table) -> Result:
    return Result(UNKNOWN, table.name, f"{table.name}未能读取，无法核对（{table.note or '未找到'}）。",
                  key=f"unread:{table.name}")


def table3_row_sums(ctx: ReportContext, rule) -> Iterator[Result]:
    """表三 every row: 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他 = 总计."""
    table = ctx.tables.table3
    if not table.found:
        yield _unread(table)
        return
    for row in table.rows.values():
        if not row.found or not row.readings:
            continue
        if row.unique and not row_sum_identity(row.readings[0]):
            v = row.readings[0]
            yield Result(FAIL, f"表三「{row.label}」", f"表三「{row.label}」各申请人之和为{sum(v[:6])}，总计栏为{v[6]}，不一致。",
                         evidence=row.raw, observed={"row": row.label, "sum": sum(v[:6]), "total": v[6]},
                         key=row.key)
        elif not row.consistent and row.crosses_line:
            yield Result(UNKNOWN, f"表三「{row.label}」", f"表三「{row.label}」的数字「{_one_line(row.raw)}」跨行，"
                         "可能混入页码等文字，无法核对各申请人之和是否等于总计。", evidence=_one_line(row.raw), key=row.key)
        elif not row.consistent:
            yield Result(FAIL, f"表三「{row.label}」",
                         f"表三「{row.label}」的数字「{row.raw}」无论如何分隔，各申请人之和都不等于总计。",
                         evidence=row.raw, observed={"row": row.label}, key=row.key)


def _columns(table: Table) -> list[tuple[int, str]]:
    return list(enumerate(table.columns))


def table3_balance(ctx: ReportContext, rule) -> Iterator[Result]:
    """表三 printed identity, every column: 第一项 + 第二项 = 第三项（七）总计 + 第四项."""
    table = ctx.tables.table3
    if not table.found:
        yield _unread(table)
        return
    r = table.rows
    for c, name in _columns(table):
        left = add_sets([possible(r.get("new"), c), possible(r.get("carried"), c)])
        right = add_sets([possible(r.get("total"), c), possible(r.get("carry_next"), c)])
        verdict = compare(left, right)
        if verdict == FAIL:
            yield Result(FAIL, f"表三「{name}」栏",
                         f"表三「{name}」栏：{_sum_against('本年新收加上年结转', left, '办理结果总计加结转下年度', right)}",
                         observed={"column": name, "left": _show(left), "right": _show(right)}, key=name)
        elif verdict == UNKNOWN:
            yield Result(UNKNOWN, f"表三「{name}」栏", f"表三「{name}」栏有单元格未能唯一读出，无法核对第一项加第二项"
                         f"是否等于第三项加第四项。", key=name)


def table3_total(ctx: ReportContext, rule) -> Iterator[Result]:
    """表三 （七）总计 = （一）+（二）+ Σ（三）+ Σ（四）+ Σ（五）+ Σ（六）, every column."""
    table = ctx.tables.table3
    if not table.found:
        yield _unread(table)
        return
    spec_rows = format_for(ctx.report.year)[1]["table3"]["rows"]
    parts = [row["key"] for row in spec_rows if row.get("in_total")]
    for c, name in _columns(table):
        summed = add_sets([possible(table.rows.get(key), c) for key in parts])
        total = possible(table.rows.get("total"), c)
        verdict = compare(summed, total)
        if verdict == FAIL:
            yield Result(FAIL, f"表三「{name}」栏", f"表三「{name}」栏：{_sum_against('各项办理结果之和', summed, '（七）总计', total)}",
                         observed={"column": name, "sum": _show(summed), "total": _show(total)}, key=name)
        elif verdict == UNKNOWN:
            yield Result(UNKNOWN, f"表三「{name}」栏",
                         f"表三「{name}」栏有单元格未能唯一读出，无法核对（七）总计是否等于各项之和。", key=name)


def table4_sums(ctx: ReportContext, rule) -> Iterator[Result]:
    """表四 each group: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计."""
    table = ctx.tables.table4
    row = table.rows.get("cases")
    if not table.found or row is None or not row.readings:
        yield _unread(table) if not table.found else Result(
            UNKNOWN, "表四", f"表四未能读取（{row.note if row else ''}），无法核对。", key="unread")
        return
    if row.unique:
        v = row.readings[0]
        for g, name in enumerate(["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]):
            part = v[g * 5:g * 5 + 5]
            if sum(part[:4]) != part[4]:
                yield Result(FAIL, f"表四「{name}」", f"表四「{name}」各结果之和为{sum(part[:4])}，总计为{part[4]}，不一致。",
                             evidence=row.raw, observed={"group": name}, key=name)
    elif not row.consistent and row.crosses_line:
        yield Result(UNKNOWN, "表四", f"表四的数字「{_one_line(row.raw)}」跨行，可能混入页码等文字，无法核对。",
                     evidence=_one_line(row.raw), key="all")
    elif not row.consistent:
        yield Result(FAIL, "表四", f"表四的数字「{row.raw}」无论如何分隔，各组结果之和都不等于其总计。",
                     evidence=row.raw, key="all")


def carryover(ctx: ReportContext, rule) -> Iterator[Result]:
    """表三 二、上年结转 (this year) = 四、结转下年度继续办理 (last year), every column."""
    if ctx.previous is None:
        return
    this, last = ctx.tables.table3, ctx.previous.tables.table3
    for c, name in _columns(this):
        now = possible(this.rows.get("carried"), c)
        before = possible(last.rows.get("carry_next"), c) if last.found else None
        verdict = compare(now, before)
        if verdict == FAIL:
            yield Result(FAIL, f"表三「上年结转」「{name}」栏", f"本年「上年结转」{name}为{_show(now)}，上年报告"
                         f"「结转下年度继续办理」为{_show(before)}，不一致。",
                         observed={"column": name, "this_year": _show(now), "last_year": _show(before)}, key=name)
        elif verdict == UNKNOWN and name == "总计":
            yield Result(UNKNOWN, "表三「上年结转」", "本年或上年表三未能唯一读出，无法与上年结转核对。", key=name)


def table2_carry(ctx: ReportContext, rule) -> Iterator[Result]:
    """表二 现行有效件数 ≈ 上年现行有效 + 本年制发 − 本年废止; a mismatch may be a re-count, so it goes to review."""
    if ctx.previous is None or ctx.tables.edition != ctx.previous.tables.edition:
        return
    for key, label in (("rules", "规章"), ("normative", "行政规范性文件")):
        row, last = ctx.tables.table2.rows.get(key), ctx.previous.tables.table2.rows.get(key)
        issued, repealed, current = (possible(row, i) for i in range(3))
        before = possible(last, 2)
        expected = None
        if None not in (issued, repealed, before):
            expected = {b + i - r for b in before for i in issued for r in repealed}
        verdict = compare(expected, current)
        if verdict == FAIL and all(len(s) == 1 for s in (issued, repealed, current, before)):
            yield Result(REVIEW, f"表二「{label}」", f"表二「{label}」现行有效件数为{_show(current)}，按上年现行有效"
                         f"{_show(before)}件加本年制发{_show(issued)}件减本年废止{_show(repealed)}件应为{_show(expected)}件，"
                         "请核实是否经过清理重新统计。", key=key)
        elif verdict == FAIL:
            yield Result(REVIEW, f"表二「{label}」", f"表二「{label}」一行本年与上年报告的数字均为连写（本年「{row.raw}」，"
                         f"上年「{last.raw}」），无论如何分隔，现行有效件数都不等于上年现行有效件数加本年制发件数减本年"
                         "废止件数，请核实是否经过清理重新统计。", key=key)
        elif verdict == UNKNOWN:
            yield Result(UNKNOWN, f"表二「{label}」", f"表二「{label}」本年或上年数字未能唯一读出，无法与上年核对。", key=key)
