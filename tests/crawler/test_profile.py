"""Site profiles: validation messages with file:line:col, lookups, and the profile `govaudit init` writes."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.errors import SiteProfileError
from crawler.profile import SiteProfile, load_profile, parse_profile, write_profile_from_discovery
from crawler.records import ColumnRecord, Snapshot

GOOD = """\
name: 测试县人民政府
start_urls: [http://www.test.gov.cn/]
hosts: [xxgk.test.gov.cn]
exclude: ['/search/', '\\?keyword=']
column_types:
  http://www.test.gov.cn/tzgg/index.html: 通知公告
  部门动态: 动态要闻
departments:
  /zcwj.htm: 县司法局
selectors: {list: 'ul.news li', content: 'div.article-body'}
obey_robots: false
"""


def test_good_profile_loads_and_lookups_work(tmp_path):
    path = tmp_path / "site.yml"
    path.write_text(GOOD, encoding="utf-8")
    profile = load_profile(path)
    assert profile.name == "测试县人民政府"
    assert profile.hosts == ["xxgk.test.gov.cn"]
    assert profile.obey_robots is False
    assert profile.excluded("http://www.test.gov.cn/search/x?q=1")
    assert profile.excluded("http://www.test.gov.cn/list?keyword=abc")
    assert not profile.excluded("http://www.test.gov.cn/tzgg/index.html")
    assert profile.column_type_for("http://www.test.gov.cn/tzgg/index.html", "随便") == "通知公告"
    assert profile.column_type_for("http://www.test.gov.cn/bmdt/", "部门动态") == "动态要闻"
    assert profile.column_type_for("http://www.test.gov.cn/other/", "其他") is None
    assert profile.department_for("http://www.test.gov.cn/zcwj.htm", "政策文件") == "县司法局"
    assert profile.selectors["list"] == "ul.news li"


def test_every_problem_reported_at_once_with_line_and_column():
    text = ("name: x\n"
            "hosts: [a.gov.cn]\n"
            "exclude: ['(']\n"
            "column_types: {a: 1}\n"
            "colour: blue\n"
            "start_urls: ['ftp://x']\n")
    with pytest.raises(SiteProfileError) as info:
        parse_profile(text, "site.yml")
    lines = str(info.value).splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("site.yml:3:11: exclude.0: 正则表达式无效")
    assert lines[1].startswith("site.yml:4:19: column_types.a: 应为字符串")
    assert lines[2].startswith("site.yml:5:") and "colour" in lines[2]
    assert lines[3].startswith("site.yml:6:14: start_urls.0: 格式不正确")


def test_yaml_syntax_error_and_missing_file(tmp_path):
    with pytest.raises(SiteProfileError, match=r"^p\.yml:2:1: \(root\): YAML 语法错误"):
        parse_profile("name: [x\n", "p.yml")
    with pytest.raises(SiteProfileError, match="不存在"):
        load_profile(tmp_path / "nope.yml")
    (tmp_path / "gbk.yml").write_bytes("name: 测试".encode("gbk"))
    with pytest.raises(SiteProfileError, match="UTF-8"):
        load_profile(tmp_path / "gbk.yml")


def test_empty_profile_is_valid():
    assert parse_profile("", "empty.yml") == SiteProfile(source="empty.yml")


def test_profile_written_from_discovery_round_trips(tmp_path):
    snapshot = Snapshot(
        site_name="测试县人民政府", site_url="http://www.test.gov.cn/", as_of=dt.date(2023, 2, 1),
        columns_=[
            ColumnRecord(url="http://www.test.gov.cn/tzgg/index.html", name="通知公告", path="首页/通知公告",
                         type="通知公告", type_source="name"),
            ColumnRecord(url="http://xxgk.test.gov.cn/col/col9/index.html", name="特色栏目: \"甲\"",
                         path="首页/特色栏目"),
        ],
    )
    path = write_profile_from_discovery(snapshot, tmp_path / "site.yml")
    profile = load_profile(path)
    assert profile.name == "测试县人民政府"
    assert profile.start_urls == ["http://www.test.gov.cn/"]
    assert profile.hosts == ["xxgk.test.gov.cn"]
    assert profile.column_types == {"http://www.test.gov.cn/tzgg/index.html": "通知公告"}
    text = path.read_text(encoding="utf-8")
    assert "未识别" in text and "departments" in text
