"""The edge: where a request or a command begins and ends its one transaction.

A view or a command calls service verbs, which change records and write their audit events in the
current transaction; they never commit.  The edge commits once when the request succeeds (an answer
below 400) or the command returns, and rolls back on anything else — so a view cannot forget to commit,
and a refused change leaves nothing half-saved.

A refusal (:class:`~mediation.core.errors.Refused`, a form that does not validate, a concurrent change)
is turned into an answer in one place, :func:`register_errorhandlers`: the page the view named with
:func:`on_refusal` (its form re-displayed with the message, 422), or a redirect back with the message.
"""
from __future__ import annotations

import functools
from typing import Callable

import click
from flask import Flask, current_app, flash, g, make_response, redirect, request, session, url_for
from flask.cli import AppGroup, with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from mediation.core import database
from mediation.core.context import acting_via, reset_via, set_via
from mediation.core.errors import Refused
from mediation.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CORRECT_FIELDS = _l("Please correct the marked fields. Nothing has been saved.")
CONCURRENT_CHANGE = _l("Someone else changed this at the same time. Nothing was saved; please check and try again.")


class InvalidInput(Exception):
    """A submitted form did not validate: the edge re-displays it with its errors."""


class EdgeFlask(Flask):
    """Flask with one transaction per request, committed once at the end of a successful view."""

    def dispatch_request(self):
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            db.session.rollback()
            raise
        if response.status_code >= 400:
            db.session.rollback()  # a re-displayed form, a 404 …: nothing of it is kept
            return response
        try:
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise  # to the error handlers: a concurrent change, a number taken meanwhile
        return response


def writes(view):
    """Mark a GET view that writes (it takes SQLite's write lock from its first statement)."""
    view.writes = True
    return view


def open_request() -> None:
    """First hook of every request: say whether its transaction writes, and how its changes came in."""
    if db.session().in_transaction():
        # A request begins without a transaction, but an app context reused across requests (tests, a
        # script) may hold one: it ends here, so that the request's own begins with the right lock and a
        # fresh snapshot.
        db.session.commit()
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    writes_ = request.method not in SAFE_METHODS or bool(getattr(view, "writes", False))
    g._edge_tokens = (database.intend_writes(writes_), set_via("api" if request.blueprint == "api" else "web"))


def close_request(_exc=None) -> None:
    tokens = g.pop("_edge_tokens", None)
    if tokens is not None:
        database.end_intent(tokens[0])
        reset_via(tokens[1])


# --- refusals -------------------------------------------------------------------------------------

def on_refusal(page: Callable[[], object], form=None, *, page_shows_message: bool = False) -> None:
    """Where a refusal of this request goes: ``page()`` (typically the page with ``form`` in it, whose
    field named by the refusal gets the message; other messages are flashed above it, unless the page
    shows the refusal itself)."""
    g.refusal = (page, None if page_shows_message else form, page_shows_message)


def validate(form, page: Callable[[], object]) -> None:
    """Check a submitted ``form``; if it does not validate, the edge shows ``page()`` with its errors."""
    on_refusal(page, form)
    if not form.validate_on_submit():
        raise InvalidInput()


def _refusal_page(message=None, field_name: str | None = None, status: int = 422):
    page, form, page_shows_message = g.pop("refusal", (None, None, False))
    if message is not None and not page_shows_message:
        field = getattr(form, field_name, None) if form is not None and field_name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")
    if page is None:
        return redirect(_back()), 303
    response = make_response(page())
    if response.status_code < 300:
        response.status_code = status
    return response


def _back() -> str:
    """The page the user came from on this site, else the queue."""
    referrer = request.referrer or ""
    root = request.host_url
    if referrer.startswith(root):
        return "/" + referrer[len(root):]
    return url_for("cases.queue")


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(Refused)
    def refused(error: Refused):
        db.session.rollback()
        return _refusal_page(error.message, error.field, error.status)

    @app.errorhandler(InvalidInput)
    def invalid(_error):
        db.session.rollback()
        flash(CORRECT_FIELDS, "error")
        return _refusal_page()

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def concurrent(_error):
        db.session.rollback()
        session.pop("_flashes", None)  # the view's "saved" message, flashed before the commit failed
        return _refusal_page(CONCURRENT_CHANGE, status=409)


# --- commands -------------------------------------------------------------------------------------

class PartlyDone(Exception):
    """Raised by a command that did its work but for some of it (e-mails the server refused …): what it
    did is committed all the same, and the command then fails with this message (exit status 1)."""


def _as_unit_of_work(f, writes: bool):
    @functools.wraps(f)
    def run(*args, **kwargs):
        try:
            with acting_via("cli"), database.unit_of_work(writes=writes):
                try:
                    return f(*args, **kwargs)
                except PartlyDone as exc:
                    unfinished = exc  # the unit of work ends normally: what was done is kept
        except Refused as exc:
            raise click.ClickException(str(exc.message)) from None
        raise click.ClickException(str(unfinished))
    return run


class CommandGroup(AppGroup):
    """A group whose commands each run as one unit of work: committed once when the command returns,
    rolled back on any error (a :class:`click.ClickException` included; a refusal becomes one).
    ``writes=True`` for a command that changes anything: it takes SQLite's write lock from its start (a
    command that reads for long first calls :func:`~mediation.core.database.switch_to_writing` instead)."""

    def command(self, *args, writes: bool = False, **kwargs):
        parent = super().command

        def decorator(f):
            return parent(*args, **kwargs)(_as_unit_of_work(f, writes))
        return decorator


def command(*args, writes: bool = False, **kwargs):
    """A top-level command (``flask --app mediation demo``) run as one unit of work."""
    def decorator(f):
        return click.command(*args, **kwargs)(with_appcontext(_as_unit_of_work(f, writes)))
    return decorator
