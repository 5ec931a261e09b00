"""govaudit 命令行：爬取、检查、出报告，以及演示、历史与规则管理。

The CLI is a contract other tools rely on: command names, options and exit codes stay stable.
Exit codes: 0 no findings at or above --fail-on; 1 there are; 2 usage or configuration error;
3 the crawl was unusable (site unreachable, nothing fetched); 4 reports written but the check is not
whole (crawl stopped early, or a failure of the tool was recorded) and nothing reached --fail-on
(1 wins over 4: an alarm is never hidden); 130 interrupted at once (a second signal during the crawl, or
any during the checks or the reports: reports/render.py moves finished files into place only, so none is half).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from crawler.errors import AuditError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_CRAWL, EXIT_NOT_WHOLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
EXIT_CODES_HELP = """退出码：
  0  检查完整，未发现达到 --fail-on 严重程度的问题
  1  发现达到 --fail-on 严重程度的问题（优先于 4，告警不被掩盖）
  2  用法或配置错误（参数、规则文件、数据库等）
  3  网站无法访问，未能抓取；或已抓取首页但未识别到任何栏目，网站内容未经检查（报告已生成并说明原因）
  4  报告已生成，但检查不完整（抓取未完成、或记录了检查异常、或有栏目未检查完），且无达到 --fail-on 的问题
  130  抓取停止过程中再次收到、或在检查和生成报告阶段收到 Ctrl-C 或 SIGTERM：立即停止，已保存的内容不受影响，
       本次未生成报告（输出目录中的原有报告保持不变，不会留下写了一半的文件）"""
SEVERITIES = ("minor", "major", "veto")


class UsageError(AuditError):
    """A bad option value: one clear line, exit 2."""


def db_location(args) -> str:
    """Where runs are kept: --db, else GOVAUDIT_DB, else one file per user, so weekly runs build history.

    A postgresql:// URL names a shared database server (workers on several machines); anything else
    is a SQLite file path.
    """
    from crawler.databases import is_server_location

    location = getattr(args, "db", None) or os.environ.get("GOVAUDIT_DB") or str(
        Path.home() / ".govaudit" / "govaudit.sqlite")
    return location if is_server_location(location) else str(Path(location).resolve())


# ---------------------------------------------------------------------------- option checks
def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of 日期格式不正确：{value!r}。请使用 YYYY-MM-DD，例如 2026-11-30。") from None


def check_site_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"网址无效：{url!r}。请输入以 http:// 或 https:// 开头的政府网站首页地址。")
    return url.strip()


def check_out_dir(path: str | Path) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".govaudit-write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"输出目录不可写：{out}（{exc.strerror}）。请用 --out 指定一个有写权限的目录。") from None
    from reports.staging import remove_stale_staging

    remove_stale_staging(out)          # what a killed run left (reports/staging.py), gone before the clerk looks
    return out


def check_positive(name: str, value, kind=int):
    if value is None:
        return None
    if value <= 0:
        raise UsageError(f"{name} 必须大于 0，当前为 {value}。")
    return kind(value)


# ---------------------------------------------------------------------------- commands
def _open_store(args):
    from govaudit.audit import open_store
    return open_store(db_location(args))


def _crawl_options(args) -> dict:
    return {
        "concurrency": check_positive("--concurrency", getattr(args, "concurrency", None)),
        "delay": None if getattr(args, "delay", None) is None else _non_negative("--delay", args.delay),
        "max_pages": check_positive("--max-pages", getattr(args, "max_pages", None)),
        "max_minutes": check_positive("--max-minutes", getattr(args, "max_minutes", None), float),
        "max_links_per_page": check_positive("--max-links-per-page", getattr(args, "max_links_per_page", None)),
        "profile": getattr(args, "profile", None),
        "obey_robots": not getattr(args, "ignore_robots", False),
        "reverify_weeks": check_positive("--reverify-weeks", getattr(args, "reverify_weeks", None)),
    }


def _non_negative(name: str, value: float) -> float:
    if value < 0:
        raise UsageError(f"{name} 不能为负数，当前为 {value}。")
    return float(value)


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd, kill) ends the command the way Ctrl-C does: with a message and exit 130.

    Python's default would end the process silently; during the crawl Scrapy's own handlers take over
    (first signal: stop and report what was crawled; second: stop at once), and they are put back after it.
    """
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _ignore_further_signals() -> None:
    """Once the interruption is being reported the process is on its way out: a further Ctrl-C or SIGTERM
    must not cut the message or turn the documented exit code 130 into a death by signal."""
    import signal

    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)


