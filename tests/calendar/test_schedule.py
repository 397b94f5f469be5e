"""The office's entries of the State Council's schedule: the verbs and their admin log, the CSV file, a year
as the app counts it, the notice from 1 November, and the administrator's page.

2027 is the year ``chinesecalendar`` does not publish (see test_working.py): built in, the Spring Festival
is the eve Fri 5 February to Mon 8 February; the schedule entered here (made up for the tests) is off
5-11 February, with Sunday 31 January and Saturday 20 February worked.
"""
from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from mediation.admin import calendar_views
from mediation.audit.models import AdminEvent
from mediation.calendar import services
from mediation.calendar.models import CalendarDay, DayKind
from mediation.calendar.services import ScheduleRow
from mediation.calendar.working import add_working_days, forget, is_working_day
from mediation.cases.models import CaseDeadline
from mediation.core.database import unit_of_work
from mediation.core.errors import Refused
from mediation.core.timeutil import local_today
from tests.factories import csrf_from, make_case

D = dt.date
H, W = DayKind.HOLIDAY, DayKind.WORKDAY
SPRING_2027 = [ScheduleRow(D(2027, 2, 5) + dt.timedelta(days=n), H, "春节") for n in range(7)] + [
    ScheduleRow(D(2027, 1, 31), W, "春节调休"), ScheduleRow(D(2027, 2, 20), W, "春节调休")]
SPRING_2027_CSV = "date,kind,note\n" + "".join(f"{r.day},{r.kind.value},{r.note}\n" for r in SPRING_2027)


def entries(db) -> dict[dt.date, tuple[str, str]]:
    db.session.expire_all()
    return {e.day: (e.kind.value, e.note) for e in db.session.scalars(sa.select(CalendarDay))}


def logged(db, kind: str) -> list[AdminEvent]:
    db.session.expire_all()
    return db.session.scalars(sa.select(AdminEvent).where(AdminEvent.kind == kind).order_by(AdminEvent.id)).all()


# --- the verbs ------------------------------------------------------------------------------------

def test_entering_and_changing_a_day_is_logged_with_before_and_after(db, users):
    admin = users["admin"]
    assert is_working_day(D(2027, 3, 1))  # a Monday
    with unit_of_work(writes=True):
        services.set_day(admin, day=D(2027, 3, 1), kind=H, note=" 补休 ")
    assert entries(db) == {D(2027, 3, 1): ("holiday", "补休")}
    assert not is_working_day(D(2027, 3, 1))
    with unit_of_work(writes=True):
        services.set_day(admin, day=D(2027, 3, 1), kind=W)
        services.set_day(admin, day=D(2027, 3, 1), kind=W)  # nothing changes: nothing logged
    assert entries(db) == {D(2027, 3, 1): ("workday", "")}
    added, changed = logged(db, "calendar_day_set")
    assert (added.actor_id, added.subject_type, added.subject_label) == (admin.id, "calendar_days", "2027-03-01")
    assert added.changes == {"day_kind": [None, "holiday"], "note": [None, "补休"]}
    assert changed.changes == {"day_kind": ["holiday", "workday"], "note": ["补休", None]}


def test_removing_an_entry_lets_the_statutory_holidays_count_again(db, users):
    with unit_of_work(writes=True):
        services.set_day(users["admin"], day=D(2027, 2, 9), kind=H, note="春节")
    assert not is_working_day(D(2027, 2, 9))
    with unit_of_work(writes=True):
        services.remove_day(users["admin"], day=D(2027, 2, 9))
    assert entries(db) == {} and is_working_day(D(2027, 2, 9))
    [removed] = logged(db, "calendar_day_removed")
    assert removed.subject_label == "2027-02-09"
    assert removed.changes == {"day_kind": ["holiday", None], "note": ["春节", None]}
    with pytest.raises(Refused), unit_of_work(writes=True):
        services.remove_day(users["admin"], day=D(2027, 2, 9))


