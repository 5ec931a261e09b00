"""findings.json of `govaudit annual-report`: every rule's verdict (PASS / FAIL / 无法判断 / 需人工复核) and why.

Shape: reports/schema/annual_findings.schema.json (a sibling of the audit's findings schema: a report is judged
rule by rule, and a rule that could not be judged must say so rather than vanish).
"""

from __future__ import annotations

import json
from pathlib import Path

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, REVIEW, RuleOutcome, fingerprint

SCHEMA = Path(__file__).resolve().parent / "schema" / "annual_findings.schema.json"


def document(ctx: ReportContext, outcomes: list[RuleOutcome]) -> dict:
    report = ctx.report
    return {
        "report": {"source": report.source, "title": report.title, "year": report.year, "form": report.form,
                   "published": ctx.published.isoformat() if ctx.published else None,
                   "issuer_level": ctx.issuer_level, "format": ctx.tables.edition,
                   "previous": ctx.previous.report.source if ctx.previous else None},
        "summary": {"fail": sum(r.status == FAIL for o in outcomes for r in o.results),
                    "review": sum(r.status == REVIEW for o in outcomes for r in o.results),
                    "rules": {o.rule_id: o.status for o in outcomes}},
        "checks": [{"rule": o.rule_id, "title": o.title, "severity": o.severity, "status": o.status,
                    "basis": o.basis, "remediation": o.remediation,
                    "results": [{"id": fingerprint(o.rule_id, r), "status": r.status, "where": r.where,
                                 "message": r.message, "evidence": r.evidence, "observed": r.observed}
                                for r in o.results]} for o in outcomes],
    }


def write_json(path: Path, ctx: ReportContext, outcomes: list[RuleOutcome]) -> dict:
    data = document(ctx, outcomes)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return data
