"""Four weekly audits of the demo portal as the clerk lives them: fixes, new problems, an outage, a quiet week.

Week 1: the first audit. Week 2: a stale column is updated, a leaking notice withdrawn, a dead link repaired, a
new attachment leaks ID numbers, a column goes stale with time; the clerk marks one row 已整改 that is not fixed,
one row 不成立 and fills in one 责任单位. Week 3: part of the site is unreachable (a column 404s, another answers
500, a third drops the connection unanswered, as a server that times out does): nothing there may be called
fixed. Week 4: the site is back and nothing changed.

Each week is checked where the clerk reads it (report.docx text, rectification.xlsx, report.html, findings.json,
the CLI summary) and in the database, which must hold no synthetic personal value unmasked.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pytest

from checks.privacy import synthetic
from tests.govaudit.test_week_over_week import _cli, _free_port

pytestmark = pytest.mark.slow      # real govaudit processes crawl the demo portal: not in `-m "not slow"`
AS_OF = dt.date(2026, 11, 30)
STALE_FIXED = "/col/col1004/index.html"          # 图片新闻, 45 days without an update in week 1
WITHDRAWN = "/zwgk/tzgg/202610/t20261030_27272.html"   # the notice with a contact's mobile number
NEW_LEAK_PAGE = "/zwgk/tzgg/202611/t20261129_27199.html"
NEW_LEAK_FILE = "/zwgk/tzgg/202611/P020261129000000000001.csv"
DOWN_404 = "zwgk/shjz"                            # 社会救助: moved away in week 3 (every address 404s)
DOWN_500 = "zwgk/czxx"                            # 财政预决算: answers 500 in week 3
DOWN_DROP = "zwgk/zbcg"                           # 招标采购: the connection drops unanswered in week 3
DOWN_COLUMNS = ("社会救助", "财政预决算", "招标采购")
CLERK_UNIT = "县财政局办公室"




def new_leak_values() -> list[str]:
    """The synthetic ID numbers of week 2's new attachment (valid check digits, generated, never real)."""
    rng = random.Random(20261207)
    return [synthetic.id18(rng) for _ in range(4)]


def _update_stale_column(site: Path, as_of: dt.date) -> None:
    """图片新闻 publishes a new item dated the day before the audit (list record and article page)."""
    column = site / STALE_FIXED.lstrip("/")
    html = column.read_text(encoding="utf-8")
    first = re.search(r'<record><!\[CDATA\[<li><a href="(/art/[^"]+)"', html)
    old = site / first.group(1).lstrip("/")
    day = as_of - dt.timedelta(days=1)
    url = f"/art/{day.year}/{day.month}/{day.day}/art_1004_5029901.html"
    page = old.read_text(encoding="utf-8")
    old_date = re.search(r'name="PubDate" content="(\d{4}-\d{2}-\d{2})', page).group(1)
    page = page.replace(old_date, day.isoformat())
    (site / url.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    (site / url.lstrip("/")).write_text(page, encoding="utf-8")
    record = (f'<record><![CDATA[<li><a href="{url}" target="_blank" title="县政府召开冬季安全生产工作会议">'
              f'县政府召开冬季安全生产工作会议</a><span class="bt-data-time">[{day:%m-%d}]</span></li>]]></record>\n')
    html = html.replace("<recordset>\n", "<recordset>\n" + record, 1)
    html = re.sub(r"totalRecord:(\d+)", lambda m: f"totalRecord:{int(m.group(1)) + 1}", html)
    column.write_text(html, encoding="utf-8")


def _withdraw(site: Path, url: str) -> None:
    """The page is deleted and its entry taken off the list that linked it."""
    (site / url.lstrip("/")).unlink()
    name = url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1]
    for listing in (site / "zwgk/tzgg").glob("index*.html"):
        html = listing.read_text(encoding="utf-8")
        kept = re.sub(r"<li>(?:(?!</li>).)*" + re.escape(name) + r"(?:(?!</li>).)*</li>", "", html, flags=re.S)
        if kept != html:
            listing.write_text(kept, encoding="utf-8")


def _repair_dead_link(site: Path, manifest: dict) -> str:
    """The missing target of the first planted dead link is put back; returns its address."""
    target = manifest["broken_links"][0]["url"]
    source = site / manifest["broken_links"][0]["source_url"].lstrip("/")
    (site / target.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, site / target.lstrip("/"))
    return target


