"""govaudit/demo/evaluate.py on the issue-14 kinds: link targets by host and path, pages by page, and each kind in
the tier it expects (a secrecy marking only as 需人工复核, every other kind only as a counted finding)."""

from __future__ import annotations

from govaudit.demo.evaluate import score

SITE = "http://127.0.0.1:8000"
MANIFEST = {
    "offsite_links": [
        {"kind": "offsite_hijacked", "url": "http://www.qhlvyou.example/", "page_url": "/zjqh/qhgk/t1.html"},
        {"kind": "offsite_hijacked", "url": "http://www.qhnongjiale.example/", "page_url": "/col/col1003/t2.html",
         "link": "http://www.qhnongjiale.examplex7a72968723868.ipv6best.cn/"},
    ],
    "planted": [
        {"kind": "message_unanswered", "url": "/hdjl/zxjy/202607/t3.html", "column_url": "/hdjl/zxjy/index.html"},
        {"kind": "secret_marking", "url": "/zwgk/tzgg/202608/P1.docx", "review": True},
    ],
}


def finding(kind, url, review=False, **extra):
    return {"kind": kind, "rule": "X", "url": url, "status": "new", "needs_review": review, "observed": {}, **extra}


def test_exact_targets_pages_and_tiers_score_one():
    findings = [finding("offsite_hijacked", "http://www.qhlvyou.example/"),
                finding("offsite_hijacked", "http://www.qhnongjiale.example/"),
                finding("message_unanswered", SITE + "/hdjl/zxjy/202607/t3.html"),
                finding("secret_marking", SITE + "/zwgk/tzgg/202608/P1.docx", review=True)]
    scores = score(findings, MANIFEST)
    for kind in ("offsite_hijacked", "message_unanswered", "secret_marking"):
        assert (scores[kind].recall, scores[kind].precision) == (1.0, 1.0), kind
    assert scores["secret_marking"].review == 1


def test_same_path_on_another_host_is_not_the_target():
    scores = score([finding("offsite_hijacked", "http://www.other.example/")], MANIFEST)
    assert scores["offsite_hijacked"].precision == 0.0 and scores["offsite_hijacked"].recall == 0.0


def test_a_finding_in_the_wrong_tier_is_a_false_alarm():
    scores = score([finding("secret_marking", SITE + "/zwgk/tzgg/202608/P1.docx", review=False),
                    finding("message_unanswered", SITE + "/hdjl/zxjy/202607/t3.html", review=True)], MANIFEST)
    assert scores["secret_marking"].recall == 0.0 and scores["secret_marking"].false_alarms
    assert scores["message_unanswered"].recall == 0.0 and scores["message_unanswered"].precision == 0.0


def test_a_message_in_the_same_column_on_another_page_does_not_count():
    scores = score([finding("message_unanswered", SITE + "/hdjl/zxjy/202607/t4.html",
                            column={"url": SITE + "/hdjl/zxjy/index.html"})], MANIFEST)
    assert scores["message_unanswered"].found == 0


def test_channel_and_list_findings_without_plants_are_false_alarms():
    scores = score([finding("interaction_channel", SITE + "/", review=True),
                    finding("message_list_stale", SITE + "/hdjl/zxjy/")], MANIFEST)
    assert scores["interaction_channel"].precision == 0.0 and scores["message_list_stale"].precision == 0.0
