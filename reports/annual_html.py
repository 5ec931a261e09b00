"""report.html of `govaudit annual-report`: one self-contained page, a verdict per rule and the problems found."""

from __future__ import annotations

from html import escape
from pathlib import Path

STATUS_COLOUR = {"FAIL": "#c0392b", "无法判断": "#7f8c8d", "需人工复核": "#d68910", "PASS": "#1e8449"}


def render_html(data: dict) -> str:
    report = data["report"]
    rows = []
    for check in data["checks"]:
        colour = STATUS_COLOUR[check["status"]]
        detail = "".join(f"<li><b>{escape(r['status'])}</b> {escape(r['where'])}：{escape(r['message'])}"
                         + (f"<br><small>{escape(r['evidence'])}</small>" if r["evidence"] else "") + "</li>"
                         for r in check["results"])
        rows.append(f"<tr><td>{escape(check['rule'])}</td><td>{escape(check['title'])}</td>"
                    f"<td style='color:{colour};font-weight:bold'>{escape(check['status'])}</td>"
                    f"<td><ul>{detail}</ul></td><td>{escape(check['basis'])}</td></tr>")
    title = escape(report["title"] or report["source"])
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>年度报告检查：{title}</title>"
            "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
            "padding:4px 8px;vertical-align:top}</style></head><body>"
            f"<h1>政府信息公开工作年度报告检查结果</h1><p>报告：{title}（{report['year'] or '年度未识别'}年度）；"
            f"发布日期：{escape(report['published'] or '未能确定')}；适用格式：{escape(report['format'])}年版。</p>"
            f"<p>问题 {data['summary']['fail']} 项，需人工复核 {data['summary']['review']} 项。</p>"
            "<table><tr><th>规则</th><th>检查内容</th><th>结论</th><th>情况</th><th>依据</th></tr>"
            + "".join(rows) + "</table></body></html>")


def write_html(path: Path, data: dict) -> None:
    path.write_text(render_html(data), encoding="utf-8")
