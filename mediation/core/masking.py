"""Masks for personal data shown in lists, summaries and exports."""
from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """'110101199003071234' → '1101**********1234'."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """'13812345678' → '138****5678'; landlines keep the area code and last four digits."""
    if not value:
        return ""
    digits = value
    if len(digits) <= 4:
        return "*" * len(digits)
    keep_head = 3 if not digits.startswith("0") else digits.find("-") + 1 if "-" in digits else 4
    keep_head = max(0, min(keep_head, len(digits) - 4))
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]
