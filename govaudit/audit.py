"""The conductor: runs crawl → check → report in order, and the small helpers the CLI needs.

Each stage can run alone (a stored run can be re-checked with new rules, a checked run re-reported)
because everything a later stage reads is in the store. This module owns no logic of its own
beyond wiring: what a page means is crawler/, what is wrong is checks/, how it reads is reports/.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from crawler.errors import AuditError, StoreError
from crawler.records import ErrorRecord
from crawler.store import Store
from reports.completeness import STATUS_COMPLETE, STATUS_NOT_EXAMINED

SEVERITY_RANK = {"minor": 1, "major": 2, "veto": 3}


@dataclass
class AuditResult:
    site_url: str
    run_id: int
    crawl_status: str
    stats: dict
    findings: list = field(default_factory=list)      # open findings (new, persisting)
    resolved: list = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    error: str | None = None
    previous_run_id: int | None = None                 # the run this one was compared with (None: first check)
    status: str = ""                                   # 完整 | 有检查异常 | 未完成 (reports/completeness.py)
    problems: list = field(default_factory=list)       # failures of the tool (ProblemView): 检查异常
    unread: list = field(default_factory=list)         # columns not read to the end (UnreadColumn)
    fetch_failures: int = 0                            # pages the site did not deliver: a crawl statistic
    as_of: dt.date | None = None                       # the check date, which a resumed audit must repeat


# ---------------------------------------------------------------------------- store
def open_store(location: str | Path) -> Store:
    """A store (file or database server) whose every written text passes through the privacy tokeniser,
    and whose every address has any personal part masked."""
    from checks.privacy.redact import tokenize
    from checks.privacy.structure import store_url
    return Store(location, redactor=tokenize, url_redactor=store_url)


def resolve_run(store: Store, run: str | int | None) -> int:
    if run in (None, "latest"):
        info = store.latest_run()
        if info is None:
            raise StoreError("数据库中还没有任何运行记录。请先运行 govaudit audit 或 govaudit crawl。")
        return info.id
    try:
        return store.run(int(run)).id
    except ValueError:
        raise StoreError(f"运行编号应为数字：{run!r}。可用 govaudit runs 查看已有记录。") from None


def resolve_resume(store: Store, run: str, url: str | None) -> int:
    if run == "latest":
        info = store.latest_run(url, statuses=("running", "incomplete"))
        if info is None:
            raise StoreError("没有可继续的未完成爬取。")
        return info.id
    info = store.run(resolve_run(store, run))
    if info.status == "complete":
        raise StoreError(f"运行 {info.id} 已完成，无需继续。")
    return info.id


# ---------------------------------------------------------------------------- stages
def crawl_only(store: Store, url: str | None, as_of: dt.date | None, resume_run_id: int | None = None,
               **options):
    from crawler.run import run_crawl

    if resume_run_id is not None:
        info = store.run(resume_run_id)
        url, as_of = info.site_url, info.as_of
    return run_crawl(url, store.location, as_of, resume_run_id=resume_run_id, redactor=store.redactor,
                     url_redactor=store.url_redactor, **options)


def load_rules(rules: list[str] | None):
    from rules.loader import load_ruleset
    return load_ruleset(extra=[Path(p) for p in rules or ()])


@dataclass
class CheckOutcome:
    findings: list                  # open: new / persisting / waived
    resolved: list
    errors: list
    waiver_report: object = None
    previous_run_id: int | None = None


def check_run(store: Store, run_id: int, rules=None, waivers=None, as_of: dt.date | None = None,
              dismissed: dict[str, str] | None = None) -> CheckOutcome:
    """Run every enabled rule on a stored run, classify against the site's previous run, store the result.

    `dismissed` (finding id → note) are the rows the clerk marked 不成立 in the last 整改清单 (checks/waivers.py).
    """
    from checks.annual.portal import join_portal_reports
    from checks.engine import run_checks
    from checks.finding import Finding
    from checks.waivers import load_waivers

    snapshot = store.load_snapshot(run_id, as_of=as_of)
    ruleset = load_rules(rules)
    # Site facts of the profile the run was crawled with (leaders for EXP001: crawler/profile.py).
    from crawler.profile import apply_profile_file
    ruleset = apply_profile_file(ruleset, store.run(run_id).settings.get("profile"))
    waiver_list = load_waivers(Path(waivers), known_rules={r.id for r in ruleset.enabled()}) if waivers else None
    previous_run = comparison_run(store, snapshot.site_url, run_id)
    previous = [Finding.from_dict(d) for d in store.findings(previous_run.id)] if previous_run else []
    result = run_checks(snapshot, ruleset, waivers=waiver_list, previous=previous)
    join_portal_reports(snapshot, result, previous)     # the portal's own 年报 column (checks/annual/portal.py)
    from checks.waivers import apply_dismissals
    apply_dismissals(result.findings, dismissed)
    store.save_findings(run_id, [f.to_dict() for f in result.findings + result.resolved])
    # A rule that did not run is stored with the run, so every report and summary says so.
    store.replace_errors(run_id, "check", [check_error_record(e) for e in result.errors])
    store.update_stats(run_id, checked=True)
    return CheckOutcome(findings=result.findings, resolved=result.resolved, errors=result.errors,
                        waiver_report=result.waiver_report,
                        previous_run_id=previous_run.id if previous_run else None)


def comparison_run(store: Store, site_url: str, run_id: int):
    """The run this one is compared with: the latest complete earlier run that recognised a column. A run that
    recognised none (未能检查: a maintenance week) examined nothing, so it neither fixed nor confirmed anything;
    comparing with it would call every problem of the week before it new again, their deadlines restarted."""
    for info in reversed(store.runs(site_url)):
        if info.id < run_id and info.status == "complete" and store.column_names(info.id):
            return info
    return None


def check_error_record(error) -> ErrorRecord:
    """A CheckError as the store keeps it (stage 'check', with the rule; the family named in the message)."""
    family = f"（检查类别 {error.family}）" if error.family and not error.rule else ""
    return ErrorRecord(url=None, stage="check", message=f"{error.message}{family}", rule=error.rule)


def report_run(store: Store, run_id: int, out: Path, previous_section5: str | None = None) -> list[Path]:
    """Write every report of a checked run into `out`; the files written (see report_outcome)."""
    return report_outcome(store, run_id, out, previous_section5=previous_section5).files


def report_outcome(store: Store, run_id: int, out: Path, previous_section5: str | None = None):
    """Write every report of a checked run into `out`; returns reports.render.RenderOutcome.

    The clerk's edits to last week's 整改清单 (整改状态) carry over: the previous list is taken from
    `out` itself when it is reused, else from where the site's previous run wrote its reports. What
    could not be written is stored with the run (stage 'report') and its status kept in its stats.
    """
    from reports.render import render_reports

    if not store.run(run_id).stats.get("checked") and not store.counts(run_id)["findings"]:
        check_run(store, run_id)
    snapshot = store.load_snapshot(run_id)
    stored = store.findings(run_id)
    runs = [info for info in store.runs(snapshot.site_url) if info.id <= run_id and info.status == "complete"]
    history = [_run_summary(store, info) for info in runs]
    previous_text = Path(previous_section5).read_text(encoding="utf-8") if previous_section5 else None
    previous_xlsx = previous_list(store, run_id, out)
    compared = comparison_run(store, snapshot.site_url, run_id)          # as check_run compares
    outcome = render_reports(snapshot, stored, out, history=history, previous_section5=previous_text,
                             previous_xlsx=previous_xlsx if previous_xlsx and previous_xlsx.exists() else None,
                             known_columns=store.column_names(compared.id) if compared else ())
    store.replace_errors(run_id, "report", [ErrorRecord(p.url, "report", p.message, p.rule)
                                            for p in outcome.problems])
    model = outcome.model
    store.update_stats(run_id, report_dir=str(out.resolve()), check_status=outcome.status,
                       tool_errors=len(model.problems) if model else len(outcome.problems),
                       unread_column_count=len(model.unread) if model else 0)
    return outcome


def previous_list(store: Store, run_id: int, out: Path) -> Path | None:
    """Last week's 整改清单 as the clerk left it: in `out` when reused, else where the previous run reported."""
    candidate = out / "rectification.xlsx"
    if not candidate.exists():
        site = store.run(run_id).site_url
        earlier = [info for info in store.runs(site) if info.id < run_id and info.status == "complete"
                   and info.stats.get("report_dir")]
        candidate = Path(earlier[-1].stats["report_dir"]) / "rectification.xlsx" if earlier else None
    return candidate if candidate and candidate.exists() else None


