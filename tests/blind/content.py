"""Article titles and texts for the blind portal, by the kind of column they belong in.

Written from what county portals publish (the reference samples, real-columns.tsv, the 2019 指标's column
groups), not from the checks' word lists. Each maker returns (title, paragraphs, document number or "").
"""

from __future__ import annotations

import random

COUNTY = "青石县"
TOWNS = ("城关镇", "龙泉镇", "北河镇", "石门乡", "柳林乡", "东岗镇", "西营乡", "南湖镇")
TOPICS = ("秋冬季大气污染防治", "农村人居环境整治", "安全生产大检查", "冬季供暖保障", "高标准农田建设",
          "义务教育薄弱环节改善", "食品安全专项整治", "森林防火", "营商环境优化", "医保参保缴费",
          "秸秆禁烧", "城乡环境卫生", "河湖长制", "消防安全隐患排查", "农民工工资支付")
POLICY_SUBJECTS = ("农村集体经济组织财务管理办法", "城区停车管理办法", "政府投资项目管理办法", "重大行政决策程序规定",
                   "建设工程招标投标监督管理办法", "农村危房改造实施方案", "城乡居民基本医疗保险实施办法",
                   "突发事件应急预案管理办法", "行政规范性文件管理办法", "耕地保护责任目标考核办法",
                   "政府采购内部控制管理办法", "中小企业纾困帮扶若干措施")
LEADER_TITLES = ("县委常委、常务副县长", "副县长", "县委常委、副县长", "县政府党组成员")
OFFICES = ("县发展和改革局", "县教育局", "县民政局", "县财政局", "县人力资源和社会保障局", "县自然资源和规划局",
           "县住房和城乡建设局", "县农业农村局", "县卫生健康局", "县应急管理局", "县市场监督管理局")
PROJECTS = ("县人民医院医疗设备采购项目", "县第二中学教学楼改造工程", "城区道路照明提升工程", "县档案馆档案数字化服务项目",
            "乡镇污水处理站运维服务项目", "县职教中心实训设备采购项目")


