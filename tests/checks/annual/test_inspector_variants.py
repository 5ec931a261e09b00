"""Bad variants of the real reports, each a fault an inspector writes down, and the noise a real copy carries.

Every variant is cut from a real report in ../shared/reference/samples/ (平潭 flattened web text, 沭阳 OCR markdown,
云县 with its tables lost): the fault must be counted, and the clean original must carry no counted finding of
that kind. The noise variants (a page number or page break inside a table) must never become a counted finding.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zlib
from functools import cache

import docx
import pytest

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, REVIEW, UNKNOWN
from checks.annual.reader import IMAGE_MARK, read_report, signature_date
from checks.annual.runner import run_rules
from tests.needs import reference_file

SHUYANG = "report_shuyang_county_2025_ocr_markdown.txt"


@cache
def sample(name: str) -> str:
    return reference_file("samples", name).read_text(encoding="utf-8")


def pingtan(year: int) -> str:
    return sample(f"report_pingtan_{year}.txt")


def build(text: str, previous: ReportContext | None = None, name: str = "r.txt") -> ReportContext:
    return ReportContext.build(read_report(text.encode("utf-8"), name), previous=previous)


def counted(ctx: ReportContext, rule: str | None = None) -> list[tuple[str, str]]:
    return [(o.rule_id, r.message) for o in run_rules(ctx) for r in o.results
            if r.status == FAIL and (rule is None or o.rule_id == rule)]


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, old              # the excerpt must still be in the sample, or the variant tests nothing
    return text.replace(old, new, 1)


ARITHMETIC = {"ANR011", "ANR012", "ANR013", "ANR014"}


# ------------------------------------------------------------------ a table row off by one
def test_pipe_row_sum_off_by_one_is_found_and_original_is_clean():
    row = "| 本年新收政府信息公开申请数量 | 705 | 3 | 0 | 0 | 5 | 0 | 713 |"
    assert not [f for f in counted(build(sample(SHUYANG))) if f[0] in ARITHMETIC]
    broken = counted(build(replaced(sample(SHUYANG), row, row.replace("713", "714"))))
    assert ("ANR011", "表三「本年新收政府信息公开申请数量」各申请人之和为713，总计栏为714，不一致。") in broken
    assert any(rule == "ANR012" and "「总计」栏" in m for rule, m in broken)


def test_flattened_total_off_by_one_is_found_once():
    # 平潭2021 （七）总计 "630020469" (63·0·0·2·0·4·69) written as "630020470": no cut adds up, one finding for the row;
    # the columns that need that row are not judged on digits that cannot be read
    clean = counted(build(pingtan(2021)))
    assert not [f for f in clean if f[0] in ARITHMETIC]
    broken = counted(build(replaced(pingtan(2021), "（七）总计630020469", "（七）总计630020470")))
    assert [f for f in broken if f[0] in ARITHMETIC] == [
        ("ANR011", "表三「（七）总计」的数字「630020470」无论如何分隔，各申请人之和都不等于总计。")]


def test_flattened_column_off_by_one_is_found():
    # 自然人 总计 63 → 64 with the row total kept consistent (69 → 70): the row adds up, the columns do not
    broken = counted(build(replaced(pingtan(2021), "（七）总计630020469", "（七）总计640020470")))
    assert ("ANR012", "表三「总计」栏：本年新收加上年结转为70，办理结果总计加结转下年度为71，不一致。") in broken
    assert ("ANR013", "表三「总计」栏：各项办理结果之和为69，（七）总计为70，不一致。") in broken


# ------------------------------------------------------------------ section 五 copied from last year
def _section_five(text: str) -> str:
    return re.search(r"五、存在的主要问题及改进情况(.*?)六、其他需要报告的事项", text, re.S).group(1)


def test_section_five_copied_with_only_the_year_changed():
    last_year = build(pingtan(2023))
    assert not counted(build(pingtan(2024), last_year), "ANR031")
    copied = _section_five(pingtan(2023)).replace("2024年", "2025年").replace("2023年", "2024年")
    variant = replaced(pingtan(2024), _section_five(pingtan(2024)), copied)
    found = counted(build(variant, last_year), "ANR031")
    assert len(found) == 1 and "字符4元组相似度100%" in found[0][1]


# ------------------------------------------------------------------ a section title missing
@pytest.mark.parametrize("heading", ["一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"])
def test_missing_heading_is_one_finding(heading):
    assert not counted(build(pingtan(2022)), "ANR001")
    found = counted(build(replaced(pingtan(2022), heading, "")))
    assert ("ANR001", f"未找到标题「{heading}」（或其顺序有误）。") in found
    # the table under a missing heading cannot be looked for: no second finding for the same fault
    assert not [f for f in found if f[0] in ARITHMETIC | {"ANR003"}]


# ------------------------------------------------------------------ page breaks and OCR noise inside tables
PAGE_NOISE = ["\n12\n", "\n- 3 -\n", " 第 3 页 共 5 页 ", "\n3\n"]


@pytest.mark.parametrize("noise", PAGE_NOISE)
def test_page_number_inside_a_flattened_table_is_no_finding(noise):
    variant = replaced(pingtan(2021), "5.属于三类内部事务信息1000001", "5.属于三类内部事务信息1000001" + noise)
    ctx = build(variant)
    assert not [f for f in counted(ctx) if f[0] in ARITHMETIC | {"ANR003", "ANR021"}]
    assert ctx.tables.table3.rows["withheld_5"].values in ([1, 0, 0, 0, 0, 0, 1], [None] * 7)


def test_page_number_after_a_flattened_row_is_cut_off():
    # the row reads by itself before the line break, so the page number after it is not taken into the row
    variant = replaced(pingtan(2021), "5.属于三类内部事务信息1000001", "5.属于三类内部事务信息1000001\n12\n")
    row = build(variant).tables.table3.rows["withheld_5"]
    assert row.values == [1, 0, 0, 0, 0, 0, 1] and row.raw == "1000001"


def test_page_number_after_flattened_table_four_is_cut_off():
    variant = replaced(pingtan(2025), "25380363300630003", "25380363300630003\n7\n")
    assert build(variant).tables.table4.rows["cases"].values == [25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3]


def test_markdown_table_cut_by_a_page_break_reads_the_same():
    row = "| 4. 保护第三方合法权益 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n"
    header = "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|---|\n"
    split_row = ("| 1. 本机关不掌握相关政府信息 | 111 | 0 | 0 | 0 | 0 | 0 | 111 |",
                 "| 1. 本机关不掌握相关政府信息 | 111 | 0 | 0 |\n\n| 0 | 0 | 0 | 111 |")
    variant = replaced(sample(SHUYANG), row, row + "\n- 7 -\n\n" + header)
    variant = replaced(variant, *split_row)
    ctx = build(variant)
    assert not [f for f in counted(ctx) if f[0] in ARITHMETIC | {"ANR003"}]
    assert ctx.tables.table3.rows["unavailable_1"].values == [111, 0, 0, 0, 0, 0, 111]
    assert ctx.tables.table3.rows["total"].values == [710, 3, 0, 0, 5, 0, 718]


# ------------------------------------------------------------------ tables published as pictures, or lost
def test_tables_lost_in_the_copy_go_to_review():
    results = {o.rule_id: o for o in run_rules(build(sample("report_yunxian_2022.txt")))}
    assert results["ANR003"].status == REVIEW


def test_section_with_prose_and_no_table_is_found():
    # 云县 2022 with a sentence in place of table 二: the report gives prose where the format demands a table
    prose = "二、主动公开政府信息情况 2022年，我县制发行政规范性文件3件，废止1件，现行有效20件，均已在门户网站公开。\n"
    variant = replaced(sample("report_yunxian_2022.txt"), "二、主动公开政府信息情况\n", prose)
    results = {o.rule_id: o for o in run_rules(build(variant))}["ANR003"].results
    judged = [(r.status, r.where) for r in results if r.status != UNKNOWN]
    assert judged == [(FAIL, "表二"), (REVIEW, "表三"), (REVIEW, "表四")]


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def _yunxian_lines() -> list[str]:
    return [line.strip(" |") for line in sample("report_yunxian_2022.txt").splitlines() if line.strip(" |")]


def _ends_with_table_heading(line: str) -> bool:
    return re.search(r"[二三四]、[^、。]*(?:情况|行政诉讼情况)$", line) is not None


def test_table_as_picture_in_html_goes_to_review():
    body = "".join(f"<p>{line}</p>" + ('<p>详见下表：<img src="t.png"></p>' if _ends_with_table_heading(line)
                                        else "") for line in _yunxian_lines())
    html = f"<html><head><title>云县人民政府2022年政府信息公开工作年度报告</title></head><body>{body}</body></html>"
    ctx = build(html, name="r.html")
    assert IMAGE_MARK in ctx.sections.region("二")
    results = {o.rule_id: o for o in run_rules(ctx)}["ANR003"].results
    assert [r.status for r in results] == [REVIEW] * 3 and "为图片" in results[0].message


def test_table_as_picture_in_docx_goes_to_review():
    document = docx.Document()
    for line in _yunxian_lines():
        document.add_paragraph(line)
        if _ends_with_table_heading(line):
            document.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
    buffer = io.BytesIO()
    document.save(buffer)
    ctx = ReportContext.build(read_report(buffer.getvalue(), "r.docx"))
    assert IMAGE_MARK in ctx.sections.region("三")
    assert {o.rule_id: o for o in run_rules(ctx)}["ANR003"].status == REVIEW


# ------------------------------------------------------------------ published after the deadline
def test_published_after_deadline_from_the_page_header():
    assert not counted(build(pingtan(2021)), "ANR041")
    late = replaced(pingtan(2021), "发布时间: 2022-02-08 16:34", "发布时间: 2022-04-08 16:34")
    assert counted(build(late), "ANR041") == [
        ("ANR041", "2021年度报告于2022-04-08发布，晚于2022-03-31的期限（县级以上人民政府）。")]


def test_signature_date_read_and_used_as_lower_bound():
    assert signature_date(sample(SHUYANG)) == dt.date(2026, 1, 23)
    assert signature_date(pingtan(2021)) is None
    on_time = {o.rule_id: o for o in run_rules(build(sample(SHUYANG)))}["ANR041"]
    assert on_time.status == UNKNOWN and "落款日期为2026-01-23" in on_time.results[0].message
    late = build(sample(SHUYANG).replace("2026年1月23日", "2026年4月3日"))
    assert counted(late, "ANR041") == [("ANR041", "2025年度报告落款日期为2026-04-03，晚于2026-03-31的期限"
                                                  "（县级以上人民政府），发布日期不会早于落款日期。")]


# ------------------------------------------------------------------ last year's problems followed up or dropped
def _reviews(ctx: ReportContext, rule: str) -> list[str]:
    return [r.evidence for o in run_rules(ctx) if o.rule_id == rule for r in o.results if r.status == REVIEW]


def test_problem_restated_in_new_words_is_followed_up():
    # 平潭2022 named 「政策解读形式单一…」; 2023 writes 「政策解读的质量有待提高，形式还要更加多样」: the same subject
    # restated, not dropped. 「重大行政决策预公开程度需进一步加强…」 appears nowhere in 2023: a person should ask.
    assert _reviews(build(pingtan(2023), build(pingtan(2022))), "ANR032") == [
        "重大行政决策预公开程度需进一步加强，意见征集形式较为单一"]
    assert _reviews(build(pingtan(2024), build(pingtan(2023))), "ANR032") == []
    assert _reviews(build(pingtan(2025), build(pingtan(2024))), "ANR032") == ["智能化、数字化手段运用还不够充分等"]


# ------------------------------------------------------------------ text checks on what real copies and plans hold
def test_space_between_numeral_and_shi_in_ocr_is_not_a_gap():
    # 沭阳 OCR with 「二 是」: still the second point; removing it altogether is a gap an inspector writes down
    assert not counted(build(sample(SHUYANG)), "ANR022")
    assert not counted(build(replaced(sample(SHUYANG), "二是提升公开质量", "二 是提升公开质量")), "ANR022")
    gap = counted(build(replaced(sample(SHUYANG), "二是提升公开质量", "提升公开质量")), "ANR022")
    assert gap == [("ANR022", "第一部分序号有误：此处为「三是」，按顺序应为「二是」。")]


def test_target_date_of_a_plan_is_not_a_date_after_publication():
    plan = "一是优化主动公开目录，力争于2025年12月31日前完成主动公开事项目录编制，"
    text = replaced(pingtan(2024), "一是优化主动公开目录，", plan)
    assert not counted(build(text), "ANR025")
    recorded = replaced(pingtan(2024), "一是优化主动公开目录，", "一是优化主动公开目录，截至2025年6月30日已完成目录编制，")
    assert counted(build(recorded), "ANR025") == [("ANR025", "正文日期「2025年6月30日」晚于发布日期2025-03-10。")]


def test_fee_statement_in_other_words_is_accepted_and_absence_found():
    # 平潭2021 六: 「2021年，无收取信息处理费情况。」 An inspector accepts 「未收取任何费用」 too; a 六 without fees is a finding.
    old = "2021年，无收取信息处理费情况。"
    assert not counted(build(pingtan(2021)), "ANR024")
    assert not counted(build(replaced(pingtan(2021), old, "本年度未收取政府信息公开相关任何费用。")), "ANR024")
    assert counted(build(replaced(pingtan(2021), old, "本年度人大代表建议和政协提案均已按期办结。")), "ANR024") == [
        ("ANR024", "第六部分未说明信息处理费收取情况（未收取的也应写明）。")]


def test_thousands_separators_are_one_number():
    # 沭阳 with separators as a spreadsheet-made table prints them: 517,645 permits, 1,705 applications
    text = replaced(sample(SHUYANG), "| 行政许可 | 517645 |", "| 行政许可 | 517,645 |")
    text = replaced(text, "| 本年新收政府信息公开申请数量 | 705 | 3 | 0 | 0 | 5 | 0 | 713 |",
                    "| 本年新收政府信息公开申请数量 | 1,705 | 3 | 0 | 0 | 5 | 0 | 1,713 |")
    text = replaced(text, "共受理政府信息公开申请 749 件，其中自然人申请 741 件",
                    "共受理政府信息公开申请 1,749 件，其中自然人申请 1,741 件")
    ctx = build(text)
    assert ctx.tables.table2.rows["permits"].values == [517645]
    assert ctx.tables.table3.rows["new"].values == [1705, 3, 0, 0, 5, 0, 1713]
    assert not counted(ctx, "ANR011") and not counted(ctx, "ANR021")
    assert counted(ctx, "ANR012")         # 1,713 + 36 ≠ 718 + 31: the variant breaks the balance, and it is found


# ------------------------------------------------------------------ merged cells, as Word tables carry them
def test_word_table_with_merged_cells_reads_like_the_original():
    # 沭阳's 表三 rebuilt as one Word table in the format's layout: a header merged over two rows and over the five
    # 法人 columns, each row label merged over three columns. Merged cells repeat in python-docx; each is read once.
    lines = [line for line in sample(SHUYANG).splitlines() if line.strip() and not set(line.strip()) <= set("|-: ")]
    rows = [cells for cells in ([c.strip() for c in line.strip().strip("|").split("|")] for line in lines
                                if line.startswith("|")) if len(cells) == 8 and cells[1].isdigit()]
    document = docx.Document()
    for line in lines:
        if line.startswith("|"):
            continue
        document.add_paragraph(line.lstrip("# "))
        if line.startswith("## 三、"):
            table = document.add_table(rows=len(rows) + 2, cols=10)
            table.cell(0, 0).merge(table.cell(1, 2)).text = "申请人情况"
            table.cell(0, 3).merge(table.cell(1, 3)).text = "自然人"
            table.cell(0, 4).merge(table.cell(0, 8)).text = "法人或其他组织"
            for j, name in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]):
                table.cell(1, 4 + j).text = name
            table.cell(0, 9).merge(table.cell(1, 9)).text = "总计"
            for i, (label, *values) in enumerate(rows, start=2):
                table.cell(i, 0).merge(table.cell(i, 2)).text = label
                for j, value in enumerate(values):
                    table.cell(i, 3 + j).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    rebuilt = ReportContext.build(read_report(buffer.getvalue(), "r.docx"))
    original = build(sample(SHUYANG))
    for key, row in original.tables.table3.rows.items():
        assert rebuilt.tables.table3.rows[key].values == row.values, key
    assert [f for f in counted(rebuilt) if f[0] in ARITHMETIC] == []


# ------------------------------------------------------------------ a heading with a character wrong
def test_heading_with_a_misread_character_is_found_and_reviewed():
    # 沭阳's OCR could as well have read 问题 as 间题: the section is still there (its checks run on it), and whether
    # the heading is mis-written or misread is for a person to see, not a missing heading
    text = replaced(sample(SHUYANG), "五、政府信息公开工作存在的主要问题", "五、政府信息公开工作存在的主要间题")
    ctx = build(text)
    assert ctx.sections.region("五") == build(sample(SHUYANG)).sections.region("五")
    assert not counted(ctx, "ANR001")
    assert _reviews(ctx, "ANR001") == ["五、政府信息公开工作存在的主要间题及改进情况"]
