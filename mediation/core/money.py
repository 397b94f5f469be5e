"""Exact money: integer fen in the database, ``Decimal`` yuan in code, never float."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
_YUAN_RE = re.compile(r"^\d+(\.\d{1,2})?$")
_GROUPED_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d{1,2})?$")


class MoneyError(ValueError):
    """A text that is not an amount of yuan; ``code`` says why (for messages in either language)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_yuan(text: str | int | Decimal | None) -> Decimal | None:
    """Parse '1,234.50', '1234.5元', '¥12' into ``Decimal``; ``None`` for empty input.

    Refuses negative amounts, more than two decimals and anything that is not plainly a number.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise MoneyError("not_a_number")
    if isinstance(text, int):
        text = str(text)
    if isinstance(text, Decimal):
        value = text
        if not value.is_finite():
            raise MoneyError("not_a_number")
    else:
        s = str(text).strip().replace("，", ",").replace("．", ".")
        s = s.removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
        if not s:
            return None
        if s.startswith("-"):
            raise MoneyError("negative")
        if _GROUPED_RE.match(s):
            s = s.replace(",", "")
        if not _YUAN_RE.match(s):
            if re.match(r"^\d+\.\d{3,}$", s.replace(",", "")):
                raise MoneyError("too_many_decimals")
            raise MoneyError("not_a_number")
        try:
            value = Decimal(s)
        except InvalidOperation:  # pragma: no cover - the regex already guards
            raise MoneyError("not_a_number") from None
    if value < 0:
        raise MoneyError("negative")
    # Checked before quantize(), which raises InvalidOperation past the context's 28 digits.
    if value >= Decimal("1e13"):
        raise MoneyError("too_large")
    if value != value.quantize(FEN):
        raise MoneyError("too_many_decimals")
    return value.quantize(FEN)


def yuan_to_fen(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return int((value * 100).to_integral_value(rounding=ROUND_HALF_UP))


def fen_to_yuan(fen: int | None) -> Decimal | None:
    if fen is None:
        return None
    return (Decimal(fen) / 100).quantize(FEN)


def format_yuan(fen: int | None, grouping: bool = True) -> str:
    """'1,234.50' (or '1234.50' without grouping); empty for ``None``."""
    if fen is None:
        return ""
    value = fen_to_yuan(fen)
    return f"{value:,.2f}" if grouping else f"{value:.2f}"


def format_wan(fen: int | None) -> str:
    """Amount in 万元 with two decimals, as the office's reports write it: 10441200 yuan → '1044.12'."""
    value = Decimal(fen or 0) / Decimal(1_000_000)
    return f"{value.quantize(FEN, rounding=ROUND_HALF_UP):.2f}"
