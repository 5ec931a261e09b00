"""What every report says of a portal it could not examine: no column was recognised, so nothing was judged.

A home page in maintenance, a frameset around another address, a page that moves on by script: the crawl reaches
the home page and finds no column. Judging the site from that page alone would claim more than the crawl saw (a
maintenance page 'lacks' the 网站标识码 and 'has not been updated'; last week's leaks 'were fixed'). So the run's
status is 未能检查 with the reason, what this run found is listed for 核实 and never counted, what earlier runs
found is carried as 本次未能复查 (never called fixed), and no verdict (合格 or 不合格, section 五's 未发现问题)
is given. The reason comes from the conductor (stats['no_columns_reason'], govaudit/no_columns.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reports.completeness import STATUS_NOT_EXAMINED
from reports.guard import clean

GENERIC_REASON = "首页中未识别到栏目导航或信息列表"
REVIEW_NOTE = "（本次未识别到网站栏目，网站内容未经检查，本项仅依据已取得的页面得出，需人工核实。）"
ITEM_REASON = "本次未识别到网站栏目，网站内容未经检查，未作判定"
NO_COUNT_SENTENCE = "本次未识别到网站栏目，未能统计各栏目发布的政府信息数量。"


def portal_examined(snapshot: Any) -> bool:
    """False when the crawl recognised no column at all: the portal's content was never reached."""
    return any(True for _ in snapshot.columns())


def no_columns_reason(snapshot: Any) -> str:
    """Why no column was recognised, as the conductor found it, else the generic reason."""
    return clean(str((snapshot.stats or {}).get("no_columns_reason") or GENERIC_REASON))


def headline(reason: str, checked_before: bool) -> str:
    """The sentence every report opens with (`checked_before`: the site has an earlier check to carry)."""
    carried = "上次检查发现的问题列为“本次未能复查”，仍计入问题数。" if checked_before else ""
    return (f"检查未能完成：本次未识别到网站栏目，网站内容未经检查。原因：{reason.rstrip('。')}。本次发现的情况均列为待核实事项，不计入"
            f"问题数，不能据此认为网站不存在问题；{carried}请核实网站首页地址和网站运行情况后重新检查；栏目由脚本生成的，"
            "可在站点配置（--profile）中补充栏目入口。")


def withhold(findings: list) -> list:
    """This run's findings for 核实 only; earlier runs' problems carried as 本次未能复查, none called fixed.

    A finding found again (persisting) keeps last run's conclusion, as unverified: this run saw too little to
    confirm it. Waived and dismissed findings keep their status."""
    out = []
    for finding in findings:
        if finding.status in ("persisting", "resolved"):
            out.append(replace(finding, status="unverified"))
        elif finding.status == "new" and not finding.needs_review:
            out.append(replace(finding, needs_review=True, message=finding.message + REVIEW_NOTE))
        else:
            out.append(finding)
    return out


def mark_model(model: Any, reason: str) -> None:
    """The verdicts of `model` replaced by 无法判断: the overall 单项否决 line, each 19号 item, section 五, and
    this run's bar in the trend."""
    from reports.tally import Verdict

    model.not_examined_reason = reason
    if model.trend:
        model.trend[-1].examined = False              # this run: its counts are carried problems, not a week's
    wording = "本次未识别到网站栏目，网站内容未经检查，单项否决指标无法判断。"
    model.verdict = Verdict([], False, wording, undetermined=True)
    if model.veto_items is not None:
        for item in model.veto_items.items + model.veto_items.deductions:
            item.status, item.reason, item.findings, item.deducted = "unjudged", ITEM_REASON, 0, None
        model.veto_items.outcome, model.veto_items.wording = "无法判断", wording
    model.section5 = section_five(model)


def section_five(model: Any):
    """Section 五 for a portal not examined: it says so instead of drafting problems (or 未发现问题)."""
    from reports.model import SectionFive

    text = ("本次自查未能完成：未识别到网站栏目，网站内容未经检查，本部分内容待网站恢复正常、重新检查后填写。"
            f"未能检查的原因：{model.not_examined_reason or GENERIC_REASON}。")
    return SectionFive([text], ["待网站恢复正常、重新检查后填写。"], {"not_examined": True}, 0.0, [])


def empty_list_sentence(model: Any) -> str:
    """What an annex says when it lists no counted problem."""
    if model.status == STATUS_NOT_EXAMINED:
        return "本次检查未能完成，网站内容未经检查，不能认定网站不存在问题。"
    return "本次自查未发现需整改的问题。"
