"""The scanner's fast validation gives exactly the answers of the plain code it replaced (issue 15 item 4).

Oracles: the `*_reference` checksum functions and `ReferenceView` (checks/privacy/reference.py), the
digit-by-digit and one-search-per-call code as it was. Dense generated text is scanned with the fast
validation and with the plain one, and every hit is compared (same hits, same order, same fields);
the hyperscan engine with fast validation is also compared against the `re` engine with the plain one,
the whole pipeline as it was. The pieces (checksums, batch checks, context windows, full-width runs)
are compared directly on generated inputs, bad ones included.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.privacy import checksums, mask, synthetic
from checks.privacy import scanner as scanner_module
from checks.privacy.mask import compact
from checks.privacy.normalize import normalise, scan_buffer
from checks.privacy.recognizers import View
from checks.privacy.recognizers.address import CONTEXT_WORDS as ADDRESS_WORDS
from checks.privacy.recognizers.bank_card import CONTEXT_WORDS as BANK_WORDS
from checks.privacy.recognizers.base import AMOUNT_AFTER, NEGATIVE_WORDS, common_prune
from checks.privacy.recognizers.id_card import CONTEXT_WORDS as ID_WORDS
from checks.privacy.recognizers.id_card import visible_spans
from checks.privacy.recognizers.mobile import CONTEXT_WORDS as PHONE_WORDS
from checks.privacy.reference import ReferenceView, reference_validation
from checks.privacy.scanner import Scanner

ENGINES = ["regex"] + (["hyperscan"] if scanner_module.hyperscan is not None else [])
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
FILLER = ("关于", "做好", "工作", "的通知", "各乡镇", "公示", "名单", "乡村振兴", "如下", "特此", "附件", "2023年",
          "12月31日", "示政发〔2023〕12号", "索引号：000014348/2020-35147", "编号", "订单", "金额", "合计", "元", "号",
          "电话", "手机", "身份证", "证件号码", "开户行", "银行", "信用代码", "准考证号", "家住", "住址", "\n", " ",
          "\u3000", "\u00a0", "Tel", "ＴＥＬ", "护照", "12.5", "3.14", "%", "，", "。")


def dense_text(seed: int, items: int) -> str:
    """Chinese text with a value or a look-alike every few words: every rendering the scanner handles
    (plain, spaced, wrapped, full-width, prefixed, masked, spreadsheet numbers) and what must be pruned."""
    rng = random.Random(seed)
    parts = []
    for _ in range(items):
        parts.append("".join(rng.choice(FILLER) for _ in range(rng.randint(0, 5))))
        value, phone, card = synthetic.id18(rng), synthetic.mobile(rng), synthetic.bank_card(rng)
        parts.append(rng.choice([
            value, f"{value[:6]} {value[6:14]} {value[14:]}", f"{value[:13]}\n{value[13:]}", value.translate(FULL_WIDTH),
            value[:17] + "x" if value.endswith("X") else value, synthetic.id18(rng, valid=False),
            synthetic.id18_impossible_date(rng), synthetic.id15(rng), f"{value[:15]}000", f"{value[0]}.{value[1:15]}E+17",
            f"{value[:10]}****{value[14:]}", f"{value[:2]}*************{value[15:]}", synthetic.uscc(rng),
            phone, f"+86{phone}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", f"0591-{rng.randint(1000000, 9999999)}",
            card, synthetic.bank_card(rng, valid=False), synthetic.bank_card(rng, length=16),
            " ".join(re.findall(".{1,4}", card)), f"{card[:9]}\n{card[9:]}", f"E{rng.randint(10**7, 10**8 - 1)}",
            f"{rng.randint(10**14, 10**25)}", f"{rng.randint(1, 999)}.{rng.randint(10**10, 10**12)}",
            "某某镇某某村3组12号", f"{rng.randint(1000, 99999)}元", "35**************"]))
    return "".join(parts)


def _hits(scanner: Scanner, texts: list[str], **options) -> list[list[tuple]]:
    return [[dataclasses.astuple(hit) for hit in scanner.scan(text, salt=b"oracle", **options)] for text in texts]


OPTIONS = [dict(min_score=0.6, spreadsheet=False), dict(), dict(spreadsheet=True, types=["id_card", "bank_card"])]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("options", OPTIONS, ids=["prose", "masking", "spreadsheet"])
def test_fast_validation_gives_every_hit_of_the_reference(engine: str, options: dict):
    text = dense_text(15, 3000)
    texts = [text, *[text[i:i + 700] for i in range(0, 21000, 700)]]       # one buffer, and page-sized documents
    scanner = Scanner(engine=engine)
    fast = _hits(scanner, texts, **options)
    with reference_validation():
        plain = _hits(scanner, texts, **options)
    assert fast == plain
    assert sum(map(len, fast)) > 600 and len({hit[0] for hit in fast[0]}) >= 2    # the text is dense and varied
    assert _hits(scanner, texts, **options) == fast                                # the swap is undone


@pytest.mark.skipif(scanner_module.hyperscan is None, reason="hyperscan not installed")
@pytest.mark.parametrize("options", OPTIONS, ids=["prose", "masking", "spreadsheet"])
def test_hyperscan_with_fast_validation_matches_the_old_pipeline(options: dict):
    """Right-bounded patterns, full-width runs in slices, batched validation, candidates made in the
    engine's callback from the patterns a scan allows, join plans: against `re` + plain code."""
    texts = [dense_text(seed, 800) for seed in (3, 4)]
    fast = _hits(Scanner(engine="hyperscan"), texts, **options)
    with reference_validation():
        old = _hits(Scanner(engine="re"), texts, **options)
    assert fast == old


