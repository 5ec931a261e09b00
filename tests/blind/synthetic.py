"""Synthetic personal data for the blind portal: numbers that pass every validator yet belong to nobody.

ID numbers follow GB 11643-1999 (6-digit region, birth date, 3-digit sequence, ISO 7064 MOD 11-2 check digit) with
the sequence drawn from 000-009, which registries never issue; bank cards are UnionPay-prefixed (62) 19-digit
numbers with a Luhn check digit; mobiles are 11 digits on real mobile prefixes. Nothing here is a real person's.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Real county codes of Hebei (130424 成安县, 130425 大名县, 130426 涉县) so that region checks accept them.
REGIONS = ("130424", "130425", "130426")
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "187", "188")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number(rng: random.Random) -> str:
    """An 18-digit resident ID with a valid birth date and check digit (sequence 000-009: never issued)."""
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}00{rng.randrange(10)}"
    return first17 + id_check_digit(first17)


def masked_id(rng: random.Random) -> str:
    """A properly masked ID as county notices print it: first 4 and last 4 kept, birth date hidden."""
    full = id_number(rng)
    return full[:4] + "*" * 10 + full[-4:]


def luhn_digit(body: str) -> str:
    total = 0
    for i, d in enumerate(reversed(body)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def bank_card(rng: random.Random) -> str:
    """A 19-digit UnionPay debit card number (BIN 621700, as rural credit and 建行 cards print) with Luhn digit."""
    body = "621700" + "".join(str(rng.randrange(10)) for _ in range(12))
    return body + luhn_digit(body)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(8))


def masked_mobile(rng: random.Random) -> str:
    full = mobile(rng)
    return full[:3] + "****" + full[-4:]


def person(rng: random.Random) -> str:
    """A name as anonymised samples write it (王某甲): a real surname, never a real full name."""
    return rng.choice(SURNAMES) + "某" + rng.choice("甲乙丙丁戊己庚辛")
