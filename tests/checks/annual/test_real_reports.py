"""The annual-report checker on the six real reports in ../shared/reference/samples/ (and 云县 2022), on a
docx and an HTML page built from the same text, on a clean report and on broken ones."""

from __future__ import annotations

import io
import threading
from functools import cache
from http.server import BaseHTTPRequestHandler, HTTPServer

import docx
import pytest
from openpyxl import load_workbook

from checks.annual.context import ReportContext
from checks.annual.model import FAIL, REVIEW
from checks.annual.reader import read_report
from checks.annual.runner import run_rules
from govaudit.cli import main
from tests.needs import reference_file

PINGTAN = {year: f"report_pingtan_{year}.txt" for year in range(2021, 2026)}
SHUYANG = "report_shuyang_county_2025_ocr_markdown.txt"


@cache
def context(name: str, previous: str | None = None, published: str | None = None) -> ReportContext:
    import datetime as dt
    path = reference_file("samples", name)
    before = context(previous) if previous else None
    return ReportContext.build(read_report(path.read_bytes(), name), previous=before,
                               published=dt.date.fromisoformat(published) if published else None)


def outcomes(ctx):
    return {o.rule_id: o for o in run_rules(ctx)}


def messages(ctx, status=FAIL):
    return [(o.rule_id, r.message) for o in run_rules(ctx) for r in o.results if r.status == status]


def test_known_faults_are_found():
    found_2023 = messages(context(PINGTAN[2023], PINGTAN[2022]))
    assert ("ANR022", "第五部分序号有误：此处为「三是」，按顺序应为「二是」。") in found_2023
    assert any(rule == "ANR023" and "行政法复议" in m for rule, m in messages(context(PINGTAN[2022], PINGTAN[2021])))
    assert any(rule == "ANR023" and "仍在不足" in m for rule, m in messages(context(PINGTAN[2024], PINGTAN[2023])))
    assert any(rule == "ANR023" and "审核审核" in m for rule, m in messages(context(PINGTAN[2021])))


# Every table identity a person can verify in these texts holds (checked by hand, numbers below), so no
# arithmetic rule may FAIL on them. Table 三 rows read from the flattened digits:
#   平潭2021 新收 64·0·0·2·0·4·70, 总计 63·0·0·2·0·4·69, 结转下年度 1: 70+0 = 69+1;
#   平潭2022 新收 71·3·…·74, 上年结转 1, 总计 72·3·…·75, 结转 0: 74+1 = 75 (and 2021's 结转 1 = 2022's 上年结转 1);
#   平潭2023 新收 80·1·…·81 = 总计; 平潭2024 新收 217·1·…·218 = 总计; 平潭2025 新收 151·3·…·154, 总计 147·1·…·148,
#   结转 4·2·…·6: 154 = 148 + 6; 沭阳2025 新收 705·3·0·0·5·0·713, 上年结转 36, 总计 710·3·0·0·5·0·718, 结转 31:
#   713+36 = 718+31 = 749, and the 办理结果 rows add to 718.
#   表四: 平潭2021 1·0·2·0·3 | 12·0·0·0·12 | 0…; 2023 1·1·0·0·2 | 4·0·0·1·5 | 1·0·1·0·2; 2024 2·1·3·1·7 | 0… | 13·2·4·0·19;
#   2025 25·3·8·0·36 | 3·3·0·0·6 | 3·0·0·0·3; 沭阳 27·10·9·15·61 | 3·0·0·0·3 | 8·0·1·1·10.
READ = [
    (PINGTAN[2021], "new", [64, 0, 0, 2, 0, 4, 70]), (PINGTAN[2021], "total", [63, 0, 0, 2, 0, 4, 69]),
    (PINGTAN[2022], "total", [72, 3, 0, 0, 0, 0, 75]), (PINGTAN[2024], "new", [217, 1, 0, 0, 0, 0, 218]),
    (PINGTAN[2025], "carry_next", [4, 2, 0, 0, 0, 0, 6]), (SHUYANG, "total", [710, 3, 0, 0, 5, 0, 718]),
]


@pytest.mark.parametrize("name,key,values", READ)
def test_table3_rows_are_read(name, key, values):
    assert context(name).tables.table3.rows[key].values == values


def test_table4_read_from_flattened_digits():
    assert context(PINGTAN[2025]).tables.table4.rows["cases"].values == [25, 3, 8, 0, 36, 3, 3, 0, 0, 6, 3, 0, 0, 0, 3]
    assert context(SHUYANG).tables.table4.rows["cases"].values == [27, 10, 9, 15, 61, 3, 0, 0, 0, 3, 8, 0, 1, 1, 10]


@pytest.mark.parametrize("name", list(PINGTAN.values()) + [SHUYANG])
def test_no_false_arithmetic_or_figure_faults(name):
    results = outcomes(context(name))
    for rule in ("ANR011", "ANR012", "ANR013", "ANR014", "ANR021", "ANR001", "ANR041"):
        assert results[rule].status != FAIL, (rule, [r.message for r in results[rule].results])


