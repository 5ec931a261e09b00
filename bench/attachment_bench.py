"""Attachment extraction speed: our extractor against the bare library call it wraps, side by side.

Run: `uv run python bench/attachment_bench.py [rows]`. Prints, per format, the best of 3 runs for the
bare call (baseline) and for extract_attachment(), the overhead ratio, and the IDs found; then a batch
through AttachmentPool(2) against the same batch in-process. Ratios, not absolute times, are the result.
"""

from __future__ import annotations

import io
import random
import re
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "crawler" / "attachments"))

import attachment_samples as S  # noqa: E402

from crawler.attachment_pool import AttachmentPool  # noqa: E402
from crawler.extract.attachments import extract_attachment  # noqa: E402

ID = re.compile(r"\d{17}[\dX]")


def best(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bare_calamine(data: bytes) -> str:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return "\n".join("\t".join(str(v) for v in row) for name in wb.sheet_names
                     for row in wb.get_sheet_by_name(name).iter_rows())


def bare_docx(data: bytes) -> str:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return "\n".join("".join(p.itertext()) for p in root.iter("{*}p"))


def bare_pdf(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    return "\n".join(pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf)))


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    people = S.people(seed=1, n=rows)
    rng = random.Random(1)
    pages = [[f"{p.name} {p.id18} {p.mobile}" for p in people[i:i + 40]] for i in range(0, min(rows, 1680), 40)]
    files = {
        "list.xlsx": (S.xlsx_bytes(people), bare_calamine),
        "list.xls": (S.xls_bytes(people[:min(rows, 60000)]), bare_calamine),
        "notice.docx": (S.docx_bytes(people[:300]), bare_docx),
        "notice.pdf": (S.pdf_bytes(pages), bare_pdf),
        "list.zip": (S.zip_bytes({"a.xlsx": S.xlsx_bytes(people[:1000]), "b.csv":
                                  "\n".join(f"{p.name},{p.id18}" for p in people[:1000]).encode("gbk")}), None),
    }
    print(f"{'file':<12} {'KiB':>7} {'bare s':>8} {'ours s':>8} {'ratio':>6} {'segments':>8} {'IDs':>6}")
    for name, (data, bare) in files.items():
        ours = best(lambda d=data, n=name: extract_attachment(d, n))
        result = extract_attachment(data, name)
        base = best(lambda d=data, b=bare: b(d)) if bare else float("nan")
        ids = len(ID.findall(result.text))
        print(f"{name:<12} {len(data) // 1024:>7} {base:>8.3f} {ours:>8.3f} {ours / base:>6.2f} "
              f"{len(result.segments):>8} {ids:>6}")

    batch = [(name, data) for name, (data, _) in files.items()] * 4
    rng.shuffle(batch)
    inproc = best(lambda: [extract_attachment(d, n) for n, d in batch], runs=2)
    with AttachmentPool(workers=2) as pool:
        pool.extract(b"warm-up", "a.txt")
        pooled = best(lambda: [f.result() for f in [pool.submit(d, n) for n, d in batch]], runs=2)
    print(f"batch of {len(batch)} files: in-process {inproc:.3f} s, AttachmentPool(2) {pooled:.3f} s, "
          f"ratio {pooled / inproc:.2f}")


if __name__ == "__main__":
    main()
