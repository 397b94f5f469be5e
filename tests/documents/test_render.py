"""The PDFs themselves: what they say, what they hide, which fonts they carry."""
import datetime as dt
import threading

import pytest

from mediation.cases.models import ApplicationForm
from mediation.core.masking import mask_id_number
from mediation.core.timeutil import local_today
from mediation.documents.kinds import available_kinds
from mediation.documents.render import DocumentError, render_batch, render_pdf
from mediation.extensions import db
from tests.documents.conftest import pdf_fonts, pdf_pages, pdf_text, with_agreement
from tests.factories import make_case, valid_id_number


def test_the_chinese_summary_names_the_case_its_workers_and_employer_with_ids_masked(rare_name_case):
    text = pdf_text(render_pdf(rare_name_case, "summary", "zh", full_personal_data=True))
    worker = rare_name_case.workers[0]
    assert rare_name_case.case_no in text
    assert "黄燊堃" in text and "黄燊堃2" in text
    assert "宏达建筑劳务有限公司" in text
    assert mask_id_number(worker.id_number) in text
    assert worker.id_number not in text
    assert "138****5678" in text and "13812345678" not in text
    assert "区总工会劳动争议调解中心" in text  # the office, from the configuration


def test_the_english_summary_has_english_headings_and_page_numbers(rare_name_case):
    text = pdf_text(render_pdf(rare_name_case, "summary", "en"))
    for heading in ("Casesummary", "Applicants(workers)", "Employer(respondent)", "Amounts", "Timeline",
                    "Keydatesanddeadlines", "Caseregistered"):
        assert heading in text
    assert "Page1of" in text
    assert "LabourDisputeMediationCentre" in text  # OFFICE_NAME_EN
    assert "黄燊堃" in text  # names stay as written


def test_the_summary_embeds_the_compact_noto_cjk_faces_as_real_text(rare_name_case):
    data = render_pdf(rare_name_case, "summary", "zh")
    fonts = {name.split("+")[-1] for name in pdf_fonts(data)}
    # Body and headings from the compact copies; 燊 and 堃 are in them, so no third font is needed.
    assert fonts == {"Mediation-Serif", "Mediation-Sans-Bold"}, fonts
    assert "黄燊堃" in pdf_text(data)  # extractable, not drawn as shapes


def test_without_the_compact_faces_documents_use_the_system_noto_fonts(rare_name_case, monkeypatch):
    monkeypatch.setattr("mediation.documents.fonts.find_system_font", lambda family, style: None)
    monkeypatch.setattr("mediation.documents.printer._local", threading.local())  # a new printer
    data = render_pdf(rare_name_case, "summary", "zh")
    fonts = {name.split("+")[-1] for name in pdf_fonts(data)}
    assert "Noto-Serif-CJK-SC" in fonts and "Noto-Sans-CJK-SC-Bold" in fonts, fonts
    assert "黄燊堃" in pdf_text(data)


def test_markup_in_a_workers_name_is_printed_as_text(users):
    case = make_case(users["mediator"], worker_name='<img src="file:///etc/passwd">')
    text = pdf_text(render_pdf(case, "summary", "en"))
    assert '<imgsrc="file:///etc/passwd">' in text


def test_the_timeline_shows_who_did_what_and_names_instead_of_ids(rare_name_case, users):
    from mediation.cases import services
    from mediation.core.database import unit_of_work

    with unit_of_work(writes=True):
        services.assign_mediator(rare_name_case, users["supervisor"], mediator=users["mediator"])
    text = pdf_text(render_pdf(rare_name_case, "summary", "en"))
    assert "Mediatorassigned" in text and "Testsupervisor" in text
    assert "→Testmediator" in text  # the mediator by name, not by user id


def test_a_long_group_case_runs_over_several_pages(users):
    case = make_case(users["mediator"], worker_name="工人", workers=60)
    data = render_pdf(case, "summary", "zh")
    assert pdf_pages(data) >= 2
    assert "工人60" in pdf_text(data)


def test_the_agreement_prints_full_id_numbers_only_for_a_viewer_allowed_to_see_them(rare_name_case, users):
    with_agreement(rare_name_case, users["mediator"])
    worker = rare_name_case.workers[0]
    full = pdf_text(render_pdf(rare_name_case, "agreement", "zh", full_personal_data=True))
    masked = pdf_text(render_pdf(rare_name_case, "agreement", "zh", full_personal_data=False))
    assert worker.id_number in full
    assert worker.id_number not in masked and mask_id_number(worker.id_number) in masked
    assert "24,000.00" in full  # the agreed total


