"""The digests by e-mail, through a real SMTP server on this machine (aiosmtpd): sent once to each user
with an address, in their language, naming cases and employers and never a worker's personal data; one
refused address does not stop the others."""
from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale, format_date

from mediation.auth.models import User
from mediation.core.database import unit_of_work
from mediation.core.timeutil import local_today
from mediation.extensions import db
from tests.reminders.helpers import ID_NUMBER, PHONE, WORKER, digest_of, mine_and_theirs, send

OFFICE = "https://tiaojie.example.cn"


class Sink:
    """Keeps every message it receives; refuses the recipients in ``refused``."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for recipients, message in self.received if address in recipients]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sink(app):
    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_FROM="调解中心 <tiaojie@example.cn>",
                      PUBLIC_URL=OFFICE)
    yield handler
    controller.stop()


def set_email(user, address: str, locale: str | None = None) -> None:
    with unit_of_work(writes=True):
        found = db.session.get(User, user.id)
        found.email, found.locale = address, locale


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_each_digest_is_emailed_once_in_its_users_language(app, users, sink):
    mine, theirs = mine_and_theirs(users)
    set_email(users["mediator"], "mediator@example.cn", "en")
    set_email(users["supervisor"], "supervisor@example.cn")  # no language chosen: the office's (Chinese)
    result = send(app)
    assert result.exit_code == 0, result.output
    [message] = sink.to("mediator@example.cn")
    with force_locale("en"):
        day = format_date(local_today(), "medium")
    assert message["Subject"] == f"Reminders for {day} — overdue: 1, due soon: 0, sessions today: 1"
    assert message["To"] == "mediator@example.cn" and "tiaojie@example.cn" in message["From"]
    text, html = text_of(message), message.get_body(("html",)).get_content()
    for body in (text, html):
        assert mine.case_no in body and "宏达建筑劳务有限公司" in body and "第二调解室" in body
        assert f"{OFFICE}/cases/{mine.case_no}" in body
        assert theirs.case_no not in body
        assert ID_NUMBER not in body and PHONE not in body and WORKER not in body
    assert "End of mediation" in text and f"{OFFICE}/cases/{mine.case_no}#sessions" in html
    [chinese] = sink.to("supervisor@example.cn")
    assert f"{local_today().year}年" in chinese["Subject"] and theirs.case_no in text_of(chinese)
    assert len(sink.received) == 2  # the lawyer has no digest, the administrator no address
    assert digest_of(users["mediator"]).emailed_at is not None
    assert send(app).exit_code == 0  # again the same morning: no second e-mail
    assert len(sink.received) == 2


def test_one_refused_address_does_not_stop_the_others(app, users, sink):
    mine_and_theirs(users)
    set_email(users["mediator"], "gone@example.cn")
    set_email(users["supervisor"], "supervisor@example.cn")
    sink.refused.add("gone@example.cn")
    result = send(app)
    assert result.exit_code == 1
    assert "mediator" in result.output and "gone@example.cn" in result.output
    assert len(sink.to("supervisor@example.cn")) == 1
    assert digest_of(users["supervisor"]).emailed_at is not None
    assert digest_of(users["mediator"]).emailed_at is None  # kept, to be tried again
    sink.refused.clear()
    assert send(app).exit_code == 0
    assert len(sink.to("gone@example.cn")) == 1 and len(sink.to("supervisor@example.cn")) == 1


def test_an_unreachable_mail_server_loses_no_digest(app, users):
    mine_and_theirs(users)
    set_email(users["mediator"], "mediator@example.cn")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_FROM="tiaojie@example.cn")
    result = send(app)
    assert result.exit_code == 1 and "127.0.0.1" in result.output
    digest = digest_of(users["mediator"])
    assert digest is not None and digest.emailed_at is None


def test_without_a_mail_server_the_digests_stay_in_the_app(app, users):
    mine_and_theirs(users)
    set_email(users["mediator"], "mediator@example.cn")
    result = send(app)
    assert result.exit_code == 0, result.output
    assert digest_of(users["mediator"]).emailed_at is None