SPLIT_SEPARATORS = (" ", "  ", "-", " - ", "\t", "\n", "\r\n", "\u00a0", "     ", "\u3000")
SPLIT_EDGES = ("", "，", "号", "a", "A", "1.", ".5", "3", "0", "-", "\n", "身份证 ", "手机：", "卡号", "（", "〔", "+86 ")


def split_numbers_text(seed: int, items: int) -> str:
    """Digit runs split every way the join plans must tell apart: real IDs, phones and cards in their
    usual groupings, the same groupings of random digits, X and '*' inside and at the ends of groups,
    runs longer than a remembered plan, separators the joins refuse, and neighbours that close a run
    (letters, decimal points, digits beyond a 5-space gap)."""
    rng = random.Random(seed)
    parts = []
    for _ in range(items):
        value = rng.choice([synthetic.id18(rng), synthetic.mobile(rng), synthetic.bank_card(rng),
                            synthetic.id15(rng), synthetic.id18(rng, valid=False),
                            "".join(rng.choice("0123456789") for _ in range(rng.randint(8, 24))),
                            "".join(rng.choice("0123456789*") for _ in range(18)),
                            "".join(rng.choice("0123456789") for _ in range(17)) + rng.choice("Xx")])
        cuts = sorted(rng.sample(range(1, len(value)), k=min(len(value) - 1, rng.randint(1, 5))))
        if len(value) in (11, 18) and rng.random() < 0.5:    # the usual groupings: 3-4-4, 6-8-4
            cuts = [3, 7] if len(value) == 11 else [6, 14]
        pieces = [value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)])]
        run = pieces[0]
        for piece in pieces[1:]:
            run += rng.choice(SPLIT_SEPARATORS) + piece
        if rng.random() < 0.1:                          # a run longer than a remembered plan
            run = " ".join([run] * rng.randint(3, 6))
        parts.append(rng.choice(SPLIT_EDGES) + run + rng.choice(SPLIT_EDGES) + rng.choice(FILLER))
    return "".join(parts)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("options", OPTIONS + [dict(types=["mobile"])], ids=["prose", "masking", "spreadsheet", "mobile"])
