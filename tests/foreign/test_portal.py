"""The foreign portal itself: built apart from the demo, deterministic, and its truth manifest true to its pages."""

from __future__ import annotations

import ast
import io
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.foreign import content, skins
from tests.foreign.portal import HANWEB_SEEDS, HELD_OUT_SEED, build
from tests.foreign.server import Table, serve
from tests.needs import reference_file

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module", params=[41, HELD_OUT_SEED, HANWEB_SEEDS[0]])
def portal(request):
    reference_file("columns", "real-columns.tsv")
    return build(request.param)


def test_the_test_bed_imports_nothing_of_govaudit():
    """The portal, its skins, content and server owe nothing to the demo generator (the scoring may use the demo's
    matcher: it reads this manifest as it is)."""
    for source in (HERE / name for name in ("__init__.py", "content.py", "skins.py", "portal.py", "server.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("govaudit") for n in names), f"{source.name} imports {names}"


def test_same_seed_same_portal(portal):
    again = build(portal.seed)
    assert again.manifest == portal.manifest
    def comparable(routes):     # a workbook carries its save time: compared by its cells
        return {k: _cells(r.body) if k.endswith(".xlsx") else r.body for k, r in routes.items()}
    assert comparable(again.routes) == comparable(portal.routes)


def _cells(body: bytes) -> list[list]:
    from openpyxl import load_workbook
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(body)).active.iter_rows()]


def test_two_seeds_two_skins_and_real_column_names():
    first, held_out, hanweb = build(41), build(HELD_OUT_SEED), build(HANWEB_SEEDS[0])
    assert (first.skin, held_out.skin, hanweb.skin) == ("hd-trs", "fj-trs", "zj-hanweb")
    tsv = reference_file("columns", "real-columns.tsv").read_text(encoding="utf-8")
    real = {line.split("\t")[0] for line in tsv.splitlines()[1:]}
    for p in (first, held_out, hanweb):
        assert all(c["name"] in real for c in p.manifest["columns"] if not c["hub"])


def test_every_listed_page_is_served_and_keeps_its_skin(portal):
    table = Table(portal.routes, portal.site, portal.skin, portal.api)
    for article in portal.manifest["articles"]:
        route = table.lookup(article["url"])
        assert route is not None and route.status == 200, article["url"]
        page = route.body.decode("utf-8")
        assert article["title"].replace("“", "").replace("”", "")[:8] in page.replace("“", "").replace("”", "")
        assert 'name="SiteIDCode"' in page and portal.site.code in page
        assert not any(word in page for word in ("邯郸", "平潭", "山西品牌", "德清", "投资运行"))  # no sample content left
    for column in portal.manifest["columns"]:
        assert table.lookup(column["url"]) is not None, column["url"]


def test_planted_personal_data_is_valid_and_where_the_manifest_says(portal):
    table = Table(portal.routes, portal.site)
    ids = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")
    for item in (p for p in portal.manifest["planted"] if p["kind"] == "personal_data"):
        body = table.lookup(item["url"]).body
        if item["url"].endswith(".xlsx"):
            text = " ".join(str(value) for row in _cells(body) for value in row)
        else:
            text = body.decode("utf-8")
        if item["pii_type"] == "id_card":
            found = ids.findall(text)
            assert found and all(content.id_check_char(v[:17]) == v[17] for v in found)
        else:
            assert re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)
    for item in (p for p in portal.manifest["lookalikes"] if p["kind"] == "personal_data"):
        text = table.lookup(item["url"]).body.decode("utf-8")
        assert not ids.search(text) and "*************" in text


def test_check_digit_rejects_a_changed_digit():
    import random
    value = content.synthetic_id(random.Random(5))
    assert content.id_check_char(value[:17]) == value[17]
    wrong = value[:16] + str((int(value[16]) + 1) % 10)
    assert content.id_check_char(wrong) != value[17]


def test_server_answers_like_a_real_portal(portal):
    plan = {c["name"]: c for c in portal.manifest["columns"]}
    with serve(portal.routes, portal.site, portal.skin) as base:
        def get(path: str) -> int:
            try:
                return urllib.request.urlopen(base + path, timeout=10).status
            except urllib.error.HTTPError as exc:
                return exc.code
        assert get("/") == 200
        for broken in portal.manifest["broken_links"]:
            assert get(broken["url"]) in (404, 302)          # 302: urllib gives up on the redirect loop
        odd = [c["url"] for c in plan.values() if "?" in c["url"] or "%" in c["url"] or c["url"] != c["url"].lower()]
        assert len(odd) >= 3
        for url in odd:
            assert get(url) == 200
        jsp = next(a["url"] for a in portal.manifest["articles"] if ".jsp?" in a["url"])
        path, query = jsp.split("?")
        assert get(f"{path}?{'&'.join(reversed(query.split('&')))}") == 200        # parameters in any order
        with pytest.raises(urllib.error.HTTPError) as loop:                          # the redirect loop
            urllib.request.urlopen(base + "/old/zwgk.html", timeout=10)
        assert loop.value.code == 302


def test_a_skin_that_no_longer_fits_its_sample_fails_loudly():
    with pytest.raises(ValueError, match="matched 0 times"):
        skins._swap(r"<div class=\"no-such-region\">.*?</div>", "", "<html></html>")


def test_hanweb_lists_hold_the_first_jpage_group_and_dataproxy_serves_the_rest():
    """A JCMS column page inlines the first group (3 pages) of its records; dataproxy.jsp answers a POST with
    any range of them, and a GET with the first group again, as real JCMS does."""
    portal = build(HANWEB_SEEDS[0])
    long = max(portal.api, key=lambda c: len(portal.api[c]))
    records = portal.api[long]
    assert len(records) > skins.JPAGE_PER_PAGE * skins.JPAGE_GROUP
    page = Table(portal.routes).lookup(f"/col/col{long}/index.html").body.decode("utf-8")
    assert page.count("<record>") == skins.JPAGE_PER_PAGE * skins.JPAGE_GROUP and f"totalRecord:{len(records)}" in page
    with serve(portal.routes, portal.site, portal.skin, portal.api) as base:
        url = f"{base}/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=5"
        posted = urllib.request.urlopen(urllib.request.Request(
            url, data=f"col=1&webid=3185&columnid={long}".encode(), method="POST"), timeout=10).read().decode("utf-8")
        assert posted.count("<record>") == len(records) - 15 and records[15] in posted
        got = urllib.request.urlopen(f"{url}&columnid={long}", timeout=10).read().decode("utf-8")
        assert records[0] in got and records[15] not in got
