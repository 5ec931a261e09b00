"""检查范围说明: what this run checked only in part, or left to another platform, said in every report.

Why apart from 检查异常 (reports/completeness.py): a sampled photo gallery or a column whose list lives on the
province's 12345 platform is a normal thing, not a failure of the tool, and must never make the check look not
whole; yet the reader must learn that the counts do not cover it. The notes come from the run's statistics
(crawler/images.py) and from the columns checks/interaction.py finds hosted elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reports.guard import clean


@dataclass
class ScopeNote:
    """One part of the site the counts do not cover: what (图片, a column), where, and why."""

    subject: str
    url: str | None
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "url": self.url, "note": self.note}


def scope_notes(snapshot: Any, hosted: dict[str, list[str]]) -> list[ScopeNote]:
    """The notes for a run: images left out by the per-page cap or the run's budget, and the columns
    `hosted` on another platform (column URL -> hosts, checks.interaction.external_platforms)."""
    from checks.interaction import external_platform_note

    notes: list[ScopeNote] = []
    images = (snapshot.stats or {}).get("images") or {}
    sampled, left = int(images.get("pages_sampled") or 0), int(images.get("images_not_sampled") or 0)
    if sampled:
        cap = images.get("max_images_per_page")
        notes.append(ScopeNote("图片", None, f"有{sampled}个页面显示的图片超过{cap}张（如图片集），每个页面按固定规则"
                                            f"抽取{cap}张检查能否正常显示，其余{left}张图片未检查"))
    unchecked = int(images.get("images_unchecked") or 0)
    if unchecked:
        notes.append(ScopeNote("图片", None, f"本次检查的图片数量已达上限{images.get('max_images')}张，其余{unchecked}张"
                                            "图片未检查能否正常显示"))
    for column in snapshot.columns():
        if column.url in hosted:
            notes.append(ScopeNote(f"栏目「{clean(column.name or column.url)}」", column.url,
                                   external_platform_note(hosted[column.url])))
    return notes


def scope_lines(notes: list[ScopeNote]) -> list[str]:
    """The notes as numbered plain lines (report.md, report.docx)."""
    return [f"{seq}. {n.subject}{'（' + n.url + '）' if n.url else ''}：{n.note}。" for seq, n in enumerate(notes, 1)]