def test_split_numbers_join_as_the_plain_enumeration_does(engine: str, options: dict):
    """Join plans remembered per run skeleton, joined values validated once: the same hits as every
    grouping enumerated and validated per value (reference.plain_joined), one text and page-sized pieces."""
    texts = [split_numbers_text(seed, 1500) for seed in (21, 22)]
    texts += [texts[0][i:i + 500] for i in range(0, 20000, 500)]
    scanner = Scanner(engine=engine)
    fast = _hits(scanner, texts, **options)
    with reference_validation():
        plain = _hits(scanner, texts, **options)
    assert fast == plain
    joined = [hit for doc in fast for hit in doc if hit[10].startswith(("spaced", "wrapped"))]
    expected = {"id_card", "mobile"} & set(options.get("types", ["id_card", "mobile"]))
    assert len(joined) > (50 if "types" in options else 150) and {hit[0] for hit in joined} >= expected


@pytest.mark.skipif(scanner_module.hyperscan is None, reason="hyperscan not installed")
@pytest.mark.parametrize("options", OPTIONS + [dict(types=["mobile"])], ids=["prose", "masking", "spreadsheet", "mobile"])
def test_hyperscan_digit_chains_join_as_separator_reports_do(options: dict):
    """Hyperscan reports each chain of digit groups once, at its first digit; `re` reports every
    separator and the join walks back to the run's start: the same hits, split numbers of every shape."""
    texts = [split_numbers_text(seed, 1500) for seed in (23, 24)]
    texts += [texts[0][i:i + 500] for i in range(0, 20000, 500)]
    fast = _hits(Scanner(engine="hyperscan"), texts, **options)
    with reference_validation():
        old = _hits(Scanner(engine="re"), texts, **options)
    assert fast == old
    assert sum(hit[10].startswith(("spaced", "wrapped")) for doc in fast for hit in doc) > 50


def _runs(norm: str, positions: list[int], run_starts: bool) -> list[tuple[int, int]]:
    """The runs Scanner._joined goes on to plan, from separator positions or from run starts."""
    runs, done_until = [], -1
    for pos in positions:
        if pos < done_until:
            continue
        start = pos if run_starts else scanner_module._run_start(norm, pos)
        done_until = scanner_module._RUN.match(norm, start).end()
        if done_until - start >= 11:
            runs.append((start, done_until))
    return runs


CHAIN_ALPHABET = "0123456789" * 3 + "***XXx   --\t\r\n\n.a。"


@pytest.mark.skipif(scanner_module.hyperscan is None, reason="hyperscan not installed")
@SETTINGS
@given(text=st.text(alphabet=CHAIN_ALPHABET, max_size=80))
def test_digit_chain_reports_start_the_runs_separator_reports_do(text: str):
    norm = normalise(text)
    buf = scan_buffer(norm)
    scanner = _hyperscan_scanner()
    chains = [start for pid, start, _ in scanner.raw_matches(buf) if pid == scanner.sep_id]
    separators = [m.start() for m in re.finditer(scanner_module._SEP_PATTERN.encode(), buf)]
    assert chains == sorted(set(chains))                    # one report per chain, in order
    assert _runs(norm, chains, True) == _runs(norm, separators, False)


# -- the pieces --------------------------------------------------------------------------------------

def _outcome(function, *args):
    """A function's result, or the exception type it raised (the reference may raise on odd digits)."""
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 - any exception must be the same one
        return type(error)


ODD = "0123456789Xx*-² ٣०"          # digits, check letters, mask, and Unicode digits int() does or does not take


@st.composite
def id_like(draw) -> str:
    """18-ish characters: a province, a drawn (possibly impossible or future) date, any check char."""
    born = draw(st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2200, 12, 31)))
    date = born.strftime("%Y%m%d") if draw(st.booleans()) else draw(st.sampled_from(["19000229", "20000229",
                                                                                      "20230229", "19991301",
                                                                                      "19990100", "00000101"]))
    tail = draw(st.text(alphabet="0123456789", min_size=3, max_size=3)) + draw(st.sampled_from(list("0123456789Xx")))
    number = draw(st.sampled_from(["35", "11", "06", "99"])) + draw(st.text("0123456789", min_size=4, max_size=4))
    number += date + tail
    if draw(st.booleans()):
        number = number[:17] + checksums.id_check_char(number[:17])
    return number


@SETTINGS
@given(number=st.one_of(id_like(), st.text(alphabet=ODD, min_size=0, max_size=20)),
       today=st.one_of(st.none(), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 1, 1))))
