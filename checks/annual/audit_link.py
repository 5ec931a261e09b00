"""Section 五 against a site audit: problems the audit found that section 五 does not name, and 已整改 claims
that the latest audit still sees.

The report is matched by its wording (rules/annual_audit_wording.yml), kind by kind. Only confirmed open findings
count (new or persisting, not 需人工复核, not waived). A run only speaks for its own date: a run before the report
year or after publication cannot say what section 五 should have named, and a run before publication cannot
contradict a claim of rectification; either is 无法判断, never a pass.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from checks.annual.model import FAIL, UNKNOWN, Result

WORDING_FILE = Path(__file__).resolve().parents[2] / "rules" / "annual_audit_wording.yml"
CLAUSE_SPLIT = re.compile(r"[。；;！？!?\n]|[一二三四五六七八九十]是|（[一二三四五六七八九十]）")
OPEN = ("new", "persisting")


@functools.lru_cache(maxsize=1)
def wording() -> dict:
    """rules/annual_audit_wording.yml, parsed once."""
    return yaml.safe_load(WORDING_FILE.read_text(encoding="utf-8"))


@dataclass
class AuditFacts:
    """What one stored audit run found, reduced to confirmed open problems by kind (with where, for the message)."""

    run_id: int
    as_of: dt.date
    site_url: str
    places: dict[str, list[str]] = field(default_factory=dict)     # kind → column names (or addresses) per finding

    @classmethod
    def from_findings(cls, run_id: int, as_of: dt.date, site_url: str, findings: Iterable[dict]) -> AuditFacts:
        places: dict[str, list[str]] = defaultdict(list)
        for finding in findings:
            if finding.get("status") not in OPEN or finding.get("needs_review"):
                continue
            column = finding.get("column") or {}
            places[finding["kind"]].append(column.get("name") or "")
        return cls(run_id, as_of, site_url, dict(places))

    def count(self, kind: str) -> int:
        return len(self.places.get(kind, ()))

    def describe(self, kind: str) -> str:
        """「栏目更新不及时」3项（「部门动态」「乡镇动态」等）— personal data is counted, never placed."""
        n = self.count(kind)
        label = wording()["kinds"].get(kind, {}).get("label", kind)
        named = [] if kind in ("personal_data", "weak_masking") else sorted({p for p in self.places[kind] if p})
        shown = "".join(f"「{name}」" for name in named[:3]) + ("等" if len(named) > 3 else "")
        return f"「{label}」{n}项" + (f"（{shown}）" if shown else "")

    @property
    def label(self) -> str:
        return f"运行{self.run_id}（检查日期{self.as_of.isoformat()}）"


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _mentions(text: str, kind: str) -> list[str]:
    return [word for word in wording()["kinds"][kind]["words"] if word in text]


def _period(ctx) -> tuple[dt.date, dt.date] | None:
    """The report year's first day and the day the report was (or at the latest had to be) published."""
    year = ctx.report.year
    if year is None:
        return None
    deadline = dt.date(year + 1, 3, 31) if ctx.issuer_level == "county" else dt.date(year + 1, 1, 31)
    return dt.date(year, 1, 1), ctx.published or deadline


def _why_not_before_publication(ctx, facts: AuditFacts) -> str | None:
    """Why the run cannot say what section 五 should have named (None: it can): it must fall in the report
    year or before publication."""
    period = _period(ctx)
    if period is None:
        return "报告年度未能确定"
    if not period[0] <= facts.as_of <= period[1]:
        return f"检查日期不在{ctx.report.year}年1月1日至报告发布日{period[1].isoformat()}之间"
    return None


def _why_not_after_publication(ctx, facts: AuditFacts) -> str | None:
    """Why the run cannot contradict a claim of rectification (None: it can): it must come after publication."""
    period = _period(ctx)
    if period is None:
        return "报告发布日期未能确定"
    if facts.as_of < period[1]:
        return f"早于报告发布日{period[1].isoformat()}"
    return None


Judge = Callable[[Any, Any, AuditFacts, str], Iterator[Result]]


def _against_audit(why_not: Callable[[Any, AuditFacts], str | None], cannot: str) -> Callable[[Judge], Callable]:
    """Turn `judge(ctx, rule, facts, section_five)` into a rule check that first says 无法判断 when section 五
    is missing or the audit run's date (`why_not`) does not let it speak; with no audit run it says nothing."""
    def wrap(judge: Judge) -> Callable[[Any, Any], Iterator[Result]]:
        @functools.wraps(judge)
        def check(ctx, rule) -> Iterator[Result]:
            facts = ctx.audit
            if facts is None:
                return
            region = ctx.sections.region("五")
            if region is None:
                yield Result(UNKNOWN, "第五部分", "未找到第五部分，无法与网站检查结果比对。", key="no-section")
                return
            why = why_not(ctx, facts)
            if why:
                yield Result(UNKNOWN, "第五部分", f"{facts.label}{why}，{cannot}。", key="period")
                return
            yield from judge(ctx, rule, facts, region)
        return check
    return wrap


def _failure(facts: AuditFacts, kind: str, message: str, evidence: str = "") -> Result:
    return Result(FAIL, "第五部分", message, evidence=evidence,
                  observed={"kind": kind, "count": facts.count(kind), "run": facts.run_id}, key=kind)


@_against_audit(_why_not_before_publication, "不能据以判断第五部分应写明的问题")
def audit_not_mentioned(ctx, rule, facts: AuditFacts, region: str) -> Iterator[Result]:
    """Each kind the audit found (at least `min_findings` confirmed problems) should be named in section 五."""
    text = _plain(region)
    kinds = wording()["kinds"]
    for kind in sorted(kinds, key=lambda k: -facts.count(k)):
        if facts.count(kind) < rule.params["min_findings"] or _mentions(text, kind):
            continue
        yield _failure(facts, kind, f"网站检查{facts.label}发现{facts.describe(kind)}，第五部分未提及此类问题"
                       f"（查找了：{'、'.join(kinds[kind]['words'][:6])}等）。")


@_against_audit(_why_not_after_publication, "不能据以核实报告所称的整改情况")
def fixed_claims_still_seen(ctx, rule, facts: AuditFacts, region: str) -> Iterator[Result]:
    """A sentence of section 五 that says a kind of problem 已整改, while the audit after publication still finds it."""
    fixed_words = wording()["claimed_fixed"]
    reported: set[str] = set()
    for clause in CLAUSE_SPLIT.split(region):
        clause = _plain(clause)
        claim = next((word for word in fixed_words if word in clause), None)
        if claim is None:
            continue
        for kind in wording()["kinds"]:
            if kind in reported or facts.count(kind) == 0 or not _mentions(clause, kind):
                continue
            reported.add(kind)
            yield _failure(facts, kind, f"第五部分称「{clause[:60]}」，但报告发布后的网站检查{facts.label}"
                           f"仍发现{facts.describe(kind)}。", evidence=clause[:120])
