"""report.html: one self-contained page (inline CSS, JS and SVG; no network) with a filterable findings table."""

from __future__ import annotations

import math
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from reports.evidence import plain_terms
from reports.guard import assert_clean, write_text
from reports.labels import KIND_LABELS, KIND_ORDER, SEVERITY_LABELS, SEVERITY_ORDER, STATUS_LABELS, kind_label
from reports.model import ReportModel
from reports.section_five import cn_date
from reports.verdict_text import verdict_sentence

TEMPLATES = Path(__file__).parent / "templates"
LABEL_W, PLOT_W, ROW_H = 170, 560, 24
TREND_H, TREND_BAR, TREND_GAP = 220, 40, 60
SEV_COLORS = {"veto": "#c0392b", "major": "#e67e22", "minor": "#f1c40f", "other": "#a6acaf"}


def _freshness_chart(model: ReportModel) -> dict:
    """Horizontal bars on a log scale (ages run from days to years), limit marked per column."""
    values = [v for f in model.freshness for v in (f.age_days, f.limit_days) if v is not None]
    top = math.log1p(max(values, default=1))

    def x(v: int) -> float:
        return round(PLOT_W * math.log1p(max(v, 0)) / top, 1) if top else 0.0

    bars = []
    for i, f in enumerate(model.freshness):
        bars.append({"name": f.name, "y": i * ROW_H + 4, "age": f.age_days, "limit": f.limit_days,
                     "stale": f.stale, "state": f.state, "w": x(f.age_days) if f.age_days is not None else 0,
                     "limit_x": LABEL_W + x(f.limit_days) if f.limit_days is not None else None})
    return {"bars": bars, "label_w": LABEL_W, "width": LABEL_W + PLOT_W + 150,
            "height": max(len(bars) * ROW_H + 10, 30)}


def _trend_chart(model: ReportModel) -> dict:
    """Stacked bars per run: veto / major / minor open findings; a grey part for counts without a severity.

    A run that recognised no column (未能检查) has no bar, only an outline marked 未能检查: its counts are
    not the site's, so the week must read as not examined rather than as a drop or a rise."""
    runs = model.trend

    def parts(run) -> list[tuple[str, int]]:
        graded = [(sev, int(run.counts.get(sev, 0))) for sev in SEVERITY_ORDER]
        rest = int(run.counts.get("total", 0)) - sum(n for _, n in graded)
        return graded + [("other", max(rest, 0))]

    peak = max((sum(n for _, n in parts(r)) for r in runs if r.examined), default=1) or 1
    base, usable = TREND_H - 30, TREND_H - 60
    points = []
    for i, run in enumerate(runs):
        px, y = 50 + i * (TREND_BAR + TREND_GAP), base
        label = run.as_of.strftime("%Y-%m-%d") if hasattr(run.as_of, "strftime") else str(run.as_of)
        if not run.examined:
            points.append({"x": px, "top": base - usable, "segments": [], "total": None, "examined": False,
                           "label": label})
            continue
        segments = []
        for sev, n in parts(run):
            h = round(usable * n / peak, 1)
            y -= h
            segments.append({"y": y, "h": h, "n": n, "color": SEV_COLORS[sev],
                             "label": SEVERITY_LABELS.get(sev, "未分级")})
        points.append({"x": px, "top": y, "segments": segments, "total": sum(s["n"] for s in segments),
                       "examined": True, "label": label})
    return {"points": points, "bar_w": TREND_BAR, "height": TREND_H, "base": base, "usable": usable,
            "width": max(60 + len(runs) * (TREND_BAR + TREND_GAP), 300),
            "unexamined": any(not r.examined for r in runs)}


def render_html(model: ReportModel) -> str:
    from reports.changes import change_groups, change_sentence

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    env.filters["plain"] = plain_terms
    env.filters["kind_label"] = kind_label
    env.filters["cn_date"] = cn_date
    # The problems as the 整改清单 lists them (veto summaries are the verdict above; 待核实 ones are listed apart),
    # and the resolved ones too, so 状态 can filter them.
    seq = {r.finding_id: r.seq for r in model.rows}
    shown = sorted((f for f in model.findings if f.kind != "veto" and not f.needs_review),
                   key=lambda f: seq.get(f.id, len(seq) + 1)) + [f for f in model.resolved if f.kind != "veto"]
    kinds = sorted({f.kind for f in shown}, key=lambda k: (KIND_ORDER.get(k, 99), k))
    text = env.get_template("report.html.j2").render(
        generator=model.generator, site_name=model.site_name, site_url=model.site_url,
        as_of=model.as_of.isoformat(), as_of_cn=cn_date(model.as_of), run=model.run, verdict=model.verdict,
        verdict_text=verdict_sentence(model),
        counts=model.counts, section5=model.section5, findings=shown, kinds=kinds,
        severities=list(SEVERITY_ORDER), statuses=sorted({f.status for f in shown}),
        kind_labels=KIND_LABELS, severity_labels=SEVERITY_LABELS, status_labels=STATUS_LABELS,
        fresh=_freshness_chart(model), trend=_trend_chart(model),
        status=model.status, problems=model.problems, unread=model.unread, headline=model.headline,
        scope=model.scope,
        veto_items=model.veto_items, probe_history=model.probe_history,
        rows={r.finding_id: r for r in model.rows},
        changes=model.changes, change_text=change_sentence(model), change_groups=change_groups(model),
        review=sorted((f for f in model.review if f.id in seq), key=lambda f: seq[f.id]))
    assert_clean(text, "report.html")
    return text


def write_html(model: ReportModel, path: str | Path) -> Path:
    return write_text(path, render_html(model))
