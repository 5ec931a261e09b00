"""An 互动交流 column whose page only links to another platform (a province's 12345 政务服务便民热线) is judged
「由外部平台承载」: not stale, not blank, not a column left unread, listed in the reports' 检查范围说明, and the run
stays 完整 (exit 0). Unit cases on a hand-built snapshot for what must stay not judged, then a real `govaudit
audit` process against a 127.0.0.1 portal built like county portals that hand their 互动 to the province."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from checks.interaction import external_platforms
from crawler.columns import UNDECIDED_REASON
from crawler.records import ColumnRecord, LinkRecord, Snapshot
from tests.loopback import LoopbackServer, Response

REPO = Path(__file__).resolve().parents[2]
SITE = "http://www.qh.gov.cn/"
PLATFORM = "https://www.12345.hebei.gov.cn/"
FOOTER = ("https://beian.miit.gov.cn/", "https://bszs.conac.cn/sitename?method=show&id=1309000001")


# ---------------------------------------------------------------------------------------- the rule
def _snapshot(column: ColumnRecord, own: list[tuple[str, str]], pages: int = 6) -> Snapshot:
    """`column`'s page with its `own` (target, kind) links, and `pages` other pages sharing the footer."""
    page = column.list_urls[0]
    links = [LinkRecord(page, target, None, None, kind) for target, kind in own]
    links += [LinkRecord(page, target, None, None, "external") for target in FOOTER]
    for i in range(pages):
        source = f"{SITE}gzdt/{i}.html"
        links += [LinkRecord(source, target, None, None, "external") for target in FOOTER]
        links.append(LinkRecord(source, f"{SITE}index.html", 200, None, "page"))
    links.append(LinkRecord(f"{SITE}index.html", PLATFORM + "mailbox/xzxx.html", None, None, "external"))
    return Snapshot("青禾县人民政府", SITE, dt.date(2023, 2, 1), columns_=[column], links_=links)


def _column(name: str = "互动交流", reason: str | None = UNDECIDED_REASON, ctype: str | None = "互动交流") -> ColumnRecord:
    return ColumnRecord(url=f"{SITE}hdjl/", name=name, path=f"首页/{name}", type=ctype,
                        list_urls=[f"{SITE}hdjl/index.html"], unread_reason=reason)


PLATFORM_LINKS = [(PLATFORM, "external"), (PLATFORM + "mailbox/xzxx.html", "external"),
                  (f"{SITE}index.html", "page"), (f"{SITE}gzdt/index.html", "page")]


def test_a_column_page_of_platform_links_is_hosted_there_even_when_the_home_page_links_it_too():
    assert external_platforms(_snapshot(_column(), PLATFORM_LINKS)) == {f"{SITE}hdjl/": ["www.12345.hebei.gov.cn"]}
    named = _column(name="县长信箱", ctype=None)                     # typed by nothing but its name
    assert external_platforms(_snapshot(named, PLATFORM_LINKS)) == {f"{SITE}hdjl/": ["www.12345.hebei.gov.cn"]}


def test_what_stays_not_judged():
    # Only the template's footer off site: nothing says where the column's content is.
    assert external_platforms(_snapshot(_column(), [(f"{SITE}index.html", "page")])) == {}
    # Links into its own folder: a list of its own the crawl could not read (a script, a form).
    own_list = PLATFORM_LINKS + [(f"{SITE}hdjl/list_2.html", "page")]
    assert external_platforms(_snapshot(_column(), own_list)) == {}
    # Not an interaction column: a 通知公告 page linking off site is not judged here.
    assert external_platforms(_snapshot(_column(name="通知公告", ctype="通知公告"), PLATFORM_LINKS)) == {}
    # Not judged for another reason (a list page that failed to parse, a budget): that reason stands.
    assert external_platforms(_snapshot(_column(reason="列表页解析失败"), PLATFORM_LINKS)) == {}
    assert external_platforms(_snapshot(_column(reason=None), PLATFORM_LINKS)) == {}


# ---------------------------------------------------------------------------------------- a real audit
NAV = ("<div class='nav'><ul class='nav-list'><li class='nav-item'><a href='/index.html'>首页</a></li>"
       "<li class='nav-item'><a href='/gzdt/index.html'>工作动态</a></li>"
       "<li class='nav-item'><a href='/tzgg/index.html'>通知公告</a></li>"
       "<li class='nav-item'><a href='/hdjl/index.html'>互动交流</a></li></ul></div>")
NEWS = [("县政府召开常务会议", "2023-01-20"), ("全县春耕生产工作推进会召开", "2023-01-18"),
        ("县领导检查安全生产工作", "2023-01-16")]
