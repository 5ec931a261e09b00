"""Personal-data scanner throughput: hyperscan engine vs a stdlib `re` baseline with identical patterns.

Generates ≥ 50 MB (UTF-8) of seeded Chinese text with planted IDs (plain, spaced, wrapped, full-width),
mobiles, bank cards, passports, masked IDs and look-alikes (invalid IDs, 信用代码, dates, amounts,
landlines, long digit runs), scans it with each engine through the same recognizers and validators,
asserts the hit lists are identical (every field, same order), and prints MB/s and the ratio. The
hyperscan and `re` engines also run with the plain reference code (checks/privacy/reference.py: the
validation, context look-ups, split-number joins and engine report handling as they were before issue
15 item 4, hit building and overlap resolution as before its third pass) to show what the fast code buys,
with the same assertion. With --batch the documents are also scanned by `Scanner.scan_many` (one pattern
pass per batch of documents, context per document), hyperscan and `re`, asserted identical to the per-document
scans, its ratios taken against `re` scanning document by document (the baseline) and against `re` batched.
Timings are best of --repeat rounds, each round running every engine in turn in one process; wall time and the process's
CPU time (on a shared machine the wall-time ratio also counts the other jobs' turns).

    uv run python bench/pii_bench.py [--mb 50] [--seed 7] [--repeat 3] [--no-reference] [--batch] [--write bench/RESULTS-pii.md]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks.privacy import synthetic  # noqa: E402
from checks.privacy.normalize import normalise, scan_buffer  # noqa: E402
from checks.privacy.reference import reference_validation  # noqa: E402
from checks.privacy.scanner import Scanner, hyperscan  # noqa: E402

WORDS = ("关于 进一步 做好 工作 的 通知 各 乡镇 人民政府 县直 各 单位 根据 有关 规定 现将 名单 予以 公示 公示期 "
         "如有 异议 请 在 内 向 反映 特此 公告 城乡 低保 特困 人员 补贴 发放 情况 危房 改造 项目 资金 安排 "
         "政府 信息 公开 年度 报告 主动 依申请 行政 复议 诉讼 办理 结果 乡村 振兴 安全 生产 检查 森林 防火 "
         "疫情 防控 教育 医疗 卫生 养老 保险 就业 创业 扶持 政策 解读 会议 召开 研究 部署 落实 推进").split()
FW = str.maketrans("0123456789", "０１２３４５６７８９")


def generate(target_bytes: int, seed: int, sparse: int = 1) -> tuple[str, dict[str, int]]:
    """Seeded text of about `target_bytes` UTF-8 bytes and the planted counts; `sparse` = filler multiplier."""
    rng = random.Random(seed)
    counts = dict.fromkeys(("id18", "id18_spaced", "id18_wrapped", "id18_fullwidth", "mobile", "bank",
                            "passport", "weak_masked", "id18_invalid", "uscc", "noise"), 0)
    chunks: list[str] = []
    size = 0
    while size < target_bytes:
        filler = "".join(rng.choices(WORDS, k=rng.randint(150, 400) * sparse))
        roll = rng.randrange(16)
        if roll == 0:
            item = f"身份证号码：{synthetic.id18(rng)}"
            counts["id18"] += 1
        elif roll == 1:
            v = synthetic.id18(rng)
            item = f"身份证 {v[:6]} {v[6:14]} {v[14:]}"
            counts["id18_spaced"] += 1
        elif roll == 2:
            v = synthetic.id18(rng)
            item = f"表格\n{v[:13]}\n{v[13:]}\n"
            counts["id18_wrapped"] += 1
        elif roll == 3:
            item = f"证件号{synthetic.id18(rng).translate(FW)}"
            counts["id18_fullwidth"] += 1
        elif roll in (4, 5):
            m = synthetic.mobile(rng)
            item = rng.choice([f"联系电话：{m}", f"手机 {m[:3]} {m[3:7]} {m[7:]}", f"+86{m}"])
            counts["mobile"] += 1
        elif roll == 6:
            item = f"开户账号：{synthetic.bank_card(rng)}"
            counts["bank"] += 1
        elif roll == 7:
            item = f"护照号码E{rng.randint(10**7, 10**8 - 1)}"
            counts["passport"] += 1
        elif roll == 8:
            item = f"身份证号 3417211993****{rng.randint(1000, 9999)} 与 35*************{rng.randint(100, 999)}"
            counts["weak_masked"] += 1
        elif roll == 9:
            item = f"身份证号{synthetic.id18(rng, valid=False)}"
            counts["id18_invalid"] += 1
        elif roll == 10:
            item = f"统一社会信用代码：{synthetic.uscc(rng)}"
            counts["uscc"] += 1
        elif roll == 11:
            item = f"{rng.randint(10**15, 10**26)}"
            counts["noise"] += 1
        else:
            item = rng.choice([f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                               f"金额{rng.randint(100, 99999)}.{rng.randint(0, 99):02d}元",
                               f"电话0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}",
                               f"示政发〔{rng.randint(2015, 2025)}〕{rng.randint(1, 200)}号",
                               f"索引号：{rng.randint(10**8, 10**9 - 1)}/{rng.randint(2015, 2025)}-{rng.randint(1, 99999):05d}"])
        chunk = f"{filler}，{item}。"
        chunks.append(chunk)
        size += len(chunk.encode("utf-8"))
    return "".join(chunks), counts


def split(text: str, doc_chars: int) -> list[str]:
    """The corpus cut into documents of about `doc_chars` characters, at sentence ends ('。')."""
    if doc_chars <= 0:
        return [text]
    docs, start = [], 0
    while start < len(text):
        cut = text.find("。", start + doc_chars)
        end = len(text) if cut < 0 else cut + 1
        docs.append(text[start:end])
        start = end
    return docs


def timed(scanner: Scanner, docs: list[str], repeat: int, batch: bool = False) -> tuple[float, float, list, float]:
    """Best end-to-end scan time, best candidate-finding time (engine only), the hits per document, and
    the best end-to-end CPU time of the process (on a shared machine wall time counts the other jobs'
    turns too; CPU time counts this scan's own, page faults and cache misses included). `batch`: the
    documents go through `scan_many` instead of one `scan` each."""
    best, best_raw, best_cpu, hits = float("inf"), float("inf"), float("inf"), []
    bufs = [scan_buffer(normalise(doc)) for doc in docs]
    scanner.scan(docs[0][:20000])               # one-time costs (numpy's import for the batch checks) untimed
    for _ in range(repeat):
        start = time.perf_counter()
        for buf in bufs:
            scanner.raw_matches(buf)
        best_raw = min(best_raw, time.perf_counter() - start)
        start, cpu = time.perf_counter(), time.process_time()
        if batch:
            hits = scanner.scan_many(docs, salt=b"bench", min_score=0.6, spreadsheet=False)
        else:
            hits = [scanner.scan(doc, salt=b"bench", min_score=0.6, spreadsheet=False) for doc in docs]
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return best, best_raw, [(i, h) for i, doc_hits in enumerate(hits) for h in doc_hits], best_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--doc-kb", type=float, default=0, help="scan as documents of this many kB (0: one buffer)")
    parser.add_argument("--sparse", type=int, default=1, help="filler multiplier (10 = one value per ~15 kB)")
    parser.add_argument("--no-reference", dest="reference", action="store_false",
                        help="skip the runs with the plain reference validation")
    parser.add_argument("--batch", action="store_true",
                        help="also scan the documents with Scanner.scan_many (hyperscan and re)")
    parser.add_argument("--write", type=Path, help="append the results to this markdown file")
    args = parser.parse_args()

    start = time.perf_counter()
    text, counts = generate(int(args.mb * 1_000_000), args.seed, args.sparse)
    mb = len(text.encode("utf-8")) / 1_000_000
    gen_s = time.perf_counter() - start
    docs = split(text, int(args.doc_kb * 1000 / 3))
    engines = (["hyperscan"] if hyperscan is not None else []) + ["regex", "re"]
    runs = [(engine, False) for engine in engines]
    if args.reference:
        runs += [(engine, True) for engine in (["hyperscan"] if hyperscan is not None else []) + ["re"]]
    if args.batch:                              # a batched run right after its per-document one, in turn
        runs += [(engine, "batch") for engine in engines if engine != "regex"]
    results = {}
    scanners = {run: Scanner(engine=run[0]) for run in runs}
    # Rounds alternate between the runs (each run's best of its rounds): a busy minute on the shared
    # machine slows one round of every run, not every round of one.
    for _ in range(args.repeat):
        for engine, plain in runs:
            with reference_validation() if plain is True else contextlib.nullcontext():
                seconds, raw_seconds, hits, cpu_seconds = timed(scanners[engine, plain], docs, 1,
                                                                batch=plain == "batch")
            if (engine, plain) in results:
                best = results[engine, plain]
                seconds, raw_seconds, cpu_seconds = (min(seconds, best[0]), min(raw_seconds, best[3]),
                                                     min(cpu_seconds, best[4]))
            key = [(i, dataclasses.astuple(h)) for i, h in hits]
            results[engine, plain] = (seconds, key, hits, raw_seconds, cpu_seconds)
    base_key = results["re", False][1]
    for run in runs:
        assert results[run][1] == base_key, f"{run} hit list differs from the re baseline"
    hits = results["re", False][2]
    found: dict[str, int] = {}
    for _, h in hits:
        name = h.pii_type if h.kind == "personal_data" else f"{h.pii_type}/{h.kind}"
        found[name] = found.get(name, 0) + 1
    planted_ids = counts["id18"] + counts["id18_spaced"] + counts["id18_wrapped"] + counts["id18_fullwidth"]
    lines = [
        f"corpus: {mb:.1f} MB UTF-8, {len(text):,} chars in {len(docs):,} documents, seed {args.seed}, "
        f"sparse {args.sparse}, "
        f"generated in {gen_s:.1f} s",
        f"planted: {counts}",
        f"found (all runs identical, every field, {len(hits):,} hits): {found}",
        f"valid IDs planted {planted_ids} (plain/spaced/wrapped/full-width), found {found.get('id_card', 0)}",
        "",
        f"| engine | validation | scan, best of {args.repeat} (s) | MB/s | vs re (same validation) "
        "| scan CPU (s) | CPU vs re | candidate finding only (s) | MB/s | vs re |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base_raw = results["re", False][3]
    for engine, plain in runs:
        seconds, raw, cpu = results[engine, plain][0], results[engine, plain][3], results[engine, plain][4]
        base_s, base_cpu = results["re", plain is True][0], results["re", plain is True][4]
        label = {True: "reference", False: "fast", "batch": "fast, scan_many"}[plain]
        lines.append(f"| {engine} | {label} | {seconds:.3f} | {mb / seconds:.0f} "
                     f"| {base_s / seconds:.1f}× | {cpu:.3f} | {base_cpu / cpu:.1f}× "
                     f"| {raw:.3f} | {mb / raw:.0f} | {base_raw / raw:.1f}× |")
    if args.batch:
        for name, (index, run) in (("wall", (0, "batch")), ("CPU", (4, "batch"))):
            lines.append(f"hyperscan scan_many ÷ re scan_many ({name}): "
                         f"{results['re', run][index] / results['hyperscan', run][index]:.1f}×")
    lines.append("")
    lines.append(f"python {platform.python_version()}, {platform.machine()}, {platform.processor() or 'cpu n/a'}")
    report = "\n".join(lines)
    print(report)
    if args.write:
        with args.write.open("a", encoding="utf-8") as handle:
            handle.write(f"\n## `{' '.join(sys.argv[1:])}`\n\n```\n" + report.split("\n\n")[0]
                         + "\n```\n\n" + "\n".join(report.split("\n\n")[1:]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
