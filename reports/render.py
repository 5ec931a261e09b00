"""The entry the conductor calls: stored findings (dicts) and run history in, every report file out.

One bad finding or one failing renderer never costs the report. A finding that cannot be read, or
that makes one renderer fail, is left out of that file only and recorded (stage 'report', with its
rule and page); a renderer that fails whatever the findings is recorded and the others are still
written. Whatever was recorded is shown in the files that were written (检查异常), so the reader
always learns what could not be shown. The files are written in a folder inside `out` and moved into it
together at the end, so a stop while they are written leaves last run's reports untouched, never half a file.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checks.finding import Finding
from crawler.records import Snapshot
from reports import FILENAMES, FORMATS, unexamined, write_reports
from reports.completeness import (
    ProblemView,
    headline,
    problem,
    report_unread_columns,
    run_status,
    tool_errors,
    unreachable_columns,
)
from reports.guard import ReportError
from reports.model import ReportModel, RunSummary, build_report_model
from reports.staging import move_into_place, open_staging

# Halving to find the findings that break a renderer costs a few renders per culprit; past this many
# renders the failure is recorded for the whole file instead.
MAX_ISOLATION_RENDERS = 64


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """A Finding from its to_dict() form (store rows, findings.json), or a ReportError saying what is wrong."""
    if not isinstance(data, dict):
        raise ReportError(f"检查结果格式不正确：{type(data).__name__}")
    try:
        return Finding.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise ReportError(f"检查结果缺少必要字段或字段格式不正确：{exc}") from exc


def run_summary_from_dict(data: dict[str, Any] | RunSummary) -> RunSummary:
    """A RunSummary from {run_id, as_of, findings|total, veto, major, minor, by_kind, examined} (extra keys ignored)."""
    if isinstance(data, RunSummary):
        return data
    as_of = data.get("as_of")
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of[:10])
    counts = {k: int(v) for k, v in (data.get("by_kind") or {}).items()}
    counts.update({k: int(data[k]) for k in ("veto", "major", "minor") if isinstance(data.get(k), int)})
    counts["total"] = int(data.get("total", data.get("findings", 0)) or 0)
    counts.update({k: int(v) for k, v in (data.get("counts") or {}).items()})
    return RunSummary(data.get("run_id"), as_of, counts, examined=data.get("examined") is not False)


@dataclass
class RenderOutcome:
    """What a report run wrote, and what it could not (report-stage problems, to be stored with the run)."""

    files: list[Path] = field(default_factory=list)
    problems: list[ProblemView] = field(default_factory=list)
    status: str = ""
    model: ReportModel | None = None


def _why(exc: BaseException) -> str:
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def _describe(finding: Any) -> tuple[str | None, str | None]:
    """(rule, url) of a finding or of a stored dict, for the problem that says it could not be shown."""
    if isinstance(finding, Finding):
        return finding.rule, finding.url
    if isinstance(finding, dict):
        rule, url = finding.get("rule"), finding.get("url")
        return (str(rule) if rule else None), (str(url) if url else None)
    return None, None


def isolate(items: Sequence[Any], fails: Callable[[list[Any]], bool],
            budget: int = MAX_ISOLATION_RENDERS) -> list[Any] | None:
    """The items whose presence makes `fails` true, found by halving; None when the failure is not theirs.

    None also when the failure persists without the culprits found, or the render budget runs out.
    """
    calls = 0

    def failing(group: list[Any]) -> bool:
        nonlocal calls
        calls += 1
        if calls > budget:
            raise _BudgetSpent
        return fails(group)

    bad: list[Any] = []

    def search(group: list[Any]) -> None:
        if not group or not failing(group):
            return
        if len(group) == 1:
            bad.append(group[0])
            return
        middle = len(group) // 2
        search(group[:middle])
        search(group[middle:])

    try:
        if failing([]):
            return None
        search(list(items))
        if not bad:
            return None
        culprits = {id(item) for item in bad}
        if failing([item for item in items if id(item) not in culprits]):
            return None
    except _BudgetSpent:
        return None
    return bad


class _BudgetSpent(Exception):
    """Isolation took more renders than allowed."""


def render_reports(snapshot: Snapshot, findings: Iterable[dict | Finding], out: str | Path, history=(),
                   previous_section5: str | None = None, profile_departments: dict | None = None,
                   formats=FORMATS, previous_xlsx: str | Path | None = None,
                   crawl_status: str | None = None,
                   known_columns: Iterable[tuple[str | None, str | None]] = ()) -> RenderOutcome:
    """Write every format into `out`, each on its own: one failure is recorded, never fatal to the others.

    The run's recorded errors (snapshot.errors_), its unread columns and every report problem found here
    are shown in each file written. `known_columns` (name, url: the last check's columns) are checked against
    this crawl: those it found linked but could not open are listed as not examined (unreachable_columns). Raises ReportError only when `snapshot` is not a Snapshot or a format
    is unknown (a caller's mistake, not the data's).
    """
    if not isinstance(snapshot, Snapshot):
        raise ReportError("生成报告需要一次检查运行的快照（Snapshot）")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ReportError(f"不支持的报告格式：{'、'.join(unknown)}（可选：{'、'.join(FORMATS)}）")
    out = Path(out)
    outcome = RenderOutcome()
    items: list[Finding] = []
    for data in findings:
        try:
            items.append(data if isinstance(data, Finding) else finding_from_dict(data))
        except ReportError as exc:
            rule, url = _describe(data)
            outcome.problems.append(problem("report", f"一条检查结果无法读取，未在报告中显示：{exc}", rule, url))
    summaries = [run_summary_from_dict(h) for h in history]
    # Report problems of an earlier report of this run are stated afresh below, not repeated.
    recorded = tool_errors(e for e in snapshot.errors_ if e.stage != "report")
    lost = (snapshot.stats or {}).get("store_errors_unrecorded")
    if lost:
        recorded.append(problem("store", f"有{lost}条抓取记录未能保存到数据库，且无法记录其错误；"
                                         "相关页面未经检查，本次抓取按未完成处理。"))
    from checks.interaction import external_platforms
    from reports.scope import scope_notes
    hosted = external_platforms(snapshot)            # judged 由外部平台承载: in 检查范围, not unread
    carried = [(f.column.get("name"), f.column.get("url")) for f in items
               if f.status == "unverified" and isinstance(f.column, dict)]
    unread = report_unread_columns(snapshot) + unreachable_columns(snapshot, [*known_columns, *carried])
    unreachable = sum(c.unreachable for c in unread)
    scope = scope_notes(snapshot, hosted)
    status_of_crawl = crawl_status or str((snapshot.stats or {}).get("status") or "complete")
    # A crawl stopped early is 未完成 whatever it found; one that ran to its end and recognised no column, 未能检查.
    examined = unexamined.portal_examined(snapshot) or status_of_crawl not in ("complete", "finished")
    if not examined:
        items = unexamined.withhold(items)

    blocks: list[tuple] = []

    def verdict_blocks() -> tuple:
        """Built once per report; a failure costs these two blocks only, and is recorded."""
        if not blocks:
            from reports.verdict import build_probe_history, build_veto_verdict
            try:
                blocks.append((build_veto_verdict(snapshot, items, unread), build_probe_history(snapshot)))
            except Exception as exc:  # noqa: BLE001
                outcome.problems.append(problem("report", f"单项否决逐项判定和可访问性监测未能生成：{_why(exc)}"))
                blocks.append((None, None))
        return blocks[0]

    def build(subset: Sequence[Finding]) -> ReportModel:
        current = [f for f in subset if f.status != "resolved"]
        resolved = [f for f in subset if f.status == "resolved"]
        model = build_report_model(snapshot, current, summaries, resolved,
                                   profile_departments=profile_departments, previous_section5=previous_section5)
        problems = recorded + outcome.problems
        model.problems = list(problems)
        model.unread = list(unread)
        model.scope = list(scope)
        model.status = run_status(status_of_crawl, len(problems), len(unread), examined)
        model.headline = headline(model.status, len(problems), len(unread), unreachable)
        model.veto_items, model.probe_history = verdict_blocks()
        if model.status == unexamined.STATUS_NOT_EXAMINED:
            reason = unexamined.no_columns_reason(snapshot)
            model.headline = unexamined.headline(reason, checked_before=model.changes is not None)
            unexamined.mark_model(model, reason)
        return model

    model = _build_whole(build, items, outcome)
    if model is None:
        outcome.status = run_status(status_of_crawl, 1, len(unread), examined)
        return outcome
    with tempfile.TemporaryDirectory(prefix="govaudit-report-") as scratch:
        previous = _stable_previous(out, previous_xlsx, Path(scratch))
        excluded: dict[str, set[int]] = {}
        shown: dict[str, int] = {}
        folder = open_staging(out)
        staging = folder.path if folder else None
        try:
            for fmt in formats:
                _write_one(fmt, build, items, staging or out, previous, Path(scratch), outcome, excluded, shown)
            # Files written before a later problem was recorded are written once more, so each one tells it.
            for fmt in formats:
                if fmt in shown and shown[fmt] < len(outcome.problems):
                    _write_one(fmt, build, items, staging or out, previous, Path(scratch), outcome, excluded, shown,
                               again=True)
            if staging is not None:
                _publish(staging, out, [f for f in formats if f in shown], outcome, shown)
        finally:
            if folder is not None:
                folder.close()
    outcome.model = build(items)
    outcome.status = outcome.model.status
    outcome.files = [out / FILENAMES[f] for f in formats if f in shown]
    return outcome


def _build_whole(build: Callable[[Sequence[Finding]], ReportModel], items: list[Finding],
                 outcome: RenderOutcome) -> ReportModel | None:
    """The model of every finding; findings that make the model itself fail are left out and recorded."""
    try:
        return build(items)
    except Exception as first:  # noqa: BLE001 — one bad finding must not cost the report
        def fails(subset: list[Any]) -> bool:
            try:
                build(subset)
            except Exception:  # noqa: BLE001
                return True
            return False

        culprits = isolate(items, fails)
        if culprits is None:
            outcome.problems.append(problem("report", f"报告内容无法生成，全部报告文件均未写出：{_why(first)}"))
            return None
        for finding in culprits:
            outcome.problems.append(problem("report", f"本条问题的数据有误，未在报告中显示：{_why(first)}",
                                            finding.rule, finding.url))
            items.remove(finding)
        return build(items)


def _publish(staging: Path, out: Path, formats: list[str], outcome: RenderOutcome, shown: dict[str, int]) -> None:
    """Move the finished files into `out` together (reports/staging.py says why); a file that could not be moved is
    recorded and no longer counted as written."""
    failed = move_into_place(staging, out, [FILENAMES[fmt] for fmt in formats])
    for fmt in formats:
        name = FILENAMES[fmt]
        if name in failed:
            exc = failed[name]
            outcome.problems.append(problem("report", f"{name} 未能放入输出目录（目录中如有同名文件，为先前生成的"
                                                      f"版本）：{exc.strerror or exc}"))
            shown.pop(fmt, None)


def _stable_previous(out: Path, previous_xlsx: str | Path | None, scratch: Path) -> Path | None:
    """Last run's list as it was before this run wrote anything (this run overwrites the file in `out`)."""
    candidate = Path(previous_xlsx) if previous_xlsx is not None else out / FILENAMES["xlsx"]
    if not candidate.exists():
        return None
    kept = scratch / "previous-rectification.xlsx"
    shutil.copyfile(candidate, kept)
    return kept


def _write_one(fmt: str, build, items: list[Finding], out: Path, previous: Path | None, scratch: Path,
               outcome: RenderOutcome, excluded: dict[str, set[int]], shown: dict[str, int],
               again: bool = False) -> None:
    """Write one format; on failure find the findings it cannot show, else record the file as not written.

    `shown[fmt]` becomes the number of problems the written file tells, so a file written before a
    later problem was recorded can be written again.
    """
    filename = FILENAMES[fmt]
    not_written = "（目录中如有同名文件，为先前生成的版本）"

    def subset() -> list[Finding]:
        left_out = excluded.get(fmt, set())
        return [f for f in items if id(f) not in left_out]

    def attempt(where: Path) -> ReportModel:
        model = build(subset_now[0])
        known = len(model.problems)
        write_reports(model, where, formats=(fmt,), previous_xlsx=previous)
        for extra in model.problems[known:]:          # what the renderer itself left out (findings.json)
            if extra not in outcome.problems:
                outcome.problems.append(extra)
        return model

    subset_now = [subset()]
    try:
        attempt(out)
    except Exception as exc:  # noqa: BLE001 — one renderer's failure must not stop the others
        if again:
            outcome.problems.append(problem("report", f"{filename} 重新生成失败{not_written}：{_why(exc)}"))
            shown.pop(fmt, None)
            return
        trial = scratch / f"isolate-{fmt}"

        def fails(group: list[Any]) -> bool:
            subset_now[0] = group
            try:
                attempt(trial)
            except Exception:  # noqa: BLE001
                return True
            return False

        culprits = isolate(subset(), fails)
        if culprits is None:
            outcome.problems.append(problem("report", f"{filename} 未能生成{not_written}：{_why(exc)}"))
            return
        excluded.setdefault(fmt, set()).update(id(f) for f in culprits)
        for finding in culprits:
            outcome.problems.append(problem("report", f"本条问题无法在 {filename} 中显示，已从该文件中略去"
                                                      f"（其他报告文件照常列出）：{_why(exc)}", finding.rule,
                                            finding.url))
        subset_now[0] = subset()
        try:
            attempt(out)
        except Exception as retry:  # noqa: BLE001
            outcome.problems.append(problem("report", f"{filename} 未能生成{not_written}：{_why(retry)}"))
            return
    shown[fmt] = len(outcome.problems)


def render_all(snapshot: Snapshot, findings: list[dict | Finding], out: str | Path, history=(),
               previous_section5: str | None = None, profile_departments: dict | None = None,
               formats=FORMATS, previous_xlsx: str | Path | None = None) -> list[Path]:
    """Write every format into `out`; the files written (a failed format is recorded in the others)."""
    return render_reports(snapshot, findings, out, history=history, previous_section5=previous_section5,
                          profile_departments=profile_departments, formats=formats,
                          previous_xlsx=previous_xlsx).files
