"""Downloading documents from the case page."""
import datetime as dt
from urllib.parse import quote

import sqlalchemy as sa

from mediation.documents.models import DocumentPrint
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.legal_aid.services import refer_to_legal_aid
from tests.documents.conftest import pdf_text, with_agreement
from tests.factories import csrf_from, make_case


def url(case, kind="summary", **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/cases/{case.case_no}/documents/{kind}.pdf" + (f"?{query}" if query else "")


def test_a_mediator_downloads_the_summary_as_a_named_pdf(client, login, rare_name_case):
    login("mediator")
    response = client.get(url(rare_name_case))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="case-summary-{rare_name_case.case_no}.pdf"' in disposition
    assert f"filename*=UTF-8''{quote(f'案件摘要-{rare_name_case.case_no}.pdf')}" in disposition
    text = pdf_text(response.data)
    assert rare_name_case.case_no in text and "黄燊堃" in text
    assert rare_name_case.workers[0].id_number not in text
    assert response.headers["Cache-Control"] == "no-store"  # personal data stays out of caches


def test_the_english_version_is_asked_for_with_lang(client, login, rare_name_case):
    login("mediator")
    response = client.get(url(rare_name_case, lang="en"))
    assert response.status_code == 200
    assert "Casesummary" in pdf_text(response.data)
    disposition = response.headers["Content-Disposition"]
    assert f"filename*=UTF-8''case-summary-{rare_name_case.case_no}-en.pdf" in disposition


def test_without_lang_the_document_follows_the_interface_language(client, login, rare_name_case):
    login("mediator")
    assert "Casesummary" not in pdf_text(client.get(url(rare_name_case)).data)  # Chinese by default
    token = csrf_from(client.get("/").get_data(as_text=True))
    client.post("/language/en", data={"csrf_token": token, "next": "/"})
    english = client.get(url(rare_name_case))
    assert "Casesummary" in pdf_text(english.data)
    assert "filename*=UTF-8''case-summary-" in english.headers["Content-Disposition"]


def test_a_lawyer_sees_only_documents_of_cases_referred_to_them(client, login, users, db):
    referred = make_case(users["mediator"], worker_name="王燊")
    other = make_case(users["mediator"], worker_name="李堃")
    with unit_of_work(writes=True):
        refer_to_legal_aid(referred, users["mediator"], lawyer=users["lawyer"])
    login("lawyer")
    assert client.get(url(referred)).status_code == 200
    assert client.get(url(other)).status_code == 404


def test_documents_that_do_not_apply_or_do_not_exist_are_not_found(client, login, users):
    case = make_case(users["mediator"])
    login("mediator")
    assert client.get(url(case, "agreement")).status_code == 404
    assert client.get(url(case, "nonsense")).status_code == 404
    assert client.get("/cases/2099-99999/documents/summary.pdf").status_code == 404


def test_an_unknown_language_is_a_bad_request_not_an_error(client, login, users):
    case = make_case(users["mediator"])
    login("mediator")
    assert client.get(url(case, lang="fr")).status_code == 400


def test_signing_in_is_required(client, users):
    case = make_case(users["mediator"])
    response = client.get(url(case))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_agreement_goes_out_with_full_id_numbers_and_the_print_is_recorded(client, login, users, db):
    case = with_agreement(make_case(users["mediator"], received_on=local_today() - dt.timedelta(days=40)),
                          users["mediator"])
    login("mediator")
    response = client.get(url(case, "agreement"))
    assert response.status_code == 200
    assert case.workers[0].id_number in pdf_text(response.data)
    assert quote(f"调解协议书-{case.case_no}.pdf") in response.headers["Content-Disposition"]
    db.session.rollback()
    printed = db.session.scalars(sa.select(DocumentPrint).where(DocumentPrint.case_id == case.id)).all()
    assert [(p.kind, p.language, p.actor_id) for p in printed] == [("agreement", "zh", users["mediator"].id)]


def test_the_case_page_links_the_documents_that_apply(client, login, users):
    plain = make_case(users["mediator"])
    agreed = with_agreement(make_case(users["mediator"], received_on=local_today() - dt.timedelta(days=40)),
                            users["mediator"])
    login("mediator")
    page = client.get(f"/cases/{plain.case_no}?lang=en").get_data(as_text=True)
    assert 'id="download-summary-pdf"' in page
    assert url(plain, lang="en") in page.replace("&amp;", "&")
    assert "/documents/agreement.pdf" not in page
    page = client.get(f"/cases/{agreed.case_no}?lang=en").get_data(as_text=True)
    assert f"/cases/{agreed.case_no}/documents/agreement.pdf" in page
    assert "Chinese version" in page and "English version" not in page  # the other language of an English page
