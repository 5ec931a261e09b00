"""ReportModel: everything the renderers show, built once from a Snapshot and its Findings.

Renderers read only this model. Every string taken from a Finding passes the privacy guard here,
so a renderer never sees a raw personal-data value even when an upstream stage leaked one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from checks.finding import Finding
from crawler.records import Snapshot
from reports.guard import ReportError, clean
from reports.labels import KIND_ORDER, SEVERITY_ORDER, kind_label, severity_label, status_label

GENERATOR = "govaudit-reports 1"
OPEN_STATUSES = ("new", "persisting")
# 国办秘函〔2019〕19号 栏目不更新: 动态要闻 2 weeks, 通知公告/政策文件 6 months; 人事/规划 1 year (vendor practice).
# Used only when no finding carries the rule's own max_age_days for a column.
FALLBACK_LIMITS = {"动态要闻": 14, "通知公告": 180, "政策文件": 180, "人事信息": 365, "规划计划": 365}
# 整改时限 per severity: (amount, unit); unit is "workdays" (Mon–Fri) or "days".
DEFAULT_DEADLINES = {"veto": (5, "workdays"), "major": (15, "days"), "minor": (30, "days")}


@dataclass
class RunSummary:
    """One earlier run, for the trend: its id, date and counts (total, veto, major, minor, kinds …)."""

    run_id: Any
    as_of: dt.date
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class FindingView:
    """A Finding as the reports show it: masked, labelled, JSON-friendly."""

    id: str
    rule: str
    kind: str
    severity: str
    title: str
    confidence: float
    column: dict | None
    url: str | None
    pii_type: str | None
    count: int
    evidence: str
    message: str
    remediation: str
    basis: str
    status: str
    first_seen: dt.date | None
    location: str | None
    needs_review: bool
    observed: dict[str, Any]

    @property
    def column_name(self) -> str:
        return (self.column or {}).get("name") or ""

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def severity_label(self) -> str:
        return severity_label(self.severity)

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass
class RectificationRow:
    """One line of the 整改清单."""

    seq: int
    finding_id: str
    kind: str
    kind_label: str
    description: str
    column: str
    url: str
    evidence: str
    basis: str
    severity: str
    severity_label: str
    remediation: str
    department: str
    deadline: dt.date | None
    status: str                               # 未整改 | 整改中 | 已整改 | 无需整改
    first_seen: dt.date | None
    last_review: dt.date


@dataclass
class ColumnFreshness:
    """Days since a column's newest item against the limit that applies to it."""

    name: str
    url: str
    type: str | None
    latest: dt.date | None
    age_days: int | None
    limit_days: int | None

    @property
    def stale(self) -> bool:
        return self.age_days is not None and self.limit_days is not None and self.age_days > self.limit_days


@dataclass
class Verdict:
    """The 单项否决 verdict: which veto items fired, and the wording for it."""

    triggered: list[str]
    passed: bool
    wording: str


@dataclass
class SectionOne:
    """Draft figures for 一、总体情况: items per column published in the report year (counted, never guessed)."""

    year: int
    rows: list[dict]                          # {column, url, type, items}
    total: int
    policy_interpretations: int
    undated: int                              # pages whose date could not be read (not counted above)


@dataclass
class SectionFive:
    """Section 五 as paragraphs, plus how much of it overlaps last year's text."""

    problems: list[str]
    improvements: list[str]
    facts: dict[str, Any]
    overlap: float                            # largest share of one sentence found verbatim in previous text
    repeated: list[str]                       # sentences still repeating the previous text (should be empty)


@dataclass
class ReportModel:
    site_name: str
    site_url: str
    as_of: dt.date
    run: dict[str, Any]
    columns: list[dict[str, Any]]
    findings: list[FindingView]
    resolved: list[FindingView]
    counts: dict[str, Any]
    verdict: Verdict
    rows: list[RectificationRow]
    freshness: list[ColumnFreshness]
    trend: list[RunSummary]
    section_one: SectionOne
    section5: SectionFive
    generator: str = GENERATOR

    @property
    def open_findings(self) -> list[FindingView]:
        return [f for f in self.findings if f.status in OPEN_STATUSES]


def _absolute(base: str, url: str | None) -> str | None:
    return urljoin(base.rstrip("/") + "/", url) if url else url


