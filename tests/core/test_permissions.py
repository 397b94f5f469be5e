"""Who may reach which page: every route for visitors, and every route but the API's for each role."""
from __future__ import annotations

import datetime as dt
import io
import itertools
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter, UUIDConverter

from mediation import PUBLIC_ENDPOINTS
from mediation.admin import services as admin_services
from mediation.attachments import services as attachment_services
from mediation.attachments.models import Attachment, AttachmentKind
from mediation.audit.models import CaseEvent
from mediation.auth import services as auth_services
from mediation.auth.models import ApiToken, Role, User
from mediation.auth.permissions import PERMISSIONS
from mediation.calendar import services as calendar_services
from mediation.calendar.models import CalendarDay, DayKind
from mediation.cases.models import Case
from mediation.cases.workflow import Status
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today, office_zone
from mediation.documents.models import DocumentPrint
from mediation.extensions import db
from mediation.legal_aid.models import LegalAidStatus
from mediation.legal_aid.services import refer_to_legal_aid
from mediation.recovery import services as recovery_services
from mediation.reference.models import Campaign, DisputeType, Street
from mediation.reminders import feed as reminders_feed
from mediation.reminders.models import Digest
from mediation.sessions import services as session_services
from mediation.sessions.models import MediationSession, SessionStatus
from mediation.settings.models import MinimumWage
from mediation.settings.models import Setting as StoredSetting
from tests.attachments import samples as attachment_samples
from tests.factories import csrf_from, make_case, make_user, sign_in, street
from tests.sessions.casework import case_at

ROLES = [role.value for role in Role]


def placeholder_url(app, rule, case_no: str) -> str:
    """A URL for ``rule`` with made-up but well-formed arguments (a real case number where one is asked)."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, UUIDConverter):
            values[name] = uuid.uuid4()
        elif "case" in name:
            values[name] = case_no
        else:
            values[name] = "x"
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, force_external=False)


def routes(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)


def main_method(rule) -> str:
    return "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_everywhere(app, client, users):
    case = make_case(users["mediator"])
    token = csrf_from(client.get("/login").get_data(as_text=True))
    problems = []
    for rule in routes(app):
        url = placeholder_url(app, rule, case.case_no)
        method = main_method(rule)
        response = client.open(url, method=method, data={"csrf_token": token} if method != "GET" else None)
        location = response.headers.get("Location", "")
        if rule.endpoint in PUBLIC_ENDPOINTS:
            ok = response.status_code != 500 and not location.startswith("/login")
        elif rule.rule.startswith("/api/"):
            ok = response.status_code == 401 or (rule.rule.endswith("openapi.json") and response.status_code == 200)
        else:
            ok = response.status_code == 302 and location.startswith("/login")
        if not ok:
            problems.append(f"{method} {url} → {response.status_code} {location}")
    assert not problems, "\n".join(problems)
    assert db_case(case).status == Status.RECEIVED


def db_case(case):
    db.session.expire_all()
    return db.session.get(Case, case.id)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_answers_a_server_error_to_any_role(role, app, client, login, users):
    case = make_case(users["mediator"])
    login(role)
    problems = []
    for rule in routes(app):
        if "GET" not in rule.methods:
            continue
        url = placeholder_url(app, rule, case.case_no)
        code = client.get(url).status_code
        if code not in (200, 302, 400, 403, 404, 422):  # placeholder arguments may be refused, never crash
            problems.append(f"GET {url} → {code}")
    assert not problems, "\n".join(problems)


@dataclass
class Probe:
    """One request to a route: what permission it needs and how a permitted request ends."""

    permission: str | None
    method: str
    url: Callable
    ok: int
    data: Callable | None = None
    needs_visible_case: bool = False  # a case not referred to the lawyer: a lawyer gets 404
    happened: Callable | None = None  # reads the database: did the change take effect?
    mimetype: str | None = None       # what a permitted request receives, when not a page


_serial = itertools.count(1)


class Setting(dict):
    """What one role's requests act on, each record made (and committed) when a probe first asks for it,
    so that every role works on records of its own."""

    def __init__(self, users, role: str, client):
        super().__init__(me=users[role], mediator=users["mediator"], lawyer=users["lawyer"], client=client,
                         n=next(_serial))

    def __missing__(self, key):
        self[key] = MAKERS[key](self)
        return self[key]


def _referred_to_the_lawyer(s) -> Case:
    case = make_case(s["mediator"], worker_name="李律援")
    refer_to_legal_aid(case, s["mediator"], lawyer=s["lawyer"], on=case.received_on)
    db.session.commit()
    return case


def _paid(s) -> Case:
    """A mediated case (12,000 agreed) with a payment of 500."""
    case = case_at(Status.MEDIATED, s["mediator"])
    recovery_services.record_payment(case, s["mediator"], on=case.outcome_on, amount=Decimal("500"))
    db.session.commit()
    return case


def _agreement_form(case, prefix: str, **values) -> dict:
    """The agreement form of the case page, as it shows the agreement, with ``values`` changed."""
    agreement = db_case(case).agreement
    fields = {"signed_on": agreement.signed_on.isoformat(), "effective_on": agreement.effective_on.isoformat(),
              "performance_method": "lump_sum", "performance_deadline": agreement.performance_deadline.isoformat(),
              "terms": "", **values}
    return {f"{prefix}-{key}": value for key, value in fields.items()}


def _token(s) -> str:
    with unit_of_work(writes=True):
        return auth_services.issue_token(s["other"], None)


def _token_id(s) -> int:
    s["token"]  # issued first
    return db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == s["other"].id))


def _dispute_type_id(s) -> int:
    with unit_of_work(writes=True):
        kind = admin_services.add_dispute_type(admin_services.categories()[0], f"probe_{s['n']}",
                                               f"探针类型{s['n']}", f"Probe type {s['n']}", False, None)
    return kind.id


def _campaign_id(s) -> int:
    with unit_of_work(writes=True):
        campaign = Campaign(name_zh=f"专项行动{s['n']}", name_en=f"Drive {s['n']}",
                            starts_on=local_today(), ends_on=local_today() + dt.timedelta(days=30))
        db.session.add(campaign)
    return campaign.id


def _office_calendar_day(s) -> dt.date:
    day = dt.date(2042, 1, 1) + dt.timedelta(days=s["n"])
    with unit_of_work(writes=True):
        calendar_services.set_day(None, day=day, kind=DayKind.HOLIDAY, note="探针")
    return day


def _digest_id(s) -> int:
    """A digest of the role's own user (each role marks its own)."""
    with unit_of_work(writes=True):
        digest = Digest(user_id=s["me"].id, on=local_today() - dt.timedelta(days=s["n"]), overdue=1, items={})
        db.session.add(digest)
    return digest.id


