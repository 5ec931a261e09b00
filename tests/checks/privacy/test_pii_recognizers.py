"""Table tests per recognizer: every value is generated from checks/privacy/synthetic.py in the test."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from checks.privacy import synthetic
from checks.privacy.checksums import id_check_char, is_valid_id18, is_valid_uscc, luhn_check_digit
from checks.privacy.scanner import scan

RNG = random.Random(20240601)
ID = synthetic.id18(RNG)
ID_BAD = synthetic.id18(RNG, valid=False)
ID_BADDATE = synthetic.id18_impossible_date(RNG)
FUTURE = dt.date.today() + dt.timedelta(days=400)
ID_FUTURE = synthetic.id18(RNG, born=FUTURE)
ID15 = synthetic.id15(RNG)
MOBILE = synthetic.mobile(RNG)
BANK = synthetic.bank_card(RNG)
BANK16 = synthetic.bank_card(RNG, length=16)
BANK_BAD = synthetic.bank_card(RNG, valid=False)
FW = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _id_also_uscc() -> str:
    """An all-digit ID that also passes GB 32100 (about 1 in 31 do)."""
    rng = random.Random(7)
    while True:
        value = synthetic.id18(rng)
        if is_valid_uscc(value):
            return value


def _visa_no_context() -> str:
    partial = "4" + "".join(str(RNG.randint(0, 9)) for _ in range(14))
    return partial + luhn_check_digit(partial)


ID_USCC = _id_also_uscc()
B = BANK

# (case id, text, expected [(pii_type, kind, exact original substring)])
CASES = [
    # --- id_card 18
    ("id_valid", f"身份证号：{ID}。", [("id_card", "personal_data", ID)]),
    ("id_valid_no_context", f"名单 {ID} 男", [("id_card", "personal_data", ID)]),
    ("id_bad_check_digit", f"身份证号：{ID_BAD}。", []),
    ("id_impossible_date", f"身份证号：{ID_BADDATE}。", []),
    ("id_future_birth", f"身份证号：{ID_FUTURE}。", []),
    ("id_fullwidth", f"身份证号：{ID.translate(FW)}。", [("id_card", "personal_data", ID.translate(FW))]),
    ("id_spaces_6_8_4", f"身份证 {ID[:6]} {ID[6:14]} {ID[14:]} 男",
     [("id_card", "personal_data", f"{ID[:6]} {ID[6:14]} {ID[14:]}")]),
    ("id_spaces_4x4", f"号码 {ID[:4]} {ID[4:8]} {ID[8:12]} {ID[12:16]} {ID[16:]}",
     [("id_card", "personal_data", f"{ID[:4]} {ID[4:8]} {ID[8:12]} {ID[12:16]} {ID[16:]}")]),
    ("id_split_by_tags_joined", f"身份证{ID[:10]}{ID[10:12]}{ID[12:]}", [("id_card", "personal_data", ID)]),
    ("id_split_by_tags_spaced", f"身份证{ID[:4]} {ID[4:6]} {ID[6:10]} {ID[10:]}",
     [("id_card", "personal_data", f"{ID[:4]} {ID[4:6]} {ID[6:10]} {ID[10:]}")]),
    ("id_hyphenated", f"证件号 {ID[:6]}-{ID[6:14]}-{ID[14:]}",
     [("id_card", "personal_data", f"{ID[:6]}-{ID[6:14]}-{ID[14:]}")]),
    ("id_wrapped_pdf", f"表格\n{ID[:13]}\n{ID[13:]}\n女", [("id_card", "personal_data", f"{ID[:13]}\n{ID[13:]}")]),
    ("id_wrapped_bad_checksum", f"表格\n{ID_BAD[:13]}\n{ID_BAD[13:]}\n女", []),
    ("id_embedded_longer_run", f"合计9{ID}7", []),
    ("id_embedded_flattened_stats", f"640020470{ID}", []),
    ("id_with_row_number", f"1 {ID} 男", [("id_card", "personal_data", ID)]),
    ("id_decimal", f"{ID}.5", []),
    ("id_uscc_context", f"统一社会信用代码：{ID_USCC}", []),
    ("id_uscc_shape_id_context", f"身份证号：{ID_USCC}", [("id_card", "personal_data", ID_USCC)]),
    ("id_index_number_context", f"索引号：{ID}", []),
    ("id_order_context", f"订单编号 {ID}", []),
    # --- masking
    ("masked_2_3", "身份证号 35*************009", []),
    ("masked_6_4", "身份证号 350128********0009", []),
    ("masked_4_4", "身份证号 3501**********0009", []),
    ("masked_fullwidth_star", "身份证号 35＊＊＊＊＊＊＊＊＊＊＊＊＊009", []),
    ("weak_year_visible", "身份证号 3417211993****0009", [("id_card", "weak_masking", "3417211993****0009")]),
    ("weak_tail_only", "身份证号 350128196203******", [("id_card", "weak_masking", "350128196203******")]),
    ("masked_not_id_shape", "编码 99**************", []),
    # --- spreadsheet scientific notation: only a mantissa long enough to show the birth date counts
    ("sci_short_mantissa", f"{ID[0]}.{ID[1:6]}E+17", []),
    ("sci_birth_date_visible", f"身份证号 {ID[0]}.{ID[1:14]}E+17",
     [("id_card", "personal_data", f"{ID[0]}.{ID[1:14]}E+17")]),
    ("sci_python_repr", f"身份证号 {float(ID[:17] + '0'):.15g}".replace("e+", "e+"),
     [("id_card", "personal_data", f"{float(ID[:17] + '0'):.15g}")]),
    # --- an ID that passed through a numeric cell: float noise or Excel's 15-digit zeros
    ("numeric_float_noise", f"身份证号 {int(float(ID))}", [] if is_valid_id18(str(int(float(ID)))) else
     [("id_card", "personal_data", str(int(float(ID))))]),
    ("numeric_excel_zeros", f"身份证号 {ID[:15]}000", [] if is_valid_id18(ID[:15] + "000") else
     [("id_card", "personal_data", f"{ID[:15]}000")]),
    ("numeric_no_context", f"编码 {ID[:15]}000", []),
    ("numeric_not_a_double", f"身份证号 {ID_BAD}", []),
    # --- masked and split into groups
    ("weak_spaced", f"身份证 {ID[:4]} {ID[4:8]} {ID[8:10]} {ID[10:12]}******",
     [("id_card", "weak_masking", f"{ID[:4]} {ID[4:8]} {ID[8:10]} {ID[10:12]}******")]),
    ("masked_spaced_ok", "身份证 3501 **** **** **** 09", []),
    ("sci_impossible_date", f"身份证号 {ID_BADDATE[0]}.{ID_BADDATE[1:14]}E+17", []),
    ("sci_wrong_exponent", f"{ID[0]}.{ID[1:14]}E+16", []),
    # --- id_card 15
    ("id15_context", f"身份证：{ID15}", [("id_card", "personal_data", ID15)]),
    ("id15_no_context", f"编码 {ID15} 项", []),
    ("id15_bad_date", "身份证：350128621315000", []),
    # --- mobile
    ("mobile_plain", f"联系电话：{MOBILE}", [("mobile", "personal_data", MOBILE)]),
    ("mobile_3_4_4_spaces", f"手机 {MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}",
     [("mobile", "personal_data", f"{MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}")]),
    ("mobile_3_4_4_hyphens", f"手机 {MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}",
     [("mobile", "personal_data", f"{MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}")]),
    ("mobile_plus86", f"电话+86{MOBILE}", [("mobile", "personal_data", f"+86{MOBILE}")]),
    ("mobile_0086", f"电话0086{MOBILE}", [("mobile", "personal_data", f"0086{MOBILE}")]),
    ("mobile_fullwidth", f"电话{MOBILE.translate(FW)}", [("mobile", "personal_data", MOBILE.translate(FW))]),
    ("mobile_bad_segment", "电话12012345678 10012345678 15412345678", []),
    ("mobile_landlines", "电话0871-1234567 (0871)1234567 0591-87654321", []),
    ("mobile_landline_joined", "电话 0871-138 0013 8000", []),
    ("mobile_hotlines", "拨打12345、12315或110", []),
    ("mobile_embedded", f"编码9{MOBILE}9", []),
    ("mobile_order_number", f"订单号{MOBILE}", []),
    ("mobile_amount", f"金额{MOBILE}元", []),
    ("mobile_amount_label", f"合计金额：{MOBILE}", []),
    ("mobile_masked", "电话138****1234 1390000****", []),
    ("mobile_wrapped_not_joined", f"电话 {MOBILE[:6]}\n{MOBILE[6:]}", []),
    ("mobile_table_cells", f"陈某乙 女 {MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]} 1 730",
     [("mobile", "personal_data", f"{MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}")]),
    # --- bank_card
    ("bank_context", f"银行卡号：{B}", [("bank_card", "personal_data", B)]),
    ("bank_16_context", f"开户账号 {BANK16}", [("bank_card", "personal_data", BANK16)]),
    ("bank_bad_luhn", f"银行卡号：{BANK_BAD}", []),
    ("bank_spaced_4s", f"卡号 {B[:4]} {B[4:8]} {B[8:12]} {B[12:16]} {B[16:]}",
     [("bank_card", "personal_data", f"{B[:4]} {B[4:8]} {B[8:12]} {B[12:16]} {B[16:]}")]),
    ("bank_wrapped_context", f"卡号\n{B[:10]}\n{B[10:]}", [("bank_card", "personal_data", f"{B[:10]}\n{B[10:]}")]),
    ("bank_no_prefix_no_context", f"统计 {_visa_no_context()} 项", []),
    ("bank_valid_id_is_id", f"卡号 {ID}", [("id_card", "personal_data", ID)]),
    ("bank_serial_context", f"流水号 {B}", []),
    ("bank_fullwidth", f"卡号{B.translate(FW)}", [("bank_card", "personal_data", B.translate(FW))]),
    # --- passport
    ("passport_context", "护照号码：E12345678", [("passport", "personal_data", "E12345678")]),
    ("passport_new_format", "护照 EA1234567", [("passport", "personal_data", "EA1234567")]),
    ("passport_no_context", "产品型号E12345678", []),
    ("passport_embedded", "护照 XE12345678", []),
    # --- address (finer than 乡镇/街道, personal context required)
    ("address_house_number", "家庭住址：平潭县某某镇某某村某某组12号",
     [("address", "personal_data", "平潭县某某镇某某村某某组12号")]),
    ("address_village_level", "家庭住址：某某县某某乡某某村", [("address", "personal_data", "某某县某某乡某某村")]),
    ("address_town_level_is_allowed", "住址：平潭县某某镇", []),
    ("address_no_context", "某某镇某某村12号", []),
    ("address_office", "单位地址：某某镇某某村12号", []),
    ("address_event_place", "住址信息核查：县领导到某某镇某某村调研", []),
    ("address_table_header_context", "序号 姓名 家庭住址\n" + "\n".join(f"{i} 某某 某某镇某某村{i}号" for i in range(1, 9)),
     [("address", "personal_data", f"某某镇某某村{i}号") for i in range(1, 9)]),
]


@pytest.mark.parametrize("text,expected", [pytest.param(t, e, id=c) for c, t, e in CASES])
def test_recognizer_table(text: str, expected: list[tuple[str, str, str]]):
    hits = scan(text, min_score=0.6, spreadsheet=True)
    got = [(h.pii_type, h.kind, text[h.start:h.end]) for h in hits]
    assert got == expected


def test_hits_explain_themselves():
    hit = scan(f"身份证号：{ID}")[0]
    assert (hit.recognizer, hit.validated, hit.context_word) == ("id_card_18", True, "身份证号")
    assert hit.score > scan(f"名单 {ID}")[0].score


def test_bank_without_context_is_below_default_threshold():
    hits = scan(f"名单 {B} 项")
    assert [h.pii_type for h in hits] == ["bank_card"] and hits[0].score < 0.6
    assert scan(f"名单 {B} 项", min_score=0.6) == []


def test_document_level_context_for_table_header():
    text = "序号 姓名 银行卡号\n" + "\n".join(f"{i} 某某 {synthetic.bank_card(RNG)}" for i in range(1, 40))
    hits = scan(text, min_score=0.6)
    assert len(hits) == 39 and {h.pii_type for h in hits} == {"bank_card"}


def test_address_mask_keeps_only_town_level():
    (hit,) = scan("家庭住址：平潭县某某镇某某村某某组12号")
    assert hit.masked == "某某镇****"


def test_check_digit_constants_agree_with_synthetic():
    assert ID[17] == id_check_char(ID[:17])


def test_numeric_recognizer_needs_an_exact_double():
    """The wrong-check-digit table case is only 'not personal' because it is not a double."""
    assert int(float(ID_BAD)) != int(ID_BAD) and not ID_BAD.endswith("000")


def test_spreadsheet_number_ids_only_in_spreadsheets():
    value = f"身份证号 {ID[:15]}000"
    assert not is_valid_id18(ID[:15] + "000")            # the seeded value is not accidentally valid
    assert [h.recognizer for h in scan(value, spreadsheet=True)] == ["id_card_numeric"]
    assert scan(value, spreadsheet=False) == []
    assert [h.recognizer for h in scan(value)] == ["id_card_numeric"]          # masking default: hide it anyway
