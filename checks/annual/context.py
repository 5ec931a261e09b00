"""Everything a check may look at: the report, its sections and tables, last year's report, the issuer's level,
and a stored site audit when one is given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from checks.annual.audit_link import AuditFacts
from checks.annual.model import AnnualReport
from checks.annual.sections import Sections, find_sections
from checks.annual.tables import Tables, read_tables


@dataclass
class ReportContext:
    report: AnnualReport
    sections: Sections
    tables: Tables
    issuer_level: str = "county"                  # county (人民政府) | department (政府部门)
    previous: ReportContext | None = None
    published: dt.date | None = None
    audit: AuditFacts | None = None               # a stored site audit to hold section 五 against (--run)

    @classmethod
    def build(cls, report: AnnualReport, issuer_level: str | None = None, previous: ReportContext | None = None,
              published: dt.date | None = None, audit: AuditFacts | None = None) -> ReportContext:
        sections = find_sections(report.text)
        level = issuer_level or guess_issuer_level(report.title)
        return cls(report=report, sections=sections, tables=read_tables(sections, report.year),
                   issuer_level=level, previous=previous, published=published or report.published, audit=audit)


def guess_issuer_level(title: str) -> str:
    """A 人民政府 (or a zone's 管委会) reports by 31 March; a department (局、委、办) by 31 January."""
    if "人民政府" in title or "实验区" in title or "新区" in title:
        return "county"
    if any(word in title for word in ("局", "委员会", "办公室", "中心", "委", "院")):
        return "department"
    return "county"
