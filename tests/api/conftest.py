"""Fixtures for the API: a token per role and a client that sends it."""
from __future__ import annotations

import pytest

from mediation.auth import services as auth_services


@pytest.fixture
def tokens(users, db):
    """One API token for each role's user: ``tokens['mediator']``."""
    issued = {role: auth_services.issue_token(user, None) for role, user in users.items()}
    db.session.commit()
    return issued


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class ApiClient:
    """The test client, calling as one role with its Bearer token (English messages)."""

    def __init__(self, client, tokens):
        self.client = client
        self.tokens = tokens

    def _headers(self, role, headers):
        return {**(bearer(self.tokens[role]) if role else {}), **(headers or {})}

    def get(self, url: str, role: str | None = "mediator", headers: dict | None = None, **kwargs):
        return self.client.get(url, headers=self._headers(role, headers), **kwargs)

    def post(self, url: str, json=None, role: str | None = "mediator", headers: dict | None = None, **kwargs):
        if json is not None:
            kwargs["json"] = json
        return self.client.post(url, headers=self._headers(role, headers), **kwargs)


@pytest.fixture
def api(client, tokens):
    return ApiClient(client, tokens)
