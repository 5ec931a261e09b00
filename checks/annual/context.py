"""Everything a check may look at: the report, its sections and tables, last year's report, the issuer's level,
and a stored site audit when one is given."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from checks.annual.audit_link import AuditFacts
from checks.annual.model import AnnualReport
from checks.annual.sections import Sections, find_sections
from checks.annual.tables import Tables, read_tables

ISSUER_BEFORE_YEAR = re.compile(r"(.+?)(?:20\d\d)年")
ISSUER_BEFORE_TOPIC = re.compile(r"(?:关于)?(?:政府)?信息公开.*$")
# The government itself: the issuer ends with 人民政府 (人民政府信息公开… once the doubled 政府 is dropped, 人民).
GOVERNMENT_ISSUER = re.compile(r"(?:人民政府|人民)$")


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


def _issuer(title: str) -> str:
    """The issuing organ named by a report title: what precedes its year, else what precedes 政府信息公开."""
    text = re.sub(r"\s+", "", title or "")
    before_year = ISSUER_BEFORE_YEAR.match(text)
    return ISSUER_BEFORE_TOPIC.sub("", before_year.group(1) if before_year else text)


def guess_issuer_level(title: str) -> str:
    """A 人民政府 (or a zone's 管委会) reports by 31 March; a department (局、委、办) by 31 January.

    The issuer is read from the title before its year, and only an issuer that *ends* with 人民政府 is the
    government itself: 县人民政府办公室 or 县人民政府国有资产监督管理委员会 is one of its departments (it reports by
    31 January and owes no 第五十条第（四）项 items), even though its name contains 人民政府.
    """
    issuer = _issuer(title)
    if GOVERNMENT_ISSUER.search(issuer):
        return "county"
    if "人民政府" in issuer or "政府办" in issuer:
        return "department"                   # an organ of the government named after it
    if "实验区" in issuer or "新区" in issuer:
        return "county"
    if any(word in issuer for word in ("局", "委员会", "办公室", "中心", "委", "院")):
        return "department"
    return "county"
