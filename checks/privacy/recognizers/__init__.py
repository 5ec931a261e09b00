"""One recognizer per personal-data type; `default_recognizers()` is the set the scanner runs."""

from __future__ import annotations

from checks.privacy.recognizers.address import Address
from checks.privacy.recognizers.bank_card import BankCard
from checks.privacy.recognizers.base import Recognizer, Verdict, View
from checks.privacy.recognizers.id_card import IdCard15, IdCard18, IdCardNumeric, IdCardScientific, MaskedId
from checks.privacy.recognizers.mobile import Mobile
from checks.privacy.recognizers.passport import Passport


def default_recognizers() -> list[Recognizer]:
    """A fresh list of the recognizers, in the order ties are resolved (IDs before cards)."""
    return [IdCard18(), IdCard15(), MaskedId(), IdCardScientific(), IdCardNumeric(), Mobile(), BankCard(), Passport(), Address()]


__all__ = ["Address", "BankCard", "IdCard15", "IdCard18", "IdCardNumeric", "IdCardScientific", "MaskedId", "Mobile", "Passport", "Recognizer", "Verdict", "View",
           "default_recognizers"]