def _feed(s) -> str:
    with unit_of_work(writes=True):
        return reminders_feed.make_feed_address(db.session.get(User, s["me"].id), None)


def _with_a_feed(s, path: str) -> str:
    s["feed"]  # made first
    return path


def _worker(case, index: int = 0):
    return db_case(case).workers[index]


def _particulars(case, **changes) -> dict:
    """The corrections page's particulars form as it shows the case, with ``changes``."""
    case = db_case(case)
    values = {"received_on": case.received_on.isoformat(), "channel": case.channel.value,
              "application_form": case.application_form.value, "dispute_type": str(case.dispute_type_id),
              "matters": case.matters, "reasons": case.reasons, "notes": case.notes,
              "workers_count": str(case.workers_count), "version": str(case.version), **changes}
    return {f"case-{k}": v for k, v in values.items()}


def _worker_form(case, **changes) -> dict:
    worker = _worker(case)
    values = {"name": worker.name, "id_number": worker.id_number or "", "phone": worker.phone,
              "version": str(db_case(case).version), **changes}
    return {f"worker{worker.id}-{k}": v for k, v in values.items()}


def _attachment(s):
    """An image attached to a case of its own (not referred to the lawyer)."""
    case = make_case(s["mediator"])
    with unit_of_work(writes=True):
        return attachment_services.add_attachment(case, s["mediator"], file=io.BytesIO(attachment_samples.png()),
                                                  name="证据.png", kind=AttachmentKind.OTHER)


def _on_attachment(path: str) -> Callable:
    return lambda c: f"/cases/{c['attachment'].case.case_no}/attachments/{c['attachment'].id}{path}"


def _attachments_of(case) -> int:
    return db.session.scalar(sa.select(sa.func.count(Attachment.id)).where(Attachment.case_id == case.id))


MAKERS = {
    "case": lambda s: make_case(s["mediator"]),
    "pair": lambda s: make_case(s["mediator"], workers=2, worker_name=f"双人{s['n']}"),
    "accepted": lambda s: case_at(Status.ACCEPTED, s["mediator"]),
    "in_mediation": lambda s: case_at(Status.IN_MEDIATION, s["mediator"]),
    "mediated": lambda s: case_at(Status.MEDIATED, s["mediator"]),
    "failed": lambda s: case_at(Status.FAILED, s["mediator"]),
    "paid": lambda s: _paid(s),
    "referred": _referred_to_the_lawyer,
    "other": lambda s: make_user("mediator"),
    "token": _token,
    "token_id": _token_id,
    "street_id": lambda s: street(f"探针街道{s['n']}").id,
    "type_id": _dispute_type_id,
    "campaign_id": _campaign_id,
    "calendar_day": _office_calendar_day,
    "digest_id": _digest_id,
    "feed": _feed,
    "attachment": _attachment,
    "scheduled": lambda s: _session(s, held=False),
    "held": lambda s: _session(s, held=True),
}


