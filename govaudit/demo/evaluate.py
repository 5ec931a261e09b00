"""Score an audit of the demo portal against its truth manifest: precision and recall per kind.

A planted problem counts as found when a finding of the same kind points at the same place (page,
attachment or column list URL; for personal data also the same type). A finding counts as correct
when some planted problem of its kind sits at its place. Places are compared by path, so the
score does not depend on the port the demo was served on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# The manifest's finer personal-data types all surface as the recognizer's id_card type.
_PII_ALIASES = {"id_card_15": "id_card", "id_card_numeric": "id_card"}
SCORED_KINDS = ("stale_column", "blank_column", "undated_column", "future_date", "category_mismatch",
                "personal_data", "weak_masking", "broken_link")


def _path(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _places(item: dict) -> set[tuple]:
    """Every (kind, place[, pii type]) key an item can be matched on."""
    kind = item["kind"]
    pii = _PII_ALIASES.get(item.get("pii_type") or "", item.get("pii_type"))
    urls = {_path(item.get("url")), _path(item.get("column_url")),
            _path((item.get("column") or {}).get("url"))} - {None}
    if kind == "personal_data":
        return {(kind, url, pii) for url in urls}
    return {(kind, url) for url in urls}


@dataclass
class KindScore:
    planted: int = 0
    found: int = 0
    findings: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.findings if self.findings else 1.0


def score(findings: list[dict], manifest: dict) -> dict[str, KindScore]:
    """Per-kind precision and recall of `findings` (findings.json dicts) against the manifest."""
    planted = [dict(p) for p in manifest["planted"]]
    planted += [{"kind": "broken_link", "url": b["url"] if isinstance(b, dict) else b}
                for b in manifest.get("broken_links", [])]
    scores: dict[str, KindScore] = defaultdict(KindScore)
    planted_keys: set[tuple] = set()
    for item in planted:
        planted_keys |= _places(item)
    found_keys: set[tuple] = set()
    for finding in findings:
        if finding.get("status") == "resolved" or finding["kind"] not in SCORED_KINDS:
            continue
        keys = _places(finding)
        if finding["kind"] == "broken_link":
            keys |= {("broken_link", _path(finding.get("observed", {}).get("target")))}
        found_keys |= keys
        entry = scores[finding["kind"]]
        entry.findings += 1
        if keys & planted_keys:
            entry.correct += 1
        else:
            entry.false_alarms.append(finding.get("url") or "")
    for item in planted:
        entry = scores[item["kind"]]
        entry.planted += 1
        if _places(item) & found_keys:
            entry.found += 1
        else:
            entry.missed.append(f"{item.get('url') or item.get('column_url')} {item.get('note', '')}".strip())
    return dict(scores)


def format_scores(scores: dict[str, KindScore]) -> str:
    lines = [f"{'kind':<18} {'planted':>7} {'found':>6} {'recall':>7} {'findings':>8} {'precision':>9}"]
    for kind in sorted(scores):
        s = scores[kind]
        lines.append(f"{kind:<18} {s.planted:>7} {s.found:>6} {s.recall:>7.2f} {s.findings:>8} {s.precision:>9.2f}")
        lines.extend(f"    missed: {m}" for m in s.missed)
        lines.extend(f"    false alarm: {f}" for f in s.false_alarms)
    return "\n".join(lines)
