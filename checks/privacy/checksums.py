"""Check characters of the national numbering standards personal-data checks rely on.

GB 11643-1999 (公民身份号码): ISO 7064 MOD 11-2 over 17 digits, weights 2^(18-i) mod 11.
GB 32100-2015 (统一社会信用代码): MOD 31 over a 31-symbol alphabet, weights 3^(i-1) mod 31.
Luhn (ISO/IEC 7812) for bank card numbers.

Each check has two implementations. The `*_reference` functions spell the standard out digit by
digit; they are the definition, and tests compare the fast ones against them. The public functions
give the same answer from precomputed tables (weighted sums of 3-digit chunks, a set of valid month-
days), because the scanner validates tens of thousands of candidates per megabyte of dense text and
the digit-by-digit loops were the largest share of its time. A value the tables do not cover (non-
ASCII digits, unusual lengths) goes to the reference function, so every input gets the same answer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import operator
import time

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


def is_valid_id18_reference(number: str, today: dt.date | None = None) -> bool:
    """True for an 18-character ID with a real birth date (1900..today) and a correct check char."""
    if len(number) != 18 or not number[:17].isdigit() or number[0] == "0":
        return False
    birth = id_birth_date(number)
    if birth is None or birth.year < 1900 or birth > (today or dt.date.today()):
        return False
    return id_check_char(number[:17]) == number[17].upper()


def luhn_ok_reference(digits: str) -> bool:
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


def is_valid_uscc_reference(code: str) -> bool:
    """True for an 18-character 统一社会信用代码 with a correct GB 32100 check character."""
    code = code.upper()
    if len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def _chunk_table(weights: tuple[int, ...], modulus: int) -> dict[str, int]:
    """Every digit string of len(weights) mapped to its weighted digit sum mod `modulus`."""
    width = len(weights)
    return {f"{n:0{width}d}": sum(int(d) * w for d, w in zip(f"{n:0{width}d}", weights)) % modulus
            for n in range(10 ** width)}


# GB 11643 weighted sums of the 17 digits in chunks [0:3] [3:6] [6:9] [9:12] [12:15] [15:17].
_ID_CHUNKS = tuple(_chunk_table(ID_WEIGHTS[i:i + 3], 11) for i in range(0, 17, 3))
# GB 32100 weighted sums of an all-digit code's 17 characters, same chunks.
_USCC_CHUNKS = tuple(_chunk_table(USCC_WEIGHTS[i:i + 3], 31) for i in range(0, 17, 3))
# Luhn over a number left-padded with zeros to 21 digits (zeros add nothing): counting from the
# right, every second digit is doubled, so in 3-digit chunks starting at even indexes the middle digit
# is doubled and in chunks starting at odd indexes the outer two are.
_LUHN_WIDTH = 21
_DOUBLED = tuple((2 * d if d < 5 else 2 * d - 9) for d in range(10))
_LUHN_MIDDLE = {f"{n:03d}": (n // 100) + _DOUBLED[n // 10 % 10] + n % 10 for n in range(1000)}
_LUHN_OUTER = {f"{n:03d}": _DOUBLED[n // 100] + (n // 10 % 10) + _DOUBLED[n % 10] for n in range(1000)}
# Month-day strings of real dates; 0229 also needs a leap year.
_MONTH_DAYS = frozenset(f"{m:02d}{d:02d}" for m in range(1, 13) for d in range(1, calendar.monthrange(2000, m)[1] + 1))


@functools.lru_cache(maxsize=8)
def _date_key(day: dt.date) -> str:
    """'YYYYMMDD' of a date, comparable as a string with the birth-date digits of an ID."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


_today: list = [0.0, ""]                 # [local midnight ending the day, that day's 'YYYYMMDD']


def _today_key() -> str:
    """_date_key(dt.date.today()), recomputed only after local midnight: date.today() costs more
    than the rest of an ID check, and the scanner checks thousands of IDs a second."""
    if time.time() >= _today[0]:
        day = dt.date.today()
        _today[:] = [dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).timestamp(), _date_key(day)]
    return _today[1]