def test_the_english_agreement_states_parties_result_and_signature_lines(rare_name_case, users):
    with_agreement(rare_name_case, users["mediator"])
    text = pdf_text(render_pdf(rare_name_case, "agreement", "en", full_personal_data=True))
    for expected in ("Mediationagreement", "Theparties", "Resultofmediation", "Respondent(seal)",
                     "Mediator(signature)", "Mediationorganisation(seal)", "宏达建筑劳务有限公司"):
        assert expected in text


def test_the_payment_order_application_states_what_is_overdue(rare_name_case, users):
    with_agreement(rare_name_case, users["mediator"], instalment_days_ago=5, paid="2000")
    text = pdf_text(render_pdf(rare_name_case, "payment_order", "en", full_personal_data=True))
    assert "Applicationforapaymentorder" in text
    # 24,000 agreed in two halves; 12,000 fell due five days ago, 2,000 paid: 10,000 overdue.
    assert "10,000.00yuan" in text
    assert rare_name_case.workers[0].id_number in text


def test_the_summary_lists_the_agreements_instalments_and_payments(rare_name_case, users):
    with_agreement(rare_name_case, users["mediator"], instalment_days_ago=5, paid="2000")
    text = pdf_text(render_pdf(rare_name_case, "summary", "zh"))
    assert "分期履行安排" in text and "已收款项" in text
    assert text.count("12,000.00") >= 2  # the two halves of 24,000
    assert "2,000.00" in text


def test_an_oral_application_is_printed_as_the_mediators_record(users):
    case = make_case(users["mediator"], application_form=ApplicationForm.ORAL)
    text = pdf_text(render_pdf(case, "application", "en", full_personal_data=True))
    assert "Recordofanoralapplication" in text
    assert "支付拖欠工资" in text  # the matters applied for
    assert case.workers[0].id_number in text


def test_kinds_are_offered_only_when_they_apply(users):
    case = make_case(users["mediator"], received_on=local_today() - dt.timedelta(days=40))
    assert available_kinds(case) == ["summary", "application"]
    with_agreement(case, users["mediator"])
    assert available_kinds(case) == ["summary", "application", "agreement"]


def test_a_payment_order_is_offered_once_a_pay_agreement_is_overdue(users):
    overdue = with_agreement(make_case(users["mediator"], received_on=local_today() - dt.timedelta(days=40)),
                             users["mediator"], instalment_days_ago=3)
    assert "payment_order" in available_kinds(overdue)
    paid = with_agreement(make_case(users["mediator"], received_on=local_today() - dt.timedelta(days=40)),
                          users["mediator"], instalment_days_ago=3, paid="6000")
    assert "payment_order" not in available_kinds(paid)  # the instalment due so far is paid
    # Art. 16 covers pay, injury costs, compensation and damages, not e.g. social insurance.
    other = with_agreement(make_case(users["mediator"], type_code="social_insurance",
                                     received_on=local_today() - dt.timedelta(days=40)),
                           users["mediator"], instalment_days_ago=3)
    assert "payment_order" not in available_kinds(other)


def test_a_document_the_case_does_not_have_is_refused(users):
    case = make_case(users["mediator"])
    with pytest.raises(DocumentError):
        render_pdf(case, "agreement", "zh")
    with pytest.raises(DocumentError):
        render_pdf(case, "no_such_kind", "zh")
    with pytest.raises(DocumentError):
        render_pdf(case, "summary", "fr")


def test_a_batch_checks_every_case_before_printing_any(users):
    with_agreement(make_case(users["mediator"], received_on=local_today() - dt.timedelta(days=40)),
                   users["mediator"])
    without = make_case(users["mediator"], worker_name="李四")
    from mediation.cases.models import Case

    cases = db.session.query(Case).order_by(Case.id).all()
    with pytest.raises(DocumentError) as error:
        render_batch(cases, "agreement", "zh")
    assert without.case_no in error.value.message


@pytest.mark.slow
def test_a_large_batch_prints_in_worker_processes_in_order(users):
    cases = [make_case(users["mediator"], worker_name=f"工人{n}") for n in range(5)]
    results = list(render_batch(cases, "summary", "zh", processes=2))
    assert [case.case_no for case, _pdf in results] == [case.case_no for case in cases]
    for case, data in results:
        text = pdf_text(data)
        assert case.case_no in text and case.workers[0].name in text
        assert valid_id_number(order=100) not in text