def view(finding: Finding, site_url: str = "") -> FindingView:
    """The masked view of one Finding (URLs made absolute); raises ReportError on a non-Finding."""
    if not isinstance(finding, Finding):
        raise ReportError(f"不是有效的检查结果对象：{type(finding).__name__}")
    observed = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in (finding.observed or {}).items()}
    column = None
    if finding.column:
        column = {"name": clean(finding.column.get("name") or ""),
                  "url": _absolute(site_url, finding.column.get("url"))}
        column.update({k: clean(finding.column[k]) for k in ("type", "department") if finding.column.get(k)})
    return FindingView(
        id=str(finding.id), rule=finding.rule, kind=finding.kind, severity=finding.severity,
        title=clean(finding.title or ""), confidence=float(finding.confidence), column=column,
        url=clean(_absolute(site_url, finding.url)) if finding.url else None, pii_type=finding.pii_type,
        count=int(finding.count or 1),
        evidence=clean(finding.evidence or ""), message=clean(finding.message or ""),
        remediation=clean(finding.remediation or ""), basis=clean(finding.basis or ""), status=finding.status,
        first_seen=finding.first_seen, location=clean(finding.location) if finding.location else None,
        needs_review=bool(finding.needs_review), observed=clean(observed))


def sort_key(f: FindingView) -> tuple:
    return (SEVERITY_ORDER.get(f.severity, 9), KIND_ORDER.get(f.kind, 99), f.kind, f.column_name, f.url or "",
            f.location or "", f.id)


def add_deadline(start: dt.date, amount: int, unit: str) -> dt.date:
    """`start` plus `amount` days, or working days (Mon–Fri; public holidays are not known here)."""
    if unit == "days":
        return start + dt.timedelta(days=amount)
    day, left = start, amount
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def _counts(findings: Sequence[FindingView]) -> dict[str, Any]:
    by_kind = Counter(f.kind for f in findings)
    by_severity = Counter(f.severity for f in findings)
    by_status = Counter(f.status for f in findings)
    matrix: dict[str, dict[str, int]] = {}
    for f in findings:
        matrix.setdefault(f.kind, {"veto": 0, "major": 0, "minor": 0})
        matrix[f.kind][f.severity] = matrix[f.kind].get(f.severity, 0) + 1
    kinds = sorted(by_kind, key=lambda k: (KIND_ORDER.get(k, 99), k))
    return {"total": len(findings), "by_kind": {k: by_kind[k] for k in kinds},
            "by_severity": {s: by_severity.get(s, 0) for s in SEVERITY_ORDER},
            "by_status": dict(sorted(by_status.items())), "kind_severity": {k: matrix[k] for k in kinds}}


def _verdict(open_findings: Sequence[FindingView]) -> Verdict:
    items: list[str] = []
    for f in open_findings:
        if f.kind == "veto" or f.severity == "veto":
            name = f.title or f.rule
            if name not in items:
                items.append(name)
    if items:
        wording = (f"本次自查发现触发单项否决指标{len(items)}项（{'；'.join(items)}），"
                   "按《政府网站与政务新媒体检查指标》判定为不合格，须立即整改。")
        return Verdict(items, False, wording)
    return Verdict([], True, "本次自查未发现触发单项否决指标的情形，单项否决部分判定为合格。")


def limit_for(f: FindingView, snapshot: Snapshot) -> int | None:
    """The freshness limit behind a finding: the rule's own max_age_days, else the fallback for its column type."""
    limit = f.observed.get("max_age_days")
    if isinstance(limit, int):
        return limit
    record = snapshot.column((f.column or {}).get("url"))
    ctype = f.observed.get("column_type") or (f.column or {}).get("type") or (record.type if record else None)
    return FALLBACK_LIMITS.get(ctype or "")


def _department(column: dict | None, snapshot: Snapshot, profile: dict) -> str:
    if not column:
        return profile.get("*", "")
    for key in (column.get("name"), column.get("url")):
        if key and key in profile:
            return profile[key]
    if column.get("department"):
        return column["department"]
    record = snapshot.column(column.get("url"))
    if record is not None and record.department:
        return record.department
    return profile.get("*", "")


def _freshness(snapshot: Snapshot, findings: Sequence[FindingView]) -> list[ColumnFreshness]:
    limits: dict[str, int] = {}
    for f in findings:
        limit = f.observed.get("max_age_days")
        if f.column and f.column.get("url") and isinstance(limit, int):
            limits[f.column["url"]] = limit
    series = []
    for c in snapshot.columns():
        age = (snapshot.as_of - c.latest).days if c.latest else None
        limit = limits.get(c.url, FALLBACK_LIMITS.get(c.type or ""))
        series.append(ColumnFreshness(clean(c.name), c.url, c.type, c.latest, age, limit))
    series.sort(key=lambda s: (s.limit_days is None, -(s.age_days or 0) / (s.limit_days or 1), s.name))
    return series


