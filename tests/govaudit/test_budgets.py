"""Budgets and honest partial results, end to end on the demo portal in a real `govaudit audit` process.

(a) a 200,000-link page generated on the fly (a link farm) is bounded by the default budget: the audit
    finishes, writes all five reports, reports the farm (SEC001) and still finds the portal's planted
    problems; (b) a run stopped by --max-pages is 'incomplete' and gives no blank/stale/veto verdict on
    a column it had not finished; (c) a list page whose parse raises leaves its column unread with an
    ErrorRecord(stage='parse'), never a blank or stale column.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.store import Store
from govaudit.demo.evaluate import score

AS_OF = dt.date(2026, 11, 30)
SCALE = 0.3
FARM_LINKS = 200_000
REPORTS = {"findings.json", "rectification.xlsx", "report.docx", "report.md", "report.html"}
COLUMN_VERDICT_RULES = {"UPD001", "UPD002", "UPD003", "UPD004", "UPD005"}
CRASH_MARKER = "<!--govaudit-test:parse-crash-->"

pytestmark = pytest.mark.slow


def _path(url: str) -> str:
    """A page's path, with a directory's index file dropped (a column may be known by either form)."""
    path = urlsplit(url).path
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def farm_server(site: Path):
    """The demo portal, plus /farm.html with FARM_LINKS links (generated per request) and its targets."""
    from govaudit.demo.server import DemoHandler, serve

    class FarmHandler(DemoHandler):
        def _serve(self, head: bool) -> None:
            path = urlsplit(self.path).path
            if path == "/farm.html":
                links = "".join(f'<a href="/farm/{i}.html">优惠信息{i}</a> ' for i in range(FARM_LINKS))
                body = f"<html><head><title>友情链接</title></head><body><div>{links}</div></body></html>"
                return self._send(200, body.encode(), "text/html; charset=utf-8", head)
            if path.startswith("/farm/"):
                n = int(path.rsplit("/", 1)[-1].split(".")[0] or 0)
                more = "".join(f'<a href="/farm/{(n * 7 + k) % FARM_LINKS}.html">推广{k}</a>' for k in range(30))
                body = f"<html><head><title>推广页{n}</title></head><body><p>推广</p>{more}</body></html>"
                return self._send(200, body.encode(), "text/html; charset=utf-8", head)
            return super()._serve(head)

    context = serve(site)
    base = context.__enter__()
    base.server.RequestHandlerClass = FarmHandler
    return context, base


def _plant_farm_link(site: Path) -> str:
    """An 暗链 injected into one ordinary article: a hidden link to the farm page."""
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    article = manifest["articles"][0]["url"]
    file = site / article.lstrip("/")
    html = file.read_text(encoding="utf-8")
    file.write_text(html.replace("</body>", '<div style="display:none"><a href="/farm.html">友情链接</a></div></body>'),
                    encoding="utf-8")
    return article


def _audit(base: str, root: Path, *extra: str, hook: str | None = None) -> subprocess.CompletedProcess:
    out, db = root / "out", root / "govaudit.sqlite"
    argv = ["audit", f"{base}/", "--as-of", AS_OF.isoformat(), "--out", str(out), "--db", str(db),
            "--concurrency", "8", "--delay", "0", *extra]
    if hook:
        command = [sys.executable, "-c", hook + f"\nfrom govaudit.cli import main\nraise SystemExit(main({argv!r}))"]
    else:
        command = [sys.executable, "-m", "govaudit.cli", *argv]
    return subprocess.run(command, capture_output=True, text=True, timeout=1200, env={**os.environ, "CI": "true"},
                          cwd=Path(__file__).resolve().parents[2])


def _built(root: Path) -> tuple[Path, dict]:
    from govaudit.demo.generator import build

    site = root / "site"
    build(site, seed=2026, as_of=AS_OF, scale=SCALE)
    return site, json.loads((site / "manifest.json").read_text(encoding="utf-8"))


def _findings(root: Path) -> list[dict]:
    return json.loads((root / "out" / "findings.json").read_text(encoding="utf-8"))["findings"]


# ---------------------------------------------------------------------------- (a) link farm
@pytest.fixture(scope="module")
def farm_audit(tmp_path_factory):
    root = tmp_path_factory.mktemp("farm")
    site, manifest = _built(root)
    article = _plant_farm_link(site)
    context, base = farm_server(site)
    try:
        proc = _audit(base, root)
        farm_hits = sum(n for path, n in base.stats.counts().items() if path.startswith("/farm/"))
    finally:
        context.__exit__(None, None, None)
    store = Store(root / "govaudit.sqlite")
    info = store.latest_run()
    yield {"proc": proc, "root": root, "manifest": manifest, "article": article, "info": info,
           "farm_hits": farm_hits, "snapshot": store.load_snapshot(info.id)}
    store.close()


def test_link_farm_is_bounded_and_the_audit_finishes(farm_audit):
    proc, info = farm_audit["proc"], farm_audit["info"]
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert REPORTS <= {p.name for p in (farm_audit["root"] / "out").iterdir()}
    assert info.status == "complete"
    # the farm page's own links: a sample of the default 1,000; the sampled pages follow no farm links
    assert 0 < farm_audit["farm_hits"] <= 1000
    assert info.stats["pages"] < 429 + 1000 + 50


def test_link_farm_reported_with_its_count(farm_audit):
    farms = [f for f in _findings(farm_audit["root"]) if f["rule"] == "SEC001"]
    assert len(farms) == 1
    assert _path(farms[0]["url"]) == "/farm.html"
    assert f"共{FARM_LINKS}个" in farms[0]["message"]
    assert "疑似被植入暗链或链接农场，请核查" in farms[0]["message"]
    assert farms[0]["severity"] == "major"


def test_ordinary_planted_problems_still_found(farm_audit):
    scores = score(_findings(farm_audit["root"]), farm_audit["manifest"])
    for kind in ("stale_column", "blank_column", "personal_data", "veto"):
        if kind in scores and scores[kind].planted:
            assert scores[kind].recall == 1.0, (kind, scores[kind].missed)
            assert scores[kind].precision == 1.0, (kind, scores[kind].false_alarms)


# ---------------------------------------------------------------------------- (b) --max-pages
@pytest.fixture(scope="module")
def stopped_audit(tmp_path_factory):
    from govaudit.demo.server import serve

    root = tmp_path_factory.mktemp("maxpages")
    site, manifest = _built(root)
    with serve(site) as base:
        proc = _audit(base, root, "--max-pages", "40")
    store = Store(root / "govaudit.sqlite")
    info = store.latest_run()
    yield {"proc": proc, "root": root, "manifest": manifest, "info": info, "snapshot": store.load_snapshot(info.id)}
    store.close()


def test_stopped_run_is_incomplete_and_still_reported(stopped_audit):
    assert stopped_audit["proc"].returncode in (0, 1), stopped_audit["proc"].stderr[-3000:]
    assert stopped_audit["info"].status == "incomplete"
    assert stopped_audit["info"].stats["stopped_by"] == "max_pages"
    assert REPORTS <= {p.name for p in (stopped_audit["root"] / "out").iterdir()}


def test_unfinished_columns_get_a_reason_and_no_verdict(stopped_audit):
    snap = stopped_audit["snapshot"]
    unread = {c.url: c for c in snap.columns_ if c.unread_reason}
    assert unread, "40 pages cannot finish the demo portal's paginated columns"
    assert {c.unread_reason for c in unread.values()} <= {
        "已达到抓取页数上限，栏目列表未读完", "已达到抓取页数上限，栏目文章未读完"}
    findings = _findings(stopped_audit["root"])
    for finding in findings:
        column_url = (finding.get("column") or {}).get("url")
        if finding["rule"] in COLUMN_VERDICT_RULES:
            assert column_url not in unread, finding["message"]
        if finding["kind"] == "veto":
            assert not any(f"（{url}）" in finding["evidence"] for url in unread), finding["evidence"]
    # what it does say holds: every column verdict of the partial run is a planted problem
    scores = score(findings, stopped_audit["manifest"])
    for kind in ("stale_column", "blank_column"):
        assert not scores[kind].false_alarms, (kind, scores[kind].false_alarms)


# ---------------------------------------------------------------------------- (c) a list page that fails to parse
_CRASH_HOOK = f"""
import crawler.extract.page as page
_real = page.find_list_entries
def _crashing(doc, html, *args, **kwargs):
    if {CRASH_MARKER!r} in html:
        raise RecursionError("maximum recursion depth exceeded (injected by the test)")
    return _real(doc, html, *args, **kwargs)
