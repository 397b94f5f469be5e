"""E-mailing the daily digests, when the office has a mail server (``MAIL_*`` in the configuration).

Each digest goes to its user's address once (``emailed_at`` says when), in the user's language, as text
and HTML.  A message the server refuses (a bad address, a full mailbox) is reported and the others go on;
one that was not sent is tried again by the next run of the day.  Links to the cases need ``PUBLIC_URL``:
the command runs outside any request, so nothing else says at which address people reach the app.
"""
from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Callable
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from mediation.auth.models import User
from mediation.clocks.rules import LABELS
from mediation.core.timeutil import utcnow
from mediation.extensions import db
from mediation.reminders.models import Digest


class MailError(Exception):
    """A message that could not be sent; the message says why, for the command's report."""


@dataclass
class Delivery:
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (username, why)


def mail_configured() -> bool:
    config = current_app.config
    return bool(config.get("MAIL_SERVER") and _sender())


def _sender() -> str:
    """``MAIL_FROM``, else ``MAIL_USERNAME`` when that is an address."""
    config = current_app.config
    username = config.get("MAIL_USERNAME") or ""
    return config.get("MAIL_FROM") or (username if "@" in username else "")


def email_digests(on: dt.date) -> Delivery:
    """E-mail each digest made for ``on`` and not e-mailed yet to its user (the active ones with an address),
    recording when each went.  One that fails is reported in the result; the others still go."""
    delivery = Delivery()
    if not mail_configured():
        return delivery
    digests = db.session.scalars(
        sa.select(Digest).join(User, User.id == Digest.user_id)
        .where(Digest.on == on, Digest.emailed_at.is_(None), User.active.is_(True), User.email != "")
        .order_by(Digest.user_id)).all()
    with Postbox(current_app.config) as postbox:
        for digest in digests:
            try:
                postbox.send(digest_message(digest))
            except MailError as exc:
                delivery.failed.append((digest.user.username, str(exc)))
            else:
                digest.emailed_at = utcnow()
                delivery.sent += 1
    return delivery


def digest_message(digest: Digest) -> EmailMessage:
    """The digest as an e-mail to its user, in their language (the office's default if they chose none)."""
    user = digest.user
    link = _linker()
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Reminders for %(date)s — overdue: %(overdue)d, due soon: %(soon)d, sessions today: "
                    "%(sessions)d", date=format_date(digest.on, "medium"), overdue=digest.overdue, soon=digest.due_soon,
                    sessions=digest.sessions)
        values = {"digest": digest, "user": user, "subject": subject, "labels": LABELS, "link": link}
        text = render_template("reminders/email_text.html", **values)
        html = render_template("reminders/email.html", **values)
    sender = _sender()
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = user.email
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = make_msgid("digest", domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    # base64: CJK text is safe through any mail server (one that does not take 8-bit text included).
    message.set_content(text, cte="base64")
    message.add_alternative(html, subtype="html", cte="base64")
    return message


def _linker() -> Callable[..., str] | None:
    """``link(endpoint, **values)``: an absolute URL on ``PUBLIC_URL``; ``None`` when that is not set."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        return None
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme or "https")

    def link(endpoint: str, _anchor: str | None = None, **values) -> str:
        url = adapter.build(endpoint, values, force_external=True)
        return f"{url}#{_anchor}" if _anchor else url
    return link


class Postbox:
    """One connection to the mail server for a run, made at the first message, made again after one that
    broke it; if the server cannot be reached at all, every message fails at once with that reason."""

    def __init__(self, config):
        self.config = config
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: str | None = None

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self._close()

    def send(self, message: EmailMessage) -> None:
        if self._unreachable:
            raise MailError(self._unreachable)
        if self._smtp is None:
            self._connect()
        try:
            self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailError(_("The mail server refused the address %(address)s.",
                              address=", ".join(exc.recipients))) from exc
        except smtplib.SMTPResponseException as exc:  # refused by the server (the sender, the content …)
            raise MailError(f"{exc.smtp_code} {_decode(exc.smtp_error)}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # the connection broke: a new one for the next
            self._close()
            raise MailError(str(exc) or type(exc).__name__) from exc

    def _connect(self) -> None:
        config = self.config
        host, port, timeout = config["MAIL_SERVER"], int(config["MAIL_PORT"]), config["MAIL_TIMEOUT"]
        try:
            if config.get("MAIL_USE_SSL"):
                smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(host, port, timeout=timeout)
                if config.get("MAIL_USE_TLS"):
                    smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        except (smtplib.SMTPException, OSError) as exc:
            server, error = f"{host}:{port}", str(exc) or type(exc).__name__
            self._unreachable = _("The mail server %(server)s could not be reached: %(error)s",
                                  server=server, error=error)
            raise MailError(self._unreachable) from exc
        self._smtp = smtp

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()


def _decode(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
