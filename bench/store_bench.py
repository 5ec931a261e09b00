"""Store benchmark: the shared PostgreSQL store against the SQLite file, side by side in one run.

What a crawl asks of the store: one upsert per page (text through the privacy tokeniser), about ten
link rows per page, a commit every 50 records; then the checks load the whole run back. Measured
here on synthetic county pages (realistic length, some synthetic personal data) for:

  * one writer: records/s on each database, with the tokeniser (as the crawl runs) and without it
    (the database's own cost), and the time to load the run back as a Snapshot;
  * several writer processes into one store at once (workers sharing it): SQLite serialises them
    on its one write lock, PostgreSQL takes them in parallel;
  * the round trip of one statement, which on a LAN decides what a remote server costs per page.

PostgreSQL is Debian's server started on 127.0.0.1 by tests/servers.py (as `bash run.sh test`
installs it). Loopback has no network latency; the projection in RESULTS.md adds a LAN's.

    uv run python bench/store_bench.py [--pages 3000] [--writers 4]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from checks.privacy import synthetic  # noqa: E402
from checks.privacy.redact import tokenize  # noqa: E402
from crawler.records import LinkRecord, PageRecord  # noqa: E402
from crawler.store import Store  # noqa: E402

AS_OF = dt.date(2026, 11, 30)
PHRASES = ["根据《中华人民共和国政府信息公开条例》规定，", "现将有关事项通知如下：", "各乡镇人民政府、县直各单位：",
           "请各单位高度重视，认真组织实施。", "联系电话：0731-1234567。", "附件：申请表.docx", "特此公告。",
           "本年度全县完成固定资产投资同比增长百分之八点五，", "县人民政府办公室", "二〇二六年十一月二十日"]


def _pages(count: int, seed: int, prefix: str) -> list[tuple[PageRecord, list[LinkRecord]]]:
    rng = random.Random(seed)
    result = []
    for i in range(count):
        body = "".join(rng.choice(PHRASES) for _ in range(rng.randint(40, 120)))
        if i % 10 == 0:
            body += f"申请人：张某某，身份证号：{synthetic.id18(rng)}，联系电话：{synthetic.mobile(rng)}。"
        url = f"http://county.example/{prefix}/art/{i}.html"
        page = PageRecord(url=url, column_url=f"http://county.example/{prefix}/col{i % 30}/", title=f"关于第{i}项工作的通知",
                          published=AS_OF - dt.timedelta(days=i % 400), text=body, sha256=f"{i:064x}")
        links = [LinkRecord(url, f"http://county.example/{prefix}/art/{(i + k) % count}.html", 200)
                 for k in range(1, 11)]
        result.append((page, links))
    return result


def _write(location: str, pages, redactor, links_one_by_one: bool = False) -> tuple[int, float, int]:
    """Write pages and links as the crawl's pipeline does; returns (run id, seconds, records).

    `links_one_by_one` writes each link as its own statement (the store before add_links), the
    baseline for what batching a page's links into one round trip gains."""
    with Store(location, redactor=redactor) as store:
        run_id = store.start_run("http://county.example/", "某县", AS_OF)
        started, pending, records = time.perf_counter(), 0, 0
        for page, links in pages:
            store.add_page(run_id, page)
            if links_one_by_one:
                for link in links:
                    store.add_link(run_id, link)
            else:
                store.add_links(run_id, links)          # the pipeline's LinkBatch
            pending += 1 + len(links)
            records += 1 + len(links)
            if pending >= 50:
                store.commit()
                pending = 0
        store.commit()
        store.finish_run(run_id, "complete")
        return run_id, time.perf_counter() - started, records


def _load(location: str, run_id: int) -> float:
    with Store(location) as store:
        started = time.perf_counter()
        store.load_snapshot(run_id)
        return time.perf_counter() - started


def _writer(args) -> float:
    location, pages, prefix = args
    _, seconds, _ = _write(location, _pages(pages, seed=hash(prefix) & 0xFFFF, prefix=prefix), tokenize)
    return seconds


def _parallel(location: str, writers: int, pages_each: int) -> float:
    """Wall time for `writers` processes each writing its own run into the one store."""
    Store(location).close()                        # schema first, so the writers only write
    with multiprocessing.get_context("spawn").Pool(writers) as pool:
        started = time.perf_counter()
        pool.map(_writer, [(location, pages_each, f"w{i}") for i in range(writers)])
        return time.perf_counter() - started


def _bytes_per_page(location: str, pages: int) -> float:
    """On-disk size of the store per page stored (with its links), for the storage projection."""
    with Store(location) as store:
        if location.startswith("postgresql"):
            size = store.db.execute(           # our tables with their indexes and TOAST, not the catalog
                "SELECT sum(pg_total_relation_size(quote_ident(tablename))) FROM pg_tables "
                "WHERE schemaname = current_schema()").fetchone()[0]
            size = int(size)
        else:
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = Path(location).stat().st_size
    return size / pages


def _round_trip_ms(location: str, count: int = 2000) -> float:
    with Store(location) as store:
        started = time.perf_counter()
        for _ in range(count):
            store.db.execute("SELECT value FROM meta WHERE key='app'").fetchone()
        return (time.perf_counter() - started) / count * 1000


def main() -> None:
    from tests.servers import create_database, postgres_bindir, postgres_server

    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    bindir = postgres_bindir()
    if bindir is None:
        sys.exit("PostgreSQL server not installed: apt-get install postgresql (bash run.sh test does).")
    pages = _pages(args.pages, seed=1, prefix="one")
    rows = []
    with tempfile.TemporaryDirectory() as tmp, postgres_server(bindir) as base:
        locations = {"sqlite": lambda name: str(Path(tmp) / f"{name}.sqlite"),
                     "postgres": lambda name: create_database(base, name)}
        results = {}
        for label, make in locations.items():
            plain_run, plain_s, records = _write(make("plain"), pages, None)
            _, one_by_one_s, _ = _write(make("onebyone"), pages, tokenize, links_one_by_one=True)
            location = make("tokenised")
            run_id, tokenised_s, _ = _write(location, pages, tokenize)
            load_s = _load(location, run_id)
            parallel_s = _parallel(make("parallel"), args.writers, args.pages // args.writers)
            results[label] = {
                "records_per_s_plain": records / plain_s, "records_per_s_tokenised": records / tokenised_s,
                "pages_per_s_tokenised": len(pages) / tokenised_s,
                "pages_per_s_links_one_by_one": len(pages) / one_by_one_s, "load_s": load_s,
                "parallel_pages_per_s": args.pages // args.writers * args.writers / parallel_s,
                "round_trip_ms": _round_trip_ms(location),
                "kb_per_page": _bytes_per_page(location, len(pages)) / 1024,
            }
        for key in results["sqlite"]:
            s, p = results["sqlite"][key], results["postgres"][key]
            rows.append(f"| {key} | {s:,.2f} | {p:,.2f} | {p / s:.2f}× |")
    print(f"{args.pages} pages (+10 links each), commit every 50 records; {args.writers} parallel writers\n")
    print("| measure | SQLite file | PostgreSQL (loopback) | PostgreSQL / SQLite |\n|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
