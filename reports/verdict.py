"""The verdict over every 单项否决 item of 国办秘函〔2019〕19号, and the probe history behind 站点无法访问.

A county reads the inspection's outcome here before the inspector does: for each item, whether the tool
found it (单项否决), found a sign a person must confirm (待核实), found nothing (未发现), or could not judge
it and why (无法判断: no rule for it, its check failed, a week of probes is missing). 未发现 is never
合格 for an item the tool cannot see, so the overall line names the items left to a person. The items
and the rules that judge each are data (rules/veto_items.yml).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checks.availability import OUTCOME_LABELS, assess_snapshot
from checks.identity import https_assessment
from crawler.records import Snapshot
from reports.completeness import report_unread_columns

ITEMS_FILE = Path(__file__).resolve().parents[1] / "rules" / "veto_items.yml"
OPEN = ("new", "persisting", "unverified")
STATUS_LABELS = {"failed": "单项否决", "pending": "待核实", "passed": "未发现", "unjudged": "无法判断"}
HISTORY_DAYS = 14
OUTCOME_COLUMNS = ("timeout", "slow", "dns", "tls", "refused", "dropped", "http_5xx", "error", "http_4xx")


@dataclass
class ItemVerdict:
    name: str
    group: str
    status: str                                # failed | pending | passed | unjudged
    reason: str
    rules: list[str] = field(default_factory=list)
    findings: int = 0
    points: float | None = None                # 扣分 items: points per finding where 19号 gives them
    deducted: float | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class VetoVerdict:
    items: list[ItemVerdict]
    deductions: list[ItemVerdict]
    outcome: str                               # 不合格 | 待核实 | 未发现单项否决情形
    wording: str

    def of(self, status: str) -> list[ItemVerdict]:
        return [i for i in self.items if i.status == status]


@dataclass
class ProbeDay:
    day: dt.date
    visits: int
    failures: int
    outcomes: dict[str, int]
    in_window: bool

    @property
    def ratio_text(self) -> str:
        return f"{self.failures / self.visits:.1%}" if self.visits else "—"


@dataclass
class ProbeHistory:
    days: list[ProbeDay]
    status: str
    reason: str
    columns: list[tuple[str, str]]             # (outcome, label) shown as table columns
    https: str


def _load_items(path: Path = ITEMS_FILE) -> dict[str, list[dict]]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _ran_rules(snapshot: Snapshot) -> tuple[set[str] | None, dict[str, str]]:
    """(rules the preset enables, or None when it cannot be read; rules whose check failed → why)."""
    failed = {e.rule: e.message for e in snapshot.errors_ if e.stage == "check" and e.rule}
    try:
        from rules.loader import load_ruleset
        enabled = {r.id for r in load_ruleset().enabled()}
    except Exception:  # noqa: BLE001 — a broken preset leaves the verdict to the findings and errors alone
        enabled = None
    return enabled, failed


def _judge(entry: dict, findings: list[Any], enabled: set[str] | None, failed: dict[str, str],
           snapshot: Snapshot, veto: bool, unread: list | None = None) -> ItemVerdict:
    rules = list(entry.get("rules") or [])
    item = ItemVerdict(entry["name"], entry.get("group", entry["name"]), "passed", "", rules,
                       points=entry.get("points"))
    if not rules:
        item.status, item.reason = "unjudged", entry.get("unjudged") or "本工具不作判定"
        return item
    mine = [f for f in findings if f.rule in rules and f.status in OPEN]
    confirmed = [f for f in mine if not f.needs_review and (not veto or f.severity == "veto" or f.kind == "future_date")]
    signs = [f for f in mine if f not in confirmed]
    item.findings = len(confirmed)
    if confirmed:
        item.status = "failed" if veto else "deducted"
        titles = list(dict.fromkeys(f.title for f in confirmed))
        item.reason = f"发现{len(confirmed)}项：{'；'.join(titles[:3])}"
        if item.points is not None and not veto:
            item.deducted = float(item.points) * len(confirmed)
        return item
    ran = [r for r in rules if (enabled is None or r in enabled) and r not in failed]
    if not ran:
        why = "；".join(f"{r}：{failed[r]}" for r in rules if r in failed) or "相关规则未启用"
        item.status, item.reason = "unjudged", f"相关检查未能执行（{why}）"
        return item
    rest = f"；{entry['unjudged']}" if entry.get("unjudged") else ""      # the part of an item no rule judges
    if signs:
        item.status, item.reason = "pending", f"发现疑似情形{len(signs)}项，需人工核实后判定{rest}"
        return item
    item.reason = "未发现相关问题" + rest
    if "AVL001" in rules:
        week = assess_snapshot(snapshot)
        if week.status in ("none", "short"):
            item.status = "unjudged"
        item.reason = week.reason
    unread = report_unread_columns(snapshot) if unread is None else unread
    if "UPD010" in rules and unread:
        item.reason = f"已检查的栏目未发现；另有{len(unread)}个栏目未检查完，未作判定"
    partial = [r for r in rules if r in failed]
    if partial:
        item.reason += f"（{'、'.join(partial)} 未能执行）"
    return item


def build_veto_verdict(snapshot: Snapshot, findings: list[Any], unread: list | None = None) -> VetoVerdict:
    """The verdict over every 单项否决 item, and the 扣分 items the tool judges (FindingView or Finding).

    `unread`: the columns the reports list as 未检查完 (those this crawl could not open included); by default the
    snapshot's own."""
    data = _load_items()
    enabled, failed = _ran_rules(snapshot)
    items = [_judge(e, findings, enabled, failed, snapshot, True, unread) for e in data.get("veto") or []]
    deductions = [_judge(e, findings, enabled, failed, snapshot, False, unread) for e in data.get("deductions") or []]
    for d in deductions:
        if d.status == "deducted":
            d.status = "failed"
        if d.name.startswith("网站域名名称及网站标识") and d.status == "passed":
            https_status, why, _ = https_assessment(snapshot)
            if https_status == "unknown":
                d.reason = f"未发现相关问题；HTTPS证书：无法判断（{why}）"
    failed_items = [i.name for i in items if i.status == "failed"]
    pending = [i.name for i in items if i.status == "pending"]
    unjudged = [i.name for i in items if i.status == "unjudged"]
    rest = f"另有{len(unjudged)}项无法由本工具判断（{'、'.join(unjudged)}），须人工核查。" if unjudged else ""
    if failed_items:
        outcome = "不合格"
        wording = (f"按国办秘函〔2019〕19号，本次自查发现单项否决情形{len(failed_items)}项（{'、'.join(failed_items)}），"
                   "网站将被判定为不合格，其余指标不再计分。" + (f"另有{len(pending)}项待核实。" if pending else "") + rest)
    elif pending:
        outcome = "待核实"
        wording = f"本次自查未确认单项否决情形，但有{len(pending)}项待核实（{'、'.join(pending)}），核实前不作判定。" + rest
    else:
        outcome = "未发现单项否决情形"
        wording = f"本次自查在已判断的{len(items) - len(unjudged)}项单项否决指标中未发现否决情形。" + rest
    return VetoVerdict(items, deductions, outcome, wording)


