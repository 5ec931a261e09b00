"""护照号 recognizer: ordinary PRC passports, E + 8 digits or E + letter + 7 digits (2012 e-passport),
G + 8 digits (older booklets). Letters plus digits are common in codes, so a context word
(护照 …) is required; it is structure-checked only, there is no public check digit.
"""

from __future__ import annotations

from checks.privacy.recognizers.base import Recognizer, Verdict, View, common_prune

CONTEXT_WORDS = ("护照号码", "护照号", "护照", "passport", "Passport", "PASSPORT", "出入境证件")


class Passport(Recognizer):
    """E/G passport numbers next to a passport context word."""

    name = "passport"
    pii_type = "passport"
    patterns = (r"[EG][0-9]{8}", r"E[A-HJ-NP-Z][0-9]{7}")
    context_words = CONTEXT_WORDS
    doc_context_score = 0.6

    def validate(self, value: str) -> bool:
        return len(value) == 9 and value[0] in "EG" and value[2:].isdigit()

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        word = view.near(start, end, self.context_words)
        if word:
            return Verdict(score=0.85, validated=False, context_word=word, note=how)
        word = view.in_document(self.context_words)
        if word:
            return Verdict(score=0.6, validated=False, context_word=word, note=f"{how};document_context")
        return Verdict(score=self.NO_CONTEXT_SCORE, validated=False, note=f"{how};no_context")

    def judge(self, view: View, start: int, end: int, value: str, how: str,
              min_score: float) -> tuple[float, bool, str | None, str, str] | None:
        # assess() and prune() in one call (see Recognizer.judge).
        words = self.context_words
        word = view.near(start, end, words)
        if word:
            score, note = 0.85, how
        else:
            word = view.in_document(words)
            if word:
                score, note = 0.6, f"{how};document_context"
            else:
                score, note = self.NO_CONTEXT_SCORE, f"{how};no_context"
        if score < min_score or common_prune(view, start, end, words, self.negative_words):
            return None
        return score, False, word, "personal_data", note