def test_ambiguous_flattened_cells_are_settled_by_the_columns():
    # 平潭2021 予以公开 "270020130" reads 27·0·0·2·0·1·30 or 2·7·0·0·20·1·30 by itself, 本机关不掌握 "220000325"
    # 22·0·0·0·0·3·25 or 2·20·0·0·0·3·25; only the first pair makes every column of 表三 add up
    ctx = context(PINGTAN[2021])
    assert ctx.tables.table3.rows["granted"].values == [27, 0, 0, 2, 0, 1, 30]
    assert ctx.tables.table3.rows["unavailable_1"].values == [22, 0, 0, 0, 0, 3, 25]
    assert outcomes(ctx)["ANR013"].status == "PASS"


def test_ambiguous_cells_stay_unknown_when_no_choice_adds_up():
    # the same report with the 自然人 总计 raised by one: no choice of readings balances the columns, so the rows
    # keep both readings, the 自然人 cell of 予以公开 is not known, and the column fails under every reading
    import datetime as dt
    text = reference_file("samples", PINGTAN[2021]).read_text(encoding="utf-8")
    ctx = ReportContext.build(read_report(text.replace("（七）总计630020469", "（七）总计640020470").encode(), "r.txt"),
                              published=dt.date(2022, 2, 8))
    assert ctx.tables.table3.rows["granted"].values[0] is None
    fails = [r.message for r in outcomes(ctx)["ANR013"].results if r.status == FAIL]
    assert "表三「自然人」栏：各项办理结果之和按连写数字的各种读法为18、38、43或63，均不等于（七）总计64。" in fails


def test_lost_tables_go_to_review_and_arithmetic_is_unknown():
    # 云县 2022: the tables of 二–四 were lost in the copy (published as images): the headings stand with nothing
    # under them, so a person must look at the page; it is no counted finding
    results = outcomes(context("report_yunxian_2022.txt"))
    assert results["ANR003"].status == REVIEW
    assert {r.where for r in results["ANR003"].results} == {"表二", "表三", "表四"}
    assert all("图片或附件" in r.message for r in results["ANR003"].results)
    assert results["ANR012"].status == "无法判断"


def test_carryover_and_copied_section_five():
    results = outcomes(context(PINGTAN[2022], PINGTAN[2021]))
    assert results["ANR015"].status == "PASS"                 # 2021 结转 1 = 2022 上年结转 1
    ctx = context(PINGTAN[2023], PINGTAN[2022])
    copied = ReportContext.build(ctx.report, previous=ctx)   # a report compared with itself: 五 entirely copied
    fail = outcomes(copied)["ANR031"]
    assert fail.status == FAIL and fail.results[0].observed["similarity"] == 1.0


def test_deadline():
    assert outcomes(context(SHUYANG, published="2026-01-23"))["ANR041"].status == "PASS"
    assert outcomes(context(SHUYANG, published="2026-04-02"))["ANR041"].status == FAIL
    assert outcomes(context(SHUYANG))["ANR041"].status == "无法判断"


# ------------------------------------------------------------------ the same report as HTML and docx
def _lines(name):
    text = reference_file("samples", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not set(line.strip()) <= set("|-: ")]


def _html(name) -> bytes:
    parts, rows = ["<html><head><title>沐阳县人民政府2025年政府信息公开工作年度报告</title></head><body>"], []
    for line in _lines(name) + [""]:
        if line.startswith("|"):
            rows.append("<tr>" + "".join(f"<td>{c.strip()}</td>" for c in line.strip().strip("|").split("|")) + "</tr>")
            continue
        if rows:
            parts.append("<table>" + "".join(rows) + "</table>")
            rows = []
        parts.append(f"<p>{line.lstrip('# ')}</p>")
    return ("".join(parts) + "</body></html>").encode("utf-8")


def _docx(name) -> bytes:
    document, rows = docx.Document(), []

    def flush():
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
            rows.clear()
    for line in _lines(name):
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush()
        document.add_paragraph(line.lstrip("# "))
    flush()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _verdicts(ctx):
    return {o.rule_id: (o.status, sorted(r.message for r in o.results)) for o in run_rules(ctx)}


@pytest.mark.parametrize("form", ["html", "docx"])
def test_generated_forms_read_back_identically(form):
    import datetime as dt
    published = dt.date(2026, 1, 23)
    original = context(SHUYANG, published="2026-01-23")
    data, name = (_html(SHUYANG), "r.html") if form == "html" else (_docx(SHUYANG), "r.docx")
    rebuilt = ReportContext.build(read_report(data, name), published=published)
    assert rebuilt.report.form == form and rebuilt.report.year == 2025
    assert rebuilt.tables.table3.rows["total"].values == original.tables.table3.rows["total"].values
    assert _verdicts(rebuilt) == _verdicts(original)


