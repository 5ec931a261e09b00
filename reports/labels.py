"""Chinese labels for kinds, severities and statuses, shared by every renderer."""

from __future__ import annotations

KIND_LABELS = {
    "veto": "单项否决",
    "stale_column": "栏目更新不及时",
    "blank_column": "空白栏目",
    "undated_column": "信息未标注发布日期",
    "future_date": "发布日期晚于检查日期",
    "homepage_stale": "首页更新不及时",
    "broken_link": "链接不可用",
    "access_blocked": "访问被网站防护拦截",
    "category_mismatch": "信息与栏目类别不符",
    "personal_data": "泄露个人信息",
    "weak_masking": "个人信息脱敏不到位",
    "link_farm": "疑似暗链或链接农场",
    "offsite_hijacked": "外部链接域名已过期或被占用",
    "abolished_link": "链接指向已撤销机构网站",
    "serious_error": "严重表述错误",
    "miswriting": "错别字",
    "illegal_content": "博彩色情等违法内容",
    "hidden_link": "疑似暗链",
    "secret_marking": "疑似涉密标志",
    "interaction_channel": "未发现咨询建言渠道",
    "message_unanswered": "留言超期未答复",
    "message_late": "留言答复超过承诺时限",
    "message_empty_reply": "留言答复为空或套话",
    "message_list_stale": "留言答复长期未更新",
    "site_unreachable": "站点无法访问",
    "site_identity": "网站标识不规范",
    "annual_report": "政府信息公开年报问题",
    "service_entry": "办事服务入口缺失",
    "service_guide": "办事指南要素不全",
}
# Kinds of a family named by prefix (the annual-report preset's annual-carryover, annual-table3-total …).
KIND_PREFIX_LABELS = {"annual-": "政府信息公开年报问题"}
OTHER_KIND = "其他问题"                         # never a rule's internal id in front of a clerk
SEVERITY_ORDER = {"veto": 0, "major": 1, "minor": 2}
SEVERITY_LABELS = {"veto": "单项否决", "major": "重要", "minor": "一般"}
STATUS_LABELS = {"new": "新发现", "persisting": "仍存在", "resolved": "已整改", "waived": "已豁免",
                 "unverified": "本次未能复查", "dismissed": "经核实不成立"}
PII_LABELS = {
    "id_card": "身份证号码",
    "mobile": "手机号码",
    "bank_card": "银行卡号",
    "passport": "护照号码",
    "address": "详细住址",
    "name": "姓名",
    "sensitive": "敏感个人信息",
}
# Order in which kinds are listed within one severity (problems a clerk fixes first come first).
KIND_ORDER = {kind: i for i, kind in enumerate(
    ["veto", "personal_data", "weak_masking", "homepage_stale", "future_date", "stale_column",
     "blank_column", "undated_column", "category_mismatch", "broken_link"])}


def kind_label(kind: str) -> str:
    """The Chinese name of a finding kind; a kind nobody has named yet reads 其他问题, not its id."""
    if kind in KIND_LABELS:
        return KIND_LABELS[kind]
    return next((label for prefix, label in KIND_PREFIX_LABELS.items() if str(kind).startswith(prefix)), OTHER_KIND)


def severity_label(severity: str) -> str:
    return SEVERITY_LABELS.get(severity, severity)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def pii_label(pii_type: str | None) -> str:
    return PII_LABELS.get(pii_type or "", pii_type or "个人信息")
