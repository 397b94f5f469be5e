"""``flask --app mediation documents render`` (CONTRACTS §6)."""
import datetime as dt

import sqlalchemy as sa

from mediation.documents.models import DocumentPrint
from mediation.core.timeutil import local_today
from tests.documents.conftest import pdf_text, with_agreement
from tests.factories import make_case


def render(app, *args):
    return app.test_cli_runner().invoke(args=["documents", "render", *args])


def test_one_case_to_one_file(app, users, tmp_path, db):
    case = make_case(users["mediator"], worker_name="王燊")
    target = tmp_path / "summary.pdf"
    result = render(app, "--case", case.case_no, "--kind", "summary", "--output", str(target))
    assert result.exit_code == 0, result.output
    text = pdf_text(target.read_bytes())
    assert case.case_no in text and "王燊" in text
    db.session.rollback()
    printed = db.session.scalar(sa.select(DocumentPrint))
    assert (printed.case_id, printed.kind, printed.language, printed.actor_id, printed.via) == \
        (case.id, "summary", "zh", None, "cli")


def test_english_on_request(app, users, tmp_path):
    case = make_case(users["mediator"])
    target = tmp_path / "summary-en.pdf"
    result = render(app, "--case", case.case_no, "--kind", "summary", "--output", str(target), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Casesummary" in pdf_text(target.read_bytes())


def test_several_cases_to_a_folder_named_by_case_number(app, users, tmp_path):
    first = make_case(users["mediator"], worker_name="王燊")
    second = make_case(users["mediator"], worker_name="李堃")
    folder = tmp_path / "out" / "batch"
    result = render(app, "--case", first.case_no, "--case", second.case_no, "--kind", "summary",
                    "--output", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{first.case_no}.pdf", f"{second.case_no}.pdf"])
    assert "李堃" in pdf_text((folder / f"{second.case_no}.pdf").read_bytes())


def test_received_on_selects_every_case_registered_that_day(app, users, tmp_path):
    day = local_today() - dt.timedelta(days=3)
    on_day = [make_case(users["mediator"], received_on=day, worker_name=name) for name in ("王燊", "李堃")]
    make_case(users["mediator"], received_on=day - dt.timedelta(days=1), worker_name="张三")
    folder = tmp_path / "day"
    result = render(app, "--received-on", day.isoformat(), "--kind", "summary", "--output", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{c.case_no}.pdf" for c in on_day)


def test_a_case_number_that_is_not_a_safe_file_name_is_made_one(app, users, tmp_path):
    odd = make_case(users["mediator"], case_no="东湖/2026:07")
    plain = make_case(users["mediator"])
    folder = tmp_path / "out"
    result = render(app, "--case", odd.case_no, "--case", plain.case_no, "--output", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(["东湖_2026_07.pdf", f"{plain.case_no}.pdf"])


def test_an_unknown_case_is_named_and_nothing_is_written(app, users, tmp_path):
    case = make_case(users["mediator"])
    folder = tmp_path / "out"
    result = render(app, "--case", case.case_no, "--case", "2099-99999", "--kind", "summary",
                    "--output", str(folder))
    assert result.exit_code != 0
    assert "2099-99999" in result.output
    assert not folder.exists()


def test_a_document_the_case_does_not_have_is_an_error(app, users, tmp_path):
    agreed = with_agreement(make_case(users["mediator"], received_on=local_today() - dt.timedelta(days=40)),
                            users["mediator"])
    plain = make_case(users["mediator"], worker_name="李四")
    folder = tmp_path / "out"
    result = render(app, "--case", agreed.case_no, "--case", plain.case_no, "--kind", "agreement",
                    "--output", str(folder))
    assert result.exit_code != 0
    assert plain.case_no in result.output
    assert not folder.exists() or not any(folder.iterdir())


def test_no_case_selected_is_a_usage_error(app, users, tmp_path):
    result = render(app, "--kind", "summary", "--output", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2


def test_help_lists_the_kinds(app):
    result = app.test_cli_runner().invoke(args=["documents", "render", "--help"])
    assert result.exit_code == 0
    for kind in ("summary", "application", "agreement", "payment_order"):
        assert kind in result.output
