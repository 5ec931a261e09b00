"""findings.json: the machine-readable report, validated against schema/findings.schema.json on write."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from reports.guard import ReportError, assert_clean, write_text
from reports.model import FindingView, ReportModel
from reports.verdict_text import verdict_sentence

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
        "run": dict(model.run), "status": model.status, "columns": model.columns,
        "findings": [finding_dict(f) for f in model.findings],
        "resolved": [finding_dict(f) for f in model.resolved],
        "errors": [p.to_dict() for p in model.problems],
        "unread_columns": [c.to_dict() for c in model.unread],
        "scope": [n.to_dict() for n in model.scope],
        "summary": {"total": model.counts["total"], "by_kind": model.counts["by_kind"],
                    "by_severity": model.counts["by_severity"], "by_status": model.counts["all_statuses"],
                    "needs_review": model.counts["needs_review"],
                    "resolved": model.counts["resolved"], "errors": len(model.problems),
                    "changes": model.changes.as_dict() if model.changes is not None else None,
                    "unread_columns": len(model.unread), "headline": model.headline,
                    "veto": {"passed": model.verdict.passed, "triggered": model.verdict.triggered,
                             "pending": model.verdict.pending, "wording": verdict_sentence(model),
                             **({"undetermined": True} if model.verdict.undetermined else {})},
                    "section5": {"overlap_with_previous": model.section5.overlap,
                                 "repeated_sentences": len(model.section5.repeated)}},
    }


def validation_errors(document: Any) -> list[str]:
    """Every schema violation as 'path: message' (empty when valid)."""
    errors = sorted(validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors]


# Arrays whose items can be left out one by one when invalid (the rest of the document still stands).
_SEPARABLE = {"findings": "本条问题", "resolved": "本条已整改问题", "columns": "本栏目"}


def _leave_out_invalid(model: ReportModel, document: dict[str, Any]) -> list[str]:
    """Drop the findings and columns that fail the schema, recording each in model.problems.

    Returns the violations that are not of one separable item (the document itself is wrong).
    """
    from reports.completeness import STATUS_COMPLETE, STATUS_WITH_ERRORS, headline, problem

    errors = list(validator().iter_errors(document))
    bad: dict[str, dict[int, str]] = {}
    rest = []
    for e in errors:
        path = list(e.absolute_path)
        if len(path) >= 2 and path[0] in _SEPARABLE and isinstance(path[1], int):
            where = "/".join(str(p) for p in path[2:]) or "(整条)"
            bad.setdefault(path[0], {}).setdefault(path[1], f"{where}: {e.message}")
        else:
            rest.append(f"{'/'.join(str(p) for p in path) or '(root)'}: {e.message}")
    for array, indexes in bad.items():
        items = document[array]
        for index, why in sorted(indexes.items()):
            item = items[index]
            rule = item.get("rule") if array != "columns" else None
            url = item.get("url")
            model.problems.append(problem("report", f"{_SEPARABLE[array]}不符合 findings.json 格式要求，未写入 findings.json"
                                                    f"（其他报告文件照常列出）：{why}", rule,
                                          url if isinstance(url, str) else None))
        document[array] = [item for i, item in enumerate(items) if i not in indexes]
    if bad:
        if model.status == STATUS_COMPLETE:
            model.status = STATUS_WITH_ERRORS
        if not model.not_examined_reason:            # a portal not examined keeps the sentence that says so
            model.headline = headline(model.status, len(model.problems), len(model.unread),
                                      sum(c.unreachable for c in model.unread))
        document["status"] = model.status
        document["errors"] = [p.to_dict() for p in model.problems]
        document["summary"].update(errors=len(model.problems), headline=model.headline)
    return rest


def render_json(model: ReportModel) -> str:
    """The findings.json text; an invalid finding or column is left out and recorded, never the whole file."""
    document = build_document(model)
    problems = _leave_out_invalid(model, document)
    problems = problems or validation_errors(document)
    if problems:
        raise ReportError("findings.json 不符合格式要求：" + "；".join(problems[:5]))
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    assert_clean(text, "findings.json")
    return text


def write_json(model: ReportModel, path: str | Path) -> Path:
    """Validate and write findings.json; raises ReportError when invalid or unwritable."""
    return write_text(path, render_json(model))
