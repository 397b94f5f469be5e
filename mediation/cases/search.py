"""What a search term finds: cases by number, workers by name, phone or ID number, employers by name,
credit code or contact phone.  Every kind is an index lookup (names through :mod:`.name_grams`).

A term is read every way it can be at once ("13812345678" is a phone number, and could be part of a
name): the cases found are the union.  Exact values are compared as they are stored, whatever the
spacing typed: ID numbers and credit codes without spaces or hyphens and in capitals; phone numbers as
``normalise_phone`` stores them, with or without the hyphen after the area code.
"""
from __future__ import annotations

import functools
import re
import unicodedata

import sqlalchemy as sa

from mediation.cases.models import Case, CaseNumberCounter, Employer, Worker
from mediation.cases.name_grams import EMPLOYER, WORKER, NameGram, name_key, name_key_sql
from mediation.core.validators import normalise_phone
from mediation.extensions import db

MAX_GRAMS = 8  # the pieces of a long term weighed for the rarest two (then the term is checked whole)
ENOUGH = 1000  # names holding a gram, counted up to this: rarer is what matters
_ID_NUMBER = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_CREDIT_CODE = re.compile(r"^[0-9A-Z]{18}$")
_PHONE = re.compile(r"^\d{7,12}$")
_NUMBER = re.compile(r"^[0-9A-Z]*\d{7}[0-9A-Z]*$")  # a phone, ID number, credit code: no part of a name
_YEAR_AND_NUMBER = re.compile(r"^(\d{4})\D{1,3}0*(\d{1,6})\D?$")
_SEQUENCE = re.compile(r"^0*(\d{1,6})$")


def _readable(term: str) -> str:
    """The term as typed, without surrounding spaces or NUL characters (which no database stores)."""
    return term.replace("\x00", "").strip()


