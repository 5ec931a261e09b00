"""Crawl benchmark: govaudit's PortalSpider against bare Scrapy spiders, served by Twisted and by nginx.

Prints figures measured side by side in one run on this machine (ratios; absolute numbers move with load):
  * pages/s and CPU ms per page (crawl phase only, the main process) of `govaudit crawl`, of a bare
    link-following Scrapy spider that leaves duplicates to Scrapy's dupefilter (the old yardstick), and of
    the same bare spider keeping its own set of seen URLs (what any real spider does);
  * parse_page CPU ms per page inside the govaudit crawl;
  * peak RSS of both;
  * an unchanged weekly re-crawl (as_of one week later) with --reverify-weeks 1, 4 and 8: requests and
    time ÷ the first crawl's;
  * time until the column inventory is complete ÷ total crawl time, with a polite-shaped delay;
  * with --profile, a per-stage breakdown (download, parse, extract, spider, attachments, store,
    scheduler, engine) of both crawls from a sampling profiler (the main thread's stack every 1 ms).

The nginx server is Debian's (`apt-get install nginx-light`), started by the bench on 127.0.0.1 with a
configuration of its own; without it the bench says so and uses Twisted only.

    uv run python bench/crawl_bench.py [--scales 1] [--servers twisted,nginx] [--profile] [--repeat 1] [--quick]
    uv run python bench/crawl_bench.py --before REV [--after REV] [--repeat 3]    # A/B of first crawl and re-crawls
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

os.environ["GOVAUDIT_OFFLINE"] = "1"        # a benchmark never leaves the machine (crawler/offsite_probe.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
AS_OF = dt.date(2026, 11, 30)


# ---------------------------------------------------------------------------- a sampling profiler
# Innermost frame first: the first marker that matches names the stage. Request objects built by the
# spider count as the spider's, a store query made by a middleware as the store's.
STAGES = (
    ("parse", ("crawler/extract/page.py:parse_html",)),
    ("extract", ("crawler/extract/",)),
    ("attachments", ("crawler/attachment_pool.py", "crawler/pipelines.py:AttachmentPipeline",
                     "crawler/spiders/portal.py:_parse_attachment", "crawler/extract/attachments.py")),
    ("store", ("crawler/store.py", "crawler/databases.py", "crawler/pipelines.py")),
    ("spider", ("crawler/spiders/", "crawler/columns.py", "crawler/urls.py", "bench/crawl_bench.py:parse")),
    ("download", ("crawler/middlewares.py", "twisted/web/", "twisted/internet/tcp.py", "twisted/internet/abstract.py",
                  "twisted/protocols/", "scrapy/core/downloader/", "scrapy/downloadermiddlewares/",
                  "scrapy/http/response/", "scrapy/responsetypes.py", "w3lib/encoding.py")),
    ("scheduler", ("scrapy/core/scheduler.py", "scrapy/pqueues.py", "scrapy/dupefilters.py", "scrapy/squeues.py",
                   "queuelib/", "scrapy/utils/request.py")),
)


class StageSampler:
    """Samples the main thread's Python stack every `interval` s and counts samples per stage.

    Waiting in the event loop's select() is 'idle' and left out of the CPU shares.
    """

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.counts: Counter[str] = Counter()
        self.main = threading.main_thread().ident
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _stage(self, frame) -> str:
        inner = frame
        if inner.f_code.co_name in ("select", "poll") and "selectors" in inner.f_code.co_filename:
            return "idle"
        while frame is not None:
            code = frame.f_code
            where = code.co_filename.replace(os.sep, "/")
            qual = getattr(code, "co_qualname", code.co_name)
            for stage, markers in STAGES:
                for marker in markers:
                    path, _, name = marker.partition(":")
                    if path in where and (not name or qual.startswith(name) or qual.endswith(name)
                                          or f".{name}" in qual):
                        return stage
            frame = frame.f_back
        return "engine"

    def _run(self) -> None:
        while not self.stop_event.wait(self.interval):
            frame = sys._current_frames().get(self.main)
            if frame is not None:
                self.counts[self._stage(frame)] += 1

    def __enter__(self) -> StageSampler:
        sys.setswitchinterval(0.0005)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop_event.set()
        self.thread.join()


# ---------------------------------------------------------------------------- the crawls (one subprocess each)
def bare_main(url: str, concurrency: int, delay: float, dedup: bool, profile: bool) -> None:
    """A bare link-following spider (no parsing, no items); prints {pages, seconds, cpu_s, rss_mb, stages}.

    dedup=False yields a request for every link and leaves duplicates to Scrapy's dupefilter (the
    yardstick of issue 15: ~45 pages/s); dedup=True keeps its own set of seen URLs first.
    """
    import scrapy
    from scrapy import signals
    from scrapy.crawler import AsyncCrawlerProcess
    from scrapy.linkextractors import LinkExtractor

    from crawler.settings import build_settings
    from crawler.urls import canonicalize, host_of, looks_like_trap

    host = host_of(url)
    marks: dict[str, float] = {}
    seen: set[str] = set()

    class BareSpider(scrapy.Spider):
        name = "bare"
        extractor = LinkExtractor(deny_extensions=[])

        async def start(self):
            seen.add(url)
            yield scrapy.Request(url)

        def parse(self, response):
            if not hasattr(response, "text"):
                return
            for link in self.extractor.extract_links(response):
                target = canonicalize(link.url)
                if dedup:
                    if target in seen:
                        continue
                    seen.add(target)
                if host_of(target) == host and not looks_like_trap(target):
                    yield response.follow(target, callback=self.parse)

    def opened(spider):
        marks["start"], marks["cpu0"] = time.monotonic(), time.process_time()

    def closed(spider):
        marks["end"], marks["cpu1"] = time.monotonic(), time.process_time()

    settings = build_settings(concurrency=concurrency, delay=delay, quiet=True)
    for key in ("DOWNLOADER_MIDDLEWARES", "ITEM_PIPELINES"):
        settings.pop(key)
    settings["LOG_ENABLED"] = False
    process = AsyncCrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler)
    sampler = StageSampler() if profile else contextlib.nullcontext()
    with sampler:
        process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"pages": stats.get("response_received_count", 0),
                      "requests": stats.get("downloader/request_count", 0),
                      "seconds": marks["end"] - marks["start"], "cpu_s": marks["cpu1"] - marks["cpu0"],
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "stages": dict(sampler.counts) if profile else {}}))


def govaudit_main(url: str, db: str, concurrency: int, delay: float, as_of: str, reverify: int,
                  profile: bool) -> None:
    """`govaudit crawl` in this process, with its crawl-phase time and CPU and parse_page's own CPU measured.

    `crawl_s` and `cpu_s` cover the same window: from the spider's start (where a re-crawl builds its plan,
    before the first request) to the run's summary after the spider closed. Start-up before it (the interpreter,
    imports, Scrapy's engine and components, compiled from source where PYTHONDONTWRITEBYTECODE is set) is the
    same on every run and counted on neither side; `seconds` (govaudit's own duration, from the run's creation,
    which the throughput table uses) and the parent's `process_s` include it.
    """
    import crawler.extract.page as page_module
    from crawler.run import run_crawl
    from crawler.spiders.portal import PortalSpider

    marks = {"parse_cpu": 0.0, "parse_calls": 0}
    real_parse_page, real_start = page_module.parse_page, PortalSpider.start

    def timed_parse_page(*args, **kwargs):
        before = time.process_time()
        try:
            return real_parse_page(*args, **kwargs)
        finally:
            marks["parse_cpu"] += time.process_time() - before
            marks["parse_calls"] += 1

    async def timed_start(self):
        marks["cpu0"], marks["wall0"] = time.process_time(), time.monotonic()
        async for request in real_start(self):
            yield request

    page_module.parse_page = timed_parse_page
    PortalSpider.start = timed_start
    sampler = StageSampler() if profile else contextlib.nullcontext()
    from govaudit.audit import open_store

    store = open_store(db)                    # the privacy tokeniser on, as `govaudit crawl` stores text
    redactor, url_redactor = store.redactor, store.url_redactor
    store.close()
    _initialise_once(redactor)
    with sampler:
        result = run_crawl(url, db, dt.date.fromisoformat(as_of), concurrency=concurrency, delay=delay,
                           progress=False, reverify_weeks=reverify, redactor=redactor, url_redactor=url_redactor)
    cpu, seconds = time.process_time() - marks["cpu0"], time.monotonic() - marks["wall0"]
    stats = result.stats
    print(json.dumps({"pages": stats["responses"], "requests": stats["requests"], "seconds": stats["duration_s"],
                      "crawl_s": seconds,
                      "cpu_s": cpu, "parse_cpu_s": marks["parse_cpu"], "parse_calls": marks["parse_calls"],
                      "rss_mb": stats["peak_rss_mb"], "inventory_s": stats["inventory_s"],
                      "not_modified": stats["not_modified"], "carried": stats.get("carried_forward", 0),
                      "stored_pages": stats["pages"], "columns": stats["columns"], "bytes": stats["bytes"],
                      "stages": dict(sampler.counts) if profile else {}}))


def _initialise_once(redactor) -> None:
    """What a process initialises once, whatever it crawls, done before the timed window on every run: the
    privacy scanner's hyperscan database (~0.1 s) and the column-type vocabulary (YAML, ~0.1 s). A worker that
    audits a province's sites pays them once per process, not once per site; left in the window they would
    be a fixed cost of every crawl and say nothing about the crawl itself."""
    from rules.column_types import judge_column_type, load_column_types

    redactor("联系电话：0871-1234567")
    load_column_types()
    judge_column_type("通知公告")


def _copy_store(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite store (WAL included), for re-crawls that each start from the first."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _env(tree: Path = REPO) -> dict:
    env = dict(os.environ)
    env["CI"] = "true"
    env["PYTHONPATH"] = str(tree)
    return env


def _sub(args: list[str], tree: Path = REPO) -> dict:
    """One crawl in a fresh process; `process_s` is its whole wall time, interpreter start-up and imports included.

    `tree`: the source tree whose code crawls (an earlier revision for --before), measured by this file's code.
    """
    started = time.monotonic()
    script = __file__ if tree == REPO else str(tree / "bench" / Path(__file__).name)
    out = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, env=_env(tree), cwd=tree)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "process_s": time.monotonic() - started}


def run_bare(url: str, concurrency: int, delay: float, dedup: bool, profile: bool = False) -> dict:
    return _sub(["--bare", url, "--concurrency", str(concurrency), "--delay", str(delay)]
                + (["--dedup"] if dedup else []) + (["--profile"] if profile else []))


def run_govaudit(url: str, db: Path, concurrency: int, delay: float, as_of: dt.date = AS_OF, reverify: int = 4,
                 profile: bool = False, tree: Path = REPO) -> dict:
    return _sub(["--govaudit", url, "--db", str(db), "--concurrency", str(concurrency), "--delay", str(delay),
                 "--as-of", as_of.isoformat(), "--reverify-weeks", str(reverify)] + (["--profile"] if profile else []),
                tree)


def _revision_tree(revision: str, target: Path) -> Path:
    """`revision` of this repository unpacked into `target`, with this file as its bench (both sides measured alike)."""
    target.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    shutil.copy(__file__, target / "bench" / Path(__file__).name)
    return target


def before_after(before: str, after: str | None, scale: float, rounds: int, concurrency: int, delay: float) -> None:
    """The first crawl and the unchanged re-crawls (--reverify-weeks 8 and 4) by revision `before` and by `after`
    (default: the working tree), side by side on one nginx-served demo site, alternating which goes first each
    round; this file measures both. Prints the medians and after ÷ before."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trees = {"before": _revision_tree(before, tmp / "before"),
                 "after": _revision_tree(after, tmp / "after") if after else REPO}
        build_demo(tmp / "site", scale)
        runs: dict[tuple[str, str], list[dict]] = {}
        with nginx_static(tmp / "site") as base:
            url = base + "/index.html"
            for i in range(rounds):
                for name in (("before", "after") if i % 2 == 0 else ("after", "before")):
                    db = tmp / f"{name}{i}.sqlite"
                    runs.setdefault((name, "first"), []).append(
                        run_govaudit(url, db, concurrency, delay, tree=trees[name]))
                    for weeks in (8, 4):
                        copy = tmp / f"{name}{i}_w{weeks}.sqlite"
                        _copy_store(db, copy)
                        runs.setdefault((name, str(weeks)), []).append(run_govaudit(
                            url, copy, concurrency, delay, AS_OF + dt.timedelta(weeks=1), weeks, tree=trees[name]))
                print(f"  round {i + 1} of {rounds} done, load {os.getloadavg()[0]:.1f}", flush=True)

    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    print(f"\nbefore = {before}, after = {after or 'working tree'}; scale {scale}, nginx, {rounds} alternating rounds "
          "(medians):")
    print("| crawl | requests before / after | time (s) before / after | after ÷ before | CPU (s) before / after | "
          "after ÷ before | time ÷ first before / after |")
    print("|---|---|---|---|---|---|---|")
    for kind in ("first", "8", "4"):
        b, a = runs[("before", kind)], runs[("after", kind)]
        tb, ta = median([r["crawl_s"] for r in b]), median([r["crawl_s"] for r in a])
        cb, ca = median([r["cpu_s"] for r in b]), median([r["cpu_s"] for r in a])
        fb = median([r["crawl_s"] / f["crawl_s"] for r, f in zip(b, runs[("before", "first")], strict=True)])
        fa = median([r["crawl_s"] / f["crawl_s"] for r, f in zip(a, runs[("after", "first")], strict=True)])
        label = "first crawl" if kind == "first" else f"re-crawl --reverify-weeks {kind}"
        print(f"| {label} | {median([r['requests'] for r in b])} / {median([r['requests'] for r in a])} | "
              f"{tb:.2f} / {ta:.2f} | {ta / tb:.2f} | {cb:.2f} / {ca:.2f} | {ca / cb:.2f} | {fb:.2f} / {fa:.2f} |")