def _run_summary(store: Store, info) -> dict:
    """An earlier run for the trend, counted by the same rule as this run's reports."""
    from reports.tally import tally

    counted = tally(store.findings(info.id))
    return {"run_id": info.id, "as_of": info.as_of.isoformat(), "findings": counted.total,
            "by_kind": counted.by_kind, **counted.by_severity,
            "examined": bool(store.column_names(info.id))}      # 未能检查 (no column): no week in the trend


@dataclass
class StoredCrawl:
    """A crawl already complete in the store (a re-run of the same site and date does not crawl again)."""

    run_id: int
    status: str
    stats: dict


def audit_site(store: Store, url: str, as_of: dt.date, out: Path, rules=None, waivers=None,
               previous_section5=None, resume_incomplete: bool = False, **options) -> AuditResult:
    """Crawl, check and report one site. With `resume_incomplete`, continue this date's unfinished run."""
    crawl = None
    if resume_incomplete:
        same_day = [info for info in store.runs(url) if info.as_of == as_of]
        if same_day and same_day[-1].status in ("running", "incomplete"):
            crawl = crawl_only(store, None, None, resume_run_id=same_day[-1].id, **options)
        elif same_day and same_day[-1].status == "complete":
            info = same_day[-1]
            crawl = StoredCrawl(info.id, info.status, dict(info.stats, **store.counts(info.id)))
    if crawl is None:
        crawl = crawl_only(store, url, as_of, **options)
    return check_and_report(store, url, crawl, out, rules=rules, waivers=waivers,
                            previous_section5=previous_section5)


