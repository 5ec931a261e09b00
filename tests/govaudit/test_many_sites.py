"""`govaudit audit --sites`: several portals in one process, two weeks running, and the province summary.

A small demo portal and an address where nothing listens, audited through the CLI
on one week and again a week later: every site gets its own reports, the unreachable one is a row
that says so (not a crash), and the summary's trend column compares each site with its own
previous check. Afterwards `govaudit summary` rebuilds a week's summary from the store alone.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from contextlib import ExitStack

import openpyxl
import pytest

pytestmark = pytest.mark.slow      # real govaudit processes crawl the demo portal: not in `-m "not slow"`
AS_OF = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from govaudit.demo.generator import build

    root = tmp_path_factory.mktemp("site")
    build(root, seed=5, as_of=AS_OF, scale=0.12)
    return root


def _summary(out) -> list[dict]:
    sheet = openpyxl.load_workbook(out / "summary.xlsx")["网站汇总"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_many_sites_two_weeks_with_summary_trend(tmp_path, site):
    from govaudit.audit import site_folder
    from govaudit.demo.server import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/"          # closed again: nothing listens there
    with ExitStack() as stack:
        sites = [f"{stack.enter_context(serve(site))}/", dead]
        (tmp_path / "sites.txt").write_text("# 本省县级政府网站\n" + "\n".join(sites) + "\n", encoding="utf-8")
        weeks = []
        for week in range(2):
            out = tmp_path / f"week{week}"
            proc = subprocess.run(
                [sys.executable, "-m", "govaudit.cli", "audit", "--sites", str(tmp_path / "sites.txt"),
                 "--as-of", (AS_OF + dt.timedelta(days=7 * week)).isoformat(), "--out", str(out),
                 "--db", str(tmp_path / "province.sqlite"), "--concurrency", "4", "--delay", "0"],
                capture_output=True, text=True, timeout=600, env={**os.environ, "CI": "true"})
            assert proc.returncode in (1, 3), proc.stderr[-2000:]
            assert "Traceback" not in proc.stderr
            weeks.append(_summary(out))
            assert (out / site_folder(sites[0]) / "rectification.xlsx").exists()

    first, second = weeks
    assert [row["网站"] for row in first] == sites
    assert [row["单项否决结论"] for row in first] == ["不合格", "无法检查"]     # the demo plants veto items
    assert first[0]["较上次检查"] == "首次检查"
    assert first[0]["本次新发现"] == first[0]["待整改问题"] > 0
    assert first[0]["泄露个人信息"] > 0 and first[0]["栏目更新不及时"] > 0
    row = second[0]
    change = row["本次新发现"] - row["前期已整改"]
    assert row["较上次检查"] == ("持平" if change == 0 else f"增加{change}个" if change > 0 else f"减少{-change}个")
    assert row["运行编号"] != first[0]["运行编号"]
    assert row["泄露个人信息"] == first[0]["泄露个人信息"]                       # nothing was fixed
    assert "无法" in (second[1]["说明"] or "")

    # Later, from the store alone (no crawl): `summary` for the first week, with one more site never audited.
    never = "http://127.0.0.1:9/"
    (tmp_path / "more.txt").write_text("\n".join(sites + [never]), encoding="utf-8")
    later = subprocess.run(
        [sys.executable, "-m", "govaudit.cli", "summary", "--sites", str(tmp_path / "more.txt"),
         "--as-of", AS_OF.isoformat(), "--out", str(tmp_path / "later"), "--db", str(tmp_path / "province.sqlite")],
        capture_output=True, text=True, timeout=300, env={**os.environ, "CI": "true"})
    assert later.returncode == 0, later.stderr
    assert "已完成 1 个" in later.stdout and "无法检查 1 个" in later.stdout and "未开始 1 个" in later.stdout
    rows = _summary(tmp_path / "later")
    assert [row["单项否决结论"] for row in rows] == ["不合格", "无法检查", "未完成"]
    assert rows[0]["运行编号"] == first[0]["运行编号"] and rows[0]["待整改问题"] == first[0]["待整改问题"]
    assert (tmp_path / "later" / site_folder(sites[0]) / "rectification.xlsx").exists()     # written from the store
