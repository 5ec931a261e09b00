"""银行卡号 recognizer: 16-19 digits, Luhn (ISO/IEC 7812) valid, an issuer prefix, and context.

Structure (ISO/IEC 7812): issuer identification number (6-8 digits; 62 = China UnionPay, 60 and
9x = domestic debit BINs, 4 = Visa, 51-55 / 22-27 = Mastercard, 35 = JCB) + account digits +
Luhn check digit. About 1 random digit string in 10 passes Luhn and every 18-digit ID has card
length, so a hit needs the prefix, must not be a valid 身份证号, and needs a context word
(卡号/账号/开户/银行 …) within the window; a word elsewhere in the document (a table header)
gives a lower score, no word at all a score below the default threshold.
"""

from __future__ import annotations

from checks.privacy.checksums import NUMPY_BATCH, is_valid_id18, luhn_ok, luhn_ok_many, valid_id18_many
from checks.privacy.recognizers.base import PROVINCE_CODES, Recognizer, Verdict, View, common_prune

ISSUER_PREFIXES = ("62", "60", "4", "51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27", "35",
                   "9")
CONTEXT_WORDS = ("银行卡号", "银行账号", "银行帐号", "卡号", "账号", "帐号", "开户行", "开户", "银行", "账户",
                 "帐户", "社保卡", "存折", "一卡通", "收款")
_FIRST_DIGITS = "".join(sorted({prefix[0] for prefix in ISSUER_PREFIXES}))
# An 18-digit card number that IdCard18's pattern does not match: its digits 7-8 are not 18/19/20, or
# they are and 11-12 are no month, or both are and 13-14 are no day (the pattern's only conditions
# besides the first digit, which every card prefix meets).
_NOT_YEAR = "(?:[03-9][0-9]|1[0-7]|2[1-9])"
_NOT_MONTH = "(?:00|1[3-9]|[2-9][0-9])"
_NOT_DAY = "(?:00|3[2-9]|[4-9][0-9])"
_CARD18_NOT_ID = (f"[{_FIRST_DIGITS}][0-9]{{5}}(?:{_NOT_YEAR}[0-9]{{10}}|(?:18|19|20)[0-9]{{2}}"
                  f"(?:{_NOT_MONTH}[0-9]{{6}}|(?:0[1-9]|1[0-2]){_NOT_DAY}[0-9]{{4}}))")


class BankCard(Recognizer):
    """Issuer-prefixed Luhn-valid card numbers near a banking context word."""

    name = "bank_card"
    pii_type = "bank_card"
    # 16-19 digits whose first digit begins an issuer prefix: validate() rejects every other number, so
    # the engine need not report them (IDs of provinces 1x, 7x, 8x). The whole prefixes as an alternation
    # would filter more but measured 40 % slower in hyperscan than this one character class.
    patterns = (f"[{_FIRST_DIGITS}][0-9]{{15,18}}",)
    # Beside IdCard18 hyperscan reports cards of 16, 17 and 19 digits and those of 18 not shaped like an
    # ID; an ID-shaped one comes from the ID report (776 of 1,151 card candidates in 10 MB of dense text
    # were IDs, which validate() rejects when their check digit is right).
    reported_beside = "id_card_18"
    patterns_beside = (f"[{_FIRST_DIGITS}][0-9]{{15,16}}", f"[{_FIRST_DIGITS}][0-9]{{18}}",
                       _CARD18_NOT_ID)
    context_words = CONTEXT_WORDS
    join_lengths = frozenset({16, 17, 18, 19})
    doc_context_score = 0.7
    line_join = True

    def __init__(self, window: int | None = None):
        self.window = window

    def validate(self, value: str) -> bool:
        if not (16 <= len(value) <= 19 and value.isdigit() and value.startswith(ISSUER_PREFIXES)):
            return False
        if len(value) == 18 and value[:2] in PROVINCE_CODES and is_valid_id18(value):
            return False
        return luhn_ok(value)

    def validate_many(self, values: list[str]) -> list[bool]:
        # validate() with its two checksums run over all candidates at once; non-ASCII values (which
        # the engines never produce) go through validate() itself, and so do batches too small for numpy.
        if len(values) < NUMPY_BATCH:                 # validate() inlined: a page's handful
            result = []
            for value in values:
                if not (16 <= len(value) <= 19 and value.isdigit() and value.startswith(ISSUER_PREFIXES)):
                    result.append(False)
                else:                                 # Luhn first: cheaper, and it rejects 9 IDs in 10
                    result.append(luhn_ok(value) and not (len(value) == 18 and value[:2] in PROVINCE_CODES
                                                          and is_valid_id18(value)))
            return result
        shaped = [16 <= len(v) <= 19 and v.isascii() and v.isdigit() and v.startswith(ISSUER_PREFIXES)
                  for v in values]
        luhn = iter(luhn_ok_many([v for v, ok in zip(values, shaped) if ok]))
        id_like = [ok and len(v) == 18 and v[:2] in PROVINCE_CODES for v, ok in zip(values, shaped)]
        is_id = iter(valid_id18_many([v for v, ok in zip(values, id_like) if ok]))
        result = []
        for value, ok, maybe_id in zip(values, shaped, id_like):
            if not value.isascii():
                result.append(self.validate(value))
            elif not ok:
                result.append(False)
            else:
                card, valid_id = next(luhn), next(is_id) if maybe_id else False
                result.append(card and not valid_id)
        return result

    def join_shape_ok(self, groups: list[str], line_break: bool) -> bool:
        lengths = [len(g) for g in groups]
        if line_break:
            return len(groups) == 2
        return all(n == 4 for n in lengths[:-1]) and 1 <= lengths[-1] <= 4 or lengths[0] == 6 and len(groups) == 2

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        word = view.near(start, end, self.context_words)
        if word:
            return Verdict(score=0.9, validated=True, context_word=word, note=how)
        if how.startswith("wrapped"):
            return None
        word = view.in_document(self.context_words)
        if word:
            return Verdict(score=0.7, validated=True, context_word=word, note=f"{how};document_context")
        score = 0.45 if value.startswith("62") else self.NO_CONTEXT_SCORE
        return Verdict(score=score, validated=True, note=f"{how};no_context")

    def judge(self, view: View, start: int, end: int, value: str, how: str,
              min_score: float) -> tuple[float, bool, str | None, str, str] | None:
        # assess() and prune() in one call (see Recognizer.judge).
        words = self.context_words
        word = view.near(start, end, words)
        if word:
            score, note = 0.9, how
        elif how.startswith("wrapped"):
            return None
        else:
            word = view.in_document(words)
            if word:
                score, note = 0.7, f"{how};document_context"
            else:
                score, note = 0.45 if value.startswith("62") else self.NO_CONTEXT_SCORE, f"{how};no_context"
        if score < min_score or common_prune(view, start, end, words, self.negative_words):
            return None
        return score, True, word, "personal_data", note