def test_a_statutory_holiday_cannot_be_made_a_working_day(db, users):
    with pytest.raises(Refused) as refused, unit_of_work(writes=True):
        services.set_day(users["admin"], day=D(2027, 2, 5), kind=W)  # the lunar New Year's Eve
    assert refused.value.field == "kind" and "2027-02-05" in str(refused.value.message)
    with pytest.raises(Refused), unit_of_work(writes=True):
        services.import_schedule(users["admin"], [*SPRING_2027, ScheduleRow(D(2027, 10, 1), W)])
    assert entries(db) == {} and logged(db, "calendar_day_set") == logged(db, "calendar_imported") == []
    # A weekend day off, or a plain Saturday worked, is the State Council's to decide: accepted.
    with unit_of_work(writes=True):
        services.set_day(users["admin"], day=D(2027, 3, 6), kind=H)
        services.set_day(users["admin"], day=D(2027, 3, 13), kind=W)
    assert set(entries(db)) == {D(2027, 3, 6), D(2027, 3, 13)}


def test_an_import_is_the_whole_schedule_of_the_years_it_covers(db, users):
    admin = users["admin"]
    with unit_of_work(writes=True):
        services.set_day(admin, day=D(2027, 3, 1), kind=H)               # not in the file: removed
        services.set_day(admin, day=D(2027, 2, 5), kind=H, note="旧")     # in it: changed
        services.set_day(admin, day=D(2028, 1, 3), kind=H)               # another year: kept
    assert add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 11)
    with unit_of_work(writes=True):
        assert services.import_schedule(admin, SPRING_2027) == 9
    found = entries(db)
    assert D(2027, 3, 1) not in found and found[D(2028, 1, 3)] == ("holiday", "")
    assert found[D(2027, 2, 5)] == ("holiday", "春节") and found[D(2027, 1, 31)] == ("workday", "春节调休")
    assert len(found) == 10
    forget()
    assert add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 16)  # Fri 12, Mon 15, Tue 16
    [imported] = logged(db, "calendar_imported")
    assert imported.actor_id == admin.id and imported.subject_type == "calendar_days"
    assert imported.changes == {"years": [None, "2027"], "days_off": [None, 7], "working_days": [None, 2],
                                "days_removed": [None, 1]}
    assert len(logged(db, "calendar_day_set")) == 3  # the import logs once, not per day


# --- the CSV file ---------------------------------------------------------------------------------

def test_the_csv_with_or_without_a_bom_and_with_or_without_notes(app):
    rows, problems = services.parse_schedule_csv(("\ufeff" + SPRING_2027_CSV).encode())
    assert problems == [] and rows == SPRING_2027
    rows, problems = services.parse_schedule_csv("Date,Kind\r\n2027/2/5,Holiday\r\n\r\n2027-01-31,班\r\n")
    assert problems == [] and rows == [ScheduleRow(D(2027, 2, 5), H, ""), ScheduleRow(D(2027, 1, 31), W, "")]


def test_every_bad_line_is_reported_and_no_row_is_returned(app):
    text = ("date,kind,note\n"
            "2027-02-05,holiday,春节\n"
            "2027-02-30,holiday,\n"        # line 3: no such date
            "2027-02-06,off,\n"            # line 4: an unknown kind
            "2027-10-01,workday,\n"        # line 5: National Day, a statutory holiday
            "2027-02-05,holiday,\n"        # line 6: twice
            ",workday,\n"                  # line 7: no date
            f"2027-02-07,holiday,{'长' * 101}\n"  # line 8: a note too long
            "2027-02-08,holiday,,extra\n")  # line 9: a value without a heading
    with force_locale("en"):
        rows, problems = services.parse_schedule_csv(text)
        shown = [str(problem) for problem in problems]
    assert rows == []
    assert [(p.line, p.column) for p in problems] == [(3, "date"), (4, "kind"), (5, "kind"), (6, "date"),
                                                      (7, "date"), (8, "note"), (9, "column 4")]
    assert shown[0] == "line 3: date: Not a date (YYYY-MM-DD): “2027-02-30”."
    assert shown[2].startswith("line 5: kind: 2027-10-01 is a statutory public holiday (National Day)")
    assert shown[3] == "line 6: date: Already on line 2."


@pytest.mark.parametrize("text, expected", [
    ("2027-02-05,holiday\n", [(1, "")]),                                 # no header
    ("date,note\n2027-02-05,x\n", [(1, "kind")]),                        # a required column missing
    ("date,kind,festival\n2027-02-05,holiday,春节\n", [(1, "festival")]),  # an unknown column
    ("date,kind\n", [(2, "")]),                                           # no days
])
def test_a_file_without_its_header_or_its_days(app, text, expected):
    rows, problems = services.parse_schedule_csv(text)
    assert rows == [] and [(p.line, p.column) for p in problems] == expected