NOTICES = [("关于做好春节期间安全生产工作的通知", "2023-01-19"), ("关于调整县城区部分道路交通组织的通告", "2023-01-15"),
           ("关于开展2023年春季植树造林的通知", "2023-01-10")]
# The column page of a TRS template: its metas call it a column; its body is the province's platform.
HDJL = f"""<div class="position">当前位置：<a href="/index.html">首页</a> &gt; <a href="/hdjl/index.html">互动交流</a></div>
<div class="hdjl"><ul>
<li><a href="{PLATFORM}" target="_blank"><img src="/images/12345.png" alt="12345">12345政务服务便民热线</a></li>
<li><a href="{PLATFORM}mailbox/xzxx.html?county=qh" target="_blank">县长信箱</a></li>
<li><a href="{PLATFORM}zxts/" target="_blank">我要咨询</a></li><li><a href="{PLATFORM}ts/" target="_blank">我要投诉</a></li>
</ul><p>青禾县政务咨询、投诉、建议统一通过河北省12345政务服务便民热线平台受理和答复。</p></div>"""


def _page(title: str, body: str, metas: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}_青禾县人民政府</title>{metas}"
            f"<meta name='SiteName' content='青禾县人民政府'></head><body>{NAV}{body}"
            "<div class='footer'>主办单位：青禾县人民政府办公室 <a href='https://beian.miit.gov.cn/'>冀ICP备00000000号</a>"
            "</div></body></html>")


def _crumb(name: str, path: str) -> str:
    return (f'<div class="position">当前位置：<a href="/index.html">首页</a> &gt; '
            f'<a href="/{path}/index.html">{name}</a></div>')


def _routes() -> dict:
    home = _page("青禾县人民政府", '<div class="list"><ul>' + "".join(
        f'<li><a href="/gzdt/{i}.html">{t}</a><span>{d}</span></li>' for i, (t, d) in enumerate(NEWS))
        + f'</ul></div><div class="banner"><a href="{PLATFORM}mailbox/xzxx.html?county=qh">县长信箱</a></div>')
    routes = {"/index.html": home,
              "/hdjl/index.html": _page("互动交流", HDJL, "<meta name='ColumnName' content='互动交流'>"
                                                       "<meta name='ColumnType' content='互动交流'>"),
              "/images/12345.png": Response(body=b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png")}
    for path, name, items in (("gzdt", "工作动态", NEWS), ("tzgg", "通知公告", NOTICES)):
        entries = "".join(f'<li><a href="/{path}/{i}.html">{t}</a><span>{d}</span></li>' for i, (t, d) in enumerate(items))
        routes[f"/{path}/index.html"] = _page(name, f'{_crumb(name, path)}<ul class="list">{entries}</ul>')
        for i, (title, day) in enumerate(items):
            routes[f"/{path}/{i}.html"] = _page(title, f'{_crumb(name, path)}<h1>{title}</h1><div class="info">'
                                                       f'发布时间：{day}</div><div class="content"><p>{title}。会议研究'
                                                       "部署了近期重点工作，要求各乡镇、各部门抓好落实。</p></div>")
    return routes


def test_audit_judges_the_column_hosted_on_the_platform_and_stays_whole(tmp_path):
    env = dict(os.environ, CI="true", PYTHONPATH=str(REPO), GOVAUDIT_OFFLINE="1")
    with LoopbackServer(_routes(), methods=("GET", "HEAD")) as server:
        proc = subprocess.run([sys.executable, "-m", "govaudit.cli", "audit", f"{server.base_url}/index.html",
                               "--out", str(tmp_path / "out"), "--db", str(tmp_path / "run.db"),
                               "--as-of", "2023-02-01", "--delay", "0"],
                              cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
        column_url = f"{server.base_url}/hdjl/"
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "检查状态：完整" in proc.stdout and "未检查完的栏目" not in proc.stdout
    document = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert document["status"] == "完整" and document["unread_columns"] == []
    (note,) = [n for n in document["scope"] if n["url"] == column_url]
    assert note["subject"] == "栏目「互动交流」" and "由外部平台承载" in note["note"] and "12345.hebei.gov.cn" in note["note"]
    about_it = [f for f in document["findings"] if (f.get("column") or {}).get("url") == column_url]
    assert not [f for f in about_it if f["kind"] in ("stale_column", "blank_column")]
    assert not [f for f in document["findings"] if f["rule"] == "INT001"]    # the platform is the channel
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "检查范围说明" in md and "栏目「互动交流」" in md and "检查异常" not in md
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert 'id="scope"' in html and "由外部平台承载" in html and 'id="check-errors"' not in html