def _crawl_interrupted(exc, url: str | None, as_of) -> int:
    """A crawl stopped at once by a second signal: what is kept, and how to go on."""
    from govaudit import audit

    _ignore_further_signals()
    print(f"govaudit：{exc}", file=sys.stderr)
    if url and exc.run_ids:
        print(audit.resume_hint(url, as_of, exc.run_ids), file=sys.stderr)
    return EXIT_INTERRUPTED


def cmd_audit(args) -> int:
    from crawler.run import CrawlInterrupted
    from govaudit import audit

    _stop_on_sigterm()
    as_of = parse_as_of(args.as_of)
    out = check_out_dir(args.out)
    options = _crawl_options(args)
    if args.sites:
        sites = audit.read_site_list(Path(args.sites))
        store = _open_store(args)
        results = audit.audit_many(store, sites, as_of=as_of, out=out, rules=args.rules,
                                   waivers=args.waivers, **options)
        print(audit.summarise_many(results, out))
        return audit.exit_code(results, args.fail_on)
    url = check_site_url(args.url) if args.url else None
    if url is None:
        raise UsageError("请提供要检查的网站首页地址（URL），或用 --sites 指定网站清单文件。")
    store = _open_store(args)
    try:
        result = audit.audit_site(store, url, as_of=as_of, out=out, rules=args.rules, waivers=args.waivers,
                                  previous_section5=args.previous_section5,
                                  resume_incomplete=args.resume_incomplete, **options)
    except CrawlInterrupted as exc:
        return _crawl_interrupted(exc, url, as_of)
    print(audit.summarise(result, fmt=args.format))
    _split_by_unit(args, out)
    return audit.exit_code([result], args.fail_on)


def cmd_crawl(args) -> int:
    from crawler.run import CrawlInterrupted, signal_words
    from govaudit import audit

    _stop_on_sigterm()
    store = _open_store(args)
    options = _crawl_options(args)
    try:
        if args.resume is not None:
            run_id = audit.resolve_resume(store, args.resume, args.url)
            result = audit.crawl_only(store, None, as_of=None, resume_run_id=run_id, **options)
        else:
            if not args.url:
                raise UsageError("请提供网站首页地址，或用 --resume 继续一次未完成的爬取。")
            result = audit.crawl_only(store, check_site_url(args.url), as_of=parse_as_of(args.as_of), **options)
    except CrawlInterrupted as exc:
        print(f"govaudit：{exc}", file=sys.stderr)
        print(f"继续抓取：govaudit crawl --resume {exc.run_ids[0] if exc.run_ids else ''}".rstrip()
              + "（--db 与本次相同）。", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"爬取{'完成' if result.status == 'complete' else '结束（未完成）'}：运行编号 {result.run_id}，"
          f"页面 {result.stats.get('pages', 0)}，栏目 {result.stats.get('columns', 0)}，"
          f"附件 {result.stats.get('attachments', 0)}，错误 {result.stats.get('errors', 0)}。")
    if result.status != "complete":
        why = (f"收到{signal_words(result.stats['interrupted_by'])}" if result.stats.get("interrupted_by")
               else {"max_minutes": "已达到时间上限（--max-minutes）", "max_pages": "已达到页数上限（--max-pages）"}
               .get(result.stats.get("stopped_by") or "", "其他原因"))
        print(f"抓取因{why}未完成，已抓取的页面均已保存。继续抓取：govaudit crawl --resume {result.run_id}"
              f"（--db 与本次相同）；生成报告：govaudit report {result.run_id}。")
    return EXIT_OK


