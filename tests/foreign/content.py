"""Synthetic content for the foreign portal: titles, bodies and personal data, all generated from a seed.

Personal data is invented: ID numbers get a GB 11643 check digit computed here (never a pasted value),
names are 某-style placeholders, phone numbers are random within real mobile prefixes.
"""

from __future__ import annotations

import datetime as dt
import random

TOWNS = ("青石镇", "白沙乡", "东岭镇", "南溪街道", "石门乡", "枫林镇", "桐溪乡", "北坪镇")
TOPICS = ("秋冬季森林防火", "农村人居环境整治", "安全生产大检查", "城乡居民医疗保险参保", "高标准农田建设",
          "义务教育招生入学", "冬春火灾防控", "粮食生产", "河湖长制", "农村饮水安全", "城镇燃气安全",
          "校园食品安全", "消费帮扶", "文明城市创建", "防汛抗旱", "耕地保护", "营商环境优化", "就业创业服务")
DEPARTMENTS = ("县发展和改革局", "县教育局", "县农业农村局", "县应急管理局", "县卫生健康局", "县民政局",
               "县住房和城乡建设局", "县市场监督管理局", "县人力资源和社会保障局", "县生态环境分局")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"

# GB 11643-1999: weights of the 17 body digits, and the check character for (sum mod 11).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_REGIONS = ("350128", "350181", "130423", "130481", "610322", "511304")


def id_check_char(body17: str) -> str:
    """The GB 11643 check character of a 17-digit body."""
    return _CHECK[sum(int(d) * w for d, w in zip(body17, _WEIGHTS, strict=True)) % 11]


def synthetic_id(rng: random.Random) -> str:
    """An 18-character resident ID of an invented person: real region and birth date, valid check digit."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    body = f"{rng.choice(_REGIONS)}{birth:%Y%m%d}{rng.randrange(1, 999):03d}"
    return body + id_check_char(body)


def synthetic_mobile(rng: random.Random) -> str:
    """A mobile number in an allocated segment (13x, 15x, 17x, 18x; 154 is unallocated and becomes 155, without
    another draw, so every other value a seed gives stays where it was)."""
    segment = f"1{rng.choice('3578')}{rng.randrange(0, 10)}"
    return ("155" if segment == "154" else segment) + f"{rng.randrange(0, 10**8):08d}"


def masked_id(value: str) -> str:
    """The masking a county notice prescribes: first 2 and last 3 characters kept (35*************123)."""
    return value[:2] + "*" * 13 + value[-3:]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "某" + rng.choice("甲乙丙丁戊己庚辛")


def paragraphs(rng: random.Random, county: str, topic: str, n: int = 4) -> list[str]:
    """Plain administrative prose about one topic (no dates, no numbers that look personal)."""
    pool = [
        f"为深入推进{topic}工作，{county}坚持问题导向，压实属地责任，各乡镇、各部门按照职责分工抓好落实。",
        f"会议强调，要充分认识做好{topic}工作的重要意义，细化工作措施，确保各项任务落地见效。",
        f"{rng.choice(TOWNS)}结合实际制定工作方案，组织人员逐村逐户开展排查，建立问题台账，实行销号管理。",
        f"下一步，{county}将持续加强统筹协调，强化督促检查，推动{topic}工作常态化、长效化。",
        "各责任单位要加强信息报送，及时总结推广经验做法，对工作中发现的问题限期整改到位。",
        f"{rng.choice(DEPARTMENTS)}有关负责同志介绍了{topic}工作进展情况，并对下阶段工作作出安排。",
    ]
    rng.shuffle(pool)
    return pool[:n]
