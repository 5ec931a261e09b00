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
from reports.column_ages import ColumnFreshness, column_freshness
from reports.deadlines import Deadline, calendar_note, deadline_for
from reports.guard import ReportError, clean
from reports.labels import KIND_ORDER, SEVERITY_ORDER, kind_label, severity_label, status_label
from reports.tally import (
    OPEN_STATUSES,
    Verdict,
    changes,
    is_veto_member,
    problem_severity,
    tally,
    verdict,
    veto_columns,
)

GENERATOR = "govaudit-reports 1"
@dataclass
class RunSummary:
    """One earlier run, for the trend: its id, date and counts (total, veto, major, minor, kinds …).

    `examined` False: the run recognised no column (未能检查), so its counts say nothing about the site and the
    trend shows the week as not examined, never as a drop or a rise."""

    run_id: Any
    as_of: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    examined: bool = True


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
    status: str                               # 未整改 | 整改中 | 已整改 | 不成立
    first_seen: dt.date | None
    last_review: dt.date
    department_source: str = ""               # profile | meta | name | path | column | footer | host | unknown
    department_reason: str = ""               # why this unit (shown beside it in the 整改清单)
    needs_review: bool = False                # 待核实: listed, never counted
    report_back: dt.date | None = None        # personal data: when the office reports the fix
    veto_member: bool = False                 # one of the columns behind a 单项否决 verdict
    note: str = ""                            # 整改情况说明, written by the responsible unit
    title: str = ""                           # the rule's short title (栏目与问题 in the annex)
    finding_status: str = "new"               # new | persisting | unverified (本次未能复查: last_review kept)
    reopened: bool = False                    # marked 已整改 last week, still found on re-check (经复查仍存在)

    @property
    def review_mark(self) -> str:
        return "（待核实）" if self.needs_review else ""


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
    deadline_note: str = ""                   # set when a deadline fell beyond the official calendar's years
    previous_section5: str | None = None      # last year's text, kept to recompose section 五 after the clerk's edits
    review: list[FindingView] = field(default_factory=list)      # open findings awaiting 核实 (counted apart)
    resolved_units: dict[str, tuple[str, str]] = field(default_factory=dict)  # resolved id → (责任单位, reason)
    # How whole the check is (reports/completeness.py): 完整 | 有检查异常 | 未完成, the tool's failures
    # (检查异常: ProblemView), the columns not read to the end (UnreadColumn) and the sentence that says so.
    status: str = "完整"
    problems: list = field(default_factory=list)
    unread: list = field(default_factory=list)
    headline: str = ""
    not_examined_reason: str = ""             # why no column was recognised (status 未能检查: reports/unexamined.py)
    # The verdict over every 单项否决 item and the probe history (reports/verdict.py), set by reports/render.py.
    veto_items: Any = None
    probe_history: Any = None
    # 检查范围说明 (reports/scope.py): what the counts do not cover (sampled images, columns on another platform).
    scope: list = field(default_factory=list)
    # 本周变化 against the last run (reports/tally.Changes), None on a site's first run; the problems the clerk
    # marked 不成立 (listed, not counted); rows marked 已整改 last week that the re-check still finds.
    changes: Any = None
    dismissed: list[FindingView] = field(default_factory=list)
    reopened: list[RectificationRow] = field(default_factory=list)
    dismissed_notes: dict[str, str] = field(default_factory=dict)  # id → why the clerk marked it 不成立

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


def _counts(findings: Sequence[FindingView]) -> dict[str, Any]:
    """The report's counts: reports/tally.py's one rule, plus the statuses of every finding shown."""
    counts = tally(findings).as_dict()
    counts.pop("verdict")
    return counts


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