def cmd_check(args) -> int:
    from govaudit import audit

    store = _open_store(args)
    run_id = audit.resolve_run(store, args.run)
    as_of = parse_as_of(args.as_of) if args.as_of else None
    outcome = audit.check_run(store, run_id, rules=args.rules, waivers=args.waivers, as_of=as_of)
    if args.format == "json":
        print(json.dumps([f.to_dict() for f in outcome.findings], ensure_ascii=False, indent=2, default=str))
    else:
        print(audit.describe_findings(outcome.findings))
    if outcome.errors:
        print(f"检查异常 {len(outcome.errors)} 项（以下规则未执行或未执行完，结果不完整）：", file=sys.stderr)
        for error in outcome.errors:
            print(f"  {error.rule or error.family or ''}：{error.message}", file=sys.stderr)
    code = audit.exit_code_for(outcome.findings, args.fail_on)
    return EXIT_NOT_WHOLE if code == EXIT_OK and outcome.errors else code


def cmd_report(args) -> int:
    from govaudit import audit

    store = _open_store(args)
    run_id = audit.resolve_run(store, args.run)
    out = check_out_dir(args.out)
    outcome = audit.report_outcome(store, run_id, out, previous_section5=args.previous_section5)
    print("报告已生成：\n" + "\n".join(f"  {path}" for path in outcome.files))
    _split_by_unit(args, out)
    if outcome.status != audit.STATUS_COMPLETE:
        print(f"检查状态：{outcome.status}。" + (outcome.model.headline if outcome.model else ""), file=sys.stderr)
        for p in outcome.problems:
            print(f"  [{p.stage_label}] {p.message}", file=sys.stderr)
        return EXIT_NOT_WHOLE
    return EXIT_OK


def _split_by_unit(args, out: Path) -> None:
    """--split-by-unit: one 整改清单 per 责任单位 beside the full one, for handing out."""
    if not getattr(args, "split_by_unit", False) or not (out / "rectification.xlsx").exists():
        return
    from reports.xlsx import split_by_unit

    files = split_by_unit(out / "rectification.xlsx")
    print(f"已按责任单位拆分整改清单 {len(files)} 份：{files[0].parent if files else out}")


def cmd_demo(args) -> int:
    from govaudit.demo.run import run_demo

    out = check_out_dir(args.out)
    return run_demo(out, seed=args.seed, as_of=parse_as_of(args.as_of), db=args.db,
                    fail_on=args.fail_on)


def cmd_runs(args) -> int:
    from govaudit import audit

    store = _open_store(args)
    print(audit.describe_runs(store, args.url))
    return EXIT_OK


def cmd_prune(args) -> int:
    from crawler.store import PROBE_RETENTION_DAYS

    keep = check_positive("--keep", args.keep)
    with _open_store(args) as store:
        removed = store.prune(keep)
    print(f"已清理 {removed['runs']} 次较早运行的抓取记录（每个网站保留最近 {keep} 次）：页面 {removed['pages']} 条、"
          f"附件 {removed['attachments']} 个、链接 {removed['links']} 条、栏目 {removed['columns']} 个；"
          f"可用性探测记录 {removed['probes']} 条（早于该网站最近一次探测{PROBE_RETENTION_DAYS}日以上，且所保留的运行均不引用）。"
          "历次检查发现的问题、整改状态和趋势统计均已保留。")
    return EXIT_OK


def cmd_diff(args) -> int:
    from govaudit import audit

    store = _open_store(args)
    print(audit.describe_diff(store, args.run_a, args.run_b))
    return EXIT_OK


def cmd_rules(args) -> int:
    from govaudit import audit

    if args.rules_command == "list":
        print(audit.describe_rules(args.rules))
    elif args.rules_command == "explain":
        print(audit.explain_rule(args.rule_id, args.rules))
    elif args.rules_command == "validate":
        problems = audit.validate_rules_file(Path(args.file))
        if problems:
            print("\n".join(problems))
            return EXIT_USAGE
        print(f"{args.file}：规则文件校验通过。")
    return EXIT_OK


