"""The first 单项否决 sentence: tally's 情形 and the 19号 items in one statement, never two competing counts."""

from types import SimpleNamespace

from reports.tally import Verdict
from reports.verdict import ItemVerdict, VetoVerdict
from reports.verdict_text import verdict_sentence, verdict_short


def model(verdict: Verdict, items=None):
    return SimpleNamespace(verdict=verdict, veto_items=items)


FIRED = Verdict(["页面含有隐藏的外部链接", "页面含有博彩、色情等违法内容", "链接的外部网站域名已过期"], False, "tally 的原句",
                {"页面含有隐藏的外部链接": ["疑似暗链"], "页面含有博彩、色情等违法内容": [], "链接的外部网站域名已过期": []},
                pending=["存在弄虚作假行为"])
ITEMS = VetoVerdict([ItemVerdict("安全攻击", "g", "failed", "", findings=1),
                     ItemVerdict("发布或链接反动、暴力、色情等内容", "g", "failed", "", findings=2),
                     ItemVerdict("存在弄虚作假行为", "g", "pending", ""), ItemVerdict("服务不实用", "g", "unjudged", "")],
                    [], "不合格", "按国办秘函〔2019〕19号，本次自查发现单项否决情形2项")


def test_both_counts_in_one_sentence_with_the_pending_apart():
    text = verdict_sentence(model(FIRED, ITEMS))
    assert text.startswith("本次自查发现单项否决情形3类：「页面含有隐藏的外部链接」（疑似暗链）；「页面含有博彩、色情等违法内容」；")
    assert "涉及国办秘函〔2019〕19号单项否决指标2项（「安全攻击」「发布或链接反动、暴力、色情等内容」）。" in text
    assert text.endswith("另有疑似「存在弄虚作假行为」情形待核实，核实前不作判定。") and "服务不实用" not in text
    assert verdict_short(model(FIRED, ITEMS)) == "涉及单项否决指标2项（单项否决情形3类）"


def test_tally_wording_stands_without_items_or_when_nothing_fired():
    assert verdict_sentence(model(FIRED)) == "tally 的原句" and verdict_short(model(FIRED)) == "触发3项"
    passed = Verdict([], True, "本次自查未发现触发单项否决指标的情形。")
    assert verdict_sentence(model(passed, ITEMS)) == passed.wording and verdict_short(model(passed, ITEMS)) == "未触发"
    none_failed = VetoVerdict([ItemVerdict("安全攻击", "g", "passed", "")], [], "未发现单项否决情形", "")
    assert verdict_sentence(model(FIRED, none_failed)) == "tally 的原句"      # items disagree: never invent a count
