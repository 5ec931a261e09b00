"""整改时限 in working days on the official calendar, one per problem, the same in every report file.

A county office counts a deadline in 工作日: weekends and the State Council's 节假日安排 are off, and the
调休 Saturdays and Sundays are worked. `chinesecalendar` keeps that calendar; for a year it does not know yet
(the 安排 is published each November for the next year) the count falls back to Monday–Friday less the
holidays fixed by date, and the reports say so, rather than silently putting a deadline inside a holiday nobody has announced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar

# Working days allowed per problem, and why:
# - personal data (泄露/脱敏不到位): the page must come down at once (1 working day, 撤下), and the
#   office reports back within 5 more working days (个人信息保护法 第五十七条 asks for prompt remedy).
# - a veto item (单项否决) must be cured within one inspection cycle: the weekly re-check (5 working days).
# - other problems by severity: 重要 within two weeks (10), 一般 within four weeks (20).
TAKEDOWN_WORKDAYS = 1
REPORT_BACK_WORKDAYS = 5
INSPECTION_CYCLE_WORKDAYS = 5
SEVERITY_WORKDAYS = {"veto": INSPECTION_CYCLE_WORKDAYS, "major": 10, "minor": 20}
PERSONAL_DATA_KINDS = ("personal_data", "weak_masking")


@dataclass(frozen=True)
class Deadline:
    """When a problem must be fixed; `report_back` when the office must say it has been (personal data)."""

    due: dt.date
    workdays: int
    report_back: dt.date | None = None
    calendar_known: bool = True               # False: some day was counted on the weekday fallback


# Holidays fixed by date in 全国年节及纪念日放假办法 (元旦, 劳动节, 国庆节): known before the year's 安排.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, whether the official calendar knew the year)."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS, False


def add_workdays(start: dt.date, amount: int) -> tuple[dt.date, bool]:
    """The `amount`-th working day after `start`, and whether every day counted was on the known calendar."""
    day, left, known = start, amount, True
    while left > 0:
        day += dt.timedelta(days=1)
        working, year_known = is_workday(day)
        known = known and year_known
        if working:
            left -= 1
    return day, known


def workdays_for(kind: str, severity: str, veto_member: bool = False) -> int:
    """The working days a problem of this kind and severity is given (see the table above)."""
    if kind in PERSONAL_DATA_KINDS:
        return TAKEDOWN_WORKDAYS
    if veto_member or severity == "veto" or kind == "veto":
        return INSPECTION_CYCLE_WORKDAYS
    return SEVERITY_WORKDAYS.get(severity, SEVERITY_WORKDAYS["minor"])


def deadline_for(start: dt.date, kind: str, severity: str, veto_member: bool = False,
                 overrides: dict[str, int] | None = None) -> Deadline:
    """The deadline of one problem found on `start`; `overrides` maps a kind or severity to working days."""
    amount = workdays_for(kind, severity, veto_member)
    if overrides:
        amount = int(overrides.get(kind, overrides.get(severity, amount)))
    due, known = add_workdays(start, amount)
    report_back = None
    if kind in PERSONAL_DATA_KINDS:
        report_back, back_known = add_workdays(due, REPORT_BACK_WORKDAYS)
        known = known and back_known
    return Deadline(due, amount, report_back, known)


def calendar_note(deadlines: list[Deadline]) -> str:
    """The sentence the reports print when some deadline was counted without the official calendar."""
    days = [day for d in deadlines for day in (d.due, d.report_back) if day is not None]
    unknown = sorted({day.year for day in days if not is_workday(day)[1]})
    if not unknown:
        return ""
    years = "、".join(f"{y}年" for y in unknown)
    return (f"{years}节假日安排尚未公布，涉及该年度的整改时限暂按周一至周五（除元旦、劳动节、国庆节）计算工作日，"
            "节假日安排公布后遇调休相应顺延。")
