"""The per-site placement model on generated county portals: planted misfiled articles are found, clean sites
stay quiet. The generator below is also used by bench/placement_bench.py."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from checks.classifier import ClassifierConfig, Sample, judge
from checks.placement import DEFAULTS, category_mismatch, column_mismatch, verdicts
from checks.privacy.synthetic import person_name
from crawler.records import ColumnRecord, PageRecord, Snapshot

COUNTY = "示例县"
DEPTS = ["县发展和改革局", "县教育局", "县卫生健康局", "县农业农村局", "县财政局", "县住房和城乡建设局",
         "县交通运输局", "县民政局", "县人力资源和社会保障局", "县生态环境局", "县应急管理局", "县市场监督管理局"]
TOWNS = ["城关镇", "东坪镇", "河西乡", "石门镇", "南山乡", "清水镇", "白沙乡", "新城街道"]
TOPICS = ["安全生产", "乡村振兴", "森林防火", "农村人居环境整治", "义务教育", "医疗保障", "耕地保护",
          "优化营商环境", "防汛抗旱", "食品安全", "农村饮水安全", "高标准农田建设", "城乡低保", "就业创业",
          "老旧小区改造", "河长制", "消防安全", "秸秆禁烧"]
PROJECTS = ["农村公路提质改造", "中小学校舍维修", "乡镇卫生院设备购置", "污水管网建设", "高标准农田建设",
            "办公设备采购", "智慧城管平台", "河道综合治理", "路灯节能改造", "饮水安全巩固提升"]
POSTS = ["县教育局局长", "县财政局副局长", "城关镇镇长", "县卫生健康局党组成员", "县应急管理局副局长", "县民政局局长"]


def _pick(rng, items):
    return rng.choice(items)


def _fill(rng: random.Random, year: int) -> dict:
    return {"dept": _pick(rng, DEPTS), "town": _pick(rng, TOWNS), "topic": _pick(rng, TOPICS),
            "topic2": _pick(rng, TOPICS), "project": _pick(rng, PROJECTS), "post": _pick(rng, POSTS),
            "post2": _pick(rng, POSTS), "name": person_name(rng), "name2": person_name(rng), "year": year,
            "county": COUNTY, "n": rng.randint(1, 60), "m": rng.randint(2, 12), "d": rng.randint(1, 28),
            "money": rng.randint(5, 900), "abbr": _pick(rng, ["示政办发", "示政发", "示办发", "示发改"])}


# (titles, body sentences) per column type; {slots} come from _fill. Bodies share county boilerplate so the
# model has to learn from the type-specific parts.
TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "动态要闻": (
        ["{dept}召开{topic}工作推进会", "县领导到{town}调研{topic}工作", "{town}开展{topic}专项检查",
         "我县举行{topic}培训班", "{dept}部署{topic}工作", "{town}扎实推进{topic}", "县政府召开常务会议研究{topic}",
         "{dept}组织开展{topic}宣传活动", "市督导组到我县督导{topic}工作", "{town}召开{topic}座谈会"],
        ["{m}月{d}日，{dept}召开{topic}工作推进会，听取各单位工作汇报，研究部署下一阶段重点任务。",
         "会议强调，各级各部门要提高思想认识，压实工作责任，确保{topic}各项任务落地见效。",
         "调研组一行深入{town}实地查看{topic}工作开展情况，与基层干部群众亲切交流。",
         "活动现场发放宣传资料{n}余份，接受群众咨询{n}人次。", "{town}主要负责同志参加会议。"]),
    "通知公告": (
        ["关于{topic}有关事项的公告", "关于开展{year}年度{topic}申报工作的通知", "{dept}关于{topic}的通告",
         "关于{year}年{topic}补助名单的公示", "关于调整{topic}办理时间的公告", "关于做好{topic}工作的提示",
         "{dept}关于{topic}检查结果的通报", "关于{town}{topic}项目的公示"],
        ["根据有关规定，现将{topic}有关事项公告如下：", "一、申报对象。二、申报时间：{year}年{m}月{d}日至{m}月{n}日。",
         "公示期间，如有异议，请以书面形式向{dept}反映。", "特此公告。", "联系电话：0000-1234567。"]),
    "政策文件": (
        ["{county}人民政府办公室关于印发{county}{topic}实施方案的通知", "关于进一步加强{topic}工作的意见",
         "{county}{topic}管理办法", "{county}人民政府关于印发{topic}三年行动计划的通知",
         "关于加快推进{topic}的实施意见", "{county}{topic}专项资金管理办法", "关于建立{topic}长效机制的通知"],
        ["各乡镇人民政府，县直各单位：", "现将《{county}{topic}实施方案》印发给你们，请结合实际认真贯彻执行。",
         "第一条 为规范{topic}工作，根据有关法律法规，结合本县实际，制定本办法。",
         "第二条 本办法适用于本县行政区域内的{topic}工作。", "本意见自印发之日起施行。"]),
    "政策解读": (
        ["《{county}{topic}实施方案》政策解读", "一图读懂{county}{topic}管理办法", "关于{topic}工作意见的解读",
         "{dept}负责人就{topic}答记者问", "图解：{county}{topic}三年行动计划", "《关于加快推进{topic}的实施意见》解读"],
        ["一、出台背景。为深入贯彻落实上级关于{topic}的决策部署，我县制定了《{county}{topic}实施方案》。",
         "二、主要内容。《方案》共分为{m}个部分，明确了{topic}的目标任务和保障措施。",
         "三、解读机关及联系方式：{dept}。", "问：出台该办法的主要考虑是什么？答：主要基于以下几个方面。"]),
    "人事信息": (
        ["关于{name}等同志职务任免的通知", "{county}{year}年公开招聘事业单位工作人员公告", "{dept}干部任前公示",
         "{county}人民政府关于{name}同志任职的通知", "{year}年公开招聘教师拟聘用人员公示",
         "关于{name}、{name2}同志免职的通知"],
        ["经县人民政府研究决定：", "任命{name}为{post}；", "免去{name2}的{post2}职务。",
         "报名时间：{year}年{m}月{d}日，岗位计划{n}名，笔试成绩占{n}%。", "公示期为5个工作日。"]),
    "招标采购": (
        ["{project}项目招标公告", "{project}中标结果公告", "{project}竞争性磋商公告", "{project}项目成交公告",
         "{dept}{project}询价采购公告", "{project}废标公告"],
        ["项目编号：SXZC-{year}-{n}。", "采购人：{dept}。", "预算金额：{money}万元。",
         "供应商须具备独立承担民事责任的能力，投标截止时间为{year}年{m}月{d}日。", "中标供应商：某建设工程有限公司。"]),
    "财政信息": (
        ["{dept}{year}年部门预算公开", "{dept}{year}年部门决算公开", "{year}年县本级“三公”经费预算情况说明",
         "{county}{year}年财政预算执行情况", "{dept}{year}年整体支出绩效自评报告"],
        ["一、部门基本情况。二、收支预算总表。", "{year}年一般公共预算财政拨款支出{money}万元，比上年增长{n}%。",
         "“三公”经费预算{money}万元，其中公务接待费{n}万元。", "政府性基金预算收入{money}万元。"]),
    "规划计划": (
        ["{county}{topic}“十四五”规划", "{dept}{year}年工作要点", "{dept}{year}年工作计划",
         "{county}{topic}发展规划（{year}—{year}年）", "{town}{year}年重点工作安排"],
        ["一、发展基础。“十三五”期间，全县{topic}工作取得明显成效。", "二、总体要求和发展目标。到{year}年，基本建立{topic}体系。",
         "三、重点任务。", "四、保障措施。加强组织领导，强化要素保障。"]),
}
COLUMNS = [("部门动态", "动态要闻"), ("乡镇动态", "动态要闻"), ("通知公告", "通知公告"), ("政府文件", "政策文件"),
           ("政策解读", "政策解读"), ("人事信息", "人事信息"), ("招标采购", "招标采购"), ("财政预决算", "财政信息"),
           ("规划计划", "规划计划")]


def make_article(rng: random.Random, ctype: str, year: int = 2023) -> tuple[str, str, str | None]:
    """(title, body, 文号) of a generated article of `ctype`."""
    titles, sentences = TEMPLATES[ctype]
    slots = _fill(rng, year)
    title = rng.choice(titles).format(**slots)
    body = "".join(s.format(**slots) for s in rng.sample(sentences, k=min(len(sentences), rng.randint(3, 5))))
    doc = f"{slots['abbr']}〔{year}〕{slots['n']}号" if ctype == "政策文件" else None
    return title, body, doc


def make_site(n_articles: int, misfiled_share: float = 0.0, seed: int = 1) -> tuple[Snapshot, set[str]]:
    """A site with the COLUMNS, `n_articles` spread over them, and a share planted into wrong columns."""
    rng = random.Random(seed)
    base = "http://www.example.gov.cn"
    columns = [ColumnRecord(url=f"{base}/col{i}/index.htm", name=name, type=ctype)
               for i, (name, ctype) in enumerate(COLUMNS)]
    pages, planted = [], set()
    for k in range(n_articles):
        home = columns[k % len(columns)]
        true_type = home.type
        if rng.random() < misfiled_share:
            true_type = rng.choice([t for t in TEMPLATES if t != home.type])
        title, body, doc = make_article(rng, true_type)
        url = f"{base}/info/{k}.htm"
        if true_type != home.type:
            planted.add(url)
        pages.append(PageRecord(url=url, column_url=home.url, title=title, text=body, doc_number=doc,
                                published=dt.date(2023, 1, 1) + dt.timedelta(days=k % 300)))
    return Snapshot(site_name="示例县人民政府", site_url=base, as_of=dt.date(2023, 12, 31),
                    columns_=columns, pages_=pages), planted


RULE = {"params": {}}


@pytest.fixture(scope="module")
def misfiled_site():
    """One 900-article site with 5 % planted misfiled articles, judged once (the check caches per snapshot)."""
    return make_site(900, misfiled_share=0.05, seed=7)


def _score(flagged: set[str], planted: set[str]) -> tuple[float, float]:
    tp = len(flagged & planted)
    return (tp / len(flagged) if flagged else 1.0), (tp / len(planted) if planted else 1.0)


def test_misfiled_articles_found_with_precision_and_recall(misfiled_site):
    snapshot, planted = misfiled_site
    found = list(category_mismatch(snapshot, RULE))
    confirmed = {o.url for o in found if not o.needs_review}
    listed = {o.url for o in found}
    precision, recall = _score(confirmed, planted)
    _, listed_recall = _score(listed, planted)
    by_source = Counter(o.observed["source"] for o in found if not o.needs_review)
    print(f"\nplanted={len(planted)} confirmed={len(confirmed)} precision={precision:.2f} recall={recall:.2f} "
          f"with 需人工复核={len(listed)} recall={listed_recall:.2f} sources={dict(by_source)}")
    assert len(planted) >= 30
    assert precision >= 0.95                               # what is counted must hold
    assert recall >= 0.6                                   # the model still finds most of what it can explain
    assert listed_recall >= 0.9                            # and the rest is listed for review, not lost
    assert len(listed) == len(found)                       # one finding per article, layers merged


def test_clean_site_gives_almost_nothing():
    snapshot, planted = make_site(900, misfiled_share=0.0, seed=11)
    assert not planted
    found = list(category_mismatch(snapshot, RULE))
    print(f"\nclean site: {len(found)} findings of 900 articles")
    assert len(found) <= 9                                 # ≤ 1 % false alarms
    assert list(column_mismatch(snapshot, RULE)) == []


def test_model_findings_explain_in_words_and_name_an_existing_column(misfiled_site):
    snapshot, _ = misfiled_site
    model_found = [o for o in category_mismatch(snapshot, RULE) if o.observed["source"] == "模型"]
    confirmed = [o for o in model_found if not o.needs_review]
    assert confirmed
    for o in model_found:
        reason = o.observed["reason"]
        assert "概率" not in reason and "%" not in reason and "主要依据" not in reason, reason
        assert o.observed["expected_type"] != o.observed["column_type"]
    for o in confirmed:
        assert "标题和正文均为" in o.observed["reason"], o.observed
        assert f"与本栏目（{o.observed['column_type']}）不符" in o.observed["reason"]
        assert o.observed["expected_column_url"] in {c.url for c in snapshot.columns()}
        assert snapshot.column(o.observed["expected_column_url"]).type == o.observed["expected_type"]
        assert o.observed["advice"].startswith(f"应调整至本站「{o.observed['expected_column']}」栏目")
        assert 0.0 < o.confidence <= 1.0


def test_model_suspects_in_columns_of_uncertain_type_are_review_only():
    snapshot, planted = make_site(900, misfiled_share=0.05, seed=7)
    for i, column in enumerate(snapshot.columns_):         # same site, but every type guessed from a parent
        column.type_source, column.name = "parent", f"综合信息{i}"
    found = list(category_mismatch(snapshot, RULE))
    assert found and all(o.needs_review for o in found)
    assert all("未能确定" in o.observed["review_reason"] for o in found if o.observed["source"] == "模型")
    assert list(column_mismatch(snapshot, RULE)) == []


def test_deterministic():
    snapshot_a, _ = make_site(450, misfiled_share=0.05, seed=5)
    snapshot_b, _ = make_site(450, misfiled_share=0.05, seed=5)
    a = [(o.url, o.confidence, o.observed["reason"], o.needs_review) for o in category_mismatch(snapshot_a, RULE)]
    b = [(o.url, o.confidence, o.observed["reason"], o.needs_review) for o in category_mismatch(snapshot_b, RULE)]
    assert a == b and a


def test_small_columns_use_rules_only():
    snapshot, _ = make_site(90, misfiled_share=0.1, seed=9)              # 10 articles per column
    results = verdicts(snapshot, dict(DEFAULTS))
    assert all(v.own_prob is None and not v.model_flag for v in results)
    assert all(o.observed["source"] == "规则" for o in category_mismatch(snapshot, RULE))


def test_misused_column_reported_once():
    snapshot, _ = make_site(630, misfiled_share=0.0, seed=13)
    policy = next(c for c in snapshot.columns() if c.type == "政策文件")
    rng = random.Random(2)
    for k, page in enumerate(p for p in snapshot.pages_ if p.column_url == policy.url):
        if k % 2 == 0:                                      # half of the policy column is news
            page.title, page.text, _ = make_article(rng, "动态要闻")
            page.doc_number = None
    found = list(column_mismatch(snapshot, RULE))
    assert [o.column_name for o in found] == ["政府文件"]
    assert found[0].observed["expected_type"] == "动态要闻"
    assert found[0].observed["misplaced"] >= 30


def test_classifier_skips_when_too_few_types():
    samples = [Sample(key=str(i), title="召开会议", text="", has_doc_number=False, label="动态要闻")
               for i in range(50)]
    result = judge(samples, ClassifierConfig())
    assert result.judgements == {} and result.skipped