def _add_leaking_attachment(site: Path) -> None:
    """A clean notice gains a csv list of applicants with full ID numbers."""
    rng = random.Random(7)
    lines = ["序号,姓名,身份证号码,申请事项"]
    lines += [f"{i},{synthetic.person_name(rng)},{value},临时救助" for i, value in enumerate(new_leak_values(), 1)]
    (site / NEW_LEAK_FILE.lstrip("/")).write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = site / NEW_LEAK_PAGE.lstrip("/")
    html = page.read_text(encoding="utf-8")
    link = f'<p>附件：<a href="{NEW_LEAK_FILE}">临时救助申请人名单.csv</a></p>'
    html, count = re.subn(r'(<div class="TRS_Editor">)', r"\1" + link, html, count=1)
    assert count == 1
    page.write_text(html, encoding="utf-8")


def _clerk_edits(xlsx: Path) -> dict:
    """Last week's list as the clerk returns it: one premature 已整改, one 不成立, one 责任单位 typed in."""
    book = openpyxl.load_workbook(xlsx)
    sheet = book["整改清单"]
    header = [c.value for c in sheet[1]]
    col = {h: header.index(h) + 1 for h in ("整改状态", "问题类型", "页面或附件地址", "问题编号", "责任单位",
                                             "整改情况说明")}
    picked: dict = {}
    for row in range(2, sheet.max_row + 1):
        fid = sheet.cell(row=row, column=col["问题编号"]).value
        kind = str(sheet.cell(row=row, column=col["问题类型"]).value or "")
        url = str(sheet.cell(row=row, column=col["页面或附件地址"]).value or "")
        if not fid:
            continue
        if "premature" not in picked and kind.startswith("泄露个人信息") and f"/{DOWN_404}/" not in url \
                and f"/{DOWN_500}/" not in url and WITHDRAWN not in url:
            picked["premature"] = fid
            sheet.cell(row=row, column=col["整改状态"], value="已整改")
            sheet.cell(row=row, column=col["整改情况说明"], value="已通知栏目编辑删除")
        elif "dismissed" not in picked and kind.startswith("网站标识不规范"):
            picked["dismissed"] = fid
            sheet.cell(row=row, column=col["整改状态"], value="不成立")
            sheet.cell(row=row, column=col["整改情况说明"], value="该页面为外包专题页，经核实不属于本网站")
        elif "unit" not in picked and f"/{DOWN_500}/" in url:
            picked["unit"] = fid
            sheet.cell(row=row, column=col["责任单位"], value=CLERK_UNIT)
    book.save(xlsx)
    assert set(picked) == {"premature", "dismissed", "unit"}, picked
    return picked


def _outage(site: Path, manifest_path: Path, parked: Path) -> None:
    """Week 3: one column's folder is gone (404), every file of another answers 500."""
    shutil.move(site / DOWN_404, parked)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["_flaky_before"] = manifest["flaky"]
    manifest["flaky"] = manifest["flaky"] + [
        {"url": "/" + str(p.relative_to(site)), "fails": 10**6} for p in (site / DOWN_500).rglob("*") if p.is_file()]
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _recover(site: Path, manifest_path: Path, parked: Path) -> None:
    shutil.move(parked, site / DOWN_404)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["flaky"] = manifest.pop("_flaky_before")
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _drop_handler():
    """The demo portal's handler, except that requests under DOWN_DROP get no answer (the socket is closed)."""
    from govaudit.demo.server import DemoHandler

    class Dropping(DemoHandler):
        def _serve(self, head: bool) -> None:
            if urlsplit(self.path).path.startswith(f"/{DOWN_DROP}/"):
                self.close_connection = True
                return
            super()._serve(head)

    return Dropping


