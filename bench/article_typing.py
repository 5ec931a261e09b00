"""Would typing columns from their articles create false stale findings? Measured on real names and the demo.

    uv run python bench/article_typing.py --styles classic trs-real hanweb-real vsb-real mixed-real --seeds 11 5 7

1. shared/reference/columns/real-columns.tsv: which real columns the article evidence may type at all
   (their name, parents and metas leave them open, rules/column_types.open_to_articles), and what type
   an inspector gave those columns.
2. Demo builds (no crawl: the manifest knows every column's true type, age and articles): for each
   column, what judge_by_articles says from its dated articles, (a) on the columns it may type, and
   (b) as a stress test, on every column as if none were typed by anything else. A "false stale" is a
   column typed from its articles (动态要闻, 规划计划: the kinds that judge freshness) whose true type is
   another one and whose newest article is older than the type allows (14 days, 1 year): the finding a
   wrong article type would cause.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rules.column_types import judge_by_articles, judge_column_type, judges_freshness, open_to_articles  # noqa: E402

AS_OF = dt.date(2026, 11, 30)
STALE_DAYS = {"动态要闻": 14, "规划计划": 365}      # rules/presets/guoban-2019: UPD001, UPD003


def _parents(path: str, name: str) -> list[str]:
    parts = [p.strip() for p in path.replace(">", "/").split("/") if p.strip()]
    return parts[:-1] if parts and parts[-1] == name else parts


def real_columns(path: Path) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    open_rows = [r for r in rows if open_to_articles(judge_column_type(r["name"], _parents(r["parent_path"] or "", "")))]
    labels = Counter(r["type"] for r in open_rows)
    print(f"real-columns.tsv: {len(rows)} columns, {len(open_rows)} left open to article evidence; "
          f"inspector's types of those: {dict(labels)}")
    for r in open_rows:
        print(f"    {r['parent_path'] or '-'} > {r['name']}: {r['type']}")


def demo(styles: list[str], seeds: list[int], scale: float, names_file: Path | None) -> None:
    from govaudit.demo.generator import build

    totals = Counter()
    for style in styles:
        for seed in seeds:
            with tempfile.TemporaryDirectory(prefix="govaudit-article-typing-") as work:
                site = Path(work) / "site"
                build(site, seed=seed, as_of=AS_OF, scale=scale, style=style, names_file=names_file)
                manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
            articles: dict[str, list[tuple[str, str | None]]] = {}
            for a in manifest["articles"]:
                if a.get("published"):
                    articles.setdefault(a["column_url"], []).append((a["title"], a.get("doc_number")))
            line = Counter()
            for column in manifest["columns"]:
                if column.get("hub"):
                    continue
                verdict = judge_by_articles(articles.get(column["url"], []))
                if verdict is None:
                    continue
                stale = (verdict.type in STALE_DAYS and column.get("latest")
                         and (AS_OF - dt.date.fromisoformat(column["latest"])).days > STALE_DAYS[verdict.type])
                wrong = verdict.type != column["type"]
                opened = open_to_articles(judge_column_type(column["name"], _parents(column["path"], column["name"])))
                for scope, counted in (("all", True), ("open", opened)):
                    if not counted:
                        continue
                    line[f"{scope}_typed"] += 1
                    line[f"{scope}_wrong"] += wrong
                    line[f"{scope}_false_stale"] += bool(wrong and stale and judges_freshness(verdict.type, "articles"))
                    if scope == "open":
                        print(f"    {style} {seed}: {column['name']} -> {verdict.type} (true {column['type']}"
                              f"{', stale' if stale else ''})")
                if wrong and stale:
                    print(f"    {style} {seed} stress: {column['name']} (true {column['type']}) -> {verdict.type}, stale")
            print(f"{style} seed {seed}: open columns typed {line['open_typed']}, wrong {line['open_wrong']}, "
                  f"false stale {line['open_false_stale']} | stress (every column): typed {line['all_typed']}, "
                  f"wrong {line['all_wrong']}, false stale {line['all_false_stale']}")
            totals.update(line)
    print(f"total: open columns typed {totals['open_typed']}, wrong {totals['open_wrong']}, false stale "
          f"{totals['open_false_stale']} | stress: typed {totals['all_typed']}, wrong {totals['all_wrong']}, "
          f"false stale {totals['all_false_stale']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", nargs="+", default=["classic", "trs-real", "hanweb-real", "vsb-real", "mixed-real"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 5, 7])
    parser.add_argument("--scale", type=float, default=0.3)
    args = parser.parse_args()
    from govaudit.demo.styles import default_columns_file

    names = default_columns_file()
    real_columns(names)
    demo(args.styles, args.seeds, args.scale, names if names.is_file() else None)


if __name__ == "__main__":
    main()
