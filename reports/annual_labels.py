"""The words the annual-report outputs show for a verdict: the clerk and the inspector read Chinese, not FAIL/PASS."""

from __future__ import annotations

STATUS_LABEL = {"FAIL": "发现问题", "PASS": "未发现问题", "需人工复核": "需人工复核", "无法判断": "无法判断"}
SEVERITY_LABEL = {"major": "严重", "minor": "一般"}


def status_label(status: str) -> str:
    return STATUS_LABEL.get(status, status)
