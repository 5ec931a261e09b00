"""How whole a check is: the tool's own failures, the columns not read to the end, and the run's status.

Precision first means a failure is never silently dropped: a page that failed to parse, a rule that
raised, a record the store refused, an attachment whose extraction crashed or a report that could not
be written is listed with its stage, rule and page, and the run says it is not whole. A site's own
faults (a page that answers 404, a timeout) are findings or crawl statistics, not failures of the tool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reports.guard import clean

# Stages whose errors are failures of the tool itself; 'fetch' is the site's answer (crawl statistics).
TOOL_STAGES = ("parse", "attachment", "store", "check", "report")
STAGE_LABELS = {"fetch": "页面抓取", "parse": "页面解析", "attachment": "附件解析", "store": "数据保存",
                "check": "规则检查", "report": "报告生成"}

STATUS_COMPLETE = "完整"
STATUS_WITH_ERRORS = "有检查异常"
STATUS_INCOMPLETE = "未完成"
STATUS_NOT_EXAMINED = "未能检查"          # no column recognised (reports/unexamined.py)
STATUSES = (STATUS_COMPLETE, STATUS_WITH_ERRORS, STATUS_INCOMPLETE, STATUS_NOT_EXAMINED)


@dataclass
class ProblemView:
    """One failure of the tool as the reports show it: stage, rule, page and a masked message."""

    stage: str
    rule: str | None
    url: str | None
    message: str

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "stage_label": self.stage_label, "rule": self.rule, "url": self.url,
                "message": self.message}


@dataclass
class UnreadColumn:
    """A column whose list was not read to the end, so it has no verdict (未检查完的栏目)."""

    name: str
    url: str
    reason: str
    unreachable: bool = False       # known from the last check, but this crawl could not open it at all

    def to_dict(self) -> dict[str, Any]:
        data = {"name": self.name, "url": self.url, "reason": self.reason}
        if self.unreachable:
            data["unreachable"] = True
        return data


def problem(stage: str, message: str, rule: str | None = None, url: str | None = None) -> ProblemView:
    """A ProblemView with its text masked (an error message may quote a page)."""
    return ProblemView(stage=stage, rule=rule or None, url=clean(url) if url else None, message=clean(message or ""))


def tool_errors(errors: Iterable[Any]) -> list[ProblemView]:
    """The recorded errors (ErrorRecord or dicts) that are failures of the tool, in order, duplicates once."""
    out: list[ProblemView] = []
    seen: set[tuple] = set()
    for error in errors:
        get = error.get if isinstance(error, dict) else (lambda key, e=error: getattr(e, key, None))
        stage = get("stage")
        if stage not in TOOL_STAGES:
            continue
        key = (stage, get("rule"), get("url"), get("message"))
        if key in seen:
            continue
        seen.add(key)
        out.append(problem(stage, get("message") or "", get("rule"), get("url")))
    return out


def fetch_failures(errors: Iterable[Any]) -> int:
    """Pages or attachments the site did not deliver (timeouts, DNS, HTTP errors): a crawl statistic."""
    return sum(1 for e in errors if (e.get("stage") if isinstance(e, dict) else getattr(e, "stage", None)) == "fetch")


def unread_columns(columns: Iterable[Any]) -> list[UnreadColumn]:
    """Columns the crawler marked as not read to the end (ColumnRecord.unread_reason), with the reason. A landing
    page (栏目导航页) is no such column: it lists no entries of its own and its sub-columns are judged."""
    from crawler.columns import is_landing_page

    return [UnreadColumn(clean(c.name or c.url), c.url, clean(c.unread_reason))
            for c in columns if getattr(c, "unread_reason", None) and not is_landing_page(c)]


def report_unread_columns(snapshot: Any) -> list[UnreadColumn]:
    """The columns every report lists as 未检查完: unread ones, except those judged 由外部平台承载 (their content is
    on another platform, stated in 检查范围, and judged there, not left unread) and landing pages."""
    from checks.interaction import external_platforms

    hosted = external_platforms(snapshot)
    return unread_columns(c for c in snapshot.columns() if c.url not in hosted)


def unreachable_columns(snapshot: Any, known: Iterable[tuple[str | None, str | None]]) -> list[UnreadColumn]:
    """The `known` columns (name, url: the last check's, and those of problems carried as 本次未能复查) that this
    crawl found linked but could not open (404, a server error, a timeout, a dropped connection, a firewall).

    Why: such a column drops out of the crawl's columns altogether, so without this the report would read 完整
    while whole columns went unexamined. Only a failure this crawl saw counts: a column no longer linked from
    anywhere was removed from the site, not unreachable. A column the crawl still found is not listed here (its
    own unread reason, if any, stands)."""
    from checks.history import place

    present = {place(c.url) for c in snapshot.columns()}
    failures = _failed_places(snapshot)
    out: list[UnreadColumn] = []
    seen: set[str] = set()
    for name, url in known:
        where = place(url) if url else ""
        if not where or where in seen or where in present or where not in failures:
            continue
        seen.add(where)
        out.append(UnreadColumn(clean(name or url), url, f"{failures[where]}，本次未能检查；该栏目上次检查发现的问题"
                                                         "列为“本次未能复查”，不作已整改认定", unreachable=True))
    return out


def _failed_places(snapshot: Any) -> dict[str, str]:
    """Place on the site -> how it failed, in plain Chinese, for every address this crawl tried and could not open."""
    from checks.history import place
    from checks.links import NOT_FETCHED, is_blocked

    opened = {place(p.url) for p in snapshot.pages_ if (p.status or 200) < 400}
    failed: dict[str, str] = {}
    for page in snapshot.pages_:
        if page.status and page.status >= 400:
            failed.setdefault(place(page.url), _failure_words(page.status, None))
    for link in snapshot.links():
        if link.error in NOT_FETCHED:
            continue                                 # robots.txt or a size cap: the tool's choice, not the site's
        if is_blocked(link):
            failed.setdefault(place(link.target_url), "栏目页面的访问被网站防火墙拦截")
        elif link.status is not None and link.status >= 400 or link.status is None and link.error:
            failed.setdefault(place(link.target_url), _failure_words(link.status, link.error))
    return {where: why for where, why in failed.items() if where not in opened}


def _failure_words(status: int | None, error: str | None) -> str:
    if status in (404, 410):
        return f"栏目页面返回HTTP {status}（页面不存在）"
    if status is not None and status >= 500:
        return f"栏目页面返回服务器错误（HTTP {status}）"
    if status is not None:
        return f"栏目页面返回HTTP {status}"
    error = (error or "").lower()
    if "timeout" in error:
        return "栏目页面访问超时"
    if "dns" in error:
        return "栏目页面的域名无法解析"
    if "ssl" in error or "tls" in error:
        return "栏目页面的证书错误，无法建立安全连接"
    return "栏目页面无响应（连接被拒绝或中断）"


def run_status(crawl_status: str, errors: int, unread: int, examined: bool = True) -> str:
    """完整 only for a complete crawl with no tool error and every column read; 未完成 for a stopped crawl;
    未能检查 for a complete crawl that recognised no column (`examined` False)."""
    if crawl_status not in ("complete", "finished"):
        return STATUS_INCOMPLETE
    if not examined:
        return STATUS_NOT_EXAMINED
    return STATUS_WITH_ERRORS if errors or unread else STATUS_COMPLETE


def by_stage(problems: Iterable[ProblemView]) -> dict[str, int]:
    """Counts per stage, in pipeline order."""
    counts = Counter(p.stage for p in problems)
    return {stage: counts[stage] for stage in TOOL_STAGES if counts[stage]}


def headline(status: str, errors: int, unread: int, unreachable: int = 0) -> str:
    """The one sentence every report opens with when the check is not whole (empty when it is). `unread` counts
    every column listed as 未检查完, `unreachable` those of them this crawl could not open at all."""
    if status == STATUS_COMPLETE:
        return ""
    parts = []
    if status == STATUS_INCOMPLETE:
        parts.append("本次网站抓取未能完成")
    if errors:
        parts.append(f"检查过程中发生异常{errors}项")
    if unread - unreachable:
        parts.append(f"有{unread - unreachable}个栏目未检查完")
    if unreachable:
        parts.append(f"有{unreachable}个栏目本次无法访问、未能检查，其原有问题列为“本次未能复查”")
    return ("本次检查不完整：" + "，".join(parts) + "。相关内容未作判定，问题统计可能偏少，"
            "请查看“检查异常”部分并在处理后重新检查。")


def plain_lines(model: Any) -> list[str]:
    """The 检查异常 part as numbered plain lines (report.md and report.docx); empty when the check is whole."""
    if not (model.headline or model.problems or model.unread):
        return []
    lines = [f"检查状态：{model.status}。{model.headline}".rstrip()]
    parts = iter("一二")
    if model.problems:
        lines.append(f"（{next(parts)}）检查过程中发生的异常（{len(model.problems)}项）")
        for seq, p in enumerate(model.problems, 1):
            where = "，".join(x for x in (f"规则 {p.rule}" if p.rule else "", f"页面 {p.url}" if p.url else "") if x)
            lines.append(f"{seq}. 【{p.stage_label}】{where + '：' if where else ''}{p.message}")
    if model.unread:
        lines.append(f"（{next(parts)}）未检查完的栏目（{len(model.unread)}个，未作判定）")
        for seq, c in enumerate(model.unread, 1):
            lines.append(f"{seq}. {c.name}（{c.url}）：{c.reason.rstrip('。')}。")
    return lines