def _session(s, *, held: bool):
    """A session of a case in mediation of its own: to come (tomorrow), or held (yesterday)."""
    case = case_at(Status.IN_MEDIATION, s["mediator"], worker_name=f"调解会{s['n']}")
    day = _day(-1 if held else 1)
    with unit_of_work(writes=True):
        return session_services.record_session(
            case, s["mediator"], held_at=dt.datetime.combine(day, dt.time(10), tzinfo=office_zone()),
            location="探针调解室", record="探针记录" if held else "")


def _on_session(key: str, path: str) -> Callable:
    return lambda c: f"/cases/{c[key].case.case_no}/sessions/{c[key].id}{path}"


def _session_now(c, key: str):
    return _fresh(MediationSession, c[key].id)


def _day(days: int = 0) -> dt.date:
    return local_today() + dt.timedelta(days=days)


def _fresh(model, ident):
    """The record as the database has it now (None once deleted)."""
    db.session.expire_all()
    return db.session.get(model, ident)


def _status(ctx):
    return db_case(ctx["case"]).status


def _exists(model, **values) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).filter_by(**values)) > 0


def _events(case, kind: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id,
                                                                         CaseEvent.kind == kind))


def _prints(case) -> int:
    return db.session.scalar(sa.select(sa.func.count(DocumentPrint.id)).where(DocumentPrint.case_id == case.id))


def _tokens_of(user) -> int:
    return db.session.scalar(sa.select(sa.func.count(ApiToken.id)).where(ApiToken.user_id == user.id))


def _on_case(key: str, path: str = "") -> Callable:
    return lambda c: f"/cases/{c[key].case_no}{path}"


def _reference(path: str, key: str, suffix: str = "") -> Callable:
    return lambda c: f"/admin/reference/{path}/{c[key]}{suffix}"


