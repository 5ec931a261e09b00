"""A portal whose home page leads to no column is reported as not examined (未能检查), never 完整 or 合格.

Real `govaudit audit` processes against a 127.0.0.1 portal. Week 1 the portal is whole and has stale columns.
Week 2 its home page is a maintenance notice: the crawl reaches it and recognises no column. Every file and the
run summary must say the check could not be done and why; what this run saw of the notice is only 待核实; week 1's
problems are 本次未能复查 (still counted), none called fixed; exit 3. A site whose first check meets a frameset
around another address gets the same, without a week to carry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from tests.govaudit.test_offsite_interaction import _routes
from tests.loopback import LoopbackServer

REPO = Path(__file__).resolve().parents[2]
MAINTENANCE = ("<html><head><meta charset='utf-8'><title>青禾县人民政府</title></head><body><div class='wh'>"
               "<h2>网站维护中</h2><p>为提供更好的服务，本网站正在进行系统升级，暂停访问，给您带来不便敬请谅解。</p>"
               "</div></body></html>")
FRAMESET = ("<html><head><meta charset='utf-8'><title>青禾县人民政府</title></head><frameset rows='100%'>"
            "<frame src='http://10.20.30.40:8080/portal/index.jsp'></frameset></html>")


def _audit(base: str, root: Path, as_of: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, CI="true", PYTHONPATH=str(REPO), GOVAUDIT_OFFLINE="1")
    return subprocess.run([sys.executable, "-m", "govaudit.cli", "audit", f"{base}/index.html", "--out",
                           str(root / as_of), "--db", str(root / "run.db"), "--as-of", as_of, "--delay", "0"],
                          cwd=REPO, capture_output=True, text=True, timeout=300, env=env)


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def _assert_not_examined(out: Path, reason_words: str) -> dict:
    """Every file says 未能检查 with the reason, gives no verdict, counts nothing of this run."""
    document = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert document["status"] == "未能检查"
    headline = document["summary"]["headline"]
    assert headline.startswith("检查未能完成：本次未识别到网站栏目，网站内容未经检查。原因：") and reason_words in headline
    assert document["summary"]["veto"]["undetermined"] is True and document["summary"]["veto"]["passed"] is False
    assert all(f["needs_review"] for f in document["findings"] if f["status"] == "new")
    assert document["resolved"] == []

    text = _docx_text(out / "report.docx")
    assert headline in text and "单项否决指标无法判断" in text
    assert "未发现需整改的问题" not in text and "未发现单项否决情形" not in text and "共发布政府信息" not in text
    assert "本部分内容待网站恢复正常、重新检查后填写" in text

    html = (out / "report.html").read_text(encoding="utf-8")
    assert headline in html and "无法判断：" in html and "合格：" not in html

    book = load_workbook(out / "rectification.xlsx")
    assert book["汇总"]["A3"].value == "单项否决：无法判断" and book["汇总"]["A4"].value.startswith(headline)
    assert book["检查异常"]["A1"].value == "检查状态：未能检查"
    return document


def test_a_maintenance_week_examines_nothing_and_fixes_nothing(tmp_path):
    routes = _routes()
    with LoopbackServer(routes, methods=("GET", "HEAD")) as server:
        whole = _audit(server.base_url, tmp_path, "2023-03-15")
        home = routes["/index.html"]
        routes["/index.html"] = MAINTENANCE
        down = _audit(server.base_url, tmp_path, "2023-03-22")
        routes["/index.html"] = home
        back = _audit(server.base_url, tmp_path, "2023-03-29")
    assert whole.returncode in (0, 1), whole.stderr[-3000:]
    week_one = json.loads((tmp_path / "2023-03-15" / "findings.json").read_text(encoding="utf-8"))
    assert week_one["status"] == "完整"
    stale = {f["id"] for f in week_one["findings"] if f["kind"] == "stale_column" and not f["needs_review"]}
    assert stale                                           # 工作动态, 通知公告: dated January, checked in March

    assert down.returncode == 3, down.stdout[-2000:] + down.stderr[-3000:]
    assert "检查未能完成" in down.stdout and "检查状态：未能检查" in down.stdout
    assert "首页显示网站暂停服务的提示（“网站维护中”）" in down.stdout and "上次检查发现的问题列为“本次未能复查”" in down.stdout
    assert "合格" not in down.stdout and "待整改问题" not in down.stdout

    document = _assert_not_examined(tmp_path / "2023-03-22", "网站维护中")
    carried = {f["id"] for f in document["findings"] if f["status"] == "unverified"}
    assert stale <= carried                                # still open, still counted
    assert document["summary"]["changes"]["fixed"] == 0 and document["summary"]["total"] >= len(stale)
    assert "上次检查发现的问题列为“本次未能复查”" in document["summary"]["headline"]

    # Week 3 the site is back: compared with week 1 (week 2 examined nothing), the stale columns persist from their
    # first date, and what week 2 saw of the notice is neither fixed nor carried.
    assert back.returncode in (0, 1), back.stderr[-3000:]
    week_three = json.loads((tmp_path / "2023-03-29" / "findings.json").read_text(encoding="utf-8"))
    again = {f["id"]: f for f in week_three["findings"]}
    assert all(again[i]["status"] == "persisting" and again[i]["first_seen"] == "2023-03-15" for i in stale)
    assert {f["id"] for f in week_three["resolved"]} <= {f["id"] for f in week_one["findings"]}


def test_a_first_check_of_a_frameset_names_the_address_to_check(tmp_path):
    with LoopbackServer({"/index.html": FRAMESET}, methods=("GET", "HEAD")) as server:
        proc = _audit(server.base_url, tmp_path, "2023-03-15")
    assert proc.returncode == 3, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "首页为框架页，页面内容由框架中的地址 http://10.20.30.40:8080/portal/index.jsp 提供" in proc.stdout
    document = _assert_not_examined(tmp_path / "2023-03-15", "该地址不属于本网站")
    assert document["summary"]["total"] == 0 and "本次未能复查" not in document["summary"]["headline"]