def check_and_report(store: Store, url: str, crawl, out: Path, rules=None, waivers=None,
                     previous_section5=None) -> AuditResult:
    """Check a crawled run and write its reports; the result says how whole the check is."""
    from reports.unexamined import withhold
    from reports.xlsx import dismissals

    listed = previous_list(store, crawl.run_id, out)
    outcome = check_run(store, crawl.run_id, rules=rules, waivers=waivers,
                        dismissed=dismissals(listed) if listed else None)
    record_no_columns_reason(store, crawl.run_id)
    written = report_outcome(store, crawl.run_id, out, previous_section5=previous_section5)
    model = written.model
    if written.status == STATUS_NOT_EXAMINED:        # the reports' counts, not the raw checks' (reports/unexamined.py)
        outcome.findings, outcome.resolved = withhold(outcome.findings + outcome.resolved), []
    fetch = sum(1 for e in store.load_snapshot(crawl.run_id).errors_ if e.stage == "fetch") if model else 0
    problems = model.problems if model else written.problems
    stats = dict(crawl.stats)
    if store.run(crawl.run_id).stats.get("no_columns_reason"):
        stats["no_columns_reason"] = store.run(crawl.run_id).stats["no_columns_reason"]
    return AuditResult(site_url=url, run_id=crawl.run_id, crawl_status=crawl.status, stats=stats,
                       findings=outcome.findings, resolved=outcome.resolved, files=written.files,
                       previous_run_id=outcome.previous_run_id, status=written.status, problems=list(problems),
                       unread=list(model.unread) if model else [], fetch_failures=fetch,
                       as_of=store.run(crawl.run_id).as_of)


