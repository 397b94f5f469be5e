"""The timeline as people read it: names for ids, labels for codes, yuan, dates, in Chinese and in English;
personal data masked for those who may not see it; filtered by kind; every id looked up once."""
from __future__ import annotations

import html as html_lib
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from mediation.audit.labels import EVENT_GROUPS, EVENT_LABELS, field_label, value_text
from mediation.audit.services import record_event
from mediation.audit.timeline import case_events, readable
from mediation.cases import services
from mediation.auth.models import User
from mediation.cases.models import Case, Employer
from mediation.core.database import unit_of_work
from mediation.extensions import db as _db
from mediation.reference.models import Street
from tests.factories import dispute_type, make_case, make_user

# The event kinds the other parts of issue 9 write: each has a label of its own (never the raw kind).
NEW_KINDS = ("corrected", "worker_added", "worker_removed", "worker_corrected", "employer_changed",
             "employer_corrected", "step_reversed", "duplicate_confirmed", "payment_reversed",
             "agreement_corrected", "agreement_amended", "legal_aid_referral_reversed", "session_scheduled",
             "session_moved", "session_cancelled", "session_held", "attachment_added", "attachment_hidden")


def record(case, actor, kind, changes, note=""):
    with unit_of_work(writes=True):
        record_event(case, actor, kind, changes, note=note)


def change_rows(page: str, kinds=("corrected", "legal_aid_referred", "payment_recorded")) -> dict[str, tuple]:
    """{field key: (label, before, after)} of the change rows of the events of these kinds on the page."""
    rows = {}
    events = re.findall(r'<li data-kind="([^"]+)">(.*?)</li>', page, re.S)
    shown = "".join(body for kind, body in events if kind in kinds)
    for key, cells in re.findall(r'<tr data-field="([^"]+)">(.*?)</tr>', shown, re.S):
        label, before, after = (html_lib.unescape(c.strip()) for c in re.findall(r"<td>(.*?)</td>", cells, re.S))
        rows[key] = (label, before, after)
    return rows


@pytest.fixture
def corrected_case(users, db):
    """A case whose timeline holds every kind of id and code the services store."""
    case = make_case(users["mediator"])
    with unit_of_work(writes=True):
        old, new = Employer(name="宏达建筑劳务有限公司"), Employer(name="新宏达建设集团")
        street = Street(name="东湖街道", name_en="Donghu Street")
        db.session.add_all([old, new, street])
    lawyer, mediator = users["lawyer"], users["mediator"]
    record(case, users["supervisor"], "corrected", {
        "employer_id": [old.id, new.id],
        "dispute_type_id": [dispute_type("wage_arrears").id, dispute_type("social_insurance").id],
        "street_id": [None, street.id],
        "assigned_mediator_id": [None, mediator.id],
        "application_form": ["written", "oral"],
        "channel": ["walk_in", "hotline_12351"],
        "claimed_fen": [123450, 2000000],
        "received_on": ["2025-03-03", "2025-03-02"],
        "still_employed": [None, True],
    }, note="核对营业执照")
    record(case, users["supervisor"], "legal_aid_referred", {"legal_aid.lawyer_id": [None, lawyer.id]})
    record(case, mediator, "payment_recorded", {"payment.amount_fen": [None, 50000], "payment.worker": [None, "张三"],
                                                "payment.recorded_by_id": [None, mediator.id]})
    return case, {"old": old, "new": new, "street": street}


def test_the_english_timeline_shows_names_labels_yuan_and_dates(client, login, users, corrected_case):
    case, records = corrected_case
    login("mediator")
    rows = change_rows(client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True))
    assert rows["employer_id"] == ("Employer", "宏达建筑劳务有限公司", "新宏达建设集团")
    assert rows["dispute_type_id"] == ("Dispute type", "Wage arrears", dispute_type("social_insurance").label_en)
    assert rows["street_id"] == ("Street", "—", "Donghu Street")
    assert rows["assigned_mediator_id"] == ("Mediator", "—", "Test mediator")
    assert rows["application_form"] == ("Application", "Written", "Oral")
    assert rows["channel"] == ("Intake channel", "Walk-in", "12351 hotline")
    assert rows["claimed_fen"] == ("Amount claimed", "¥1,234.50", "¥20,000.00")
    assert rows["received_on"] == ("Date received", "Mar 3, 2025", "Mar 2, 2025")
    assert rows["still_employed"] == ("Still employed", "—", "Yes")
    assert rows["legal_aid.lawyer_id"] == ("Legal aid · Lawyer", "—", "Test lawyer")
    assert rows["payment.worker"] == ("Payment · Applicant", "—", "张三")
    assert rows["payment.amount_fen"] == ("Payment · Amount", "—", "¥500.00")
    assert rows["payment.recorded_by_id"] == ("Payment · Recorded by", "—", "Test mediator")


