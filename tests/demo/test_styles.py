"""Demo styles: the same plants rendered the way other real portals do it, and the list APIs served as
集约化 platforms serve them (POST only, pages of JSON or XML)."""

from __future__ import annotations

import json
import re
from collections import Counter

import httpx
import pytest

from govaudit.demo.generator import build
from govaudit.demo.server import DATAPROXY, TRSAPI, serve
from govaudit.demo.styles import CLASSIC, STYLES, StyleError, parse_style, real_names
from tests.demo.conftest import AS_OF
from tests.needs import reference_file

SCALE = 0.3
# The kinds issue 11 scores; other plants (site identity …) may depend on a family's own markup.
ISSUE_11_KINDS = ("stale_column", "blank_column", "undated_column", "future_date", "category_mismatch",
                  "personal_data", "weak_masking")


@pytest.fixture(scope="module")
def names_file():
    return reference_file("columns", "real-columns.tsv")


def _build(tmp_path_factory, style, names_file, seed=11):
    root = tmp_path_factory.mktemp(style) / "site"
    return root, build(root, seed=seed, as_of=AS_OF, scale=SCALE, style=style, names_file=names_file)


def _read(root, url):
    path = url.split("?")[0]
    raw = (root / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gbk")


def test_parse_style_names_knobs_seed_and_bad_input():
    assert parse_style(None) is CLASSIC and parse_style("classic").classic
    assert parse_style("vsb-real") == STYLES["vsb-real"]
    knobs = parse_style("cms=hanweb,metas=missing,hubs=true")
    assert (knobs.cms, knobs.metas, knobs.hubs, knobs.names) == ("hanweb", "missing", True, "demo")
    assert parse_style("seed", seed=3) == parse_style("seed", seed=3)
    assert {parse_style("seed", seed=n).cms for n in range(40)} == {"mixed", "trs", "hanweb", "vsb"}
    for bad in ("nonsense", "cms=joomla", "hubs=maybe", "colour=red", "cms"):
        with pytest.raises(StyleError):
            parse_style(bad)


def test_real_names_come_from_the_list_and_drop_other_places(names_file):
    pool = real_names(names_file)
    assert "县长信箱" in pool["互动交流"] and "人事任免" in pool["人事信息"]
    every = [n for names in pool.values() for n in names]
    assert not [n for n in every if re.search(r"邯郸|平潭|市政府|省政府|^我要", n)]
    with pytest.raises(FileNotFoundError):
        real_names(names_file.parent / "absent.tsv")


@pytest.mark.parametrize("style", ["trs-real", "hanweb-real", "vsb-real", "fujian-api"])
def test_styled_site_keeps_the_plants_and_every_url_is_on_disk(tmp_path_factory, names_file, style):
    root, manifest = _build(tmp_path_factory, style, names_file)
    _, classic = _build(tmp_path_factory, "classic", names_file)
    kinds = Counter(p["kind"] for p in manifest.planted if p["kind"] in ISSUE_11_KINDS)
    assert kinds == Counter(p["kind"] for p in classic.planted if p["kind"] in ISSUE_11_KINDS)
    assert manifest.style["name"] == style and "style" not in classic.to_dict()
    urls = [u for c in manifest.columns for u in c["list_urls"]] + [a["url"] for a in manifest.articles]
    urls += [a["url"] for a in manifest.attachments]
    assert [u for u in urls if not (root / u.split("?")[0].lstrip("/")).is_file()] == []
    for secret in manifest.secrets:                  # planted values really sit in the files
        if secret["url"] == secret["page_url"] and secret["pii_type"] in ("mobile", "id_card"):
            assert re.sub(r"\s", "", secret["rendered"]) in re.sub(r"<[^>]+>|\s", "", _read(root, secret["url"]))
    family = STYLES[style].cms
    assert {c["cms"] for c in manifest.columns} <= {family, "plain"}


def test_styled_build_is_deterministic(tmp_path_factory, names_file):
    first, _ = _build(tmp_path_factory, "hanweb-real", names_file)
    again, _ = _build(tmp_path_factory, "hanweb-real", names_file)
    files = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    assert files == {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}


def test_real_conventions_are_on_the_pages(tmp_path_factory, names_file):
    root, manifest = _build(tmp_path_factory, "trs-real", names_file)
    hub = next(c for c in manifest.columns if c.get("hub"))
    subs = [c for c in manifest.columns if c["path"].startswith(hub["path"] + "/")]
    assert len(subs) == 3 and hub["items"] == 0 and not hub.get("planted")
    assert "stale_column" in {k for c in subs for k in c.get("planted", [])}
    page = _read(root, hub["url"])
    assert all(c["url"].removesuffix("index.html") in page for c in subs)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page.split('class="main"')[1])      # no dated entries
    home = _read(root, "/index.html")
    tzgg = next(c for c in manifest.columns if "category_mismatch" in c.get("planted", []) and c["level"] == 1
                and c["url"].endswith("/index.html"))
    assert f'href="{tzgg["url"].removesuffix("index.html")}"' in home                 # /x/ in the menu …
    assert f'href="{tzgg["url"]}"' in _read(root, "/wzdt/index.html")                 # … /x/index.html in the map
    assert f'<li class="path-cur">{tzgg["name"]}</li>' in _read(root, tzgg["url"])
    metas = re.findall(r'name="ColumnType" content="([^"]*)"', _read(root, tzgg["url"]))
    assert metas and metas[0] in ("信息公开目录", "政府信息公开")
    article = next(a for a in manifest.articles if a["column_url"] == tzgg["url"])
    assert '<meta name="ColumnName" content="青禾县政府信息公开">' in _read(root, article["url"])
    vsb_root, vsb = _build(tmp_path_factory, "vsb-real", names_file)
    assert "ColumnType" not in _read(vsb_root, vsb.columns[0]["url"])
    hw_root, hanweb = _build(tmp_path_factory, "hanweb-real", names_file)
    listed = [c for c in hanweb.columns if c["path"].startswith("首页/政务公开/") and not c.get("hub")]
    assert any(re.search(r'ColumnType" content="信息公开，', _read(hw_root, c["url"])) for c in listed)


