"""Waivers: exceptions a county approved (rule, match, reason, who, until), applied to findings as data.

A matching finding is kept with status "waived" and the waiver attached, never deleted. Expired waivers
no longer apply and are reported, as are waivers that matched nothing (likely stale or mistyped).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from checks.engine import normalise_location
from checks.finding import Finding
from rules.loader import SCHEMA_DIR, RuleConfigError, load_yaml_with_marks, mark_of

_FINDING_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass(frozen=True)
class Waiver:
    """One approved exception. `match` is a finding id, a URL / column glob, or {url, column, finding}."""

    rule: str
    match: Any
    reason: str
    approved_by: str
    expires: dt.date
    source: str = ""
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "match": self.match, "reason": self.reason, "approved_by": self.approved_by,
                "expires": self.expires.isoformat(), "source": self.source, "line": self.line}

    def describe(self) -> str:
        where = f"{self.source}:{self.line}" if self.source else ""
        return f"{where} {self.rule} {self.match}".strip()

    def matches(self, finding: Finding) -> bool:
        """True when rule and match both fit the finding (globs test the URL path, full URL and column name)."""
        if self.rule != "*" and self.rule != finding.rule:
            return False
        match = self.match
        if isinstance(match, str):
            if _FINDING_ID.match(match):
                return finding.id == match
            return _glob_url(match, finding.url) or _glob_column(match, finding)
        if "finding" in match and finding.id != match["finding"]:
            return False
        if "url" in match and not _glob_url(match["url"], finding.url):
            return False
        if "column" in match and not _glob_column(match["column"], finding):
            return False
        return True


def _glob_url(pattern: str, url: str | None) -> bool:
    if not url:
        return False
    return fnmatch.fnmatchcase(url, pattern) or fnmatch.fnmatchcase(normalise_location(url), pattern)


def _glob_column(pattern: str, finding: Finding) -> bool:
    column = finding.column or {}
    return any(value and fnmatch.fnmatchcase(str(value), pattern) for value in (column.get("name"), column.get("url"))) \
        or bool(column.get("url") and fnmatch.fnmatchcase(normalise_location(column["url"]), pattern))


@dataclass
class WaiverReport:
    """What the waivers did: which findings each applied to, which expired, which matched nothing."""

    applied: list[tuple[Waiver, list[str]]] = field(default_factory=list)
    expired: list[Waiver] = field(default_factory=list)
    unused: list[Waiver] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"applied": [{**w.to_dict(), "findings": ids} for w, ids in self.applied],
                "expired": [w.to_dict() for w in self.expired],
                "unused": [w.to_dict() for w in self.unused]}


def _validator() -> Draft202012Validator:
    with open(SCHEMA_DIR / "waivers.schema.json", encoding="utf-8") as handle:
        return Draft202012Validator(json.load(handle))


def _parse(path: Path) -> tuple[list[Waiver], list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [f"{path}:1:1: -: -: cannot read waiver file: {exc}"]
    try:
        data, marks = load_yaml_with_marks(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [], [f"{path}:{line}:{col}: -: -: YAML syntax error: {getattr(exc, 'problem', exc)}"]
    if isinstance(data, list):
        data = {"waivers": data}
        marks = {("waivers",) + k: v for k, v in marks.items()}
    # YAML reads 2024-06-30 as a date; the schema speaks JSON, so compare as text
    if isinstance(data, dict) and isinstance(data.get("waivers"), list):
        for item in data["waivers"]:
            if isinstance(item, dict) and isinstance(item.get("expires"), dt.date):
                item["expires"] = item["expires"].isoformat()
    errors = []
    for err in _validator().iter_errors(data if data is not None else {}):
        where = tuple(err.absolute_path)
        line, col = mark_of(marks, where)
        rule = "-"
        if len(where) >= 2 and isinstance(where[1], int):
            rule = str((data["waivers"][where[1]] or {}).get("rule", "-"))
        inner = ".".join(str(p) for p in where[2:]) or "-"
        errors.append(f"{path}:{line}:{col}: {rule}: {inner}: {err.message}")
    waivers = []
    if not errors:
        for i, item in enumerate(data["waivers"]):
            line, col = mark_of(marks, ("waivers", i))
            try:
                expires = dt.date.fromisoformat(item["expires"])
            except ValueError:
                errors.append(f"{path}:{line}:{col}: {item['rule']}: expires: not a real date: {item['expires']!r}")
                continue
            waivers.append(Waiver(rule=item["rule"], match=item["match"], reason=item["reason"],
                                  approved_by=item["approved_by"], expires=expires, source=str(path), line=line))
    return waivers, errors


def validate_waivers_file(path: str | Path) -> list[str]:
    """Every problem in a waiver file as `file:line:col: RULE: path: problem` lines (empty = valid)."""
    return _parse(Path(path))[1]


def load_waivers(path: str | Path, known_rules: set[str] | None = None) -> list[Waiver]:
    """Read a waiver file; raise RuleConfigError with every problem (unknown rule ids too, when given)."""
    waivers, errors = _parse(Path(path))
    if known_rules is not None:
        for waiver in waivers:
            if waiver.rule != "*" and waiver.rule not in known_rules:
                errors.append(f"{waiver.source}:{waiver.line}:1: {waiver.rule}: rule: unknown rule id")
    if errors:
        raise RuleConfigError(errors)
    return waivers


def apply_waivers(findings: list[Finding], waivers: Any, as_of: dt.date) -> WaiverReport:
    """Mark findings matched by a live waiver as "waived" (first live waiver wins); report expired and unused."""
    report = WaiverReport()
    for waiver in list(waivers or ()):
        if waiver.expires < as_of:
            report.expired.append(waiver)
            continue
        hits = []
        for finding in findings:
            if finding.status == "resolved" or finding.waiver is not None:
                continue
            if waiver.matches(finding):
                finding.status = "waived"
                finding.waiver = {"rule": waiver.rule, "match": waiver.match, "reason": waiver.reason,
                                  "approved_by": waiver.approved_by, "expires": waiver.expires.isoformat()}
                hits.append(finding.id)
        if hits:
            report.applied.append((waiver, hits))
        else:
            report.unused.append(waiver)
    return report


# What a clerk may type in the 整改清单's 整改状态 to say a problem does not hold (the drop-down offers 不成立).
DISMISSED_STATUSES = ("不成立", "误报", "无需整改")


def apply_dismissals(findings: list[Finding], dismissed: dict[str, str] | None) -> list[str]:
    """Mark open findings the clerk marked 不成立 in the last 整改清单 (id → her note) as "dismissed".

    A dismissal is the county's own judgement, kept as data like a waiver: the finding stays (listed as
    经核实不成立, with the note) and leaves the count. Returns the ids dismissed.
    """
    done = []
    for finding in findings:
        if finding.id in (dismissed or {}) and finding.status in ("new", "persisting", "unverified"):
            finding.status = "dismissed"
            done.append(finding.id)
    return done
