"""Build a Snapshot from a rule fixture (tests/rules/<RULE_ID>.yml) and compare findings with its `expect`.

FIXTURE FORMAT (shared by every rule family; one file per rule id):

    rule: UPD001                 # required: the rule id (must exist in the preset, or in `extra` rule files)
    as_of: 2023-01-31            # required: the check date (Snapshot.as_of)
    site: {name: 某县人民政府, url: http://www.example.gov.cn}     # optional, these are the defaults
    params: {max_age_days: 14}   # optional: override the rule's params for every case
    <case name>:                 # every other top-level key is a case; name it fail_… / pass_… as you like
      params: {...}              # optional per-case override (merged over the file-level one)
      site: {url: http://127.0.0.1:18765/}     # optional per-case override of `site`
      columns:                   # ColumnRecord fields; `url` required, `name` required
        - {name: 部门动态, url: /zwdt/bmdt.htm, type: 动态要闻, level: 1, path: 首页/动态,
           items: 3, latest: 2023-01-16, dated_items: 3, blank_marker: 暂无信息}
          # type omitted → inferred from name (rules.column_types.infer_column_type);
          # items / latest / dated_items omitted → computed from this case's pages whose `column` is this url
      pages:                     # PageRecord fields; `column` is the column url; kind: article|list|home|other
        - {url: /info/1002/1.htm, column: /zwdt/bmdt.htm, published: 2023-01-16, title: …, text: …}
      attachments:               # AttachmentRecord fields; `page` is the page url; either `text`
        - {url: /a.xls, page: /info/1.htm, filename: a.xls, media_type: xls,
           segments: [{location: Sheet1!C7, text: "…"}]}        # … or `segments`
      links:                     # LinkRecord: source, target, status, error, kind
        - {source: /index.htm, target: /gone.htm, status: 404}
      errors: [{url: /x.htm, stage: fetch, message: timeout}]
      probes:                    # availability visits (ProbeRecord): one each, or a series per day
        - {probed_at: 2023-01-30T08:00:00, outcome: tls, target: https, detail: certificate verify failed}
        - {from: 2023-01-24, days: 7, per_day: 24, fail: {timeout: 1, http_5xx: 1}}   # 2 of 24 fail each day
      stats: {}                  # Snapshot.stats
      expect:                    # the findings the rule must produce: EXACTLY this many, each matched
        - {column: 部门动态, url: /info/1002/1.htm, observed: {age_days: 15}, count: 2, pii_type: id_card}
      # or `expect: []` (a passing case). Each entry is a partial Finding: only the keys given are compared;
      # `column` compares the column name; `url` is joined with the site url; `observed` is a subset match
      # (dates and numbers compare by their text); any other Finding attribute (kind, severity, location,
      # status, needs_review, evidence_contains, message_contains) may be given too.

Relative URLs are joined with the site url. Placeholders in ANY string are replaced with synthetic data from
checks/privacy/synthetic.py, drawn from a Random seeded by (rule, case) so runs are reproducible:
    ${id18} ${id18_bad} (wrong check char) ${id18_baddate} (impossible birth date) ${id15} ${mobile}
    ${bank} ${bank_bad} (fails Luhn) ${uscc} ${name}
Each placeholder draws a new value; add a label to reuse one inside a case: ${id18:a} … ${id18:a}.
Never write a literal valid ID number into a fixture: use the placeholders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from checks.finding import Finding
from checks.privacy import synthetic
from crawler.records import (
    AttachmentRecord,
    ColumnRecord,
    ErrorRecord,
    LinkRecord,
    PageRecord,
    ProbeRecord,
    Snapshot,
    TextSegment,
)
from rules.column_types import infer_column_type

FIXTURE_DIR = Path(__file__).parent
DEFAULT_SITE = {"name": "示例县人民政府", "url": "http://www.example.gov.cn"}
RESERVED_KEYS = {"rule", "as_of", "site", "params"}

_GENERATORS = {
    "id18": lambda rng: synthetic.id18(rng),
    "id18_bad": lambda rng: synthetic.id18(rng, valid=False),
    "id18_baddate": synthetic.id18_impossible_date,
    "id15": synthetic.id15,
    "mobile": synthetic.mobile,
    "bank": lambda rng: synthetic.bank_card(rng),
    "bank_bad": lambda rng: synthetic.bank_card(rng, valid=False),
    "uscc": synthetic.uscc,
    "name": synthetic.person_name,
}
_PLACEHOLDER = re.compile(r"\$\{(" + "|".join(_GENERATORS) + r")(?::(\w+))?\}")


class FixtureError(Exception):
    """A fixture file is malformed (named with its path so the failing file is obvious)."""


@dataclass
class Case:
    """One named case of a fixture: the snapshot to check, param overrides and the expected findings."""

    name: str
    snapshot: Snapshot
    params: dict[str, Any]
    expect: list[dict[str, Any]]


@dataclass
class Fixture:
    path: Path
    rule: str
    as_of: dt.date
    cases: list[Case] = field(default_factory=list)


class Expander:
    """Replaces ${…} placeholders with seeded synthetic values; labelled ones are reused."""

    def __init__(self, seed_key: str):
        self.rng = random.Random(zlib.crc32(seed_key.encode("utf-8")))
        self.labelled: dict[tuple[str, str], str] = {}

    def text(self, value: str) -> str:
        def draw(match: re.Match) -> str:
            kind, label = match.group(1), match.group(2)
            if label is None:
                return _GENERATORS[kind](self.rng)
            key = (kind, label)
            if key not in self.labelled:
                self.labelled[key] = _GENERATORS[kind](self.rng)
            return self.labelled[key]
        return _PLACEHOLDER.sub(draw, value)

    def walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.walk(v) for v in value]
        if isinstance(value, dict):
            return {k: self.walk(v) for k, v in value.items()}
        return value


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise FixtureError(f"{where}: not a date: {value!r}") from exc


def _fields(cls, data: dict, where: str, renames: dict[str, str] | None = None) -> dict:
    known = {f.name for f in dataclasses.fields(cls)}
    out = {}
    for key, value in data.items():
        key = (renames or {}).get(key, key)
        if key not in known:
            raise FixtureError(f"{where}: unknown field {key!r} for {cls.__name__}")
        out[key] = value
    return out


def build_snapshot(case: dict, as_of: dt.date, site: dict | None = None, where: str = "") -> Snapshot:
    """The Snapshot a case describes (placeholders must already be expanded)."""
    site = {**DEFAULT_SITE, **(site or {})}
    base = site["url"].rstrip("/") + "/"

    def absolute(url: str | None) -> str | None:
        return urljoin(base, str(url)) if url is not None else None

    pages = []
    for i, raw in enumerate(case.get("pages") or []):
        data = _fields(PageRecord, raw, f"{where}.pages[{i}]", {"column": "column_url"})
        data["url"] = absolute(data.get("url") or f"/page-{i}.htm")
        data["column_url"] = absolute(data.get("column_url"))
        for key in ("published", "written"):
            data[key] = _date(data.get(key), f"{where}.pages[{i}].{key}")
        pages.append(PageRecord(**data))

    columns = []
    for i, raw in enumerate(case.get("columns") or []):
        data = _fields(ColumnRecord, raw, f"{where}.columns[{i}]")
        if "url" not in data or "name" not in data:
            raise FixtureError(f"{where}.columns[{i}]: a column needs url and name")
        data["url"] = absolute(data["url"])
        data["list_urls"] = [absolute(u) for u in data.get("list_urls") or [data["url"]]]
        if "type" not in data:
            data["type"], data["type_source"] = infer_column_type(data["name"])
        own = [p for p in pages if p.column_url == data["url"] and p.kind != "list"]
        dates = [p.published for p in own if p.published is not None]
        data.setdefault("items", len(own))
        data.setdefault("dated_items", len(dates))
        data["latest"] = _date(data["latest"], f"{where}.columns[{i}].latest") if "latest" in data else (
            max(dates) if dates else None)
        columns.append(ColumnRecord(**data))

    attachments = []
    for i, raw in enumerate(case.get("attachments") or []):
        raw = dict(raw)
        text = raw.pop("text", None)
        data = _fields(AttachmentRecord, raw, f"{where}.attachments[{i}]", {"page": "page_url"})
        data["url"] = absolute(data.get("url") or f"/attachment-{i}.bin")
        data["page_url"] = absolute(data.get("page_url"))
        segments = [TextSegment(**s) for s in data.get("segments") or []]
        if text is not None:
            segments.append(TextSegment(location="p.1", text=str(text)))
        data["segments"] = segments
        attachments.append(AttachmentRecord(**data))

    links = []
    for i, raw in enumerate(case.get("links") or []):
        data = _fields(LinkRecord, raw, f"{where}.links[{i}]", {"source": "source_url", "target": "target_url"})
        data["source_url"], data["target_url"] = absolute(data["source_url"]), absolute(data["target_url"])
        links.append(LinkRecord(**data))

    errors = [ErrorRecord(**_fields(ErrorRecord, e, f"{where}.errors")) for e in case.get("errors") or []]
    return Snapshot(site_name=site["name"], site_url=site["url"], as_of=as_of, columns_=columns,
                    pages_=pages, attachments_=attachments, links_=links, errors_=errors,
                    stats=dict(case.get("stats") or {}), probes_=_probes(case.get("probes") or [], site, where))


def _probes(items: list, site: dict, where: str) -> list[ProbeRecord]:
    """Probe visits: single ones ({at, outcome, target, status}) or a series ({from, days, per_day, fail}),
    where `fail` maps an outcome to how many of each day's visits end that way (the rest are ok)."""
    out: list[ProbeRecord] = []
    for i, raw in enumerate(items):
        raw = dict(raw)
        if "from" in raw:
            first = _date(raw["from"], f"{where}.probes[{i}].from")
            per_day = int(raw["per_day"])
            fails = [kind for kind, n in (raw.get("fail") or {}).items() for _ in range(int(n))]
            for d in range(int(raw.get("days", 7))):
                start = dt.datetime.combine(first + dt.timedelta(days=d), dt.time())
                for n in range(per_day):
                    outcome = fails[n] if n < len(fails) else "ok"
                    out.append(ProbeRecord(start + dt.timedelta(minutes=n * (1440 // per_day)), site["url"],
                                           raw.get("target", "home"), outcome, 200 if outcome == "ok" else None,
                                           300, None, site["url"]))
            continue
        data = _fields(ProbeRecord, raw, f"{where}.probes[{i}]")
        at = data["probed_at"]
        data["probed_at"] = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(str(at))
        data.setdefault("url", site["url"])
        out.append(ProbeRecord(**data))
    out.sort(key=lambda p: p.probed_at)
    return out


def load_fixture(path: Path) -> Fixture:
    """Parse one fixture file into its cases (snapshots built, placeholders expanded)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict) or "rule" not in data or "as_of" not in data:
        raise FixtureError(f"{path}: a fixture needs top-level `rule` and `as_of`")
    as_of = _date(data["as_of"], f"{path}:as_of")
    fixture = Fixture(path=path, rule=str(data["rule"]), as_of=as_of)
    for name, raw in data.items():
        if name in RESERVED_KEYS:
            continue
        if not isinstance(raw, dict) or "expect" not in raw:
            raise FixtureError(f"{path}: case {name!r} needs an `expect` list ([] for a passing case)")
        expanded = Expander(f"{fixture.rule}/{name}").walk(raw)
        where = f"{path.name}:{name}"
        site = {**(data.get("site") or {}), **(expanded.get("site") or {})}     # a case may serve another site
        snapshot = build_snapshot(expanded, as_of, site, where)
        params = {**(data.get("params") or {}), **(expanded.get("params") or {})}
        expect = expanded["expect"] or []
        if not isinstance(expect, list):
            raise FixtureError(f"{where}: expect must be a list")
        fixture.cases.append(Case(name=name, snapshot=snapshot, params=params, expect=expect))
    return fixture


def _same(expected: Any, actual: Any) -> bool:
    if expected == actual:
        return True
    if isinstance(expected, (dict, list)) or isinstance(actual, (dict, list)):
        return False
    if isinstance(actual, dt.date):
        actual = actual.isoformat()
    if isinstance(expected, dt.date):
        expected = expected.isoformat()
    return str(expected) == str(actual)


def match_one(expected: dict, finding: Finding, site_url: str) -> list[str]:
    """The keys of `expected` the finding does not satisfy (empty list = match)."""
    misses = []
    for key, want in expected.items():
        if key == "column":
            got = (finding.column or {}).get("name")
        elif key == "url":
            want = urljoin(site_url.rstrip("/") + "/", str(want))
            got = finding.url
        elif key == "observed":
            bad = [k for k, v in (want or {}).items() if k not in finding.observed or not _same(v, finding.observed[k])]
            if bad:
                misses.append(f"observed{bad}: want {want}, got {finding.observed}")
            continue
        elif key == "evidence_contains":
            if str(want) not in finding.evidence:
                misses.append(f"evidence lacks {want!r}: {finding.evidence!r}")
            continue
        elif key == "message_contains":
            if str(want) not in finding.message:
                misses.append(f"message lacks {want!r}: {finding.message!r}")
            continue
        elif hasattr(finding, key):
            got = getattr(finding, key)
        else:
            misses.append(f"unknown expect key {key!r}")
            continue
        if not _same(want, got):
            misses.append(f"{key}: want {want!r}, got {got!r}")
    return misses


def compare(findings: list[Finding], expect: list[dict], site_url: str) -> list[str]:
    """Problems found comparing findings with the expectation: exact count, each entry matched once."""
    problems = []
    remaining = list(findings)
    for entry in expect:
        hit = next((f for f in remaining if not match_one(entry, f, site_url)), None)
        if hit is None:
            near = [match_one(entry, f, site_url) for f in remaining]
            problems.append(f"no finding matches {entry}; closest misses: {near[:3]}")
        else:
            remaining.remove(hit)
    for finding in remaining:
        problems.append(f"unexpected finding: {finding.rule} column={finding.column} url={finding.url} "
                        f"observed={finding.observed}")
    return problems


def fixture_files() -> list[Path]:
    """Every fixture file (tests/rules/*.yml)."""
    return sorted(FIXTURE_DIR.glob("*.yml"))