def test_a_file_that_is_not_utf8_text(app):
    rows, problems = services.parse_schedule_csv("date,kind\n2027-02-05,休\n".encode("gbk"))
    assert rows == [] and [(p.line, p.column) for p in problems] == [(1, "")]


# --- a year as the app counts it, and the notice ------------------------------------------------

def test_a_year_shows_each_day_with_the_source_that_decides_it(db, users):
    with unit_of_work(writes=True):
        services.set_day(users["admin"], day=D(2026, 10, 8), kind=H, note="补休")
    with force_locale("en"):
        days = {d.day: d for d in services.year_schedule(2026)}
        assert (days[D(2026, 10, 10)].working, days[D(2026, 10, 10)].source) == (True, "package")
        assert days[D(2026, 10, 10)].festival == "National Day"
        assert (days[D(2026, 10, 8)].working, days[D(2026, 10, 8)].source) == (False, "office")
        assert days[D(2026, 10, 8)].note == "补休" and days[D(2026, 10, 8)].entered
        built_in = {d.day: d for d in services.year_schedule(2027)}
        assert built_in[D(2027, 2, 5)].source == "statutory" and built_in[D(2027, 2, 5)].festival == "Spring Festival"
        assert not any(d.working for d in built_in.values())  # nothing worked until the schedule is entered


def test_the_notice_from_1_november_until_next_year_is_entered(db, users):
    assert services.schedule_entered(2026)  # the package publishes it
    assert services.next_year_notice(D(2025, 11, 1)) is None
    assert services.next_year_notice(D(2026, 10, 31)) is None
    assert services.next_year_notice(D(2026, 11, 1)) == 2027
    assert services.next_year_notice(D(2026, 12, 31)) == 2027
    with unit_of_work(writes=True):
        services.import_schedule(users["admin"], SPRING_2027)
    assert services.schedule_entered(2027) and services.next_year_notice(D(2026, 11, 1)) is None
    assert services.next_year_notice(D(2027, 11, 1)) == 2028


# --- the page --------------------------------------------------------------------------------------

PAGE = "/admin/calendar"


@pytest.fixture
def admin(client, login):
    login("admin")
    return client


