"""问题清单.xlsx of `govaudit annual-report`: one row per FAIL or 需人工复核, with where and why, and a 核实状态
column (已核实/不成立) that the next run carries over from the previous workbook in the same out dir, by result id.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

HEADERS = ["序号", "规则", "结论", "位置", "问题", "证据", "依据", "整改建议", "核实状态", "编号"]
STATES = ("已核实", "不成立")


def previous_states(path: Path) -> dict[str, str]:
    """id → 核实状态 from an earlier workbook; an unreadable one carries nothing (it is replaced)."""
    if not path.exists():
        return {}
    try:
        sheet = load_workbook(path, read_only=True)["问题"]
    except Exception:  # a damaged or foreign file: start afresh rather than fail the run
        return {}
    states = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if len(row) >= 10 and row[9] and row[8] in STATES:
            states[str(row[9])] = row[8]
    return states


def write_xlsx(path: Path, data: dict) -> int:
    carried = previous_states(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "问题"
    sheet.append(HEADERS)
    validation = DataValidation(type="list", formula1='"已核实,不成立"', allow_blank=True)
    sheet.add_data_validation(validation)
    n = 0
    for check in data["checks"]:
        for result in check["results"]:
            if result["status"] not in ("FAIL", "需人工复核"):
                continue
            n += 1
            sheet.append([n, f"{check['rule']} {check['title']}", result["status"], result["where"], result["message"],
                          result["evidence"], check["basis"], check["remediation"], carried.get(result["id"], ""),
                          result["id"]])
            validation.add(f"I{n + 1}")
    for letter, width in zip("ABCDEFGHIJ", (6, 30, 10, 20, 60, 40, 40, 40, 10, 18)):
        sheet.column_dimensions[letter].width = width
    book.save(path)
    return n
