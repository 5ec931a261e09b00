"""The types the annual-report checker passes between reading, checking and reporting.

A report is read once into an AnnualReport (text with tables as pipe rows); each check yields Results. A Result
is one of three judgements (FAIL, 需人工复核, 无法判断); a rule that yields none of them has passed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

FAIL, REVIEW, UNKNOWN, PASS = "FAIL", "需人工复核", "无法判断", "PASS"


@dataclass
class AnnualReport:
    """A report as published, reduced to text in reading order; tables are lines of `| cell | cell |`."""

    text: str
    source: str
    title: str = ""
    year: int | None = None
    published: dt.date | None = None
    published_source: str = ""          # where the publication date came from (page / 命令行参数)
    form: str = "text"                   # html | docx | pdf | text
    dated: dt.date | None = None         # the date the report signs itself with (落款), a lower bound of publication


@dataclass
class Result:
    """One judgement of one rule at one place: FAIL (a finding), 需人工复核 or 无法判断, with why."""

    status: str
    where: str
    message: str
    evidence: str = ""
    observed: dict[str, Any] = field(default_factory=dict)
    key: str = ""                        # what makes this result distinct within its rule and place


@dataclass
class RuleOutcome:
    """A rule's verdict over one report, with every result behind it."""

    rule_id: str
    title: str
    severity: str
    basis: str
    remediation: str
    status: str
    results: list[Result]


def fingerprint(rule_id: str, result: Result) -> str:
    """Stable id of a finding across runs, so a clerk's 已核实/不成立 carries over to the next run."""
    raw = "\x1f".join([rule_id, result.where, result.key or result.message])
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]
