"""report.html of `govaudit annual-report`: one self-contained page a clerk prints or forwards.

The problems come first (what must be corrected), then what a person has to look at, then the verdict of every
check, so nothing found is buried between the checks that passed. Rule numbers stay in findings.json.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from reports.annual_labels import status_label

STATUS_COLOUR = {"FAIL": "#b03a2e", "无法判断": "#6c7a89", "需人工复核": "#b9770e", "PASS": "#1e8449"}
STYLE = (
    "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em auto;max-width:1200px;"
    "color:#222;line-height:1.5}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:2px solid #ccc}"
    "table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:4px 8px;vertical-align:top;"
    "text-align:left}th{background:#f2f2f2;white-space:nowrap}td.n{width:3em;text-align:center}"
    ".quote{color:#555;font-size:.92em;word-break:break-all}.status{font-weight:bold;white-space:nowrap}"
    ".meta td:first-child{white-space:nowrap;width:8em;background:#f7f7f7}"
    "@media print{body{margin:0;max-width:none}tr{page-break-inside:avoid}}"
)


def _items(data: dict, status: str) -> list[tuple[dict, dict]]:
    return [(check, result) for check in data["checks"] for result in check["results"] if result["status"] == status]


def _quote(text: str) -> str:
    return f"<span class='quote'>{escape(text)}</span>" if text else ""


def _problem_table(items: list[tuple[dict, dict]], with_remedy: bool) -> str:
    head = "<tr><th>序号</th><th>检查事项</th><th>位置</th><th>情况</th><th>原文摘录</th><th>依据</th>"
    head += "<th>整改建议</th></tr>" if with_remedy else "</tr>"
    rows = []
    for i, (check, result) in enumerate(items, start=1):
        rows.append(f"<tr><td class='n'>{i}</td><td>{escape(check['title'])}</td><td>{escape(result['where'])}</td>"
                    f"<td>{escape(result['message'])}</td><td>{_quote(result['evidence'])}</td>"
                    f"<td>{escape(check['basis'])}</td>"
                    + (f"<td>{escape(check['remediation'])}</td>" if with_remedy else "") + "</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _verdicts(data: dict) -> str:
    rows = []
    for i, check in enumerate(data["checks"], start=1):
        status = check["status"]
        if status == "无法判断":
            note = "；".join(dict.fromkeys(r["message"].rstrip("。") for r in check["results"]
                                          if r["status"] == "无法判断")) + "。"
        elif status in ("FAIL", "需人工复核"):
            counted = sum(r["status"] == status for r in check["results"])
            note = f"{counted}项，见上文" + ("“发现的问题”" if status == "FAIL" else "“需人工复核的事项”")
        else:
            note = ""
        rows.append(f"<tr><td class='n'>{i}</td><td>{escape(check['title'])}</td>"
                    f"<td class='status' style='color:{STATUS_COLOUR[status]}'>{status_label(status)}</td>"
                    f"<td>{escape(note)}</td></tr>")
    return "<table><tr><th>序号</th><th>检查事项</th><th>结论</th><th>说明</th></tr>" + "".join(rows) + "</table>"


def render_html(data: dict) -> str:
    report = data["report"]
    title = escape(report["title"] or report["source"])
    fails, reviews = _items(data, "FAIL"), _items(data, "需人工复核")
    unknown = sum(c["status"] == "无法判断" for c in data["checks"])
    meta = [("报告", title), ("报告年度", f"{report['year']}年度" if report["year"] else "未能识别"),
            ("发布日期", escape(report["published"] or "未能确定")),
            ("适用格式", f"{escape(report['format'])}年版年度报告格式"),
            ("比对的上年度报告", escape(report.get("previous") or "未提供"))]
    summary = (f"发现问题{len(fails)}项，需人工复核{len(reviews)}项；"
               f"共{len(data['checks'])}项检查，其中{unknown}项因资料不足无法判断。")
    return (
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>年度报告检查结果：{title}</title>"
        f"<style>{STYLE}</style></head><body><h1>政府信息公开工作年度报告检查结果</h1>"
        "<table class='meta'>" + "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in meta) + "</table>"
        f"<p><b>{summary}</b></p>"
        f"<h2>一、发现的问题（{len(fails)}项）</h2>"
        + (_problem_table(fails, with_remedy=True) if fails else "<p>未发现问题。</p>")
        + f"<h2>二、需人工复核的事项（{len(reviews)}项）</h2>"
        + (_problem_table(reviews, with_remedy=False) if reviews else "<p>无。</p>")
        + "<h2>三、逐项检查结论</h2>" + _verdicts(data) + "</body></html>")


def write_html(path: Path, data: dict) -> None:
    path.write_text(render_html(data), encoding="utf-8")
