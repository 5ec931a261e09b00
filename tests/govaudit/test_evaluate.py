"""govaudit/demo/evaluate.py: a finding is correct only at the place it claims, never merely in the right column."""

from __future__ import annotations

from govaudit.demo.evaluate import _units, score

MANIFEST = {
    "planted": [
        {"kind": "category_mismatch", "column_url": "/zwgk/tzgg/index.html", "url": "/zwgk/tzgg/202606/t1.html"},
        {"kind": "personal_data", "column_url": "/zwgk/shjz/index.html", "url": "/zwgk/shjz/202609/t2.html",
         "pii_type": "id_card", "location": "table.gongshi-list/plain"},
        {"kind": "personal_data", "column_url": "/zwgk/shjz/index.html", "url": "/files/roster.xls",
         "pii_type": "id_card", "format": "xls", "location": "低保名单!C2:C11", "page_url": "/zwgk/shjz/202609/t2.html"},
        {"kind": "personal_data", "column_url": "/zwgk/czxx/index.html", "url": "/files/pay.xlsx",
         "pii_type": "id_card_numeric", "format": "xlsx", "location": "发放明细!C3"},
        {"kind": "stale_column", "column_url": "/col/col1003/index.html", "url": "/col/col1003/index.html"},
    ],
    "broken_links": [{"url": "/zwgk/tzgg/202301/t0.html", "source_url": "/zwgk/tzgg/202609/t9.html", "status": 404}],
}
SITE = "http://127.0.0.1:8000"


def finding(kind, url, **extra):
    return {"kind": kind, "rule": "X", "url": SITE + url, "status": "new", "needs_review": False,
            "observed": extra.pop("observed", {}), **extra}


def test_exact_places_score_one():
    findings = [
        finding("category_mismatch", "/zwgk/tzgg/202606/t1.html", column={"url": SITE + "/zwgk/tzgg/index.html"}),
        finding("personal_data", "/zwgk/shjz/202609/t2.html", pii_type="id_card"),
        finding("personal_data", "/files/roster.xls", pii_type="id_card", location="低保名单!A2:F2、低保名单!A3:F3"),
        finding("personal_data", "/files/pay.xlsx", pii_type="id_card", location="发放明细!A3:F3"),
        finding("stale_column", "/col/col1003/", column={"url": SITE + "/col/col1003/"}),
        finding("broken_link", "/zwgk/tzgg/202301/t0.html", observed={"target": SITE + "/zwgk/tzgg/202301/t0.html"}),
    ]
    scores = score(findings, MANIFEST)
    assert all(s.recall == 1.0 and s.precision == 1.0 for s in scores.values()), scores


def test_right_column_wrong_page_is_a_false_alarm_and_a_miss():
    findings = [
        # Another article of the column with the planted mismatch: the old matcher counted it correct.
        finding("category_mismatch", "/zwgk/tzgg/202605/t8.html", column={"url": SITE + "/zwgk/tzgg/index.html"}),
        # Personal data of the planted type on another page of the same column.
        finding("personal_data", "/zwgk/shjz/202610/t3.html", pii_type="id_card",
                column={"url": SITE + "/zwgk/shjz/index.html"}),
        # A broken-link finding whose source page sits in the planted link's column, about another target.
        finding("broken_link", "/zwgk/tzgg/other.html", observed={"target": SITE + "/zwgk/tzgg/other.html"},
                column={"url": SITE + "/zwgk/tzgg/index.html"}),
    ]
    scores = score(findings, MANIFEST)
    assert scores["category_mismatch"].precision == 0.0 and scores["category_mismatch"].recall == 0.0
    assert scores["personal_data"].correct == 0 and scores["personal_data"].false_alarms
    assert scores["broken_link"].precision == 0.0 and scores["broken_link"].missed


def test_attachment_findings_must_point_at_the_planted_sheet_and_rows():
    wrong_sheet = finding("personal_data", "/files/roster.xls", pii_type="id_card", location="往年名单!A2:F2")
    wrong_rows = finding("personal_data", "/files/roster.xls", pii_type="id_card", location="低保名单!A20:F20")
    wrong_type = finding("personal_data", "/files/roster.xls", pii_type="mobile", location="低保名单!A2:F2")
    scores = score([wrong_sheet, wrong_rows, wrong_type], MANIFEST)
    assert scores["personal_data"].correct == 0 and len(scores["personal_data"].false_alarms) == 3


def test_locations_written_both_ways_compare():
    assert _units("p.1") == _units("第1页") == {("page", 1)}
    assert _units("第3-5段") == _units("第3段、第4段、第5段")
    assert _units("line 2-3") == _units("A2:D2、A3:D3")
    assert _units("table 1 列 身份证号") == _units("表1 行2 列4") == {("table", 1)}
    assert ("row", "发放明细", 9) in _units("发放明细!C2,C4:C9")
    assert _units("table.gongshi-list/plain") is None and _units(None) is None