def _date_cn(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def news(rng: random.Random, day, person: str) -> tuple[str, list[str], str]:
    town, topic = rng.choice(TOWNS), rng.choice(TOPICS)
    title = rng.choice((f"{person}到{town}调研{topic}工作", f"{COUNTY}召开{topic}工作推进会",
                        f"{town}扎实推进{topic}", f"{COUNTY}部署{topic}工作"))
    return title, [
        f"{_date_cn(day)}，{rng.choice(LEADER_TITLES)}{person}带领{rng.choice(OFFICES)}、{rng.choice(OFFICES)}负责同志，"
        f"深入{town}实地察看{topic}工作开展情况，听取乡镇和有关部门工作汇报。",
        f"{person}指出，做好{topic}工作事关人民群众切身利益，各级各部门要提高政治站位，压紧压实责任，"
        f"坚持问题导向，逐项抓好整改落实，确保各项任务按时保质完成。",
        f"{person}强调，要加强统筹协调，建立工作台账，定期调度通报，形成工作合力，以实际成效推动全县经济社会高质量发展。",
    ], ""


def notice(rng: random.Random, day, person: str) -> tuple[str, list[str], str]:
    topic = rng.choice(TOPICS)
    title = rng.choice((f"关于开展{topic}工作的通知", f"关于做好{topic}有关工作的通知", f"关于{topic}有关事项的公告"))
    return title, [
        "各乡镇人民政府，县直各部门：",
        f"为切实做好{topic}工作，根据上级有关要求，结合我县实际，现将有关事项通知如下：",
        f"一、工作时间。自{_date_cn(day)}起至年底。二、工作要求。各单位要明确专人负责，于每月5日前将工作进展情况"
        f"报送{rng.choice(OFFICES)}。三、联系方式。联系电话：0310-75{rng.randrange(10000, 99999)}。",
        f"{COUNTY}人民政府办公室",
        _date_cn(day),
    ], ""


def policy(rng: random.Random, day, seq: int) -> tuple[str, list[str], str]:
    subject = rng.choice(POLICY_SUBJECTS)
    number = f"青政办发〔{day.year}〕{seq}号"
    return f"{COUNTY}人民政府办公室关于印发《{COUNTY}{subject}》的通知", [
        "各乡（镇）人民政府，县政府各部门：",
        f"《{COUNTY}{subject}》已经县政府第{rng.randrange(20, 60)}次常务会议研究同意，现印发给你们，请认真贯彻执行。",
        f"第一条 为规范{subject[:-4]}工作，依据有关法律法规，结合本县实际，制定本办法。",
        "第二条 本办法适用于本县行政区域内的有关活动。县政府各部门按照职责分工做好相关工作。",
        f"第三条 本办法自{_date_cn(day)}起施行，有效期五年。",
    ], number


def interpretation(rng: random.Random, day, seq: int) -> tuple[str, list[str], str]:
    subject = rng.choice(POLICY_SUBJECTS)
    return f"《{COUNTY}{subject}》政策解读", [
        f"一、出台背景。为贯彻落实上级决策部署，进一步规范{subject[:-4]}工作，{rng.choice(OFFICES)}起草了《{COUNTY}{subject}》。",
        "二、主要内容。文件共分为总则、职责分工、工作程序、监督管理和附则五个部分，明确了适用范围和各部门职责。",
        "三、创新举措。一是简化办理流程；二是强化部门协同；三是加强事中事后监管。",
        f"四、解读机关及联系方式。解读机关：{rng.choice(OFFICES)}；联系电话：0310-75{rng.randrange(10000, 99999)}。",
    ], ""


def appointment(rng: random.Random, day, seq: int, person: str) -> tuple[str, list[str], str]:
    other = person[0] + "某" + rng.choice("乙丙丁")
    return f"{COUNTY}人民政府关于{person}等同志职务任免的通知", [
        "各乡镇人民政府，县政府各部门：",
        f"经县政府研究决定：任命{person}为{rng.choice(OFFICES)}副局长；任命{other}为{rng.choice(OFFICES)}副局长（试用期一年）；",
        f"免去{other}的{rng.choice(OFFICES)}副局长职务。",
        f"{COUNTY}人民政府",
        _date_cn(day),
    ], f"青政任〔{day.year}〕{seq}号"


def _project(rng: random.Random) -> str:
    project = rng.choice(PROJECTS)
    return COUNTY + project[1:] if project.startswith("县") else COUNTY + project


def tender(rng: random.Random, day, seq: int) -> tuple[str, list[str], str]:
    project = _project(rng)
    return f"{project}公开招标公告", [
        f"项目概况：{project}的潜在投标人应在{COUNTY}公共资源交易中心获取招标文件，并于{_date_cn(day)}9点30分前递交投标文件。",
        f"一、项目基本情况。项目编号：QSZC-{day.year}-{seq:03d}；采购方式：公开招标；预算金额：{rng.randrange(80, 900)}.00万元；"
        f"最高限价：同预算金额。",
        "二、申请人的资格要求：满足《中华人民共和国政府采购法》第二十二条规定；本项目不接受联合体投标。",
        "三、获取招标文件。时间：自本公告发布之日起5个工作日；方式：登录公共资源交易平台免费下载。",
        f"四、对本次招标提出询问，请按以下方式联系。采购人：{COUNTY}{rng.choice(OFFICES)[1:]}；"
        f"采购代理机构：河北某某招标代理有限公司，联系电话：0310-75{rng.randrange(10000, 99999)}。",
    ], ""


def annual_report(year: int) -> tuple[str, list[str], str]:
    return f"{COUNTY}人民政府{year}年政府信息公开工作年度报告", [
        f"本报告依据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息"
        f"公开工作年度报告格式〉的通知》要求编制，报告中所列数据统计期限自{year}年1月1日起至{year}年12月31日止。",
        f"一、总体情况。{year}年，{COUNTY}人民政府坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。",
        "二、主动公开政府信息情况。（见统计表）",
        "三、收到和处理政府信息公开申请情况。（见统计表）",
        "四、政府信息公开行政复议、行政诉讼情况。（见统计表）",
        "五、存在的主要问题及改进情况。一是部分栏目更新不够及时；二是政策解读形式较为单一。下一步将加强督促检查。",
        "六、其他需要报告的事项。本年度未收取信息处理费。",
    ], ""


def procurement_result(rng: random.Random, day, seq: int) -> tuple[str, list[str], str]:
    project = _project(rng)
    return f"{project}中标（成交）结果公告", [
        f"一、项目编号：QSZC-{day.year}-{seq:03d}。二、项目名称：{project}。",
        f"三、中标（成交）信息：供应商名称：河北某某建设工程有限公司；中标（成交）金额：{rng.randrange(60, 800)}.50万元。",
        "四、公告期限：自本公告发布之日起1个工作日。",
    ], ""