def is_valid_id18(number: str, today: dt.date | None = None) -> bool:
    """True for an 18-character ID with a real birth date (1900..today) and a correct check char
    (same answers as is_valid_id18_reference, from tables)."""
    if len(number) != 18 or not number.isascii():
        return is_valid_id18_reference(number, today)
    if not number[:17].isdigit() or number[0] == "0":
        return False
    birth = number[6:14]
    month_day = number[10:14]
    if birth < "1900" or month_day not in _MONTH_DAYS or month_day == "0229" and not calendar.isleap(int(birth[:4])):
        return False
    if birth > (_date_key(today) if today else _today_key()):
        return False
    chunks = _ID_CHUNKS
    total = (chunks[0][number[0:3]] + chunks[1][number[3:6]] + chunks[2][number[6:9]] + chunks[3][number[9:12]]
             + chunks[4][number[12:15]] + chunks[5][number[15:17]])
    return ID_CHECK_CHARS[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    """The Luhn check used by bank card numbers (same answers as luhn_ok_reference, from tables)."""
    if len(digits) > _LUHN_WIDTH or not digits.isascii():
        return luhn_ok_reference(digits)
    if not digits.isdigit():
        return False
    padded = digits.rjust(_LUHN_WIDTH, "0")
    total = (_LUHN_MIDDLE[padded[0:3]] + _LUHN_OUTER[padded[3:6]] + _LUHN_MIDDLE[padded[6:9]]
             + _LUHN_OUTER[padded[9:12]] + _LUHN_MIDDLE[padded[12:15]] + _LUHN_OUTER[padded[15:18]]
             + _LUHN_MIDDLE[padded[18:21]])
    return total % 10 == 0


def is_valid_uscc(code: str) -> bool:
    """True for a valid 统一社会信用代码; all-digit codes (the ones an ID look-alike can be) from
    tables, everything else through is_valid_uscc_reference."""
    if len(code) != 18 or not code.isascii() or not code[:17].isdigit():
        return is_valid_uscc_reference(code)
    chunks = _USCC_CHUNKS
    total = (chunks[0][code[0:3]] + chunks[1][code[3:6]] + chunks[2][code[6:9]] + chunks[3][code[9:12]]
             + chunks[4][code[12:15]] + chunks[5][code[15:17]])
    return USCC_ALPHABET[(31 - total % 31) % 31] == code[17].upper()


# Vectorised forms for the scanner, which checks every ID-shaped candidate of a document together:
# one numpy pass over an (n, 18) array of digit bytes instead of n Python calls. A numpy pass costs
# ~35 µs whatever its size, so batches smaller than NUMPY_BATCH (a web page's handful) use the tables.
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
NUMPY_BATCH = 48


def valid_id18_many(numbers: list[str], today: dt.date | None = None) -> list[bool]:
    """is_valid_id18 of each number; the 18-character ASCII ones are checked at once with numpy."""
    if len(numbers) < NUMPY_BATCH:
        return _valid_id18_loop(numbers, today)
    result = [False] * len(numbers)
    batch = []
    for position, number in enumerate(numbers):
        if len(number) == 18 and number.isascii():
            batch.append(position)
        else:
            result[position] = is_valid_id18(number, today)
    if batch:
        import numpy as np  # deferred: only the scanner's batch checks need it

        rows = np.frombuffer("".join([numbers[p] for p in batch]).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        for position, ok in zip(batch, _id18_rows_ok(np, rows, today).tolist()):
            result[position] = ok
    return result


def _valid_id18_loop(numbers: list[str], today: dt.date | None) -> list[bool]:
    """is_valid_id18 of each number, its body inlined in one loop: a page holds a handful of
    candidates, too few for numpy, and two function calls per value were half the cost of a check."""
    latest = _date_key(today) if today else _today_key()
    c0, c1, c2, c3, c4, c5 = _ID_CHUNKS
    month_days, check_chars = _MONTH_DAYS, ID_CHECK_CHARS
    result = []
    for number in numbers:
        if len(number) != 18 or not number.isascii():
            result.append(is_valid_id18_reference(number, today))
            continue
        month_day = number[10:14]
        result.append(
            number[:17].isdigit() and number[0] != "0" and "1900" <= number[6:14] <= latest
            and month_day in month_days and (month_day != "0229" or calendar.isleap(int(number[6:10])))
            and check_chars[(c0[number[0:3]] + c1[number[3:6]] + c2[number[6:9]] + c3[number[9:12]]
                             + c4[number[12:15]] + c5[number[15:17]]) % 11] == number[17].upper())
    return result


def _id18_rows_ok(np, rows, today: dt.date | None):
    """GB 11643 validity of each row of 18 ASCII bytes: 17 digits not starting with 0, a real birth
    date from 1900 to today, and the check character (an 'x' counts as 'X')."""
    digits = rows[:, :17].astype(np.int64) - 48
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1) & (digits[:, 0] != 0)
    year = digits[:, 6] * 1000 + digits[:, 7] * 100 + digits[:, 8] * 10 + digits[:, 9]
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = np.array(_DAYS_IN_MONTH)[np.clip(month, 0, 12)] + (leap & (month == 2))
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= days) & (year >= 1900)
    ok &= year * 10000 + month * 100 + day <= int(_date_key(today) if today else _today_key())
    check = np.frombuffer(ID_CHECK_CHARS.encode(), dtype=np.uint8)[(digits @ np.array(ID_WEIGHTS)) % 11]
    last = rows[:, 17]
    last = np.where((last >= 97) & (last <= 122), last - 32, last)
    return ok & (check == last)


def luhn_ok_many(numbers: list[str]) -> list[bool]:
    """luhn_ok of each number; digit strings of up to 21 ASCII digits are checked at once with numpy."""
    if len(numbers) < NUMPY_BATCH:
        return [luhn_ok(number) for number in numbers]
    result = [False] * len(numbers)
    batch = []
    for position, number in enumerate(numbers):
        if len(number) <= _LUHN_WIDTH and number.isascii() and number.isdigit():
            batch.append(position)
        else:
            result[position] = luhn_ok(number)
    if batch:
        import numpy as np

        padded = "".join([numbers[p].rjust(_LUHN_WIDTH, "0") for p in batch]).encode("ascii")
        digits = np.frombuffer(padded, dtype=np.uint8).reshape(-1, _LUHN_WIDTH).astype(np.int64) - 48
        # Counting from the right end (index 20), odd indexes are doubled.
        total = digits[:, 0::2].sum(axis=1) + np.array(_DOUBLED)[digits[:, 1::2]].sum(axis=1)
        for position, ok in zip(batch, (total % 10 == 0).tolist()):
            result[position] = ok
    return result
