"""Run the annual-report rules (preset annual-report) over one report and give each rule its verdict.

The rule YAML decides which checks run, their severity, params and basis; the family modules only judge.
"""

from __future__ import annotations

from checks.annual import arithmetic, audit_link, deadline, previous, structure, text
from checks.annual.context import ReportContext
from checks.annual.model import FAIL, PASS, REVIEW, UNKNOWN, Result, RuleOutcome
from rules.loader import RuleSet, load_ruleset

PRESET = "annual-report"
CHECKS = {
    "headings": structure.headings,
    "government_items": structure.government_items,
    "tables_present": structure.tables_present,
    "table3_row_sums": arithmetic.table3_row_sums,
    "table3_balance": arithmetic.table3_balance,
    "table3_total": arithmetic.table3_total,
    "table4_sums": arithmetic.table4_sums,
    "carryover": arithmetic.carryover,
    "table2_carry": arithmetic.table2_carry,
    "figures": text.figures,
    "numbering": text.numbering,
    "miswritings": text.miswritings,
    "fee_statement": text.fee_statement,
    "future_dates": text.future_dates,
    "section_five_copied": previous.section_five_copied,
    "last_year_problems": previous.last_year_problems,
    "publication_deadline": deadline.publication_deadline,
    "audit_not_mentioned": audit_link.audit_not_mentioned,
    "fixed_claims_still_seen": audit_link.fixed_claims_still_seen,
}
NEEDS_PREVIOUS = {"carryover", "table2_carry", "section_five_copied", "last_year_problems"}
NEEDS_AUDIT = {"audit_not_mentioned", "fixed_claims_still_seen"}


def load_rules(extra=()) -> RuleSet:
    return load_ruleset(PRESET, extra)


def verdict(results: list[Result]) -> str:
    """FAIL if anything failed; else 无法判断 if anything could not be judged; else 需人工复核; else PASS."""
    statuses = {r.status for r in results}
    for status in (FAIL, UNKNOWN, REVIEW):
        if status in statuses:
            return status
    return PASS


def run_rules(ctx: ReportContext, ruleset: RuleSet | None = None) -> list[RuleOutcome]:
    ruleset = ruleset or load_rules()
    outcomes = []
    for rule in ruleset.enabled():
        if rule.family != "annual":
            continue
        check = CHECKS[rule.check]
        try:
            results = list(check(ctx, rule))
        except Exception as exc:  # a check that breaks is said, never a silent pass
            results = [Result(UNKNOWN, "全文", f"本项检查未能完成（程序错误：{type(exc).__name__}），请人工核对。",
                              evidence=str(exc)[:200], key="error")]
        if rule.check in NEEDS_PREVIOUS and ctx.previous is None:
            results = [Result(UNKNOWN, "上年度报告", "未提供上年度报告，未作比对。", key="no-previous")]
        if rule.check in NEEDS_AUDIT and ctx.audit is None:
            results = [Result(UNKNOWN, "网站检查结果", "未指定网站检查结果，未作比对。", key="no-audit")]
        outcomes.append(RuleOutcome(rule.id, rule.title, rule.severity, rule.basis, rule.remediation,
                                    verdict(results), results))
    return outcomes