# ---------------------------------------------------------------------------- servers
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not start")


@contextlib.contextmanager
def twisted_static(root: Path):
    """Twisted's static server (1 process): the server the earlier figures were measured with."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "twisted", "web", "--path", str(root),
                             "--listen", f"tcp:{port}:interface=127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@contextlib.contextmanager
def nginx_static(root: Path):
    """Debian's nginx, one worker, serving `root` on a free loopback port; ETag and Last-Modified on."""
    if NGINX is None:
        raise RuntimeError("nginx 未安装：apt-get install nginx-light")
    port = _free_port()
    prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    user = "user root;" if os.geteuid() == 0 else ""          # workers must read the bench's private temp dir
    (prefix / "nginx.conf").write_text(f"""
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
  types {{ text/html html htm; application/pdf pdf; text/csv csv; }}
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy; fastcgi_temp_path {prefix}/fcgi;
  uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(prefix, ignore_errors=True)


def build_demo(root: Path, scale: float) -> int:
    from govaudit.demo.generator import build

    manifest = build(root, seed=2026, as_of=dt.date(2026, 11, 28), scale=scale)
    return len(manifest.articles)


def _stage_table(title: str, runs: dict[str, dict]) -> None:
    """Each stage's share of the samples in which the main thread was busy, per crawl."""
    names = [stage for stage, _ in STAGES] + ["engine"]
    print(f"\n{title}: share of busy samples (the main thread's stack every 1 ms; idle = waiting in select())")
    print("| stage | " + " | ".join(runs) + " |")
    print("|---|" + "---|" * len(runs))
    for stage in names + ["idle"]:
        cells = []
        for run in runs.values():
            counts = run["stages"]
            busy = sum(v for k, v in counts.items() if k != "idle") or 1
            total = sum(counts.values()) or 1
            if stage == "idle":
                cells.append(f"{counts.get('idle', 0) / total:.0%} of all samples")
            else:
                share = counts.get(stage, 0) / busy
                cells.append(f"{share:.0%} ({share * run['cpu_s'] * 1000 / max(run['pages'], 1):.2f} ms/page)")
        print(f"| {stage} | " + " | ".join(cells) + " |")


def _throughput_goals(rows: list[dict]) -> None:
    """Issue 15's throughput goals per scale and server, medians of the runs: govaudit ≥ 0.35× the bare spider's
    pages/s (the fair bare spider, with its own seen-set; govaudit's time counted from the run's creation, so its
    engine construction is on its side only) and parse_page ≤ 4 ms CPU a page inside the crawl."""
    print("\nGoals (issue 15): govaudit ≥ 0.35× the bare spider's pages/s, parse_page ≤ 4 ms CPU a page (median of the runs):")
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["scale"], r["server"]), []).append(r)
    for (scale, server), runs in groups.items():
        def median(values: list[float]) -> float:
            return sorted(values)[len(values) // 2]

        ratio = median([(r["first"]["pages"] / r["first"]["seconds"]) / (r["dedup"]["pages"] / r["dedup"]["seconds"])
                        for r in runs])
        parse_ms = median([r["first"]["parse_cpu_s"] * 1000 / max(r["first"]["parse_calls"], 1) for r in runs])
        print(f"  scale {scale} {server}: pages/s {ratio:.2f}× bare with its own seen-set "
              f"({'met' if ratio >= 0.35 else 'not met'}); parse_page {parse_ms:.2f} ms a page "
              f"({'met' if parse_ms <= 4 else 'not met'}) ({len(runs)} runs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bare", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--govaudit", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--as-of", default=AS_OF.isoformat(), help=argparse.SUPPRESS)
    parser.add_argument("--reverify-weeks", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--dedup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--scales", default="1")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--servers", default="twisted,nginx")
    parser.add_argument("--profile", action="store_true", help="also a sampled per-stage breakdown (nginx)")
    parser.add_argument("--quick", action="store_true", help="one scale (0.3), one repeat")
    parser.add_argument("--before", metavar="REV", help="instead: first crawl and re-crawls of revision REV against "
                        "the working tree (or --after REV), alternating (--repeat rounds, first scale, nginx)")
    parser.add_argument("--after", metavar="REV", help="with --before: the revision to compare instead of the working tree")
    parser.add_argument("--polite-delay", type=float, default=0.02,
                        help="delay for the polite-shaped run (real default is 1 s; scaled down to keep it short)")
    args = parser.parse_args()
    if args.bare:
        bare_main(args.bare, args.concurrency, args.delay, args.dedup, args.profile)
        return 0
    if args.govaudit:
        govaudit_main(args.govaudit, args.db, args.concurrency, args.delay, args.as_of, args.reverify_weeks,
                      args.profile)
        return 0
    if args.before:
        before_after(args.before, args.after, float(args.scales.split(",")[0]), max(args.repeat, 1), args.concurrency,
                     args.delay)
        return 0

    servers = {"twisted": twisted_static, "nginx": nginx_static}
    chosen = [s for s in args.servers.split(",") if s]
    if "nginx" in chosen and NGINX is None:
        print("nginx not installed (apt-get install nginx-light): Twisted only")
        chosen = [s for s in chosen if s != "nginx"]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; concurrency {args.concurrency}, "
          f"delay {args.delay}; servers {', '.join(chosen)}")
    next_week = AS_OF + dt.timedelta(weeks=1)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for scale in [0.3] if args.quick else [float(x) for x in args.scales.split(",")]:
            root = tmp / f"site{scale}"
            articles = build_demo(root, scale)
            for server_name in chosen:
                with servers[server_name](root) as base:
                    url = base + "/index.html"
                    for i in range(1 if args.quick else args.repeat):
                        bare = run_bare(url, args.concurrency, args.delay, dedup=False)
                        dedup = run_bare(url, args.concurrency, args.delay, dedup=True)
                        db = tmp / f"{server_name}{scale}_{i}.sqlite"
                        first = run_govaudit(url, db, args.concurrency, args.delay)
                        again = {}
                        for weeks in (1, 4, 8):
                            copy = tmp / f"{server_name}{scale}_{i}_w{weeks}.sqlite"
                            _copy_store(db, copy)
                            again[weeks] = run_govaudit(url, copy, args.concurrency, args.delay, next_week, weeks)
                        row = {"scale": scale, "server": server_name, "articles": articles, "bare": bare,
                               "dedup": dedup, "first": first, "again": again}
                        print(f"  scale {scale} {server_name} run {i + 1}: govaudit {first['pages']} responses in "
                              f"{first['seconds']:.1f} s, bare {bare['pages']} in {bare['seconds']:.1f} s, "
                              f"bare+dedup {dedup['pages']} in {dedup['seconds']:.1f} s", flush=True)
                        rows.append(row)
                    if server_name == chosen[-1]:
                        polite = run_govaudit(url, tmp / f"polite{scale}.sqlite", 2, args.polite_delay)
                        rows[-1]["polite"] = polite
                    if args.profile and server_name == chosen[-1]:
                        prof_db = tmp / f"prof{scale}.sqlite"
                        rows[-1]["profile"] = {
                            "govaudit": run_govaudit(url, prof_db, args.concurrency, args.delay, profile=True),
                            "bare (Scrapy dupefilter)": run_bare(url, args.concurrency, args.delay, False, True),
                            "bare + own seen-set": run_bare(url, args.concurrency, args.delay, True, True)}

    def rate(r):
        return r["pages"] / r["seconds"]

    def cpu(r):
        return r["cpu_s"] * 1000 / max(r["pages"], 1)

    print("\n| scale | server | responses | govaudit pages/s (CPU ms/page) | bare, Scrapy dupefilter | "
          "bare, own seen-set | govaudit ÷ bare (dupefilter, seen-set) | parse_page CPU ms/page | "
          "peak RSS govaudit / bare (MB) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        f, b, d = r["first"], r["bare"], r["dedup"]
        print(f"| {r['scale']} | {r['server']} | {f['pages']} | {rate(f):.0f} ({cpu(f):.1f}) | {rate(b):.0f} "
              f"({cpu(b):.1f}) | {rate(d):.0f} ({cpu(d):.1f}) | {rate(f) / rate(b):.2f}, {rate(f) / rate(d):.2f} | "
              f"{f['parse_cpu_s'] * 1000 / max(f['parse_calls'], 1):.2f} | {f['rss_mb']:.0f} / {b['rss_mb']:.0f} |")
    print("\nUnchanged re-crawl one week later (--as-of +7 days), ÷ the first crawl. Time and CPU: the crawl, from the "
          "spider's start to the run's summary (start-up on neither side); from creation: govaudit's own duration, "
          "which adds Scrapy's engine construction; process: the whole `python` process, interpreter start-up and "
          "imports included:")
    print("| scale | server | run | --reverify-weeks | requests | ÷ first | time (s) | time ÷ first | CPU ÷ first | "
          "from creation ÷ first | process ÷ first | 304s | carried forward |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    ratios: dict[tuple, list[tuple[float, float]]] = {}
    for i, r in enumerate(rows):
        f = r["first"]
        print(f"| {r['scale']} | {r['server']} | {i + 1} | first | {f['requests']} | 1.00 | {f['crawl_s']:.2f} | 1.00 | "
              f"1.00 | 1.00 | 1.00 | {f['not_modified']} | 0 |")
        for weeks, a in r["again"].items():
            print(f"| {r['scale']} | {r['server']} | {i + 1} | {weeks} | {a['requests']} | "
                  f"{a['requests'] / f['requests']:.2f} | {a['crawl_s']:.2f} | {a['crawl_s'] / f['crawl_s']:.2f} | "
                  f"{a['cpu_s'] / f['cpu_s']:.2f} | {a['seconds'] / f['seconds']:.2f} | "
                  f"{a['process_s'] / f['process_s']:.2f} | {a['not_modified']} | {a['carried']} |")
            ratios.setdefault((r["scale"], r["server"], weeks), []).append(
                (a["requests"] / f["requests"], a["crawl_s"] / f["crawl_s"]))
    print("\nGoal (issue 15): an unchanged re-crawl at ≤ 0.2× the first crawl's requests and time (median of the runs):")
    for (scale, server, weeks), values in ratios.items():
        requests = sorted(v[0] for v in values)[len(values) // 2]
        seconds = sorted(v[1] for v in values)[len(values) // 2]
        met = "met" if requests <= 0.2 and seconds <= 0.2 else "not met"
        print(f"  scale {scale} {server} --reverify-weeks {weeks}: requests {requests:.2f}×, time {seconds:.2f}× "
              f"({len(values)} runs): {met}")
    _throughput_goals(rows)
    for r in rows:
        if "polite" in r:
            p = r["polite"]
            share = p["inventory_s"] / p["seconds"]
            print(f"\npolite-shaped (concurrency 2, delay {args.polite_delay} s), scale {r['scale']}: column inventory "
                  f"complete at {share:.2f} of the crawl ({p['seconds']:.0f} s; goal ≤ 0.10: "
                  f"{'met' if share <= 0.10 else 'not met'})")
        if "profile" in r:
            _stage_table(f"scale {r['scale']}, {r['server']}", r["profile"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