def record_no_columns_reason(store: Store, run_id: int) -> None:
    """A complete crawl that recognised no column: why, from one more look at the home page, kept with the run
    (govaudit/no_columns.py) so every report of it, now or re-rendered later, says it."""
    info = store.run(run_id)
    if info.status != "complete" or info.stats.get("no_columns_reason") or store.column_names(run_id):
        return
    from govaudit.no_columns import diagnose

    store.update_stats(run_id, no_columns_reason=diagnose(info.site_url))


# ---------------------------------------------------------------------------- exit codes and summaries
EXIT_OK, EXIT_FINDINGS, EXIT_UNREACHABLE, EXIT_NOT_WHOLE = 0, 1, 3, 4
# Several sites: the most urgent code wins. An alarm (1) is never hidden behind "not whole" (4).
_EXIT_URGENCY = {EXIT_OK: 0, EXIT_NOT_WHOLE: 1, EXIT_FINDINGS: 2, EXIT_UNREACHABLE: 3}


def exit_code_for(findings, fail_on: str) -> int:
    """1 when an open, confirmed problem reaches `fail_on`; a 待核实 (needs-review) finding never raises an alarm."""
    threshold = SEVERITY_RANK[fail_on]
    for finding in findings:
        severity = finding.severity if hasattr(finding, "severity") else finding["severity"]
        status = finding.status if hasattr(finding, "status") else finding.get("status")
        review = finding.needs_review if hasattr(finding, "needs_review") else finding.get("needs_review")
        if review:
            continue
        if status in ("new", "persisting", "unverified") and SEVERITY_RANK.get(severity, 0) >= threshold:
            return EXIT_FINDINGS
    return EXIT_OK


def result_exit_code(result: AuditResult, fail_on: str) -> int:
    """3 unreachable; 1 problems at or above --fail-on; 4 reports written but the check not whole; else 0."""
    if result.error or result.status == STATUS_NOT_EXAMINED:
        return EXIT_UNREACHABLE
    code = exit_code_for(result.findings, fail_on)
    if code == EXIT_OK and result.status and result.status != STATUS_COMPLETE:
        return EXIT_NOT_WHOLE
    return code


def exit_code(results: list[AuditResult], fail_on: str) -> int:
    codes = [result_exit_code(r, fail_on) for r in results]
    return max(codes, key=_EXIT_URGENCY.__getitem__) if codes else EXIT_OK


def list_coverage_line(stats: dict) -> str | None:
    """「列表共列出文章N篇，已抓取M篇（xx%）」 from the crawl's list coverage (crawler/spiders/portal.py), floored
    so that an incomplete crawl never reads 100%."""
    coverage = stats.get("list_coverage") or {}
    listed, fetched = coverage.get("listed") or 0, coverage.get("fetched") or 0
    if not listed:
        return None
    percent = f"{int(fetched * 1000 // listed) / 10:g}%"
    unread = coverage.get("incomplete_columns") or 0
    return (f"  列表共列出文章{listed}篇，已抓取{fetched}篇（{percent}）"
            + (f"；{unread}个栏目的列表未能读完，已标注。" if unread else "。"))


def resume_hint(url: str, as_of: dt.date | str | None, run_ids: list[int]) -> str:
    """How to go on after an early stop: the same-day audit resumes the run and writes the reports."""
    date = f" --as-of {as_of}" if as_of else ""
    runs = "、".join(str(r) for r in run_ids)
    crawl = f"；或用 govaudit crawl --resume {run_ids[0]} 只继续抓取，再用 govaudit report {run_ids[0]} 生成报告" \
        if len(run_ids) == 1 else ""
    return (f"继续检查：govaudit audit {url}{date} --resume-incomplete（继续运行 {runs} 的抓取并重新生成报告，"
            f"已抓取的页面不再重复抓取{crawl}；--db、--out 等参数请与本次相同）。")


