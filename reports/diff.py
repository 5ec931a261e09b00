"""`govaudit diff RUN_A RUN_B`: which findings appeared, were fixed, or persist between two runs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from reports.guard import ReportError, clean
from reports.labels import KIND_ORDER, SEVERITY_ORDER, kind_label, severity_label


@dataclass
class DiffResult:
    """Findings keyed by id: in B only (appeared), in A only (fixed), in both (persisting, B's version)."""

    appeared: list[dict] = field(default_factory=list)
    fixed: list[dict] = field(default_factory=list)
    persisting: list[dict] = field(default_factory=list)


def _key(f: dict) -> tuple:
    column = (f.get("column") or {}).get("name") or ""
    return (SEVERITY_ORDER.get(f.get("severity"), 9), KIND_ORDER.get(f.get("kind"), 99), column,
            f.get("url") or "", str(f.get("id")))


def _open(findings: list[dict], name: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i, f in enumerate(findings):
        if not isinstance(f, dict) or not f.get("id"):
            raise ReportError(f"{name} 第{i + 1}条检查结果缺少问题编号（id），无法比对")
        if f.get("status") in ("resolved", "waived", "dismissed"):
            continue
        out[str(f["id"])] = f
    return out


def diff_findings(a: list[dict], b: list[dict]) -> DiffResult:
    """Compare two runs' findings (findings.json dicts); resolved, waived and dismissed (不成立) ones count as absent.

    An unverified finding (本次未能复查) is still open, so it is never among the fixed."""
    old, new = _open(a, "RUN_A"), _open(b, "RUN_B")
    return DiffResult(appeared=sorted((new[k] for k in new.keys() - old.keys()), key=_key),
                      fixed=sorted((old[k] for k in old.keys() - new.keys()), key=_key),
                      persisting=sorted((new[k] for k in new.keys() & old.keys()), key=_key))


def _line(f: dict) -> str:
    column = (f.get("column") or {}).get("name")
    where = f"「{column}」" if column else (f.get("url") or "")
    text = f.get("message") or f.get("title") or ""
    return clean(f"  - [{severity_label(f.get('severity', ''))}] {kind_label(f.get('kind', ''))} {where} {text}".rstrip())


def render_diff_text(result: DiffResult, label_a: str = "A", label_b: str = "B") -> str:
    """A Chinese plain-text summary: counts, then each group listed by severity."""
    lines = [f"比对运行 {label_a} → {label_b}：新出现 {len(result.appeared)} 个，已整改 {len(result.fixed)} 个，"
             f"仍存在 {len(result.persisting)} 个。"]
    for title, group in (("新出现的问题", result.appeared), ("已整改（本次未再发现）", result.fixed),
                         ("仍存在的问题", result.persisting)):
        lines.append(f"{title}（{len(group)}）：")
        if not group:
            lines.append("  无")
            continue
        by_kind = Counter(kind_label(f.get("kind", "")) for f in group)
        lines.append("  按类型：" + "；".join(f"{k}{n}个" for k, n in by_kind.most_common()))
        lines.extend(_line(f) for f in group)
    return "\n".join(lines) + "\n"
