"""Write tests/checks/placement_cases.yml: a labelled set of articles in real columns, for placement precision.

Column names and their breadcrumbs are read from the real portals' list (../shared/reference/columns/
real-columns.tsv); titles follow the patterns of real county portals and annual reports
(../shared/reference/samples/: 关于印发《…》的通知, …政府信息公开工作年度报告, 关于…的通报 …). Every case says
whether an inspector would write the article down as misplaced, and why. Names of people are synthetic.
Deterministic: the same file every run. Usage: uv run python bench/make_placement_cases.py
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checks.privacy.synthetic import person_name  # noqa: E402
from rules.column_types import judge_column_type  # noqa: E402

TSV = ROOT.parent / "shared" / "reference" / "columns" / "real-columns.tsv"
OUT = ROOT / "tests" / "checks" / "placement_cases.yml"
COUNTY = "示例县"
DEPTS = ["县市场监督管理局", "县教育局", "县卫生健康局", "县农业农村局", "县财政局", "县应急管理局", "县民政局",
         "县人力资源和社会保障局", "县自然资源局", "县住房和城乡建设局"]
TOWNS = ["城关镇", "东坪镇", "河西乡", "石门镇", "新城街道"]
TOPICS = ["安全生产", "森林防火", "食品安全", "乡村振兴", "耕地保护", "防汛抗旱", "城乡低保", "优化营商环境", "消防安全"]
PROJECTS = ["农村公路提质改造", "中小学校舍维修", "办公设备采购", "污水管网建设", "路灯节能改造"]
ABBR = ["示政办发", "示政发", "示市监", "示教发", "示农发", "示财预"]

# (title, body, has 文号) per kind of article; {slots} filled below. Kinds name what the article IS.
KINDS: dict[str, tuple[list[str], str, bool]] = {
    "news": (["县政府召开{topic}工作推进会", "县领导到{town}调研{topic}工作", "{town}开展{topic}专项检查",
              "{dept}召开{topic}工作座谈会", "市督导组到我县督导{topic}工作", "{dept}组织开展{topic}宣传活动"],
             "{m}月{d}日，{dept}召开会议，听取各单位工作汇报。会议强调，要压实责任，确保{topic}各项任务落地见效。", False),
    "meeting_notice": (["关于召开全县{topic}工作会议的通知", "关于召开{year}年{topic}工作推进会的通知",
                        "{dept}关于召开{topic}专题会议的通知"],
                       "各乡镇人民政府，县直各单位：经县政府研究，定于{year}年{m}月{d}日召开会议，现将有关事项通知如下。", False),
    "recruit_notice": (["{county}{year}年公开招聘事业单位工作人员公告", "{dept}{year}年公开招聘编外工作人员公告",
                        "{county}{year}年公开招聘中小学教师公告"],
                       "根据有关规定，现将{year}年公开招聘工作人员有关事项公告如下：一、招聘岗位计划{n}名。二、报名时间。", False),
    "bulletin": (["关于公布{year}年{topic}检查结果的通报", "关于{year}年第{q}季度政府网站检查情况的通报",
                  "{dept}关于{topic}专项检查情况的通报"],
                 "各乡镇、各有关单位：为加强{topic}工作，{dept}组织开展了专项检查，现将检查结果通报如下。", False),
    "public_notice": (["关于{year}年{topic}补助资金拟发放名单的公示", "关于{town}{topic}期间实施交通管制的通告",
                       "关于公开征求《{county}{topic}管理办法（征求意见稿）》意见的公告", "关于{town}计划停电的通知"],
                      "根据有关规定，现将有关事项公告如下。公示期间，如有异议，请以书面形式反映。特此公告。", False),
    "policy": (["{county}人民政府办公室关于印发《{county}{topic}实施方案》的通知", "关于进一步加强{topic}工作的意见",
                "{county}{topic}管理办法", "关于废止部分规范性文件的通知", "{county}人民政府关于加快推进{topic}的实施意见"],
               "各乡镇人民政府，县直各单位：现将《{county}{topic}实施方案》印发给你们，请结合实际认真贯彻执行。", True),
    "appointment": (["{county}人民政府关于{name}等同志职务任免的通知", "关于{name}同志任职的通知", "{dept}干部任前公示"],
                    "经县人民政府研究决定：任命{name}为{dept}副局长；免去{name2}的{dept}副局长职务。", False),
    "hire_result": (["{year}年公开招聘教师拟聘用人员公示", "{dept}{year}年公开遴选工作人员拟选调人员名单公示"],
                    "根据招聘公告，经报名、笔试、面试、体检和考察，拟聘用以下人员，公示期5个工作日。", False),
    "interpretation": (["《{county}{topic}实施方案》政策解读", "一图读懂{county}{topic}管理办法",
                        "{dept}负责人就{topic}工作答记者问", "《关于进一步加强{topic}工作的意见》解读"],
                       "一、出台背景。为贯彻落实上级决策部署，我县制定了《{county}{topic}实施方案》。二、主要内容。", False),
    "procurement": (["{project}项目招标公告", "{project}中标结果公告", "{project}竞争性磋商公告", "{dept}{project}询价采购公告"],
                    "项目编号：SXZC-{year}-{n}。采购人：{dept}。预算金额：{money}万元。供应商须具备独立承担民事责任的能力。", False),
    "annual_report": (["{county}{year}年政府信息公开工作年度报告", "{dept}{year}年政府信息公开工作年度报告"],
                      "本报告根据《中华人民共和国政府信息公开条例》编制。一、总体情况。二、主动公开政府信息情况。", False),
    "budget": (["{dept}{year}年部门预算公开", "{dept}{year}年部门决算公开", "{year}年县本级“三公”经费预算情况说明"],
               "一、部门基本情况。二、收支预算总表。{year}年一般公共预算财政拨款支出{money}万元。", False),
    "plan": (["{dept}{year}年工作要点", "{county}{topic}“十四五”规划", "{dept}{year}年工作计划"],
             "一、发展基础。二、总体要求和发展目标。三、重点任务。四、保障措施。", False),
    "undocumented_policy": (["{county}{year}年{topic}工作情况", "{dept}{topic}工作总结"],
                            "今年以来，{dept}扎实推进{topic}各项工作，取得了阶段性成效。", False),
}

# (column type in the real list, kind, misplaced?, why) — correctly filed kinds of many sorts, then misplaced ones.
PLAN: list[tuple[str, str, bool, str]] = [
    ("通知公告", "meeting_notice", False, "会议通知属通知公告"),
    ("通知公告", "recruit_notice", False, "招聘公告属通知公告"),
    ("通知公告", "bulletin", False, "通报属通知公告"),
    ("通知公告", "public_notice", False, "公示、通告属通知公告"),
    ("通知公告", "procurement", False, "公示公告栏目常发采购公告，不计为错放"),
    ("政策文件", "policy", False, "带文号的政策文件"),
    ("政策文件", "bulletin", False, "部门文件中的正式通报（带文号）"),
    ("政策文件", "meeting_notice", False, "部门文件中的会议通知（带文号）"),
    ("人事信息", "appointment", False, "任免在人事信息"),
    ("人事信息", "recruit_notice", False, "招聘公告在人事信息"),
    ("人事信息", "hire_result", False, "拟聘用公示在人事信息"),
    ("政策解读", "interpretation", False, "解读在政策解读"),
    ("动态要闻", "news", False, "动态在工作动态"),
    ("招标采购", "procurement", False, "采购公告在招标采购"),
    ("信息公开年报", "annual_report", False, "年报在年报栏目"),
    ("财政信息", "budget", False, "预决算在财政信息"),
    ("规划计划", "plan", False, "规划计划在规划计划"),
    ("政策文件", "news", True, "政策文件栏目中发布了工作动态"),
    ("政策文件", "procurement", True, "政策文件栏目中发布了招标采购公告"),
    ("政策文件", "undocumented_policy", True, "政府文件栏目中的信息无文号（栏目其余文件均有文号）"),
    ("政策解读", "appointment", True, "政策解读栏目中发布了任免通知"),
    ("政策解读", "procurement", True, "政策解读栏目中发布了采购公告"),
    ("政策解读", "news", True, "政策解读栏目中发布了工作动态"),
    ("通知公告", "appointment", True, "任免通知应在人事信息栏目（本站设有）"),
    ("通知公告", "annual_report", True, "信息公开年报发布在通知公告"),
    ("动态要闻", "annual_report", True, "信息公开年报发布在动态栏目"),
    ("动态要闻", "appointment", True, "任免通知发布在动态栏目"),
    ("通知公告", "news", True, "通知公告栏目中发布了工作动态"),
]
PER_ENTRY = {False: 7, True: 3}


def real_columns() -> dict[str, list[tuple[str, str]]]:
    """Real (name, breadcrumb) per labelled type, keeping only names that type themselves (certain columns)."""
    by_type: dict[str, list[tuple[str, str]]] = {}
    with open(TSV, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name, parents, label = row["name"], row["parent_path"], row["type"]
            verdict = judge_column_type(name, parents)
            if verdict.source == "name" and verdict.type == label and (name, parents) not in by_type.get(label, []):
                by_type.setdefault(label, []).append((name, parents))
    return by_type


def main() -> None:
    rng = random.Random(20240611)
    columns = real_columns()
    cases = []
    for ctype, kind, misplaced, why in PLAN:
        titles, body, numbered = KINDS[kind]
        in_policy_column = ctype == "政策文件" and kind in {"bulletin", "meeting_notice"}
        for _ in range(PER_ENTRY[misplaced]):
            name, parents = rng.choice(columns[ctype])
            year = rng.choice([2019, 2021, 2022, 2023])
            slots = {"county": COUNTY, "dept": rng.choice(DEPTS), "town": rng.choice(TOWNS), "topic": rng.choice(TOPICS),
                     "project": rng.choice(PROJECTS), "name": person_name(rng), "name2": person_name(rng), "year": year,
                     "m": rng.randint(1, 12), "d": rng.randint(1, 28), "n": rng.randint(2, 60), "q": rng.randint(1, 4),
                     "money": rng.randint(5, 900)}
            case = {"column": name, "parents": parents, "column_type": ctype,
                    "title": rng.choice(titles).format(**slots), "text": body.format(**slots)}
            if numbered or in_policy_column:
                case["doc_number"] = f"{rng.choice(ABBR)}〔{year}〕{rng.randint(1, 120)}号"
            case["misplaced"] = misplaced
            case["why"] = why
            cases.append(case)
    header = ("# Generated by bench/make_placement_cases.py from ../shared/reference/columns/real-columns.tsv (column names\n"
              "# and breadcrumbs) and real title patterns; do not edit by hand. misplaced = an inspector would write it down.\n")
    OUT.write_text(header + yaml.safe_dump({"cases": cases}, allow_unicode=True, sort_keys=False, width=200),
                   encoding="utf-8")
    print(f"{len(cases)} cases ({sum(c['misplaced'] for c in cases)} misplaced) -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