def early_stop_lines(result: AuditResult) -> list[str]:
    """Why the crawl ended early (a signal, --max-minutes, --max-pages) and how to continue it, or nothing."""
    from crawler.run import signal_words

    stats = result.stats or {}
    if stats.get("interrupted_by"):
        why = f"抓取因收到{signal_words(stats['interrupted_by'])}提前停止"
    elif stats.get("stopped_by") == "max_minutes":
        why = "抓取已达到时间上限（--max-minutes）提前停止"
    elif stats.get("stopped_by") == "max_pages":
        why = "抓取已达到页数上限（--max-pages）提前停止"
    elif result.crawl_status == "incomplete":
        why = "抓取未完成"
    else:
        return []
    return [f"  {why}；已抓取的页面均已保存，报告依据已抓取的内容生成，未读完的栏目已注明原因，不作判定。",
            "  " + resume_hint(result.site_url, result.as_of, [result.run_id])]


def summarise(result: AuditResult, fmt: str = "text") -> str:
    """The run in a few lines (or JSON), counted by reports/tally.py exactly as every report counts."""
    from reports.completeness import STAGE_LABELS, by_stage
    from reports.labels import kind_label
    from reports.tally import changes, tally

    counted = tally(result.findings)
    changed = changes(list(result.findings) + list(result.resolved))     # 本周变化, as every report counts it
    stages = by_stage(result.problems)
    if fmt == "json":
        return json.dumps({"run_id": result.run_id, "site": result.site_url, "crawl_status": result.crawl_status,
                           "status": result.status, "stats": result.stats, "findings": counted.total,
                           "by_kind": counted.by_kind, "by_severity": counted.by_severity,
                           "needs_review": counted.needs_review,
                           "veto": {"passed": counted.verdict.passed, "triggered": counted.verdict.triggered,
                                    "pending": counted.verdict.pending},
                           "resolved": changed.fixed, "fetch_failures": result.fetch_failures,
                           "changes": changed.as_dict() if result.previous_run_id is not None else None,
                           "errors": [p.to_dict() for p in result.problems], "errors_by_stage": stages,
                           "unread_columns": [c.to_dict() for c in result.unread],
                           "files": [str(p) for p in result.files]},
                          ensure_ascii=False, indent=2, default=str)
    unreachable = [c for c in result.unread if getattr(c, "unreachable", False)]
    unread = [c for c in result.unread if not getattr(c, "unreachable", False)]
    crawl = "未完成" if result.crawl_status != "complete" else \
        f"结束（有{len(unreachable)}个栏目无法访问）" if unreachable else "完整"
    if result.status == STATUS_NOT_EXAMINED:
        return "\n".join(not_examined_lines(result))
    lines = [
        f"检查结束：{result.site_url}（运行编号 {result.run_id}，爬取{crawl}，检查状态：{result.status or '未知'}）",
        f"  抓取页面 {result.stats.get('pages', 0)} 个，栏目 {result.stats.get('columns', 0)} 个，"
        f"附件 {result.stats.get('attachments', 0)} 个；网站未能正常响应的页面 {result.fetch_failures} 个（计入抓取统计）。",
        f"  {counted.sentence()}。",
    ]
    if result.previous_run_id is not None:
        lines.append(f"  {changed.sentence()}。")
    lines[2:2] = [x for x in (list_coverage_line(result.stats),) if x]
    for kind, count in sorted(counted.by_kind.items(), key=lambda kv: -kv[1]):
        lines.append(f"    {kind_label(kind)}：{count} 项")
    if result.problems:
        parts = "，".join(f"{STAGE_LABELS.get(stage, stage)} {n} 项" for stage, n in stages.items())
        lines.append(f"  检查异常 {len(result.problems)} 项（{parts}），详见报告“检查异常”部分：")
        for p in result.problems[:10]:
            where = " ".join(x for x in (p.rule or "", p.url or "") if x)
            lines.append(f"    [{p.stage_label}] {where + '：' if where else ''}{p.message}")
        if len(result.problems) > 10:
            lines.append(f"    ……另有 {len(result.problems) - 10} 项")
    if unread:
        lines.append(f"  未检查完的栏目 {len(unread)} 个（未作判定）：" +
                     "、".join(f"{c.name}（{c.reason}）" for c in unread[:5]) + ("等" if len(unread) > 5 else ""))
    if unreachable:
        lines.append(f"  本次无法访问、未能检查的栏目 {len(unreachable)} 个：" +
                     "、".join(f"{c.name}（{c.reason.split('，本次未能检查')[0]}）" for c in unreachable[:5]) +
                     ("等" if len(unreachable) > 5 else "") + "；这些栏目上次检查发现的问题列为“本次未能复查”，不作已整改认定。")
    if result.status and result.status != STATUS_COMPLETE:
        lines.append("  本次检查不完整，问题统计可能偏少；处理上述异常后请重新检查。")
    lines.extend(early_stop_lines(result))
    if result.files:
        lines.append("  报告文件：")
        lines.extend(f"    {path}" for path in result.files)
    return "\n".join(lines)