page.find_list_entries = _crashing
"""


@pytest.fixture(scope="module")
def crashed_audit(tmp_path_factory):
    from govaudit.demo.server import serve

    root = tmp_path_factory.mktemp("crash")
    site, manifest = _built(root)
    # a stale column's list page is the one whose parse raises
    stale = next(p for p in manifest["planted"] if p["kind"] == "stale_column")
    file = site / stale["column_url"].lstrip("/")
    if file.suffix not in (".html", ".htm"):
        file = file / "index.html"
    file.write_bytes(CRASH_MARKER.encode() + file.read_bytes())
    with serve(site) as base:
        proc = _audit(base, root, hook=_CRASH_HOOK)
    store = Store(root / "govaudit.sqlite")
    info = store.latest_run()
    yield {"proc": proc, "root": root, "stale": stale, "snapshot": store.load_snapshot(info.id)}
    store.close()


def test_parse_failure_is_an_error_and_an_unread_column(crashed_audit):
    assert crashed_audit["proc"].returncode in (0, 1), crashed_audit["proc"].stderr[-3000:]
    snap, stale = crashed_audit["snapshot"], crashed_audit["stale"]
    columns = [c for c in snap.columns_ if _path(c.url) == _path(stale["column_url"])]
    assert len(columns) == 1, [(c.url, c.unread_reason) for c in snap.columns_]
    column = columns[0]
    assert column.unread_reason == "列表页解析失败"
    errors = [e for e in snap.errors_ if e.stage == "parse" and _path(e.url) == _path(column.url)]
    assert len(errors) == 1 and "RecursionError" in errors[0].message
    findings = _findings(crashed_audit["root"])
    assert not [f for f in findings if f["rule"] in COLUMN_VERDICT_RULES
                and (f.get("column") or {}).get("url") == column.url]