def cmd_enqueue(args) -> int:
    from crawler.databases import is_server_location, without_password
    from govaudit import audit

    as_of = parse_as_of(args.as_of)
    out = check_out_dir(args.out).resolve()
    sites = audit.read_site_list(Path(args.sites))
    db = db_location(args)
    _open_store(args).close()                      # refuse a bad --db before anything is queued
    if is_server_location(db) and without_password(db) != db:
        print("提示：数据库地址中的密码不会放入队列。请在每台检查机器上用环境变量 PGPASSWORD 或 ~/.pgpass 提供密码。",
              file=sys.stderr)
        db = without_password(db)
    elif not is_server_location(db):
        print(f"提示：结果数据库为本机文件 {db}，只适用于同一台机器上的 worker；多台机器请使用 PostgreSQL 数据库"
              "（--db postgresql://…）。", file=sys.stderr)
    options = {k: v for k, v in _crawl_options(args).items() if k != "obey_robots"}
    options["ignore_robots"] = getattr(args, "ignore_robots", False)
    count = audit.enqueue(sites, as_of, out, db, options)
    print(f"已将 {count} 个网站放入检查队列（Redis：{audit.redis_location()}）。")
    if not args.wait:
        return EXIT_OK
    results = audit.wait_for_sites(_open_store(args), sites, as_of, out, progress=_print_progress)
    print(audit.summarise_many(results, out))
    return EXIT_OK


def cmd_summary(args) -> int:
    from govaudit import audit

    as_of = parse_as_of(args.as_of)
    out = check_out_dir(args.out).resolve()
    sites = audit.read_site_list(Path(args.sites))
    with _open_store(args) as store:
        states = audit.site_states(store, sites, as_of)
        names = {"done": "已完成", "failed": "无法检查", "running": "检查中", "pending": "未开始"}
        counts = {name: sum(1 for state, _ in states.values() if state == key) for key, name in names.items()}
        print(f"{as_of.isoformat()} 共 {len(sites)} 个网站：" + "，".join(f"{k} {v} 个" for k, v in counts.items()) + "。")
        if args.wait:
            results = audit.wait_for_sites(store, sites, as_of, out, progress=_print_progress)
        else:
            results = audit.write_province_summary(store, sites, as_of, out)
    print(audit.summarise_many(results, out))
    return EXIT_OK


def _print_progress(done: int, total: int) -> None:
    print(f"{dt.datetime.now():%H:%M} 已完成 {done}/{total} 个网站。", file=sys.stderr, flush=True)


def cmd_worker(args) -> int:
    from govaudit.distributed import run_worker

    check_positive("--processes", args.processes)
    check_positive("--threads", args.threads)
    return run_worker(processes=args.processes, threads=args.threads)


def cmd_column_types(args) -> int:
    from rules.column_types import judge_paths, update_requirement

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取栏目清单文件：{args.file}（{getattr(exc, 'strerror', None) or exc}）。"
                         "请提供 UTF-8 编码、每行“上级栏目 > … > 栏目名”的文本文件。") from None
    for verdict in judge_paths(text.splitlines()):
        print(f"{verdict.name}\t{verdict.type}\t{update_requirement(verdict.type)}\t{verdict.reason}")
    return EXIT_OK


def cmd_init(args) -> int:
    from govaudit import audit

    url = check_site_url(args.url)
    path = audit.init_profile(_open_store(args), url, Path(args.output), as_of=parse_as_of(None),
                              **_crawl_options(args))
    print(f"已根据探查结果生成站点配置：{path}\n请核对栏目类型和责任单位后，用 --profile {path} 运行检查。")
    return EXIT_OK


# ---------------------------------------------------------------------------- parser
def _add_db(p):
    p.add_argument("--db", metavar="位置",
                   help="运行记录数据库：SQLite 文件路径，或多台机器共用的 PostgreSQL 地址 postgresql://用户@主机/库名"
                        "（默认 ~/.govaudit/govaudit.sqlite，或环境变量 GOVAUDIT_DB）")