def not_examined_lines(result: AuditResult) -> list[str]:
    """The run summary of a portal whose columns could not be recognised: no counts, no verdict, the reason."""
    from reports.unexamined import GENERIC_REASON

    stats = result.stats or {}
    reason = stats.get("no_columns_reason") or GENERIC_REASON
    lines = [f"检查未能完成：{result.site_url}（运行编号 {result.run_id}，检查状态：{STATUS_NOT_EXAMINED}）",
             f"  抓取页面 {stats.get('pages', 0)} 个，未识别到网站栏目，网站内容未经检查。原因：{reason}。",
             "  本次不作问题计数和单项否决判定；本次发现的情况均列为待核实事项" +
             ("，上次检查发现的问题列为“本次未能复查”。" if result.previous_run_id is not None else "。"),
             "  请核实网站首页地址和网站运行情况后重新检查；栏目由脚本生成的，可在站点配置（--profile）中补充栏目入口。"]
    if result.files:
        lines.append("  报告文件（说明未能检查的原因）：")
        lines.extend(f"    {path}" for path in result.files)
    return lines


def describe_findings(findings) -> str:
    if not findings:
        return "未发现问题。"
    ordered = sorted(findings, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.kind, f.url or ""))
    return "\n".join(f"[{f.severity}] {f.rule} {f.message}" for f in ordered)


def describe_runs(store: Store, url: str | None) -> str:
    from reports.tally import tally

    runs = store.runs(url)
    if not runs:
        return "没有运行记录。"
    status_names = {"complete": "完成", "running": "未完成（可继续）", "incomplete": "未完成（可继续）",
                    "failed": "失败"}
    lines = ["编号  检查日期    状态              页面   问题  网站"]
    for info in runs:
        counts = store.counts(info.id)
        open_count = tally(store.findings(info.id)).total
        lines.append(f"{info.id:<5} {info.as_of}  {status_names.get(info.status, info.status):<16}"
                     f"{counts['pages']:>5}  {open_count:>4}  {info.site_url}")
    return "\n".join(lines)


def describe_diff(store: Store, run_a: str, run_b: str) -> str:
    from reports.diff import diff_findings, render_diff_text

    a, b = resolve_run(store, run_a), resolve_run(store, run_b)
    open_a = [f for f in store.findings(a) if f.get("status") != "resolved"]
    open_b = [f for f in store.findings(b) if f.get("status") != "resolved"]
    return render_diff_text(diff_findings(open_a, open_b), a, b)


# ---------------------------------------------------------------------------- rules
def describe_rules(rules=None) -> str:
    ruleset = load_rules(rules)
    severity_names = {"veto": "单项否决", "major": "严重", "minor": "一般"}
    lines = []
    for rule in ruleset.enabled():
        lines.append(f"{rule.id:<8} {severity_names.get(rule.severity, rule.severity):<6} {rule.title}")
    return "\n".join(lines)


def explain_rule(rule_id: str, rules=None) -> str:
    from rules.docs import explain

    ruleset = load_rules(rules)
    rule = ruleset.get(rule_id.upper()) if hasattr(ruleset, "get") else None
    if rule is None:
        raise UsageErrorForRules(f"没有编号为 {rule_id} 的规则。可用 govaudit rules list 查看全部规则。")
    return explain(rule)


