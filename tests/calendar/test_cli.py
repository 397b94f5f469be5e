"""`flask --app mediation calendar import FILE | show YEAR` (CONTRACTS §7), run as from a shell."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from mediation.audit.models import AdminEvent
from mediation.calendar.models import CalendarDay
from mediation.calendar.working import add_working_days, forget
from mediation.cases.models import CaseDeadline
from mediation.extensions import db
from tests.calendar.test_schedule import SPRING_2027_CSV
from tests.factories import make_case

D = dt.date
EN = ("--lang", "en")


@pytest.fixture
def run_cli(app):
    """Run a command in its own unit of work, then see what it committed."""
    runner = app.test_cli_runner()

    def run(*args: str):
        db.session.commit()
        result = runner.invoke(args=list(args))
        db.session.rollback()
        return result
    return run


@pytest.fixture
def write_csv(tmp_path):
    def write(text: str, *, bom: bool = True):
        path = tmp_path / "schedule.csv"
        path.write_bytes(text.encode("utf-8-sig" if bom else "utf-8"))
        return path
    return write


def entered() -> dict[dt.date, str]:
    db.session.expire_all()
    return {e.day: e.kind.value for e in db.session.scalars(sa.select(CalendarDay))}


def test_import_enters_the_schedule_and_works_the_open_cases_out_again(run_cli, write_csv, users):
    case = make_case(users["mediator"])
    result = run_cli("calendar", "import", str(write_csv(SPRING_2027_CSV)), "--user", "admin", *EN)
    assert result.exit_code == 0, result.output
    assert "Schedule imported for 2027: 7 days off and 2 working days." in result.output
    assert "The deadlines of 1 open case were worked out again." in result.output
    assert len(entered()) == 9 and entered()[D(2027, 1, 31)] == "workday"
    forget()
    assert add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 16)
    [logged] = db.session.scalars(sa.select(AdminEvent).where(AdminEvent.kind == "calendar_imported")).all()
    assert logged.actor_id == users["admin"].id and logged.via == "cli"
    assert db.session.get(CaseDeadline, (case.id, "accept", 0)) is not None


def test_a_bad_file_lists_every_bad_line_and_imports_nothing(run_cli, write_csv, app):
    text = "date,kind\n2027-02-05,holiday\n2027-10-01,workday\n2027-02-31,holiday\n2027-02-06,day off\n"
    result = run_cli("calendar", "import", str(write_csv(text, bom=False)), *EN)
    assert result.exit_code != 0
    assert "line 3: kind: 2027-10-01 is a statutory public holiday (National Day)" in result.output
    assert "line 4: date: Not a date (YYYY-MM-DD): “2027-02-31”." in result.output
    assert "line 5: kind: Not holiday or workday" in result.output
    assert "3 problems found; nothing was imported." in result.output
    assert entered() == {}
    assert db.session.scalar(sa.select(sa.func.count(AdminEvent.id))) == 0


def test_an_unknown_user_imports_nothing(run_cli, write_csv, app):
    result = run_cli("calendar", "import", str(write_csv(SPRING_2027_CSV)), "--user", "nobody", *EN)
    assert result.exit_code != 0 and "nobody" in result.output
    assert entered() == {}


def test_show_prints_the_year_with_sources_and_festivals(run_cli, write_csv, app):
    result = run_cli("calendar", "show", "2026", *EN)
    assert result.exit_code == 0, result.output
    lines = {line.split("\t")[0]: line.split("\t") for line in result.output.splitlines() if "\t" in line}
    assert lines["2026-10-10"][2:5] == ["Working day", "National Day", "Published schedule"]
    assert lines["2026-10-01"][2:5] == ["Day off", "National Day", "Published schedule"]
    assert "2026-11-23" not in lines  # an ordinary Monday
    assert "weekend days worked" in result.output

    before = run_cli("calendar", "show", "2027", *EN)
    assert "not entered yet" in before.output
    assert before.output.count("Statutory public holiday") == len(
        [line for line in before.output.splitlines() if line.startswith("2027-")])
    run_cli("calendar", "import", str(write_csv(SPRING_2027_CSV)), *EN)
    after = run_cli("calendar", "show", "2027", *EN)
    assert after.exit_code == 0 and "not entered yet" not in after.output
    rows = {line.split("\t")[0]: line.split("\t") for line in after.output.splitlines() if "\t" in line}
    assert rows["2027-01-31"][2:] == ["Working day", "-", "The office's entry", "春节调休"]
    assert rows["2027-02-05"][2:5] == ["Day off", "Spring Festival", "The office's entry"]
    assert rows["2027-10-01"][4] == "Statutory public holiday"  # not in the file: the law's holiday still
    assert after.output.splitlines()[-1] == "10 weekdays off, 2 weekend days worked."


def test_show_refuses_a_year_it_cannot_count(run_cli, app):
    assert run_cli("calendar", "show", "1800").exit_code != 0