MATRIX = {
    # --- cases -----------------------------------------------------------------------------------
    "cases.queue": Probe("case.view", "GET", lambda c: "/", 200),
    "clocks.home": Probe("case.view", "GET", lambda c: "/worklist", 200),
    "cases.intake": Probe("case.create", "GET", lambda c: "/cases/new", 200),
    "cases.employer_suggestions": Probe("case.create", "GET", lambda c: "/employers.json?q=示例", 200),
    "employers.index": Probe("employer.view", "GET", lambda c: "/employers?sort=cases", 200),
    "employers.detail": Probe("employer.view", "GET", lambda c: f"/employers/{c['case'].employer_id}", 200),
    "cases.detail": Probe("case.view", "GET", _on_case("case"), 200, needs_visible_case=True),
    "cases.transition": Probe(
        "case.transition", "POST", _on_case("case", "/actions/accept"), 302,
        data=lambda c: {"accept-on": _day().isoformat()}, needs_visible_case=True,
        happened=lambda c: _status(c) == Status.ACCEPTED),
    "cases.green_channel": Probe(
        "case.green_channel", "POST", _on_case("case", "/green-channel"), 302,
        data=lambda c: {"green_channel": "y", "reason": "春节前专项行动"}, needs_visible_case=True,
        happened=lambda c: db_case(c["case"]).green_channel),
    "cases.assign": Probe(
        "case.assign", "POST", _on_case("case", "/assign"), 302,
        data=lambda c: {"mediator": str(c["mediator"].id)}, needs_visible_case=True,
        happened=lambda c: db_case(c["case"]).assigned_mediator_id == c["mediator"].id),
    # --- corrections ---------------------------------------------------------------------------------
    "cases.edit": Probe(
        "case.edit", "POST", _on_case("case", "/edit"), 302, data=lambda c: _particulars(c["case"], notes="更正备注"),
        needs_visible_case=True, happened=lambda c: db_case(c["case"]).notes == "更正备注"),
    "cases.correct_worker": Probe(
        "case.edit", "POST", lambda c: f"/cases/{c['case'].case_no}/workers/{_worker(c['case']).id}", 302,
        data=lambda c: _worker_form(c["case"], phone="13900009999"), needs_visible_case=True,
        happened=lambda c: _worker(c["case"]).phone == "13900009999"),
    "cases.remove_worker": Probe(
        "case.edit", "POST", lambda c: f"/cases/{c['pair'].case_no}/workers/{_worker(c['pair'], 1).id}/remove", 302,
        data=lambda c: {f"remove{_worker(c['pair'], 1).id}-reason": "误列", "remove" + str(
            _worker(c['pair'], 1).id) + "-version": str(db_case(c["pair"]).version)}, needs_visible_case=True,
        happened=lambda c: len(db_case(c["pair"]).workers) == 1),
    "cases.add_worker": Probe(
        "case.edit", "POST", _on_case("case", "/workers/new"), 302,
        data=lambda c: {"new-name": "新增工人", "new-version": str(db_case(c["case"]).version)},
        needs_visible_case=True, happened=lambda c: len(db_case(c["case"]).workers) == 2),
    "cases.correct_employer": Probe(
        "case.edit", "POST", _on_case("case", "/employer"), 302,
        data=lambda c: {"employer-name": f"更正后的公司{c['n']}", "employer-version": str(db_case(c["case"]).version)},
        needs_visible_case=True, happened=lambda c: db_case(c["case"]).employer.name == f"更正后的公司{c['n']}"),
    "cases.change_employer": Probe(
        "case.edit", "POST", _on_case("case", "/employer/change"), 302,
        data=lambda c: {"switch-employer_name": f"另一家公司{c['n']}", "switch-version": str(db_case(c["case"]).version)},
        needs_visible_case=True, happened=lambda c: db_case(c["case"]).employer.name == f"另一家公司{c['n']}"),
    "cases.reverse_step": Probe(
        "case.reverse", "POST", _on_case("accepted", "/reverse"), 302, data=lambda c: {"reverse-reason": "误点受理"},
        needs_visible_case=True, happened=lambda c: db_case(c["accepted"]).status == Status.RECEIVED),
    # --- sessions, arbitration, agreement and payments --------------------------------------------
    "sessions.record": Probe(
        "case.session", "POST", _on_case("in_mediation", "/sessions"), 302,
        data=lambda c: {"session-held_at": f"{_day(-1).isoformat()}T09:30", "session-location": "东湖街道调解室",
                        "session-mediator": str(c["mediator"].id)}, needs_visible_case=True,
        happened=lambda c: len(db_case(c["in_mediation"]).sessions) == 1),
    "sessions.schedule": Probe(
        "case.session", "POST", _on_case("accepted", "/sessions/schedule"), 302,
        data=lambda c: {"schedule-held_at": f"{_day(1).isoformat()}T09:30", "schedule-location": "东湖街道调解室"},
        needs_visible_case=True, happened=lambda c: len(db_case(c["accepted"]).sessions) == 1),
    "sessions.move": Probe(
        "case.session", "POST", _on_session("scheduled", "/move"), 302,
        data=lambda c: {f"move-{c['scheduled'].id}-held_at": f"{_day(2).isoformat()}T14:00",
                        f"move-{c['scheduled'].id}-location": "探针调解室", f"move-{c['scheduled'].id}-reason": "改期"},
        needs_visible_case=True,
        happened=lambda c: _session_now(c, "scheduled").held_at == dt.datetime.combine(_day(2), dt.time(14),
                                                                                       tzinfo=office_zone())),
    "sessions.cancel": Probe(
        "case.session", "POST", _on_session("scheduled", "/cancel"), 302,
        data=lambda c: {f"cancel-{c['scheduled'].id}-reason": "双方改为书面调解"}, needs_visible_case=True,
        happened=lambda c: _session_now(c, "scheduled").status == SessionStatus.CANCELLED),
    "sessions.held": Probe(
        "case.session", "POST", _on_session("scheduled", "/held"), 302,
        data=lambda c: {f"held-{c['scheduled'].id}-held_at": f"{_day(-1).isoformat()}T15:00",
                        f"held-{c['scheduled'].id}-location": "探针调解室", f"held-{c['scheduled'].id}-record": "已召开"},
        needs_visible_case=True, happened=lambda c: _session_now(c, "scheduled").status == SessionStatus.HELD),
    "sessions.correct": Probe(
        "case.session", "POST", _on_session("held", "/correct"), 302,
        data=lambda c: {f"correct-{c['held'].id}-held_at": f"{_day(-1).isoformat()}T10:00",
                        f"correct-{c['held'].id}-location": "探针调解室", f"correct-{c['held'].id}-record": "更正后的记录",
                        f"correct-{c['held'].id}-reason": "笔误"},
        needs_visible_case=True, happened=lambda c: _session_now(c, "held").record == "更正后的记录"),
    "sessions.extend": Probe(
        "case.edit", "POST", _on_case("in_mediation", "/mediation-extension"), 302,
        data=lambda c: {"extend-until": _day(10).isoformat(), "extend-note": "双方书面同意延长调解",
                        "extend-agreed_on": db_case(c["in_mediation"]).accepted_on.isoformat()},
        needs_visible_case=True,
        happened=lambda c: db_case(c["in_mediation"]).mediation_extended_until == _day(10)),
    "sessions.arbitration_update": Probe(
        "case.edit", "POST", _on_case("failed", "/arbitration"), 302,
        data=lambda c: {"arbitration-applied_on": _day().isoformat()}, needs_visible_case=True,
        happened=lambda c: db_case(c["failed"]).arbitration_applied_on == _day()),
    "recovery.agreement": Probe(
        "case.agreement", "POST", _on_case("in_mediation", "/agreement"), 302,
        data=lambda c: {"agreement-signed_on": _day().isoformat(), "agreement-total": "9000.00",
                        "agreement-performance_method": "lump_sum",
                        "agreement-performance_deadline": _day(30).isoformat()}, needs_visible_case=True,
        happened=lambda c: db_case(c["in_mediation"]).status == Status.MEDIATED),
    "recovery.payment": Probe(
        "case.payment", "POST", _on_case("mediated", "/payments"), 302,
        data=lambda c: {"payment-paid_on": _day().isoformat(), "payment-amount": "500.00"},
        needs_visible_case=True, happened=lambda c: db_case(c["mediated"]).recovered_fen == 50000),
    "recovery.reverse_payment": Probe(
        "case.payment", "POST", _on_case("paid", "/payments/reversal"), 302,
        data=lambda c: {"reversal-payment": str(db_case(c["paid"]).payments[0].id), "reversal-on": _day().isoformat(),
                        "reversal-reason": "重复录入"},
        needs_visible_case=True, happened=lambda c: db_case(c["paid"]).recovered_fen == 0),
    "recovery.correct_agreement": Probe(
        "case.agreement", "POST", _on_case("mediated", "/agreement/correction"), 302,
        data=lambda c: _agreement_form(c["mediated"], "correction", total="11000.00", reason="金额录错"),
        needs_visible_case=True, happened=lambda c: db_case(c["mediated"]).agreed_fen == 1_100_000),
    "recovery.amend_agreement": Probe(
        "case.agreement", "POST", _on_case("paid", "/agreement/amendment"), 302,
        data=lambda c: _agreement_form(c["paid"], "amendment", total="13000.00", reason="补充协议",
                                       on=_day().isoformat()),
        needs_visible_case=True, happened=lambda c: db_case(c["paid"]).agreement.version_no == 2),
    # --- legal aid, documents, ledger, reports -----------------------------------------------------
    "legal_aid.refer": Probe(
        "legal_aid.refer", "POST", _on_case("case", "/legal-aid"), 302,
        data=lambda c: {"legal_aid-referred_on": _day().isoformat(), "legal_aid-lawyer": str(c["lawyer"].id),
                        "legal_aid-eligible_claim": "y"}, needs_visible_case=True,
        happened=lambda c: db_case(c["case"]).legal_aid is not None),
    "legal_aid.reverse": Probe(
        "case.reverse", "POST", _on_case("referred", "/legal-aid/reverse"), 302,
        data=lambda c: {"reverse_referral-reason": "转错了案件"},
        happened=lambda c: db_case(c["referred"]).legal_aid is None),
    "legal_aid.update": Probe(  # on a case referred to the lawyer: theirs to see and to update
        "legal_aid.update", "POST", _on_case("referred", "/legal-aid/update"), 302,
        data=lambda c: {"legal_aid_update-status": "in_progress", "legal_aid_update-lawyer": str(c["lawyer"].id)},
        happened=lambda c: db_case(c["referred"]).legal_aid.status == LegalAidStatus.IN_PROGRESS),
    "documents.render": Probe(
        "document.render", "GET", _on_case("case", "/documents/summary.pdf"), 200, needs_visible_case=True,
        happened=lambda c: _prints(c["case"]) == 1, mimetype="application/pdf"),
    # --- attachments -------------------------------------------------------------------------------
    "attachments.upload": Probe(
        "attachment.add", "POST", _on_case("case", "/attachments"), 302,
        data=lambda c: {"attachment-kind": "contract",
                        "attachment-file": (io.BytesIO(attachment_samples.png()), "劳动合同.png")},
        needs_visible_case=True, happened=lambda c: _attachments_of(c["case"]) == 1),
    "attachments.download": Probe("case.view", "GET", _on_attachment("/file"), 200, needs_visible_case=True,
                                  mimetype="image/png"),
    "attachments.preview": Probe("case.view", "GET", _on_attachment("/preview.png"), 200, needs_visible_case=True,
                                 mimetype="image/png"),
    "attachments.hide": Probe(
        "attachment.hide", "POST", _on_attachment("/hide"), 302,
        data=lambda c: {f"hide{c['attachment'].id}-reason": "传错了案件"}, needs_visible_case=True, happened=lambda c: _fresh(Attachment, c["attachment"].id).hidden),
    "ledger.upload": Probe("ledger.import", "GET", lambda c: "/ledger/import", 200),
    "ledger.download": Probe("ledger.export", "GET", lambda c: "/ledger/export?format=csv", 200,
                             mimetype="text/csv"),
    "reports.summary": Probe("report.view", "GET", lambda c: "/reports/summary", 200),
    # --- reference lists and the admin log ---------------------------------------------------------
    "admin.reference": Probe("reference.manage", "GET", lambda c: "/admin/reference", 200),
    "admin.log": Probe("admin.log", "GET", lambda c: "/admin/log", 200),
    "settings_admin.settings": Probe("settings.manage", "GET", lambda c: "/admin/settings", 200),
    "settings_admin.change_green_targets": Probe(  # 20 to 79: never the default, distinct for each role
        "settings.manage", "POST", lambda c: "/admin/settings/green-channel", 302,
        data=lambda c: {"targets-green_accept_within_working_days": "1", "targets-green_first_session_days": "3",
                        "targets-green_close_days": str(20 + c["n"] % 60)},
        happened=lambda c: getattr(_fresh(StoredSetting, "green_close_days"), "value", None) == 20 + c["n"] % 60),
    "settings_admin.change_office_name": Probe(
        "settings.manage", "POST", lambda c: "/admin/settings/office", 302,
        data=lambda c: {"office-office_name": f"调解中心{c['n']}", "office-office_name_en": f"Centre {c['n']}"},
        happened=lambda c: getattr(_fresh(StoredSetting, "office_name"), "value", None) == f"调解中心{c['n']}"),
    "settings_admin.add_minimum_wage": Probe(
        "settings.manage", "POST", lambda c: "/admin/settings/minimum-wages", 302,
        data=lambda c: {"wage-from_on": _day(-c["n"]).isoformat(), "wage-monthly": "2800.00"},
        happened=lambda c: _exists(MinimumWage, from_on=_day(-c["n"]))),
    "admin.add_street": Probe(
        "reference.manage", "POST", lambda c: "/admin/reference/streets", 302,
        data=lambda c: {"street-name": f"新街道{c['n']}", "street-name_en": "New Street"},
        happened=lambda c: _exists(Street, name=f"新街道{c['n']}")),
    "admin.edit_street": Probe(
        "reference.manage", "POST", _reference("streets", "street_id"), 302,
        data=lambda c: {"name": f"改名街道{c['n']}", "name_en": "Renamed"},
        happened=lambda c: _fresh(Street, c["street_id"]).name == f"改名街道{c['n']}"),
    "admin.toggle_street": Probe(
        "reference.manage", "POST", _reference("streets", "street_id", "/active"), 302,
        happened=lambda c: not _fresh(Street, c["street_id"]).active),
    "admin.delete_street": Probe(
        "reference.manage", "POST", _reference("streets", "street_id", "/delete"), 302,
        happened=lambda c: _fresh(Street, c["street_id"]) is None),
    "admin.add_dispute_type": Probe(
        "reference.manage", "POST", lambda c: "/admin/reference/types", 302,
        data=lambda c: {"type-parent": str(admin_services.categories()[0].id), "type-code": f"new_{c['n']}",
                        "type-label_zh": f"新类型{c['n']}", "type-label_en": f"New type {c['n']}"},
        happened=lambda c: _exists(DisputeType, code=f"new_{c['n']}")),
    "admin.edit_dispute_type": Probe(
        "reference.manage", "POST", _reference("types", "type_id"), 302,
        data=lambda c: {"label_zh": f"改过的类型{c['n']}", "label_en": f"Changed {c['n']}", "is_pay_claim": "y"},
        happened=lambda c: _fresh(DisputeType, c["type_id"]).label_zh == f"改过的类型{c['n']}"),
    "admin.toggle_dispute_type": Probe(
        "reference.manage", "POST", _reference("types", "type_id", "/active"), 302,
        happened=lambda c: not _fresh(DisputeType, c["type_id"]).active),
    "admin.delete_dispute_type": Probe(
        "reference.manage", "POST", _reference("types", "type_id", "/delete"), 302,
        happened=lambda c: _fresh(DisputeType, c["type_id"]) is None),
    "admin.add_campaign": Probe(
        "reference.manage", "POST", lambda c: "/admin/reference/campaigns", 302,
        data=lambda c: {"campaign-name_zh": f"新行动{c['n']}", "campaign-name_en": "New drive",
                        "campaign-starts_on": _day().isoformat(), "campaign-ends_on": _day(14).isoformat()},
        happened=lambda c: _exists(Campaign, name_zh=f"新行动{c['n']}")),
    "admin.edit_campaign": Probe(
        "reference.manage", "POST", _reference("campaigns", "campaign_id"), 302,
        data=lambda c: {"name_zh": f"改过的行动{c['n']}", "name_en": "Changed drive",
                        "starts_on": _day().isoformat(), "ends_on": _day(60).isoformat()},
        happened=lambda c: _fresh(Campaign, c["campaign_id"]).ends_on == _day(60)),
    "admin.delete_campaign": Probe(
        "reference.manage", "POST", _reference("campaigns", "campaign_id", "/delete"), 302,
        happened=lambda c: _fresh(Campaign, c["campaign_id"]) is None),
    # --- the working calendar ----------------------------------------------------------------------
    "calendar_admin.schedule": Probe("calendar.manage", "GET", lambda c: "/admin/calendar?year=2027", 200),
    "calendar_admin.set_day": Probe(
        "calendar.manage", "POST", lambda c: "/admin/calendar/days", 302,
        data=lambda c: {"day-day": (dt.date(2040, 1, 1) + dt.timedelta(days=c["n"])).isoformat(),
                        "day-kind": "holiday", "day-note": "探针"},
        happened=lambda c: _fresh(CalendarDay, dt.date(2040, 1, 1) + dt.timedelta(days=c["n"])) is not None),
    "calendar_admin.remove_day": Probe(
        "calendar.manage", "POST", lambda c: f"/admin/calendar/days/{c['calendar_day'].isoformat()}/delete", 302,
        happened=lambda c: _fresh(CalendarDay, c["calendar_day"]) is None),
    "calendar_admin.import_schedule": Probe(
        "calendar.manage", "POST", lambda c: "/admin/calendar/import", 302,
        data=lambda c: {"schedule-file": (io.BytesIO(
            f"date,kind\n{dt.date(2041, 1, 1) + dt.timedelta(days=c['n'])},holiday\n".encode()), "schedule.csv")},
        happened=lambda c: _fresh(CalendarDay, dt.date(2041, 1, 1) + dt.timedelta(days=c["n"])) is not None),
    # --- one's own reminders and calendar feed ----------------------------------------------------
    "reminders.index": Probe("reminders.own", "GET", lambda c: "/reminders", 200),
    "reminders.mark_read": Probe(
        "reminders.own", "POST", lambda c: f"/reminders/{c['digest_id']}/read", 302,
        happened=lambda c: _fresh(Digest, c["digest_id"]).read_at is not None),
    "reminders.make_feed": Probe(  # the page again, with the new address shown once
        "reminders.own", "POST", lambda c: "/reminders/feed", 200,
        happened=lambda c: _fresh(User, c["me"].id).calendar_token_hash is not None),
    "reminders.stop_feed": Probe(
        "reminders.own", "POST", lambda c: _with_a_feed(c, "/reminders/feed/stop"), 302,
        happened=lambda c: _fresh(User, c["me"].id).calendar_token_hash is None),
    "reminders.calendar_feed": Probe(None, "GET", lambda c: f"/calendar/{c['feed']}.ics", 200,
                                     mimetype="text/calendar"),
    # --- accounts and signing in -------------------------------------------------------------------
    "auth.users": Probe("users.manage", "GET", lambda c: "/admin/users", 200),
    "auth.toggle_active": Probe(
        "users.manage", "POST", lambda c: f"/admin/users/{c['other'].id}/active", 302,
        happened=lambda c: not _fresh(User, c["other"].id).active),
    "auth.edit_user": Probe(
        "users.manage", "POST", lambda c: f"/admin/users/{c['other'].id}", 302,
        data=lambda c: {"display_name": "改过的名字", "role": "mediator"},
        happened=lambda c: _fresh(User, c["other"].id).display_name == "改过的名字"),
    "auth.issue_token": Probe(
        "users.manage", "POST", lambda c: f"/admin/users/{c['other'].id}/tokens", 200,
        happened=lambda c: _tokens_of(c["other"]) == 1),
    "auth.revoke_token": Probe(
        "users.manage", "POST", lambda c: f"/admin/tokens/{c['token_id']}/revoke", 302,
        happened=lambda c: auth_services.token_user(c["token"]) is None),
    "auth.logout": Probe(None, "POST", lambda c: "/logout", 302,
                         happened=lambda c: c["client"].get("/").status_code == 302),  # to sign in again
    "auth.set_language": Probe(None, "POST", lambda c: "/language/en", 302,
                               happened=lambda c: _fresh(User, c["me"].id).locale == "en"),
    "auth.login": Probe(None, "GET", lambda c: "/login", 302),    # signed in already: to the queue
    "auth.setup": Probe(None, "GET", lambda c: "/setup", 404),    # gone once a user exists
}


