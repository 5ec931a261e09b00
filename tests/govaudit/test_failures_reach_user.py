"""Every failure reaches the user, and one failure never costs the report (issue 10 items 2 and 3).

Each test injects one kind of failure into a stored run — a check that raises, a page that failed to
parse, a record the store refused, a column not read to the end, a finding that fails the findings.json
schema, a renderer that raises — and shows it in the CLI summary, report.html, the 检查异常 sheet of
rectification.xlsx, findings.json and the exit code, with the other files still written.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

from checks.finding import Finding
from crawler.records import ColumnRecord, ErrorRecord, PageRecord
from crawler.store import Store
from govaudit import audit
from govaudit.cli import main
from reports import FILENAMES
from reports.json_report import validation_errors

AS_OF = dt.date(2026, 3, 2)
SITE = "http://127.0.0.1:8123/"
FILES = sorted(FILENAMES.values())


def stored_run(db, *, parse_error=True, store_error=True, unread=True, status="complete") -> int:
    """A run as a crawl leaves it: a stale 动态要闻 column (major), a fresh 通知公告 one (perhaps not read to
    the end), and recorded errors."""
    with Store(db) as store:
        run_id = store.start_run(SITE, "示例县人民政府", AS_OF)
        store.add_column(run_id, ColumnRecord(url=SITE + "bmdt/", name="部门动态", type="动态要闻", items=3,
                                              dated_items=3, latest=AS_OF - dt.timedelta(days=40)))
        store.add_column(run_id, ColumnRecord(url=SITE + "tzgg/", name="通知公告", type="通知公告", items=20,
                                              dated_items=20, latest=AS_OF - dt.timedelta(days=3),
                                              unread_reason="已达到抓取页数上限，栏目列表未读完" if unread else None))
        store.add_page(run_id, PageRecord(url=SITE + "tzgg/1.html", column_url=SITE + "tzgg/", title="通知",
                                          published=AS_OF - dt.timedelta(days=3)))
        store.add_page(run_id, PageRecord(url=SITE, kind="home", title="首页", published=AS_OF))
        store.add_page(run_id, PageRecord(url=SITE + "bmdt/1.html", column_url=SITE + "bmdt/", title="动态",
                                          published=AS_OF - dt.timedelta(days=40)))
        if parse_error:
            store.add_error(run_id, ErrorRecord(SITE + "bad.html", "parse", "页面解析失败：ValueError: broken markup"))
        if store_error:
            store.add_error(run_id, ErrorRecord(SITE + "lost.html", "store",
                                                "页面未能保存到数据库，本次检查缺少该页面：OperationalError: disk I/O"))
        store.add_error(run_id, ErrorRecord(SITE + "slow.html", "fetch", "抓取失败：连接超时"))   # the site's, not ours
        store.finish_run(run_id, status, {"pages": 2, "columns": 2})
    return run_id


@pytest.fixture
def raising_check(monkeypatch):
    """The broken-link check (LNK001, LNK002) raises, as a bug in a family would."""
    import checks.links

    def explode(snapshot, rule):
        raise RuntimeError("link table corrupted")
        yield  # pragma: no cover

    monkeypatch.setitem(checks.links.CHECKS, "broken_link", explode)


def audit_stored(db, run_id, out):
    store = audit.open_store(db)
    info = store.run(run_id)
    crawl = audit.StoredCrawl(run_id, info.status, dict(info.stats))
    return store, audit.check_and_report(store, SITE, crawl, out)


def html_tree(out):
    return lxml_html.fromstring((out / "report.html").read_text(encoding="utf-8"))


def errors_sheet(out):
    book = load_workbook(out / "rectification.xlsx")
    assert "检查异常" in book.sheetnames
    return [[c for c in row if c is not None] for row in book["检查异常"].iter_rows(values_only=True)]


def test_check_parse_store_errors_and_unread_column_reach_every_output(tmp_path, raising_check):
    db, out = tmp_path / "db.sqlite", tmp_path / "out"
    run_id = stored_run(db)
    store, result = audit_stored(db, run_id, out)

    assert sorted(p.name for p in result.files) == FILES
    assert result.status == "有检查异常"
    stages = {(p.stage, p.rule) for p in result.problems}
    assert {("parse", None), ("store", None), ("check", "LNK001"), ("check", "LNK002")} <= stages
    assert all(p.stage != "fetch" for p in result.problems)        # a timeout of the site is not a failure of ours
    assert [c.name for c in result.unread] == ["通知公告"]

    # The stale column is still found: one failing rule costs only itself.
    assert any(f.rule == "UPD001" for f in result.findings)

    text = audit.summarise(result)
    assert "检查状态：有检查异常" in text and "检查异常 4 项" in text
    assert "页面解析 1 项" in text and "数据保存 1 项" in text and "规则检查 2 项" in text
    assert "link table corrupted" in text and "LNK001" in text
    assert "未检查完的栏目 1 个" in text and "已达到抓取页数上限" in text
    assert "网站未能正常响应的页面 1 个" in text
    as_json = json.loads(audit.summarise(result, fmt="json"))
    assert as_json["status"] == "有检查异常" and as_json["errors_by_stage"] == {"parse": 1, "store": 1, "check": 2}

    # Exit codes: 4 when nothing reaches --fail-on; 1 wins over 4.
    assert audit.exit_code([result], "veto") == 4
    assert audit.exit_code([result], "major") == 1

    tree = html_tree(out)
    section = tree.xpath("//section[@id='check-errors']")[0]
    assert section.get("data-status") == "有检查异常" and "本次检查不完整" in section.text_content()
    rows = tree.xpath("//tr[@class='check-error']")
    assert sorted(r.get("data-stage") for r in rows) == ["check", "check", "parse", "store"]
    assert "LNK001" in section.text_content() and "规则检查" in section.text_content()
    assert [r.xpath("td")[1].text_content() for r in tree.xpath("//tr[@class='unread-column']")] == ["通知公告"]

    sheet = errors_sheet(out)
    flat = "\n".join(str(c) for row in sheet for c in row)
    assert sheet[0] == ["检查状态：有检查异常"]
    assert "LNK001" in flat and "link table corrupted" in flat and "页面解析" in flat and "数据保存" in flat
    assert "通知公告" in flat and "已达到抓取页数上限，栏目列表未读完" in flat

    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert validation_errors(doc) == []
    assert doc["status"] == "有检查异常" and doc["summary"]["errors"] == 4
    assert sorted(e["stage"] for e in doc["errors"]) == ["check", "check", "parse", "store"]
    assert doc["unread_columns"] == [{"name": "通知公告", "url": SITE + "tzgg/",
                                      "reason": "已达到抓取页数上限，栏目列表未读完"}]
    assert "本次检查不完整" in (out / "report.md").read_text(encoding="utf-8")

    # Stored with the run: a later `govaudit report` states them again and exits 4.
    stored = store.load_snapshot(run_id).errors_
    assert {(e.stage, e.rule) for e in stored if e.stage == "check"} == {("check", "LNK001"), ("check", "LNK002")}
    assert store.run(run_id).stats["check_status"] == "有检查异常"
    store.close()
    assert main(["report", str(run_id), "--out", str(tmp_path / "again"), "--db", str(db)]) == 4


def test_a_clean_run_is_complete_and_exits_0(tmp_path):
    db, out = tmp_path / "db.sqlite", tmp_path / "out"
    run_id = stored_run(db, parse_error=False, store_error=False, unread=False)
    store, result = audit_stored(db, run_id, out)
    store.close()
    assert result.status == "完整" and result.problems == [] and result.unread == []
    assert audit.exit_code([result], "veto") == 0
    assert "检查异常" not in load_workbook(out / "rectification.xlsx").sheetnames
    assert not html_tree(out).xpath("//section[@id='check-errors']")
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert doc["status"] == "完整" and doc["errors"] == [] and doc["unread_columns"] == []


def test_an_incomplete_crawl_is_said_and_still_reported(tmp_path):
    db, out = tmp_path / "db.sqlite", tmp_path / "out"
    run_id = stored_run(db, parse_error=False, store_error=False, unread=False, status="incomplete")
    store, result = audit_stored(db, run_id, out)
    store.close()
    assert result.status == "未完成" and sorted(p.name for p in result.files) == FILES
    assert audit.exit_code([result], "veto") == 4
    assert "本次网站抓取未能完成" in html_tree(out).xpath("//section[@id='check-errors']")[0].text_content()


def _finding(rule: str, url: str, **extra) -> dict:
    base = Finding(id=f"id-{rule}-{url.rsplit('/', 1)[-1]}", rule=rule, kind="broken_link", severity="minor", title="链接不可用",
                   confidence=1.0, column=None, url=url, message=f"页面 {url} 中的链接无法访问。",
                   remediation="修复或删除该链接。", basis="国办秘函〔2019〕19号", first_seen=AS_OF)
    return base.to_dict() | extra


def test_a_finding_that_fails_the_schema_costs_only_itself(tmp_path):
    """One odd URL used to make findings.json fail its own schema and the whole audit write nothing (exit 2)."""
    db, out = tmp_path / "db.sqlite", tmp_path / "out"
    run_id = stored_run(db, parse_error=False, store_error=False, unread=False)
    odd = SITE + "files/通知 附件.pdf"                        # a space: not a URL the schema accepts
    with Store(db) as store:
        store.save_findings(run_id, [_finding("LNK001", SITE + "a.html"), _finding("LNK001", odd),
                                     {"id": "row-3", "rule": "LNK002", "url": SITE + "c.html", "kind": "broken_link",
                                      "severity": "minor"}])
        store.update_stats(run_id, checked=True)
    store = audit.open_store(db)
    outcome = audit.report_outcome(store, run_id, out)
    store.close()

    assert sorted(p.name for p in outcome.files) == FILES and outcome.status == "有检查异常"
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert validation_errors(doc) == []
    assert [f["url"] for f in doc["findings"]] == [SITE + "a.html"]
    by_rule = {(e["rule"], e["url"]): e["message"] for e in doc["errors"]}
    assert "未写入 findings.json" in by_rule[("LNK001", odd)]
    assert "无法读取" in by_rule[("LNK002", SITE + "c.html")]        # a stored row missing its fields
    # The odd finding is still a problem of the site: the other files list it.
    assert "通知 附件.pdf" in (out / "report.md").read_text(encoding="utf-8")
    assert len(html_tree(out).xpath("//tr[@class='check-error']")) == 2
    flat = "\n".join(str(c) for row in errors_sheet(out) for c in row)
    assert "未写入 findings.json" in flat and "LNK002" in flat


def test_one_renderer_raising_never_stops_the_others(tmp_path, monkeypatch, capsys):
    import reports.docx_report

    def broken_docx(model, path):
        raise RuntimeError("docx engine crashed")

    monkeypatch.setattr(reports.docx_report, "write_docx", broken_docx)
    db, out = tmp_path / "db.sqlite", tmp_path / "out"
    run_id = stored_run(db, parse_error=False, store_error=False, unread=False)

    code = main(["report", str(run_id), "--out", str(out), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 4 and "report.docx 未能生成" in err and "docx engine crashed" in err
    assert sorted(p.name for p in out.iterdir()) == sorted(set(FILES) - {"report.docx"})
    for name in ("report.html", "report.md", "findings.json"):
        assert "report.docx 未能生成" in (out / name).read_text(encoding="utf-8"), name
    flat = "\n".join(str(c) for row in errors_sheet(out) for c in row)
    assert "report.docx 未能生成" in flat and "报告生成" in flat
    with Store(db) as store:
        assert [e.stage for e in store.load_snapshot(run_id).errors_ if e.stage == "report"] == ["report"]


def test_a_finding_one_renderer_cannot_show_is_left_out_of_that_file_only(tmp_path, monkeypatch):
    import reports.markdown

    real = reports.markdown.write_markdown

    def picky(model, path):
        if any("b.html" in (f.url or "") for f in model.findings):
            raise ValueError("cannot typeset this row")
        return real(model, path)

    monkeypatch.setattr(reports.markdown, "write_markdown", picky)
    db, out = tmp_path / "db.sqlite", tmp_path / "out"
    run_id = stored_run(db, parse_error=False, store_error=False, unread=False)
    with Store(db) as store:
        store.save_findings(run_id, [_finding("LNK001", SITE + f"{name}.html") for name in "abcd"])
        store.update_stats(run_id, checked=True)
    store = audit.open_store(db)
    outcome = audit.report_outcome(store, run_id, out)
    store.close()

    assert sorted(p.name for p in outcome.files) == FILES
    (left_out,) = outcome.problems
    assert left_out.rule == "LNK001" and left_out.url.endswith("b.html") and "report.md" in left_out.message
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "a.html" in md and "d.html" in md and "无法在 report.md 中显示" in md
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert len(doc["findings"]) == 4 and doc["errors"][0]["url"].endswith("b.html")


def test_rules_validate_rejects_unknown_family_and_check_with_file_and_line(tmp_path, capsys):
    path = tmp_path / "county.yml"
    path.write_text("""extends: guoban-2019
