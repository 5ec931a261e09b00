"""Score an audit of the demo portal against its truth manifest: precision and recall per kind.

A finding is matched to the place it claims, never to the column it sits in:
- page and attachment kinds (category mismatch, future date, personal data, weak masking): the same
  page or attachment URL; personal data also the same type, and for an attachment a location that
  overlaps the planted one (the same sheet and rows, page, paragraph or table) when both say where;
- broken links: the same target URL;
- column kinds (stale, blank, undated column): the same column URL.
- the 单项否决 families of issue 14 (govaudit/demo/veto_plants.py): off-site link kinds by the link's target
  (scheme, host and path: the targets are other sites), message and expression kinds by the page or attachment,
  the 留言 list by its column, the 咨询建言 channel by the site; and in the tier the plant expects: a kind
  that is 需人工复核 by design (secrecy markings, a missing channel) matches only a review finding, every
  other kind only a counted one, so a finding in the wrong tier is a false alarm.
A planted problem counts as found when a finding of its kind matches it; a finding counts as correct
when it matches some planted problem. Places are compared by path (the score does not depend on the
port the demo was served on), and a column's `/x/index.html` and `/x/` are one place.
Findings marked 需人工复核 are scored like the others and also counted apart (`review`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# The manifest's finer personal-data types all surface as the recognizer's id_card type.
_PII_ALIASES = {"id_card_15": "id_card", "id_card_numeric": "id_card"}
COLUMN_KINDS = ("stale_column", "blank_column", "undated_column")
LINK_TARGET_KINDS = ("offsite_hijacked", "abolished_link")
VETO_FAMILY_KINDS = (*LINK_TARGET_KINDS, "serious_error", "miswriting", "illegal_content", "hidden_link",
                     "secret_marking", "message_unanswered", "message_late", "message_empty_reply",
                     "message_list_stale", "interaction_channel", "service_entry", "service_guide")
# always 需人工复核 (rules EXP005, INT001, SRV002)
REVIEW_ONLY_KINDS = ("secret_marking", "interaction_channel", "service_guide")
SCORED_KINDS = (*COLUMN_KINDS, "future_date", "category_mismatch", "personal_data", "weak_masking", "broken_link",
                "site_identity", "site_unreachable", "annual_report", *VETO_FAMILY_KINDS)
_INDEX_FILE = re.compile(r"(.*/)index\.(?:s?html?|jsp|php|aspx?)$", re.I)


def _path(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    path = parts.path or "/"
    folded = _INDEX_FILE.match(path)              # a column's /x/index.html and /x/ are one place
    if folded and not parts.query:
        path = folded.group(1)
    return path + (f"?{parts.query}" if parts.query else "")


# ------------------------------------------------------------------------------------ locations
_CELL = re.compile(r"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?")


def _units(location: str | None) -> set[tuple] | None:
    """What a location covers, as comparable units, or None when it says nothing comparable.

    Planted and reported locations are written differently ('低保名单!C2:C11' against
    '低保名单!A2:F2、低保名单!A3:F3'; 'p.1' against '第1页'; 'line 2-7' against 'A2:D2'; '第3-5段' against
    '第3段、第4段'; 'table 1 列 身份证号' against '表1 行2 列4'), so both are reduced to
    (container, row) / ('page', n) / ('paragraph', n) / ('table', n) units.
    """
    if not location:
        return None
    units: set[tuple] = set()
    sheet = ""
    for part in re.split(r"[、,，]\s*(?=\S)", location):
        part = part.strip()
        named, bang, cells = part.rpartition("!")
        if bang:
            sheet = named
        else:
            cells = part                          # 'Sheet!C2,C4:C9': the sheet carries over
        if page := re.fullmatch(r"(?:p\.?\s*|第)(\d+)页?", part):
            units.add(("page", int(page.group(1))))
        elif lines := re.fullmatch(r"(?:line|行)\s*(\d+)(?:\s*-\s*(\d+))?", part):
            first = int(lines.group(1))
            units |= {("row", "", r) for r in range(first, int(lines.group(2) or first) + 1)}
        elif paras := re.fullmatch(r"第(\d+)(?:\s*-\s*(\d+))?段", part):
            first = int(paras.group(1))
            units |= {("paragraph", p) for p in range(first, int(paras.group(2) or first) + 1)}
        elif table := re.match(r"(?:table|表)\s*(\d+)", part):
            units.add(("table", int(table.group(1))))
        elif cell := _CELL.fullmatch(cells):
            first = int(cell.group(2))
            units |= {("row", sheet, r) for r in range(first, int(cell.group(4) or first) + 1)}
        elif bang and cells and re.fullmatch(r"[A-Z0-9:]+", cells) is None:
            return None
    return units or None


def _same_place(planted: str | None, reported: str | None) -> bool:
    """Locations overlap, or one of them does not say where (then the URL alone decides)."""
    a, b = _units(planted), _units(reported)
    if a is None or b is None:
        return True
    if {u[0] for u in a} != {u[0] for u in b}:
        return True                               # described in different terms: not comparable
    return bool(a & b)


# ------------------------------------------------------------------------------------ matching
def _target(url: str | None) -> str | None:
    """An off-site link target as host and path: the place of a link kind (the port never matters)."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def _claim(item: dict) -> tuple | None:
    """(kind, place[, pii type]) that a planted item or a finding is about."""
    kind = item["kind"]
    if kind in LINK_TARGET_KINDS:
        return (kind, _target(item.get("url")))
    if kind in ("interaction_channel", "service_entry"):
        return (kind, "site")
    if kind == "message_list_stale":
        return (kind, _path(item.get("column_url") if "rule" not in item else item.get("url")))
    if kind in COLUMN_KINDS:
        place = _path(item.get("column_url") or (item.get("column") or {}).get("url") or item.get("url"))
        if "observed" in item or "rule" in item:        # a finding: the column it names, i.e. its own URL
            place = _path(item.get("url") or (item.get("column") or {}).get("url"))
        return (kind, place)
    if kind == "broken_link":
        target = (item.get("observed") or {}).get("target") if "rule" in item else item.get("url")
        return (kind, _path(target or item.get("url")))
    place = _path(item.get("url"))
    if place is None:
        return None
    if kind == "personal_data":
        pii = item.get("pii_type")
        return (kind, place, _PII_ALIASES.get(pii or "", pii))
    return (kind, place)


