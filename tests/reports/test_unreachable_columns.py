"""A week in which some columns could not be opened: the reports name them, say their problems are 本次未能复查,
and never call the check 完整. The outage is the one a real county server has: one column's folder moved away
(404), one answering 500, one whose connection drops unanswered; beside them a column removed from the site (no
longer linked: not an outage), one skipped for robots.txt (the tool's choice), and one that answers again."""

from __future__ import annotations

import datetime as dt
import json

from docx import Document
from openpyxl import load_workbook

from checks.finding import Finding
from crawler.records import ColumnRecord, LinkRecord, PageRecord, Snapshot
from reports.completeness import unreachable_columns
from reports.render import render_reports

SITE = "http://127.0.0.1:8"
AS_OF = dt.date(2026, 12, 14)
HOME = f"{SITE}/"
LAST_WEEK = [("通知公告", f"{SITE}/zwgk/tzgg/"), ("社会救助", f"{SITE}/zwgk/shjz/"), ("财政预决算", f"{SITE}/zwgk/czxx/"),
             ("招标采购", f"{SITE}/zwgk/zbcg/"), ("专题专栏", f"{SITE}/ztzl/"), ("内部文件", f"{SITE}/admin/")]


def _snapshot() -> Snapshot:
    """This week's crawl: 通知公告 read; 社会救助 404, 财政预决算 500, 招标采购 dropped; 专题专栏 no longer linked."""
    notices = ColumnRecord(url=f"{SITE}/zwgk/tzgg/", name="通知公告", type="通知公告", items=12, dated_items=12,
                           latest=AS_OF - dt.timedelta(days=3), list_urls=[f"{SITE}/zwgk/tzgg/index.html"])
    links = [LinkRecord(HOME, f"{SITE}/zwgk/tzgg/index.html", 200, None, "page"),
             LinkRecord(HOME, f"{SITE}/zwgk/shjz/index.html", 404, None, "page"),
             LinkRecord(HOME, f"{SITE}/zwgk/czxx/index.html", 500, None, "page"),
             LinkRecord(HOME, f"{SITE}/zwgk/zbcg/index.html", None, "download-failed-error", "page"),
             LinkRecord(HOME, f"{SITE}/admin/index.html", None, "robots-disallowed", "page"),
             # Another column's page links the 404 column too: still one column, listed once.
             LinkRecord(f"{SITE}/zwgk/tzgg/index.html", f"{SITE}/zwgk/shjz/", 404, None, "page")]
    pages = [PageRecord(url=HOME, kind="home", title="青禾县人民政府"),
             PageRecord(url=f"{SITE}/zwgk/tzgg/index.html", column_url=notices.url, kind="list")]
    return Snapshot("青禾县人民政府", HOME, AS_OF, run_id=3, columns_=[notices], pages_=pages, links_=links,
                    stats={"status": "complete", "pages": 2, "columns": 1})


def _carried(name: str, url: str, fid: str) -> Finding:
    """A leak found last week in a column this week could not open: carried as 本次未能复查."""
    return Finding(id=fid, rule="PII001", kind="personal_data", severity="veto", title="泄露个人信息",
                   confidence=1.0, column={"name": name, "url": url}, url=f"{url}202611/t20261101_1.html",
                   message="页面含有未脱敏的身份证号 11**************12。", remediation="删除或脱敏。",
                   basis="《政府信息公开条例》第十五条", status="unverified", first_seen=AS_OF - dt.timedelta(days=14))


def test_only_the_columns_linked_and_failing_this_week_are_named():
    found = unreachable_columns(_snapshot(), LAST_WEEK)
    assert [(c.name, c.unreachable) for c in found] == [("社会救助", True), ("财政预决算", True), ("招标采购", True)]
    reasons = {c.name: c.reason for c in found}
    assert reasons["社会救助"].startswith("栏目页面返回HTTP 404（页面不存在），本次未能检查")
    assert reasons["财政预决算"].startswith("栏目页面返回服务器错误（HTTP 500）")
    assert reasons["招标采购"].startswith("栏目页面无响应（连接被拒绝或中断）")
    assert all("本次未能复查" in r and "error" not in r for r in reasons.values())
    assert unreachable_columns(_snapshot(), []) == []                  # a site's first check knows no columns


def test_every_report_says_which_columns_were_not_examined(tmp_path):
    findings = [_carried("财政预决算", f"{SITE}/zwgk/czxx/", "f-czxx"),
                # Known only from a carried problem (its column was already down last week): still named.
                _carried("乡村振兴", f"{SITE}/xczx/", "f-xczx")]
    snapshot = _snapshot()
    snapshot.links_.append(LinkRecord(HOME, f"{SITE}/xczx/index.html", None, "timeout", "page"))
    outcome = render_reports(snapshot, [f.to_dict() for f in findings], tmp_path, known_columns=LAST_WEEK,
                             history=[{"run_id": 2, "as_of": "2026-12-07", "findings": 2}])
    assert outcome.status == "有检查异常" and not outcome.problems
    names = ["社会救助", "财政预决算", "招标采购", "乡村振兴"]

    document = json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert document["status"] == "有检查异常"
    assert [c["name"] for c in document["unread_columns"] if c.get("unreachable")] == names
    assert "有4个栏目本次无法访问、未能检查" in document["summary"]["headline"]

    docx = Document(str(tmp_path / "report.docx"))
    text = "\n".join([p.text for p in docx.paragraphs] + [c.text for t in docx.tables for r in t.rows for c in r.cells])
    assert "检查状态：有检查异常" in text and "有4个栏目本次无法访问、未能检查，其原有问题列为“本次未能复查”" in text
    assert all(f"{name}（" in text for name in names)
    assert "本次无法访问、未能检查的栏目：社会救助、财政预决算、招标采购、乡村振兴。" in text          # under 本周变化

    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "有4个栏目本次无法访问、未能检查" in html and all(name in html for name in names)
    assert "已检查的栏目未发现；另有4个栏目未检查完，未作判定" in html           # 栏目不更新 is not a plain pass
    assert "栏目页面访问超时，本次未能检查" in html

    sheet = load_workbook(tmp_path / "rectification.xlsx")["检查异常"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "检查状态：有检查异常" in cells and all(name in cells for name in names)
    assert any(c.startswith("栏目页面返回HTTP 404（页面不存在），本次未能检查") for c in cells)
    for text_of_file in (text, html, "\n".join(cells), json.dumps(document, ensure_ascii=False)):
        assert "download-failed" not in text_of_file and "robots" not in text_of_file


def test_a_week_with_every_column_back_is_whole(tmp_path):
    snapshot = _snapshot()
    snapshot.links_ = [link for link in snapshot.links_ if link.status == 200]
    outcome = render_reports(snapshot, [], tmp_path, known_columns=LAST_WEEK, formats=("json",))
    assert outcome.status == "完整"
    assert json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))["unread_columns"] == []
