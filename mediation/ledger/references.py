"""What ledger rows name by words — dispute types, streets, employers — looked up once and kept.

An import of 100,000 rows must not ask the database for the same street 100,000 times; one
:class:`References` lives for one import (or one API request) and remembers what it has found.
"""
from __future__ import annotations

import sqlalchemy as sa

from mediation.cases.models import Employer
from mediation.cases.services import EmployerData, find_or_create_employer
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street


def _word(text: str) -> str:
    return " ".join(text.split()).casefold()


class References:
    def __init__(self) -> None:
        self._types: dict[str, DisputeType] | None = None
        self._streets: dict[str, Street] | None = None
        self._by_code: dict[str, Employer] | None = None
        self._by_name: dict[str, Employer] = {}

    # --- dispute types: by code, Chinese label or English label ---------------------------------

    def dispute_type(self, word: str) -> DisputeType | None:
        if self._types is None:
            self._types = {}
            # Finer types first: Art. 2's categories share some English labels with them, and a
            # ledger that writes 'Dismissal, resignation, leaving' means the finer type.
            rows = db.session.scalars(sa.select(DisputeType).order_by(
                DisputeType.parent_id.is_(None), DisputeType.sort_order, DisputeType.id)).all()
            for kind in ("code", "label_zh", "label_en"):
                for dispute_type in rows:
                    self._types.setdefault(_word(getattr(dispute_type, kind)), dispute_type)
        return self._types.get(_word(word))

    # --- streets: a ledger names its office's own streets; missing ones are added ---------------

    def street(self, name: str, actor) -> Street:
        if self._streets is None:
            self._streets = {s.name: s for s in db.session.scalars(sa.select(Street))}
        found = self._streets.get(name)
        if found is None:
            from mediation.admin.services import add_street

            found = self._streets[name] = add_street(name, "", actor)
        return found

    # --- employers ------------------------------------------------------------------------------

    def preload_employers(self) -> None:
        """Remember every employer now (a large import); otherwise each is looked up when first named."""
        self._by_code = {}
        for employer in db.session.scalars(sa.select(Employer).order_by(Employer.id)):
            if employer.credit_code:
                self._by_code[employer.credit_code] = employer
            else:
                self._by_name.setdefault(employer.name, employer)

    def employer(self, name: str, credit_code: str | None, street: Street | None) -> Employer:
        """The employer as :func:`~mediation.cases.services.find_or_create_employer` finds it, cached."""
        if self._by_code is not None:
            known = self._by_code.get(credit_code) if credit_code else self._by_name.get(name)
            if known is not None:
                if street is not None and known.street_id is None:
                    known.street = street
                return known
        employer = find_or_create_employer(EmployerData(name=name, credit_code=credit_code), street)
        if self._by_code is not None:
            if employer.credit_code:
                self._by_code[employer.credit_code] = employer
                if self._by_name.get(employer.name) is employer:
                    del self._by_name[employer.name]  # it has a code now
            else:
                self._by_name.setdefault(employer.name, employer)
        return employer