def test_id_check_equals_the_reference(number: str, today):
    expected = _outcome(checksums.is_valid_id18_reference, number, today)
    assert _outcome(checksums.is_valid_id18, number, today) == expected
    for size in (1, 60):                          # the table path and the numpy path
        assert _outcome(checksums.valid_id18_many, [number] * size, today) in ([expected] * size, expected)


def test_id_batch_equals_the_reference_on_generated_ids():
    rng = random.Random(11)
    numbers = [synthetic.id18(rng, valid=rng.random() < 0.7) for _ in range(3000)]
    numbers += [synthetic.id18_impossible_date(rng) for _ in range(200)] + ["", "x" * 18, "123", "３" * 18]
    numbers += [n[:17] + "x" for n in numbers[:300] if n.endswith("X")] + [f"{n[:6]}2999{n[10:]}" for n in numbers[:50]]
    expected = [checksums.is_valid_id18_reference(n) for n in numbers]
    assert checksums.valid_id18_many(numbers) == expected
    assert [checksums.is_valid_id18(n) for n in numbers] == expected
    assert sum(expected) > 1500 and any(n.endswith("x") and ok for n, ok in zip(numbers, expected))


@SETTINGS
@given(digits=st.one_of(st.text(alphabet="0123456789", max_size=25), st.text(alphabet=ODD, max_size=22)))
def test_luhn_equals_the_reference(digits: str):
    expected = _outcome(checksums.luhn_ok_reference, digits)
    assert _outcome(checksums.luhn_ok, digits) == expected
    for size in (1, 60):
        assert _outcome(checksums.luhn_ok_many, [digits] * size) in ([expected] * size, expected)


def test_luhn_batch_equals_the_reference_on_generated_cards():
    rng = random.Random(12)
    cards = [synthetic.bank_card(rng, valid=rng.random() < 0.5, length=rng.randint(12, 21)) for _ in range(3000)]
    cards += ["", "0", "00000000000000000000000", "4" * 30]
    assert checksums.luhn_ok_many(cards) == [checksums.luhn_ok_reference(c) for c in cards]
    assert 1000 < sum(checksums.luhn_ok_many(cards)) < 2500


@SETTINGS
@given(code=st.one_of(st.text(alphabet="0123456789", min_size=17, max_size=19),
                      st.text(alphabet=checksums.USCC_ALPHABET + "abcxyzIO-", min_size=16, max_size=19)))
def test_uscc_check_equals_the_reference(code: str):
    assert checksums.is_valid_uscc(code) == checksums.is_valid_uscc_reference(code)
    body = code[:17]
    if len(body) == 17 and all(ch in checksums.USCC_ALPHABET for ch in body):
        valid = body + checksums.uscc_check_char(body)
        assert checksums.is_valid_uscc(valid) and checksums.is_valid_uscc(valid.lower()) == \
            checksums.is_valid_uscc_reference(valid.lower())


WORD_PIECES = ("身份证号码", "身份证", "证号", "号码", "手机", "电话", "联系电话", "编号", "订单", "单号", "银行",
               "开户", "账号", "家庭住址", "住址", "家住", "地", "住", "号", "，", "1", "Tel", "\n", "的")


@SETTINGS
@given(pieces=st.lists(st.sampled_from(WORD_PIECES), max_size=40),
       words=st.sampled_from([ID_WORDS, PHONE_WORDS, BANK_WORDS, ADDRESS_WORDS, NEGATIVE_WORDS, ("",), ()]),
       span=st.sampled_from([0, 3, 12, 30]))
def test_context_lookups_equal_the_reference(pieces: list[str], words: tuple[str, ...], span: int):
    text = "".join(pieces)
    fast, plain = View(text, span), ReferenceView(text, span)
    assert fast.in_document(words) == plain.in_document(words)
    for start in range(len(text) + 1):
        assert fast.distance_before(start, words, span) == plain.distance_before(start, words, span)
        for end in (start, min(len(text), start + 2)):
            assert fast.near(start, end, words) == plain.near(start, end, words)
            assert fast.near(start, end, words, before_only=True) == plain.near(start, end, words, before_only=True)


