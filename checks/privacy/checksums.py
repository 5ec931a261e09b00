"""Check characters of the national numbering standards personal-data checks rely on.

GB 11643-1999 (公民身份号码): ISO 7064 MOD 11-2 over 17 digits, weights 2^(18-i) mod 11.
GB 32100-2015 (统一社会信用代码): MOD 31 over a 31-symbol alphabet, weights 3^(i-1) mod 31.
Luhn (ISO/IEC 7812) for bank card numbers.
"""

from __future__ import annotations

import datetime as dt
import operator

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(map(operator.mul, map(int, first17), ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def id_birth_date(number: str) -> dt.date | None:
    """The birth date embedded in an 18- or 15-digit ID number, or None if it is not a real date."""
    try:
        if len(number) == 18:
            return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if len(number) == 15:
            return dt.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return None
    return None


def is_valid_id18(number: str, today: dt.date | None = None) -> bool:
    """True for an 18-character ID with a real birth date (1900..today) and a correct check char."""
    if len(number) != 18 or not number[:17].isdigit() or number[0] == "0":
        return False
    birth = id_birth_date(number)
    if birth is None or birth.year < 1900 or birth > (today or dt.date.today()):
        return False
    return id_check_char(number[:17]) == number[17].upper()


def luhn_ok(digits: str) -> bool:
    """The Luhn check used by bank card numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """The digit that makes `partial + digit` pass the Luhn check."""
    for candidate in "0123456789":
        if luhn_ok(partial + candidate):
            return candidate
    raise ValueError(partial)


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character of a 统一社会信用代码."""
    total = sum(USCC_ALPHABET.index(char) * weight for char, weight in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    code = code.upper()
    if len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        return False
    return uscc_check_char(code[:17]) == code[17]