def test_the_chinese_timeline_shows_the_same_in_chinese(client, login, users, corrected_case):
    case, records = corrected_case
    login("mediator")
    rows = change_rows(client.get(f"/cases/{case.case_no}?lang=zh_CN").get_data(as_text=True))
    assert rows["employer_id"] == ("用人单位", "宏达建筑劳务有限公司", "新宏达建设集团")
    assert rows["dispute_type_id"][1:] == ("拖欠劳动报酬", dispute_type("social_insurance").label_zh)
    assert rows["street_id"][1:] == ("—", "东湖街道")
    assert rows["assigned_mediator_id"] == ("调解员", "—", "Test mediator")
    assert rows["application_form"] == ("申请方式", "书面申请", "口头申请")
    assert rows["channel"][1] == "来访"
    assert rows["claimed_fen"] == ("请求金额", "¥1,234.50", "¥20,000.00")
    assert rows["received_on"][1] == "2025年3月3日"
    assert rows["still_employed"][2] == "是"
    assert rows["legal_aid.lawyer_id"][2] == "Test lawyer"
    assert rows["payment.worker"] == ("付款 · 申请人", "—", "张三")


def test_no_id_of_a_known_record_is_shown(client, login, users, corrected_case):
    case, records = corrected_case
    login("mediator")
    rows = change_rows(client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True))
    id_fields = ("employer_id", "dispute_type_id", "street_id", "assigned_mediator_id", "legal_aid.lawyer_id",
                 "payment.recorded_by_id")
    shown = {value for field in id_fields for value in rows[field][1:]} - {"—"}
    assert not any(value.isdigit() or value.startswith("#") for value in shown), shown


def test_a_worker_correction_names_the_worker_and_masks_only_for_those_without_personal_data(users, app, db):
    case = make_case(users["mediator"], worker_name="李四")
    record(case, users["mediator"], "worker_corrected", {
        "worker": ["李四", "李四"], "worker.phone": ["13812345678", "13912345679"],
        "worker.id_number": ["110101199003071234", "110101199003071235"],
        "worker.migrant_worker": [False, True], "worker.claimed_fen": [100000, 120000],
        "worker.address": ["甲路1号", "乙路2号"],
    }, note="电话听错")
    with app.test_request_context("/?lang=en"):
        [_registered, corrected] = readable(case_events(case), full_personal_data=True)
        assert corrected.label == "Applicant's particulars corrected"
        assert corrected.subject == ("Applicant", "李四")  # whom it is about, not a change
        assert corrected.reason == "电话听错"
        changes = {c.field: (c.label, c.before, c.after) for c in corrected.changes}
        assert "worker" not in changes
        assert changes["worker.phone"] == ("Applicant · Phone", "13812345678", "13912345679")
        assert changes["worker.migrant_worker"] == ("Applicant · Migrant worker", "No", "Yes")
        assert changes["worker.claimed_fen"][1:] == ("¥1,000.00", "¥1,200.00")
        assert changes["worker.address"][1:] == ("甲路1号", "乙路2号")
        [_registered, masked] = readable(case_events(case), full_personal_data=False)
        changes = {c.field: (c.before, c.after) for c in masked.changes}
        assert changes["worker.phone"] == ("138****5678", "139****5679")
        assert changes["worker.id_number"] == ("1101**********1234", "1101**********1235")
        assert changes["worker.address"] == ("(not shown)", "(not shown)")


def test_the_case_page_shows_whom_a_correction_concerns(client, login, users, db):
    case = make_case(users["mediator"], worker_name="李四")
    record(case, users["mediator"], "worker_added", {"worker": [None, "王五"], "worker.name": [None, "王五"]})
    login("mediator")
    page = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert "Applicant added" in page and "Applicant: 王五" in page
    assert "data-field=\"worker\"" not in page


def test_lists_and_records_read_as_people_read_them(users, app, db):
    case = make_case(users["mediator"], workers=2, worker_name="张三")
    first, second = case.workers
    with app.test_request_context("/?lang=en"):
        by_id = {str(first.id): 100000, str(second.id): 50000}
        assert value_text("agreement.shares", by_id) == "张三 ¥1,000.00、张三2 ¥500.00"
        rows = [{"worker_id": first.id, "agreed_fen": 100000}, {"worker_id": second.id, "agreed_fen": 50000}]
        assert value_text("agreement.shares", rows) == "张三 ¥1,000.00、张三2 ¥500.00"
        kept = [{"worker_id": first.id, "name": "张三", "agreed_fen": 100000}]
        assert value_text("agreement.shares", kept) == "张三 ¥1,000.00"
        assert value_text("agreement.instalments", [{"due_on": "2025-04-01", "amount_fen": 30000}]) == \
            "Apr 1, 2025 ¥300.00"
        workers = [{"name": "张三", "id_number": "110101199003071234", "phone": "13812345678"}]
        assert value_text("workers", workers) == "张三 (1101**********1234, 138****5678)"
        held_at = value_text("session.held_at", "2025-03-05T02:00:00+00:00")  # in the office's time zone
        assert held_at.replace("\u202f", " ") == "3/5/25, 10:00 AM"
        assert value_text("attachment.size", 2_500_000) == "2.4 MB"
        assert value_text("payment.amount_fen", -50000) == "-¥500.00"  # a reversing entry
        assert value_text("duplicates", ["2025-03-12", "2025-00007"]) == "2025-03-12、2025-00007"  # case numbers
        assert value_text("notes", "") == "" and value_text("notes", None) == ""