FW_ALPHABET = "０１９ＡＺａｚ＊＋－０9aZ，。号\u3000\u00a0 \n\U0001f600一"


@functools.cache
def _hyperscan_scanner() -> Scanner:
    return Scanner(engine="hyperscan")


@pytest.mark.skipif(scanner_module.hyperscan is None, reason="hyperscan not installed")
@SETTINGS
@given(text=st.text(alphabet=FW_ALPHABET, max_size=60), chunk=st.sampled_from([1, 2, 3, 7, 1 << 16]))
def test_fullwidth_runs_in_slices_equal_the_regex_pass(text: str, chunk: int):
    scanner = _hyperscan_scanner()
    saved, scanner_module._FW_CHUNK = scanner_module._FW_CHUNK, chunk
    try:
        runs = scanner._fullwidth_runs(text)
        normalised = normalise(text, scanner._fullwidth_runs)
    finally:
        scanner_module._FW_CHUNK = saved
    if "\U0001f600" in text:
        assert runs is None                          # outside the BMP: the regex pass takes over
    else:
        assert runs == [m.span() for m in re.finditer("[０-９Ａ-Ｚａ-ｚ＊＋－]+", text)]
    assert normalised == normalise(text)


# Characters whose UTF-16 bytes straddle into the looked-for ones (住 is 4F 4F, 地 30 57, ⟦ E6 27,
# U+00A0 A0 00): 作 (5C 4F) then O, 、(01 30) then W, ꀀ (00 A0) then 一 (00 4E), and others, so
# odd-offset reports come before the real ones.
FIRSTS_ALPHABET = "住地⟦作O、W。0a一\u3000１\uf7e6'\u00a0\ua000" + "住址家"


@pytest.mark.skipif(scanner_module.hyperscan is None, reason="hyperscan not installed")
@SETTINGS
@given(text=st.text(alphabet=FIRSTS_ALPHABET, max_size=60), chunk=st.sampled_from([1, 2, 3, 7, 1 << 16]))
def test_first_positions_from_the_utf16_pass_equal_str_find(text: str, chunk: int):
    scanner = _hyperscan_scanner()
    saved, scanner_module._FW_CHUNK = scanner_module._FW_CHUNK, chunk
    try:
        _, firsts = scanner._utf16_pass(text)
    finally:
        scanner_module._FW_CHUNK = saved
    assert set(firsts) <= set(scanner._looked_for)
    assert all(position == text.find(char) for char, position in firsts.items())
    view = View(text, 30, firsts)
    assert view.in_document(ADDRESS_WORDS) == ReferenceView(text, 30).in_document(ADDRESS_WORDS)
    absent = "\u00a0" if firsts.get("\u00a0") == -1 else ""           # what Scanner._scan tells normalise
    assert normalise(text, scanner._fullwidth_runs, absent=absent) == normalise(text)


def test_utf16_pass_knows_the_usual_first_positions():
    scanner = Scanner(engine="hyperscan") if scanner_module.hyperscan is not None else None
    if scanner is None:
        pytest.skip("hyperscan not installed")
    text = "关于做好工作的通知。" * 50 + "家庭住址：某某镇某某村3组12号" + "⟦"
    _, firsts = scanner._utf16_pass(text)
    assert {"住", "地", "⟦"} <= set(scanner._first_chars) and "\u00a0" not in scanner._first_chars
    assert firsts["住"] == text.find("住") and firsts["⟦"] == len(text) - 1 and firsts["地"] == -1
    assert firsts["\u00a0"] == -1 and scanner._utf16_pass(text + "\u00a0")[1]["\u00a0"] == len(text)


@SETTINGS
@given(value=st.text(alphabet="0123456789*Xx", max_size=20))
def test_masked_positions_equal_the_character_loop(value: str):
    spans, start = [], None
    for i, ch in enumerate(value + "*", 1):
        if ch != "*" and start is None:
            start = i
        elif ch == "*" and start is not None:
            spans.append(f"{start}-{i - 1}")
            start = None
    assert visible_spans(value) == ",".join(spans)