class UsageErrorForRules(AuditError):
    """An unknown rule id."""


def validate_rules_file(path: Path) -> list[str]:
    from rules.loader import RuleConfigError, load_ruleset, validate_file

    if not path.exists():
        return [f"{path}: 文件不存在。"]
    problems = validate_file(path)
    if problems:
        return problems
    try:                                   # overrides are only checkable against the preset they extend
        load_ruleset(extra=[path])
    except RuleConfigError as exc:
        return [str(p) for p in exc.errors]
    return []


def known_error_message(exc: Exception) -> str | None:
    """One line for errors of floors that do not share AuditError (rules/ imports nothing of ours)."""
    try:
        from rules.loader import RuleConfigError
    except ImportError:  # pragma: no cover - rules package broken
        return None
    if isinstance(exc, RuleConfigError):
        problems = getattr(exc, "errors", None) or [str(exc)]
        return "规则配置有误：\n" + "\n".join(str(p) for p in problems)
    return None


# ---------------------------------------------------------------------------- profiles and site lists
def init_profile(store: Store, url: str, output: Path, as_of: dt.date, **options) -> Path:
    from crawler.profile import write_profile_from_discovery

    options = dict(options)
    options["max_pages"] = options.get("max_pages") or 300
    crawl = crawl_only(store, url, as_of, **options)
    write_profile_from_discovery(store.load_snapshot(crawl.run_id), output)
    return output


def read_site_list(path: Path) -> list[str]:
    from govaudit.cli import UsageError, check_site_url

    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise UsageError(f"无法读取网站清单 {path}：{exc.strerror}。") from None
    sites = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not sites:
        raise UsageError(f"网站清单 {path} 中没有网址。")
    return [check_site_url(site) for site in sites]


def audit_many(store: Store, sites: list[str], as_of: dt.date, out: Path, rules=None, waivers=None,
               **options) -> list[AuditResult]:
    from crawler.errors import CrawlError
    from crawler.run import run_crawls

    crawls = run_crawls(sites, store.location, as_of, redactor=store.redactor, url_redactor=store.url_redactor,
                        **options)
    results = []
    for site, crawl in zip(sites, crawls):
        if isinstance(crawl, CrawlError) or getattr(crawl, "error", None):
            results.append(AuditResult(site, getattr(crawl, "run_id", 0) or 0, "failed", {}, error=str(crawl)))
            continue
        site_out = out / site_folder(site)
        site_out.mkdir(parents=True, exist_ok=True)
        results.append(check_and_report(store, site, crawl, site_out, rules=rules, waivers=waivers))
    from reports.summary import render_summary
    render_summary(results, out)
    return results


