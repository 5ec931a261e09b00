"""Page text keeps the tabs between table cells: the privacy check counts them to find a column's header."""

from crawler.pipelines import NormalisePipeline
from crawler.records import PageRecord


def _normalised(text: str) -> str:
    return NormalisePipeline.normalise(PageRecord(url="http://x/1.html", text=text)).text


def test_table_rows_keep_one_tab_per_cell_boundary_and_their_empty_cells():
    text = "公示如下：\n姓名 \t 身份证号码\t\t联系电话\u3000\n  张某\t 350…\t\t 139…  \n\t\t\n结束"
    assert _normalised(text) == "公示如下：\n姓名\t身份证号码\t\t联系电话\n张某\t350…\t\t139…\n结束"


def test_prose_whitespace_is_collapsed_as_before():
    assert _normalised("  第一段   有\u3000空格 \n\n\n 第二段\xa0 ") == "第一段 有 空格\n第二段"


def test_a_line_with_only_a_trailing_tab_is_a_line_of_text():
    assert _normalised("标题\t\n正文") == "标题\n正文"