@SETTINGS
@given(value=st.text(alphabet="0123456789abXxEＡ１*+- \u3000\u00a0\n٣", max_size=20))
def test_mask_shortcuts_equal_the_full_path(value: str):
    assert mask.mask_id(value) == mask._keep(compact(value).upper(), 2, 3)
    assert mask.mask_passport(value) == mask._keep(compact(value).upper(), 1, 2)
    digits = compact(value).lstrip("+")
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix):]
    assert mask.mask_mobile(value) == mask._keep(digits, 3, 4)


@SETTINGS
@given(value=st.text(alphabet="0123456789abXＡ１*- \u3000\u00a0\n", max_size=20))
def test_compact_shortcut_equals_the_full_path(value: str):
    table = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
    full = value.translate(table)
    assert compact(value) == (full if full.isalnum() else re.sub(r"[\s\-\u00a0]+", "", full))


@SETTINGS
@given(after=st.text(alphabet=" \t\n\u3000\u00a0元万亿美港币x1", max_size=3))
def test_amount_prefilter_never_hides_an_amount(after: str):
    text = "金" + "6222021234567890123" + after
    pruned = common_prune(View(text), 1, 20, BANK_WORDS, NEGATIVE_WORDS)
    assert (pruned == "amount") == bool(AMOUNT_AFTER.match(text, 20))


def _assess_then_prune(rec, view: View, start: int, end: int, value: str, how: str, min_score: float):
    """Recognizer.judge's definition: assess, the score threshold, then prune."""
    verdict = rec.assess(view, start, end, value, how)
    if verdict is None or verdict.score < min_score or rec.prune(view, start, end, value):
        return None
    return verdict.score, verdict.validated, verdict.context_word, verdict.kind, verdict.note


@pytest.mark.parametrize("window", [0, 5, 12, 30, 60])
def test_judge_equals_assess_then_prune(window: int):
    """Each recognizer's fused judge() (context searched once, prune's searches skipped when none of
    its words is near) against assess() and prune() asked apart, on every valid candidate of dense
    text, windows narrower and wider than the 12 characters the negative words are looked for in."""
    scanner = Scanner(engine="regex")
    texts = [dense_text(seed, 1000) for seed in (31, 32)] + [split_numbers_text(33, 600)]
    allowed = (True,) * len(scanner.recognizers)
    compared, pruned, kinds = 0, 0, set()
    for text in texts:
        norm = normalise(text)
        view = View(norm, window)
        candidates, seps = scanner._match_candidates(norm, view, scanner.raw_matches(scan_buffer(norm)), allowed)
        scanner._joined(norm, seps, allowed, candidates)
        for (index, start, end), (value, how) in candidates.items():
            rec = scanner.recognizers[index]
            if not rec.validate(value):
                continue
            for min_score in (0.0, 0.6, 0.9):
                expected = _assess_then_prune(rec, view, start, end, value, how, min_score)
                assert rec.judge(view, start, end, value, how, min_score) == expected, (rec.name, value, how)
                compared += 1
            pruned += rec.prune(view, start, end, value) is not None
            kinds.add(rec.name)
    assert compared > 2000 and pruned > 50, (compared, pruned)
    assert {"id_card_18", "id_card_masked", "mobile", "bank_card", "passport"} <= kinds


def test_card_patterns_beside_the_id_pattern_cover_the_other_card_numbers():
    """BankCard.patterns_beside match exactly the numbers of BankCard.patterns that IdCard18's pattern
    does not: every year, month and day pair at the three positions the ID pattern constrains."""
    from checks.privacy.recognizers.bank_card import BankCard
    from checks.privacy.recognizers.id_card import IdCard18

    card = re.compile("|".join(f"(?:{p})" for p in BankCard.patterns))
    beside = re.compile("|".join(f"(?:{p})" for p in BankCard.patterns_beside))
    ident = re.compile("|".join(f"(?:{p})" for p in IdCard18.patterns))
    rng = random.Random(41)
    pairs = [f"{n:02d}" for n in range(100)]
    numbers = [f"{rng.choice('1234569')}{rng.randint(0, 99999):05d}{year}{rng.randint(0, 99):02d}{month}{day}"
               f"{rng.randint(0, 9999):04d}" for year in pairs for month in pairs for day in pairs[::3] + ["31", "32"]]
    numbers += [f"{rng.randint(10 ** (size - 1), 10 ** size - 1)}" for size in (15, 16, 17, 19, 20) for _ in range(3000)]
    numbers += [synthetic.id18(rng) for _ in range(2000)] + [synthetic.bank_card(rng, length=18) for _ in range(2000)]
    expected = [bool(card.fullmatch(n)) and not ident.fullmatch(n) for n in numbers]
    assert [bool(beside.fullmatch(n)) for n in numbers] == expected
    assert 50_000 < sum(expected) < len(numbers) - 50_000         # both sides well represented


