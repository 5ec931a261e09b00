"""Chinese titles and bodies for the demo county 「青禾县」, one template family per kind of article.

Everything is drawn from the caller's `random.Random`, so a seed reproduces the same site. The county,
its towns, departments and domain are fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

COUNTY = "青禾县"
SITE_NAME = "青禾县人民政府"
SITE_DOMAIN = "www.qhx-demo.gov.cn"
SITE_ID_CODE = "5309990001"            # 10-digit 网站标识码 shape; 530999 is not a real county code
ICP = "滇ICP备20269901号-1"
POLICE_RECORD = "滇公网安备53099902000123号"
AREA_CODE = "0871"

TOWNS = ("青禾镇", "东林镇", "南岭乡", "石门乡", "白沙镇", "河口镇", "云溪乡", "北坪镇")
DEPARTMENTS = ("县人民政府办公室", "县发展和改革局", "县教育体育局", "县财政局", "县人力资源和社会保障局",
               "县自然资源局", "县住房和城乡建设局", "县农业农村局", "县卫生健康局", "县民政局",
               "县应急管理局", "县市场监督管理局", "县交通运输局", "县文化和旅游局", "县医疗保障局")
TOPICS = ("乡村振兴", "安全生产", "森林防火", "优化营商环境", "高标准农田建设", "耕地保护", "城乡低保",
          "医疗保障", "义务教育均衡发展", "河湖长制", "防汛抗旱", "招商引资", "民生实事", "农村人居环境整治",
          "消防安全", "食品安全", "农村公路建设", "特色产业发展", "政务服务提质增效", "烟叶生产",
          "茶叶产业", "生态环境保护", "文明城市创建", "就业创业", "养老服务", "地质灾害防治")
HOLIDAYS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
PROJECTS = ("办公设备", "农村饮水安全巩固提升", "中小学课桌椅", "乡镇卫生院医疗设备", "道路养护",
            "物业管理服务", "高标准农田建设", "信息化平台运维", "校园安保服务", "森林防火物资")
SERVICES = ("不动产登记", "城乡居民养老保险参保登记", "个体工商户设立登记", "建设工程规划许可",
            "医疗费用报销", "最低生活保障申请", "残疾人证办理", "道路运输经营许可", "食品经营许可")


@dataclass
class Text:
    """A generated article: its title and body paragraphs (plain text, escaped by the renderer)."""

    title: str
    paragraphs: list[str]
    kind: str


def _topic(rng: random.Random) -> str:
    return rng.choice(TOPICS)


def news(rng: random.Random, day: dt.date) -> Text:
    """动态要闻: meetings, inspections and progress reports."""
    topic, town = _topic(rng), rng.choice(TOWNS)
    title = rng.choice((
        f"县政府召开{topic}工作推进会",
        f"县领导到{town}调研{topic}工作",
        f"{town}扎实推进{topic}",
        f"县政府常务会议研究部署{topic}等工作",
        f"{rng.choice(DEPARTMENTS)}赴{town}开展{topic}督导检查",
        f"{COUNTY}{topic}工作取得阶段性成效",
    ))
    paragraphs = [
        (f"{day.month}月{day.day}日，{title.replace('县', COUNTY, 1) if title.startswith('县') else title}。"
        f"会议传达学习了上级关于{topic}的决策部署，听取了有关部门和乡镇工作情况汇报。"),
        (f"会议指出，{topic}事关全县经济社会发展大局和人民群众切身利益，各乡镇、各部门要提高政治站位，"
        f"压实工作责任，确保各项任务落地见效。"),
        (f"会议要求，要坚持问题导向，聚焦{rng.choice(TOPICS)}等重点领域，建立工作台账，实行清单化管理，"
        f"对标对表抓好整改落实；要加强统筹协调，形成工作合力。"),
        f"县{rng.choice(('发展改革', '财政', '农业农村', '自然资源', '应急管理'))}等部门主要负责同志参加会议。",
    ]
    return Text(title, paragraphs, "news")


def notice(rng: random.Random, day: dt.date) -> Text:
    """通知公告: notices to departments and the public."""
    topic = _topic(rng)
    title = rng.choice((
        f"关于做好{day.year}年{topic}工作的通知",
        f"关于开展{topic}专项检查的通知",
        f"关于{rng.choice(HOLIDAYS)}期间做好{topic}工作的通知",
        f"关于征集{topic}意见建议的公告",
        f"关于{topic}有关事项的通告",
    ))
    paragraphs = [
        "各乡（镇）人民政府，县直各部门：",
        f"为深入贯彻落实上级关于{topic}的工作部署，切实做好{day.year}年相关工作，经县人民政府同意，现就有关事项通知如下。",
        f"一、提高思想认识。各单位要充分认识做好{topic}工作的重要性，主要负责同志亲自抓、负总责。",
        "二、明确工作任务。对照任务清单逐项落实，建立健全工作台账，按月报送工作进展情况。",
        "三、强化督促检查。县人民政府督查室将适时开展督查，对工作推进不力的单位予以通报。",
    ]
    return Text(title, paragraphs, "notice")


def gongshi(rng: random.Random, day: dt.date) -> Text:
    """公示: lists put up for public comment (the usual home of leaked personal data)."""
    subject = rng.choice(("城乡最低生活保障", "临时救助", "耕地地力保护补贴", "公租房保障对象",
                          "残疾人两项补贴", "脱贫人口小额信贷贴息"))
    title = f"关于{day.year}年第{rng.randint(1, 4)}批{subject}拟享受对象名单的公示"
    paragraphs = [
        f"根据有关规定，经本人申请、村（社区）评议、乡（镇）审核、县民政局审批，现将{subject}拟享受对象名单予以公示。",
        "公示期为7个工作日。公示期间，如有异议，请以书面形式向县民政局反映。",
        f"监督电话：{AREA_CODE}-{rng.randint(6100000, 6199999)}；政务服务便民热线：12345。",
    ]
    return Text(title, paragraphs, "gongshi")


def procurement(rng: random.Random, day: dt.date) -> Text:
    """招标采购: tender and award announcements."""
    project, dept = rng.choice(PROJECTS), rng.choice(DEPARTMENTS)
    stage = rng.choice(("公开招标公告", "竞争性磋商公告", "中标（成交）结果公告", "更正公告", "询价采购公告"))
    title = f"{COUNTY}{dept[1:]}{project}采购项目{stage}"
    amount = rng.randint(120_000, 9_800_000)
    paragraphs = [
        f"项目编号：QHCG-{day.year}-{rng.randint(1, 999):03d}",
        f"项目名称：{project}采购项目",
        f"预算金额：{amount:,}.00元（人民币{amount / 10000:.2f}万元）",
        "采购方式：" + ("公开招标" if "招标" in stage else "竞争性磋商"),
        (f"获取采购文件时间：{day.year}年{day.month}月{day.day}日至{(day + dt.timedelta(days=5)).month}月"
        f"{(day + dt.timedelta(days=5)).day}日，每天上午9:00至12:00，下午14:30至17:30。"),
        f"采购人：{COUNTY}{dept[1:]}，联系电话：{AREA_CODE}-{rng.randint(6100000, 6199999)}",
    ]
    return Text(title, paragraphs, "procurement")


def appointment(rng: random.Random, day: dt.date, names: list[str]) -> Text:
    """任免通知: personnel appointments (officials' names are public by design)."""
    title = f"{COUNTY}人民政府关于{names[0]}等同志职务任免的通知"
    paragraphs = ["各乡（镇）人民政府，县直各部门："]
    for name in names:
        post = rng.choice(DEPARTMENTS)[1:]
        paragraphs.append(f"任命{name}为{COUNTY}{post}{rng.choice(('副局长', '局长', '副主任', '主任'))}；")
    paragraphs.append(f"免去{names[-1]}的原任职务。")
    return Text(title, paragraphs, "appointment")


def recruitment(rng: random.Random, day: dt.date) -> Text:
    """人事信息: recruitment results."""
    title = rng.choice((f"{day.year}年{COUNTY}事业单位公开招聘工作人员拟聘用人员公示",
                        f"{day.year}年{COUNTY}公开招聘乡村医生考试成绩公告",
                        f"{COUNTY}{day.year}年公务员录用体检结果公告"))
    paragraphs = [
        f"根据《{COUNTY}{day.year}年事业单位公开招聘工作人员公告》，经笔试、面试、体检和考察，现将有关人员予以公示。",
        "公示期为7个工作日。对公示对象有异议的，可以电话、信函等方式向县人力资源和社会保障局反映。",
        f"联系电话：{AREA_CODE}-{rng.randint(6100000, 6199999)}",
    ]
    return Text(title, paragraphs, "recruitment")


def policy(rng: random.Random, day: dt.date) -> Text:
    """政策文件: the government's own documents (with 文号)."""
    topic = _topic(rng)
    title = rng.choice((
        f"{COUNTY}人民政府关于印发《{COUNTY}{topic}实施方案》的通知",
        f"{COUNTY}人民政府办公室关于印发《{COUNTY}{topic}工作方案》的通知",
        f"{COUNTY}人民政府关于进一步加强{topic}工作的意见",
        f"{COUNTY}人民政府关于印发《{COUNTY}{topic}管理办法》的通知",
    ))
    paragraphs = [
        "各乡（镇）人民政府，县直各委、办、局：",
        f"现将《{COUNTY}{topic}实施方案》印发给你们，请结合实际认真贯彻执行。",
        "一、总体要求",
        f"以提升{topic}水平为目标，坚持统筹兼顾、分类施策、稳步推进的原则，着力解决群众急难愁盼问题。",
        "二、主要任务",
        f"（一）健全工作机制。建立县级统筹、乡镇落实、部门协同的{topic}工作机制。",
        f"（二）强化要素保障。县财政每年安排专项资金{rng.randint(100, 900)}万元，用于{topic}相关工作。",
        "三、保障措施",
        "各乡镇、各部门要加强组织领导，细化工作措施，确保各项任务按期完成。本方案自印发之日起施行。",
    ]
    return Text(title, paragraphs, "policy")


def interpretation(rng: random.Random, day: dt.date) -> Text:
    """政策解读: explanations of a published policy."""
    topic = _topic(rng)
    title = rng.choice((f"《{COUNTY}{topic}实施方案》政策解读", f"图解：{COUNTY}{topic}工作方案",
                        f"一图读懂《{COUNTY}{topic}管理办法》"))
    paragraphs = [
        "一、出台背景",
        f"为贯彻落实上级关于{topic}的部署要求，结合我县实际，制定本方案。",
        "二、主要内容",
        f"方案明确了{topic}的目标任务、工作措施和保障机制，共分为总体要求、重点任务、保障措施三个部分。",
        "三、解读机关及联系方式",
        f"解读机关：{COUNTY}{rng.choice(DEPARTMENTS)[1:]}；联系电话：{AREA_CODE}-{rng.randint(6100000, 6199999)}",
    ]
    return Text(title, paragraphs, "interpretation")


def plan(rng: random.Random, day: dt.date) -> Text:
    """规划计划."""
    topic = _topic(rng)
    title = rng.choice((f"{COUNTY}{topic}“十五五”规划", f"{day.year}年{COUNTY}{topic}工作计划",
                        f"{COUNTY}{day.year}年国民经济和社会发展计划执行情况",
                        f"{COUNTY}国土空间总体规划（{day.year}—2035年）公示"))
    paragraphs = [
        f"本规划（计划）依据国家和省、市有关{topic}的部署编制，规划期为{day.year}年至{day.year + 4}年。",
        f"主要目标：到{day.year + 4}年，全县{topic}体系更加健全，主要指标达到全市平均水平。",
        "重点任务包括完善基础设施、培育市场主体、提升公共服务水平、强化要素保障等方面。",
    ]
    return Text(title, paragraphs, "plan")


def budget(rng: random.Random, day: dt.date) -> Text:
    """财政信息: budgets and final accounts."""
    dept = rng.choice(DEPARTMENTS)
    title = rng.choice((f"{COUNTY}{dept[1:]}{day.year}年部门预算公开", f"{COUNTY}{dept[1:]}{day.year - 1}年部门决算公开",
                        f"关于{COUNTY}{day.year - 1}年财政预算执行情况和{day.year}年财政预算草案的报告",
                        f"{COUNTY}{day.year}年“三公”经费预算公开说明"))
    total = rng.randint(5_000, 90_000)
    paragraphs = [
        f"{day.year}年收入预算{total:,}.00万元，其中一般公共预算拨款收入{total * 8 // 10:,}.00万元。",
        f"支出预算{total:,}.00万元，其中基本支出{total * 6 // 10:,}.00万元，项目支出{total * 4 // 10:,}.00万元。",
        f"“三公”经费预算{rng.randint(5, 60)}.{rng.randint(10, 99)}万元，比上年下降{rng.randint(1, 9)}.{rng.randint(0, 9)}%。",
    ]
    return Text(title, paragraphs, "budget")


def annual_report(rng: random.Random, year: int, issuer: str) -> Text:
    """信息公开年报 (with a flattened statistics line, as real reports come through)."""
    title = f"{issuer}{year}年政府信息公开工作年度报告"
    new, prev, answered = rng.randint(20, 150), rng.randint(0, 9), rng.randint(20, 150)
    paragraphs = [
        "一、总体情况",
        f"{year}年，{issuer}认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息{rng.randint(800, 3000)}条。",
        "二、主动公开政府信息情况",
        # Table cells concatenated without separators, as in real text exports of the statistics table.
        f"规章000行政规范性文件{rng.randint(1, 9)}0{rng.randint(10, 40)}行政许可{rng.randint(1000, 9999)}",
        "三、收到和处理政府信息公开申请情况",
        f"本年新收政府信息公开申请数量{new}00{new}上年结转政府信息公开申请数量{prev}00{prev}",
        f"予以公开{answered}00{answered}",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "一是部分栏目更新不够及时；二是政策解读形式较为单一。下一步，将加强栏目日常维护，丰富解读形式。",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
    return Text(title, paragraphs, "annual_report")


def org(rng: random.Random, dept: str) -> Text:
    """机构职能."""
    title = f"{COUNTY}{dept[1:]}主要职责和内设机构"
    paragraphs = [
        f"{COUNTY}{dept[1:]}是县人民政府工作部门，为正科级。",
        "主要职责：贯彻执行国家和省、市有关方针政策和法律法规；拟订本行业发展规划并组织实施；完成县委、县政府交办的其他任务。",
        f"内设机构：办公室、综合股、业务股、法规股。办公地址：{COUNTY}青禾镇政务中心{rng.randint(2, 9)}楼。",
        f"办公时间：工作日上午8:30—12:00，下午14:30—18:00。联系电话：{AREA_CODE}-{rng.randint(6100000, 6199999)}。",
    ]
    return Text(title, paragraphs, "org")


def service(rng: random.Random, item: str) -> Text:
    """办事服务: a service guide with the key elements."""
    title = f"{item}办事指南"
    paragraphs = [f"事项名称：{item}", "设定依据：《中华人民共和国行政许可法》及相关法律法规",
                  "申请条件：符合法律法规规定条件的申请人", "办理材料：申请表、身份证明材料（验原件）",
                  f"办理时限：承诺{rng.randint(1, 15)}个工作日", "收费标准：不收费",
                  f"办理地点：{COUNTY}政务服务中心一楼综合窗口", "咨询电话：12345"]
    return Text(title, paragraphs, "service")


def letter(rng: random.Random, day: dt.date) -> Text:
    """互动交流: a public message with the reply."""
    topic, town = _topic(rng), rng.choice(TOWNS)
    title = rng.choice((f"关于{town}{topic}问题的咨询", f"咨询{topic}政策", f"建议加快{town}{topic}"))
    paragraphs = [f"来信内容：您好，请问{town}的{topic}有关政策如何申请？", f"来信时间：{day:%Y-%m-%d}",
                  f"答复单位：{rng.choice(DEPARTMENTS)}", f"答复时间：{day + dt.timedelta(days=rng.randint(1, 5)):%Y-%m-%d}",
                  f"答复内容：您好！您反映的{topic}问题已收悉。经核实，相关政策可到{town}便民服务中心咨询办理。感谢您的关注！"]
    return Text(title, paragraphs, "letter")


KIND_MAKERS = {"news": news, "notice": notice, "gongshi": gongshi, "procurement": procurement,
               "recruitment": recruitment, "policy": policy, "interpretation": interpretation,
               "plan": plan, "budget": budget, "letter": letter}
