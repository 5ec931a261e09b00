"""Run every enabled rule over a Snapshot and stamp what the checks observed into Findings.

Family modules (checks.freshness, checks.links, checks.privacy, checks.placement) each expose
`CHECKS: dict[str, callable(snapshot, rule) -> Iterable[Observation]]`. They are imported lazily so one
broken family becomes a recorded error, not a crash; likewise a check that raises. The engine alone
formats messages, computes fingerprints, applies the last privacy guard, history and waivers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import re
import string
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from checks.finding import Finding, Observation
from crawler.records import Snapshot

FAMILY_MODULES = {
    "freshness": "checks.freshness",
    "links": "checks.links",
    "privacy": "checks.privacy",
    "placement": "checks.placement",
    "security": "checks.security",
    "expression": "checks.expression",
    "interaction": "checks.interaction",
    "availability": "checks.availability",
    "identity": "checks.identity",
    "service": "checks.service",
}


@dataclass
class CheckError:
    """A rule (or a whole family) that could not run; kept with the result and shown in reports."""

    rule: str | None
    family: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "family": self.family, "message": self.message}


@dataclass
class CheckResult:
    """Findings of one check run, plus resolved ones (when a previous run was given), waivers and errors."""

    findings: list[Finding] = field(default_factory=list)
    waiver_report: Any = None                 # checks.waivers.WaiverReport when waivers were given
    errors: list[CheckError] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)


class _Families:
    """Lazy, cached family lookup; an import failure is remembered and reported once per family."""

    def __init__(self, modules: dict[str, str]):
        self.modules = modules
        self.checks: dict[str, dict[str, Callable]] = {}
        self.failed: dict[str, str] = {}

    def lookup(self, family: str, check: str) -> Callable | str:
        """The check callable, or a string saying why there is none."""
        if family in self.failed:
            return self.failed[family]
        if family not in self.checks:
            module_name = self.modules.get(family)
            if module_name is None:
                self.failed[family] = f"未知的检查类别 family '{family}'"
                return self.failed[family]
            try:
                module = importlib.import_module(module_name)
                checks = module.CHECKS
                if not isinstance(checks, dict):
                    raise TypeError("CHECKS is not a dict")
            except Exception as exc:  # noqa: BLE001 — any failure of a family must not stop the others
                self.failed[family] = f"检查模块 {module_name} 无法加载：{type(exc).__name__}: {exc}"
                return self.failed[family]
            self.checks[family] = checks
        func = self.checks[family].get(check)
        if func is None:
            return f"检查模块 {self.modules[family]} 未提供检查项 '{check}'"
        return func


# ---------------------------------------------------------------- formatting

def format_value(value: Any) -> str:
    """A value as it reads in a Chinese message: dates as 2023年1月16日, lists joined with 、."""
    if value is None:
        return "未识别"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.0%}" if 0 < value < 1 else f"{value:g}"
    if isinstance(value, (list, tuple, set)):
        return "、".join(format_value(v) for v in value)
    return str(value)


class _Fields(dict):
    """Template fields; a missing one stays visible as {name} and is recorded."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.missing: set[str] = set()

    def __missing__(self, key: str) -> str:
        self.missing.add(key)
        return "{" + key + "}"


class _Formatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec and not isinstance(value, str):
            try:
                return format(value, format_spec)
            except (TypeError, ValueError):
                pass
        return format_value(value)


_FORMATTER = _Formatter()


def render(template: str, fields: dict[str, Any]) -> tuple[str, set[str]]:
    """Fill a message template; returns the text and the field names that were missing."""
    mapping = _Fields(fields)
    try:
        text = _FORMATTER.vformat(template, (), mapping)
    except (ValueError, IndexError, AttributeError, KeyError) as exc:
        return template, {f"<模板错误 {exc}>"}
    return text, mapping.missing


# ---------------------------------------------------------------- fingerprints and privacy

