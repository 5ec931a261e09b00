"""本周变化: what changed since the last run, in the words every report file uses.

One source for docx, html, md and the 整改清单's 汇总 sheet, so each tells the same story: new, fixed (verified by
re-checking the page), still open, not re-checked (the page could not be reached: never called fixed), rows the
clerk marked 已整改 that the re-check still finds (经复查仍存在), and rows she marked 不成立 (listed, not counted).
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.model import ReportModel
from reports.tally import is_veto

ADDRESS_KINDS = ("broken_link", "abolished_link", "offsite_hijacked")


@dataclass
class ChangeGroup:
    """One group of 本周变化: its title, a one-line explanation, and one line per problem."""

    key: str
    title: str
    note: str
    lines: list[str]


def _where(column: str, url: str | None) -> str:
    return f"「{column}」栏目" if column else (url or "")


def _row_line(row) -> str:
    text = row.description
    if row.column and f"「{row.column}」" not in text:
        text = f"「{row.column}」栏目：{text}"
    # A dead link's description says nothing of where it points: the address does.
    where = f"位置：{row.url}；" if row.url and (row.kind in ADDRESS_KINDS or not row.column) else ""
    return f"{row.kind_label}　{text}（{where}责任单位：{row.department or '未能识别'}）"


def _view_line(f) -> str:
    text = f.message or f.title
    if f.url and f.kind in ADDRESS_KINDS and f.url not in text:
        text += f"（位置：{f.url}）"
    if f.column_name and f"「{f.column_name}」" in text:
        return f"{f.kind_label}　{text}"
    return f"{f.kind_label}　{_where(f.column_name, f.url)}：{text}"


def _reason(note: str | None) -> str:
    return f"（核实意见：{note.rstrip('。')}）" if note else ""


def change_groups(model: ReportModel) -> list[ChangeGroup]:
    """The groups to list under 本周变化 (empty groups left out); [] on a site's first run."""
    if model.changes is None:
        return []
    counted = [r for r in model.rows if not r.needs_review]
    down = [c.name for c in model.unread if c.unreachable]
    down_note = f"本次无法访问、未能检查的栏目：{'、'.join(down)}。" if down else ""
    fixed = [f for f in model.resolved if not is_veto(f) and not f.needs_review]
    groups = [
        ChangeGroup("new", "新发现的问题", "本次检查首次发现，已列入整改清单。",
                    [_row_line(r) for r in counted if r.finding_status == "new"]),
        ChangeGroup("fixed", "经复查已整改的问题", "上次检查发现，本次重新访问相关页面后未再发现。",
                    [_view_line(f) for f in fixed]),
        ChangeGroup("reopened", "上次报已整改、经复查仍存在的问题",
                    "整改清单中已标注“已整改”，但本次复查时问题仍然存在，请责任单位继续整改。",
                    [_row_line(r) for r in model.reopened if not r.needs_review]),
        ChangeGroup("unverified", "本次未能复查的问题",
                    "相关页面或栏目本次无法访问（如返回404、服务器错误或超时），未能确认是否已整改，"
                    "沿用上次检查结论，仍计入问题数，待下次检查复查。" + down_note,
                    [_row_line(r) for r in counted if r.finding_status == "unverified"]),
        ChangeGroup("dismissed", "经核实不成立的问题", "整改清单中已标注“不成立”，不计入问题数，仍列于整改清单备查。",
                    [_view_line(f) + _reason(model.dismissed_notes.get(f.id)) for f in model.dismissed]),
    ]
    return [g for g in groups if g.lines]


def change_sentence(model: ReportModel) -> str:
    """The counts as one sentence, or "" on a site's first run."""
    return model.changes.sentence() + "。" if model.changes is not None else ""