def build_probe_history(snapshot: Snapshot) -> ProbeHistory:
    """The last fortnight of probe visits, day by day, with the 7-day window 19号 judges marked."""
    week = assess_snapshot(snapshot)
    first = snapshot.as_of - dt.timedelta(days=HISTORY_DAYS)
    days: dict[dt.date, ProbeDay] = {first + dt.timedelta(days=i): ProbeDay(first + dt.timedelta(days=i), 0, 0, {},
                                                                            week.start <= first + dt.timedelta(days=i) <= week.end)
                                     for i in range(HISTORY_DAYS + 1)}
    from checks.availability import FAILURES

    for probe in snapshot.probes_:
        day = days.get(probe.probed_at.date())
        if day is None or probe.target == "https":
            continue
        day.visits += 1
        day.failures += probe.outcome in FAILURES
        day.outcomes[probe.outcome] = day.outcomes.get(probe.outcome, 0) + 1
    shown = [d for d in days.values() if d.visits or d.in_window]
    used = [o for o in OUTCOME_COLUMNS if any(d.outcomes.get(o) for d in shown)]
    https_status, https_reason, _ = https_assessment(snapshot)
    https = {"ok": "有效", "invalid": "无效", "absent": "未提供", "unknown": "无法判断"}[https_status]
    return ProbeHistory(shown, week.status, week.reason, [(o, OUTCOME_LABELS[o]) for o in used],
                        f"{https}（{https_reason}）")


def add_docx_block(document: Any, verdict: VetoVerdict) -> None:
    """The same verdict in report.docx: a heading, the overall line and one row per item."""
    document.add_paragraph("单项否决指标逐项判定（国办秘函〔2019〕19号）", style="Heading 2")
    document.add_paragraph(f"{verdict.outcome}：{verdict.wording}")
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("指标", "判定", "说明")):
        cell.text = text
    for item in verdict.items + verdict.deductions:
        row = table.add_row().cells
        label = item.status_label if item in verdict.items else {"failed": "扣分", "passed": "未发现",
                                                                  "pending": "待核实", "unjudged": "无法判断"}[item.status]
        points = f"（每项扣{item.points:g}分，计{item.deducted:g}分）" if item.deducted else ""
        row[0].text = item.name if item in verdict.items else f"扣分·{item.name}"
        row[1].text = label
        row[2].text = item.reason + points
