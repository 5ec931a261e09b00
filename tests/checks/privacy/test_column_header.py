"""A phone number in a table column headed 联系电话 is a phone number, however far below the header.

Tables reach the scanner as tab-separated lines (HTML tables and spreadsheets alike). Before
View.column_header, a 低保公示 row (name, ID, phone, address, amount) put its phone among figures and the
number went to 需人工复核 at 0.65: the foreign portal's held-out skins missed every table of phones.
"""

from __future__ import annotations

import random

from checks.privacy import synthetic
from checks.privacy.scanner import scan

RNG = random.Random(20261204)
REVIEW_BELOW = 0.8            # checks/privacy/__init__.py: a finding below this score is 需人工复核


def _rows(n: int, header: list[str], phone_column: int = 2) -> tuple[str, list[str]]:
    phones, lines = [], ["\t".join(header)]
    for _ in range(n):
        phone = synthetic.mobile(RNG)
        phones.append(phone)
        cells = [synthetic.person_name(RNG), synthetic.id18(RNG), phone, "城关镇东街村", str(RNG.randint(200, 900))]
        cells[2], cells[phone_column] = cells[phone_column], cells[2]
        lines.append("\t".join(cells))
    return "\n".join(lines), phones


def test_phones_under_a_phone_header_are_counted_far_below_it():
    intro = "经个人申请、入户调查、民主评议，拟将以下人员纳入城乡低保保障范围，现予以公示。\n"
    table, phones = _rows(40, ["姓名", "身份证号码", "联系电话", "家庭住址", "月保障金（元）"])
    hits = scan(intro + table, types=["mobile"])
    assert len(hits) == len(phones)
    assert all(h.score >= REVIEW_BELOW and "column_header" in h.how for h in hits[1:])
    assert {h.context_word for h in hits} == {"联系电话"}


def test_a_phone_shaped_figure_under_another_header_stays_for_review():
    header = ["乡镇", "户数", "资金（元）", "人数", "备注"]
    run = "1821" + "0000" + "183"                  # a flattened figure that reads as a mobile number
    lines = ["\t".join(header)] + [f"城关镇\t{RNG.randint(10, 99)}\t{run if i == 5 else RNG.randint(10**5, 10**6)}"
                                   f"\t{RNG.randint(10, 99)}\t{RNG.uniform(1, 9):.1f}" for i in range(10)]
    hits = scan("\n".join(lines), types=["mobile"], min_score=0.5)
    assert hits and all(h.score < REVIEW_BELOW and "column_header" not in h.how for h in hits)


def test_the_header_must_head_the_same_column():
    # 联系电话 heads column 2; the phone-shaped value sits in column 4 (an amount column headed 金额).
    lines = ["姓名\t身份证号码\t联系电话\t家庭住址\t金额"]
    for _ in range(6):
        lines.append(f"{synthetic.person_name(RNG)}\t{synthetic.id18(RNG)}\t0591-2{RNG.randint(100000, 999999)}"
                     f"\t城关镇\t{'1821' + '0000' + '183'}")
    hits = scan("\n".join(lines), types=["mobile"], min_score=0.5)
    assert all("column_header" not in h.how for h in hits)


def test_a_blank_line_ends_the_table():
    table, phones = _rows(3, ["姓名", "身份证号码", "联系电话", "家庭住址", "月保障金（元）"])
    body = table.split("\n", 1)[1]               # the rows without their header
    text = "联系电话\t另行通知\n\n" + body           # a header-like line above, but not of this table
    hits = scan(text, types=["mobile"], min_score=0.5)
    assert all("column_header" not in h.how for h in hits)


def test_a_long_table_is_walked_once_and_read_right():
    table, phones = _rows(3000, ["序号", "身份证号码", "手机号码", "住址", "金额"])
    hits = scan(table, types=["mobile"])
    assert len(hits) == 3000 and all(h.context_word == "手机号码" for h in hits)