def run_four_weeks(root: Path) -> dict:
    """Build the demo portal under `root`, run four weekly audits with the edits above; outputs per week."""
    from govaudit.demo.generator import build
    from govaudit.demo.server import serve

    site = root / "site"
    build(site, seed=11, as_of=AS_OF, scale=0.2)
    manifest_path = site / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    db, port = root / "govaudit.sqlite", _free_port()
    weeks: list[dict] = []
    edits: dict = {}
    for week in range(4):
        as_of = AS_OF + dt.timedelta(days=7 * week)
        out = root / f"week{week + 1}"
        if week == 1:
            _update_stale_column(site, as_of)
            _withdraw(site, WITHDRAWN)
            edits["repaired"] = _repair_dead_link(site, manifest)
            _add_leaking_attachment(site)
        if week == 2:
            _outage(site, manifest_path, root / "parked")
        if week == 3:
            _recover(site, manifest_path, root / "parked")
        if week:
            shutil.copytree(root / f"week{week}", out)      # the clerk keeps one folder per week
        if week == 1:
            edits.update(_clerk_edits(out / "rectification.xlsx"))
        with serve(site, port=port) as base:
            if week == 2:
                base.server.RequestHandlerClass = _drop_handler()
            proc = _cli("audit", f"{base}/", "--as-of", as_of.isoformat(), "--out", str(out), "--db", str(db),
                        "--concurrency", "8", "--delay", "0", "--reverify-weeks", "1")
        assert proc.returncode in (0, 1, 4), proc.stderr[-3000:]
        (out / "cli.txt").write_text(proc.stdout, encoding="utf-8")
        weeks.append({"out": out, "as_of": as_of, "cli": proc.stdout,
                      "json": json.loads((out / "findings.json").read_text(encoding="utf-8"))})
    return {"db": db, "weeks": weeks, "edits": edits, "manifest": manifest}


def _id_ok(value: str) -> bool:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(value[:17], weights))
    return "10X98765432"[total % 11] == value[17].upper()