def _add_crawl_options(p):
    p.add_argument("--concurrency", type=int, metavar="N", help="对同一网站的并发请求数（默认 2，礼貌抓取）")
    p.add_argument("--delay", type=float, metavar="SECONDS", help="两次请求之间的间隔秒数（默认 1）")
    p.add_argument("--max-pages", type=int, metavar="N",
                   help="每个网站最多抓取的页面数（默认 50000，附件不计）；达到上限时照常出具报告，未读完的栏目不作判定")
    p.add_argument("--max-minutes", type=float, metavar="N",
                   help="每个网站最长抓取分钟数（默认 720，即 12 小时）；到时停止抓取并照常出具报告")
    p.add_argument("--max-links-per-page", type=int, metavar="N",
                   help="单个页面最多跟进的非栏目链接数（默认 1000）；超出的按固定规则抽样，并报告疑似暗链或链接农场")
    p.add_argument("--profile", metavar="FILE", help="站点配置文件（YAML）：补充入口、栏目类型、责任单位等")
    p.add_argument("--ignore-robots", action="store_true", help="不遵守 robots.txt（仅限检查本单位自己的网站）")
    p.add_argument("--reverify-weeks", type=int, metavar="N",
                   help="再次检查时，未变化且无问题的文章每 N 周至少复核一次（默认 4）；栏目列表页、新增或变化的条目"
                   "和存在问题的页面每次都重新抓取；1 表示每次全部复核")


def _add_rule_options(p):
    p.add_argument("--rules", metavar="FILE", action="append", help="本地规则文件（可继承并覆盖 guoban-2019 预设），可多次指定")
    p.add_argument("--waivers", metavar="FILE", help="豁免清单（YAML）")


def _add_fail_on(p, default="veto"):
    p.add_argument("--fail-on", choices=SEVERITIES, default=default,
                   help="存在该严重程度及以上的问题时退出码为 1（默认 veto，即单项否决）"
                   if default else "存在该严重程度及以上的问题时退出码为 1（演示默认不设）")


# ---------------------------------------------------------------------------- probe (issue 14: 站点无法访问)
def cmd_probe(args) -> int:
    """One round of availability visits, for cron (docs/schedule.md)."""
    from govaudit.probe import describe_round, run_probe

    url = check_site_url(args.url)
    timeout = check_positive("--timeout", args.timeout, float)
    count = args.columns
    if count is None or count < 0:
        raise UsageError(f"--columns 不能为负数，当前为 {count}。")
    state = Path(args.state) if args.state else None
    store = _open_store(args) if (args.db or not state or os.environ.get("GOVAUDIT_DB")) else None
    try:
        records, moved = run_probe(url, store=store, state_path=state, count=count, timeout=timeout)
    finally:
        if store is not None:
            store.close()
    if moved:
        print(f"已将状态文件中的 {moved} 次探测记录导入数据库。")
    print(describe_round(records))
    return EXIT_OK