def normalise_location(url: str | None) -> str:
    """A URL without scheme, host and port (path + query), so a demo on another port keeps fingerprints."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path or "/"
    return path + (f"?{parts.query}" if parts.query else "")


_ABSOLUTE_URL = re.compile(r"https?://[^\s\x1f|]+")


def fingerprint(rule_id: str, url: str | None, key: str) -> str:
    """Stable finding id: sha1(rule id + normalised location + key), 16 hex chars.

    URLs inside the key are normalised like the location, so the same page keeps its id whatever
    host or port served it (a site moved to https, the demo on another port).
    """
    key = _ABSOLUTE_URL.sub(lambda m: normalise_location(m.group(0)), key or "")
    raw = f"{rule_id}\x1f{normalise_location(url)}\x1f{key}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


_LONG_DIGITS = re.compile(r"\d{11,}[\dXx]?")


def _fallback_redact(text: str) -> str:
    """Used only if checks.privacy.redact cannot be imported: hide the middle of every long digit run."""
    return _LONG_DIGITS.sub(lambda m: m.group(0)[:3] + "*" * (len(m.group(0)) - 7) + m.group(0)[-4:], text)


def _load_redact() -> tuple[Callable[[str], str], str | None]:
    try:
        from checks.privacy.redact import redact
    except Exception as exc:  # noqa: BLE001 — a missing guard must still mask, never crash
        return _fallback_redact, f"checks.privacy.redact 无法加载，已使用保守遮蔽：{type(exc).__name__}: {exc}"
    return redact, None


def _redact_observed(observed: dict[str, Any], redact: Callable[[str], str]) -> dict[str, Any]:
    out = {}
    for key, value in observed.items():
        if isinstance(value, str):
            value = redact(value)
        elif isinstance(value, (list, tuple)):
            value = [redact(v) if isinstance(v, str) else v for v in value]
        out[key] = value
    return out


# ---------------------------------------------------------------- stamping

def stamp(obs: Observation, rule: Any, snapshot: Snapshot, redact: Callable[[str], str],
          columns: dict[str, Any] | None = None) -> tuple[Finding, set[str]]:
    """Turn one Observation of `rule` into a Finding; returns it and any template fields that were missing."""
    if not obs.column_url:
        column = None
    elif columns is not None:
        column = columns.get(obs.column_url)
    else:
        column = snapshot.column(obs.column_url)
    column_name = obs.column_name or (column.name if column else None)
    column_info = None
    if column_name or obs.column_url:
        column_info = {"name": column_name, "url": obs.column_url}
        if column is not None:
            column_info["type"] = column.type
            if getattr(column, "type_reason", None):
                column_info["type_reason"] = column.type_reason     # why the column is of that type
            if column.department:
                column_info["department"] = column.department
    url = obs.url or obs.column_url
    observed = _redact_observed(dict(obs.observed), redact)
    # What the check observed (an article's title, say) wins over the rule's own title.
    fields = {"title": rule.title, "rule_title": rule.title, **dict(rule.params), **observed,
              "column": column_name, "url": url, "location": obs.location, "count": obs.count,
              "evidence": obs.evidence, "id": rule.id, "site_name": snapshot.site_name}
    message, missing = render(rule.message, fields)
    remediation, missing_r = render(rule.remediation, fields)
    finding = Finding(
        id=fingerprint(rule.id, url, obs.key),
        rule=rule.id,
        kind=rule.kind.replace("-", "_"),
        severity=rule.severity,
        title=rule.title,
        confidence=obs.confidence,
        column=column_info,
        url=url,
        message=redact(message),
        remediation=redact(remediation),
        basis=rule.basis,
        evidence=redact(obs.evidence or ""),
        pii_type=obs.pii_type,
        count=obs.count,
        location=obs.location,
        needs_review=obs.needs_review,
        observed=observed,
        first_seen=snapshot.as_of,
    )
    return finding, missing | missing_r


def _unique_ids(findings: list[Finding]) -> None:
    """Two observations at the same location with the same key get distinct ids (location, then a counter)."""
    seen: dict[str, int] = {}
    for finding in findings:
        if finding.id in seen:
            base = fingerprint(finding.rule, finding.url, f"{finding.location or ''}#{seen[finding.id]}")
            seen[finding.id] += 1
            finding.id = base
        else:
            seen[finding.id] = 1


def run_checks(snapshot: Snapshot, ruleset: Any, waivers: Any = None, previous: list[Finding] | None = None,
               previous_first_seen: dict[str, dt.date] | None = None,
               families: dict[str, str] | None = None) -> CheckResult:
    """Run every enabled rule of `ruleset` over `snapshot`.

    `waivers` is a checks.waivers.WaiverSet (or a list of Waiver); `previous` the last run's findings, which
    turns on new / persisting / resolved. `families` overrides the family → module map (tests).
    """
    result = CheckResult()
    lookup = _Families(families or FAMILY_MODULES)
    redact, redact_error = _load_redact()
    columns = {}
    for column in snapshot.columns_:
        columns.setdefault(column.url, column)
    if redact_error:
        result.errors.append(CheckError(None, "privacy", redact_error))
    for rule in ruleset.enabled():
        func = lookup.lookup(rule.family, rule.check)
        if isinstance(func, str):
            result.errors.append(CheckError(rule.id, rule.family, f"{func}，本规则未执行"))
            continue
        stamped: list[Finding] = []
        try:
            for obs in func(snapshot, rule) or ():
                finding, missing = stamp(obs, rule, snapshot, redact, columns)
                if missing:
                    result.errors.append(CheckError(rule.id, rule.family,
                                                    f"提示信息模板缺少字段：{'、'.join(sorted(missing))}"))
                stamped.append(finding)
        except Exception as exc:  # noqa: BLE001 — one failing rule must not stop the others
            tail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            result.errors.append(CheckError(rule.id, rule.family, f"检查执行出错（已跳过本规则）：{tail}"))
            continue
        result.findings.extend(stamped)
    _unique_ids(result.findings)
    _dedupe_errors(result)
    if previous is not None:
        from checks.history import Coverage, classify, split_unverified
        resolved = classify(result.findings, previous, previous_first_seen, as_of=snapshot.as_of)
        coverage = Coverage.of(snapshot)
        coverage.skipped_rules = {e.rule for e in result.errors if e.rule}
        result.resolved, unverified = split_unverified(resolved, coverage)   # not seen is not fixed
        result.findings.extend(unverified)
    if waivers is not None:
        from checks.waivers import apply_waivers
        result.waiver_report = apply_waivers(result.findings, waivers, as_of=snapshot.as_of)
    return result


def _dedupe_errors(result: CheckResult) -> None:
    seen = set()
    unique = []
    for error in result.errors:
        key = (error.rule, error.family, error.message)
        if key not in seen:
            seen.add(key)
            unique.append(error)
    result.errors = unique


def findings_for(snapshot: Snapshot, rules: Iterable[Any]) -> CheckResult:
    """Convenience: run an explicit list of rules (fixtures, `govaudit rules test`)."""
    class _List:
        def __init__(self, items: list[Any]):
            self.items = items

        def enabled(self) -> list[Any]:
            return [r for r in self.items if getattr(r, "enabled", True)]
    return run_checks(snapshot, _List(list(rules)))
