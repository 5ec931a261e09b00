"""The documents printed the way their readers print them: LibreOffice headless to PDF, pages counted and read back.

Skips when soffice is absent, unless GOVAUDIT_REQUIRE_ALL is set (CI), where it fails.
"""

from __future__ import annotations

import math
import random
import re
import subprocess

import pytest
from conftest import SITE, finding, make_snapshot

from checks.privacy import synthetic
from reports import write_reports
from reports.model import build_report_model
from tests.needs import program

pypdfium2 = pytest.importorskip("pypdfium2")


def soffice() -> str:
    return program("soffice")


def to_pdf(path, out_dir) -> list[tuple[float, float, str]]:
    """(width pt, height pt, text) of each printed page of `path`."""
    subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{out_dir}/profile", "--convert-to",
                    "pdf", "--outdir", str(out_dir), str(path)], check=True, capture_output=True, timeout=300)
    pdf = pypdfium2.PdfDocument(str(out_dir / (path.stem + ".pdf")))
    pages = []
    for page in pdf:
        width, height = page.get_size()
        pages.append((width, height, page.get_textpage().get_text_range()))
    return pages


def county_week(n_pages: int = 45) -> list:
    """About 45 problems of every kind, personal data generated in code (check digits computed)."""
    rng = random.Random(3)
    out = []
    for i in range(n_pages):
        kind = ("personal_data", "stale_column", "blank_column", "category_mismatch", "broken_link")[i % 5]
        column = {"name": f"{'县教体局' if i % 3 else '民政局'}栏目{i}", "url": f"{SITE}/c{i}/"}
        if kind == "personal_data":
            value = synthetic.id18(rng)
            masked = value[:2] + "*" * 13 + value[-3:]
            out.append(finding(f"p{i}", kind, "major", column, f"{SITE}/c{i}/P0202{i:04d}.xls", pii_type="id_card",
                               count=3, observed={"doc_title": f"关于2026年第{i}批城乡最低生活保障对象的公示",
                                                  "document": f"附件「P0202{i:04d}.xls」", "pii_label": "身份证号",
                                                  "examples": f"{masked}（低保名单!C{i + 2}）"},
                               message=f"附件中含有3个未作去标识化处理的公民身份号码（示例：{masked}）。"))
        elif kind == "stale_column":
            out.append(finding(f"s{i}", kind, "major", column, column["url"], observed={
                "age_days": 20 + i, "latest": "2026-11-01", "max_age_days": 14},
                message=f"栏目「{column['name']}」最近一次更新为2026年11月1日，已{20 + i}天未更新（动态要闻类栏目要求14天内有更新）。"))
        elif kind == "blank_column":
            out.append(finding(f"b{i}", kind, "major", column, column["url"], observed={"reason": "仅显示“暂无信息”"}))
        elif kind == "category_mismatch":
            out.append(finding(f"m{i}", kind, "minor", column, f"{SITE}/c{i}/{i}.html", observed={
                "title": f"关于召开第{i}次工作推进会的通知", "expected_type": "动态要闻", "expected_column": "青禾要闻",
                "reason": "标题含“召开”，属工作动态类信息，不应在政策文件类栏目发布"}))
        else:
            out.append(finding(f"l{i}", kind, "minor", column, f"{SITE}/c{i}/gone.html", observed={
                "target": f"{SITE}/c{i}/gone.html", "problem": "HTTP 404", "sources": [f"{SITE}/c{i}/1.html"]}))
    return out


def with_review(findings: list) -> list:
    """Every seventh problem made a 待核实 one: they print in an annex and on a sheet of their own."""
    for i, f in enumerate(findings):
        f.needs_review = i % 7 == 3
    return findings


def flat(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("print")
    snapshot = make_snapshot()
    model = build_report_model(snapshot, with_review(county_week()))
    written = write_reports(model, out / "reports", formats=("docx", "xlsx"))
    return model, to_pdf(written["docx"], out), to_pdf(written["xlsx"], out)


def test_annex_prints_on_landscape_pages_at_most_one_per_six_problems(printed):
    """Each row carries its problem, address, evidence, requirement and deadline; no row is cut across pages."""
    model, docx_pages, _ = printed
    annex = [p for p in docx_pages if p[0] > p[1]]                        # landscape pages
    assert annex and "附件1" in flat(annex[0][2])
    assert len(annex) <= math.ceil(len(model.rows) / 6), len(annex)
    start = next(i for i, p in enumerate(annex) if "待核实事项清单" in flat(p[2]))
    counted, review = flat("".join(p[2] for p in annex[:start])), flat("".join(p[2] for p in annex[start:]))
    assert "附件2" in flat(annex[start][2])
    for row in model.rows:                                               # every row printed where it belongs
        text = review if row.needs_review else counted
        assert flat(row.evidence)[-6:] in text and flat(row.url) in text and flat(row.remediation) in text, row.seq
    for page in annex:                                                   # the header repeats on every page
        assert "序号责任单位" in flat(page[2])


def test_rectification_list_prints_fitted_to_width_without_clipping(printed):
    model, _, xlsx_pages = printed
    sheet = [p for p in xlsx_pages if p[0] > p[1]]                        # the 整改清单 prints landscape
    assert sheet
    text = flat("".join(p[2] for p in sheet))
    assert "整改情况说明" in text and "单位识别依据" not in text            # printed columns only
    headers = sum(p[2].count("问题描述") for p in sheet)
    assert headers == len(sheet)                                          # every page carries all printed columns
    for row in model.rows:                                               # no cell cut off: each tail is printed
        for value in (row.description, row.evidence, row.remediation):
            tail = flat(value)[-5:]
            assert tail in text, (row.seq, value)
        assert flat(row.url) in text, (row.seq, row.url)                 # the whole address, on paper too
    assert text.count("（待核实）") == 2 * sum(r.needs_review for r in model.rows)   # 问题类型 and 问题描述, 待核实 sheet
