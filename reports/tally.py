"""One count, one truth: the single rule by which every report file, the CLI and the province summary count.

A county's clerk reads the same number in the terminal, in report.html, in the 整改清单 and in the province
summary, or the tool loses her trust. So there is one rule, here, and everything that prints a count calls it:

- a *problem* is an open finding (new or persisting) that is neither a 单项否决 summary nor 待核实;
- the 单项否决 summaries (kind ``veto``) are the *verdict*: they name an indicator, they are not problems
  (the columns they summarise are problems of their own);
- 待核实 (``needs_review``) findings are counted apart and never in the problem count;
- a problem of the last run that this run could not re-check (``unverified``) is still open and counted;
  one the clerk marked 不成立 (``dismissed``) is listed and never counted;
- a problem's severity is what the 整改清单 shows: a column behind a confirmed veto summary, and a fake date,
  are 单项否决-related whatever their own rule's severity.

It reads Finding objects, the reports' FindingViews and stored finding dicts alike, so the CLI needs no model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reports.labels import KIND_ORDER, SEVERITY_ORDER, kind_label

# An unverified finding (a problem of the last run whose page this run could not reach) stays open and counted:
# nobody has seen it fixed. A dismissed one (the clerk marked it 不成立 in the 整改清单) is listed, never counted.
OPEN_STATUSES = ("new", "persisting", "unverified")
# Columns whose own problem is a sub-item of the veto indicator 栏目不更新 when a veto summary names them.
VETO_MEMBER_KINDS = ("stale_column", "blank_column", "undated_column")
VETO_INDICATOR_OF_KIND = {"future_date": "存在弄虚作假行为", "homepage_stale": "首页不更新"}


def _attr(f: Any, name: str, default=None):
    return f.get(name, default) if isinstance(f, dict) else getattr(f, name, default)


def _column_name(f: Any) -> str:
    return str((_attr(f, "column") or {}).get("name") or "")


def is_open(f: Any) -> bool:
    return _attr(f, "status") in OPEN_STATUSES


def is_veto(f: Any) -> bool:
    """A finding that decides the verdict: the veto summaries, and a fake date (弄虚作假) on its own."""
    return _attr(f, "kind") == "veto" or _attr(f, "severity") == "veto" or _attr(f, "kind") == "future_date"


def veto_columns(findings: Iterable[Any]) -> set[str]:
    """Names of the columns a confirmed, open veto summary lists (their own rows are 单项否决-related)."""
    names: set[str] = set()
    for f in findings:
        if _attr(f, "kind") == "veto" and not _attr(f, "needs_review") and is_open(f):
            names.update(str(n) for n in (_attr(f, "observed") or {}).get("columns") or ())
    return names


def is_veto_member(f: Any, members: set[str]) -> bool:
    return _attr(f, "kind") in VETO_MEMBER_KINDS and _column_name(f) in members


def problem_severity(f: Any, members: set[str]) -> str:
    """The severity the 整改清单 shows for a problem (see the module docstring)."""
    if _attr(f, "kind") == "future_date" or is_veto_member(f, members):
        return "veto"
    return str(_attr(f, "severity") or "minor")


def indicator(f: Any) -> tuple[str, str]:
    """(the 单项否决 indicator, the sub-item) a veto finding belongs to: 栏目不更新（空白栏目5个以上）→ both parts."""
    kind = _attr(f, "kind")
    title = _attr(f, "title") or ""
    if kind in VETO_INDICATOR_OF_KIND:
        return VETO_INDICATOR_OF_KIND[kind], title or kind_label(kind)
    title = title or _attr(f, "rule") or ""
    head, _, rest = title.partition("（")
    item = rest.rstrip("）")
    return head.strip() or title, "" if item == "单项否决" else item


@dataclass
class Verdict:
    """The 单项否决 verdict: which veto items fired, and the wording for it."""

    triggered: list[str]
    passed: bool
    wording: str
    details: dict[str, list[str]] = field(default_factory=dict)   # indicator → its sub-items that fired
    pending: list[str] = field(default_factory=list)              # veto items awaiting 核实 (not counted)
    undetermined: bool = False                                    # nothing examined: neither 合格 nor 不合格

    @property
    def label(self) -> str:
        """合格 / 不合格（indicators）/ 无法判断, as one short phrase for a summary line."""
        if self.undetermined:
            return "无法判断"
        return "合格" if self.passed else f"不合格（{'、'.join(self.triggered)}）"


def verdict(findings: Iterable[Any]) -> Verdict:
    """One verdict per indicator: sub-items of 栏目不更新 are one indicator; 待核实 ones are named apart."""
    details: dict[str, list[str]] = {}
    pending: list[str] = []
    for f in findings:
        if not is_open(f) or not is_veto(f):
            continue
        name, item = indicator(f)
        if _attr(f, "needs_review"):
            if name not in pending:
                pending.append(name)
            continue
        items = details.setdefault(name, [])
        if item and item not in items:
            items.append(item)
    pending = [p for p in pending if p not in details]
    later = f"另有疑似「{'、'.join(pending)}」情形待核实，核实前不作判定。" if pending else ""
    if details:
        named = "；".join(f"「{k}」" + (f"（{'、'.join(v)}）" if v else "") for k, v in details.items())
        wording = (f"本次自查发现单项否决指标{len(details)}项：{named}。须在本检查周期内整改到位，"
                   "整改前网站存在被判定为不合格的风险。" + later)
        return Verdict(list(details), False, wording, details, pending)
    return Verdict([], True, "本次自查未发现触发单项否决指标的情形。" + later, {}, pending)


@dataclass
class Tally:
    """The counts of one run's open findings, by the rule above."""

    total: int                                  # 待整改问题: distinct confirmed problems
    by_kind: dict[str, int]
    by_severity: dict[str, int]                 # veto = 单项否决相关 problems, not verdicts
    kind_severity: dict[str, dict[str, int]]
    needs_review: int                           # 待核实, counted apart
    verdict: Verdict
    new: int = 0                                # confirmed problems first seen in this run

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "by_kind": self.by_kind, "by_severity": self.by_severity,
                "kind_severity": self.kind_severity, "needs_review": self.needs_review,
                "veto_indicators": len(self.verdict.triggered), "verdict": self.verdict.label}

    def sentence(self) -> str:
        """The counts as one formal sentence (the CLI's summary line)."""
        s = self.by_severity
        text = (f"待整改问题 {self.total} 项（单项否决相关 {s.get('veto', 0)} 项，重要 {s.get('major', 0)} 项，"
                f"一般 {s.get('minor', 0)} 项）")
        if self.needs_review:
            text += f"，另有待核实 {self.needs_review} 项（核实前不计入）"
        return text + f"；单项否决判定：{self.verdict.label}"