def _rectification_rows(snapshot: Snapshot, open_views: Sequence[FindingView], profile: dict | None,
                        overrides: dict | None) -> tuple[list[RectificationRow], list[Deadline]]:
    """One row per distinct problem (veto summaries excluded: they are the verdict), with unit and deadline."""
    from reports.evidence import describe
    from reports.units import UnitResolver

    resolver = UnitResolver(snapshot, profile)
    members = veto_columns(open_views)
    rows: list[RectificationRow] = []
    due: list[Deadline] = []
    for f in open_views:
        if f.kind == "veto":
            continue
        member = is_veto_member(f, members)
        severity = problem_severity(f, members)
        # The deadline runs from the day the problem was first found: re-finding it next week must not move it.
        found = min(f.first_seen, snapshot.as_of) if f.first_seen else snapshot.as_of
        deadline = deadline_for(found, f.kind, severity, member, overrides)
        due.append(deadline)
        unit = resolver.resolve(f.column, f.url, f.observed)
        description, evidence = describe(f, snapshot)
        rows.append(RectificationRow(
            seq=len(rows) + 1, finding_id=f.id, kind=f.kind, kind_label=f.kind_label, description=description,
            column=f.column_name, url=f.url or (f.column or {}).get("url") or "", evidence=evidence,
            basis=f.basis, severity=severity, severity_label=severity_label(severity), remediation=f.remediation,
            department=clean(unit.name), deadline=deadline.due, status="未整改", first_seen=f.first_seen,
            last_review=snapshot.as_of, department_source=unit.source, department_reason=clean(unit.reason),
            needs_review=f.needs_review, report_back=deadline.report_back, veto_member=member,
            title=clean(f.title or f.kind_label), finding_status=f.status))
    rows.sort(key=lambda r: (r.needs_review, SEVERITY_ORDER.get(r.severity, 9), KIND_ORDER.get(r.kind, 99),
                             r.department, r.column, r.url))
    for seq, row in enumerate(rows, 1):
        row.seq = seq
    return rows, due


def _resolved_units(snapshot: Snapshot, resolved: Sequence[FindingView], profile: dict | None) -> dict:
    """The 责任单位 of problems fixed since the last list, so the 已整改 rows still say who fixed them."""
    from reports.units import UnitResolver

    resolver = UnitResolver(snapshot, profile)
    out = {}
    for f in resolved:
        unit = resolver.resolve(f.column, f.url, f.observed)
        out[f.id] = (clean(unit.name), clean(unit.reason))
    return out


def build_report_model(snapshot: Snapshot, findings: list[Finding], history: Sequence[RunSummary] = (),
                       resolved: Sequence[Finding] = (), profile_departments: dict | None = None,
                       previous_section5: str | None = None, deadlines: dict | None = None,
                       report_year: int | None = None) -> ReportModel:
    """Build the ReportModel. `resolved` are findings of earlier runs not seen again (verified by re-crawl).

    `profile_departments` maps a column name or URL to its 责任单位 ('*' = default); `deadlines` maps a kind
    or severity to working days (reports/deadlines.py has the defaults); `report_year` defaults to last year for checks made in Q1.
    """
    from reports.section_five import compose_section_five
    from reports.section_one import build_section_one

    if not isinstance(snapshot, Snapshot):
        raise ReportError("生成报告需要一次检查运行的快照（Snapshot）")
    views = sorted((view(f, snapshot.site_url) for f in findings), key=sort_key)
    resolved_views = sorted((view(f, snapshot.site_url) for f in resolved), key=sort_key)
    for r in resolved_views:
        r.status = "resolved"
    open_views = [f for f in views if f.status in OPEN_STATUSES]
    rows, due = _rectification_rows(snapshot, open_views, profile_departments, deadlines)
    # One count, one truth (reports/tally.py): veto summaries are a verdict, 待核实 findings are counted apart.
    current = _counts(open_views)
    review = [f for f in open_views if f.needs_review]
    # This run's own counts replace any summary of it in `history` (they carry severities).
    this = {"total": current["total"], **current["by_severity"], **current["by_kind"]}
    trend = sorted((r for r in history if not (r.run_id == snapshot.run_id and r.as_of == snapshot.as_of)),
                   key=lambda r: (r.as_of, str(r.run_id)))
    trend.append(RunSummary(snapshot.run_id, snapshot.as_of, this))
    model = ReportModel(
        site_name=clean(snapshot.site_name), site_url=snapshot.site_url, as_of=snapshot.as_of, run=_run(snapshot),
        columns=[_column_dict(c, snapshot.site_url) for c in snapshot.columns()], findings=views, resolved=resolved_views,
        counts={**current, "by_status": dict(sorted(Counter(f.status for f in open_views).items())),
                "all_statuses": dict(sorted(Counter(f.status for f in views).items())),
                "resolved": changes(resolved_views).fixed},
        verdict=verdict(open_views), rows=rows, freshness=column_freshness(snapshot, views), trend=trend,
        section_one=build_section_one(snapshot, report_year), section5=None,  # type: ignore[arg-type]
        deadline_note=calendar_note(due), review=review, previous_section5=previous_section5,
        resolved_units=_resolved_units(snapshot, resolved_views, profile_departments),
        dismissed=[f for f in views if f.status == "dismissed" and f.kind != "veto"],
        changes=changes(views + resolved_views) if len(trend) > 1 else None)
    model.section5 = compose_section_five(model, snapshot, previous_section5)
    return model
