"""findings.json: the machine-readable report, validated against schema/findings.schema.json on write."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from reports.guard import ReportError, assert_clean, write_text
from reports.model import FindingView, ReportModel

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).parent / "schema" / "findings.schema.json"


def _inline(node: Any, defs: dict) -> Any:
    """The schema with local '#/$defs/x' references replaced by their targets (ref lookup dominates otherwise)."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and len(node) == 1:
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    flat = _inline({k: v for k, v in schema.items() if k != "$defs"}, schema.get("$defs", {}))
    return Draft202012Validator(flat, format_checker=Draft202012Validator.FORMAT_CHECKER)


def finding_dict(f: FindingView) -> dict[str, Any]:
    return {"id": f.id, "rule": f.rule, "kind": f.kind, "severity": f.severity, "title": f.title,
            "confidence": f.confidence, "column": f.column, "url": f.url, "pii_type": f.pii_type, "count": f.count,
            "evidence": f.evidence, "message": f.message, "remediation": f.remediation, "basis": f.basis,
            "status": f.status, "first_seen": f.first_seen.isoformat() if f.first_seen else None,
            "location": f.location, "needs_review": f.needs_review, "observed": f.observed}


def build_document(model: ReportModel) -> dict[str, Any]:
    """The findings.json document (a plain dict) for `model`."""
    return {
        "schema_version": SCHEMA_VERSION, "generator": model.generator,
        "site": {"name": model.site_name, "url": model.site_url}, "as_of": model.as_of.isoformat(),
        "run": dict(model.run), "columns": model.columns,
        "findings": [finding_dict(f) for f in model.findings],
        "resolved": [finding_dict(f) for f in model.resolved],
        "summary": {"total": model.counts["total"], "by_kind": model.counts["by_kind"],
                    "by_severity": model.counts["by_severity"], "by_status": model.counts["all_statuses"],
                    "resolved": model.counts["resolved"],
                    "veto": {"passed": model.verdict.passed, "triggered": model.verdict.triggered,
                             "wording": model.verdict.wording},
                    "section5": {"overlap_with_previous": model.section5.overlap,
                                 "repeated_sentences": len(model.section5.repeated)}},
    }


def validation_errors(document: Any) -> list[str]:
    """Every schema violation as 'path: message' (empty when valid)."""
    errors = sorted(validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors]


def render_json(model: ReportModel) -> str:
    document = build_document(model)
    problems = validation_errors(document)
    if problems:
        raise ReportError("findings.json 不符合格式要求：" + "；".join(problems[:5]))
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    assert_clean(text, "findings.json")
    return text


def write_json(model: ReportModel, path: str | Path) -> Path:
    """Validate and write findings.json; raises ReportError when invalid or unwritable."""
    return write_text(path, render_json(model))