def site_folder(url: str) -> str:
    """One output folder per site: host, plus the port when there is one."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return (parts.hostname or "site") + (f"_{parts.port}" if parts.port else "")


def summarise_many(results: list[AuditResult], out: Path) -> str:
    from reports.tally import tally

    lines = [f"共检查网站 {len(results)} 个，汇总见 {out / 'summary.xlsx'} 与 {out / 'summary.html'}。"]
    for result in results:
        if result.error:
            verdict = "未完成" if result.crawl_status in ("running", "pending") else "无法检查"
            lines.append(f"  {result.site_url}：{verdict}（{result.error}）")
            continue
        if result.status == STATUS_NOT_EXAMINED:
            lines.append(f"  {result.site_url}：检查未能完成，未识别到网站栏目（"
                         f"{(result.stats or {}).get('no_columns_reason') or '原因见报告'}）")
            continue
        counted = tally(result.findings)
        whole = ""
        if result.status and result.status != STATUS_COMPLETE:
            errors = len(result.problems) or result.stats.get("tool_errors", 0)
            unread = len(result.unread) or result.stats.get("unread_column_count", 0)
            whole = f"；检查状态：{result.status}（检查异常 {errors} 项，未检查完的栏目 {unread} 个）"
        review = f"，待核实 {counted.needs_review} 项" if counted.needs_review else ""
        lines.append(f"  {result.site_url}：待整改问题 {counted.total} 项{review}，单项否决判定："
                     f"{counted.verdict.label}{whole}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- several machines
def redis_location() -> str:
    from govaudit.distributed import redis_url
    return redis_url()


def enqueue(sites: list[str], as_of: dt.date, out: Path, db: str, options: dict) -> int:
    from govaudit.distributed import enqueue_sites
    return enqueue_sites(sites, as_of.isoformat(), out, db, options)


def site_states(store: Store, sites: list[str], as_of: dt.date) -> dict[str, tuple[str, object]]:
    """Where each site stands for `as_of`, read from the store: (state, newest run or None).

    States: done (crawled, checked and reported), failed (could not be crawled), running (a run is
    under way or was interrupted and will be resumed), pending (no run yet). Workers on other
    machines write their reports to their own disks; the store is what everyone shares, so "done"
    is read from it (a run records its report folder last), never from files.
    """
    states = {}
    for site in sites:
        runs = [r for r in store.runs(site) if r.as_of == as_of]
        newest = runs[-1] if runs else None
        if newest is None:
            states[site] = ("pending", None)
        elif newest.status == "failed":
            states[site] = ("failed", newest)
        elif newest.status == "complete" and newest.stats.get("report_dir"):
            states[site] = ("done", newest)
        else:
            states[site] = ("running", newest)
    return states


def wait_for_sites(store: Store, sites: list[str], as_of: dt.date, out: Path, poll: float = 2.0,
                   timeout: float | None = None, progress=None) -> list[AuditResult]:
    """Block until every site is done or failed for `as_of`, then write the province summary into `out`.

    `progress(finished, total)` is called whenever another site finishes.
    """
    import time

    started, reported = time.monotonic(), -1
    while True:
        finished = sum(1 for state, _ in site_states(store, sites, as_of).values() if state in ("done", "failed"))
        if progress is not None and finished != reported:
            progress(finished, len(sites))
            reported = finished
        if finished == len(sites):
            break
        if timeout is not None and time.monotonic() - started > timeout:
            raise AuditError(f"等待超时：{len(sites) - finished} 个网站尚未检查完成。")
        time.sleep(poll)
    return write_province_summary(store, sites, as_of, out)


def write_province_summary(store: Store, sites: list[str], as_of: dt.date, out: Path) -> list[AuditResult]:
    """The summary of every finished site, with each site's reports under `out` (written from the store
    when they are not already here). A site not finished yet is a row that says so."""
    results = []
    for site, (state, info) in site_states(store, sites, as_of).items():
        if state == "done":
            site_out = out / site_folder(site)
            if not (site_out / "findings.json").exists():
                report_run(store, info.id, site_out)
            results.append(_stored_result(store, site, info))
        elif state == "failed":
            results.append(_stored_result(store, site, info))
        else:
            why = "正在检查，尚未完成" if state == "running" else "尚未开始检查"
            results.append(AuditResult(site, info.id if info else 0, state, {}, error=why))
    from reports.summary import render_summary
    render_summary(results, out)
    return results


def _stored_result(store: Store, site: str, info) -> AuditResult:
    from checks.finding import Finding

    if info.status == "failed":
        return AuditResult(site, info.id, "failed", info.stats,
                           error=info.stats.get("error") or f"无法抓取网站 {site}。请检查网址和网络连接。")

    findings = [Finding.from_dict(f) for f in store.findings(info.id)]
    open_findings = [f for f in findings if f.status != "resolved"]
    resolved = [f for f in findings if f.status == "resolved"]
    previous = store.latest_run(site, statuses=("complete",), before=info.id)
    return AuditResult(site, info.id, info.status, dict(info.stats, **store.counts(info.id)), open_findings, resolved,
                       previous_run_id=previous.id if previous else None, status=info.stats.get("check_status", ""))
