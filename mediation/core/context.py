"""How the current change came in (``web``, ``api``, ``cli``, ``import``, ``demo``): set once at the edge,
read by the audit record, so that no service passes it along."""
from __future__ import annotations

import contextlib
import contextvars

_via: contextvars.ContextVar[str] = contextvars.ContextVar("via", default="system")


def current_via() -> str:
    return _via.get()


def set_via(name: str) -> contextvars.Token:
    return _via.set(name)


def reset_via(token: contextvars.Token) -> None:
    _via.reset(token)


@contextlib.contextmanager
def acting_via(name: str):
    """Changes made inside come in through ``name`` (an import inside a web request, the demo)."""
    token = _via.set(name)
    try:
        yield
    finally:
        _via.reset(token)