# ------------------------------------------------------------------ a clean report, and broken ones
def clean_report(new=(5, 1, 0, 0, 0, 0, 6), text_received=6) -> str:
    """A synthetic 2024 report, internally consistent, written in code."""
    zero = " | 0" * 7
    rows = {"本年新收政府信息公开申请数量": new, "上年结转政府信息公开申请数量": (0,) * 7,
            "（一）予以公开": (3, 1, 0, 0, 0, 0, 4), "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": (2, 0, 0, 0, 0, 0, 2)}
    table3 = "\n".join(f"| {label} | " + " | ".join(map(str, v)) + " |" for label, v in rows.items())
    others = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
              "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
              "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确", "1.信访举报投诉类申请",
              "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
              "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]
    table3 += "\n" + "\n".join(f"| {label}{zero} |" for label in others)
    table3 += "\n| （七）总计 | 5 | 1 | 0 | 0 | 0 | 0 | 6 |\n| 四、结转下年度继续办理" + zero + " |"
    return f"""某县人民政府2024年政府信息公开工作年度报告
一、总体情况
2024年，本县全年共收到政府信息公开申请{text_received}件，办结6件。一是完善制度。二是加强培训。三是强化考核，开展社会评议，未发生责任追究情况。
二、主动公开政府信息情况
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
| 规章 | 0 | 0 | 0 |
| 行政规范性文件 | 3 | 1 | 20 |
| 行政许可 | 120 |
| 行政处罚 | 35 |
| 行政强制 | 2 |
| 行政事业性收费 | 10.5 |
三、收到和处理政府信息公开申请情况
{table3}
四、政府信息公开行政复议、行政诉讼情况
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
（一）存在的主要问题。一是解读形式不够丰富。二是基层公开有待加强。
（二）改进措施。一是丰富解读形式。二是推进基层公开标准化。
六、其他需要报告的事项
本年度未收取信息处理费。
"""


def _ctx_of(text: str, published="2025-02-10"):
    import datetime as dt
    return ReportContext.build(read_report(text.encode("utf-8"), "r.txt"), published=dt.date.fromisoformat(published))


def test_clean_report_has_no_findings():
    ctx = _ctx_of(clean_report())
    found = [(o.rule_id, r.message) for o in run_rules(ctx) for r in o.results if r.status in (FAIL, REVIEW)]
    assert found == []
    assert {o.rule_id for o in run_rules(ctx) if o.status == "PASS"} >= {"ANR001", "ANR003", "ANR011", "ANR012",
                                                                         "ANR013", "ANR014", "ANR021", "ANR041"}


def test_broken_sums_and_figures_fail():
    results = outcomes(_ctx_of(clean_report(new=(5, 1, 0, 0, 0, 0, 7), text_received=9)))
    assert results["ANR011"].status == FAIL          # 5 + 1 ≠ 7
    assert results["ANR012"].status == FAIL          # 7 + 0 ≠ 6 + 0
    assert results["ANR021"].status == FAIL          # 收到 9 件 ≠ 7
    late = outcomes(_ctx_of(clean_report(), published="2025-04-01"))
    assert late["ANR041"].status == FAIL


# ------------------------------------------------------------------ the command
def test_cli_exit_codes_outputs_and_status_carried(tmp_path, capsys):
    report = tmp_path / "clean.txt"
    report.write_text(clean_report(), encoding="utf-8")
    assert main(["annual-report", str(report), "--published", "2025-02-10", "--out", str(tmp_path / "a")]) == 0
    broken = tmp_path / "broken.txt"
    broken.write_text(clean_report(new=(5, 1, 0, 0, 0, 0, 7)), encoding="utf-8")
    out = tmp_path / "b"
    assert main(["annual-report", str(broken), "--published", "2025-02-10", "--out", str(out)]) == 1
    assert {p.name for p in out.iterdir()} == {"findings.json", "report.html", "问题清单.xlsx"}
    book = load_workbook(out / "问题清单.xlsx")
    sheet = book["问题"]
    sheet["I2"] = "不成立"
    book.save(out / "问题清单.xlsx")
    assert main(["annual-report", str(broken), "--published", "2025-02-10", "--out", str(out)]) == 1
    assert load_workbook(out / "问题清单.xlsx")["问题"]["I2"].value == "不成立"
    assert main(["annual-report", str(tmp_path / "missing.txt"), "--out", str(out)]) == 3
    (tmp_path / "empty.docx").write_bytes(b"PK\x03\x04 not a zip")
    assert main(["annual-report", str(tmp_path / "empty.docx"), "--out", str(out)]) == 3
    assert main(["annual-report", str(report), "--published", "2025-13-01", "--out", str(out)]) == 2


def test_cli_fetches_url_from_loopback(tmp_path):
    body = _html(SHUYANG)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/gknb/2025.html"
        code = main(["annual-report", url, "--published", "2026-01-23", "--out", str(tmp_path)])
    finally:
        server.shutdown()
    assert code == 0
    import json
    assert json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))["report"]["year"] == 2025
