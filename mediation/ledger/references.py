"""What ledger rows name by words — dispute types, streets, employers — looked up once and kept.

An import of 100,000 rows must not ask the database for the same street 100,000 times; one
:class:`References` lives for one import (or one API request) and remembers what it has found.
"""
from __future__ import annotations

import sqlalchemy as sa

from mediation.cases.models import Employer
from mediation.cases.services import EmployerData, complete_employer, find_or_create_employer
from mediation.extensions import db
from mediation.reference.models import DisputeType, Street


def _word(text: str) -> str:
    return " ".join(text.split()).casefold()


class References:
    def __init__(self) -> None:
        self._types: dict[str, DisputeType] | None = None
        self._streets: dict[str, Street] | None = None
        self._by_code: dict[str, Employer] | None = None
        self._by_name: dict[str, list[Employer]] = {}

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

    # --- employers: found as find_or_create_employer finds them, from memory during a large import ----

    def preload_employers(self) -> None:
        """Remember every employer now (a large import, whose new employers are not written until its
        batch is); otherwise each is looked up in the database when first named."""
        self._by_code = {}
        self._by_name = {}
        for employer in db.session.scalars(sa.select(Employer).order_by(Employer.id)):
            self._remember(employer)

    def _remember(self, employer: Employer) -> None:
        if employer.credit_code:
            self._by_code[employer.credit_code] = employer
        self._by_name.setdefault(employer.name, []).append(employer)

    def employer(self, name: str, credit_code: str | None, street: Street | None) -> Employer:
        """The employer with this credit code; else the first of this name (without a code, when a code
        is given: it then takes the code); else a new one — the rules of
        :func:`~mediation.cases.services.find_or_create_employer`."""
        if self._by_code is None:
            return find_or_create_employer(EmployerData(name=name, credit_code=credit_code), street)
        name = name.strip()
        known = self._by_code.get(credit_code) if credit_code else None
        if known is None:
            named = self._by_name.get(name, [])
            known = next((e for e in named if not e.credit_code), None) if credit_code else \
                (named[0] if named else None)
            if known is not None and credit_code:
                known.credit_code = credit_code
                self._by_code[credit_code] = known
        if known is None:
            known = Employer(name=name, credit_code=credit_code or None)
            db.session.add(known)
            self._remember(known)
        complete_employer(known, None, street)
        return known
