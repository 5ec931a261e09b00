"""Site identity on a framed site, judged on the pages the held-out gbk-table skin serves (tests/foreign, seed 65:
a <frameset> home page of top.htm, banner and image menu, and main.htm, the home content with the footer)."""

from __future__ import annotations

import datetime as dt

from checks.identity import footer_elements, jiucuo_entry
from crawler.extract.page import parse_page
from crawler.records import PageRecord, Snapshot
from rules.loader import load_ruleset
from tests.foreign.portal import build

BASE = "http://127.0.0.1:8765"


def _served(seed: int) -> dict[str, bytes]:
    return {path: route.body for path, route in build(seed).routes.items() if isinstance(route.body, bytes)}


def _record(path: str, body: bytes, kind: str) -> PageRecord:
    parsed = parse_page(body, BASE + path)
    return PageRecord(url=BASE + path, title=parsed.title, kind=kind, identity=parsed.identity)


def test_frameset_home_records_its_frames():
    served = _served(65)
    facts = parse_page(served["/index.html"], BASE + "/").identity
    assert facts["frames"] == [BASE + "/top.htm", BASE + "/main.htm"]
    assert "frames" not in parse_page(served["/main.htm"], BASE + "/main.htm").identity


def test_frame_also_linked_from_noframes_is_still_a_frame():
    html = ('<html><head><title>某县人民政府</title></head><frameset rows="120,*"><frame src="/top.htm">'
            '<frame src="/main.htm"></frameset><noframes><body><a href="/main.htm">进入首页</a></body></noframes></html>')
    assert parse_page(html, BASE + "/").identity["frames"] == [BASE + "/top.htm", BASE + "/main.htm"]


def test_served_frameset_is_judged_assembled():
    served = _served(65)
    pages = [_record("/", served["/index.html"], "home"), _record("/top.htm", served["/top.htm"], "home"),
             _record("/main.htm", served["/main.htm"], "home"),
             _record("/hdjl/index.htm", served["/hdjl/index.htm"], "list")]
    snapshot = Snapshot(site_name="岚峰县人民政府", site_url=BASE + "/", as_of=dt.date(2026, 11, 30), pages_=pages)
    rule = load_ruleset().get("IDN001")
    found = list(footer_elements(snapshot, rule))
    # The skin's footer has 网站标识码 and ICP备案 (in main.htm) but no 公安备案 nor 党政机关 mark anywhere:
    # one site-wide observation for those two, and no page alone lacking the code or the ICP number.
    assert [(o.url, o.observed["scope"], o.observed["missing"]) for o in found] == [
        (BASE + "/", "全站页面", ["公安机关备案号", "党政机关网站标识"])]
    assert found[0].observed["pages"] == 2             # the assembled frameset and the 互动交流 page
    # Without its footer frame the frameset is not judged (main.htm may hold what is missing).
    partial = Snapshot(site_name="岚峰县人民政府", site_url=BASE + "/", as_of=dt.date(2026, 11, 30),
                       pages_=[pages[0], pages[1], pages[3]])
    assert all(o.observed["scope"] == "全站页面" and o.observed["pages"] == 1 for o in footer_elements(partial, rule))


def test_served_frameset_home_entry_is_looked_for_in_its_frames():
    served = _served(65)
    main = served["/main.htm"].replace(b"</body>", '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code='
                                       '3365000065">我为政府网站找错</a></body>'.encode("gbk"))
    pages = [_record("/", served["/index.html"], "home"), _record("/top.htm", served["/top.htm"], "home"),
             _record("/main.htm", main, "home")]
    snapshot = Snapshot(site_name="岚峰县人民政府", site_url=BASE + "/", as_of=dt.date(2026, 11, 30), pages_=pages)
    assert list(jiucuo_entry(snapshot, load_ruleset().get("IDN004"))) == []
    pages[2] = _record("/main.htm", served["/main.htm"], "home")
    assert [o.key for o in jiucuo_entry(snapshot, load_ruleset().get("IDN004"))] == ["jiucuo-missing"]
