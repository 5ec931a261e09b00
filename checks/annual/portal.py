"""The portal's own 年报 column, judged during a normal audit: each year's report (the article, or its attachment
when the report is published as one) goes through the annual-report rules, and what fails joins the site's findings.

Why here and not in the engine: a report is judged rule by rule against last year's report from the same column,
which the engine's one-rule-one-snapshot shape does not give. The findings are stamped like the engine's (stable
fingerprint, masked evidence, new / persisting / resolved against the previous run), with kind `annual_report`.
Only FAIL (a finding) and 需人工复核 (needs_review) are carried; 无法判断 is not a finding, and an article that is
not a report (no section heading found) is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, REVIEW, AnnualReport
from checks.annual.reader import report_year, signature_date
from checks.annual.runner import load_rules, run_rules
from checks.annual.sections import find_sections
from checks.finding import Finding
from crawler.records import PageRecord, Snapshot

ANNUAL_COLUMN_TYPE = "信息公开年报"          # rules/column_types.yml
KIND = "annual_report"
RULE_PREFIX = "ANR"
REPORT_MEDIA = {"pdf", "docx", "doc", "wps", "txt"}
ISSUER_YEAR = re.compile(r"20\d\d\s*年度?")


@dataclass
class PortalReport:
    """One report found in the column: where it was read from and its context."""

    page: PageRecord
    url: str                  # the page, or the attachment the report was read from
    column: dict
    ctx: ReportContext

    @property
    def issuer(self) -> str:
        """The title without its year: the same issuer's reports of two years share it."""
        return ISSUER_YEAR.sub("", self.ctx.report.title).strip()


def _display(text: str) -> str:
    from checks.privacy.redact import display
    return display(text or "")


def _has_headings(text: str) -> bool:
    return sum(h.start >= 0 for h in find_sections(text).headings) >= 3


def _report_text(snapshot: Snapshot, page: PageRecord) -> tuple[str, str] | None:
    """(text, url) of the report on this page: the page's text, else the first attachment that reads as one."""
    text = _display(page.text)
    if _has_headings(text):
        return text, page.url
    for attachment in snapshot.attachments():
        if attachment.page_url != page.url or attachment.status != "ok":
            continue
        if (attachment.media_type or "").lower() not in REPORT_MEDIA and not attachment.filename.lower().endswith(
                tuple(f".{m}" for m in REPORT_MEDIA)):
            continue
        body = _display(attachment.text)
        if _has_headings(body):
            return body, attachment.url
    return None


def column_reports(snapshot: Snapshot) -> list[PortalReport]:
    """Every readable report in the site's 年报 columns, each paired with the same issuer's report of the year before."""
    reports: list[PortalReport] = []
    for column in snapshot.columns(types=[ANNUAL_COLUMN_TYPE]):
        info = {"name": column.name, "url": column.url, "type": column.type}
        for page in snapshot.pages(column_url=column.url, kind="article"):
            found = _report_text(snapshot, page)
            if found is None:
                continue
            text, url = found
            report = AnnualReport(text=text, source=url, title=page.title, year=report_year(page.title, text),
                                  published=page.published, published_source="页面" if page.published else "",
                                  form="html", dated=signature_date(text))
            reports.append(PortalReport(page, url, info, ReportContext.build(report)))
    by_issuer_year = {(r.issuer, r.ctx.report.year): r for r in reports}
    for r in reports:
        year = r.ctx.report.year
        before = by_issuer_year.get((r.issuer, year - 1)) if year else None
        if before is not None:
            r.ctx.previous = before.ctx
    return reports


def portal_findings(snapshot: Snapshot, ruleset=None) -> list[Finding]:
    """Findings (kind annual_report) of every report in the portal's 年报 columns."""
    from checks.engine import fingerprint
    from checks.privacy.redact import redact

    ruleset = ruleset or load_rules()
    findings = []
    for item in column_reports(snapshot):
        title = item.ctx.report.title or item.page.title
        for outcome in run_rules(item.ctx, ruleset):
            for result in outcome.results:
                if result.status not in (FAIL, REVIEW):
                    continue
                findings.append(Finding(
                    id=fingerprint(outcome.rule_id, item.url, f"{result.where}\x1f{result.key or result.message}"),
                    rule=outcome.rule_id, kind=KIND, severity=outcome.severity, title=outcome.title,
                    confidence=1.0 if result.status == FAIL else 0.5, column=dict(item.column), url=item.url,
                    message=redact(f"《{title}》{result.where}：{result.message}"),
                    remediation=redact(outcome.remediation), basis=outcome.basis,
                    evidence=redact(result.evidence or ""), location=result.where,
                    needs_review=result.status == REVIEW,
                    observed={"report": title, "year": item.ctx.report.year, "check": outcome.rule_id},
                    first_seen=snapshot.as_of))
    return findings


def join_portal_reports(snapshot: Snapshot, result, previous: list[Finding]) -> None:
    """Add the 年报 column's findings to an engine CheckResult, with history against the previous run.

    The engine already classified the previous run's annual findings as resolved (it did not see them); they are
    taken back and classified here, against this run's annual findings only.
    """
    from checks.engine import CheckError
    from checks.history import classify

    try:
        mine = portal_findings(snapshot)
    except Exception as exc:  # noqa: BLE001 — a broken report check is recorded, never stops the audit
        result.errors.append(CheckError(None, "annual", f"年报栏目检查出错（已跳过）：{type(exc).__name__}: {exc}"))
        mine = []
    earlier = [f for f in previous if f.kind == KIND]
    result.resolved = [f for f in result.resolved if f.kind != KIND]
    result.resolved += classify(mine, earlier, as_of=snapshot.as_of)
    result.findings += mine
