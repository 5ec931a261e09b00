"""report.html in a real headless Chromium: Chinese text in the DOM, URL filters, a non-blank screenshot."""

import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image, ImageStat

from reports.html import render_html, write_html
from tests.needs import find_program

CHROMIUM = find_program("chromium")
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1300,2200"]



def needs_browser(test):
    """A slow test that drives Chromium: skipped when it is missing, failed under CI (tests/needs.py)."""
    return pytest.mark.slow(pytest.mark.usefixtures("chromium_binary")(test))


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=120, check=True)


def visible_rows(dom: str) -> list:
    tree = lxml_html.fromstring(dom)
    return [r for r in tree.xpath("//table[@id='findings-table']//tr[contains(@class,'finding')]")
            if r.get("hidden") is None]


def test_html_is_self_contained(model):
    text = render_html(model)
    assert "<script src" not in text and "<link " not in text and "@import" not in text
    assert "https://cdn" not in text and "<svg" in text
    tree = lxml_html.fromstring(text)
    assert len(tree.xpath("//g[@class='fresh-bar']")) == len(model.freshness)
    assert len(tree.xpath("//g[@class='trend-point']")) == len(model.trend)
    assert len(tree.xpath("//tr[contains(@class,'finding')]")) == len(model.findings) + len(model.resolved)


@needs_browser
def test_dom_after_js_and_filters(model, tmp_path):
    page = write_html(model, tmp_path / "report.html")
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "单项否决判定" in dom and "五、存在的主要问题及改进情况" in dom and "不合格" in dom
    assert len(visible_rows(dom)) == len(model.findings) + len(model.resolved)
    dom = chromium(tmp_path, "--dump-dom", page.as_uri() + "?kind=personal_data").stdout
    rows = visible_rows(dom)
    assert len(rows) == sum(1 for f in model.findings if f.kind == "personal_data") == 2
    assert 'data-visible="2"' in dom
    dom = chromium(tmp_path, "--dump-dom", page.as_uri() + "#severity=minor&status=new").stdout
    expected = sum(1 for f in model.findings if f.severity == "minor" and f.status == "new")
    assert len(visible_rows(dom)) == expected and expected > 0
    dom = chromium(tmp_path, "--dump-dom", page.as_uri() + "?status=resolved").stdout
    assert [r.get("data-kind") for r in visible_rows(dom)] == ["stale_column"] and "已整改" in dom
    dom = chromium(tmp_path, "--dump-dom", page.as_uri() + "#text=部门动态").stdout
    assert [r.get("data-kind") for r in visible_rows(dom)] == ["stale_column"]


@needs_browser
def test_screenshot_is_not_blank(model, tmp_path):
    page = write_html(model, tmp_path / "report.html")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report_html.png"
    shot.unlink(missing_ok=True)
    chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    image = Image.open(shot).convert("L")
    assert image.size == (1300, 2200)
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 20                      # text, bars and coloured panels, not an empty page
    top = image.crop((0, 0, 1300, 90))              # the red header band with white CJK title text
    assert ImageStat.Stat(top).extrema[0][1] > 200 and ImageStat.Stat(top).extrema[0][0] < 120