# ---------------------------------------------------------------------------- annual-report (issue 13)
def cmd_annual_report(args) -> int:
    from govaudit.annual import AnnualUsageError, audit_facts, run, run_many

    if bool(args.report) == bool(args.reports):
        raise AnnualUsageError("请指定一份年度报告（FILE|URL），或用 --reports 指定多份报告，二者取其一。")
    audit = audit_facts(db_location(args), args.run) if args.run else None
    if args.reports:
        return run_many(args.reports, issuer_level=args.issuer_level, out=args.out, audit=audit)
    return run(args.report, previous=args.previous, issuer_level=args.issuer_level, published=args.published,
               out=args.out, audit=audit)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govaudit",
        description="政府网站自查工具：检查栏目更新、内容归类与个人信息泄露，生成年报“存在的主要问题及改进情况”和整改清单。",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")

    p = sub.add_parser("audit", help="完整检查一个网站：爬取、检查、生成报告", epilog=EXIT_CODES_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("url", nargs="?", metavar="URL", help="网站首页地址")
    p.add_argument("--sites", metavar="FILE", help="网站清单文件（每行一个网址），逐个检查并生成汇总")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="检查基准日期（默认今天），所有“多久未更新”按此计算")
    p.add_argument("--out", metavar="DIR", default="govaudit-report", help="报告输出目录（默认 ./govaudit-report）")
    p.add_argument("--previous-section5", metavar="FILE", help="上一年度报告第五部分的文本，用于避免内容雷同")
    p.add_argument("--format", choices=("text", "json"), default="text", help="终端摘要格式")
    p.add_argument("--resume-incomplete", action="store_true",
                   help="若同一检查日期已有未完成的爬取，则继续该次爬取而不是重新开始")
    _add_crawl_options(p), _add_rule_options(p), _add_fail_on(p), _add_db(p)
    p.add_argument("--split-by-unit", action="store_true", help="另按责任单位各生成一份整改清单（按责任单位/ 目录）")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("enqueue", help="多机检查：把网站清单放入 Redis 任务队列，由各台机器上的 worker 执行")
    p.add_argument("--sites", metavar="FILE", required=True, help="网站清单文件（每行一个网址）")
    p.add_argument("--as-of", metavar="YYYY-MM-DD")
    p.add_argument("--out", metavar="DIR", default="govaudit-report")
    p.add_argument("--wait", action="store_true", help="等待全部网站检查完成，并生成全省汇总")
    _add_crawl_options(p), _add_db(p)
    p.set_defaults(func=cmd_enqueue)

    p = sub.add_parser("summary", help="按数据库中的结果生成全省汇总（不重新检查）；--wait 等待全部完成")
    p.add_argument("--sites", metavar="FILE", required=True, help="网站清单文件（每行一个网址）")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="检查基准日期（与 enqueue 时相同；默认今天）")
    p.add_argument("--out", metavar="DIR", default="govaudit-report")
    p.add_argument("--wait", action="store_true", help="等待全部网站检查完成后再生成汇总")
    _add_db(p)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("worker", help="多机检查：启动 worker，从 Redis 任务队列领取网站并检查")
    p.add_argument("--processes", type=int, default=1, metavar="N", help="worker 进程数（默认 1）")
    p.add_argument("--threads", type=int, default=1, metavar="N", help="每个进程同时检查的网站数（默认 1）")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("crawl", help="只爬取网站并保存到数据库（可中断后继续）")
    p.add_argument("url", nargs="?", metavar="URL")
    p.add_argument("--as-of", metavar="YYYY-MM-DD")
    p.add_argument("--resume", nargs="?", const="latest", metavar="RUN",
                   help="继续一次未完成的爬取（默认最近一次）")
    _add_crawl_options(p), _add_db(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("check", help="对数据库中的一次爬取运行检查规则")
    p.add_argument("run", nargs="?", default="latest", metavar="RUN", help="运行编号（默认最近一次）")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="改用另一个检查基准日期")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _add_rule_options(p), _add_fail_on(p), _add_db(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("report", help="根据一次运行的检查结果生成全部报告")
    p.add_argument("run", nargs="?", default="latest", metavar="RUN")
    p.add_argument("--out", metavar="DIR", default="govaudit-report")
    p.add_argument("--previous-section5", metavar="FILE")
    _add_db(p)
    p.add_argument("--split-by-unit", action="store_true", help="另按责任单位各生成一份整改清单（按责任单位/ 目录）")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo", help="在本机生成一个虚构的县政府网站并完整检查一遍（演示）")
    p.add_argument("--out", metavar="DIR", default="govaudit-demo", help="输出目录（默认 ./govaudit-demo）")
    p.add_argument("--seed", type=int, default=2026, help="演示网站的随机种子（相同种子生成相同网站）")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="检查基准日期（默认今天）")
    _add_fail_on(p, default=None), _add_db(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("runs", help="列出历次运行记录")
    p.add_argument("url", nargs="?", metavar="URL", help="只看某个网站")
    _add_db(p)
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("prune", help="清理较早运行的抓取记录和过期的可用性探测记录以节省空间（保留问题清单和趋势）")
    p.add_argument("--keep", type=int, default=8, metavar="N", help="每个网站保留最近 N 次运行的完整记录（默认 8）")
    _add_db(p)
    p.set_defaults(func=cmd_prune)

    p = sub.add_parser("diff", help="比较两次运行：新增了哪些问题、整改了哪些问题")
    p.add_argument("run_a", metavar="RUN_A")
    p.add_argument("run_b", metavar="RUN_B")
    _add_db(p)
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("rules", help="查看、解释、校验检查规则")
    rules_sub = p.add_subparsers(dest="rules_command", metavar="子命令", required=True)
    q = rules_sub.add_parser("list", help="列出全部规则")
    q.add_argument("--rules", metavar="FILE", action="append")
    q = rules_sub.add_parser("explain", help="解释一条规则：依据、阈值、整改建议")
    q.add_argument("rule_id", metavar="ID")
    q.add_argument("--rules", metavar="FILE", action="append")
    q = rules_sub.add_parser("validate", help="校验一个规则文件")
    q.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("column-types", help="按栏目名称和上级栏目判断栏目类型及更新要求（每行“上级栏目 > … > 栏目名”）")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_column_types)

    p = sub.add_parser("init", help="探查网站并生成站点配置文件草稿，供核对")
    p.add_argument("url", metavar="URL")
    p.add_argument("-o", "--output", default="site-profile.yml", metavar="FILE")
    _add_crawl_options(p), _add_db(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("probe", help="可用性探测一轮（供 cron 定时运行）：首页与轮换抽取的栏目，记入数据库，用于“站点无法访问”判定")
    p.add_argument("url", metavar="URL", help="网站首页地址（与 audit 所用地址一致）")
    p.add_argument("--state", metavar="FILE",
                   help="探测状态文件（JSON）：未指定数据库时探测记录保存在此文件中；之后与 --db 一起运行时导入数据库")
    p.add_argument("--columns", type=int, default=2, metavar="N", help="每轮轮换抽取的栏目数（默认 2，取自该网站最近一次检查）")
    p.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS",
                   help="单次访问时限秒数（默认 15，即国办秘函〔2019〕19号的“超过15秒仍打不开”）")
    _add_db(p)
    p.set_defaults(func=cmd_probe)

    p = sub.add_parser("annual-report", help="检查一份政府信息公开工作年度报告（结构、表格勾稽、正文、与上年比对、发布期限）")
    p.add_argument("report", metavar="FILE|URL", nargs="?", help="年度报告：网页、docx、PDF（文字版）或文本文件，或其网址")
    p.add_argument("--reports", metavar="DIR|LIST",
                   help="同时检查多份报告（县政府及各部门、乡镇）：报告所在目录，或每行一个文件路径或网址的清单；另写出汇总表")
    p.add_argument("--run", metavar="N",
                   help="与网站检查运行 N（或 latest）的结果比对第五部分：未提及的问题、称已整改但仍存在的问题（数据库见 --db）")
    p.add_argument("--previous", metavar="FILE|URL", help="上一年度报告，用于结转件数和第五部分雷同比对")
    p.add_argument("--issuer-level", choices=("county", "department"),
                   help="发布机关：county 县级人民政府（3月31日前发布）、department 政府部门（1月31日前）；默认按标题判断")
    p.add_argument("--published", metavar="YYYY-MM-DD", help="发布日期（页面上没有时指定）")
    p.add_argument("--out", metavar="DIR", default="annual-report", help="输出目录（默认 ./annual-report）")
    _add_db(p)
    p.set_defaults(func=cmd_annual_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args)
    except AuditError as exc:
        print(f"govaudit：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        _ignore_further_signals()
        print("govaudit：已按中断信号（Ctrl-C 或 SIGTERM）停止。已抓取的页面均已保存在数据库中；本次报告未生成"
              "（报告文件全部生成后才一并放入输出目录，目录中如有同名文件，为先前生成的版本）。"
              "可用 govaudit runs 查看运行编号，用 govaudit crawl --resume 继续抓取，或用 govaudit report 根据已保存的"
              "内容重新生成报告；同一检查日期也可用 govaudit audit 网址 --resume-incomplete 一并完成。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # RuleConfigError and friends from floors that do not share our base class
        from govaudit.audit import known_error_message
        message = known_error_message(exc)
        if message is None:
            raise
        print(f"govaudit：{message}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