def test_an_unknown_key_still_reads_as_words(users, app, client, login, db):
    case = make_case(users["mediator"])
    record(case, users["mediator"], "corrected", {"claim_basis": [None, "劳动合同"], "evidence_kind": [None, "x"]})
    record(case, users["mediator"], "fee_waived", {})
    with app.test_request_context("/?lang=en"):
        assert str(field_label("claim_basis")) == "Claim basis"
        assert str(field_label("session.room_number")) == "Mediation session · Room number"
    login("mediator")
    page = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    rows = change_rows(page)
    assert rows["claim_basis"] == ("Claim basis", "—", "劳动合同")
    assert "<strong>Fee waived</strong>" in page  # a kind without a label yet


def test_every_kind_the_other_parts_write_has_a_label_and_sits_in_a_group(app):
    grouped = set().union(*(kinds for _label, kinds in EVENT_GROUPS.values()))
    for kind in NEW_KINDS:
        assert kind in EVENT_LABELS, kind
        assert kind in grouped, kind


def test_a_whole_timeline_looks_ids_up_with_one_query_per_kind_of_record(users, app, db):
    """Ten events or forty: the same number of queries (the events, their actors, then one per model)."""
    mediators = [make_user("mediator", display_name=f"调解员{i}").id for i in range(4)]
    with unit_of_work(writes=True):
        streets = [Street(name=f"街道{i}") for i in range(4)]
        db.session.add_all(streets)
    streets = [s.id for s in streets]
    types = [dispute_type("wage_arrears").id, dispute_type("social_insurance").id]
    registrar = users["mediator"].id

    def timeline_queries(events: int) -> int:
        case = make_case(db.session.get(User, registrar))
        for i in range(events):
            record(case, SimpleNamespace(id=mediators[i % 4]), "corrected", {
                "assigned_mediator_id": [mediators[i % 4], mediators[(i + 1) % 4]],
                "street_id": [streets[i % 4], streets[(i + 1) % 4]],
                "dispute_type_id": types})
        case_id = case.id
        db.session.expunge_all()  # nothing known beforehand: every name is read from the database
        case = db.session.get(Case, case_id)
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            with app.test_request_context("/?lang=en"):
                entries = readable(case_events(case), full_personal_data=False)
        finally:
            event.remove(_db.engine, "before_cursor_execute", listener)
        assert entries[-1].changes[0].after.startswith("调解员")
        assert entries[-1].changes[1].after.startswith("街道")
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    few, many = timeline_queries(10), timeline_queries(40)
    assert few == many
    assert many <= 5  # the events, their actors; users, streets, dispute types


def test_the_filter_shows_one_group_and_keeps_the_rest_of_the_page(client, login, users, db):
    case = make_case(users["mediator"])
    with unit_of_work(writes=True):
        services.accept_case(case, users["mediator"])
    record(case, users["mediator"], "payment_recorded", {"payment.amount_fen": [None, 50000]})
    record(case, users["mediator"], "corrected", {"notes": ["", "补充"]}, note="补录")
    login("mediator")
    page = client.get(f"/cases/{case.case_no}?lang=en&events=money").get_data(as_text=True)
    kinds = re.findall(r'<li data-kind="([^"]+)"', page)
    assert kinds == ["payment_recorded"]
    assert "Particulars" in page and "支付拖欠工资" in page  # the rest of the case page is all there
    assert 'aria-current="true">Money' in page
    page = client.get(f"/cases/{case.case_no}?lang=en&events=corrections").get_data(as_text=True)
    assert re.findall(r'<li data-kind="([^"]+)"', page) == ["corrected"]
    page = client.get(f"/cases/{case.case_no}?lang=en&events=steps").get_data(as_text=True)
    assert re.findall(r'<li data-kind="([^"]+)"', page) == ["accepted", "registered"]  # newest first
    page = client.get(f"/cases/{case.case_no}?lang=en&events=attachments").get_data(as_text=True)
    assert re.findall(r'<li data-kind="([^"]+)"', page) == [] and "No events of this kind." in page
    everything = client.get(f"/cases/{case.case_no}?lang=en").get_data(as_text=True)
    assert len(re.findall(r'<li data-kind="', everything)) == 4
    # Plain links (no script needed), each group with its count; an unknown group shows everything.
    assert f'href="/cases/{case.case_no}?events=money#timeline"' in everything
    assert re.search(r"Money <span class=\"muted\">\(1\)</span>", everything)
    unknown = client.get(f"/cases/{case.case_no}?lang=en&events=nonsense").get_data(as_text=True)
    assert len(re.findall(r'<li data-kind="', unknown)) == 4
