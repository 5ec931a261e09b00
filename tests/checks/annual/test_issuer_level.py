"""Whose report it is decides what it owes: a 人民政府 states 工作考核、社会评议和责任追究 (第五十条第（四）项) and has
until 31 March, a department until 31 January. 县人民政府办公室 is a department although its name holds 人民政府;
judged as the county, its report drew two false ANR002 reviews on the trs-real and hanweb-real demo portals
(seed 11), where the 年报 column carries the 办公室's report beside the county's."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from checks.annual.context import guess_issuer_level
from checks.annual.portal import ANNUAL_COLUMN_TYPE, portal_findings
from crawler.extract.page import parse_page
from crawler.records import ColumnRecord, PageRecord, Snapshot
from tests.needs import reference_file

AS_OF = dt.date(2026, 11, 30)
HOST = "http://127.0.0.1:8000"


@pytest.mark.parametrize(("title", "level"), [
    ("青禾县人民政府2025年政府信息公开工作年度报告", "county"),
    ("青禾县人民政府2025年度政府信息公开工作年度报告", "county"),
    ("青禾县人民政府政府信息公开工作年度报告", "county"),                 # no year in the title
    ("青禾县人民政府信息公开工作2025年度报告", "county"),                  # the doubled 政府 dropped
    ("2025年青禾县人民政府政府信息公开工作年度报告", "county"),             # the year first
    ("禾丰镇人民政府2025年政府信息公开工作年度报告", "county"),
    ("平潭综合实验区2024年政府信息公开工作年度报告", "county"),
    ("青禾县2025年政府信息公开工作年度报告", "county"),
    ("青禾县人民政府办公室2025年政府信息公开工作年度报告", "department"),
    ("青禾县人民政府 办公室 2025 年政府信息公开工作年度报告", "department"),  # spaced as some CMS titles are
    ("青禾县人民政府国有资产监督管理委员会2025年政府信息公开工作年度报告", "department"),
    ("2025年度青禾县人民政府办公室政府信息公开工作年度报告", "department"),
    ("青禾县政府办2025年政府信息公开工作年度报告", "department"),
    ("青禾县教育体育局2025年政府信息公开工作年度报告", "department"),
    ("青禾县医疗保障局政府信息公开工作年度报告", "department"),
])
def test_issuer_level_is_read_from_the_issuer_not_the_whole_title(title, level):
    assert guess_issuer_level(title) == level


def _rendered_column(tmp_path, style: str, seed: int) -> tuple[Snapshot, dict]:
    """The demo's 年报 column as the crawler reads it: each report page of the built site through parse_page."""
    from govaudit.demo.generator import build

    site = tmp_path / "site"
    build(site, seed=seed, as_of=AS_OF, scale=0.3, style=style,
          names_file=reference_file("columns", "real-columns.tsv"))
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    column = next(c for c in manifest["columns"] if c["type"] == ANNUAL_COLUMN_TYPE)
    column_url = HOST + column["url"]
    pages = []
    for article in manifest["articles"]:
        if article["column_url"] != column["url"]:
            continue
        html = (site / article["url"].lstrip("/")).read_bytes().decode(article.get("encoding") or "utf-8")
        parsed = parse_page(html, HOST + article["url"])
        assert parsed.error is None and parsed.article is not None, article["url"]
        pages.append(PageRecord(url=HOST + article["url"], column_url=column_url,
                                title=parsed.article.title or parsed.title, text=parsed.article.text,
                                published=parsed.article.published, kind="article"))
    snapshot = Snapshot("青禾县人民政府", f"{HOST}/", AS_OF, pages_=pages,
                        columns_=[ColumnRecord(url=column_url, name=column["name"], type=ANNUAL_COLUMN_TYPE)])
    return snapshot, manifest


@pytest.mark.parametrize(("style", "seed"), [("trs-real", 11), ("hanweb-real", 11)])
def test_demo_annual_column_findings_only_on_the_planted_report(tmp_path, style, seed):
    snapshot, manifest = _rendered_column(tmp_path, style, seed)
    titles = [p.title for p in snapshot.pages()]
    assert any("人民政府办公室" in t for t in titles)            # the department report this test is about
    planted = {HOST + p["url"] for p in manifest["planted"] if p["kind"] == "annual_report"}
    findings = portal_findings(snapshot)
    assert {f.url for f in findings} == planted, [(f.rule, f.url, f.message) for f in findings]
    assert {"ANR022", "ANR013"} <= {f.rule for f in findings if not f.needs_review}
    assert not [f for f in findings if f.rule == "ANR002"]
