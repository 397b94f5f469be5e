"""The headline sentence in the report's own form, and the exact figures it is made of.

The sentences are data in fixed languages (the federation's report writes them so), not interface text:
they are never passed through the translation layer.
"""
from __future__ import annotations

from mediation.core.money import format_wan, format_yuan


def percent(part: int, whole: int) -> str:
    """'55.3%' with one decimal, rounded half up, exactly (integers only); '' when ``whole`` is 0."""
    if whole <= 0:
        return ""
    tenths = (part * 1000 * 2 + whole) // (2 * whole)  # round half up on tenths of a percent
    return f"{tenths // 10}.{tenths % 10}%"


def median_text(histogram: dict[int, int]) -> str:
    """The median of a ``{value: how many}`` histogram, as '7' or '7.5'; '' when it is empty."""
    total = sum(histogram.values())
    if total == 0:
        return ""
    wanted = [(total - 1) // 2, total // 2]  # the one or two middle positions
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        count = histogram[value]
        for position in wanted:
            if seen <= position < seen + count:
                found.append(value)
        seen += count
    low, high = found[0], found[-1]
    doubled = low + high
    return str(doubled // 2) if doubled % 2 == 0 else f"{doubled // 2}.5"


def headline_zh(received: int, mediated: int, mediated_claimed_fen: int,
                legal_aid_completed: int, legal_aid_fen: int) -> str:
    return (
        f"共受理劳动争议案件{received}件，调解成功{mediated}件，涉及金额{format_wan(mediated_claimed_fen)}万元；"
        f"完成法律援助案件{legal_aid_completed}件，涉及金额{format_wan(legal_aid_fen)}万元。"
    )


def _cases(count: int, noun: str) -> str:
    return f"{count} {noun} case" if count == 1 else f"{count} {noun} cases"


def _amount_en(fen: int) -> str:
    # The report's own figure in 万元 first (as the Chinese sentence), then the exact sum in yuan.
    return f"{format_wan(fen)} wan yuan (CNY {format_yuan(fen)})"


def headline_en(received: int, mediated: int, mediated_claimed_fen: int,
                legal_aid_completed: int, legal_aid_fen: int) -> str:
    return (
        f"Received {_cases(received, 'labour-dispute')}; {mediated} mediated successfully, "
        f"involving {_amount_en(mediated_claimed_fen)}; "
        f"completed {_cases(legal_aid_completed, 'legal-aid')}, involving {_amount_en(legal_aid_fen)}."
    )