def site_id_numbers(site: Path) -> set[str]:
    """Every valid 18-digit ID number written plainly in the demo portal's pages and text files (all synthetic)."""
    found: set[str] = set()
    for path in site.rglob("*"):
        if path.suffix in (".html", ".htm", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8", errors="ignore")
            found.update(v for v in re.findall(r"(?<!\d)\d{17}[\dXx](?!\d)", text) if _id_ok(v))
    return found


def _docx_text(path: Path) -> str:
    import docx

    doc = docx.Document(path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _list_rows(path: Path) -> list[dict]:
    book = openpyxl.load_workbook(path)
    rows = []
    for name in ("整改清单", "待核实事项"):
        if name in book.sheetnames:
            sheet = book[name]
            header = [c.value for c in sheet[1]]
            rows += [dict(zip(header, (c.value for c in r)), _sheet=name) for r in sheet.iter_rows(min_row=2)]
    return [r for r in rows if r.get("序号")]


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    root = tmp_path_factory.mktemp("four")
    result = run_four_weeks(root)
    result["root"] = root
    return result


def _by_status(week: dict, status: str) -> list[dict]:
    pool = week["json"]["resolved"] if status == "resolved" else week["json"]["findings"]
    return [f for f in pool if f["status"] == status]


def test_week_two_tells_what_was_fixed_and_what_is_new(four):
    week = four["weeks"][1]
    fixed = {(f["kind"], f["url"].split(":", 2)[-1].split("/", 1)[-1]) for f in _by_status(week, "resolved")}
    assert ("stale_column", "col/col1004/") in fixed                           # the column updated
    assert ("personal_data", WITHDRAWN.lstrip("/")) in fixed                   # the notice withdrawn
    assert ("broken_link", four["edits"]["repaired"].lstrip("/")) in fixed     # the dead link repaired
    new = _by_status(week, "new")
    assert any(f["kind"] == "personal_data" and f["url"].endswith(NEW_LEAK_FILE) for f in new)
    assert any(f["kind"] == "stale_column" for f in new)                       # stale with time
    changes = week["json"]["summary"]["changes"]
    assert changes["fixed"] == sum(1 for f in _by_status(week, "resolved") if f["kind"] != "veto"
                                   and not f["needs_review"])
    text = _docx_text(week["out"] / "report.docx")
    assert "二、与上次检查相比的变化" in text and "经复查已整改的问题" in text and "新发现的问题" in text


def test_the_clerks_edits_are_honoured_or_politely_corrected(four):
    week, edits = four["weeks"][1], four["edits"]
    rows = {r["问题编号"]: r for r in _list_rows(week["out"] / "rectification.xlsx")}
    premature = rows[edits["premature"]]
    assert premature["整改状态"] == "未整改"
    as_of = week["as_of"]
    assert premature["整改情况说明"].startswith(f"经{as_of.year}年{as_of.month}月{as_of.day}日复查仍存在，请继续整改。")
    assert premature["整改情况说明"].endswith("已通知栏目编辑删除")         # her note is kept
    dismissed = rows[edits["dismissed"]]
    assert dismissed["整改状态"] == "不成立" and "不计入" in dismissed["问题描述"]
    assert {f["status"] for f in week["json"]["findings"] if f["id"] == edits["dismissed"]} == {"dismissed"}
    assert rows[edits["unit"]]["责任单位"] == CLERK_UNIT
    text = _docx_text(week["out"] / "report.docx")
    assert "上次报已整改、经复查仍存在的问题（1项）" in text and "经核实不成立的问题（1项）" in text
    assert "（核实意见：该页面为外包专题页，经核实不属于本网站）" in text
    # The dismissal holds the following weeks, and the unit typed in stays.
    for later in four["weeks"][2:]:
        rows = {r["问题编号"]: r for r in _list_rows(later["out"] / "rectification.xlsx")}
        assert rows[edits["dismissed"]]["整改状态"] == "不成立"
        assert rows[edits["unit"]]["责任单位"] == CLERK_UNIT
        assert later["json"]["summary"]["changes"]["dismissed"] == 1


def test_an_outage_fixes_nothing(four):
    week = four["weeks"][2]
    resolved = _by_status(week, "resolved")
    assert not [f for f in resolved if f["kind"] != "broken_link"], [f["url"] for f in resolved]
    unverified = _by_status(week, "unverified")
    leaks = [f for f in unverified if f["kind"] == "personal_data"]
    assert {(f["column"] or {}).get("name") for f in leaks} == set(DOWN_COLUMNS)
    # Every problem of an unreachable column is carried, none of them lost or called fixed.
    before = [f for f in four["weeks"][1]["json"]["findings"] if (f["column"] or {}).get("name") in DOWN_COLUMNS
              and f["status"] in ("new", "persisting") and f["kind"] != "broken_link"]
    assert {f["id"] for f in before} <= {f["id"] for f in week["json"]["findings"]}
    changes = week["json"]["summary"]["changes"]
    assert changes["fixed"] == 0 and changes["unverified"] == sum(1 for f in unverified if not f["needs_review"])
    assert f"本次未能复查 {changes['unverified']} 项" in week["cli"]
    text = _docx_text(week["out"] / "report.docx")
    assert f"本次未能复查的问题（{changes['unverified']}项）" in text
    rows = [r for r in _list_rows(week["out"] / "rectification.xlsx") if "本次未能复查" in str(r["问题描述"])]
    assert len(rows) == len(unverified)
    assert all(r["最近复核"].date() == four["weeks"][1]["as_of"] for r in rows)   # the last date it was seen


def test_an_outage_is_never_called_a_whole_check(four):
    """The three columns that could not be opened are named, with how each failed, in every file and the CLI."""
    week = four["weeks"][2]
    down = {c["name"]: c["reason"] for c in week["json"]["unread_columns"] if c.get("unreachable")}
    assert set(down) == set(DOWN_COLUMNS), week["json"]["unread_columns"]
    assert down["社会救助"].startswith("栏目页面返回HTTP 404") and down["财政预决算"].startswith("栏目页面返回服务器错误")
    assert down["招标采购"].startswith("栏目页面无响应")
    assert week["json"]["status"] == "有检查异常"
    assert "有3个栏目本次无法访问、未能检查" in week["json"]["summary"]["headline"]
    assert "爬取完整" not in week["cli"] and "检查状态：完整" not in week["cli"]
    assert "本次无法访问、未能检查的栏目 3 个" in week["cli"]
    text = _docx_text(week["out"] / "report.docx")
    assert "检查状态：有检查异常" in text and all(f"{name}（" in text for name in DOWN_COLUMNS)
    html = (week["out"] / "report.html").read_text(encoding="utf-8")
    assert "有3个栏目本次无法访问、未能检查" in html
    sheet = openpyxl.load_workbook(week["out"] / "rectification.xlsx")["检查异常"]
    assert set(DOWN_COLUMNS) <= {c.value for row in sheet.iter_rows() for c in row}
    # The weeks either side were whole as far as columns go: nothing named unreachable.
    for other in (four["weeks"][1], four["weeks"][3]):
        assert not [c for c in other["json"]["unread_columns"] if c.get("unreachable")]


def test_a_quiet_week_after_the_outage_finds_the_same_problems(four):
    before, week = four["weeks"][1], four["weeks"][3]
    changes = week["json"]["summary"]["changes"]
    assert changes["unverified"] == 0
    # What the outage hid is still there, as persisting, with its first date: not new.
    again = {f["id"]: f for f in week["json"]["findings"]}
    for f in _by_status(four["weeks"][2], "unverified"):
        assert again[f["id"]]["status"] == "persisting" and again[f["id"]]["first_seen"] == f["first_seen"]
    # Nothing was edited: only time moved on (columns passing their limit) and the outage's dead links went away.
    assert {f["kind"] for f in _by_status(week, "new") if not f["needs_review"]} <= {"stale_column"}
    assert {f["kind"] for f in _by_status(week, "resolved") if not f["needs_review"]} <= {"broken_link", "veto"}
    assert {f["id"] for f in before["json"]["findings"] if f["kind"] == "personal_data"} \
        <= {f["id"] for f in week["json"]["findings"]}


def test_counts_agree_across_every_file_each_week(four):
    from reports.tally import changes as count_changes
    from reports.tally import tally

    for n, week in enumerate(four["weeks"]):
        summary = week["json"]["summary"]
        counted = tally(week["json"]["findings"])
        assert summary["total"] == counted.total and summary["needs_review"] == counted.needs_review
        assert f"待整改问题 {counted.total} 项" in week["cli"]
        rows = _list_rows(week["out"] / "rectification.xlsx")
        still = [r for r in rows if r["整改状态"] not in ("已整改", "不成立")]
        assert sum(r["_sheet"] == "整改清单" for r in still) == counted.total
        assert sum(r["_sheet"] == "待核实事项" for r in still) == counted.needs_review
        html = (week["out"] / "report.html").read_text(encoding="utf-8")
        assert f"<b>{counted.total}</b>待整改问题" in html
        if n == 0:
            assert summary["changes"] is None and "与上次检查相比" not in week["cli"] + html
            continue
        changed = count_changes(week["json"]["findings"] + week["json"]["resolved"])
        assert summary["changes"] == changed.as_dict()
        assert changed.new + changed.persisting + changed.unverified == counted.total
        sentence = changed.sentence()
        assert sentence in week["cli"] and sentence in html and sentence in _docx_text(week["out"] / "report.docx")
        book = openpyxl.load_workbook(week["out"] / "rectification.xlsx")
        assert any(sentence in str(c.value) for row in book["汇总"].iter_rows() for c in row)


def test_a_deadline_never_moves_while_the_problem_stays_open(four):
    first = {r["问题编号"]: r for r in _list_rows(four["weeks"][0]["out"] / "rectification.xlsx")}
    for week in four["weeks"][1:]:
        # Same problem, same first date, same severity (a column that joins a 单项否决 count gets the shorter
        # deadline of its new severity; one fixed and broken again starts anew).
        rows = [r for r in _list_rows(week["out"] / "rectification.xlsx")
                if r["问题编号"] in first and r["整改状态"] not in ("已整改", "不成立")
                and (r["首次发现"], r["严重程度"]) == (first[r["问题编号"]]["首次发现"], first[r["问题编号"]]["严重程度"])]
        assert len(rows) > 40
        assert all(r["整改时限"] == first[r["问题编号"]]["整改时限"] for r in rows)


def _readable(path: Path) -> str:
    """A file's text as a reader or a script could get it: zip members (docx, xlsx) unpacked."""
    import zipfile

    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    return data.decode("utf-8", "ignore") + data.decode("utf-16-le", "ignore")


def test_no_personal_value_leaves_unmasked(four):
    values = site_id_numbers(four["root"] / "site") | set(new_leak_values())
    assert len(values) >= 10 and set(new_leak_values()) <= values
    files = [p for w in four["weeks"] for p in w["out"].rglob("*") if p.is_file() and "look" not in p.parts]
    files += [p for p in four["root"].glob("govaudit.sqlite*")]
    leaked = {str(p): v[:4] + "…" for p in files for v in values if v in _readable(p)}
    assert not leaked, leaked


if __name__ == "__main__":           # the four weeks into a folder, to read them with /work/shared/tools/look.sh
    target = Path(sys.argv[1])
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    result = run_four_weeks(target)
    print(json.dumps(result["edits"], ensure_ascii=False))