def id_shaped_cards_text(seed: int, items: int) -> str:
    """18-digit numbers a card and an ID pattern both match (Luhn-valid, ID check digit wrong or right),
    18-digit cards no ID pattern matches, and their neighbours: digits (a longer run), a decimal point,
    letters, the start and end of the text, context words of both kinds."""
    rng = random.Random(seed)
    parts = []
    for _ in range(items):
        ident = synthetic.id18(rng, valid=rng.random() < 0.3)
        while ident[0] not in "234569":
            ident = synthetic.id18(rng, valid=rng.random() < 0.3)
        luhn_valid = ident[:17] + checksums.luhn_check_digit(ident[:17])
        value = rng.choice([ident, luhn_valid, luhn_valid, synthetic.bank_card(rng, length=18),
                            synthetic.bank_card(rng, length=rng.choice([16, 17, 19]))])
        parts.append(rng.choice(["", "卡号：", "银行账号 ", "身份证号", "1", "a", "3.", "，", "\n"]) + value
                     + rng.choice(["", "，", "。", "x", "5", ".5", " 元", "\n"]))
    return "".join(parts)


@pytest.mark.skipif(scanner_module.hyperscan is None, reason="hyperscan not installed")
@pytest.mark.parametrize("options", OPTIONS + [dict(types=["bank_card"]), dict(types=["bank_card", "id_card"])],
                         ids=["prose", "masking", "spreadsheet", "cards", "cards-and-ids"])
def test_card_candidates_taken_from_id_reports_equal_the_card_pattern(options: dict):
    """Hyperscan reports ID-shaped card numbers once, as IDs, and the card candidate is made from that
    report (BankCard.reported_beside); without IdCard18 in the scan the card pattern runs alone: the
    same hits as `re` + plain code in every case."""
    texts = [id_shaped_cards_text(seed, 1500) for seed in (51, 52)]
    texts += [texts[0][i:i + 300] for i in range(0, 9000, 300)]
    fast = _hits(Scanner(engine="hyperscan"), texts, **options)
    with reference_validation():
        old = _hits(Scanner(engine="re"), texts, **options)
    assert fast == old
    cards = [hit for doc in fast for hit in doc if hit[0] == "bank_card"]
    assert len(cards) > 300 and sum(hit[2] - hit[1] == 18 for hit in cards) > 100


@pytest.mark.skipif(scanner_module.hyperscan is None, reason="hyperscan not installed")
@pytest.mark.parametrize("chunk", [8, 1 << 16])
def test_a_straddling_report_leaves_the_first_position_unknown_in_later_slices(chunk: int):
    """作 (U+4F5C) then O: the bytes 5C 4F 4F 00 hold 住's 4F 4F at an odd offset, reported first in its
    slice (HS_FLAG_SINGLEMATCH), which hides the real 住 after it; a 住 in a later slice is not its
    first position (a later slice used to set it: 65,539 here instead of 2)."""
    scanner = _hyperscan_scanner()
    text = "作O住" + "地" * (1 << 16) + "住"
    saved, scanner_module._FW_CHUNK = scanner_module._FW_CHUNK, chunk
    try:
        _, firsts = scanner._utf16_pass(text)
    finally:
        scanner_module._FW_CHUNK = saved
    assert firsts.get("住", text.find("住")) == text.find("住") == 2
    assert firsts["地"] == text.find("地")
