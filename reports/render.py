"""The entry the conductor calls: stored findings (dicts) and run history in, every report file out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from checks.finding import Finding
from crawler.records import Snapshot
from reports import FORMATS, write_reports
from reports.guard import ReportError
from reports.model import RunSummary, build_report_model


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """A Finding from its to_dict() form (store rows, findings.json), or a ReportError saying what is wrong."""
    if not isinstance(data, dict):
        raise ReportError(f"检查结果格式不正确：{type(data).__name__}")
    try:
        return Finding.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise ReportError(f"检查结果缺少必要字段或字段格式不正确：{exc}") from exc


def run_summary_from_dict(data: dict[str, Any] | RunSummary) -> RunSummary:
    """A RunSummary from {run_id, as_of, findings|total, veto, major, minor, by_kind} (extra keys ignored)."""
    if isinstance(data, RunSummary):
        return data
    as_of = data.get("as_of")
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of[:10])
    counts = {k: int(v) for k, v in (data.get("by_kind") or {}).items()}
    counts.update({k: int(data[k]) for k in ("veto", "major", "minor") if isinstance(data.get(k), int)})
    counts["total"] = int(data.get("total", data.get("findings", 0)) or 0)
    counts.update({k: int(v) for k, v in (data.get("counts") or {}).items()})
    return RunSummary(data.get("run_id"), as_of, counts)


def render_all(snapshot: Snapshot, findings: list[dict | Finding], out: str | Path, history=(),
               previous_section5: str | None = None, profile_departments: dict | None = None,
               formats=FORMATS, previous_xlsx: str | Path | None = None) -> list[Path]:
    """Build the model (resolved findings split off by status) and write every format into `out`."""
    items = [f if isinstance(f, Finding) else finding_from_dict(f) for f in findings]
    current = [f for f in items if f.status != "resolved"]
    resolved = [f for f in items if f.status == "resolved"]
    model = build_report_model(snapshot, current, [run_summary_from_dict(h) for h in history], resolved,
                               profile_departments=profile_departments, previous_section5=previous_section5)
    written = write_reports(model, out, formats=formats, previous_xlsx=previous_xlsx)
    return [written[f] for f in formats]
