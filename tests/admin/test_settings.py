"""The admin's settings page: who may use it, the green-channel targets moving the open cases' deadlines, the
office's name, the minimum wage and Art. 47, refusals, and the admin log."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import sqlalchemy as sa

from mediation.audit.models import AdminEvent
from mediation.calendar.working import period_end
from mediation.cases.models import Case, CaseDeadline
from mediation.clocks import rules
from mediation.core.database import unit_of_work
from mediation.extensions import db
from mediation.settings import services
from mediation.settings.models import MinimumWage, Setting
from tests.factories import csrf_from, make_case

URL = "/admin/settings"
TARGETS = {"targets-green_accept_within_working_days": "1", "targets-green_first_session_days": "3",
           "targets-green_close_days": "15"}
OFFICE = {"office-office_name": "区总工会劳动争议调解中心",
          "office-office_name_en": "District Federation of Trade Unions — Labour Dispute Mediation Centre"}


def error_at(response, field_id: str) -> bool:
    """Whether the page shows an error message under the form field with this id."""
    return f'id="{field_id}-error"' in response.get_data(as_text=True)


def token(client) -> str:
    return csrf_from(client.get(URL).get_data(as_text=True))


def post(client, path: str, data: dict, lang: str = "en"):
    return client.post(f"{URL}{path}?lang={lang}", data={"csrf_token": token(client), **data})


def stored_settings() -> dict:
    return dict(db.session.execute(sa.select(Setting.key, Setting.value)).all())


def admin_events(kind: str) -> list[AdminEvent]:
    return db.session.scalars(sa.select(AdminEvent).where(AdminEvent.kind == kind).order_by(AdminEvent.id)).all()


def green_close_due(case) -> dt.date:
    db.session.expire_all()
    return db.session.scalar(sa.select(CaseDeadline.due_on).where(
        CaseDeadline.case_id == case.id, CaseDeadline.key == "green_close"))


@pytest.fixture
def admin(client, login):
    login("admin")
    return client


# --- who may use it ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["supervisor", "mediator", "lawyer"])
def test_only_the_admin_may_see_or_change_the_settings(client, login, role, db):
    login(role)
    assert client.get(URL).status_code == 403
    page_token = csrf_from(client.get("/").get_data(as_text=True))
    for path, data in [("/green-channel", {**TARGETS, "targets-green_close_days": "10"}),
                       ("/office", {**OFFICE, "office-office_name": "别的名字"}),
                       ("/minimum-wages", {"wage-from_on": "2024-01-01", "wage-monthly": "2000.00"})]:
        assert client.post(URL + path, data={"csrf_token": page_token, **data}).status_code == 403
    assert stored_settings() == {}
    assert db.session.scalar(sa.select(sa.func.count(MinimumWage.id))) == 0
    assert admin_events("setting_changed") == [] and admin_events("minimum_wage_set") == []


def test_signed_out_visitors_are_sent_to_sign_in(client, users):
    response = client.get(URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_page_shows_each_setting_what_it_drives_and_its_default(admin):
    page = admin.get(URL + "?lang=en").get_data(as_text=True)
    assert "Green channel target: accept within 1 working day(s) of the marking" in page
    assert "Green channel target: first session within 3 days" in page
    assert "Green channel target: close within 15 days" in page
    assert "Default 15; a whole number from 1 to 90." in page
    assert 'name="targets-green_close_days"' in page and 'value="15"' in page
    assert "an award is final when no worker" in page
    assert "12 months of the minimum wage in force on the date the claim was received" in page
    assert "2,690.00" in page  # the configuration's minimum wage, until the office enters one
    assert 'value="区总工会劳动争议调解中心"' in page


# --- the green channel's targets -----------------------------------------------------------------

def test_changing_a_target_moves_the_open_green_cases_stored_deadline(admin, users, db):
    case = make_case(users["mediator"], migrant=True)
    assert case.green_channel
    start = case.green_channel_marked_on or case.received_on
    assert green_close_due(case) == period_end(start, days=15)
    open_cases = db.session.scalar(sa.select(sa.func.count()).select_from(Case))

    response = post(admin, "/green-channel", {**TARGETS, "targets-green_close_days": "10"})

    assert response.status_code == 302 and response.headers["Location"].endswith("#green-channel")
    assert green_close_due(case) == period_end(start, days=10)
    assert services.setting("green_close_days") == 10
    page = admin.get(URL + "?lang=en").get_data(as_text=True)
    assert f"the deadlines of {open_cases} open case" in page  # the flash: how many were worked out again
    assert "Green channel target: close within 10 days" in page
    [event] = admin_events("setting_changed")
    assert event.changes == {"green_close_days": [15, 10]}
    assert event.actor_id == users["admin"].id


def test_saving_the_targets_unchanged_changes_nothing(admin, users, db):
    response = post(admin, "/green-channel", TARGETS)
    assert response.status_code == 302
    assert "Nothing was changed." in admin.get(URL + "?lang=en").get_data(as_text=True)
    assert stored_settings() == {} and admin_events("setting_changed") == []


@pytest.mark.parametrize("value, message", [
    ("0", "Enter a whole number from 1 to 90."),
    ("91", "Enter a whole number from 1 to 90."),
    ("ten", None),  # WTForms' own message: not a whole number
    ("", "This field is required."),
])
def test_a_bad_target_is_refused_with_its_message_and_nothing_is_saved(admin, users, db, value, message):
    case = make_case(users["mediator"], migrant=True)
    before = green_close_due(case)
    # the first target is valid and changed: it is not saved either
    response = post(admin, "/green-channel", {**TARGETS, "targets-green_accept_within_working_days": "2",
                                              "targets-green_close_days": value})
    assert response.status_code == 422 and error_at(response, "targets-green_close_days")
    if message:
        assert message in response.get_data(as_text=True)
    assert stored_settings() == {} and admin_events("setting_changed") == []
    assert green_close_due(case) == before
    assert services.setting("green_accept_within_working_days") == 1
    for page in (response.get_data(as_text=True), admin.get(URL + "?lang=en").get_data(as_text=True)):
        assert "Green channel target: accept within 1 working day(s) of the marking" in page


# --- the office's name ---------------------------------------------------------------------------

def test_a_changed_office_name_shows_in_the_page_header(admin, users):
    response = post(admin, "/office", {"office-office_name": "  东湖区总工会调解中心 ",
                                       "office-office_name_en": "Donghu Mediation Centre"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#office")
    assert "<small>东湖区总工会调解中心</small>" in admin.get("/?lang=zh_CN").get_data(as_text=True)
    assert "<small>Donghu Mediation Centre</small>" in admin.get("/?lang=en").get_data(as_text=True)
    events = admin_events("setting_changed")
    assert [e.changes for e in events] == [
        {"office_name": ["区总工会劳动争议调解中心", "东湖区总工会调解中心"]},
        {"office_name_en": [OFFICE["office-office_name_en"], "Donghu Mediation Centre"]},
    ]


def test_a_blank_office_name_is_refused(admin):
    response = post(admin, "/office", {**OFFICE, "office-office_name_en": "Changed", "office-office_name": "  "})
    assert response.status_code == 422 and error_at(response, "office-office_name")
    assert "This field is required." in response.get_data(as_text=True)
    assert stored_settings() == {} and admin_events("setting_changed") == []
    assert "<small>区总工会劳动争议调解中心</small>" in admin.get("/?lang=zh_CN").get_data(as_text=True)


# --- the minimum wage ----------------------------------------------------------------------------

def test_minimum_wages_are_listed_newest_first_and_a_date_already_held_is_replaced(admin, users, db):
    for day, amount in [("2023-07-01", "2,420.00"), ("2025-03-01", "2690"), ("2023-07-01", "2,500.00")]:
        response = post(admin, "/minimum-wages", {"wage-from_on": day, "wage-monthly": amount})
        assert response.status_code == 302 and response.headers["Location"].endswith("#minimum-wage")
    wages = services.minimum_wages()
    assert [(w.from_on, w.monthly_fen) for w in wages] == [(dt.date(2025, 3, 1), 269000),
                                                           (dt.date(2023, 7, 1), 250000)]
    page = admin.get(URL + "?lang=en").get_data(as_text=True)
    assert page.index('data-from="2025-03-01"') < page.index('data-from="2023-07-01"')
    assert "2,500.00" in page and "2,420.00" not in page
    assert [e.changes for e in admin_events("minimum_wage_set")] == [
        {"from_on": [None, "2023-07-01"], "monthly": [None, "2,420.00"]},
        {"from_on": [None, "2025-03-01"], "monthly": [None, "2,690.00"]},
        {"from_on": [None, "2023-07-01"], "monthly": ["2,420.00", "2,500.00"]},
    ]


@pytest.mark.parametrize("data, field, message", [
    ({"wage-from_on": "2024-01-01", "wage-monthly": "0"}, "wage-monthly",
     "Enter the monthly minimum wage in yuan."),
    ({"wage-from_on": "2024-01-01", "wage-monthly": "-5"}, "wage-monthly", "An amount cannot be negative."),
    ({"wage-from_on": "2024-01-01", "wage-monthly": "lots"}, "wage-monthly", "Enter an amount in yuan"),
    ({"wage-from_on": "", "wage-monthly": "2000"}, "wage-from_on", "This field is required."),
])
def test_a_bad_minimum_wage_is_refused_with_its_message_and_nothing_is_saved(admin, db, data, field, message):
    response = post(admin, "/minimum-wages", data)
    assert response.status_code == 422 and error_at(response, field)
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MinimumWage.id))) == 0
    assert admin_events("minimum_wage_set") == []


def test_the_minimum_wage_in_force_on_a_day_is_the_latest_from_before_it(app, users, db):
    default = app.config["MONTHLY_MINIMUM_WAGE_FEN"]
    assert services.minimum_wage_fen_on(dt.date(2024, 1, 1)) == default
    with unit_of_work(writes=True):
        services.add_minimum_wage(users["admin"], from_on=dt.date(2022, 4, 1), monthly=Decimal("2200"))
        services.add_minimum_wage(users["admin"], from_on=dt.date(2024, 7, 1), monthly=Decimal("2500"))
    assert services.minimum_wage_fen_on(dt.date(2022, 3, 31)) == default  # before any: the configuration's
    assert services.minimum_wage_fen_on(dt.date(2022, 4, 1)) == 220000
    assert services.minimum_wage_fen_on(dt.date(2024, 6, 30)) == 220000
    assert services.minimum_wage_fen_on(dt.date(2024, 7, 1)) == 250000
    assert services.minimum_wage_fen_on(dt.date(2030, 1, 1)) == 250000


def test_a_lower_minimum_wage_in_force_on_the_received_date_makes_an_award_not_final(admin, users, db):
    received = dt.date(2025, 6, 2)
    case = make_case(users["mediator"], received_on=received, claimed="30000.00")
    assert rules.final_award(case) == "final"  # 30,000 ≤ 12 × 2,690
    # a lower wage from after the received date does not apply to it
    response = post(admin, "/minimum-wages", {"wage-from_on": (received + dt.timedelta(days=1)).isoformat(),
                                              "wage-monthly": "2000.00"})
    assert response.status_code == 302
    assert rules.final_award(db.session.get(Case, case.id)) == "final"
    response = post(admin, "/minimum-wages", {"wage-from_on": "2025-01-01", "wage-monthly": "2400.00"})
    assert response.status_code == 302
    assert rules.final_award(db.session.get(Case, case.id)) == "not_final"  # 30,000 > 12 × 2,400