def _matches(finding: dict, planted: dict) -> bool:
    claim = _claim(finding)
    if claim is None or claim != _claim(planted):
        return False
    if finding["kind"] in VETO_FAMILY_KINDS:
        expected_review = bool(planted.get("review")) or finding["kind"] in REVIEW_ONLY_KINDS
        if bool(finding.get("needs_review")) != expected_review:
            return False
    if finding["kind"] == "personal_data" and planted.get("format"):       # an attachment: where in it
        return _same_place(planted.get("location"), finding.get("location"))
    return True


@dataclass
class KindScore:
    planted: int = 0
    found: int = 0
    findings: int = 0
    correct: int = 0
    review: int = 0                              # of `findings`, those marked 需人工复核
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.findings if self.findings else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


# The targets of issue 11 ("Done when" #2) on demo styles nobody tuned on: (kind, measure, at least).
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("stale_column", "f1", 0.97), ("blank_column", "f1", 1.0),
    ("category_mismatch", "f1", 0.85), ("category_mismatch", "precision", 0.9),
    ("personal_data", "precision", 0.99), ("personal_data", "recall", 0.98),
)


def target_failures(scores: dict[str, KindScore]) -> list[str]:
    """The issue's targets these scores miss, each as 'kind measure value < target'."""
    out = []
    for kind, measure, least in TARGETS:
        value = getattr(scores.get(kind, KindScore()), measure)
        if value < least - 1e-9:
            out.append(f"{kind} {measure} {value:.2f} < {least:.2f}")
    return out


def format_targets(scores: dict[str, KindScore]) -> str:
    """One line per target: the measured value, the target, met or missed."""
    lines = []
    for kind, measure, least in TARGETS:
        value = getattr(scores.get(kind, KindScore()), measure)
        lines.append(f"target {kind} {measure}: {value:.2f} (≥ {least:.2f}) {'met' if value >= least - 1e-9 else 'MISSED'}")
    return "\n".join(lines)


def planted_items(manifest: dict) -> list[dict]:
    """Every planted problem of the manifest, broken links and off-site link targets included."""
    planted = [dict(p) for p in manifest["planted"]] + [dict(p) for p in manifest.get("offsite_links", [])]
    planted += [{"kind": "broken_link", "url": b["url"] if isinstance(b, dict) else b}
                for b in manifest.get("broken_links", [])]
    return planted


def score(findings: list[dict], manifest: dict) -> dict[str, KindScore]:
    """Per-kind precision and recall of `findings` (findings.json dicts) against the manifest."""
    planted = planted_items(manifest)
    scores: dict[str, KindScore] = defaultdict(KindScore)
    scored = [f for f in findings if f.get("status") != "resolved" and f["kind"] in SCORED_KINDS]
    by_claim: dict[tuple, list[dict]] = defaultdict(list)
    for item in planted:
        by_claim[_claim(item)].append(item)
    found: set[int] = set()
    for finding in scored:
        entry = scores[finding["kind"]]
        entry.findings += 1
        entry.review += bool(finding.get("needs_review"))
        hits = [item for item in by_claim.get(_claim(finding), ()) if _matches(finding, item)]
        found |= {id(item) for item in hits}
        if hits:
            entry.correct += 1
        else:
            where = finding.get("url") or ""
            extra = " ".join(str(x) for x in (finding.get("pii_type"), finding.get("location")) if x)
            entry.false_alarms.append(f"{where} {extra}".strip())
    for item in planted:
        entry = scores[item["kind"]]
        entry.planted += 1
        if id(item) in found:
            entry.found += 1
        else:
            entry.missed.append(f"{item.get('url') or item.get('column_url')} {item.get('note', '')}".strip())
    return dict(scores)


def format_scores(scores: dict[str, KindScore]) -> str:
    lines = [f"{'kind':<20} {'planted':>7} {'found':>6} {'recall':>7} {'findings':>8} {'review':>6} "
             f"{'precision':>9}"]
    for kind in sorted(scores):
        s = scores[kind]
        lines.append(f"{kind:<20} {s.planted:>7} {s.found:>6} {s.recall:>7.2f} {s.findings:>8} {s.review:>6} "
                     f"{s.precision:>9.2f}")
        lines.extend(f"    missed: {m}" for m in s.missed)
        lines.extend(f"    false alarm: {f}" for f in s.false_alarms)
    return "\n".join(lines)
