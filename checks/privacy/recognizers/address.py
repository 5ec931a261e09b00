"""详细住址 recognizer: a private person's address finer than 乡(镇)/街道, with an address context word.

Structure of a mainland address: 省 / 市 / 县(区) / 乡、镇、街道 / 村、社区、居委会、小区 / 组、队 /
门牌 (12号, 3栋2单元501室). The 永安市 2023 rectification rule allows publication only down to
乡(镇)/街道, so anything from the 村/社区 level on is reported. Office and meeting addresses
(单位地址, 办公地点, 会议在某村召开) are not personal; an address counts only after a personal
address word (家庭住址, 住址, 家住, 户籍地 …) nearby, or in a document whose table header has one.
This recognizer works on text (Chinese patterns), not on the engines' byte buffer.
"""

from __future__ import annotations

import regex

from checks.privacy.recognizers.base import Recognizer, Verdict, View

CONTEXT_WORDS = ("家庭住址", "家庭地址", "现住址", "居住地址", "户籍地址", "户籍地", "居住地", "现住", "家住", "住址",
                 "住所", "联系地址", "通讯地址")
NEGATIVE_WORDS = ("单位地址", "办公地址", "办公地点", "会议地点", "活动地点", "地点", "召开", "举行", "举办", "位于",
                  "项目", "调研", "走访", "检查", "考察", "慰问")
# Words right after a place that make it the scene of an event, not where someone lives.
EVENT_AFTER = regex.compile(r"\s?(?:调研|召开|举行|举办|开展|检查|考察|走访|慰问|督导|视察|的|党支部|村委会|委员会)")
_HAN = r"\p{Han}"
TEXT_PATTERN = regex.compile(
    rf"(?P<town>{_HAN}{{1,6}}?(?:镇|乡|街道))"
    rf"(?P<rest>{_HAN}{{1,10}}?(?:村|社区|居委会|小区|农场)"
    rf"(?:{_HAN}{{1,6}}?(?:组|队|屯))?"
    rf"(?:[{_HAN}A-Za-z0-9\-]{{0,12}}?[0-9]+(?:号楼|号|栋|幢|单元|室))*)"
)
_ADMIN = regex.compile(r".*(?:省|市|县|区|旗)")


class Address(Recognizer):
    """Addresses finer than 乡镇/街道 next to a personal-address context word."""

    name = "address"
    pii_type = "address"
    context_words = CONTEXT_WORDS
    negative_words = NEGATIVE_WORDS
    text_pattern = TEXT_PATTERN

    def town(self, value: str) -> str:
        """The 乡镇/街道 part, without the county name or whatever text ran into it."""
        match = TEXT_PATTERN.match(value)
        town = match.group("town") if match else ""
        return _ADMIN.sub("", town)[-8:]

    def mask(self, value: str, kind: str) -> str:
        return f"{self.town(value)}****"

    def validate(self, value: str) -> bool:
        return TEXT_PATTERN.fullmatch(value) is not None

    def prune(self, view: View, start: int, end: int, value: str) -> str | None:
        if EVENT_AFTER.match(view.text, end):
            return "event_place"
        neg = view.distance_before(start, self.negative_words, view.window)
        if neg is not None:
            pos = view.distance_before(start, self.context_words, view.window)
            if pos is None or pos[0] > neg[0]:
                return f"negative_context:{neg[1]}"
        return None

    def assess(self, view: View, start: int, end: int, value: str, how: str) -> Verdict | None:
        house = any(ch.isdigit() for ch in value)
        word = view.near(start, end, self.context_words, before_only=True)
        if word:
            return Verdict(score=0.8 if house else 0.7, validated=False, context_word=word, note=how)
        word = view.in_document(self.context_words) if house else None
        if word:
            return Verdict(score=0.65, validated=False, context_word=word, note=f"{how};document_context")
        return None
