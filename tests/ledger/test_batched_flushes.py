"""A large import lets the status moves of each new case wait for the batch's flush; the cases, their
timelines, agreements, payments and legal aid must come out exactly as when every service flushes."""
from __future__ import annotations

from mediation.core.database import write_intent
from mediation.extensions import db
from mediation.ledger import ledger_import
from mediation.ledger.rows import KEYS
from tests.ledger.conftest import case
from tests.ledger.test_export import canonical_ledger


def import_ledger(write_csv, prefix: str, *, batched: bool) -> list[str]:
    rows = [dict(r, case_no=f"{prefix}{r['case_no']}") for r in canonical_ledger()]
    rows.append(dict(rows[0], case_no="", worker_name=f"{prefix}无编号", status="mediated",
                     outcome_on="2025-02-01", agreed_amount=""))
    path = write_csv([list(KEYS)] + [[r[k] for k in KEYS] for r in rows], name=f"{prefix}.csv")
    checked = ledger_import.check_file(path)
    assert checked.ok, [str(p) for p in checked.problems]
    db.session.rollback()
    with write_intent():
        ledger_import.import_checked(checked, None, batched=batched)
        db.session.commit()
    return [r["case_no"] for r in rows[:-1]]


def content(case_no: str, prefix: str) -> dict:
    """Everything the import wrote for one case, without ids, numbers and the recording times."""
    from mediation.cases.services import CASE_AUDIT_FIELDS

    c = case(case_no)

    def plain(value):
        return value.replace(prefix, "") if isinstance(value, str) else value

    events = [(e.kind, e.effective_on, e.via, e.note,
               {k: [plain(v) for v in pair] if k != "workers" else pair for k, pair in e.changes.items()})
              for e in c.events]
    fields = {f: getattr(c, f) for f in CASE_AUDIT_FIELDS if f != "case_no"}
    agreement = c.agreement and (c.agreement.signed_on, c.agreement.agreed_fen,
                                 [(s.worker.name, s.agreed_fen) for s in c.agreement.shares])
    referral = c.legal_aid and (c.legal_aid.status, c.legal_aid.referred_on, c.legal_aid.completed_on,
                                c.legal_aid.amount_fen)
    return {"fields": fields, "events": events, "agreement": agreement, "referral": referral,
            "payments": [(p.paid_on, p.amount_fen, p.worker_id is not None) for p in c.payments],
            "workers": [(w.name, w.id_number, w.claimed_fen, w.migrant_worker) for w in c.workers]}


def test_batched_and_unbatched_imports_write_the_same(app, write_csv):
    plain_numbers = import_ledger(write_csv, "P", batched=False)
    batched_numbers = import_ledger(write_csv, "B", batched=True)
    for plain_no, batched_no in zip(plain_numbers, batched_numbers):
        assert content(plain_no, "P") == content(batched_no, "B"), plain_no
