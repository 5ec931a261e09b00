"""The 单项否决 sentence the reader sees first, counted in the unit of the 19号 item table beneath it.

reports/tally.py names each veto 情形 by its rule (疑似暗链, 博彩色情内容, 域名被占用 …); 国办秘函〔2019〕19号
groups them into fewer items (安全攻击, 发布或链接反动、暴力、色情等内容 …), and the item table in report.docx and
report.html counts those. One sentence gives both numbers and says how they relate, so the reader never meets
"7项" above a table that marks 6 items 单项否决. Without the item verdict (no snapshot) tally's wording stands.
"""

from __future__ import annotations

from typing import Any

RISK = "须在本检查周期内整改到位，整改前网站存在被判定为不合格的风险。"


def failed_items(model: Any) -> list[str]:
    """The 19号 单项否决 items judged 单项否决, or [] when the item verdict is absent."""
    items = getattr(model, "veto_items", None)
    return [i.name for i in items.items if i.status == "failed"] if items is not None else []


def verdict_sentence(model: Any) -> str:
    """tally's verdict, restated with the 19号 item count when the item verdict is there."""
    verdict = model.verdict
    items = failed_items(model)
    if verdict.passed or verdict.undetermined or not items:
        return verdict.wording
    named = "；".join(f"「{k}」" + (f"（{'、'.join(v)}）" if v else "") for k, v in verdict.details.items())
    later = f"另有疑似「{'、'.join(verdict.pending)}」情形待核实，核实前不作判定。" if verdict.pending else ""
    return (f"本次自查发现单项否决情形{len(verdict.triggered)}类：{named}，涉及国办秘函〔2019〕19号单项否决指标"
            f"{len(items)}项（{''.join(f'「{i}」' for i in items)}）。{RISK}{later}")


def verdict_short(model: Any) -> str:
    """The verdict as a short label for a summary line: 未触发, or how many items (情形) fired."""
    if model.verdict.undetermined:
        return "无法判断"
    if model.verdict.passed:
        return "未触发"
    items = failed_items(model)
    if items:
        return f"涉及单项否决指标{len(items)}项（单项否决情形{len(model.verdict.triggered)}类）"
    return f"触发{len(model.verdict.triggered)}项"
