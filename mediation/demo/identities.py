"""Made-up but well-formed personal and company particulars, drawn from a seeded random source.

ID numbers follow GB 11643 (real birth date, MOD 11-2 check character), credit codes GB 32100 (MOD 31),
mobile numbers the mainland's 1[3-9] ranges: the demo must pass every check the real forms make.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from mediation.core.validators import CREDIT_ALPHABET, credit_code_check_char, id_number_check_char
from mediation.demo import district

MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "156", "157", "158", "159", "166", "173", "176", "177", "178", "180", "181",
                   "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"]


class Identities:
    """Names, ID numbers, phones and credit codes, never repeating an ID number or a credit code."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._id_numbers: set[str] = set()
        self._credit_codes: set[str] = set()
        self._employer_names: set[str] = set()

    def person_name(self) -> str:
        rng = self.rng
        surname = rng.choice(district.COMPOUND_SURNAMES) if rng.random() < 0.02 else rng.choice(district.SURNAMES)
        length = 1 if rng.random() < 0.3 else 2
        chars = [rng.choice(district.GIVEN_CHARS) for _ in range(length)]
        if rng.random() < 0.08:
            chars[-1] = rng.choice(district.RARE_CHARS)
        return surname + "".join(chars)

    def id_number(self, migrant: bool, on: dt.date) -> str:
        """An 18-character number for an adult of working age on ``on``; migrants' from their home county."""
        rng = self.rng
        areas = district.MIGRANT_AREAS if migrant else district.LOCAL_AREAS
        while True:
            age_days = rng.randint(18 * 366, 58 * 365)
            birth = on - dt.timedelta(days=age_days)
            first17 = f"{rng.choice(areas)}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
            value = first17 + id_number_check_char(first17)
            if value not in self._id_numbers:
                self._id_numbers.add(value)
                return value

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"

    def landline(self) -> str:
        return f"{district.LOCAL_LANDLINE}-{self.rng.randint(2, 8)}{self.rng.randint(0, 9_999_999):07d}"

    def credit_code(self, individual_business: bool = False) -> str:
        """'91…' for a company, '92…' for an individual business (个体工商户), with a valid check character."""
        rng = self.rng
        while True:
            org = "".join(rng.choice(CREDIT_ALPHABET) for _ in range(7))
            first17 = ("92" if individual_business else "91") + rng.choice(district.LOCAL_AREAS) + "MA" + org
            value = first17 + credit_code_check_char(first17)
            if value not in self._credit_codes:
                self._credit_codes.add(value)
                return value

    def employer_name(self, sector: str) -> str:
        rng = self.rng
        patterns = district.SECTORS[sector][1]
        for _ in range(200):
            name = rng.choice(district.PLACE_PREFIXES) + rng.choice(patterns).format(n=rng.choice(district.TRADE_NAMES))
            if name not in self._employer_names:
                self._employer_names.add(name)
                return name
        raise RuntimeError("ran out of employer names")  # pragma: no cover - 47 × 5 × 8 combinations

    def address(self, street_name: str) -> str:
        stem = street_name.removesuffix("街道")
        return f"{stem}{self.rng.choice(district.ROADS)}{self.rng.randint(1, 399)}号"

    def claim(self, type_code: str, sector: str) -> Decimal:
        """A worker's claim in yuan: whole yuan mostly, sometimes with jiao/fen as payslips have them."""
        low, high = district.CLAIM_RANGES[type_code]
        if type_code == "wage_arrears" and sector == "construction":
            low, high = 8_000, 80_000
        if type_code == "labour_relationship" and self.rng.random() < 0.5:
            return Decimal("0.00")
        fen = self.rng.randint(low * 100, high * 100)
        fen -= fen % (50 if self.rng.random() < 0.2 else 10_000 if self.rng.random() < 0.5 else 100)
        return (Decimal(fen) / 100).quantize(Decimal("0.01"))