def post(client, url: str, data: dict):
    token = csrf_from(client.get(PAGE).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def upload(client, text: str | bytes, year: int = 2027):
    data = text.encode() if isinstance(text, str) else text
    return post(client, f"{PAGE}/import?year={year}&lang=en", {"schedule-file": (io.BytesIO(data), "schedule.csv")})


@pytest.mark.parametrize("role", ["supervisor", "mediator", "lawyer"])
def test_only_an_administrator_may_see_or_change_the_calendar(client, login, users, role, db):
    login(role)
    assert client.get(PAGE).status_code == 403
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post(f"{PAGE}/days", data={"day-day": "2027-03-01", "day-kind": "holiday", "csrf_token": token})
    assert response.status_code == 403 and entries(db) == {}


def test_the_page_shows_the_year_with_its_sources(admin):
    page = admin.get(f"{PAGE}?year=2026&lang=en").get_data(as_text=True)
    assert 'data-day="2026-10-10" data-working="yes" data-source="package"' in page
    assert 'data-day="2026-10-01" data-working="no" data-source="package"' in page
    assert 'id="not-entered"' not in page
    page = admin.get(f"{PAGE}?year=2027&lang=en").get_data(as_text=True)
    assert 'data-day="2027-02-05" data-working="no" data-source="statutory"' in page and 'id="not-entered"' in page
    assert admin.get(f"{PAGE}?year=1900").status_code == 404


def test_uploading_a_schedule_moves_the_counting_and_the_open_cases_deadlines(admin, users, db):
    case = make_case(users["mediator"])
    response = upload(admin, SPRING_2027_CSV)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/calendar?year=2027#days")
    assert len(entries(db)) == 9
    forget()
    assert add_working_days(D(2027, 2, 4), 3) == D(2027, 2, 16)
    page = admin.get(f"{PAGE}?year=2027&lang=en").get_data(as_text=True)
    assert "Schedule imported for 2027: 7 days off and 2 working days." in page
    assert "The deadlines of 1 open case were worked out again." in page
    assert 'data-day="2027-01-31" data-working="yes" data-source="office"' in page
    assert db.session.get(CaseDeadline, (case.id, "accept", 0)) is not None


def test_a_bad_upload_lists_every_bad_line_and_saves_nothing(admin, db):
    response = upload(admin, "date,kind\n2027-02-05,holiday\n2027-10-01,workday\n2027-13-01,holiday\n")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'data-line="3"' in page and 'data-line="4"' in page and 'data-line="2"' not in page
    assert entries(db) == {} and logged(db, "calendar_imported") == []
    assert upload(admin, b"not a schedule at all").status_code == 422
    assert post(admin, f"{PAGE}/import", {}).status_code == 422  # no file chosen


def test_declaring_a_day_off_moves_a_stored_acceptance_deadline(admin, users, db):
    case = make_case(users["mediator"])
    due = add_working_days(case.received_on, 3)
    assert db.session.get(CaseDeadline, (case.id, "accept", 0)).due_on == due
    response = post(admin, f"{PAGE}/days?year={due.year}",
                    {"day-day": due.isoformat(), "day-kind": "holiday", "day-note": "临时调休"})
    assert response.status_code == 302
    forget()
    moved = add_working_days(case.received_on, 3)
    assert moved > due
    db.session.expire_all()
    assert db.session.get(CaseDeadline, (case.id, "accept", 0)).due_on == moved
    # Removing the entry brings the deadline back.
    assert post(admin, f"{PAGE}/days/{due.isoformat()}/delete", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(CaseDeadline, (case.id, "accept", 0)).due_on == due
    assert [e.kind for e in db.session.scalars(sa.select(AdminEvent).where(AdminEvent.kind.like("calendar%")))] == [
        "calendar_day_set", "calendar_day_removed"]


def test_a_refused_day_shows_the_form_again_and_saves_nothing(admin, db):
    response = post(admin, f"{PAGE}/days?year=2027&lang=en", {"day-day": "2027-02-05", "day-kind": "workday"})
    assert response.status_code == 422
    assert "is a statutory public holiday" in response.get_data(as_text=True)
    assert post(admin, f"{PAGE}/days", {"day-day": "", "day-kind": "holiday"}).status_code == 422
    assert entries(db) == {}
    assert post(admin, f"{PAGE}/days/2027-02-05/delete", {}).status_code == 404  # not an entry


def test_the_page_shows_the_notice_from_1_november(admin, db, users, monkeypatch):
    monkeypatch.setattr(calendar_views, "local_today", lambda: D(2026, 10, 31))
    assert 'id="next-year-notice"' not in admin.get(f"{PAGE}?year=2026").get_data(as_text=True)
    monkeypatch.setattr(calendar_views, "local_today", lambda: D(2026, 11, 1))
    assert 'id="next-year-notice"' in admin.get(f"{PAGE}?year=2026").get_data(as_text=True)
    with unit_of_work(writes=True):
        services.import_schedule(users["admin"], SPRING_2027)
    assert 'id="next-year-notice"' not in admin.get(f"{PAGE}?year=2026").get_data(as_text=True)


def test_the_page_is_well_formed_today(admin):
    assert admin.get(PAGE).status_code == 200
    assert str(local_today().year) in admin.get(PAGE).get_data(as_text=True)


def test_every_page_tells_the_administrator_from_1_november_that_next_year_is_missing(
        app, client, login, users, monkeypatch):
    monkeypatch.setattr(calendar_views, "local_today", lambda: D(2026, 11, 2))
    mediator = app.test_client()
    login("mediator", mediator)
    assert 'id="calendar-notice"' not in mediator.get("/worklist?lang=en").get_data(as_text=True)
    login("admin")
    page = client.get("/worklist?lang=en").get_data(as_text=True)
    assert 'id="calendar-notice"' in page and "schedule for 2027 is not entered yet" in page
    assert 'href="/admin/calendar?year=2027"' in page
    monkeypatch.setattr(calendar_views, "local_today", lambda: D(2026, 10, 31))
    assert 'id="calendar-notice"' not in client.get("/worklist?lang=en").get_data(as_text=True)
    monkeypatch.setattr(calendar_views, "local_today", lambda: D(2026, 11, 2))
    assert upload(client, SPRING_2027_CSV).status_code == 302
    assert 'id="calendar-notice"' not in client.get("/worklist?lang=en").get_data(as_text=True)