def test_hanweb_dataproxy_answers_post_batches_only(tmp_path_factory, names_file):
    root, manifest = _build(tmp_path_factory, "hanweb-api", names_file)
    column = max((c for c in manifest.columns if c["pagination"] == "hanweb_dataproxy_post"), key=lambda c: c["items"])
    colid = re.search(r"col(\d+)", column["url"]).group(1)
    page = _read(root, column["url"])
    assert page.count("<record>") == 10 < column["items"]
    with serve(root) as base, httpx.Client(base_url=base) as client:
        query = f"{DATAPROXY}?startrecord=11&endrecord=40&perpage=10"
        assert client.get(query + f"&columnid={colid}").status_code == 405
        form = {"col": "1", "webid": "9901", "path": "/", "columnid": colid, "unitid": str(5000 + int(colid)),
                "permissiontype": "0"}
        answer = client.post(query, data=form)
        assert answer.status_code == 200
        assert f"<totalrecord>{column['items']}</totalrecord>" in answer.text
        urls = re.findall(r'href="([^"]+)"', answer.text)
        column_articles = [a["url"] for a in manifest.articles if a["column_url"] == column["url"]]
        assert urls == column_articles[10:40]
        for bad in ({**form, "columnid": "999999"}, {"columnid": colid}):
            broken = client.post(f"{DATAPROXY}?startrecord=x", data=bad)
            assert broken.status_code == 200 and "<error>" in broken.text


def test_fujian_trsapi_serves_pages_two_to_n_as_json(tmp_path_factory, names_file):
    root, manifest = _build(tmp_path_factory, "fujian-api", names_file)
    column = max((c for c in manifest.columns if c["pagination"] == "fujian_trsapi"), key=lambda c: c["items"])
    page = _read(root, column["url"])
    channel = re.search(r'chnlid=(\d+)', page).group(1)
    assert f"recordCount: '{column['items']}'" in page and "prepage: 10" in page
    column_articles = [a["url"] for a in manifest.articles if a["column_url"] == column["url"]]
    assert all(u.rsplit("/", 1)[-1] not in page for u in column_articles[10:])       # only page 1 is static
    with serve(root) as base, httpx.Client(base_url=base) as client:
        assert client.get(TRSAPI).status_code == 405
        form = {"channelid": "200210", "classsql": f"chnlid={channel}", "sortfield": "-docorderpri,-docreltime",
                "prepage": "10", "page": "2"}
        data = client.post(TRSAPI, data=form).json()["data"]
        assert data["total"] == column["items"]
        assert [d["docpuburl"] for d in data["docs"]] == column_articles[10:20]
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", data["docs"][0]["docreltime"])
        as_json = client.post(TRSAPI, content=json.dumps(form), headers={"Content-Type": "application/json"})
        assert as_json.json()["data"]["docs"] == data["docs"]
        for bad in ({**form, "classsql": "chnlid=1"}, {**form, "page": "two"}):
            assert client.post(TRSAPI, data=bad).json()["success"] is False
