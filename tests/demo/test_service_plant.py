"""govaudit/demo/service_plant.py: the guide without 设定依据 sits where the manifest says and nothing else moved;
the no-service style leaves no way into 办事服务 on any page, and every URL it lists is on disk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from govaudit.demo import generator
from govaudit.demo.styles import parse_style

AS_OF = dt.date(2026, 11, 28)


def _text(root: Path, url: str) -> str:
    data = (root / url.lstrip("/")).read_bytes()
    return data.decode("gbk" if url.endswith(".htm") else "utf-8")


def test_one_guide_lacks_its_legal_basis_and_the_others_keep_it(site):
    root, manifest = site
    plants = manifest.planted_of("service_guide")
    assert len(plants) == 1 and plants[0]["review"] and plants[0]["missing"] == ["设定依据"]
    guides = [a for a in manifest.articles if a["url"].startswith("/bsfw/")]
    assert len(guides) >= 9
    for guide in guides:
        text = _text(root, guide["url"])
        assert "事项名称：" in text and "办理材料：" in text
        assert ("设定依据：" in text) == (guide["url"] != plants[0]["url"]), guide["url"]
    assert not manifest.planted_of("service_entry")          # the default portal has its 办事服务


def test_the_guide_plant_changes_that_page_only(tmp_path, monkeypatch):
    with_plant = generator.build(tmp_path / "a", seed=7, as_of=AS_OF, scale=0.3)
    monkeypatch.setattr(generator, "plant_service", lambda site: None)
    without = generator.build(tmp_path / "b", seed=7, as_of=AS_OF, scale=0.3)
    assert [p for p in with_plant.planted if p["kind"] != "service_guide"] == without.planted
    changed = [p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
               and p.read_bytes() != (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes()]
    assert [f"/{p}" for p in changed if p.name != "manifest.json"] == [with_plant.planted_of("service_guide")[0]["url"]]


def test_no_service_portal_offers_no_entry_anywhere(tmp_path):
    assert parse_style("no-service").service_entry is False
    assert parse_style("service_entry=false").service_entry is False
    root = tmp_path / "site"
    manifest = generator.build(root, seed=7, as_of=AS_OF, scale=0.3, style="no-service")
    assert [(p["kind"], p["url"]) for p in manifest.planted_of("service_entry")] == [("service_entry", "/")]
    assert not manifest.planted_of("service_guide")
    assert not [c for c in manifest.columns if c["url"].startswith("/bsfw/") or "办事" in c["name"]]
    home = _text(root, "/index.html")
    assert "办事服务" not in home and 'href="/bsfw/' not in home and "政务服务便民热线" in home
    assert not (root / "bsfw").exists() and "办事服务" not in _text(root, "/wzdt/index.html")
    pages = [p for p in root.rglob("*.htm*") if p.is_file()]
    linking = [p for p in pages if b'href="/bsfw/' in p.read_bytes()]
    assert linking == []
    urls = [a["url"] for a in manifest.articles] + [u for c in manifest.columns for u in c["list_urls"]]
    assert [u for u in urls if not (root / u.split("?")[0].lstrip("/")).is_file()] == []
