"""The API's error answers: always ``{"errors": {field: [messages]}}`` (``"_"`` for the request as a whole)."""
from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

GENERAL = "_"


class ApiError(Exception):
    """A refused request: the status code and the messages for each field (already translated)."""

    def __init__(self, status: int, errors: dict[str, list[str]], headers: dict[str, str] | None = None,
                 body: dict | None = None):
        super().__init__(status, errors)
        self.status = status
        self.errors = errors
        self.headers = headers or {}
        self.body = body or {}  # further keys of the answer (a likely duplicate's "existing" cases)


def general(status: int, message) -> ApiError:
    return ApiError(status, {GENERAL: [str(message)]})


def unauthorized(message=None, *, invalid_token: bool = False) -> ApiError:
    # RFC 6750 §3: the challenge names the scheme; a token that was sent but refused is 'invalid_token'.
    challenge = 'Bearer realm="mediation"' + (', error="invalid_token"' if invalid_token else "")
    return ApiError(401, {GENERAL: [str(message or _("Sign in or send an API token: Authorization: Bearer TOKEN."))]},
                    {"WWW-Authenticate": challenge})


def forbidden(message=None) -> ApiError:
    return general(403, message or _("You do not have permission to do this."))


def not_found() -> ApiError:
    return general(404, _("Not found."))


def respond(error: ApiError):
    response = jsonify({"errors": error.errors, **error.body})
    response.status_code = error.status
    response.headers.update(error.headers)
    return response