rules:
  - id: X001
    name: fresh.misspelt
    title: 拼错的检查类别
    family: freshnes
    kind: column-stale
    severity: minor
    message: 栏目「{column}」未更新。
    remediation: 及时更新。
    basis: 测试
  - id: X002
    name: links.unknown
    title: 不存在的检查项
    family: links
    kind: broken-links
    severity: minor
    message: 链接不可用。
    remediation: 修复。
    basis: 测试
""", encoding="utf-8")
    assert main(["rules", "validate", str(path)]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{path}:6:13: X001: family: unknown family 'freshnes'") for line in lines), lines
    assert any(line.startswith(f"{path}:16:11: X002: kind: unknown check 'broken_links' in family 'links'")
               for line in lines), lines


def test_exit_code_precedence_over_several_sites():
    """3 (a site unreachable) > 1 (an alarm) > 4 (not whole) > 0; an alarm is never hidden behind 4."""
    def result(status="完整", error=None, severity=None):
        findings = [Finding(id="x", rule="UPD007", kind="homepage_stale", severity=severity, title="首页",
                            confidence=1.0, column=None, url=SITE, message="", remediation="", basis="")] \
            if severity else []
        return audit.AuditResult(SITE, 1, "complete", {}, findings, error=error, status=status)

    whole, partial, alarm = result(), result("有检查异常"), result(severity="veto")
    assert audit.exit_code([whole], "veto") == 0
    assert audit.exit_code([partial], "veto") == 4
    assert audit.exit_code([result("有检查异常", severity="veto")], "veto") == 1
    assert audit.exit_code([partial, alarm, whole], "veto") == 1
    assert audit.exit_code([partial, result(error="无法抓取网站")], "veto") == 3
    assert audit.exit_code([result("未完成", severity="minor")], "veto") == 4


def test_a_finding_awaiting_review_raises_no_alarm():
    """待核实 findings are counted apart in every file, so --fail-on does not count them either."""
    def finding(review: bool) -> Finding:
        return Finding(id="r" if review else "c", rule="PII001", kind="personal_data", severity="major",
                       title="身份证号", confidence=0.7, column=None, url=SITE, message="", remediation="",
                       basis="", needs_review=review)

    assert audit.exit_code_for([finding(True)], "major") == 0
    assert audit.exit_code_for([finding(True), finding(False)], "major") == 1