def expected_code(probe: Probe, role: str) -> int:
    if probe.permission is not None and Role(role) not in PERMISSIONS[probe.permission]:
        return 403
    if probe.needs_visible_case and role == "lawyer":
        return 404  # the case was not referred to this lawyer: not even its existence is shown
    return probe.ok


def test_the_matrix_covers_every_route_but_the_api(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()
                 if r.endpoint != "static" and not r.endpoint.startswith("api.")}  # the API has its own tests
    assert endpoints == set(MATRIX), (f"routes without a row in MATRIX: {sorted(endpoints - set(MATRIX))}; "
                                      f"rows for no route: {sorted(set(MATRIX) - endpoints)}")


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_each_role_gets_what_the_permissions_table_says(endpoint, app, users):
    probe = MATRIX[endpoint]
    problems = []
    for role in ROLES:  # each role in its own browser, on records of its own
        client = app.test_client()
        sign_in(client, users[role].username)
        ctx = Setting(users, role, client)
        url = probe.url(ctx)
        data = probe.data(ctx) if probe.data else {}
        if probe.method == "POST":
            data["csrf_token"] = csrf_from(client.get("/").get_data(as_text=True))
        response = client.open(url, method=probe.method, data=data or None)
        expected = expected_code(probe, role)
        allowed = expected == probe.ok
        if response.status_code != expected:
            problems.append(f"{role}: {response.status_code}, expected {expected}")
        elif allowed and probe.mimetype and response.mimetype != probe.mimetype:
            problems.append(f"{role}: received {response.mimetype}, expected {probe.mimetype}")
        elif probe.happened is not None and bool(probe.happened(ctx)) != allowed:
            problems.append(f"{role}: answered {expected} but the change {'did not happen' if allowed else 'happened'}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("endpoint", sorted(e for e, p in MATRIX.items() if p.method == "POST"))
def test_the_wrong_method_is_refused(endpoint, app, client, login, users):
    login("admin")
    shows_a_form = any("GET" in r.methods for r in app.url_map.iter_rules(endpoint))
    assert client.get(MATRIX[endpoint].url(Setting(users, "admin", client))).status_code == (
        200 if shows_a_form else 405)


def test_a_lawyer_sees_only_the_cases_referred_to_them(client, login, users, db):
    mine = make_case(users["mediator"], worker_name="赵律援")
    theirs = make_case(users["mediator"], worker_name="钱未转")
    other_lawyer = make_user("lawyer")
    elsewhere = make_case(users["mediator"], worker_name="孙他人")
    refer_to_legal_aid(mine, users["supervisor"], lawyer=users["lawyer"])
    refer_to_legal_aid(elsewhere, users["supervisor"], lawyer=other_lawyer)
    db.session.commit()
    login("lawyer")
    queue = client.get("/").get_data(as_text=True)
    assert "赵律援" in queue
    assert "钱未转" not in queue and "孙他人" not in queue
    assert client.get(f"/cases/{mine.case_no}").status_code == 200
    assert client.get(f"/cases/{theirs.case_no}").status_code == 404
    assert client.get(f"/cases/{elsewhere.case_no}").status_code == 404
    assert f'data-case-no="{theirs.case_no}"' not in client.get(f"/?q={theirs.case_no}").get_data(as_text=True)


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(client, login, users, db):
    case = make_case(users["mediator"])
    login("supervisor")
    for url, data in [
        (f"/cases/{case.case_no}/actions/accept", {"accept-on": local_today().isoformat()}),
        (f"/cases/{case.case_no}/green-channel", {"green_channel": "y", "reason": "专项"}),
        (f"/cases/{case.case_no}/assign", {"mediator": str(users["mediator"].id)}),
        ("/cases/new", {"received_on": local_today().isoformat(), "employer_name": "某公司",
                        "workers-0-name": "王五", "matters": "工资", "dispute_type": "13", "channel": "walk_in"}),
    ]:
        assert client.post(url, data=data).status_code == 400
        assert client.post(url, data={**data, "csrf_token": "forged"}).status_code == 400
    fresh = db_case(case)
    assert (fresh.status, fresh.green_channel, fresh.assigned_mediator_id) == (Status.RECEIVED, False, None)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(CaseEvent.id))) == 1
