"""govaudit/demo/veto_plants.py: every issue-14 plant sits where the manifest says, the fake hosts answer as the
sites they stand for, the resolver override is the demo's alone, and the earlier plants are untouched."""

from __future__ import annotations

import datetime as dt
import os
import re

import httpx
import pytest

from checks.links import probe_verdict
from crawler.extract.messages import parse_message_list, parse_message_text, stated_limit
from crawler.offsite_probe import probe_hosts, unwrap_host
from govaudit.demo import veto_plants as V
from govaudit.demo.server import serve

NEW_KINDS = {"offsite_hijacked", "abolished_link", "serious_error", "miswriting", "illegal_content", "hidden_link",
             "secret_marking", "message_unanswered", "message_late", "message_empty_reply"}


def _page(root, url: str) -> str:
    data = (root / url.lstrip("/")).read_bytes()
    return data.decode("gbk" if url.endswith(".htm") else "utf-8")


def test_each_new_kind_is_planted_on_an_existing_page(site):
    root, manifest = site
    planted = [p for p in manifest.planted + manifest.offsite_links if p["kind"] in NEW_KINDS]
    assert {p["kind"] for p in planted} == NEW_KINDS
    assert {p["kind"] for p in manifest.offsite_links} == {"offsite_hijacked", "abolished_link"}
    for item in planted:
        page = item.get("page_url") or item["url"]
        assert (root / page.lstrip("/")).is_file(), item
        if item["kind"] in ("offsite_hijacked", "abolished_link"):
            # The page links to the target as written (the IPv6-gateway form for one of them).
            assert f'href="{item["link"]}"' in _page(root, page)
            assert unwrap_host(item["link"]) == item["url"]
    assert any("ipv6best.cn" in p.get("link", "") for p in planted)
    by_kind = {p["kind"]: p for p in planted}
    assert "拔款" in _page(root, by_kind["miswriting"]["url"])
    assert "二十大三中全会" in _page(root, by_kind["serious_error"]["url"])
    hidden = _page(root, by_kind["hidden_link"]["url"])
    assert re.search(r'<div style="position:absolute;top:-9999px;left:-9999px"><a href="http://www\.xpj8866', hidden)
    secret = by_kind["secret_marking"]
    assert secret["review"] is True and (root / secret["url"].lstrip("/")).read_bytes()[:2] == b"PK"
    # The other families' plants never share a page with these (one page, one story).
    others = {p.get("url") for p in manifest.planted if p["kind"] not in NEW_KINDS}
    assert not {p["url"] for p in planted if not p["url"].startswith("http")} & others


def test_message_list_and_pages_say_what_was_planted(site):
    root, manifest = site
    column = next(c for c in manifest.columns if c["name"] == "咨询建言")
    assert column["items"] == 10 and column["type"] == "互动交流"
    listing = _page(root, column["url"])
    entries = parse_message_list(listing, "http://127.0.0.1" + column["url"])
    assert len(entries) == 10
    assert stated_limit(re.sub(r"<[^>]+>", " ", listing)) == (V.REPLY_LIMIT_WORKDAYS, "workdays")
    assert sum(e.status == "unanswered" for e in entries) == 1
    as_of = dt.date.fromisoformat(manifest.as_of)
    planted = {p["kind"]: p for p in manifest.planted if p["kind"].startswith("message_")}
    unanswered = parse_message_text(re.sub(r"<[^>]+>", "\n", _page(root, planted["message_unanswered"]["url"])))
    assert unanswered.status == "unanswered" and (as_of - unanswered.asked).days > 92
    late = dt.date.fromisoformat(planted["message_late"]["replied"]) - dt.date.fromisoformat(
        planted["message_late"]["asked"])
    assert 21 < late.days < 90                # later than 15 workdays, sooner than the 3-month veto
    # The channel is alive: its newest reply is recent (no 留言答复超过2个月未更新).
    replies = [parse_message_text(re.sub(r"<[^>]+>", "\n", _page(root, e.url.split("127.0.0.1", 1)[1]))).replied
               for e in entries]
    assert (as_of - max(r for r in replies if r)).days < 30
    # The site map and the 互动交流 channel page list the new column.
    assert column["url"] in _page(root, "/wzdt/index.html")


def test_fake_hosts_answer_as_the_sites_they_stand_for(site):
    root, manifest = site
    targets = [p["link"] for p in manifest.offsite_links if p["kind"] == "offsite_hijacked"]
    targets += ["https://bszs.conac.cn/sitename?method=show", "http://www.saic.gov.cn/"]
    with serve(root) as base:
        resolve = dict(item.split("=", 1) for item in V.fake_hosts_resolve(base, manifest.server).split(";"))
        results = {r["host"]: r for r in probe_hosts(targets, {"127.0.0.1"}, resolve=resolve)}
        # The demo's own pages are still the demo's: the Host header alone picks the fake site.
        home = httpx.get(f"{base}/", timeout=10)
        assert "青禾县人民政府" in home.text
        assert httpx.get(f"{base}/nothing-here", headers={"Host": V.PARKED_HOST}, timeout=10).status_code == 404
    verdicts = {host: (probe_verdict(r) or ("ordinary",))[0] for host, r in results.items()}
    assert verdicts == {V.PARKED_HOST: "parked", V.IPV6_PARKED_HOST: "parked", V.GAMBLING_HOST: "gambling",
                        V.INJECTED_HOSTS[0]: "gambling", V.INJECTED_HOSTS[1]: "gambling", V.CONAC_HOST: "ordinary"}
    assert results[V.GAMBLING_HOST]["final_url"].endswith("/lobby/")       # reached through a redirect
    assert "www.saic.gov.cn" not in results                                 # gov.cn is never probed


@pytest.mark.parametrize("before", [None, "other.example=127.0.0.1:1"])
def test_resolver_override_is_the_demo_audits_alone(site, before, monkeypatch):
    root, manifest = site
    if before is None:
        monkeypatch.delenv(V.RESOLVE_ENV, raising=False)
    else:
        monkeypatch.setenv(V.RESOLVE_ENV, before)
    with V.resolving_fake_hosts("http://127.0.0.1:18765", root) as value:
        assert os.environ[V.RESOLVE_ENV] == value
        assert f"{V.GAMBLING_HOST}=127.0.0.1:18765" in value.split(";")
    assert os.environ.get(V.RESOLVE_ENV) == before


def test_earlier_plants_are_unchanged(tmp_path, monkeypatch):
    """The issue-14 plants draw on a random stream of their own: every other plant stays as it was."""
    from govaudit.demo import generator

    with_plants = generator.build(tmp_path / "a", seed=7, as_of=dt.date(2026, 11, 28), scale=0.3)
    monkeypatch.setattr(generator, "plant_veto_families", lambda site: None)
    without = generator.build(tmp_path / "b", seed=7, as_of=dt.date(2026, 11, 28), scale=0.3)
    assert [p for p in with_plants.planted if p["kind"] not in NEW_KINDS] == without.planted
    assert not without.offsite_links
    # The broken-image plant runs after the issue-14 plants and picks among the articles they left free.
    def not_images(links):
        return [link for link in links if link.get("what") != "image"]

    assert with_plants.lookalikes == without.lookalikes
    assert not_images(with_plants.broken_links) == not_images(without.broken_links)
    assert len(with_plants.columns) == len(without.columns) + 1