def _compact(term: str) -> str:
    """The term without spaces or hyphens, half-width, in capitals (an ID number's X, a credit code)."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", term)).upper()


def matching_cases(term: str):
    """A SELECT of the ids of the cases ``term`` finds (before any visibility rule), or ``None`` for a
    term of nothing but spaces."""
    term = _readable(term)
    if not term:
        return None
    compact = _compact(term)
    parts = [sa.select(Case.id).where(Case.case_no.in_({term, term.upper()}))]
    parts += _by_case_number(re.sub(r"\s", "", unicodedata.normalize("NFKC", term)))
    # Workers removed from their case by a correction are kept on record, not found.
    if not _NUMBER.match(compact):
        workers = names_matching(WORKER, term)
        if workers is not None:
            parts.append(sa.select(Worker.case_id).where(Worker.id.in_(workers), Worker.removed_on.is_(None)))
    workers_by_value = []
    if _ID_NUMBER.match(compact):
        workers_by_value.append(Worker.id_number == compact)
    phones = phone_forms(term)
    if phones:
        workers_by_value.append(Worker.phone.in_(phones))
    if workers_by_value:
        parts.append(sa.select(Worker.case_id).where(sa.or_(*workers_by_value), Worker.removed_on.is_(None)))
    employers = matching_employers(term)
    if employers is not None:
        parts.append(sa.select(Case.id).where(Case.employer_id.in_(employers)))
    return sa.union_all(*parts)  # IN (…) drops the repeats itself


def matching_employers(term: str):
    """A SELECT of the ids of the employers ``term`` finds by name, credit code or contact phone."""
    term = _readable(term)
    if not term:
        return None
    compact = _compact(term)
    parts = []
    if not _NUMBER.match(compact):
        names = names_matching(EMPLOYER, term)
        if names is not None:
            parts.append(names)
    if _CREDIT_CODE.match(compact):
        parts.append(sa.select(Employer.id).where(Employer.credit_code == compact))
    phones = phone_forms(term)
    if phones:
        parts.append(sa.select(Employer.id).where(Employer.contact_phone.in_(phones)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else sa.union(*parts)


def names_matching(kind: str, term: str):
    """A SELECT of the ids of the workers (``kind`` 'w') or employers ('e') whose name holds ``term``."""
    key = name_key(term)
    if not key:
        return None
    gram = NameGram.gram
    of_kind = NameGram.kind == kind
    if len(key) == 1:  # every gram that starts with the character
        return sa.select(NameGram.ref_id).where(of_kind, gram >= key, gram < chr(ord(key) + 1)).distinct()
    if len(key) == 2:  # the gram is the term: nothing to check
        return sa.select(NameGram.ref_id).where(of_kind, gram == key)
    # The names holding the term's two rarest bigrams, then checked against the whole term.  A full name
    # ("东湖建筑劳务有限公司") is mostly common pieces ("有限", "公司": most employers); the piece across
    # two words ("务有") is rare, and the names holding it are few to check.
    counts = _gram_counts(kind, list(dict.fromkeys(key[i:i + 2] for i in range(len(key) - 1)))[:MAX_GRAMS])
    rarest = sorted(counts, key=counts.get)[:2]
    if counts[rarest[0]] == 0:
        return sa.select(NameGram.ref_id).where(sa.false())  # no name holds that piece
    if counts[rarest[0]] < ENOUGH:  # few enough to check each
        candidates = sa.select(NameGram.ref_id).where(of_kind, gram == rarest[0])
    else:
        candidates = (sa.select(NameGram.ref_id).where(of_kind, gram.in_(rarest))
                      .group_by(NameGram.ref_id).having(sa.func.count() == len(rarest)))
    model = Worker if kind == WORKER else Employer
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    dialect = db.session.get_bind().dialect.name
    return sa.select(model.id).where(model.id.in_(candidates),
                                     name_key_sql(model.name, dialect).like(f"%{escaped}%", escape="\\"))


def _gram_counts(kind: str, grams: list[str]) -> dict[str, int]:
    """How many names hold each gram, counted up to :data:`ENOUGH` (one query, a few index entries each)."""
    values = {"kind": kind, **{f"g{n}": g for n, g in enumerate(grams)}}
    found = dict(db.session.execute(_counting(len(grams)), values).all())
    return {g: found[n] for n, g in enumerate(grams)}


@functools.cache
def _counting(n: int):
    """The statement of :func:`_gram_counts` for ``n`` grams (built once: it is asked at every search)."""
    def bounded(i: int):
        held = (sa.select(sa.literal(1)).where(NameGram.kind == sa.bindparam("kind"),
                                               NameGram.gram == sa.bindparam(f"g{i}")).limit(ENOUGH).subquery())
        return sa.select(sa.literal(i), sa.func.count()).select_from(held)
    return sa.union_all(*(bounded(i) for i in range(n))) if n > 1 else bounded(0)


def phone_forms(term: str) -> list[str]:
    """The forms a phone number may be stored in (with and without the hyphen after a landline's area
    code), or none when the term is not a phone number."""
    typed = normalise_phone(unicodedata.normalize("NFKC", term))
    digits = re.sub(r"[\s\-()]", "", typed)
    if not _PHONE.match(digits):
        return []
    forms = {typed, digits}
    if digits.startswith("0"):
        forms |= {f"{digits[:3]}-{digits[3:]}", f"{digits[:4]}-{digits[4:]}"}
    return sorted(forms)


def _by_case_number(plain: str) -> list:
    """"2025-123" or "2025年第123号" (a year and a number), or a bare number (that number in any year)."""
    found = _YEAR_AND_NUMBER.match(plain)
    if found:
        return [sa.select(Case.id).where(Case.number_year == int(found[1]), Case.number_seq == int(found[2]))]
    found = _SEQUENCE.match(plain)
    if found:
        years = db.session.scalars(sa.select(CaseNumberCounter.year)).all()
        if years:
            return [sa.select(Case.id).where(sa.or_(*(sa.and_(Case.number_year == year,
                                                            Case.number_seq == int(found[1]))
                                                    for year in years)))]
    return []