def _column_dict(c, base: str) -> dict[str, Any]:
    return {"name": clean(c.name), "url": _absolute(base, c.url), "path": clean(c.path), "type": c.type, "level": c.level,
            "latest": c.latest.isoformat() if c.latest else None, "items": c.items, "dated_items": c.dated_items,
            "blank_marker": c.blank_marker, "department": c.department}


def _run(snapshot: Snapshot) -> dict[str, Any]:
    stats = snapshot.stats or {}

    def number(key: str, fallback: Iterable) -> int:
        value = stats.get(key)
        return int(value) if isinstance(value, int) else sum(1 for _ in fallback)

    def stamp(key: str) -> str | None:
        value = stats.get(key)
        return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value

    return {"id": snapshot.run_id, "pages": number("pages", snapshot.pages()),
            "columns": number("columns", snapshot.columns()),
            "attachments": number("attachments", snapshot.attachments()),
            "errors": number("errors", snapshot.errors_), "started": stamp("started"),
            "finished": stamp("finished"), "status": stats.get("status") or "finished"}


def build_report_model(snapshot: Snapshot, findings: list[Finding], history: Sequence[RunSummary] = (),
                       resolved: Sequence[Finding] = (), profile_departments: dict | None = None,
                       previous_section5: str | None = None, deadlines: dict | None = None,
                       report_year: int | None = None) -> ReportModel:
    """Build the ReportModel. `resolved` are findings of earlier runs not seen again (verified by re-crawl).

    `profile_departments` maps a column name or URL to its 责任单位 ('*' = default); `deadlines` overrides
    DEFAULT_DEADLINES per severity; `report_year` defaults to last year for checks made in Q1.
    """
    from reports.section_five import compose_section_five
    from reports.section_one import build_section_one

    if not isinstance(snapshot, Snapshot):
        raise ReportError("生成报告需要一次检查运行的快照（Snapshot）")
    views = sorted((view(f, snapshot.site_url) for f in findings), key=sort_key)
    resolved_views = sorted((view(f, snapshot.site_url) for f in resolved), key=sort_key)
    for r in resolved_views:
        r.status = "resolved"
    profile = dict(profile_departments or {})
    rules = {**DEFAULT_DEADLINES, **(deadlines or {})}
    open_views = [f for f in views if f.status in OPEN_STATUSES]
    rows = []
    for seq, f in enumerate(open_views, 1):
        amount, unit = rules.get(f.severity, DEFAULT_DEADLINES["minor"])
        rows.append(RectificationRow(
            seq=seq, finding_id=f.id, kind=f.kind, kind_label=f.kind_label, description=f.message or f.title,
            column=f.column_name, url=f.url or (f.column or {}).get("url") or "", evidence=f.evidence,
            basis=f.basis, severity=f.severity, severity_label=f.severity_label, remediation=f.remediation,
            department=clean(_department(f.column, snapshot, profile)),
            deadline=add_deadline(snapshot.as_of, amount, unit), status="未整改", first_seen=f.first_seen,
            last_review=snapshot.as_of))
    current = _counts(open_views)
    # This run's own counts replace any summary of it in `history` (they carry severities).
    this = {"total": current["total"], **current["by_severity"], **current["by_kind"]}
    trend = sorted((r for r in history if not (r.run_id == snapshot.run_id and r.as_of == snapshot.as_of)),
                   key=lambda r: (r.as_of, str(r.run_id)))
    trend.append(RunSummary(snapshot.run_id, snapshot.as_of, this))
    model = ReportModel(
        site_name=clean(snapshot.site_name), site_url=snapshot.site_url, as_of=snapshot.as_of, run=_run(snapshot),
        columns=[_column_dict(c, snapshot.site_url) for c in snapshot.columns()], findings=views, resolved=resolved_views,
        counts={**current, "all_statuses": _counts(views)["by_status"], "resolved": len(resolved_views)},
        verdict=_verdict(open_views), rows=rows, freshness=_freshness(snapshot, views), trend=trend,
        section_one=build_section_one(snapshot, report_year), section5=None)  # type: ignore[arg-type]
    model.section5 = compose_section_five(model, snapshot, previous_section5)
    return model
