"""Printing a document is kept apart from the timeline: listed under "Printed documents", no case event, no
new version of the case; the prints recorded as events before are copied over by the migration."""
from __future__ import annotations

import re

import sqlalchemy as sa

from mediation.audit.models import CaseEvent
from mediation.audit.services import record_event
from mediation.cases.models import Case
from mediation.core.database import unit_of_work
from mediation.documents.models import DocumentPrint
from tests.factories import make_case
from tests.test_migrations import empty_app, flask_db  # noqa: F401  (the fixture, and the helper)


def printed_section(page: str) -> str:
    match = re.search(r'<section class="card folded" id="printed-documents">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def test_a_print_is_listed_apart_not_on_the_timeline_and_leaves_the_version(app, client, login, users, db):
    case = make_case(users["mediator"])
    version, events = case.version, db.session.scalar(sa.select(sa.func.count(CaseEvent.id)))
    lawyer = app.test_client()
    login("lawyer", lawyer)  # a case not referred to the lawyer: refused, and nothing kept
    assert lawyer.get(f"/cases/{case.case_no}/documents/summary.pdf").status_code == 404
    login("mediator")
    assert client.get(f"/cases/{case.case_no}/documents/summary.pdf?lang=en").status_code == 200
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(CaseEvent.id))) == events  # no case event
    assert db.session.get(Case, case.id).version == version
    [printed] = db.session.scalars(sa.select(DocumentPrint)).all()
    assert (printed.case_id, printed.kind, printed.language, printed.actor_id, printed.via) == \
        (case.id, "summary", "en", users["mediator"].id, "web")

    page = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    listed = printed_section(page)
    assert "Printed documents" in listed and "<details>" in listed and "<details open" not in listed  # folded
    assert "Case summary" in listed and "English" in listed and "Test mediator" in listed
    timeline = page[page.index('<div id="timeline">'):]
    assert "Case summary" not in timeline and "Document printed" not in timeline
    assert re.findall(r'<li data-kind="([^"]+)"', timeline) == ["registered"]


def test_a_case_never_printed_has_no_printed_list(client, login, users):
    case = make_case(users["mediator"])
    login("mediator")
    assert 'id="printed-documents"' not in client.get(f"/cases/{case.case_no}").get_data(as_text=True)


def test_old_print_events_stay_in_the_table_but_not_on_the_timeline(client, login, users, db):
    case = make_case(users["mediator"])
    with unit_of_work(writes=True):
        record_event(case, users["mediator"], "document_rendered", {}, note="案件摘要（中文）")
    assert db.session.scalar(sa.select(sa.func.count()).where(CaseEvent.kind == "document_rendered")) == 1
    login("mediator")
    page = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert "document_rendered" not in page and "案件摘要（中文）" not in page
    assert "(1)" in re.search(r'data-group="all".*?</a>', page, re.S).group(0)  # counted: registered only


def test_the_migration_copies_the_prints_recorded_as_events(empty_app):  # noqa: F811
    """At revision 0008 prints were events, their note naming document and language in the printing
    user's language; 0009 copies each into document_prints (kind, language, who, when, how)."""
    flask_db(empty_app, "upgrade", "0008")
    from mediation.extensions import db

    statements = [
        "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, email) "
        "VALUES (1, 'zhang', '张', 'mediator', 'x', true, CURRENT_TIMESTAMP, '')",
        "INSERT INTO employers (id, name, address, legal_representative, contact_name, contact_phone, created_at) "
        "VALUES (1, '宏达公司', '', '', '', '', CURRENT_TIMESTAMP)",
        "INSERT INTO cases (id, case_no, received_on, application_form, channel, dispute_type_id, employer_id, "
        "matters, reasons, notes, status, outcome, green_channel, green_channel_reason, rejection_reason, "
        "withdrawal_reason, failure_reason, workers_count, claimed_fen, recovered_fen, arbitration_extended, "
        "created_at, updated_at, version) VALUES (1, '2025-00001', '2025-03-03', 'written', 'walk_in', 13, 1, "
        "'', '', '', 'received', NULL, false, '', '', '', '', 1, 0, 0, false, CURRENT_TIMESTAMP, "
        "CURRENT_TIMESTAMP, 1)",
        "INSERT INTO case_events (id, case_id, actor_id, via, kind, occurred_at, effective_on, changes, note) "
        "VALUES (1, 1, 1, 'web', 'registered', '2025-03-03 01:00:00', '2025-03-03', '{}', ''), "
        "(2, 1, 1, 'web', 'document_rendered', '2025-03-04 02:00:00', '2025-03-04', '{}', '调解协议书（中文）'), "
        "(3, 1, NULL, 'cli', 'document_rendered', '2025-03-05 03:00:00', '2025-03-05', '{}', "
        "'Case summary (English)'), "
        "(4, 1, 1, 'web', 'document_rendered', '2025-03-06 04:00:00', '2025-03-06', '{}', "
        "'Application for a payment order (中文)'), "
        "(5, 1, 1, 'web', 'document_rendered', '2025-03-07 05:00:00', '2025-03-07', '{}', '口头申请笔录（English）'), "
        "(6, 1, 1, 'api', 'document_rendered', '2025-03-08 06:00:00', '2025-03-08', '{}', 'something else')",
    ]
    for statement in statements:
        db.session.execute(sa.text(statement))
    db.session.commit()
    flask_db(empty_app, "upgrade", "0009")
    db.session.rollback()
    rows = db.session.execute(sa.text(
        "SELECT case_id, kind, language, actor_id, via FROM document_prints ORDER BY printed_at")).all()
    assert [tuple(r) for r in rows] == [
        (1, "agreement", "zh", 1, "web"),
        (1, "summary", "en", None, "cli"),
        (1, "payment_order", "zh", 1, "web"),
        (1, "application", "en", 1, "web"),
        (1, "unknown", None, 1, "api"),
    ]
    printed_at = db.session.scalar(sa.text("SELECT printed_at FROM document_prints ORDER BY printed_at LIMIT 1"))
    assert str(printed_at).startswith("2025-03-04 02:00:00")
    # The events stay (append-only); the upgrade to the newest revision goes on from here.
    assert db.session.scalar(sa.text("SELECT count(*) FROM case_events WHERE kind = 'document_rendered'")) == 5
    db.session.commit()
    flask_db(empty_app, "upgrade")