def tally(findings: Iterable[Any]) -> Tally:
    """Count findings of any status (only the open ones count) by the one rule of this module."""
    findings = list(findings)
    open_findings = [f for f in findings if is_open(f)]
    members = veto_columns(open_findings)
    problems = [f for f in open_findings if _attr(f, "kind") != "veto" and not _attr(f, "needs_review")]
    severities = [problem_severity(f, members) for f in problems]
    by_kind = Counter(_attr(f, "kind") for f in problems)
    kinds = sorted(by_kind, key=lambda k: (KIND_ORDER.get(k, 99), k))
    matrix = {k: {s: 0 for s in SEVERITY_ORDER} for k in kinds}
    for f, severity in zip(problems, severities):
        matrix[_attr(f, "kind")][severity] = matrix[_attr(f, "kind")].get(severity, 0) + 1
    by_severity = Counter(severities)
    return Tally(total=len(problems), by_kind={k: by_kind[k] for k in kinds},
                 by_severity={s: by_severity.get(s, 0) for s in SEVERITY_ORDER}, kind_severity=matrix,
                 needs_review=sum(1 for f in open_findings if _attr(f, "needs_review")),
                 verdict=verdict(open_findings),
                 new=sum(1 for f in problems if _attr(f, "status") == "new"))


@dataclass
class Changes:
    """本周变化: the confirmed problems against the last run, by the same rule as the count.

    new + persisting + unverified == Tally.total. `fixed` are last run's problems this run looked at again and
    did not find (checks/history.py); `dismissed` the ones the clerk marked 不成立 (listed, never counted).
    """

    new: int
    persisting: int
    unverified: int
    fixed: int
    dismissed: int

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "persisting": self.persisting, "unverified": self.unverified,
                "fixed": self.fixed, "dismissed": self.dismissed}

    def sentence(self) -> str:
        """One formal sentence for the summary line and the reports' 本周变化."""
        text = (f"与上次检查相比：新发现 {self.new} 项，经复查已整改 {self.fixed} 项，仍存在 {self.persisting} 项")
        if self.unverified:
            text += f"，本次未能复查 {self.unverified} 项（相关页面本次无法访问，仍按未整改计入，不作已整改认定）"
        if self.dismissed:
            text += f"；经核实不成立 {self.dismissed} 项（不计入问题数）"
        return text


def _problem(f: Any) -> bool:
    return _attr(f, "kind") != "veto" and not _attr(f, "needs_review")


def changes(findings: Iterable[Any]) -> Changes:
    """Count 本周变化 over findings of every status (open, resolved and dismissed ones alike)."""
    counts = Counter(_attr(f, "status") for f in findings if _problem(f))
    return Changes(new=counts["new"], persisting=counts["persisting"], unverified=counts["unverified"],
                   fixed=counts["resolved"], dismissed=counts["dismissed"])
