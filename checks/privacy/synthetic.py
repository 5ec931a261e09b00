"""Synthetic personal data for the demo portal, tests and benchmarks — never real numbers.

ID numbers use the sequence block 000-099 with address codes of a fictional county layout, and
get a correct GB 11643 check character unless a broken one is asked for. Everything is drawn
from a caller's `random.Random`, so a seed reproduces the same people.
"""

from __future__ import annotations

import datetime as dt
import random

from checks.privacy.checksums import USCC_ALPHABET, id_check_char, luhn_check_digit, uscc_check_char

# Real province prefixes so the numbers look plausible; the 6-digit code as a whole is arbitrary.
_PROVINCE_PREFIXES = ("11", "13", "32", "35", "41", "44", "51", "53")
MOBILE_SEGMENTS = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181", "182",
                   "183", "186", "187", "188", "189", "191", "198", "199")
BANK_PREFIXES = ("622202", "622848", "621700", "622588", "623058", "621226")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"


def birth_date(rng: random.Random, start_year: int = 1940, end_year: int = 2005) -> dt.date:
    start = dt.date(start_year, 1, 1).toordinal()
    end = dt.date(end_year, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


def id18(rng: random.Random, valid: bool = True, born: dt.date | None = None) -> str:
    """An 18-digit ID; `valid=False` gives one whose check character is wrong."""
    area = rng.choice(_PROVINCE_PREFIXES) + f"{rng.randint(1, 99):02d}{rng.randint(1, 40):02d}"
    born = born or birth_date(rng)
    first17 = f"{area}{born:%Y%m%d}0{rng.randint(0, 99):02d}"
    check = id_check_char(first17)
    if not valid:
        check = rng.choice([c for c in "0123456789X" if c != check])
    return first17 + check


def id18_impossible_date(rng: random.Random) -> str:
    """18 digits with a correct check character but a birth date that does not exist (e.g. 02-30)."""
    area = rng.choice(_PROVINCE_PREFIXES) + f"{rng.randint(1, 99):02d}{rng.randint(1, 40):02d}"
    first17 = f"{area}{rng.randint(1950, 2000)}0230" + f"0{rng.randint(0, 99):02d}"
    return first17 + id_check_char(first17)


def id15(rng: random.Random) -> str:
    """A legacy 15-digit ID (6 + YYMMDD + 3, no check character)."""
    area = rng.choice(_PROVINCE_PREFIXES) + f"{rng.randint(1, 99):02d}{rng.randint(1, 40):02d}"
    born = birth_date(rng, 1930, 1979)
    return f"{area}{born:%y%m%d}0{rng.randint(0, 99):02d}"


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_SEGMENTS) + f"{rng.randint(0, 99_999_999):08d}"


def bank_card(rng: random.Random, valid: bool = True, length: int = 19) -> str:
    partial = rng.choice(BANK_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(length - 7))
    check = luhn_check_digit(partial)
    if not valid:
        check = str((int(check) + rng.randint(1, 9)) % 10)
    return partial + check


def uscc(rng: random.Random) -> str:
    """A 统一社会信用代码 with a correct GB 32100 check character (an organisation, not a person)."""
    body = rng.choice("159") + rng.choice("123") + f"{rng.randint(110000, 659999)}"
    body += "".join(rng.choice(USCC_ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    return body + uscc_check_char(body)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
