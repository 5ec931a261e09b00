"""Column-type inference: meta beats name, the most specific name pattern wins."""

import pytest

from rules.column_types import column_type_names, freshness_group, infer_column_type, types_in_group

REQUIRED = ["动态要闻", "通知公告", "政策文件", "政策解读", "人事信息", "规划计划", "信息公开年报", "信息公开指南",
            "信息公开制度", "信息公开目录", "机构职能", "领导信息", "财政信息", "招标采购", "重点领域", "互动交流",
            "办事服务", "数据发布", "回应关切", "其他"]


def test_canonical_list_complete():
    assert sorted(column_type_names()) == sorted(REQUIRED)


@pytest.mark.parametrize("name,expected", [
    ("部门动态", "动态要闻"), ("乡镇动态", "动态要闻"), ("今日要闻", "动态要闻"), ("工作信息", "动态要闻"),
    ("通知公告", "通知公告"), ("公示公告", "通知公告"), ("政策文件", "政策文件"), ("规范性文件", "政策文件"),
    ("政策解读", "政策解读"), ("政策文件解读", "政策解读"), ("人事任免", "人事信息"), ("干部任前公示", "人事信息"),
    ("发展规划", "规划计划"), ("政府信息公开年报", "信息公开年报"), ("政府信息公开工作年度报告", "信息公开年报"),
    ("信息公开指南", "信息公开指南"), ("信息公开制度", "信息公开制度"), ("领导之窗", "领导信息"),
    ("机构职能", "机构职能"), ("财政预决算", "财政信息"), ("招标公告", "招标采购"), ("县长信箱", "互动交流"),
    ("便民服务", "办事服务"), ("统计数据", "数据发布"), ("回应关切", "回应关切"), ("乡村振兴", "重点领域"),
    ("通 知 公 告", "通知公告"), ("领导活动", "动态要闻"),
])
def test_name_inference(name, expected):
    assert infer_column_type(name) == (expected, "name")


def test_meta_beats_name():
    assert infer_column_type("通知公告", "工作动态") == ("动态要闻", "meta")
    assert infer_column_type("某栏目", "负责人信息") == ("领导信息", "meta")
    assert infer_column_type("某栏目", "政策文件") == ("政策文件", "meta")


def test_unknown_meta_falls_back_to_name():
    assert infer_column_type("部门动态", "首页") == ("动态要闻", "name")


def test_nothing_known():
    assert infer_column_type("友情链接xyz") == (None, None)
    assert infer_column_type("") == (None, None)


def test_freshness_groups():
    assert freshness_group("动态要闻") == "dynamic"
    assert set(types_in_group("notice_policy")) == {"通知公告", "政策文件"}
    assert set(types_in_group("personnel_plan")) == {"人事信息", "规划计划"}
    assert freshness_group("其他") is None
